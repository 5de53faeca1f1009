"""Whether a history reads in order: each event of a chain dated no earlier than the event before it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import AuditEvent


def dated_backwards(session: Session) -> list[str]:
    """Each event dated before the event ahead of it in its chain, as ``stream #seq kind at < #seq kind at``.

    Every appraisal's chain is read whole. The system chain is read from its first launch on: the grants, the
    rater designation and the publication ahead of it take no moment of their own, so a demo that launches a
    past period writes them at today's date, before the launch it dates back.
    """
    rows = session.execute(select(AuditEvent.stream, AuditEvent.seq, AuditEvent.kind, AuditEvent.occurred_at)
                           .order_by(AuditEvent.stream, AuditEvent.seq)).all()
    found: list[str] = []
    launched: set[str] = set()
    for before, after in zip(rows, rows[1:], strict=False):
        if before.stream != after.stream:
            continue
        if before.kind == "launch":
            launched.add(before.stream)
        if before.stream == "system" and before.stream not in launched:
            continue
        if after.occurred_at < before.occurred_at:
            found.append(f"{after.stream} #{after.seq} {after.kind} {after.occurred_at:%Y-%m-%d %H:%M} < "
                         f"#{before.seq} {before.kind} {before.occurred_at:%Y-%m-%d %H:%M}")
    return found
