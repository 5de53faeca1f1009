"""The one place that writes audit events, and the walk that verifies the chain and the data it proves.

Every event stores the hash of the event before it in its stream and a keyed hash (HMAC-SHA256 with
a server key kept outside the database, :mod:`engine.keys`) of its own content, so changing,
inserting or removing an event breaks the chain at a point :func:`verify_chain` names, and someone
who can write the database but lacks the key cannot recompute the hashes after a rewrite.
Each event names the key that signed it (``key_id``), so keys can rotate; events of earlier versions
(``key_id`` NULL, an unkeyed SHA-256) are re-signed once by ``siklus audit rekey`` (:func:`rekey`).

An appraisal's chain head lives on the appraisal row and moves in the same version-checked UPDATE
as the state change; a signed copy of each stream's head (:class:`~engine.models.AuditCheckpoint`)
is written in the same transaction, so a cut tail with the head moved back, or an appraisal deleted
with its events, is found. :func:`verify_chain` also replays each appraisal's chain
(:mod:`engine.replay`) and names every live row that differs from what the chain derives.
See docs/audit.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Integer, String, and_, bindparam, func, insert, literal, or_, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.db import DriverStatement
from engine.keys import keyring
from engine.limits import parse_id
from engine.models import Appraisal, AuditCheckpoint, AuditEvent, utcnow
from engine.unit_predicate_verify import EVENT_KIND as DECISION_EVENT
from engine.unit_predicate_verify import decision_differences

SYSTEM_STREAM = "system"
_HASHED_FIELDS = (
    "stream", "seq", "kind", "actor_user_id", "actor_name", "role", "appraisal_id", "employee_id",
    "unit_id", "trigger", "from_state", "to_state", "payload", "results", "prev_hash",
)
# How many problems a report lists; the rest are counted.
REPORT_LIMIT = 100
# Appraisals whose chains and rows are read together while verifying (bounded memory).
VERIFY_BATCH = 500


def appraisal_stream(appraisal_id: int) -> str:
    return f"appraisal:{appraisal_id}"


def _moment(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# The canonical form every hash is taken over; one encoder, built once (json.dumps builds one per call).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
_encode_text: Callable[[str], str] = json.encoder.encode_basestring


class UnknownAuditKey(LookupError):
    """An event or checkpoint names a key id that is not configured (``SIKLUS_AUDIT_KEY``)."""


_MACS: dict[bytes, Any] = {}


def _mac(key_id: str, message: bytes) -> str:
    key = keyring().audit_key_for(key_id)
    if key is None:
        raise UnknownAuditKey(key_id)
    base = _MACS.get(key)
    if base is None:
        base = _MACS[key] = hmac.new(key, digestmod=hashlib.sha256)
    mac = base.copy()
    mac.update(message)
    return mac.hexdigest()


def event_hash(fields: Mapping[str, Any]) -> str:
    """The event's hash (``hash`` itself excluded): HMAC-SHA256 with the key ``key_id`` names.

    ``key_id`` None is the unkeyed SHA-256 of earlier versions, kept only so ``rekey`` can check
    such events before re-signing them. Raises :class:`UnknownAuditKey` for a key not configured.
    """
    body = {name: fields.get(name) for name in _HASHED_FIELDS}
    body["occurred_at"] = _moment(fields["occurred_at"])
    key_id = fields.get("key_id")
    if key_id is None:
        return hashlib.sha256(_CANONICAL.encode(body).encode("utf-8")).hexdigest()
    body["key_id"] = key_id
    return _mac(key_id, _CANONICAL.encode(body).encode("utf-8"))


def checkpoint_signature(stream: str, seq: int, head: str, key_id: str) -> str:
    """The keyed signature of a stream's head."""
    return _mac(key_id, f"checkpoint\x1f{stream}\x1f{seq}\x1f{head}".encode())


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
    """The column values of a new event, its key id and keyed hash included."""
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
        "key_id": keyring().current_audit_key_id,
    }
    fields["hash"] = event_hash(fields)
    return fields


