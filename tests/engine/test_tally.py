"""The appraisal tally reports count from stays equal to a recount of the appraisals through every way an
appraisal, its predicate, its employee or the organisation changes, on both databases; a tally that differs is
named by the check and repaired by the rebuild."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text, update

from engine.access import hr_scope
from engine.appraisals import fire_transition
from engine.bulk import fire_in_bulk
from engine.models import (
    Appraisal,
    AppraisalTally,
    AuditEvent,
    CycleRun,
    Employee,
    Indicator,
    IndicatorTally,
    OrgUnit,
    OrgUnitAncestor,
    OverdueTally,
    Result,
)
from engine.reports import overdue_work, report_filter
from engine.runs import close_appraisal, launch, transfer_employee
from engine.tallies import check, rebuild, run_overdue, run_states
from tests.support.states import PATH, drive

PREDICATES = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]


def counted(session, unit_id: int, *, own: bool | None = None) -> dict[str, int]:
    """The tally's open appraisals at a unit per predicate ('' none), with the units below unless ``own``."""
    stmt = (select(AppraisalTally.predicate, func.sum(AppraisalTally.appraisals))
            .where(AppraisalTally.unit_id == unit_id).group_by(AppraisalTally.predicate))
    if own:
        stmt = stmt.where(AppraisalTally.own == 1)
    return {p: int(n) for p, n in session.execute(stmt) if n}


def remove(session, appraisal_id: int) -> None:
    """Delete an appraisal outright (its audit events first: they are the only rows not removed with it)."""
    session.execute(delete(AuditEvent).where(AuditEvent.appraisal_id == appraisal_id))
    session.execute(delete(Appraisal).where(Appraisal.id == appraisal_id))


def achieved(session, unit_id: int) -> dict[tuple[str, str], tuple[int, int]]:
    """The indicator tally at a unit (with the units below): (indicator, label) -> (assessed, missed)."""
    stmt = (select(IndicatorTally.indicator, IndicatorTally.label, func.sum(IndicatorTally.assessed),
                   func.sum(IndicatorTally.missed)).where(IndicatorTally.unit_id == unit_id)
            .group_by(IndicatorTally.indicator, IndicatorTally.label))
    return {(i, label): (int(a), int(m)) for i, label, a, m in session.execute(stmt) if a or m}


def in_step(session) -> None:
    session.commit()
    assert check(session) == []


@pytest.fixture
def run(session, org, national):
    return launch(session, national, org.dinas, "2026", org.actor("hr"))


def appraisal_of(session, run, key: str, org) -> int:
    return session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                     Appraisal.employee_id == org.people[key].id))


def test_a_launch_counts_every_appraisal_at_its_unit_and_every_unit_above(session, org, run):
    in_step(session)
    # kadis in DINAS; kabid, ani, budi in BIDANG below it; PEMDA above both.
    assert counted(session, org.bidang.id) == {"": 3}
    assert counted(session, org.dinas.id) == {"": 4}
    assert counted(session, org.dinas.id, own=True) == {"": 1}
    assert counted(session, org.root.id) == {"": 4}
    assert run_states(session, run.id) == {"plan": 4}


def test_every_transition_of_the_cycle_moves_the_appraisal_to_its_new_state(session, org, run):
    ani = appraisal_of(session, run, "ani", org)
    for state, _step in PATH[1:]:
        drive(session, org, ani, "ani", state) if state == "plan_review" else None
        if state != "plan_review":
            trigger, role, payload = _step  # type: ignore[misc]
            who = {"self": "ani", "rater": "kabid", "reviewer": "kadis"}[role]
            if trigger == "close_monitoring":
                from engine.appraisals import record_realisation
                record_realisation(session, ani, org.actor("ani"), "iki_1", 100)
            fire_transition(session, ani, trigger, org.actor(who), payload)
        in_step(session)
        assert run_states(session, run.id)[state] == 1
    assert session.scalar(select(Appraisal.state).where(Appraisal.id == ani)) == "closed"
    rated = {p: n for p, n in counted(session, org.bidang.id).items() if p}
    assert sum(rated.values()) == 1


