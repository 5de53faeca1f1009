"""The cascade through the API: the appraisal names the leader's RHK each IKI supports and the roll-up of
a leader's RHK; the leader sets a team member's IKI (``as_leader``) and records the behaviour expectations;
a stranger cannot, an unknown value is a 422 problem."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.appraisals import set_skp
from engine.models import Indicator

LEADER_SKP = [
    {"key": "iki_1", "rhk": "Meningkatnya layanan adminduk", "label": "Indeks kepuasan layanan", "target": 100},
]


@pytest.fixture
def leader_iki(session, logins, appraisal_of):
    """kabid's written SKP; the id of its IKI."""
    set_skp(session, appraisal_of("kabid").id, logins.actor("kabid"), LEADER_SKP)
    return session.scalars(select(Indicator.id).where(Indicator.appraisal_id == appraisal_of("kabid").id)).one()


def test_the_api_shows_the_cascade_and_takes_the_leaders_edits(client, token, appraisal_of, leader_iki):
    ani = appraisal_of("ani")
    body = {"as_leader": True, "items": [{"label": "KTP-el terbit", "target": 75, "parent_id": leader_iki}]}
    response = client.put(f"/api/v1/appraisals/{ani.id}/indicators", headers=token("kabid"), json=body)
    assert response.status_code == 200, response.json
    assert response.json["indicators"][0]["parent_id"] == leader_iki
    assert response.json["cascade"]["supports"]["iki_1"]["leader"] == "Hendra Wijaya"
    refused = client.put(f"/api/v1/appraisals/{ani.id}/indicators", headers=token("doni"), json=body)
    assert refused.status_code == 403
    response = client.put(f"/api/v1/appraisals/{ani.id}/expectations", headers=token("kabid"),
                          json={"expectations": {"loyal": "Menjaga rahasia negara."}})
    assert response.status_code == 200
    assert {e["value"]: e["text"] for e in response.json["cascade"]["expectations"]}["loyal"] == \
        "Menjaga rahasia negara."
    unknown = client.put(f"/api/v1/appraisals/{ani.id}/expectations", headers=token("kabid"),
                         json={"expectations": {"jujur": "Selalu."}})
    assert unknown.status_code == 422 and "jujur" in unknown.json["detail"]
    leader = client.get(f"/api/v1/appraisals/{appraisal_of('kabid').id}", headers=token("kabid")).json
    assert [(r["key"], [s["employee"] for s in r["supporters"]]) for r in leader["cascade"]["rollups"]] == [
        ("iki_1", ["Ani Lestari"])]


def test_the_employee_cannot_rewrite_the_leaders_iki_through_the_api(client, token, appraisal_of, leader_iki,
                                                                     session):
    ani = appraisal_of("ani")
    item = {"key": "iki_1", "label": "KTP-el terbit", "target": 75, "parent_id": leader_iki}
    set_by_leader = client.put(f"/api/v1/appraisals/{ani.id}/indicators", headers=token("kabid"),
                               json={"as_leader": True, "items": [item]})
    assert set_by_leader.status_code == 200
    changed = client.put(f"/api/v1/appraisals/{ani.id}/indicators", headers=token("ani"),
                         json={"items": [{**item, "target": 5}]})
    assert changed.status_code == 403, changed.json
    assert changed.json["code"] == "skp.leader_iki_changed"
    assert changed.json["text"]["en"].startswith("IKI «KTP-el terbit» was set by the leader, Hendra Wijaya")
    removed = client.put(f"/api/v1/appraisals/{ani.id}/indicators", headers=token("ani"), json={"items": []})
    assert removed.status_code == 403 and removed.json["code"] == "skp.leader_iki_removed"
    # Claiming to be the leader does not make one.
    forged = client.put(f"/api/v1/appraisals/{ani.id}/indicators", headers=token("ani"),
                        json={"as_leader": True, "items": [{**item, "target": 5}]})
    assert forged.status_code == 403
    session.expire_all()
    assert session.scalars(select(Indicator.target).where(Indicator.appraisal_id == ani.id)).all() == [75]
