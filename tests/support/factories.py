"""Small, readable test organisations.

PEMDA (root) > DINAS (agency) > BIDANG (division); kadis heads DINAS and supervises kabid; kabid
supervises the staff ani and budi; sekda supervises kadis. An HR officer holds HR for DINAS; doni
works in another agency, outside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from sqlalchemy.orm import Session

from engine.chart import seed_chart
from engine.models import CycleDefinitionRecord, Employee, OrgUnit, User
from engine.permissions import Actor
from engine.registry import publish_source
from engine.users import seed_grant


@dataclass
class Org:
    root: OrgUnit
    dinas: OrgUnit
    bidang: OrgUnit
    other: OrgUnit
    people: dict[str, Employee]
    users: dict[str, User]

    def actor(self, username: str) -> Actor:
        return Actor.of(self.users[username])


def _nip(n: int) -> str:
    return f"19800101200501{1000 + n:04d}"


def build_org(session: Session) -> Org:
    root = OrgUnit(code="PEMDA", name="Pemerintah Daerah", public_slug="pemda")
    session.add(root)
    session.flush()
    dinas = OrgUnit(code="DINAS", name="Dinas Kependudukan", parent_id=root.id, public_slug="dinas")
    other = OrgUnit(code="LAIN", name="Dinas Lain", parent_id=root.id, public_slug="lain")
    session.add_all([dinas, other])
    session.flush()
    bidang = OrgUnit(code="BIDANG", name="Bidang Pelayanan", parent_id=dinas.id, public_slug="bidang")
    session.add(bidang)
    session.flush()
    people: dict[str, Employee] = {}

    def person(key: str, name: str, unit: OrgUnit, boss: str | None, position: str, level: str | None = None) -> None:
        e = Employee(nip=_nip(len(people) + 1), name=name, position=position, position_level=level, unit_id=unit.id,
                     supervisor_id=people[boss].id if boss else None, email=f"{key}@example.go.id")
        session.add(e)
        session.flush()
        people[key] = e

    person("sekda", "Sekretaris Daerah", root, None, "Sekretaris Daerah")
    person("kadis", "Kartika Kusuma", dinas, "sekda", "Kepala Dinas")
    person("kabid", "Hendra Wijaya", bidang, "kadis", "Kepala Bidang")
    person("ani", "Ani Lestari", bidang, "kabid", "Analis Kebijakan Ahli Pertama", "Ahli Pertama")
    person("budi", "Budi Santoso", bidang, "kabid", "Pranata Komputer Terampil", "Terampil")
    person("doni", "Doni Harahap", other, "sekda", "Analis Kebijakan")
    users: dict[str, User] = {}
    for key, e in people.items():
        users[key] = User(username=key, display_name=e.name, employee_id=e.id, password_hash="x")
    users["hr"] = User(username="hr", display_name="Pengelola Kinerja", password_hash="x")
    users["hr_lain"] = User(username="hr_lain", display_name="SDM Dinas Lain", password_hash="x")
    users["admin"] = User(username="admin", display_name="Admin", password_hash="x")
    session.add_all(users.values())
    session.flush()
    seed_chart(session)
    seed_grant(session, user_id=users["hr"].id, role="hr", unit_id=dinas.id)
    seed_grant(session, user_id=users["hr_lain"].id, role="hr", unit_id=other.id)
    seed_grant(session, user_id=users["admin"].id, role="admin")
    session.commit()
    for u in users.values():
        session.refresh(u)
    return Org(root, dinas, bidang, other, people, users)


def record_chart(session: Session) -> None:
    """The test changed units or employees directly, as an import of the organisation would: record the chart in
    the system chain as an import does (engine.chart.seed_chart), so ``verify`` holds it to the change. Commits."""
    seed_chart(session)
    session.commit()


def add_pemda_hr(session: Session, org: Org, username: str = "bkpsdm") -> User:
    """HR of the whole pemda (a grant on PEMDA, the root): the organisation above DINAS, which records DINAS's
    organisation predicate (HR whose grant is on DINAS itself may not, engine.policy). Logs in as ``hr`` does."""
    user = User(username=username, display_name="BKPSDM Pemerintah Daerah", password_hash=org.users["hr"].password_hash)
    session.add(user)
    session.flush()
    seed_grant(session, user_id=user.id, role="hr", unit_id=org.root.id)
    session.commit()
    session.refresh(user)
    org.users[username] = user
    return user


def add_regent(session: Session, org: Org, password_hash: str = "x") -> None:
    """The regent's account ``bupati`` (no employee record: the Sekda's superior, outside the chart) and
    ``hr_pemda``, HR of the whole government (a grant on PEMDA, the root), both in ``org.users``."""
    bupati = User(username="bupati", display_name="Bupati Siklus Raya", password_hash=password_hash)
    hr_pemda = User(username="hr_pemda", display_name="SDM Pemda", password_hash=password_hash)
    session.add_all([bupati, hr_pemda])
    session.flush()
    seed_grant(session, user_id=hr_pemda.id, role="hr", unit_id=org.root.id)
    session.commit()
    for user in (bupati, hr_pemda):
        session.refresh(user)
        org.users[user.username] = user


def national_source() -> str:
    return resources.files("workflows").joinpath("permenpan-6-2022.yaml").read_text(encoding="utf-8")


def publish_national(session: Session, org: Org) -> CycleDefinitionRecord:
    return publish_source(session, national_source(), "permenpan-6-2022.yaml", org.actor("admin"))
