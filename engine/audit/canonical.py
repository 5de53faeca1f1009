"""``siklus audit canonicalise``: rewriting the JSON text of events stored before it was kept canonical.

Since :class:`engine.models.CanonicalJSON`, an event's ``payload`` and ``results`` are stored in the
canonical text their hash is taken over, and verification hashes that stored text as it is
(:mod:`engine.audit.bulk`). Events written before keep the text ``json.dumps`` wrote (keys in insertion
order, ``", "`` and ``": "``), which verification must decode and re-encode first. This rewrites that
text, in batches of event ids, as the canonical text of the same content: nothing hashed changes (the
hash was always taken over the canonical text of the decoded content), so every event verifies exactly
as before, only faster. An event whose text is NULL or not valid JSON is left as it is (verification names it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, bindparam, cast, func, select, update
from sqlalchemy.orm import Session

from engine.audit.bulk import load_json
from engine.audit.chain import canonical_json
from engine.audit.writer import EVENTS
from engine.db import write_with_retry

# Events read and rewritten per transaction.
BATCH = 5000

_REWRITE = (update(EVENTS).where(EVENTS.c.id == bindparam("b_id"))
            .values(payload=bindparam("b_payload", type_=EVENTS.c.payload.type),
                    results=bindparam("b_results", type_=EVENTS.c.results.type)))


@dataclass(frozen=True)
class CanonicaliseReport:
    """How many events were read, and how many had their JSON text rewritten (or would have, dry)."""

    events: int
    rewritten: int


def _decoded(text: Any) -> tuple[bool, Any]:
    """Whether a stored JSON text can be rewritten (it is not NULL and is valid JSON), and its value."""
    if text is None:
        return False, None
    if text == "{}":
        return True, {}
    try:
        return True, load_json(text)
    except ValueError:
        return False, None


def canonicalise(session: Session, *, dry_run: bool = False, batch: int = BATCH,
                 progress: Callable[[int, int], None] | None = None) -> CanonicaliseReport:
    """Rewrite every event's ``payload`` and ``results`` that are not in canonical text, ``batch`` events
    per transaction (resumable: a second run finds nothing left to do). ``progress(done, total)`` after each
    batch, in events read."""
    total = session.scalar(select(func.count()).select_from(EVENTS)) or 0
    session.commit()
    columns = (EVENTS.c.id, cast(EVENTS.c.payload, Text), cast(EVENTS.c.results, Text))
    last, read, rewritten = 0, 0, 0
    while True:
        rows = session.execute(select(*columns).where(EVENTS.c.id > last).order_by(EVENTS.c.id).limit(batch)).all()
        session.commit()
        if not rows:
            break
        last = rows[-1][0]
        read += len(rows)
        changes = []
        for event_id, payload_text, results_text in rows:
            payload_ok, payload = _decoded(payload_text)
            results_ok, results = _decoded(results_text)
            if payload_ok and results_ok and (canonical_json(payload) != payload_text
                                              or canonical_json(results) != results_text):
                changes.append({"b_id": event_id, "b_payload": payload, "b_results": results})
        if changes and not dry_run:

            def rewrite(changes: list[dict[str, Any]] = changes) -> None:
                session.execute(_REWRITE, changes)

            write_with_retry(session, rewrite)
        rewritten += len(changes)
        if progress is not None:
            progress(read, total)
    return CanonicaliseReport(read, rewritten)
