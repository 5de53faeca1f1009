"""Stored cycle definitions: save a draft, publish (immutable from then on), retire, and load.

Loading goes through one process-wide cache keyed by record id (:mod:`engine.loaded`, re-exported
here); a published record never changes, so the cached definition and its shared machine stay valid
for the life of the process.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from engine.audit import EventInfo, append_system_event
from engine.definition import content_hash
from engine.errors import InvalidInput, NotFound
from engine.limits import check_cycle_size, echoed
from engine.loaded import compiled_by_id, compiled_of, definition_of, get_record
from engine.messages import Message
from engine.models import CycleDefinitionRecord, OrgUnit, utcnow
from engine.ownership import AsFound, require_cycle_owner
from engine.permissions import Actor
from engine.validation import load_definition


class ImmutableDefinitionError(InvalidInput):
    code = "immutable-definition"


@event.listens_for(CycleDefinitionRecord, "before_update")
def _refuse_changes_to_published(_mapper: Any, _conn: Any, target: CycleDefinitionRecord) -> None:
    state = inspect(target)
    status_hist = state.attrs.status.history
    was = status_hist.deleted[0] if status_hist.deleted else target.status
    if was in ("published", "retired"):
        for name in ("source", "content_hash", "version", "cycle_id"):
            if state.attrs[name].history.has_changes():
                raise ImmutableDefinitionError(
                    f"{target.cycle_id} version {target.version} is published and cannot change; save a new version",
                    msg=Message("definition.published", cycle=target.cycle_id, version=target.version))


def find_record(session: Session, cycle_id: str, version: int | None = None,
                status: str | None = "published") -> CycleDefinitionRecord:
    """The given version of a cycle, or its newest (published) one."""
    stmt = select(CycleDefinitionRecord).where(CycleDefinitionRecord.cycle_id == cycle_id)
    if version is not None:
        stmt = stmt.where(CycleDefinitionRecord.version == version)
    if status is not None:
        stmt = stmt.where(CycleDefinitionRecord.status == status)
    record = session.scalars(stmt.order_by(CycleDefinitionRecord.version.desc()).limit(1)).first()
    if record is None:
        known = sorted(set(session.scalars(select(CycleDefinitionRecord.cycle_id))))
        what = f"{echoed(cycle_id, 64)} version {version}" if version is not None else echoed(cycle_id, 64)
        raise NotFound(f"no {status or ''} cycle definition {what}".replace("  ", " ")
                       + (f"; known cycles: {', '.join(known)}" if known else ""),
                       msg=Message("definition.not_found_known", what=what, known=known) if known
                       else Message("definition.not_found", what=what))
    return record


def save_draft(session: Session, source: str, filename: str, actor: Actor, *,
               dead_ends: bool = True, owner: int | None | type[AsFound] = AsFound,
               now: datetime | None = None) -> CycleDefinitionRecord:
    """Validate and store a cycle file as a draft (replacing a draft of the same version). Commits.

    Only HR who may change the cycle saves a version of it; the first version's saver makes its owner
    (:mod:`engine.ownership`): ``owner`` when they chose one of theirs (a unit id, None for the whole
    organisation), else the default. A new version keeps its cycle's owner.

    A file over the cycle file size limit is refused (:class:`~engine.limits.TooLarge`) unread.
    ``dead_ends=False`` accepts a cycle a missing input can strand: the simulator's private database only.
    ``now`` is the moment a new draft is made (the clock's by default; a demo sets up its past earlier).
    """
    check_cycle_size(source, filename)
    defn = load_definition(source, filename, dead_ends=dead_ends)
    owner_id = require_cycle_owner(session, actor, defn.id, owner)
    existing = session.scalars(
        select(CycleDefinitionRecord).where(
            CycleDefinitionRecord.cycle_id == defn.id, CycleDefinitionRecord.version == defn.version
        )
    ).first()
    if existing is not None:
        if existing.content_hash == defn.content_hash:
            return existing
        if existing.status != "draft":
            raise ImmutableDefinitionError(
                f"{defn.id} version {defn.version} is already {existing.status} with different content (hash "
                f"{existing.content_hash[:12]}); raise 'version' to {_next_version(session, defn.id)} to publish a "
                "change",
                msg=Message("definition.changed", cycle=defn.id, version=defn.version, status=existing.status,
                            next=_next_version(session, defn.id)))
        existing.source, existing.content_hash, existing.title = source, defn.content_hash, defn.title.id
        session.commit()
        return existing
    record = CycleDefinitionRecord(
        cycle_id=defn.id, version=defn.version, content_hash=defn.content_hash, source=source,
        title=defn.title.id, status="draft", owner_unit_id=owner_id, created_at=now or utcnow(),
    )
    session.add(record)
    session.commit()
    return record


def _next_version(session: Session, cycle_id: str) -> int:
    versions = session.scalars(select(CycleDefinitionRecord.version).where(CycleDefinitionRecord.cycle_id == cycle_id))
    return max(versions, default=0) + 1


def publish(session: Session, record: CycleDefinitionRecord, actor: Actor, *,
            now: datetime | None = None) -> CycleDefinitionRecord:
    """Publish a draft: from now on it is immutable and can be launched. Audited. Commits.

    ``now`` is the moment of the publication (the clock's by default; a demo dates its setup before the
    past periods it launches, so the system chain reads in order)."""
    if record.status == "published":
        return record
    require_cycle_owner(session, actor, record.cycle_id)
    if record.status == "retired":
        raise InvalidInput(f"{record.cycle_id} version {record.version} is retired and cannot be published again",
                           msg=Message("definition.retired", cycle=record.cycle_id, version=record.version))
    definition_of(record)  # a stored draft must still build
    record.status = "published"
    record.published_at = now = now or utcnow()
    append_system_event(session, EventInfo(
        kind="publish", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
        payload={"cycle_id": record.cycle_id, "version": record.version, "content_hash": record.content_hash,
                 "owner": _owner_code(session, record)},
    ), occurred_at=now)
    session.commit()
    return record


def _owner_code(session: Session, record: CycleDefinitionRecord) -> str | None:
    """The code of the unit owning the version (None: the whole organisation), as its publication records it."""
    if record.owner_unit_id is None:
        return None
    return session.scalar(select(OrgUnit.code).where(OrgUnit.id == record.owner_unit_id))


def publish_source(session: Session, source: str, filename: str, actor: Actor, *,
                   dead_ends: bool = True, now: datetime | None = None) -> CycleDefinitionRecord:
    """Validate, store and publish a cycle file in one step (what ``siklus publish`` does); ``now`` dates both
    (the clock's moment by default)."""
    return publish(session, save_draft(session, source, filename, actor, dead_ends=dead_ends, now=now), actor,
                   now=now)


def retire(session: Session, record: CycleDefinitionRecord, actor: Actor) -> CycleDefinitionRecord:
    """Stop new launches of a version; running appraisals carry on. Audited. Commits."""
    require_cycle_owner(session, actor, record.cycle_id)
    if record.status != "published":
        raise InvalidInput(f"only a published definition can be retired; {record.cycle_id} v{record.version} is "
                           f"{record.status}", msg=Message("definition.retire_unpublished", cycle=record.cycle_id,
                                                           version=record.version, status=record.status))
    record.status = "retired"
    record.retired_at = utcnow()
    append_system_event(session, EventInfo(
        kind="retire", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
        payload={"cycle_id": record.cycle_id, "version": record.version, "content_hash": record.content_hash},
    ))
    session.commit()
    return record


__all__ = [
    "ImmutableDefinitionError", "compiled_by_id", "compiled_of", "content_hash", "definition_of", "find_record",
    "get_record", "publish", "publish_source", "retire", "save_draft",
]
