"""The cascade of results (matriks peran hasil) and the leader's behaviour expectations.

The organisation (tests/support/factories.py): kadis heads the dinas; kabid heads the bidang under it and
is the rater (pejabat penilai) of ani and budi; doni works in another dinas. The leader writes their
SKP, the subordinates' RHK support it by id (intervensi), and the achievement rolls up.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition, record_realisation, set_skp, set_team_skp
from engine.audit import verify_chain
from engine.cascade import link_targets, rollups, supported, unit_tree
from engine.errors import Forbidden, InvalidInput
from engine.expectations import expectations_of, set_expectations
from engine.models import Appraisal, AuditEvent, Indicator
from engine.policy import Policy
from engine.runs import find_unit, launch
from tests.support.messages import said

LEADER_SKP = [
    {"key": "iki_1", "rhk": "Meningkatnya layanan administrasi kependudukan", "label": "Indeks kepuasan layanan",
     "aspect": "kualitas", "target": 100, "unit": "%"},
    {"key": "iki_2", "rhk": "Tersusunnya laporan kinerja bidang", "label": "Laporan tepat waktu", "target": 4},
]


def appraisal_id(session, org, who: str, period: str = "2026") -> int:
    return session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people[who].id,
                                                      Appraisal.period == period)).one()


def leader_iki(session, org, who: str = "kabid", key: str = "iki_1") -> int:
    return session.scalars(select(Indicator.id).where(Indicator.appraisal_id == appraisal_id(session, org, who),
                                                      Indicator.key == key)).one()


def own_iki(key: str, parent_id: int | None, target: float = 100, rhk: str = "Layanan KTP-el") -> dict:
    return {"key": key, "rhk": rhk, "label": f"IKI {key}", "target": target, "parent_id": parent_id}


@pytest.fixture
def planned(session, org, national):
    """The dinas launched; kabid (the leader) has written an SKP of two RHK."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    set_skp(session, appraisal_id(session, org, "kabid"), org.actor("kabid"), LEADER_SKP)
    return org


def monitor(session, org, who: str) -> int:
    aid = appraisal_id(session, org, who)
    fire_transition(session, aid, "submit_plan", org.actor(who))
    fire_transition(session, aid, "approve_plan", org.actor("kabid"))
    return aid


def test_a_leaders_rhk_with_three_linked_subordinate_rhk_shows_the_rolled_up_achievement(session, fresh_session,
                                                                                          planned):
    org = planned
    target = leader_iki(session, org)
    set_skp(session, appraisal_id(session, org, "ani"), org.actor("ani"),
            [own_iki("iki_1", target), own_iki("iki_2", target, rhk="Layanan akta")])
    set_skp(session, appraisal_id(session, org, "budi"), org.actor("budi"), [own_iki("iki_1", target)])
    ani, budi = monitor(session, org, "ani"), monitor(session, org, "budi")
    record_realisation(session, ani, org.actor("ani"), "iki_1", 90)
    record_realisation(session, ani, org.actor("ani"), "iki_2", 110)
    record_realisation(session, budi, org.actor("budi"), "iki_1", 80)

    rolled = rollups(fresh_session(), appraisal_id(session, org, "kabid"))
    assert set(rolled) == {"iki_1"}
    up = rolled["iki_1"]
    assert [(s.employee, s.key, s.achievement) for s in up.supporters] == [
        ("Ani Lestari", "iki_1", 90.0), ("Ani Lestari", "iki_2", 110.0), ("Budi Santoso", "iki_1", 80.0)]
    assert up.terms == (90.0, 110.0, 80.0) and up.waiting == 0
    assert up.achievement == pytest.approx((90 + 110 + 80) / 3, abs=0.01)
    assert verify_chain(session).ok


