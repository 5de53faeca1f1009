"""Fixtures of the API tests: the screens' fixtures (logins, the national cycle launched for DINAS) and
API tokens for the people of the test organisation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Appraisal, CycleRun
from engine.tokens import create_token
from tests.support.factories import Org
from tests.web import conftest as web

# The screens' fixtures, shared with the API tests.
app, login, logins, password, run = web.app, web.login, web.logins, web.password, web.run


@pytest.fixture
def token(session: Session, org: Org) -> Callable[[str], dict[str, str]]:
    """The Authorization header of a fresh API token of a person of the test organisation."""

    def header(username: str) -> dict[str, str]:
        new = create_token(session, org.actor(username), org.users[username], f"test {username}")
        return {"Authorization": f"Bearer {new.secret}"}

    return header


@pytest.fixture
def appraisal_of(session: Session, org: Org, run: CycleRun) -> Callable[[str], Appraisal]:
    """The appraisal of a person of the test organisation, read fresh from the database."""

    def find(person: str) -> Appraisal:
        session.rollback()
        session.expire_all()
        return session.scalars(select(Appraisal).where(
            Appraisal.run_id == run.id, Appraisal.employee_id == org.people[person].id)).one()

    return find