def test_an_appeal_that_changes_the_rating_moves_the_predicate_the_report_counts(session, org, run):
    ani = appraisal_of(session, run, "ani", org)
    drive(session, org, ani, "ani", "appeal")
    before = {p for p in counted(session, org.bidang.id) if p}
    fire_transition(session, ani, "decide_appeal", org.actor("kadis"), {
        "keputusan": "diubah", "pertimbangan": "Bukti tambahan diterima.",
        "rating_perilaku": "Di Atas Ekspektasi", "rating_hasil_kerja": "Di Atas Ekspektasi"})
    in_step(session)
    final = session.scalar(select(Result.value).where(Result.appraisal_id == ani, Result.name == "predikat_akhir"))
    assert final and {p for p in counted(session, org.bidang.id) if p} == {f'"{final}"'} != before


def test_bulk_firing_keeps_the_tally(session, org, run):
    ids = [appraisal_of(session, run, key, org) for key in ("ani", "budi")]
    from engine.appraisals import set_skp
    from tests.support.states import SKP
    for appraisal_id, key in zip(ids, ("ani", "budi"), strict=True):
        set_skp(session, appraisal_id, org.actor(key), SKP)
        fire_transition(session, appraisal_id, "submit_plan", org.actor(key), {})
    versions = dict(session.execute(select(Appraisal.id, Appraisal.version).where(Appraisal.id.in_(ids))).all())
    fire_in_bulk(session, org.actor("kabid"), "approve_plan", [(i, versions[i]) for i in ids])
    in_step(session)
    assert run_states(session, run.id)["monitor"] == 2


def test_closing_moving_and_deleting_take_the_appraisal_out(session, org, run):
    ani, budi = appraisal_of(session, run, "ani", org), appraisal_of(session, run, "budi", org)
    close_appraisal(session, ani, org.actor("hr"), reason="Pensiun.")
    in_step(session)
    assert counted(session, org.bidang.id) == {"": 2}
    session.execute(update(Employee).where(Employee.id == org.people["budi"].id).values(unit_id=org.other.id))
    in_step(session)
    assert counted(session, org.other.id) == {"": 1}
    assert counted(session, org.dinas.id) == {"": 2}
    remove(session, budi)
    in_step(session)
    assert counted(session, org.other.id) == {}
    assert counted(session, org.root.id) == {"": 2}


def test_a_transfer_to_another_run_moves_the_count(session, org, national, run):
    doni_run = launch(session, national, org.other, "2026", org.actor("admin"))
    budi = appraisal_of(session, run, "budi", org)
    session.execute(update(Employee).where(Employee.id == org.people["budi"].id).values(unit_id=org.other.id))
    session.commit()
    transfer_employee(session, budi, doni_run.id, org.actor("admin"), reason="Mutasi.")
    in_step(session)
    assert run_states(session, doni_run.id) == {"plan": 2}
    assert run_states(session, run.id) == {"plan": 3}


def test_a_unit_moved_in_the_tree_takes_its_counts_with_it(session, org, run):
    ani = appraisal_of(session, run, "ani", org)
    session.add(Result(appraisal_id=ani, name="predikat", value="Baik"))
    in_step(session)
    session.execute(update(OrgUnit).where(OrgUnit.id == org.bidang.id).values(parent_id=org.other.id))
    in_step(session)
    assert counted(session, org.dinas.id) == {"": 1}
    assert counted(session, org.other.id) == {"": 2, '"Baik"': 1}
    assert counted(session, org.root.id) == {"": 3, '"Baik"': 1}
    new = OrgUnit(code="SEKSI", name="Seksi Baru", parent_id=org.bidang.id)
    session.add(new)
    in_step(session)
    assert session.scalar(select(func.count()).select_from(OrgUnitAncestor)
                          .where(OrgUnitAncestor.unit_id == new.id)) == 4


