"""Whether a history reads in order: each event of a chain dated no earlier than the event before it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import AuditEvent


def dated_backwards(session: Session) -> list[str]:
    """Each event dated before the event ahead of it in its chain, as ``stream #seq kind at < #seq kind at``.

    Every chain is read whole: each appraisal's, and the system chain from its first event, so the setting up
    of a demo (its chart, grants, rater designations and publications) reads as done before the launches it
    made possible, however far back those are dated.
    """
    rows = session.execute(select(AuditEvent.stream, AuditEvent.seq, AuditEvent.kind, AuditEvent.occurred_at)
                           .order_by(AuditEvent.stream, AuditEvent.seq)).all()
    found: list[str] = []
    for before, after in zip(rows, rows[1:], strict=False):
        if before.stream == after.stream and after.occurred_at < before.occurred_at:
            found.append(f"{after.stream} #{after.seq} {after.kind} {after.occurred_at:%Y-%m-%d %H:%M} < "
                         f"#{before.seq} {before.kind} {before.occurred_at:%Y-%m-%d %H:%M}")
    return found