def test_a_supporter_without_realisation_waits_and_is_not_counted(session, planned):
    org = planned
    target = leader_iki(session, org)
    set_skp(session, appraisal_id(session, org, "ani"), org.actor("ani"), [own_iki("iki_1", target)])
    set_skp(session, appraisal_id(session, org, "budi"), org.actor("budi"), [own_iki("iki_1", target)])
    record_realisation(session, monitor(session, org, "ani"), org.actor("ani"), "iki_1", 120)
    up = rollups(session, appraisal_id(session, org, "kabid"))["iki_1"]
    assert (up.terms, up.waiting, up.achievement) == ((120.0,), 1, 120.0)


def test_the_link_survives_a_reload_and_the_leader_keeps_their_ids_when_editing(session, fresh_session, planned):
    org = planned
    target = leader_iki(session, org)
    ani = appraisal_id(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), [own_iki("iki_1", target)])
    # The leader rewrites the text and target of their RHK: the row (and the link to it) stays.
    set_skp(session, appraisal_id(session, org, "kabid"), org.actor("kabid"),
            [{**LEADER_SKP[0], "target": 95}, LEADER_SKP[1]])
    shown = supported(fresh_session(), ani)["iki_1"]
    assert (shown.indicator_id, shown.leader, shown.rhk) == (
        target, "Hendra Wijaya", "Meningkatnya layanan administrasi kependudukan")
    assert leader_iki(fresh_session(), org) == target
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == ani, AuditEvent.kind == "skp")).one()
    assert event.payload["skp"][0]["parent_id"] == target
    assert verify_chain(session).ok


def test_old_free_text_links_are_still_read(session, planned):
    org = planned
    ani = appraisal_id(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), [{"key": "iki_1", "label": "Berkas", "target": 1,
                                              "parent_rhk": "Pelayanan adminduk prima"}])
    shown = supported(session, ani)["iki_1"]
    assert (shown.indicator_id, shown.legacy_text) == (None, "Pelayanan adminduk prima")


def test_the_leader_sets_iki_for_a_subordinate_at_planning(session, planned):
    org = planned
    target = leader_iki(session, org)
    ani = appraisal_id(session, org, "ani")
    set_team_skp(session, ani, org.actor("kabid"), [own_iki("iki_1", target, target=50)])
    row = session.scalars(select(Indicator).where(Indicator.appraisal_id == ani)).one()
    assert (row.parent_id, row.target, row.set_by_id, row.set_role) == (target, 50, org.users["kabid"].id, "penilai")
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == ani,
                                                     AuditEvent.kind == "cascade")).one()
    assert (event.role, event.actor_user_id) == ("penilai", org.users["kabid"].id)
    assert verify_chain(session).ok


@pytest.mark.parametrize(("who", "allowed"), [
    ("kabid", True),     # the rater (direct supervisor)
    ("kadis", False),    # the rater's supervisor
    ("doni", False),     # a stranger
    ("hr", False),       # HR oversees but sets nobody's IKI
    ("ani", False),      # the employee drafts with set_skp, not as a leader
])
def test_who_may_set_iki_for_the_team(session, planned, who, allowed):
    org = planned
    ani = appraisal_id(session, org, "ani")
    items = [own_iki("iki_1", None)]
    if allowed:
        set_team_skp(session, ani, org.actor(who), items)
        assert session.scalars(select(Indicator.key).where(Indicator.appraisal_id == ani)).all() == ["iki_1"]
    else:
        with pytest.raises(Forbidden) as refused:
            set_team_skp(session, ani, org.actor(who), items)
        assert said(refused.value)["en"].endswith("may only be changed by Rater (direct supervisor).")
        assert session.scalars(select(Indicator).where(Indicator.appraisal_id == ani)).all() == []


def test_the_leader_may_not_set_iki_once_the_plan_is_approved(session, planned):
    org = planned
    ani = appraisal_id(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), [own_iki("iki_1", None)])
    monitor(session, org, "ani")
    with pytest.raises(Forbidden):
        set_team_skp(session, ani, org.actor("kabid"), [own_iki("iki_1", None, target=1)])


