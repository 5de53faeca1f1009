"""Every value has an owner: who may record each indicator's realisation in every shipped cycle, and
what each stored value keeps about who supplied it.

The organisation (tests/support/factories.py): ani is appraised; kabid is her rater (pejabat
penilai), kadis the reviewer (atasan pejabat penilai); ``hr`` holds HR for her agency, ``hr_lain`` for
another agency; doni works elsewhere (a stranger to ani's appraisal).
"""

from __future__ import annotations

from importlib import resources

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.audit import verify_chain
from engine.errors import Forbidden, InvalidInput
from engine.models import Appraisal, AuditEvent, Indicator, Realisation
from engine.permissions import Actor
from engine.provenance import recording_roles, supply_of
from engine.registry import definition_of, publish_source
from engine.runs import launch
from engine.users import seed_grant
from tests.support.factories import Org, build_org
from tests.support.messages import said

PEOPLE = {"employee": "ani", "rater": "kabid", "reviewer": "kadis", "hr_of_the_unit": "hr",
          "hr_of_another_unit": "hr_lain", "stranger": "doni"}
OWN = "own IKI"  # the employee's own IKI in the SKP (skp.supplied_by)
SYSTEM = "system"  # fed by a system source (unit.ikm); typed by nobody

# Who records each indicator's realisation, as the cycle files and the agencies' write-ups say.
SUPPLIERS = [
    ("permenpan-6-2022.yaml", OWN, "employee"),
    ("amplas.yaml", "waktu_respons", "employee"),
    ("amplas.yaml", "kasus_selesai", "employee"),
    ("amplas.yaml", "kepuasan_masyarakat", SYSTEM),  # the service unit's IKM from the public survey
    ("amplas-v2.yaml", "waktu_respons", "employee"),
    ("amplas-v2.yaml", "penyelesaian_kasus", "employee"),
    ("amplas-v2.yaml", "kepuasan_masyarakat", SYSTEM),
    ("binjai.yaml", OWN, "employee"),
    ("binjai.yaml", "kepuasan_masyarakat", SYSTEM),
    ("bungo.yaml", OWN, "employee"),
    ("gorontalo.yaml", OWN, "employee"),
    ("solok.yaml", OWN, "employee"),
    ("solok.yaml", "pengaduan_masyarakat", "hr_of_the_unit"),  # proven complaints, verified by HR
]
TWO_OWN_IKI = [
    {"key": "iki_1", "label": "Berkas terverifikasi", "target": 100, "weight": 60, "aspect": "kuantitas"},
    {"key": "iki_2", "label": "Laporan tepat waktu", "target": 12, "weight": 40, "aspect": "waktu"},
]


def cycle_file(name: str) -> str:
    return resources.files("workflows").joinpath(name).read_text(encoding="utf-8")


def monitoring(session, org: Org, filename: str) -> int:
    """ani's appraisal of a shipped cycle, planned and approved: realisations are being recorded."""
    record = publish_source(session, cycle_file(filename), filename, org.actor("admin"))
    launch(session, record, org.bidang, "2026", org.actor("hr"))
    appraisal_id = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    if "employee_indicators: true" in cycle_file(filename):
        set_skp(session, appraisal_id, org.actor("ani"), TWO_OWN_IKI)
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"), {})
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"), {})
    return appraisal_id


@pytest.mark.parametrize(("filename", "indicator", "supplier"), SUPPLIERS,
                         ids=[f"{f.removesuffix('.yaml')}-{i.replace(' ', '_')}" for f, i, _ in SUPPLIERS])
def test_only_the_indicators_supplier_records_its_realisation(session, filename, indicator, supplier):
    org = build_org(session)
    appraisal_id = monitoring(session, org, filename)
    key = "iki_1" if indicator == OWN else indicator
    outcome = {}
    for who, username in PEOPLE.items():
        try:
            record_realisation(session, appraisal_id, org.actor(username), key, 1)
            outcome[who] = "recorded"
        except Forbidden as exc:
            outcome[who] = "refused"
            assert said(exc)["id"], f"{who}: a refusal says why in Bahasa Indonesia"
    expected = {who: "recorded" if who == supplier else "refused" for who in PEOPLE}
    assert outcome == expected
    # Each value recorded keeps who supplied it and as which role.
    rows = session.scalars(select(Realisation).where(Realisation.appraisal_id == appraisal_id)).all()
    assert [(r.indicator_key, r.recorded_by_id) for r in rows] == (
        [] if supplier == SYSTEM else [(key, org.users[PEOPLE[supplier]].id)])


def test_a_value_the_system_feeds_is_refused_naming_its_source(session):
    org = build_org(session)
    appraisal_id = monitoring(session, org, "amplas.yaml")
    with pytest.raises(Forbidden) as refused:
        record_realisation(session, appraisal_id, org.actor("ani"), "kepuasan_masyarakat", 100)
    assert said(refused.value) == {
        "id": "Realisasi «Tingkat kepuasan masyarakat (nilai IKM)» diisi oleh sistem dari IKM unit kerja dari survei "
              "kepuasan masyarakat; tidak seorang pun dapat mengetiknya.",
        "en": "The realisation of «Public satisfaction (IKM score)» is fed by the system from the unit's IKM from the "
              "public satisfaction survey; nobody may type it."}
    assert session.scalars(select(Realisation)).all() == []


