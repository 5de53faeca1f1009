"""A demo's histories read in the order their steps were taken: no step of an appraisal is dated before the
step ahead of it in its chain. The driver gave each window's feedback at the clock's moment (the day the demo
was built, so a closed year's later steps read as taken before it) and dated each checkpoint entry at its own
window after the state's edits at a later moment (a quarter's realisation read as recorded before the
year's). The system chain reads in order from its first event: the demo's setting up (chart, grants, rater
designations, catalogue, publication) was dated today, after the past periods it launched. Every demo is checked
the same way where it is built (tests/test_cli_demo.py, tests/test_demo_agency.py); Bungo's cycle has both
feedback windows and quarterly checkpoints, and a training catalogue."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from engine.audit import verify_chain
from engine.demo_agency import AGENCIES, seed_agency
from engine.models import AuditEvent
from tests.support.histories import dated_backwards

NOW = datetime(2026, 11, 15, tzinfo=UTC)


def test_each_appraisal_of_an_agency_demo_reads_its_steps_in_the_order_they_were_taken(memory_session):
    session = memory_session
    seed_agency(session, AGENCIES["bungo"], now=NOW)
    kinds = set(session.scalars(select(AuditEvent.kind).where(AuditEvent.appraisal_id.is_not(None))))
    assert {"feedback", "checkpoint", "realisation", "transition"} <= kinds
    assert dated_backwards(session) == []
    # HR's setting up stands in the system chain before the first launch, dated before it.
    system = session.execute(select(AuditEvent.kind, AuditEvent.occurred_at).where(AuditEvent.stream == "system")
                             .order_by(AuditEvent.seq)).all()
    first = next(n for n, event in enumerate(system) if event.kind == "launch")
    assert {"chart_seed", "role_grant", "rater_designate", "course_create", "publish"} <= {
        event.kind for event in system[:first]}
    launched = system[first].occurred_at
    assert launched < datetime(2024, 1, 1, tzinfo=UTC)  # the first of the three closed years
    assert all(event.occurred_at <= launched for event in system[:first])
    # A closed year's feedback is dated in that year, not on the day the demo was built.
    given = session.scalars(select(AuditEvent.occurred_at).where(AuditEvent.kind == "feedback")).all()
    assert given and max(given) <= NOW
    report = verify_chain(session)
    assert report.ok, report.problems[:5]


def test_a_checkpoint_entry_filled_for_a_step_is_never_dated_after_that_step():
    """A checkpoint that began less than an hour before the step it is filled for: its entries were dated an hour
    into the window, after the step's own edits and feedback (at the step's moment) that follow them in the
    history. Whether a demo hit it depended on the hour it was built; the moment is now bounded by the step's."""
    from datetime import timedelta
    from importlib import resources

    from engine.checkpoints.periods import checkpoints_of
    from engine.checkpoints.simulation import _moment
    from engine.validation import load_definition

    defn = load_definition(resources.files("workflows").joinpath("solok-v4.yaml").read_text(encoding="utf-8"),
                           "solok-v4.yaml")
    series = defn.checkpoints[0]
    start = checkpoints_of(series, datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 59, 59))[9].start
    step = start + timedelta(minutes=33)  # the step it is filled for
    entered = since = start - timedelta(days=30)
    moments = {kind: _moment(checkpoint, kind, entered, step, since)
               for checkpoint in checkpoints_of(series, datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 59, 59))
               if checkpoint.start == start for kind in ("realisation", "report", "self_assessment", "feedback")}
    assert moments and all(m is not None and since <= m <= step for m in moments.values()), moments
