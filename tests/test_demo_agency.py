"""``siklus demo --agency NAME``: each agency's demo opens on its own name and units, with realistic SKPs,
three closed past periods (so trends, the talent grid and JP reports show history) and a running period
where every demo login has something to do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import StaticPool, create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.access import waiting_for
from engine.appraisals import available_transitions
from engine.demo_agency import AGENCIES, seed_agency
from engine.development.report import jp_report
from engine.models import Appraisal, Base, CycleRun, Indicator, OrgUnit, Result, User
from engine.permissions import Actor
from engine.policy import Policy
from engine.registry import definition_of
from engine.talent import talent_grid
from web.cli import cli

NOW = datetime(2026, 11, 15, tzinfo=UTC)


@pytest.fixture
def memory_session():
    engine = create_engine("sqlite://", poolclass=StaticPool)
    Base.metadata.create_all(engine)
    session = sessionmaker(engine, expire_on_commit=False)()
    yield session
    session.close()
    engine.dispose()


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
    for nip in (demo.rater, demo.reviewer):
        waiting, _more = waiting_for(session, actor(session, nip))
        assert waiting, f"{nip} has nothing waiting in the {name} demo"

    last = session.scalars(select(CycleRun).where(CycleRun.period == "2025")).one()
    hr = actor(session, "sdm")
    report = jp_report(session, hr, last.id)
    assert report.met >= 6  # each closed appraisal did its development
    if definition_of(last.definition).talent is not None:
        grid = talent_grid(session, hr, last.id)
        assert len(grid.entries) >= 6 and grid.waiting <= 4


def test_the_agency_demo_from_the_command_line_names_its_nip_logins_and_shows_progress(runner):
    result = runner.invoke(cli, ["demo", "--agency", "amplas"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    demo = AGENCIES["amplas"]
    assert "Kecamatan Medan Amplas" in result.output and "periode" in result.output
    for nip in (demo.employee, demo.rater, demo.reviewer):
        assert nip in result.output