def test_an_employee_cannot_set_their_own_complaint_count(session):
    org = build_org(session)
    appraisal_id = monitoring(session, org, "solok.yaml")
    with pytest.raises(Forbidden) as refused:
        record_realisation(session, appraisal_id, org.actor("ani"), "pengaduan_masyarakat", 0)
    assert said(refused.value)["id"] == (
        "Realisasi «Jumlah pengaduan masyarakat yang terbukti» hanya dapat dicatat oleh Pengelola Kinerja (SDM).")
    assert refused.value.details["supplied_by"] == ["sdm"]
    assert session.scalars(select(Realisation)).all() == []


def test_an_hr_officer_appraised_in_their_own_unit_does_not_supply_their_own_complaints(session):
    org = build_org(session)
    seed_grant(session, user_id=org.users["ani"].id, role="hr", unit_id=org.bidang.id)
    session.commit()
    appraisal_id = monitoring(session, org, "solok.yaml")
    ani = Actor.of(session.get(type(org.users["ani"]), org.users["ani"].id))
    with pytest.raises(Forbidden) as refused:
        record_realisation(session, appraisal_id, ani, "pengaduan_masyarakat", 0)
    assert said(refused.value)["id"].endswith(", bukan oleh pegawai yang dinilai.")
    # Her own IKI she records as herself.
    record_realisation(session, appraisal_id, ani, "iki_1", 90)


def test_a_realisation_keeps_its_supplier_and_the_audit_event_carries_everything(session):
    org = build_org(session)
    appraisal_id = monitoring(session, org, "solok.yaml")
    record_realisation(session, appraisal_id, org.actor("hr"), "pengaduan_masyarakat", 1, note="Kanal pengaduan")
    row = session.scalars(select(Realisation)).one()
    assert (row.supplied_role, row.source, row.recorded_by_id) == ("sdm", None, org.users["hr"].id)
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "realisation")).one()
    assert (event.role, event.actor_user_id) == ("sdm", org.users["hr"].id)
    assert event.payload == {"indicator": "pengaduan_masyarakat", "value": 1.0, "note": "Kanal pengaduan",
                             "role": "sdm", "source": None, "evidence": None}
    assert verify_chain(session).ok


def test_a_target_keeps_who_set_it_until_it_changes(session):
    org = build_org(session)
    record = publish_source(session, cycle_file("permenpan-6-2022.yaml"), "permenpan-6-2022.yaml", org.actor("admin"))
    launch(session, record, org.bidang, "2026", org.actor("hr"))
    appraisal_id = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    set_skp(session, appraisal_id, org.actor("ani"), TWO_OWN_IKI)
    first = {i.key: i.set_at for i in session.scalars(select(Indicator))}
    changed = [TWO_OWN_IKI[0], {**TWO_OWN_IKI[1], "target": 10}]
    set_skp(session, appraisal_id, org.actor("ani"), changed)
    session.expire_all()
    rows = {i.key: i for i in session.scalars(select(Indicator))}
    assert {k: (i.set_by_id, i.set_role) for k, i in rows.items()} == {
        "iki_1": (org.users["ani"].id, "pegawai"), "iki_2": (org.users["ani"].id, "pegawai")}
    assert rows["iki_1"].set_at == first["iki_1"]  # unchanged target: still set when first written
    assert rows["iki_2"].set_at > first["iki_2"]
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "skp").order_by(AuditEvent.seq.desc())).first()
    assert event.role == "pegawai" and event.payload["role"] == "pegawai"
    assert [(i["key"], i["target"], i["set_role"]) for i in event.payload["skp"]] == [
        ("iki_1", 100.0, "pegawai"), ("iki_2", 10.0, "pegawai")]
    # Nobody else writes the plan, and the rater may not set it while the employee drafts.
    with pytest.raises(Forbidden) as refused:
        set_skp(session, appraisal_id, org.actor("kabid"), TWO_OWN_IKI)
    assert said(refused.value)["id"] == "Pada tahap «Penyusunan SKP» SKP hanya dapat diubah oleh Pegawai."


def test_a_fixed_indicators_target_is_the_cycles(session):
    org = build_org(session)
    record = publish_source(session, cycle_file("solok.yaml"), "solok.yaml", org.actor("admin"))
    launch(session, record, org.bidang, "2026", org.actor("hr"))
    appraisal_id = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    with pytest.raises(InvalidInput) as refused:
        set_skp(session, appraisal_id, org.actor("ani"), [
            {"key": "pengaduan_masyarakat", "label": "Pengaduan", "target": 10, "weight": 100}])
    assert "targetnya ditetapkan dalam berkas siklus" in said(refused.value)["id"]
    assert session.scalars(select(Indicator)).all() == []


def test_who_may_record_each_indicator_in_each_state_is_known_without_a_person(session):
    org = build_org(session)
    solok = definition_of(publish_source(session, cycle_file("solok.yaml"), "solok.yaml", org.actor("admin")))
    amplas = definition_of(publish_source(session, cycle_file("amplas.yaml"), "amplas.yaml", org.actor("admin")))
    assert recording_roles(solok, "monitor", supply_of(solok, "pengaduan_masyarakat")) == ("sdm",)
    assert recording_roles(solok, "monitor", supply_of(solok, "iki_1", "Berkas")) == ("pegawai",)
    assert recording_roles(solok, "rate", supply_of(solok, "pengaduan_masyarakat")) == ()
    assert recording_roles(amplas, "monitor", supply_of(amplas, "kepuasan_masyarakat")) == ()
    assert supply_of(amplas, "kepuasan_masyarakat").system == "unit.ikm"
