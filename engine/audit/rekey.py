"""Re-signing the audit log with the current key (``siklus audit rekey``).

Events of earlier versions (unkeyed SHA-256) and events signed with a rotated-out key are re-signed
once, after each link is checked with its own hash; appraisals launched before they had a chain get
their ``create`` event, and appraisals closed without a ``close`` event get theirs, all through the
one writer (:mod:`engine.audit.writer`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.audit.chain import (
    HASHED_FIELDS,
    SYSTEM_STREAM,
    EventInfo,
    UnknownAuditKey,
    appraisal_stream,
    checkpoint_signature,
    event_hash,
)
from engine.audit.verify import EVENT_COLUMNS, VERIFY_BATCH
from engine.audit.writer import (
    EVENTS,
    Creation,
    append_appraisal_event,
    append_system_event,
    record_creations,
    write_checkpoints,
)
from engine.audit_findings import finding, stream_label
from engine.keys import keyring
from engine.messages import Message
from engine.models import Appraisal, AuditEvent, CycleDefinitionRecord, Employee, utcnow


@dataclass(frozen=True)
class RekeyReport:
    events: int
    streams: int
    problems: tuple[str, ...] = ()
    started: int = 0
    closures: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _stream_names(session: Session) -> Iterator[str]:
    yield SYSTEM_STREAM
    last = 0
    while True:
        ids = [i for i in session.scalars(select(AuditEvent.appraisal_id).where(AuditEvent.appraisal_id > last)
                                          .group_by(AuditEvent.appraisal_id).order_by(AuditEvent.appraisal_id)
                                          .limit(VERIFY_BATCH)) if i is not None]
        if not ids:
            return
        yield from (appraisal_stream(i) for i in ids)
        last = ids[-1]


def rekey(session: Session, actor_name: str, actor_user_id: int | None = None, *, dry_run: bool = False) -> RekeyReport:
    """Re-sign, with the current key, every stream holding an event not signed by it (an unkeyed
    event of an earlier version, or a rotated-out key), after checking each link with its own hash.

    Refuses (changes nothing) when any such stream is broken. One transaction; the system chain
    records who re-signed how many events, and the old and new heads of each stream are kept in it.
    """
    current = keyring().current_audit_key_id
    problems: list[str] = []
    plans: list[tuple[str, list[Any]]] = []
    for stream in _stream_names(session):
        rows = list(session.execute(select(*EVENT_COLUMNS).where(EVENTS.c.stream == stream).order_by(EVENTS.c.seq)))
        if not rows or all(r.key_id == current for r in rows):
            continue
        prev, expected = "", 1
        for row in rows:
            where = Message("audit.event_where_short", label=stream_label(stream), event=str(row.id),
                            seq=str(row.seq))
            fields = {name: getattr(row, name) for name in HASHED_FIELDS}
            fields["occurred_at"], fields["key_id"] = row.occurred_at, row.key_id
            try:
                intact = row.seq == expected and row.prev_hash == prev and event_hash(fields) == row.hash
            except UnknownAuditKey:
                problems.append(finding("audit.rekey_unknown_key", where=where, key=row.key_id))
                break
            if not intact:
                problems.append(finding("audit.rekey_broken", where=where))
                break
            prev, expected = row.hash, expected + 1
        else:
            plans.append((stream, rows))
    unchained = _unchained(session)
    unclosed = _closed_without_event(session)
    if problems or dry_run:
        return RekeyReport(sum(len(r) for _, r in plans), len(plans), tuple(problems), len(unchained), len(unclosed))
    heads: dict[str, dict[str, Any]] = {}
    try:
        for stream, rows in plans:
            prev = ""
            for row in rows:
                fields = {name: getattr(row, name) for name in HASHED_FIELDS}
                fields.update(occurred_at=row.occurred_at, prev_hash=prev, key_id=current)
                fields["hash"] = event_hash(fields)
                session.execute(update(EVENTS).where(EVENTS.c.id == row.id).values(
                    prev_hash=prev, key_id=current, hash=fields["hash"]))
                prev = fields["hash"]
            heads[stream] = {"from": rows[-1].hash, "to": prev, "seq": rows[-1].seq}
            last = rows[-1]
            if last.appraisal_id is not None and stream != SYSTEM_STREAM:
                session.execute(update(Appraisal).where(Appraisal.id == last.appraisal_id).values(audit_head=prev))
            write_checkpoints(session, [{
                "stream": stream, "appraisal_id": None if stream == SYSTEM_STREAM else last.appraisal_id,
                "seq": last.seq, "hash": prev, "key_id": current, "updated_at": utcnow(),
                "signature": checkpoint_signature(stream, last.seq, prev, current),
            }])
        now = utcnow()
        for (run_id, cycle_id, version, content_hash, state), members in _grouped(unchained).items():
            record_creations(session, members, EventInfo(
                kind="create", actor_user_id=actor_user_id, actor_name=actor_name, role="sdm", to_state=state,
                payload={"via": "rekey", "run_id": run_id, "cycle_id": cycle_id, "version": version,
                         "content_hash": content_hash},
            ), now)
        if unclosed:
            for appraisal in session.scalars(select(Appraisal).where(Appraisal.id.in_(unclosed))
                                             .execution_options(populate_existing=True)):
                unit_id = session.scalar(select(Employee.unit_id).where(Employee.id == appraisal.employee_id))
                append_appraisal_event(session, appraisal, EventInfo(
                    kind="close", actor_user_id=actor_user_id, actor_name=actor_name, role="sdm",
                    from_state=appraisal.state, to_state=appraisal.state,
                    payload={"kind": appraisal.closed_kind, "reason": appraisal.closed_reason, "state": appraisal.state,
                             "run_id": appraisal.run_id, "via": "rekey"},
                    employee_id=appraisal.employee_id, unit_id=unit_id,
                ), occurred_at=now)
        count = sum(len(r) for _, r in plans)
        if plans or unchained or unclosed:
            append_system_event(session, EventInfo(
                kind="rekey", actor_user_id=actor_user_id, actor_name=actor_name, role="sdm",
                payload={"key_id": current, "events": count, "streams": len(plans), "started": len(unchained),
                         "closures": len(unclosed), "heads": heads if len(heads) <= 1000 else {}},
            ))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return RekeyReport(count, len(plans), (), len(unchained), len(unclosed))


def _closed_without_event(session: Session) -> list[int]:
    """Appraisals closed without a ``close`` event (the upgrade that closed a second launch's duplicates)."""
    return list(session.scalars(
        select(Appraisal.id).where(Appraisal.closed_at.is_not(None), ~select(AuditEvent.id).where(
            AuditEvent.appraisal_id == Appraisal.id, AuditEvent.kind == "close").exists())
        .order_by(Appraisal.id)))


def _unchained(session: Session) -> list[tuple[Any, ...]]:
    """Appraisals launched before appraisals had a chain and never changed since: no event at all."""
    return list(session.execute(
        select(Appraisal.id, Appraisal.employee_id, Employee.unit_id, Appraisal.run_id, CycleDefinitionRecord.cycle_id,
               CycleDefinitionRecord.version, CycleDefinitionRecord.content_hash, Appraisal.state)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .join(CycleDefinitionRecord, CycleDefinitionRecord.id == Appraisal.definition_id)
        .where(Appraisal.audit_seq == 0, ~select(AuditEvent.id).where(AuditEvent.appraisal_id == Appraisal.id).exists())
        .order_by(Appraisal.id)))


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[tuple[Any, ...], list[Creation]]:
    groups: dict[tuple[Any, ...], list[Creation]] = defaultdict(list)
    for aid, employee_id, unit_id, *start in rows:
        groups[tuple(start)].append(Creation(aid, employee_id, unit_id))
    return groups

