"""The one place that writes audit events, and the walk that verifies the chain.

Every event stores the hash of the event before it in its stream and a hash of its own content,
so changing, inserting or removing an event breaks the chain at a point ``verify_chain`` names.
An appraisal's chain head lives on the appraisal row and moves in the same version-checked UPDATE
as the state change, so a transition and its event commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Collection, Iterator

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.models import Appraisal, AuditEvent, utcnow

SYSTEM_STREAM = "system"
_HASHED_FIELDS = (
    "stream", "seq", "kind", "actor_user_id", "actor_name", "role", "appraisal_id", "employee_id",
    "unit_id", "trigger", "from_state", "to_state", "payload", "results", "prev_hash",
)


def appraisal_stream(appraisal_id: int) -> str:
    return f"appraisal:{appraisal_id}"


def _moment(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    elif value.tzinfo is not timezone.utc:
        value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# The canonical form every hash is taken over; one encoder, built once (json.dumps builds one per call).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 over a canonical JSON of the event's content (``hash`` itself excluded)."""
    body = {name: fields.get(name) for name in _HASHED_FIELDS}
    body["occurred_at"] = _moment(fields["occurred_at"])
    return hashlib.sha256(_CANONICAL.encode(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EventInfo:
    """What happened, by whom, acting as which role."""

    kind: str
    actor_user_id: int | None
    actor_name: str
    role: str | None = None
    trigger: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    payload: dict[str, Any] | None = None
    results: dict[str, Any] | None = None
    employee_id: int | None = None
    unit_id: int | None = None


def event_fields(stream: str, seq: int, prev_hash: str, info: EventInfo, appraisal_id: int | None,
                 occurred_at: datetime) -> dict[str, Any]:
    """The column values of a new event, its hash included."""
    fields: dict[str, Any] = {
        "stream": stream,
        "seq": seq,
        "occurred_at": occurred_at,
        "kind": info.kind,
        "actor_user_id": info.actor_user_id,
        "actor_name": info.actor_name,
        "role": info.role,
        "appraisal_id": appraisal_id,
        "employee_id": info.employee_id,
        "unit_id": info.unit_id,
        "trigger": info.trigger,
        "from_state": info.from_state,
        "to_state": info.to_state,
        "payload": info.payload or {},
        "results": info.results or {},
        "prev_hash": prev_hash,
    }
    fields["hash"] = event_hash(fields)
    return fields


def _event(stream: str, seq: int, prev_hash: str, info: EventInfo, appraisal_id: int | None,
           occurred_at: datetime) -> AuditEvent:
    return AuditEvent(**event_fields(stream, seq, prev_hash, info, appraisal_id, occurred_at))


def append_appraisal_event(session: Session, appraisal: Appraisal, info: EventInfo,
                           occurred_at: datetime | None = None) -> AuditEvent:
    """Add an event to the appraisal's chain and move its head (flushed with the appraisal)."""
    event = _event(
        appraisal_stream(appraisal.id), appraisal.audit_seq + 1, appraisal.audit_head, info, appraisal.id,
        occurred_at or utcnow(),
    )
    appraisal.audit_seq = event.seq
    appraisal.audit_head = event.hash
    # The version-checked UPDATE of the appraisal goes first: a concurrent writer fails there with
    # a stale version instead of racing on the chain's (stream, seq).
    session.flush()
    session.add(event)
    return event


def append_system_event(session: Session, info: EventInfo, occurred_at: datetime | None = None,
                        attempts: int = 5) -> AuditEvent:
    """Add an event to the system chain; the unique (stream, seq) keeps concurrent writers from forking it."""
    for attempt in range(attempts):
        last = session.execute(
            select(AuditEvent.seq, AuditEvent.hash)
            .where(AuditEvent.stream == SYSTEM_STREAM)
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        ).first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, "")
        event = _event(SYSTEM_STREAM, seq, prev, info, None, occurred_at or utcnow())
        try:
            with session.begin_nested():
                session.add(event)
            return event
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification walk; ``broken`` names the first broken link, if any."""

    events: int
    streams: int
    broken: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _events(session: Session, streams: Collection[str] | None = None) -> Iterator[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.stream, AuditEvent.seq).execution_options(yield_per=2000)
    if streams is not None:
        stmt = stmt.where(AuditEvent.stream.in_(list(streams)))
    for event in session.scalars(stmt):
        yield event
        session.expunge(event)


def verify_chain(session: Session, streams: Collection[str] | None = None) -> ChainReport:
    """Walk every stream in order (or only ``streams``); report the first event whose link or content does not hold."""
    heads_query = select(Appraisal.id, Appraisal.audit_seq, Appraisal.audit_head)
    if streams is not None:
        wanted = [int(name.split(":", 1)[1]) for name in streams
                  if name.startswith("appraisal:") and name.split(":", 1)[1].isdigit()]
        heads_query = heads_query.where(Appraisal.id.in_(wanted))
    heads = {appraisal_stream(aid): (seq, head) for aid, seq, head in session.execute(heads_query)}
    count = 0
    walked = 0
    stream = None
    prev_hash = ""
    expected_seq = 1

    def tail_check(name: str | None, last_seq: int, last_hash: str) -> str | None:
        if name is None or name not in heads:
            return None
        seq, head = heads.pop(name)
        if (seq, head) != (last_seq, last_hash):
            return (f"{name}: the chain ends at seq {last_seq} but the appraisal records seq {seq}; "
                    "events were removed or added after the fact")
        return None

    for event in _events(session, streams):
        count += 1
        if event.stream != stream:
            broken = tail_check(stream, expected_seq - 1, prev_hash)
            if broken:
                return ChainReport(count, walked, broken)
            stream, prev_hash, expected_seq = event.stream, "", 1
            walked += 1
        where = f"event #{event.id} ({event.stream}, seq {event.seq})"
        if event.seq != expected_seq:
            return ChainReport(count, walked, f"{where}: expected seq {expected_seq}; an event is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(count, walked, f"{where}: does not link to the event before it")
        fields = {name: getattr(event, name) for name in _HASHED_FIELDS}
        fields["occurred_at"] = event.occurred_at
        if event_hash(fields) != event.hash:
            return ChainReport(count, walked, f"{where}: its content no longer matches its hash (edited after the fact)")
        prev_hash = event.hash
        expected_seq += 1
    broken = tail_check(stream, expected_seq - 1, prev_hash)
    if broken:
        return ChainReport(count, walked, broken)
    for name, (seq, _head) in heads.items():
        if seq:
            return ChainReport(count, walked, f"{name}: the appraisal records {seq} events but none are stored")
    return ChainReport(count, walked)
