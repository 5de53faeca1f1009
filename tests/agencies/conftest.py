"""Shared helpers of the agency end-to-end tests: an agency's organisation, its cycle file published
and launched, and a browser that drives appraisals through the web screens as each person would.

Every step a person takes goes over HTTP (login, SKP editor, realisation with evidence, transition
forms with the page's hidden version). The only steps that bypass the screens are in the helpers
named ``*_through_engine`` below: they exist where a screen is not there yet, and say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.chart import seed_chart
from engine.models import (
    Appraisal,
    AuditEvent,
    CycleDefinitionRecord,
    CycleRun,
    Employee,
    OrgUnit,
    Result,
    User,
)
from engine.permissions import Actor
from engine.registry import publish_source
from engine.runs import launch
from engine.users import seed_grant

PASSWORD = "rahasia-123"
PDF = b"%PDF-1.4\n% bukti dukung\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
ATAS, SESUAI, BAWAH = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"


def cycle_source(filename: str) -> str:
    """The text of a cycle file shipped in workflows/."""
    return resources.files("workflows").joinpath(filename).read_text(encoding="utf-8")


@dataclass
class Person:
    key: str
    name: str
    unit: str
    boss: str | None
    position: str
    level: str | None = None


@dataclass
class Agency:
    """An agency's organisation as the test built it: units by code, people and logins by key."""

    units: dict[str, OrgUnit]
    people: dict[str, Employee]
    users: dict[str, User]
    hr: str
    record: CycleDefinitionRecord | None = None
    run: CycleRun | None = None
    appraisal_ids: dict[str, int] = field(default_factory=dict)

    def actor(self, key: str) -> Actor:
        return Actor.of(self.users[key])


def build_agency(session: Session, units: Iterable[tuple[str, str, str | None]], people: Iterable[Person],
                 hr: str) -> Agency:
    """Units (code, name, parent code), employees with supervisors and a login each (password
    PASSWORD), and an HR officer ``hr`` whose grant covers the root unit and everything below it."""
    made: dict[str, OrgUnit] = {}
    for code, name, parent in units:
        unit = OrgUnit(code=code, name=name, parent_id=made[parent].id if parent else None,
                       public_slug=code.lower().replace("_", "-"))
        session.add(unit)
        session.flush()
        made[code] = unit
    staff: dict[str, Employee] = {}
    for n, p in enumerate(people, start=1):
        e = Employee(nip=f"19850101201001{n:04d}", name=p.name, position=p.position, position_level=p.level,
                     unit_id=made[p.unit].id, supervisor_id=staff[p.boss].id if p.boss else None,
                     email=f"{p.key}@example.go.id")
        session.add(e)
        session.flush()
        staff[p.key] = e
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # cheap: tests only
    users = {key: User(username=key, display_name=e.name, employee_id=e.id, password_hash=hashed)
             for key, e in staff.items()}
    users[hr] = User(username=hr, display_name="Pengelola Kinerja SDM", password_hash=hashed)
    session.add_all(users.values())
    session.flush()
    root = next(iter(made.values()))
    seed_chart(session)
    seed_grant(session, user_id=users[hr].id, role="hr", unit_id=root.id)
    session.commit()
    for u in users.values():
        session.refresh(u)
    return Agency(made, staff, users, hr)


def publish_and_launch(session: Session, agency: Agency, filename: str, unit: str, period: str = "2026") -> CycleRun:
    """Publish a shipped cycle file as HR and launch it for ``unit`` (and its sub-units)."""
    agency.record = publish_source(session, cycle_source(filename), filename, agency.actor(agency.hr))
    agency.run = launch(session, agency.record, agency.units[unit], period, agency.actor(agency.hr))
    agency.appraisal_ids = appraisal_ids(session, agency.run)
    return agency.run


def appraisal_ids(session: Session, run: CycleRun) -> dict[str, int]:
    """Appraisal id per employee login of a run."""
    rows = session.execute(select(User.username, Appraisal.id).join(Employee, Employee.id == Appraisal.employee_id)
                           .join(User, User.employee_id == Employee.id).where(Appraisal.run_id == run.id))
    return {username: aid for username, aid in rows}


def fresh(session: Session, appraisal_id: int) -> Appraisal:
    """The appraisal as stored now (the web app writes through its own session)."""
    session.rollback()
    session.expire_all()
    found = session.get(Appraisal, appraisal_id)
    assert found is not None
    return found


def stored_results(session: Session, appraisal_id: int) -> dict[str, Any]:
    """Result name -> stored value of an appraisal."""
    session.rollback()
    return {name: value for name, value in session.execute(
        select(Result.name, Result.value).where(Result.appraisal_id == appraisal_id))}


def stored_explanation(session: Session, appraisal_id: int, name: str) -> dict[str, str]:
    session.rollback()
    return session.execute(select(Result.explanation).where(
        Result.appraisal_id == appraisal_id, Result.name == name)).scalar_one()


def events(session: Session, appraisal_id: int, kind: str | None = None) -> list[AuditEvent]:
    session.rollback()
    stmt = select(AuditEvent).where(AuditEvent.appraisal_id == appraisal_id).order_by(AuditEvent.seq)
    if kind:
        stmt = stmt.where(AuditEvent.kind == kind)
    return list(session.scalars(stmt))


_VERSION = re.compile(r'name="version" value="(\d+)"')