def test_results_written_changed_and_removed_by_hand_are_followed(session, org, run):
    ani = appraisal_of(session, run, "ani", org)
    session.add(Result(appraisal_id=ani, name="predikat", value="Baik"))
    in_step(session)
    session.add(Result(appraisal_id=ani, name="predikat_akhir", value=""))  # empty: the report reads the first
    in_step(session)
    assert counted(session, org.bidang.id) == {"": 2, '"Baik"': 1}
    session.execute(update(Result).where(Result.appraisal_id == ani, Result.name == "predikat_akhir")
                    .values(value="Sangat Baik"))
    in_step(session)
    assert counted(session, org.bidang.id) == {"": 2, '"Sangat Baik"': 1}
    session.execute(delete(Result).where(Result.appraisal_id == ani))
    in_step(session)
    assert counted(session, org.bidang.id) == {"": 3}


def test_one_statement_over_the_results_of_many_appraisals_moves_each_once(session, org, run):
    """A statement that changes or removes the predicates of several appraisals at once (a recompute over a run,
    a clean-up by hand) moves each appraisal once, by whichever of its two predicates it touched."""
    ids = list(session.scalars(select(Appraisal.id).join(Employee).where(Appraisal.run_id == run.id,
                                                                          Employee.unit_id == org.bidang.id)
                               .order_by(Appraisal.id)))
    assert len(ids) == 3
    for aid in ids:
        session.add(Result(appraisal_id=aid, name="predikat", value="Baik"))
        session.add(Result(appraisal_id=aid, name="catatan", value="dicatat"))
    session.add(Result(appraisal_id=ids[0], name="predikat_akhir", value="Sangat Baik"))
    in_step(session)
    assert counted(session, org.bidang.id) == {'"Baik"': 2, '"Sangat Baik"': 1}
    # The first predicate of all three in one statement: the first appraisal keeps its final one.
    session.execute(update(Result).where(Result.appraisal_id.in_(ids), Result.name == "predikat")
                    .values(value="Butuh Perbaikan"))
    in_step(session)
    assert counted(session, org.bidang.id) == {'"Butuh Perbaikan"': 2, '"Sangat Baik"': 1}
    # Both predicates and another result, over two appraisals, in one statement.
    session.execute(update(Result).where(Result.appraisal_id.in_(ids[:2])).values(value="Baik"))
    in_step(session)
    assert counted(session, org.bidang.id) == {'"Baik"': 2, '"Butuh Perbaikan"': 1}
    # Removed together: every result of the first two, only the other result of the third.
    session.execute(delete(Result).where((Result.appraisal_id.in_(ids[:2])) | (Result.name == "catatan")))
    in_step(session)
    assert counted(session, org.bidang.id) == {"": 2, '"Butuh Perbaikan"': 1}


def test_achievements_are_counted_under_the_indicators_label_and_follow_its_changes(session, org, run):
    ani, budi = appraisal_of(session, run, "ani", org), appraisal_of(session, run, "budi", org)
    session.add_all([Result(appraisal_id=ani, name="iki.iki_1", value=80),
                     Result(appraisal_id=budi, name="iki.iki_1", value=120),
                     Result(appraisal_id=budi, name="iki.iki_2", value="tidak angka")])
    in_step(session)
    assert achieved(session, org.dinas.id) == {("iki_1", ""): (2, 1)}
    session.add(Indicator(appraisal_id=ani, key="iki_1", label="Berkas terverifikasi", target=100, weight=100))
    in_step(session)
    assert achieved(session, org.bidang.id) == {("iki_1", ""): (1, 0), ("iki_1", "Berkas terverifikasi"): (1, 1)}
    session.execute(update(Indicator).where(Indicator.appraisal_id == ani).values(label="Berkas diperiksa"))
    session.execute(update(Result).where(Result.appraisal_id == budi, Result.name == "iki.iki_1").values(value=50))
    in_step(session)
    assert achieved(session, org.root.id) == {("iki_1", ""): (1, 1), ("iki_1", "Berkas diperiksa"): (1, 1)}
    session.execute(update(OrgUnit).where(OrgUnit.id == org.bidang.id).values(parent_id=org.other.id))
    session.execute(update(Indicator).where(Indicator.appraisal_id == ani).values(key="iki_9"))
    in_step(session)
    assert achieved(session, org.dinas.id) == {}
    assert achieved(session, org.other.id) == {("iki_1", ""): (2, 2)}
    close_appraisal(session, budi, org.actor("hr"), reason="Pindah instansi.")
    session.execute(delete(Indicator).where(Indicator.appraisal_id == ani))
    in_step(session)
    assert achieved(session, org.root.id) == {("iki_1", ""): (1, 1)}


