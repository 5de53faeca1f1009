"""Fixtures of the statement-count tests: a section whose work grows from N to 3N appraisals, and a
counter of the SQL statements one request runs.

A list page must cost the same number of statements whatever the number of rows it lists (no N+1):
each test opens a page with N rows, then again after the section has grown to 3N, and compares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.models import Appraisal, CycleDefinitionRecord, Employee, Notification, OrgUnit, User, utcnow
from engine.runs import launch
from engine.tokens import create_token
from tests.support.factories import Org, build_org, publish_national

PASSWORD = "rahasia-123"
#: Staff the section starts with; it grows to three times as many.
N = 4


@pytest.fixture
def app(app: Flask, tmp_path: Path) -> Flask:
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "bukti")
    app.config["RATELIMIT_ENABLED"] = False
    return app


@dataclass
class Section:
    """BIDANG's staff under kabid, launched on the national cycle; :meth:`grow` adds twice as many more.

    Staff appraisals alternate between ``plan_review`` (waiting for kabid's approval) and ``monitor``
    (open to kabid's feedback), so every list kabid or HR opens lists them; each new person also gets
    a login, and kabid a notice about them.
    """

    session: Session
    org: Org
    national: CycleDefinitionRecord
    staff: list[Employee] = field(default_factory=list)
    rounds: int = 0

    def add(self, count: int) -> list[str]:
        """``count`` more staff with appraisals in a new run of their own unit; their names."""
        self.rounds += 1
        unit = OrgUnit(code=f"SEKSI-{self.rounds}", name=f"Seksi {self.rounds}", parent_id=self.org.bidang.id)
        self.session.add(unit)
        self.session.flush()
        hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        names = []
        for _ in range(count):
            n = len(self.staff) + 1
            person = Employee(nip=f"19900101201501{3000 + n:04d}", name=f"Staf Nomor {n:02d}", position="Pelaksana",
                              unit_id=unit.id, supervisor_id=self.org.people["kabid"].id)
            self.session.add(person)
            self.session.flush()
            self.session.add(User(username=f"staf{n:02d}", display_name=person.name, employee_id=person.id,
                                  password_hash=hashed))
            self.staff.append(person)
            names.append(person.name)
        self.session.commit()
        run = launch(self.session, self.national, unit, "2026", self.org.actor("hr"))
        new_ids = [p.id for p in self.staff[-count:]]
        for i, employee_id in enumerate(new_ids):
            # Set directly: the lists are under test here, not the way into these states.
            self.session.execute(update(Appraisal).where(Appraisal.run_id == run.id,
                                                         Appraisal.employee_id == employee_id)
                                 .values(state="plan_review" if i % 2 == 0 else "monitor",
                                         due_at=utcnow() + timedelta(days=i + 1)))
            self.session.add(Notification(user_id=self.org.users["kabid"].id, kind="action_needed",
                                          dedupe_key=f"test:{employee_id}", subject=f"SKP Staf {employee_id}",
                                          body="", link="/"))
        self.session.commit()
        return names

    def grow(self) -> list[str]:
        """Twice as many staff again (N -> 3N); the new names."""
        return self.add(2 * len(self.staff))


@pytest.fixture
def section(session: Session) -> Section:
    org = build_org(session)
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    for user in org.users.values():
        user.password_hash = hashed
    session.commit()
    national = publish_national(session, org)
    launch(session, national, session.get(OrgUnit, org.dinas.id), "2026", org.actor("hr"))
    s = Section(session, org, national)
    s.add(N)
    return s


@dataclass
class Counter:
    """Counts the statements of the app's engine during one request."""

    app: Flask
    client: FlaskClient

    def statements(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        """The statements one GET runs (after one warm-up GET), and the body; fails on a status other than 200."""
        from web.extensions import db

        with self.app.app_context():
            engine = db.engine
        assert self.client.get(url, headers=headers).status_code == 200
        seen: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            response = self.client.get(url, headers=headers)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:500])
        return len(seen), response.get_data(as_text=True)


@pytest.fixture
def counter(app: Flask, client: FlaskClient) -> Counter:
    return Counter(app, client)


@pytest.fixture
def login(client: FlaskClient, section: Section) -> Callable[[str], FlaskClient]:
    def as_user(username: str) -> FlaskClient:
        client.post("/keluar")
        response = client.post("/masuk", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return as_user


@pytest.fixture
def token(session: Session, section: Section) -> Iterator[Callable[[str], dict[str, str]]]:
    def header(username: str) -> dict[str, str]:
        org = section.org
        new = create_token(session, org.actor(username), org.users[username], f"test {username}")
        return {"Authorization": f"Bearer {new.secret}"}

    yield header
