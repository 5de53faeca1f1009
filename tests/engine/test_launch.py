"""Launching a cycle for a unit and a period."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.errors import InvalidInput
from engine.models import Appraisal, AuditEvent, CycleRun
from engine.registry import save_draft
from engine.runs import find_unit, launch, period_bounds, period_timezone
from tests.support.factories import national_source


def test_launch_starts_one_appraisal_per_employee_of_the_unit_and_below(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    employees = session.scalars(select(Appraisal.employee_id).where(Appraisal.run_id == run.id)).all()
    assert sorted(employees) == sorted(org.people[k].id for k in ("kadis", "kabid", "ani", "budi"))
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "launch")).one()
    assert event.payload["appraisals"] == 4 and event.payload["period"] == "2026" and event.actor_name == "hr"


def test_a_unit_is_launched_once_per_period(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    with pytest.raises(InvalidInput, match="already launched for DINAS in 2026"):
        launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    assert session.scalar(select(func.count()).select_from(CycleRun)) == 1


@pytest.mark.parametrize("period", ["2026-Q1", "26", "2026-13", "tahun ini"])
def test_a_period_that_does_not_fit_the_cycle_is_refused_with_an_example(session, org, national, period):
    with pytest.raises(InvalidInput, match="write it like 2026"):
        launch(session, national, find_unit(session, "DINAS"), period, org.actor("hr"))
    assert session.scalar(select(func.count()).select_from(Appraisal)) == 0


def test_a_draft_cannot_be_launched(session, org):
    draft = save_draft(session, national_source(), "national.yaml", org.actor("hr"))
    with pytest.raises(InvalidInput, match="only a published definition can be launched"):
        launch(session, draft, find_unit(session, "DINAS"), "2026", org.actor("hr"))


@pytest.mark.parametrize("kind,period,start,end", [
    ("annual", "2026", "2026-01-01", "2026-12-31"),
    ("semester", "2026-S2", "2026-07-01", "2026-12-31"),
    ("quarterly", "2026-Q1", "2026-01-01", "2026-03-31"),
    ("monthly", "2026-02", "2026-02-01", "2026-02-28"),
])
def test_period_bounds_are_local_calendar_days(kind, period, start, end):
    first, last = period_bounds(kind, period)
    zone = period_timezone()
    assert (first.astimezone(zone).isoformat()[:19], last.astimezone(zone).isoformat()[:19]) == (
        f"{start}T00:00:00", f"{end}T23:59:59")


def test_the_year_ends_at_midnight_in_jakarta_not_in_greenwich(monkeypatch):
    monkeypatch.setenv("SIKLUS_TIMEZONE", "Asia/Jakarta")
    _, last = period_bounds("annual", "2026")
    assert last.utcoffset().total_seconds() == 7 * 3600 and (last.hour, last.minute) == (23, 59)