def test_a_link_to_someone_who_is_not_the_supervisor_is_refused_whole(session, planned):
    org = planned
    ani = appraisal_id(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), [own_iki("iki_1", None)])
    set_skp(session, appraisal_id(session, org, "kadis"), org.actor("kadis"), LEADER_SKP)
    with pytest.raises(InvalidInput) as refused:
        set_skp(session, ani, org.actor("ani"), [own_iki("iki_1", None, target=7),
                                                 own_iki("iki_2", leader_iki(session, org, "kadis"))])
    assert said(refused.value)["id"] == (
        "IKI «IKI iki_2»: RHK yang didukung harus milik pejabat penilai (atasan langsung) pegawai.")
    rows = session.scalars(select(Indicator).where(Indicator.appraisal_id == ani)).all()
    assert [(r.key, r.target) for r in rows] == [("iki_1", 100)]  # nothing half-written


def test_a_link_to_another_period_is_refused(session, planned, national):
    org = planned
    launch(session, national, find_unit(session, "BIDANG"), "2027", org.actor("hr"))
    later = appraisal_id(session, org, "kabid", "2027")
    set_skp(session, later, org.actor("kabid"), LEADER_SKP)
    next_year = session.scalars(select(Indicator.id).where(Indicator.appraisal_id == later,
                                                           Indicator.key == "iki_1")).one()
    with pytest.raises(InvalidInput) as refused:
        set_skp(session, appraisal_id(session, org, "ani"), org.actor("ani"), [own_iki("iki_1", next_year)])
    assert "periode 2027" in said(refused.value)["id"]


def test_a_link_that_makes_a_loop_is_refused(session, planned):
    org = planned
    kabid = appraisal_id(session, org, "kabid")
    own = leader_iki(session, org, "kabid", "iki_2")
    with pytest.raises(InvalidInput) as refused:
        set_skp(session, kabid, org.actor("kabid"), [{**LEADER_SKP[0], "parent_id": own}, LEADER_SKP[1]])
    assert "lingkaran" in said(refused.value)["id"]
    # Through the org chart: ani's RHK supports kabid's; kabid (were ani their supervisor) may not support it back.
    ani = appraisal_id(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), [own_iki("iki_1", leader_iki(session, org))])
    org.people["kabid"].supervisor_id = org.people["ani"].id
    session.commit()
    ani_iki = session.scalars(select(Indicator.id).where(Indicator.appraisal_id == ani)).one()
    with pytest.raises(InvalidInput) as refused:
        set_skp(session, kabid, org.actor("kabid"), [{**LEADER_SKP[0], "parent_id": ani_iki}, LEADER_SKP[1]])
    assert said(refused.value)["en"] == (
        "IKI «Indeks kepuasan layanan»: this link makes a loop (an RHK that supports itself).")


def test_an_unknown_rhk_id_is_refused(session, planned):
    org = planned
    with pytest.raises(InvalidInput) as refused:
        set_skp(session, appraisal_id(session, org, "ani"), org.actor("ani"), [own_iki("iki_1", 999999)])
    assert said(refused.value)["en"] == "IKI «IKI iki_1»: the leader's RHK #999999 does not exist."


def test_a_leaders_rhk_that_staff_support_cannot_be_removed(session, planned):
    org = planned
    set_skp(session, appraisal_id(session, org, "ani"), org.actor("ani"), [own_iki("iki_1", leader_iki(session, org))])
    with pytest.raises(InvalidInput) as refused:
        set_skp(session, appraisal_id(session, org, "kabid"), org.actor("kabid"), [LEADER_SKP[1]])
    assert "Ani Lestari" in said(refused.value)["id"]
    assert len(session.scalars(select(Indicator).where(
        Indicator.appraisal_id == appraisal_id(session, org, "kabid"))).all()) == 2


def test_an_iki_lists_the_supervisors_rhk_of_the_same_period(session, planned):
    org = planned
    ani = session.get(Appraisal, appraisal_id(session, org, "ani"))
    assert [(t.leader, t.label) for t in link_targets(session, ani)] == [
        ("Hendra Wijaya", "Indeks kepuasan layanan"), ("Hendra Wijaya", "Laporan tepat waktu")]