def test_the_check_names_a_tally_that_differs_and_the_rebuild_repairs_it(session, org, run):
    session.execute(text("UPDATE appraisal_tally SET appraisals = appraisals + 2 WHERE unit_id = :u AND own = 1"),
                    {"u": org.bidang.id})
    session.execute(delete(OrgUnitAncestor).where(OrgUnitAncestor.unit_id == org.bidang.id,
                                                  OrgUnitAncestor.ancestor_id == org.root.id))
    session.commit()
    found = check(session)
    assert {(d.table, d.key[0]) for d in found} == {("org_unit_ancestor", org.bidang.id),
                                                     ("appraisal_tally", org.bidang.id)}
    tally = next(d for d in found if d.table == "appraisal_tally")
    assert (tally.tallied, tally.counted) == (5, 3)
    rebuild(session)
    in_step(session)


def overdue(session, org, unit_id: int, now: datetime) -> dict[str, tuple[int, datetime | None]]:
    """Overdue work of HR of DINAS standing on ``unit_id`` at ``now``: row unit name/state -> (count, the hour the
    oldest deadline falls in)."""
    flt = report_filter(session, hr_scope(session, org.actor("hr")), unit_id)
    return {f"{g.unit_name}/{g.state}": (g.count, g.oldest_hour) for g in overdue_work(session, flt, now)}


def due(session, appraisal_id: int, moment: datetime | None) -> None:
    session.execute(update(Appraisal).where(Appraisal.id == appraisal_id).values(due_at=moment))


NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_overdue_work_sums_the_hours_before_this_one_and_counts_this_hour_up_to_the_moment(session, org, run):
    ani, budi, kabid, kadis = (appraisal_of(session, run, k, org) for k in ("ani", "budi", "kabid", "kadis"))
    due(session, ani, NOON - timedelta(days=2, hours=3, minutes=30))  # 30 Nov 08.30
    due(session, budi, NOON + timedelta(minutes=10))  # today 12.10
    due(session, kabid, NOON + timedelta(minutes=50))  # today 12.50
    due(session, kadis, NOON - timedelta(days=40))
    in_step(session)
    rows = {r.due_hour: r.appraisals for r in session.scalars(
        select(OverdueTally).where(OverdueTally.unit_id == org.bidang.id, OverdueTally.own == 1)) if r.appraisals}
    assert rows == {"2026-11-30 08": 1, "2026-12-02 12": 2}
    at_half_past = NOON + timedelta(minutes=30)
    assert overdue(session, org, org.dinas.id, at_half_past) == {
        "Bidang Pelayanan/plan": (2, datetime(2026, 11, 30, 8, tzinfo=UTC)),
        "Dinas Kependudukan/plan": (1, datetime(2026, 10, 23, 12, tzinfo=UTC))}
    # Half an hour later kabid is late too; an hour later the whole hour is read from the tally.
    assert overdue(session, org, org.bidang.id, at_half_past + timedelta(minutes=25))["Bidang Pelayanan/plan"][0] == 3
    assert overdue(session, org, org.bidang.id, NOON + timedelta(hours=1))["Bidang Pelayanan/plan"][0] == 3
    assert run_overdue(session, run.id, at_half_past) == {"plan": 3}
    # A deadline dropped, a state left, a closure: each moves the count.
    due(session, ani, None)
    session.execute(update(Appraisal).where(Appraisal.id == budi).values(state="monitor"))
    in_step(session)
    assert overdue(session, org, org.bidang.id, at_half_past) == {"Bidang Pelayanan/monitor": (1, NOON)}
    close_appraisal(session, budi, org.actor("hr"), reason="Pensiun.")
    in_step(session)
    assert overdue(session, org, org.bidang.id, at_half_past) == {}
    assert run_overdue(session, run.id, NOON + timedelta(days=1)) == {"plan": 2}


