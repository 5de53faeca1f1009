"""``siklus audit verify`` for stored cycle definitions: each text is the one its fingerprint names, and each
published version is the one the system chain recorded publishing.

Replay judges every step and every result by the appraisal's cycle version as stored. A definition whose text
was rewritten in the database (a role added to a step, a table changed) would make replay agree with whatever it
now says, so the text is proven first: its SHA-256 must be the ``content_hash`` stored beside it, and that hash
the one the ``publish`` event of the same cycle and version carries. Lives below engine.audit, which calls it
while walking the system chain; engine.loaded refuses to run such a text at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, finding
from engine.definition import content_hash
from engine.models import CycleDefinitionRecord

#: The system chain's event of a publication; its payload carries the cycle, version and content hash.
EVENT_KIND = "publish"


def published_hash(payload: Mapping[str, object]) -> tuple[tuple[str, int], str] | None:
    """(cycle, version) and the content hash a ``publish`` event's payload records; None when it lacks one."""
    cycle, version, digest = payload.get("cycle_id"), payload.get("version"), payload.get("content_hash")
    if isinstance(cycle, str) and isinstance(version, int) and isinstance(digest, str):
        return (cycle, version), digest
    return None


#: Texts this process has proven, by (id, content hash): a published text never changes, so each is read and
#: hashed once per process (the HR audit page verifies the system chain on every view). ``siklus audit verify``
#: is a process of its own and reads every text.
_proven: set[tuple[int, str]] = set()


def definition_differences(session: Session, published: Mapping[tuple[str, int], str]) -> list[Finding]:
    """Each stored definition whose text is not its fingerprint, or whose fingerprint is not the one its
    ``publish`` event recorded (``published``: (cycle, version) -> content hash, from the system chain)."""
    problems: list[Finding] = []
    rows = session.execute(select(CycleDefinitionRecord.id, CycleDefinitionRecord.cycle_id,
                                  CycleDefinitionRecord.version, CycleDefinitionRecord.status,
                                  CycleDefinitionRecord.content_hash).order_by(CycleDefinitionRecord.id)).all()
    unread = [row.id for row in rows if (row.id, row.content_hash) not in _proven]
    sources: dict[int, str] = {row_id: source for row_id, source in session.execute(
        select(CycleDefinitionRecord.id, CycleDefinitionRecord.source)
        .where(CycleDefinitionRecord.id.in_(unread)))} if unread else {}
    for row in rows:
        if row.id in sources:
            if content_hash(sources[row.id] or "") != row.content_hash:
                problems.append(finding("audit.definition_altered", id=row.id, cycle=row.cycle_id,
                                        version=row.version, hash=str(row.content_hash)[:12]))
            elif row.status != "draft":
                _proven.add((row.id, row.content_hash))
        chained = published.get((row.cycle_id, row.version))
        if row.status != "draft" and chained is not None and chained != row.content_hash:
            problems.append(finding("audit.definition_republished", id=row.id, cycle=row.cycle_id,
                                    version=row.version, live=str(row.content_hash)[:12], chain=chained[:12]))
    return problems


__all__ = ["EVENT_KIND", "definition_differences", "published_hash"]
