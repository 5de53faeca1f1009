"""`POST /api/v1/definitions` takes the owner of a cycle saved for the first time, as the HR upload form does:
one of the units the caller's HR grants cover (or the whole organisation for HR over it), the form's default
when none is given, a forged or out-of-scope owner refused with the form's code, and a new version keeps its
cycle's owner."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import CycleDefinitionRecord
from engine.users import seed_grant
from tests.engine.test_ownership import _own_cycle

CHOICES_ID = "Pemilik siklus baru dipilih dari unit yang Anda awasi sebagai SDM: Dinas Kependudukan atau Dinas Lain."


@pytest.fixture
def two_units(session, org):
    """hr (HR of DINAS) is also given HR of LAIN, a dinas beside it."""
    seed_grant(session, user_id=org.users["hr"].id, role="hr", unit_id=org.other.id)
    session.commit()
    return org


def owners(session, cycle_id: str = "kinerja-dinas") -> list[int | None]:
    session.rollback()
    return list(session.scalars(select(CycleDefinitionRecord.owner_unit_id)
                                .where(CycleDefinitionRecord.cycle_id == cycle_id)
                                .order_by(CycleDefinitionRecord.version)))


def test_the_chosen_unit_owns_the_cycle_and_its_next_versions(client, token, session, two_units):
    hr = token("hr")
    saved = client.post("/api/v1/definitions", headers=hr, json={"source": _own_cycle(), "owner": "LAIN"})
    assert saved.status_code == 201, saved.json
    assert saved.json["owner_unit_id"] == two_units.other.id
    assert owners(session) == [two_units.other.id]
    again = client.post("/api/v1/definitions", headers=hr, json={"source": _own_cycle(2), "owner": "DINAS"})
    assert again.status_code == 201 and again.json["owner_unit_id"] == two_units.other.id
    assert owners(session) == [two_units.other.id, two_units.other.id]
    shown = client.get(f"/api/v1/definitions/{saved.json['id']}", headers=hr).json
    assert shown["owner_unit_id"] == two_units.other.id


def test_a_unit_may_be_named_by_its_id_too(client, token, session, two_units):
    saved = client.post("/api/v1/definitions", headers=token("hr"),
                        json={"source": _own_cycle(), "owner": str(two_units.other.id)})
    assert saved.status_code == 201 and owners(session) == [two_units.other.id]


def test_without_an_owner_the_cycle_gets_the_forms_default(client, token, session, two_units):
    saved = client.post("/api/v1/definitions", headers=token("hr"), json={"source": _own_cycle()})
    assert saved.status_code == 201 and saved.json["owner_unit_id"] == two_units.dinas.id


def test_an_unscoped_grant_gives_a_cycle_to_the_whole_organisation_only(client, token, session, org):
    admin = token("admin")
    unit = client.post("/api/v1/definitions", headers=admin, json={"source": _own_cycle(), "owner": "BIDANG"})
    assert unit.status_code == 403 and unit.json["code"] == "access.owner_not_yours"
    whole = client.post("/api/v1/definitions", headers=admin, json={"source": _own_cycle(), "owner": None})
    assert whole.status_code == 201 and whole.json["owner_unit_id"] is None
    assert owners(session) == [None]


@pytest.mark.parametrize("forged", ["PEMDA", "BIDANG", "ENTAH", "999999", "-1", None])
def test_a_forged_or_out_of_scope_owner_is_refused_with_the_forms_code(client, token, session, two_units, forged):
    response = client.post("/api/v1/definitions", headers=token("hr"), json={"source": _own_cycle(), "owner": forged})
    assert response.status_code == 403, response.json
    assert response.json["code"] == "access.owner_not_yours"
    assert response.json["text"]["id"].startswith(CHOICES_ID)
    assert "Dinas Kependudukan or Dinas Lain" in response.json["text"]["en"]
    assert owners(session) == []


@pytest.mark.parametrize("value", [12, ["DINAS"], {"unit": "DINAS"}, "x" * 65])
def test_an_owner_that_is_not_a_code_is_a_422(client, token, session, two_units, value):
    response = client.post("/api/v1/definitions", headers=token("hr"), json={"source": _own_cycle(), "owner": value})
    assert response.status_code == 422 and owners(session) == []


def test_validating_a_file_takes_no_owner(client, token, two_units):
    response = client.post("/api/v1/definitions/validate", headers=token("hr"),
                           json={"source": _own_cycle(), "owner": "LAIN"})
    assert response.status_code == 422
