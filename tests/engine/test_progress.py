"""A run's progress as HR watches it: the overdue counts and list, and the unit's staff appraised in another
run, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from engine.access import hr_scope
from engine.models import Appraisal
from engine.progress import run_progress
from engine.runs import close_appraisal, launch

NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _appraisal(session, run, org, key: str) -> int:
    return session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                     Appraisal.employee_id == org.people[key].id))


def test_the_overdue_are_counted_and_listed_oldest_first_without_the_closed(session, org, national):
    run = launch(session, national, org.dinas, "2026", org.actor("hr"))
    moments = {"ani": NOON - timedelta(days=3), "budi": NOON - timedelta(hours=2),
               "kabid": NOON + timedelta(hours=1), "kadis": NOON - timedelta(days=9)}
    for key, moment in moments.items():
        appraisal_id = _appraisal(session, run, org, key)
        session.execute(update(Appraisal).where(Appraisal.id == appraisal_id).values(due_at=moment))
    session.commit()
    close_appraisal(session, _appraisal(session, run, org, "kadis"), org.actor("hr"), reason="Pensiun.")
    progress = run_progress(session, hr_scope(session, org.actor("hr")), run, now=NOON)
    assert progress.by_state == {"plan": (3, 2)}
    assert [o.name for o in progress.overdue] == ["Ani Lestari", "Budi Santoso"]
    later = run_progress(session, hr_scope(session, org.actor("hr")), run, now=NOON + timedelta(days=1))
    assert later.overdue_total == 3 and later.pages == 1


def test_the_units_staff_appraised_in_another_run_are_listed_not_those_appraised_here(session, org, national):
    bidang_run = launch(session, national, org.bidang, "2026", org.actor("hr"))
    run = launch(session, national, org.dinas, "2026", org.actor("hr"))
    scope = hr_scope(session, org.actor("hr"))
    elsewhere = run_progress(session, scope, run, now=NOON).elsewhere
    assert {s.name for s in elsewhere} == {"Ani Lestari", "Budi Santoso", "Hendra Wijaya"}
    assert {s.run_id for s in elsewhere} == {bidang_run.id}
    # The BIDANG run shows none: its staff are appraised in it, and kadis is not in BIDANG.
    assert run_progress(session, scope, bidang_run, now=NOON).elsewhere == []
