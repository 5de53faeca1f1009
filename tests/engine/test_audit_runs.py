"""A cycle run is proven by its launch event. The run's period is the year its appraisals are listed under (the
e-Kinerja export), its unit is whose HR follows it, and its bounds are where its quarters begin and end; a run row
rewritten in the database moved every appraisal of it to another year while each appraisal's chain held."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select, update

from engine.models import AuditEvent, CycleRun
from engine.runs import find_unit, launch
from tests.support.forgery import verified
from web.messages import finding_text


def test_a_launched_run_verifies_and_its_event_records_its_bounds(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "launch")).one()
    assert event.payload["period"] == "2026" and event.payload["period_start"].startswith("2026-01-01T00:00:00")
    assert run.period_end.year == 2026
    assert verified(session) == (True, [])


def test_a_run_moved_to_another_year_unit_or_window_in_the_database_is_named(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    session.commit()
    with session.bind.begin() as conn:  # below Siklus, as someone with the database's password would
        conn.execute(update(CycleRun.__table__).where(CycleRun.id == run.id)
                     .values(period="2025", unit_id=org.other.id, period_start=run.period_start + timedelta(days=180)))
    ok, problems = verified(session)
    assert not ok
    named = [p for p in problems if f"run #{run.id} differs from its launch event" in p]
    assert sorted(p.split(" in ", 1)[1].split(";")[0] for p in named) == [
        "its period", "its unit", "the start and end of its period"]
    period = next(p for p in named if "in its period" in p)
    assert finding_text(period, "id").startswith(f"putaran #{run.id} berbeda dari peristiwa peluncurannya pada "
                                                 "periodenya")


def test_a_run_written_into_the_database_is_named(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    session.commit()
    with session.bind.begin() as conn:
        conn.execute(insert(CycleRun.__table__).values(
            cycle_id=run.cycle_id, definition_id=run.definition_id, unit_id=org.other.id, period="2027",
            period_start=run.period_start, period_end=run.period_end, launched_at=run.launched_at))
    ok, problems = verified(session)
    assert not ok
    assert any("has no launch event in the system chain; it was written outside Siklus" in p for p in problems)