class Browser:
    """One web client; logs in as a person and uses the appraisal screens the way they would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.who: str | None = None

    def login(self, username: str) -> Browser:
        if self.who != username:
            self.client.post("/keluar")
            response = self.client.post("/masuk", data={"username": username, "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
            self.who = username
        return self

    def page(self, appraisal_id: int) -> str:
        response = self.client.get(f"/penilaian/{appraisal_id}")
        assert response.status_code == 200, response.status_code
        return response.get_data(as_text=True)

    def version(self, appraisal_id: int) -> str:
        """The version the page shows in its forms' hidden field (what a browser would post back)."""
        found = _VERSION.search(self.page(appraisal_id))
        assert found is not None, "the page offers no form to this user"
        return found.group(1)

    def fire(self, appraisal_id: int, trigger: str, fields: Mapping[str, str] | None = None,
             expect: int = 302) -> str:
        """Post a transition form (fields named p-<key>, p-<group>-<key>); returns the page shown after."""
        page = self.page(appraisal_id)
        found = _VERSION.search(page)
        assert found is not None, "the page offers no form to this user"
        data = {"version": found.group(1), **(fields or {})}
        form = page.split(f'id="aksi-{trigger}"', 1)[-1].split("</form>", 1)[0]
        if 'name="konfirmasi"' in form:
            data.setdefault("konfirmasi", "1")  # a step nobody can take back: the person ticks the confirmation
        response = self.client.post(f"/penilaian/{appraisal_id}/aksi/{trigger}", data=data)
        text = response.get_data(as_text=True)
        assert response.status_code == expect, f"{trigger} as {self.who}: {response.status_code}\n{_errors(text)}"
        return self.page(appraisal_id) if expect == 302 else text

    def realise(self, appraisal_id: int, indicator: str, value: str, note: str = "",
                evidence: tuple[str, bytes] | None = None, expect: int = 302) -> str:
        """Record a realisation through the form, optionally with an evidence file."""
        data: dict[str, Any] = {"version": self.version(appraisal_id), "indicator": indicator, "value": value,
                                "note": note}
        if evidence is not None:
            from io import BytesIO

            data["evidence"] = (BytesIO(evidence[1]), evidence[0])
        response = self.client.post(f"/penilaian/{appraisal_id}/realisasi", data=data,
                                    content_type="multipart/form-data")
        text = response.get_data(as_text=True)
        assert response.status_code == expect, f"realisation {indicator} as {self.who}: {_errors(text)}"
        return text

    def save_skp(self, appraisal_id: int, rows: list[Mapping[str, str]], expect: int = 302) -> str:
        """Fill the SKP editor with ``rows`` (rhk, label, aspect, target, unit, weight) and save."""
        data: dict[str, str] = {"version": self.version(appraisal_id)}
        for n, row in enumerate(rows, start=1):
            for k in ("key", "rhk", "parent_rhk", "label", "aspect", "target", "unit", "weight"):
                data[f"iki-{n}-{k}"] = row.get(k, "")
        response = self.client.post(f"/penilaian/{appraisal_id}/skp", data=data)
        text = response.get_data(as_text=True)
        assert response.status_code == expect, f"SKP as {self.who}: {_errors(text)}"
        return text

    def develop(self, appraisal_id: int, title: str, jp: str, done: bool = False, expect: int = 302) -> str:
        data = {"title": title, "jp": jp}
        if done:
            data["done"] = "1"
        response = self.client.post(f"/penilaian/{appraisal_id}/pengembangan", data=data)
        text = response.get_data(as_text=True)
        assert response.status_code == expect, f"development as {self.who}: {_errors(text)}"
        return text


def _errors(page: str) -> str:
    """The messages of a refused step, to make a failing assertion readable."""
    found = re.findall(r'class="(?:error|flash[^"]*|alert[^"]*)"[^>]*>(.*?)<', page, re.S)
    return " | ".join(m.strip() for m in found if m.strip()) or page[:2000]


def behaviour(*overrides: tuple[str, str], default: str = SESUAI, prefix: str = "p-perilaku-") -> dict[str, str]:
    """The seven BerAKHLAK fields of a rating form, all ``default`` except the overrides."""
    values = {v: default for v in VALUES}
    values.update(dict(overrides))
    return {f"{prefix}{k}": v for k, v in values.items()}


def section(page: str, heading: str) -> str:
    """The text of the results card titled ``heading`` on the appraisal page."""
    start = page.index(f"<h3>{heading}</h3>")
    return page[start:page.index("</article>", start)]


@pytest.fixture
def app(app: Flask, tmp_path: Path) -> Flask:
    """The shared app, with evidence files stored in the test's own folder."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "bukti")
    return app


@pytest.fixture
def browser(client: FlaskClient) -> Browser:
    return Browser(client)


# -- feedback through the engine -----------------------------------------------------------------
def one_iki(label: str, target: str, unit: str, rhk: str, aspect: str = "kuantitas") -> list[dict[str, str]]:
    """An SKP of one IKI with all the weight, as typed into the editor."""
    return [{"rhk": rhk, "label": label, "aspect": aspect, "target": target, "unit": unit, "weight": "100"}]


def plan_approved(web: Browser, aid: int, employee: str, rater: str, rows: list[dict[str, str]]) -> None:
    """The employee writes and submits the SKP through the editor; the rater approves it."""
    web.login(employee).save_skp(aid, rows)
    web.fire(aid, "submit_plan")
    web.login(rater).fire(aid, "approve_plan")