def test_the_unit_tree_is_for_its_head_and_hr(session, planned):
    org = planned
    set_skp(session, appraisal_id(session, org, "ani"), org.actor("ani"), [own_iki("iki_1", leader_iki(session, org))])
    set_skp(session, appraisal_id(session, org, "budi"), org.actor("budi"), [own_iki("iki_1", None)])
    bidang = find_unit(session, "BIDANG").id
    for who in ("kabid", "kadis", "hr", "admin"):
        tree = unit_tree(session, Policy(session, org.actor(who)), bidang)
        assert tree.period == "2026"
        assert [(r.employee, r.key) for r in tree.roots] == [("Hendra Wijaya", "iki_1"), ("Hendra Wijaya", "iki_2")]
        assert [(c.employee, c.key) for c in tree.roots[0].children] == [("Ani Lestari", "iki_1")]
        assert [(u.employee, u.key) for u in tree.unlinked] == [("Budi Santoso", "iki_1")]
    for who in ("ani", "doni", "hr_lain"):
        with pytest.raises(Forbidden):
            unit_tree(session, Policy(session, org.actor(who)), bidang)


def test_the_rater_records_behaviour_expectations_at_planning(session, fresh_session, planned):
    org = planned
    ani = appraisal_id(session, org, "ani")
    set_expectations(session, ani, org.actor("kabid"), {"akuntabel": "  Laporan keuangan tanpa temuan. ",
                                                        "kolaboratif": "Aktif di tim lintas bidang."})
    shown = {e.value: e.text for e in expectations_of(fresh_session().get(Appraisal, ani))}
    assert list(shown)[:2] == ["berorientasi_pelayanan", "akuntabel"] and len(shown) == 7
    assert (shown["akuntabel"], shown["kolaboratif"], shown["loyal"]) == (
        "Laporan keuangan tanpa temuan.", "Aktif di tim lintas bidang.", "")
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "expectation")).one()
    assert (event.role, event.payload["ekspektasi"]["akuntabel"]) == ("penilai", "Laporan keuangan tanpa temuan.")
    assert verify_chain(session).ok
    set_expectations(session, ani, org.actor("kabid"), {})
    assert all(e.text == "" for e in expectations_of(fresh_session().get(Appraisal, ani)))
    assert verify_chain(session).ok


def test_a_forged_expectation_is_named_by_audit_verify(session, planned):
    org = planned
    ani = appraisal_id(session, org, "ani")
    set_expectations(session, ani, org.actor("kabid"), {"akuntabel": "Tepat waktu."})
    row = session.get(Appraisal, ani)
    row.data = {**row.data, "ekspektasi_pimpinan": {"akuntabel": "Apa saja."}}
    session.commit()
    report = verify_chain(session)
    assert not report.ok
    assert any("ekspektasi_pimpinan" in p for p in map(str, report.problems))


def test_an_expectation_for_an_unknown_value_is_refused_and_nothing_is_written(session, planned):
    org = planned
    ani = appraisal_id(session, org, "ani")
    with pytest.raises(InvalidInput) as refused:
        set_expectations(session, ani, org.actor("kabid"), {"akuntabel": "Tepat waktu.", "jujur": "Selalu."})
    assert said(refused.value)["id"].startswith("Nilai BerAKHLAK tidak dikenal: jujur.")
    assert "ekspektasi_pimpinan" not in (session.get(Appraisal, ani).data or {})


@pytest.mark.parametrize("who", ["ani", "kadis", "doni", "hr"])
def test_only_the_rater_records_expectations(session, planned, who):
    org = planned
    with pytest.raises(Forbidden):
        set_expectations(session, appraisal_id(session, org, "ani"), org.actor(who), {"akuntabel": "Tepat waktu."})


# -- the leader's IKI is the leader's ------------------------------------------------------------------

