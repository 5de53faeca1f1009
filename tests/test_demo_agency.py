"""``siklus demo --agency NAME``: each agency's demo opens on its own name and units, with realistic SKPs,
three closed past periods (so trends, the talent grid and JP reports show history) and a running period
where every demo login has something to do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.access import waiting_for
from engine.appraisals import available_transitions
from engine.audit import verify_chain
from engine.citizen_models import Complaint
from engine.complaint_store import verified_complaints
from engine.complaints import complaint_desk
from engine.demo_agency import AGENCIES, seed_agency
from engine.development.report import jp_report
from engine.models import Appraisal, AuditEvent, CycleRun, Employee, Indicator, OrgUnit, Result, User
from engine.permissions import Actor
from engine.policy import Policy
from engine.registry import definition_of
from engine.talent import talent_grid
from tests.support.histories import dated_backwards
from web.cli import cli

NOW = datetime(2026, 11, 15, tzinfo=UTC)


def actor(session: Session, username: str) -> Actor:
    return Actor.of(session.scalars(select(User).where(User.username == username)).one())


@pytest.mark.parametrize("name", sorted(AGENCIES))
def test_each_agency_demo_opens_on_its_own_name_with_three_periods_of_history(memory_session, name):
    demo = AGENCIES[name]
    seed_agency(memory_session, demo, now=NOW)
    session = memory_session
    root = session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).one()
    assert root.name == demo.title and "Siklus Raya" not in root.name
    assert sorted(session.scalars(select(OrgUnit.name))) == sorted(u.name for u in demo.units)

    # Three past periods, each driven to the end with results, then the running one.
    periods = session.scalars(select(CycleRun.period).order_by(CycleRun.period)).all()
    assert periods == ["2023", "2024", "2025", "2026"]
    for period in ("2023", "2024", "2025"):
        run = session.scalars(select(CycleRun).where(CycleRun.period == period)).one()
        defn = definition_of(run.definition)
        finals = [s for s, spec in defn.states.items() if spec.final]
        closed = session.scalar(select(func.count()).select_from(Appraisal).where(
            Appraisal.run_id == run.id, Appraisal.state.in_(finals)))
        assert closed >= 6, f"{name} {period}: {closed} closed"
        # A past year leaves nothing half-done in anyone's list, the top official's included: nobody in Siklus
        # reviews them, and their cycle lets the rating stand without review (states.review.vacant).
        open_ones = session.scalars(select(Employee.supervisor_id).join(Appraisal, Appraisal.employee_id == Employee.id)
                                    .where(Appraisal.run_id == run.id, Appraisal.state.not_in(finals))).all()
        assert open_ones == [], f"{name} {period}: {len(open_ones)} left open"
        top = session.scalars(select(AuditEvent.payload).join(Appraisal, Appraisal.id == AuditEvent.appraisal_id)
                              .join(Employee, Employee.id == Appraisal.employee_id)
                              .where(Appraisal.run_id == run.id, Employee.supervisor_id.is_(None),
                                     AuditEvent.trigger == "confirm_rating")).all()
        assert top == [{"vacant_role": "atasan_penilai"}], f"{name} {period}: the top official's rating {top}"
        predicates = session.scalars(select(Result.value).join(Appraisal, Appraisal.id == Result.appraisal_id).where(
            Appraisal.run_id == run.id, Result.name == "predikat_akhir")).all()
        assert len(predicates) >= 6 and set(predicates) <= {"Sangat Baik", "Baik", "Butuh Perbaikan",
                                                            "Kurang/Misconduct", "Sangat Kurang"}
    # The SKPs are the agency's own, not placeholders.
    labels = set(session.scalars(select(Indicator.label)))
    assert not any(label.startswith("Indikator kinerja ") for label in labels)

    # Every demo login lands on something to do.
    employee = actor(session, demo.employee)
    mine = session.scalars(select(Appraisal).join(CycleRun).where(
        Appraisal.employee_id == employee.employee_id, CycleRun.period == "2026")).one()
    policy = Policy(session, employee)
    defn = definition_of(mine.definition)
    assert policy.can_edit(defn, mine, "skp") or available_transitions(session, mine, employee, policy)
    for login in (demo.rater, demo.reviewer, demo.head[0]):
        waiting, _more = waiting_for(session, actor(session, login))
        assert waiting, f"{login} has nothing waiting in the {name} demo"

    last = session.scalars(select(CycleRun).where(CycleRun.period == "2025")).one()
    hr = actor(session, "sdm")
    report = jp_report(session, hr, last.id)
    assert report.met >= 6  # each closed appraisal did its development
    if definition_of(last.definition).talent is not None:
        grid = talent_grid(session, hr, last.id)
        assert len(grid.entries) >= 6 and grid.waiting <= 4
    # Everything the demo did went through the engine's audited services: the log verifies, and each history
    # reads in the order its steps were taken, the closed years' included.
    backwards = dated_backwards(session)
    assert backwards == [], backwards[:5]
    report = verify_chain(session)
    assert report.ok, report.problems[:5]


def test_the_agency_demo_from_the_command_line_names_its_nip_logins_and_shows_progress(runner):
    result = runner.invoke(cli, ["demo", "--agency", "amplas"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    demo = AGENCIES["amplas"]
    assert "Kecamatan Medan Amplas" in result.output and "periode" in result.output
    for nip in (demo.employee, demo.rater, demo.reviewer):
        assert nip in result.output
    assert "walikota" in result.output and "Wali Kota Medan (Pejabat Penilai Camat Medan Amplas" in result.output


@pytest.mark.parametrize("name", sorted(AGENCIES))
def test_the_regional_head_rates_the_top_official_whose_plan_waits_for_them(memory_session, name):
    demo = AGENCIES[name]
    seed_agency(memory_session, demo, now=NOW)
    session = memory_session
    head = actor(session, demo.head[0])
    top = session.scalars(select(Employee).where(Employee.supervisor_id.is_(None))).one()
    plan = session.scalars(select(Appraisal).join(CycleRun).where(
        Appraisal.employee_id == top.id, CycleRun.period == "2026")).one()
    assert plan.state == "plan_review"
    waiting, _more = waiting_for(session, head)
    assert plan.id in {row.appraisal.id for row in waiting}
    designated = session.scalars(select(AuditEvent).where(AuditEvent.kind == "rater_designate")).one()
    assert designated.payload["rater"] == demo.head[0] and designated.actor_name == "sdm"


def test_the_solok_demo_shows_the_citizen_loop_from_complaint_to_indicator(memory_session):
    session = memory_session
    demo = AGENCIES["solok"]
    seed_agency(session, demo, now=NOW)
    hr = actor(session, "sdm")
    # HR's desk holds the year's cases as residents sent them and HR handled them: two verified, one
    # unfounded, one duplicate of a verified case, and one still waiting for HR.
    desk = complaint_desk(session, hr)
    cases = {case.text: case.complaint for case in desk.cases}
    assert sorted(c.status for c in cases.values()) == ["duplicate", "new", "unfounded", "verified", "verified"]
    [repeat] = [c for c in cases.values() if c.status == "duplicate"]
    assert session.get(Complaint, repeat.duplicate_of_id).status == "verified"
    assert sum(1 for c in cases.values() if c.resolved) == 2
    # The verified cases feed the complaint indicator of the employee concerned in the running period;
    # the duplicate is not counted again.
    andri = session.scalars(select(Employee).where(Employee.nip == "199104252015031002")).one()
    run = session.scalars(select(CycleRun).where(CycleRun.period == "2026")).one()
    assert verified_complaints(session, andri.id, run.period_start, run.period_end) == 1
    mine = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                   Appraisal.employee_id == andri.id)).one()
    counted = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == mine.id,
                                                       AuditEvent.kind == "complaint")).all()
    assert [e.payload["counted"] for e in counted] == [True]
    assert session.scalars(select(Result.value).where(Result.appraisal_id == mine.id,
                                                      Result.name == "iki.pengaduan_masyarakat")).one() is not None
    # Each step HR took is in the system chain: four triages and two answers.
    steps = session.scalars(select(AuditEvent).where(AuditEvent.kind == "complaint",
                                                     AuditEvent.appraisal_id.is_(None))).all()
    assert len(steps) == 6 and {e.actor_name for e in steps} == {"sdm"}


@pytest.mark.parametrize("name", ["amplas", "bungo"])
def test_an_agency_demo_without_complaint_indicators_seeds_no_complaints(memory_session, name):
    seed_agency(memory_session, AGENCIES[name], now=NOW)
    assert memory_session.scalar(select(func.count(Complaint.id))) == 0