def test_overdue_work_follows_people_and_units_moving(session, org, run):
    ani = appraisal_of(session, run, "ani", org)
    due(session, ani, NOON - timedelta(days=5))
    session.execute(update(Employee).where(Employee.id == org.people["ani"].id).values(unit_id=org.other.id))
    in_step(session)
    assert "Bidang Pelayanan/plan" not in overdue(session, org, org.dinas.id, NOON)
    session.execute(update(Employee).where(Employee.id == org.people["ani"].id).values(unit_id=org.bidang.id))
    session.execute(update(OrgUnit).where(OrgUnit.id == org.bidang.id).values(parent_id=org.other.id))
    in_step(session)
    assert overdue(session, org, org.dinas.id, NOON) == {}
    # BIDANG's three appraisals with a deadline (ani's and the launch's for kabid and budi) now count under LAIN.
    in_other = session.scalars(select(OverdueTally).where(OverdueTally.unit_id == org.other.id)).all()
    assert sum(r.appraisals for r in in_other) == 3


OPERATIONS = st.lists(st.tuples(st.sampled_from(["result", "final", "unresult", "state", "close", "move_person",
                                                 "move_unit", "delete", "iki", "label", "due"]),
                                st.integers(0, 3), st.integers(0, 4)), min_size=1, max_size=12)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=OPERATIONS)
def test_any_sequence_of_changes_leaves_the_tally_equal_to_a_recount(session, org, national, steps):
    if not session.scalar(select(func.count()).select_from(CycleRun)):
        launch(session, national, org.root, "2026", org.actor("admin"))
    units = [org.root.id, org.dinas.id, org.bidang.id, org.other.id]
    states = ["plan", "monitor", "rated", "closed", "appeal"]
    for op, i, j in steps:
        ids = session.scalars(select(Appraisal.id).order_by(Appraisal.id)).all()
        if not ids:
            break
        target = ids[i % len(ids)]
        if op in ("result", "final"):
            name = "predikat" if op == "result" else "predikat_akhir"
            found = session.scalar(select(Result).where(Result.appraisal_id == target, Result.name == name))
            if found is None:
                session.add(Result(appraisal_id=target, name=name, value=PREDICATES[j]))
            else:
                found.value = PREDICATES[j] if j % 2 else None
        elif op == "iki":
            found = session.scalar(select(Result).where(Result.appraisal_id == target, Result.name == "iki.iki_1"))
            if found is None:
                session.add(Result(appraisal_id=target, name="iki.iki_1", value=60 + 20 * j))
            else:
                found.value = None if j == 4 else 60 + 20 * j
        elif op == "label":
            found_indicator = session.scalar(select(Indicator).where(Indicator.appraisal_id == target))
            if found_indicator is None:
                session.add(Indicator(appraisal_id=target, key="iki_1", label=f"IKI {j}", target=100, weight=100))
            elif j == 4:
                session.delete(found_indicator)
            else:
                found_indicator.label = f"IKI {j}"
        elif op == "due":
            moments = [None, NOON - timedelta(days=3), NOON - timedelta(hours=1), NOON + timedelta(days=1),
                       NOON - timedelta(days=3, minutes=1)]
            due(session, target, moments[j])
        elif op == "unresult":
            session.execute(delete(Result).where(Result.appraisal_id == target, Result.name == "predikat"))
        elif op == "state":
            session.execute(update(Appraisal).where(Appraisal.id == target).values(state=states[j]))
        elif op == "close":
            session.execute(update(Appraisal).where(Appraisal.id == target)
                            .values(closed_at=None if j % 2 else func.now()))
        elif op == "move_person":
            employee = session.scalar(select(Appraisal.employee_id).where(Appraisal.id == target))
            session.execute(update(Employee).where(Employee.id == employee).values(unit_id=units[j % len(units)]))
        elif op == "move_unit":
            # BIDANG under DINAS or under LAIN (never under itself).
            session.execute(update(OrgUnit).where(OrgUnit.id == org.bidang.id)
                            .values(parent_id=org.other.id if j % 2 else org.dinas.id))
        else:
            remove(session, target)
        in_step(session)
