"""Fixtures of the web screens: logins with known passwords, the national cycle launched for DINAS,
and a client that logs in as someone of the test organisation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.models import Appraisal, CycleDefinitionRecord, CycleRun
from engine.runs import find_unit, launch
from tests.support.factories import Org, record_chart

PASSWORD = "rahasia-123"


@pytest.fixture
def app(app: Flask, tmp_path: Path) -> Flask:
    """The shared app, with evidence files stored in the test's own folder."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "bukti")
    return app


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def logins(session: Session, org: Org) -> Org:
    """Every user of the test organisation can log in with PASSWORD (a cheap hash: tests only), as the system
    chain records (a script setting up a database records its accounts' sign-ins: engine.chart.seed_chart)."""
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    for user in org.users.values():
        user.password_hash = hashed
    record_chart(session)
    return org


@pytest.fixture
def run(session: Session, logins: Org, national: CycleDefinitionRecord) -> CycleRun:
    """The national cycle launched for DINAS in 2026: appraisals for kadis, kabid, ani and budi."""
    return launch(session, national, find_unit(session, "DINAS"), "2026", logins.actor("hr"))


@pytest.fixture
def appraisal_of(session: Session, org: Org, run: CycleRun) -> Callable[[str], Appraisal]:
    """The appraisal of a person of the test organisation, read fresh from the database."""

    def find(person: str) -> Appraisal:
        session.rollback()
        return session.scalars(select(Appraisal).where(
            Appraisal.run_id == run.id, Appraisal.employee_id == org.people[person].id)).one()

    return find


@pytest.fixture
def login(client: FlaskClient, logins: Org) -> Callable[[str], FlaskClient]:
    def as_user(username: str) -> FlaskClient:
        client.post("/keluar")
        response = client.post("/masuk", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return as_user