def checkpoint_of(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The column values of the checkpoint that makes the event ``fields`` its stream's head.

    Its bind names are the event's own (plus ``signature``), so the firing statements can share them.
    """
    return {
        "stream": fields["stream"], "appraisal_id": fields["appraisal_id"], "seq": fields["seq"],
        "hash": fields["hash"], "key_id": fields["key_id"], "updated_at": fields["occurred_at"],
        "signature": checkpoint_signature(fields["stream"], fields["seq"], fields["hash"], fields["key_id"]),
    }


_CHECKPOINTS = AuditCheckpoint.__table__
_CHECKPOINT_COLUMNS = ("stream", "appraisal_id", "seq", "hash", "key_id", "signature", "updated_at")


@cache
def checkpoint_upsert(dialect_name: str) -> postgresql.Insert | sqlite.Insert:
    """INSERT of a checkpoint (bind names as :func:`checkpoint_of`) that replaces the stream's old one.

    Built once per dialect: building it costs more than running it, and every transition uses it.
    """
    module = postgresql if dialect_name == "postgresql" else sqlite
    stmt = module.insert(_CHECKPOINTS).values({name: bindparam(name) for name in _CHECKPOINT_COLUMNS})
    return stmt.on_conflict_do_update(
        index_elements=[_CHECKPOINTS.c.stream],
        set_={name: stmt.excluded[name] for name in _CHECKPOINT_COLUMNS if name != "stream"},
    )


def _write_checkpoints(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        session.execute(checkpoint_upsert(session.get_bind().dialect.name), list(rows))


def _event(stream: str, seq: int, prev_hash: str, info: EventInfo, appraisal_id: int | None,
           occurred_at: datetime) -> AuditEvent:
    return AuditEvent(**event_fields(stream, seq, prev_hash, info, appraisal_id, occurred_at))


def append_appraisal_event(session: Session, appraisal: Appraisal, info: EventInfo,
                           occurred_at: datetime | None = None) -> AuditEvent:
    """Add an event to the appraisal's chain, move its head and its checkpoint (flushed with the appraisal)."""
    fields = event_fields(
        appraisal_stream(appraisal.id), appraisal.audit_seq + 1, appraisal.audit_head, info, appraisal.id,
        occurred_at or utcnow(),
    )
    event = AuditEvent(**fields)
    appraisal.audit_seq = event.seq
    appraisal.audit_head = event.hash
    # The version-checked UPDATE of the appraisal goes first: a concurrent writer fails there with
    # a stale version instead of racing on the chain's (stream, seq).
    session.flush()
    session.add(event)
    _write_checkpoints(session, [checkpoint_of(fields)])
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
        fields = event_fields(SYSTEM_STREAM, seq, prev, info, None, occurred_at or utcnow())
        event = AuditEvent(**fields)
        try:
            with session.begin_nested():
                session.add(event)
                session.flush()
                _write_checkpoints(session, [checkpoint_of(fields)])
            return event
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Creation:
    """A new appraisal entering its chain: who it is about and where it starts."""

    appraisal_id: int
    employee_id: int
    unit_id: int | None


def record_creations(session: Session, created: Iterable[Creation], info: EventInfo,
                     occurred_at: datetime) -> int:
    """Start the chains of new appraisals: a ``create`` event each (``info`` is their shared content), set-based.

    The payload should name the run and the definition (``run_id``, ``cycle_id``, ``version``,
    ``content_hash``) and ``to_state`` the initial state, so the replay starts from them.
    Each appraisal's head and checkpoint move to its event. Returns how many chains were started.
    """
    template = _CreationTemplate(info, occurred_at)
    rows = [(appraisal_stream(c.appraisal_id), c.appraisal_id, c.employee_id, c.unit_id) for c in created]
    if not rows:
        return 0
    hashed = [(row, template.hash(row)) for row in rows]
    key_id = template.fields["key_id"]
    signatures = [checkpoint_signature(row[0], 1, h, key_id) for row, h in hashed]
    conn = session.connection()
    record, move, sign = _creation_statements(conn.dialect)
    conn.exec_driver_sql(record.sql, record.many(template.fields, _VARYING + ("hash",),
                                                 [(*row, h) for row, h in hashed]))
    conn.exec_driver_sql(move.sql, move.many({}, ("b_id", "b_head"), [(row[1], h) for row, h in hashed]))
    conn.exec_driver_sql(sign.sql, sign.many(
        {"seq": 1, "key_id": key_id, "updated_at": occurred_at}, ("stream", "appraisal_id", "hash", "signature"),
        [(row[0], row[1], h, sig) for (row, h), sig in zip(hashed, signatures, strict=True)]))
    return len(rows)


# What tells the create events of one launch apart; everything else they share.
_VARYING = ("stream", "appraisal_id", "employee_id", "unit_id")


class _CreationTemplate:
    """The fields of create events that differ only in :data:`_VARYING`, with their canonical text split
    around those values, so a launch of many appraisals encodes the shared part once.

    The canonical text of a dict is its members in key order, so joining the pieces with each row's
    encoded values gives exactly the text :func:`event_hash` encodes (verification recomputes it that way).
    """

    def __init__(self, info: EventInfo, occurred_at: datetime) -> None:
        marks = {name: f"\x00{name}\x00" for name in _VARYING}
        self.fields = event_fields(marks["stream"], 1, "", EventInfo(
            kind="create", actor_user_id=info.actor_user_id, actor_name=info.actor_name, role=info.role,
            to_state=info.to_state, payload=info.payload, employee_id=None, unit_id=None,
        ), None, occurred_at)
        self.fields.pop("hash")
        body = {name: self.fields.get(name) for name in _HASHED_FIELDS}
        body.update({name: marks[name] for name in _VARYING})
        body["occurred_at"] = _moment(occurred_at)
        body["key_id"] = self.fields["key_id"]
        text = _CANONICAL.encode(body)
        found = sorted((text.index(_CANONICAL.encode(mark)), name) for name, mark in marks.items())
        self.order = [_VARYING.index(name) for _at, name in found]
        self.pieces: list[str] = []
        at = 0
        for position, name in found:
            self.pieces.append(text[at:position])
            at = position + len(_CANONICAL.encode(marks[name]))
        self.pieces.append(text[at:])

    def hash(self, row: Sequence[Any]) -> str:
        parts = [self.pieces[0]]
        for i, piece in zip(self.order, self.pieces[1:], strict=True):
            value = row[i]
            # The canonical text of the varying values (ints, None, strings) without the encoder's overhead.
            parts.append("null" if value is None else str(value) if type(value) is int else _encode_text(value))
            parts.append(piece)
        return _mac(self.fields["key_id"], "".join(parts).encode("utf-8"))


_creation_compiled: dict[Any, tuple[DriverStatement, DriverStatement, DriverStatement]] = {}


def _creation_statements(dialect: Any) -> tuple[DriverStatement, DriverStatement, DriverStatement]:
    """Insert the create events, move the heads, write the checkpoints: compiled once per dialect."""
    found = _creation_compiled.get(dialect)
    if found is None:
        appraisals = Appraisal.__table__
        columns = [c for c in _E.c if not c.primary_key]
        found = _creation_compiled[dialect] = (
            DriverStatement(insert(_E).values({c.name: bindparam(c.name, type_=c.type) for c in columns}), dialect),
            DriverStatement(update(appraisals).where(appraisals.c.id == bindparam("b_id", type_=Integer),
                                                     appraisals.c.audit_seq == 0)
                            .values(audit_seq=1, audit_head=bindparam("b_head", type_=String)), dialect),
            DriverStatement(checkpoint_upsert(dialect.name), dialect),
        )
    return found


# -- verification ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification walk.

    ``problems`` names each broken link and each live row that differs from its chain (the first
    :data:`REPORT_LIMIT`; ``unlisted`` counts the rest); ``broken`` is the first of them.
    """

    events: int
    streams: int
    broken: str | None = None
    problems: tuple[str, ...] = ()
    unlisted: int = 0
    appraisals: int = 0

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.problems

    @property
    def count(self) -> int:
        """How many problems were found."""
        return len(self.problems) + self.unlisted


class _EventRow(Protocol):
    id: int
    stream: str
    seq: int
    occurred_at: datetime
    kind: str
    appraisal_id: int | None
    trigger: str | None
    from_state: str | None
    to_state: str | None
    payload: dict[str, Any]
    results: dict[str, Any]
    prev_hash: str
    hash: str
    key_id: str | None


_E = AuditEvent.__table__
_EVENT_READ = [c for c in _E.c]


@dataclass
class _Findings:
    """Problems found so far, bounded."""

    limit: int
    problems: list[str] = field(default_factory=list)
    unlisted: int = 0
    events: int = 0
    streams: int = 0
    appraisals: int = 0

    def add(self, problem: str) -> None:
        if len(self.problems) < self.limit:
            self.problems.append(problem)
        else:
            self.unlisted += 1

    def report(self) -> ChainReport:
        return ChainReport(self.events, self.streams, self.problems[0] if self.problems else None,
                           tuple(self.problems), self.unlisted, self.appraisals)


def _stream_label(stream: str) -> str:
    if stream.startswith("appraisal:"):
        return f"appraisal #{stream.split(':', 1)[1]}"
    return f"the {stream} chain"


def check_link(event: _EventRow, expected_seq: int, prev_hash: str) -> str | None:
    """Why ``event`` does not continue its chain after ``prev_hash``, or None when it does."""
    where = f"{_stream_label(event.stream)}: event #{event.id} ({event.stream}, seq {event.seq})"
    if event.seq != expected_seq:
        what = "is missing" if event.seq > expected_seq else "is there twice"
        return f"{where}: expected seq {expected_seq}; an event {what}"
    if event.prev_hash != prev_hash:
        return f"{where}: does not link to the event before it"
    if event.key_id is None:
        return (f"{where}: is signed with the unkeyed hash of earlier versions, which anyone can recompute; "
                "run `siklus audit rekey` once to sign the log with the server key")
    fields = {name: getattr(event, name) for name in _HASHED_FIELDS}
    fields["occurred_at"] = event.occurred_at
    fields["key_id"] = event.key_id
    try:
        expected = event_hash(fields)
    except UnknownAuditKey:
        return f"{where}: is signed with key '{event.key_id}', which is not configured (SIKLUS_AUDIT_KEY)"
    if not hmac.compare_digest(expected, event.hash):
        return f"{where}: its content no longer matches its hash (edited after the fact)"
    return None


def _check_checkpoint(label: str, checkpoint: Any, last_seq: int, last_hash: str) -> str | None:
    if checkpoint is None:
        if last_seq == 0:
            return None
        return f"{label}: its head (seq {last_seq}) has no signed checkpoint; events were added after the fact"
    try:
        signature = checkpoint_signature(checkpoint.stream, checkpoint.seq, checkpoint.hash, checkpoint.key_id)
    except UnknownAuditKey:
        return f"{label}: its checkpoint is signed with key '{checkpoint.key_id}', which is not configured"
    if not hmac.compare_digest(signature, checkpoint.signature):
        return f"{label}: its checkpoint's signature does not hold (edited after the fact)"
    if (checkpoint.seq, checkpoint.hash) != (last_seq, last_hash):
        if checkpoint.seq > last_seq:
            return (f"{label}: the chain ends at seq {last_seq} but its signed checkpoint records seq "
                    f"{checkpoint.seq}; events were removed after the fact")
        return (f"{label}: the chain ends at seq {last_seq} but its signed checkpoint records seq {checkpoint.seq} "
                "with another hash; events were added or replaced after the fact")
    return None


def _walk(events: Iterable[_EventRow], label: str, findings: _Findings,
          on_event: Callable[[_EventRow], None] | None = None) -> tuple[int, str, bool]:
    """Check one stream's links in order; returns (last seq, last hash, intact)."""
    prev_hash, expected = "", 1
    for event in events:
        findings.events += 1
        broken = check_link(event, expected, prev_hash)
        if broken:
            findings.add(broken)
            return expected - 1, prev_hash, False
        if on_event is not None:
            on_event(event)
        prev_hash = event.hash
        expected += 1
    return expected - 1, prev_hash, True


def _verify_system(session: Session, findings: _Findings, launched: dict[int, int]) -> None:
    stmt = (select(*_EVENT_READ).where(_E.c.stream == SYSTEM_STREAM).order_by(_E.c.seq)
            .execution_options(yield_per=2000))

    decisions: dict[int, dict[str, Any]] = {}

    def note_launch(event: _EventRow) -> None:
        payload = event.payload or {}
        if event.kind == "launch" and payload.get("creation_events") and isinstance(payload.get("run_id"), int):
            launched[payload["run_id"]] = int(payload.get("appraisals") or 0)
        elif event.kind == DECISION_EVENT:
            decisions[event.id] = payload

    last_seq, last_hash, intact = _walk(session.execute(stmt), "the system chain", findings, note_launch)
    if last_seq:
        findings.streams += 1
    if intact:
        for difference in decision_differences(session, decisions):
            findings.add(difference)
        checkpoint = session.execute(select(_CHECKPOINTS).where(_CHECKPOINTS.c.stream == SYSTEM_STREAM)).first()
        problem = _check_checkpoint("the system chain", checkpoint, last_seq, last_hash)
        if problem:
            findings.add(problem)


def _id_batches(session: Session, wanted: list[int] | None) -> Iterator[Callable[[Any], Any]]:
    """A condition on an appraisal id column for each batch: the given ids in chunks, or id ranges over
    everything (so the rows of an appraisal that is gone are read too)."""
    if wanted is not None:
        for start in range(0, len(wanted), VERIFY_BATCH):

            def among(column: Any, chunk: list[int] = wanted[start:start + VERIFY_BATCH]) -> Any:
                return column.in_(chunk)

            yield among
        return
    last = 0
    while True:
        ids = list(session.scalars(select(Appraisal.id).where(Appraisal.id > last).order_by(Appraisal.id)
                                   .limit(VERIFY_BATCH)))
        high = ids[-1] if len(ids) == VERIFY_BATCH else None
        lower = last

        def within(column: Any, lower: int = lower, high: int | None = high) -> Any:
            return and_(column > lower, column <= high) if high is not None else column > lower

        yield within
        if high is None:
            return
        last = high


def verify_chain(session: Session, streams: Collection[str] | None = None, *, data: bool = True,
                 limit: int = REPORT_LIMIT) -> ChainReport:
    """Verify every stream (or only ``streams``): links, keyed hashes, signed heads, and the data.

    With ``data``, each appraisal's chain is replayed (:mod:`engine.replay`) and every live row that
    differs from what the chain derives is named. Reads in batches (bounded memory); read-only.
    """
    from engine import replay

    findings = _Findings(limit)
    launched: dict[int, int] = {}
    whole = streams is None
    if whole or SYSTEM_STREAM in streams:  # type: ignore[operator]
        _verify_system(session, findings, launched)
    wanted: list[int] | None = None
    if not whole:
        wanted = sorted({int(name.split(":", 1)[1]) for name in streams  # type: ignore[union-attr]
                         if name.startswith("appraisal:") and parse_id(name.split(":", 1)[1]) is not None})
    created_by_run: dict[int, int] = defaultdict(int)
    reader = replay.LiveReader(session) if data else None
    for within in _id_batches(session, wanted):
        heads = {row.id: row for row in session.execute(
            select(Appraisal.id, Appraisal.audit_seq, Appraisal.audit_head).where(within(Appraisal.id)))}
        checkpoints = {row.appraisal_id: row for row in session.execute(
            select(_CHECKPOINTS).where(within(_CHECKPOINTS.c.appraisal_id)))}
        chains: dict[int, list[Any]] = defaultdict(list)
        for event in session.execute(select(*_EVENT_READ).where(within(_E.c.appraisal_id))
                                     .order_by(_E.c.appraisal_id, _E.c.seq)):
            chains[event.appraisal_id].append(event)
        live = reader.read(within) if reader is not None else {}
        for aid in sorted(set(heads) | set(checkpoints) | set(chains)):
            label = f"appraisal #{aid}"
            events = chains.get(aid, [])
            if events:
                findings.streams += 1
            stray = [e for e in events if e.stream != appraisal_stream(aid)]
            if stray:
                findings.events += len(events)
                findings.add(f"{label}: event #{stray[0].id} is filed under stream '{stray[0].stream}'")
                continue
            if events and events[0].kind == "create":
                run_id = (events[0].payload or {}).get("run_id")
                if isinstance(run_id, int) and (events[0].payload or {}).get("via") == "launch":
                    created_by_run[run_id] += 1
            last_seq, last_hash, intact = _walk(events, label, findings)
            if not intact:
                continue
            head = heads.get(aid)
            if head is None:
                recorded = checkpoints[aid].seq if aid in checkpoints else last_seq
                findings.add(f"{label} is gone, but its chain and checkpoint record {recorded} event(s); "
                             "the appraisal was deleted after the fact")
                continue
            if (head.audit_seq, head.audit_head) != (last_seq, last_hash):
                findings.add(f"{label}: the chain {appraisal_stream(aid)} ends at seq {last_seq} but the appraisal "
                             f"records seq {head.audit_seq}; events were removed or added after the fact")
                continue
            problem = _check_checkpoint(label, checkpoints.get(aid), last_seq, last_hash)
            if problem:
                findings.add(problem)
                continue
            if reader is not None:
                findings.appraisals += 1
                for difference in replay.differences(aid, events, live.get(aid), reader):
                    findings.add(f"{label}: {difference}")
    if whole:
        misfiled = session.scalar(select(func.count()).select_from(_E).where(
            _E.c.stream != SYSTEM_STREAM,
            or_(_E.c.appraisal_id.is_(None),
                _E.c.stream != literal("appraisal:") + sql_cast(_E.c.appraisal_id, String))))
        if misfiled:
            findings.add(f"{misfiled} event(s) are filed under a stream that is not their appraisal's")
        for run_id, count in sorted(launched.items()):
            if created_by_run.get(run_id, 0) < count:
                findings.add(f"run #{run_id}: the launch created {count} appraisal(s) but only "
                             f"{created_by_run.get(run_id, 0)} have their chain; "
                             "appraisals were deleted after the fact")
    return findings.report()


# -- a printed document's head -----------------------------------------------------------------

@dataclass(frozen=True)
class HeadCheck:
    """Whether a head hash printed on a document belongs to an appraisal's chain, and how current it is."""

    appraisal_id: int
    found_seq: int | None
    current_seq: int
    current_head: str

    @property
    def current(self) -> bool:
        return self.found_seq is not None and self.found_seq == self.current_seq


def check_head(session: Session, appraisal_id: int, head: str) -> HeadCheck:
    """Find ``head`` (the full hash, or at least its first 16 characters) in the appraisal's chain."""
    head = head.strip().lower()
    row = session.execute(select(Appraisal.audit_seq, Appraisal.audit_head).where(Appraisal.id == appraisal_id)).first()
    current_seq, current_head = (row[0], row[1]) if row else (0, "")
    found = None
    if len(head) >= 16:
        found = session.scalar(select(AuditEvent.seq).where(
            AuditEvent.stream == appraisal_stream(appraisal_id), AuditEvent.hash.startswith(head, autoescape=True))
            .order_by(AuditEvent.seq).limit(1))
    return HeadCheck(appraisal_id, found, current_seq, current_head)


# -- re-signing --------------------------------------------------------------------------------

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
        rows = list(session.execute(select(*_EVENT_READ).where(_E.c.stream == stream).order_by(_E.c.seq)))
        if not rows or all(r.key_id == current for r in rows):
            continue
        prev, expected = "", 1
        for row in rows:
            where = f"{_stream_label(stream)}: event #{row.id} (seq {row.seq})"
            fields = {name: getattr(row, name) for name in _HASHED_FIELDS}
            fields["occurred_at"], fields["key_id"] = row.occurred_at, row.key_id
            try:
                intact = row.seq == expected and row.prev_hash == prev and event_hash(fields) == row.hash
            except UnknownAuditKey:
                problems.append(f"{where}: signed with key '{row.key_id}', which is not configured")
                break
            if not intact:
                problems.append(f"{where}: does not hold; it is not re-signed")
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
                fields = {name: getattr(row, name) for name in _HASHED_FIELDS}
                fields.update(occurred_at=row.occurred_at, prev_hash=prev, key_id=current)
                fields["hash"] = event_hash(fields)
                session.execute(update(_E).where(_E.c.id == row.id).values(
                    prev_hash=prev, key_id=current, hash=fields["hash"]))
                prev = fields["hash"]
            heads[stream] = {"from": rows[-1].hash, "to": prev, "seq": rows[-1].seq}
            last = rows[-1]
            if last.appraisal_id is not None and stream != SYSTEM_STREAM:
                session.execute(update(Appraisal.__table__).where(Appraisal.__table__.c.id == last.appraisal_id)
                                .values(audit_head=prev))
            _write_checkpoints(session, [{
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
            from engine.models import Employee

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
    from engine.models import CycleDefinitionRecord, Employee

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


__all__ = [
    "SYSTEM_STREAM", "ChainReport", "Creation", "EventInfo", "HeadCheck", "RekeyReport", "UnknownAuditKey",
    "append_appraisal_event", "append_system_event", "appraisal_stream", "check_head", "check_link",
    "checkpoint_of", "checkpoint_signature", "checkpoint_upsert", "event_fields", "event_hash", "record_creations",
    "rekey", "verify_chain",
]