def _leader_set(session, org) -> tuple[int, dict]:
    """kabid sets ani's IKI at planning (the matriks peran hasil): the item as the leader wrote it."""
    ani = appraisal_id(session, org, "ani")
    item = {**own_iki("iki_1", leader_iki(session, org), target=50), "unit": "berkas", "aspect": "kuantitas"}
    set_team_skp(session, ani, org.actor("kabid"), [item])
    return ani, item


@pytest.mark.parametrize(("field", "value"), [
    ("target", 10), ("label", "IKI yang lebih mudah"), ("rhk", "RHK lain"), ("unit", "lembar"),
    ("aspect", "waktu"), ("parent_id", None),
])
def test_the_employee_may_not_change_what_the_leader_set(session, planned, field, value):
    org = planned
    ani, item = _leader_set(session, org)
    with pytest.raises(Forbidden) as refused:
        set_skp(session, ani, org.actor("ani"), [{**item, field: value}])
    text = said(refused.value)
    assert text["id"].startswith("IKI «IKI iki_1» ditetapkan oleh pimpinan, Hendra Wijaya (")
    assert "hanya dapat diubah oleh pimpinan" in text["id"] and "tambahkan IKI Anda sendiri" in text["id"]
    assert "Propose the change to Hendra Wijaya" in text["en"]
    assert "(Pejabat Penilai Kinerja)" in text["id"] and "(Rater (direct supervisor))" in text["en"]
    row = session.scalars(select(Indicator).where(Indicator.appraisal_id == ani)).one()
    assert (row.target, row.label, row.set_role) == (50, "IKI iki_1", "penilai")


def test_the_employee_may_not_remove_the_leaders_iki_but_may_add_their_own(session, planned):
    org = planned
    ani, item = _leader_set(session, org)
    with pytest.raises(Forbidden) as refused:
        set_skp(session, ani, org.actor("ani"), [own_iki("iki_2", None)])
    assert "hanya pimpinan yang dapat menghapusnya" in said(refused.value)["id"]
    # Their own IKI beside the leader's, in any order: the leader's stays the leader's.
    set_skp(session, ani, org.actor("ani"), [own_iki("iki_2", None, target=7), item])
    session.expire_all()
    rows = {r.key: r for r in session.scalars(select(Indicator).where(Indicator.appraisal_id == ani))}
    assert {k: (r.target, r.set_role, r.position) for k, r in rows.items()} == {
        "iki_1": (50, "penilai", 2), "iki_2": (7, "pegawai", 1)}
    # The employee's own IKI is theirs to change and remove.
    set_skp(session, ani, org.actor("ani"), [item])
    assert session.scalars(select(Indicator.key).where(Indicator.appraisal_id == ani)).all() == ["iki_1"]
    assert verify_chain(session).ok


def test_the_leader_still_changes_and_removes_their_iki(session, planned):
    org = planned
    ani, item = _leader_set(session, org)
    set_team_skp(session, ani, org.actor("kabid"), [{**item, "target": 60}])
    assert session.scalars(select(Indicator.target).where(Indicator.appraisal_id == ani)).one() == 60
    set_team_skp(session, ani, org.actor("kabid"), [own_iki("iki_2", None)])
    assert session.scalars(select(Indicator.key).where(Indicator.appraisal_id == ani)).all() == ["iki_2"]


def test_a_leader_who_changes_the_employees_iki_makes_it_theirs(session, planned):
    org = planned
    ani = appraisal_id(session, org, "ani")
    mine = own_iki("iki_1", None, target=5)
    set_skp(session, ani, org.actor("ani"), [mine])
    set_team_skp(session, ani, org.actor("kabid"), [{**mine, "label": "Berkas terverifikasi"}])
    with pytest.raises(Forbidden):
        set_skp(session, ani, org.actor("ani"), [mine])
    row = session.scalars(select(Indicator).where(Indicator.appraisal_id == ani)).one()
    assert (row.label, row.set_by_id) == ("Berkas terverifikasi", org.users["kabid"].id)
