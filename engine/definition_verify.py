"""``siklus audit verify`` for stored cycle definitions: each text is the one its fingerprint names, and each
published version is the one the system chain recorded publishing.

Replay judges every step and every result by the appraisal's cycle version as stored. A definition whose text
was rewritten in the database (a role added to a step, a table changed) would make replay agree with whatever it
now says, so the text is proven first: its SHA-256 must be the ``content_hash`` stored beside it, and that hash
the one the ``publish`` event of the same cycle and version carries. Lives below engine.audit, which calls it
while walking the system chain; engine.loaded refuses to run such a text at all. A version's status (draft,
published, retired) and owning unit are held to the ``publish`` and ``retire`` events too (:class:`Lifecycle`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, finding
from engine.definition import content_hash
from engine.messages import Message
from engine.models import CycleDefinitionRecord, OrgUnit

#: The system chain's event of a publication; its payload carries the cycle, version and content hash.
EVENT_KIND = "publish"
#: The system chain's event of a version retired (no launches from then on).
RETIRE_KIND = "retire"


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


@dataclass
class Lifecycle:
    """What the system chain says of each version, by (cycle, version): its status after its ``publish`` and
    ``retire`` events (none: a draft), and the owning unit's code its ``publish`` recorded (since publications
    record it)."""

    statuses: dict[tuple[str, int], str] = field(default_factory=dict)
    owners: dict[tuple[str, int], str | None] = field(default_factory=dict)

    def apply(self, kind: str, payload: Mapping[str, object]) -> None:
        found = published_hash(payload)
        if found is None:
            return
        key = found[0]
        if kind == EVENT_KIND:
            self.statuses[key] = "published"
            if "owner" in payload:
                owner = payload["owner"]
                self.owners[key] = owner if isinstance(owner, str) else None
        elif kind == RETIRE_KIND:
            self.statuses[key] = "retired"


def definition_differences(session: Session, published: Mapping[tuple[str, int], str],
                           lifecycle: Lifecycle | None = None) -> list[Finding]:
    """Each stored definition whose text is not its fingerprint, or whose fingerprint is not the one its
    ``publish`` event recorded (``published``: (cycle, version) -> content hash, from the system chain); with
    ``lifecycle``, each whose status or owner is not what the chain says (a version marked retired stops
    launches, one marked published opens them, and the owner decides whose HR may change the cycle)."""
    problems: list[Finding] = []
    owner = OrgUnit.__table__.alias("owner")
    rows = session.execute(select(CycleDefinitionRecord.id, CycleDefinitionRecord.cycle_id,
                                  CycleDefinitionRecord.version, CycleDefinitionRecord.status,
                                  CycleDefinitionRecord.content_hash, owner.c.code.label("owner"))
                           .outerjoin(owner, owner.c.id == CycleDefinitionRecord.owner_unit_id)
                           .order_by(CycleDefinitionRecord.id)).all()
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
        if lifecycle is None:
            continue
        key = (row.cycle_id, row.version)
        said = lifecycle.statuses.get(key, "draft")
        if row.status != said:
            problems.append(finding("audit.definition_status", id=row.id, cycle=row.cycle_id, version=row.version,
                                    live=_status(row.status), chain=_status(said)))
        if key in lifecycle.owners and lifecycle.owners[key] != row.owner:
            problems.append(finding("audit.definition_owner", id=row.id, cycle=row.cycle_id, version=row.version,
                                    live=row.owner or Message("audit.whole_organisation"),
                                    chain=lifecycle.owners[key] or Message("audit.whole_organisation")))
    return problems


def _status(status: object) -> Message | str:
    return Message(f"audit.definition_status.{status}") if status in ("draft", "published", "retired") \
        else str(status)


__all__ = ["EVENT_KIND", "RETIRE_KIND", "Lifecycle", "definition_differences", "published_hash"]
