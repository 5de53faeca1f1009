"""The one audit writer: every event that records a change goes into its chain here.

* :func:`append_appraisal_event`: a change to an appraisal made on its ORM rows (SKP, realisation,
  development and feedback edits, deadline ticks, migrations, closures and transfers);
* :func:`append_unversioned_event`: an anonymous feedback answer, in the chain but not in the appraisal's version;
* :class:`TransitionWriter`: a transition, the hot path: the appraisal is read, moved from the
  version read and its event and checkpoint appended in two or three statements run straight on
  the driver (:class:`engine.db.DriverStatement`), on the session's own connection and transaction;
* :func:`append_system_event`: the system chain (publishing, launches, imports, users, re-keying);
* :func:`record_creations`: the ``create`` events that start the chains of a launch, set-based.

Each computes the event with :func:`engine.audit.chain.event_fields` and moves the stream's head and
signed checkpoint in the same transaction as the change it records. None of them commits.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Dialect, Integer, Select, String, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from engine.audit.chain import (
    CANONICAL,
    HASHED_FIELDS,
    SYSTEM_STREAM,
    EventInfo,
    appraisal_stream,
    checkpoint_message,
    checkpoint_of,
    encode_text,
    event_fields,
    key_mac,
    moment,
)
from engine.db import DriverStatement, driver_error
from engine.models import Appraisal, AuditCheckpoint, AuditEvent, utcnow

EVENTS = AuditEvent.__table__
_APPRAISALS = Appraisal.__table__
CHECKPOINTS = AuditCheckpoint.__table__
_CHECKPOINT_COLUMNS = ("stream", "appraisal_id", "seq", "hash", "key_id", "signature", "updated_at")


@cache
def checkpoint_upsert(dialect_name: str) -> postgresql.Insert | sqlite.Insert:
    """INSERT of a checkpoint (bind names as :func:`checkpoint_of`) that replaces the stream's old one.

    Built once per dialect: building it costs more than running it, and every transition uses it.
    """
    module = postgresql if dialect_name == "postgresql" else sqlite
    stmt = module.insert(CHECKPOINTS).values({name: bindparam(name) for name in _CHECKPOINT_COLUMNS})
    return stmt.on_conflict_do_update(
        index_elements=[CHECKPOINTS.c.stream],
        set_={name: stmt.excluded[name] for name in _CHECKPOINT_COLUMNS if name != "stream"},
    )


def write_checkpoints(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Make each row (as :func:`~engine.audit.chain.checkpoint_of` gives) its stream's signed head."""
    if rows:
        session.execute(checkpoint_upsert(session.get_bind().dialect.name), list(rows))


def append_appraisal_event(session: Session, appraisal: Appraisal, info: EventInfo,
                           occurred_at: datetime | None = None) -> AuditEvent:
    """Add an event to the appraisal's chain, move its head and its checkpoint (flushed with the appraisal).

    For a change made on ORM rows (an edit, a tick, a migration, a closure); a transition writes
    through :class:`TransitionWriter`, which computes the same event the same way.
    """
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
    write_checkpoints(session, [checkpoint_of(fields)])
    return event


def append_unversioned_event(session: Session, appraisal: Appraisal, info: EventInfo,
                             occurred_at: datetime | None = None) -> AuditEvent:
    """Add an event to the appraisal's chain without moving the appraisal's ``version``: an anonymous answer.

    The chain, its head and its signed checkpoint move exactly as :func:`append_appraisal_event` moves them (so
    ``siklus audit verify`` proves the event like any other), but the head is written by a plain UPDATE that
    checks the head read instead of the version, so nothing the appraised employee reads (the version, an
    If-Match, the last change) moves with it. A concurrent writer that moved the chain first makes this one
    fail (:class:`~sqlalchemy.orm.exc.StaleDataError`) with nothing written.
    """
    fields = event_fields(
        appraisal_stream(appraisal.id), appraisal.audit_seq + 1, appraisal.audit_head, info, appraisal.id,
        occurred_at or utcnow(),
    )
    session.flush()
    moved = session.execute(update(_APPRAISALS).where(
        _APPRAISALS.c.id == appraisal.id, _APPRAISALS.c.audit_seq == appraisal.audit_seq,
        _APPRAISALS.c.audit_head == appraisal.audit_head).values(audit_seq=fields["seq"], audit_head=fields["hash"]))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleDataError("appraisal's audit chain moved since it was read")
    # The row now holds the new head; the loaded object learns it as committed, so no versioned UPDATE follows.
    set_committed_value(appraisal, "audit_seq", fields["seq"])
    set_committed_value(appraisal, "audit_head", fields["hash"])
    event = AuditEvent(**fields)
    session.add(event)
    write_checkpoints(session, [checkpoint_of(fields)])
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
                write_checkpoints(session, [checkpoint_of(fields)])
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
    hashes = [template.hash(row) for row in rows]
    key_id = template.fields["key_id"]
    base = key_mac(key_id)  # one key for the whole launch: its prepared HMAC copied per message

    def signed(stream: str, head: str) -> str:
        mac = base.copy()
        mac.update(checkpoint_message(stream, 1, head))
        return str(mac.hexdigest())

    signatures = [signed(row[0], h) for row, h in zip(rows, hashes, strict=True)]
    conn = session.connection()
    record, move, sign = _creation_statements(conn.dialect)
    conn.exec_driver_sql(record.sql, record.many(template.fields, _VARYING + ("hash",),
                                                 [(*row, h) for row, h in zip(rows, hashes, strict=True)]))
    conn.exec_driver_sql(move.sql, move.many({}, ("b_id", "b_head"),
                                             [(row[1], h) for row, h in zip(rows, hashes, strict=True)]))
    conn.exec_driver_sql(sign.sql, sign.many(
        {"seq": 1, "key_id": key_id, "updated_at": occurred_at}, ("stream", "appraisal_id", "hash", "signature"),
        [(row[0], row[1], h, sig) for row, h, sig in zip(rows, hashes, signatures, strict=True)]))
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
        body = {name: self.fields.get(name) for name in HASHED_FIELDS}
        body.update({name: marks[name] for name in _VARYING})
        body["occurred_at"] = moment(occurred_at)
        body["key_id"] = self.fields["key_id"]
        text = CANONICAL.encode(body)
        found = sorted((text.index(CANONICAL.encode(mark)), name) for name, mark in marks.items())
        self.order = [_VARYING.index(name) for _at, name in found]
        self.pieces: list[str] = []
        at = 0
        for position, name in found:
            self.pieces.append(text[at:position])
            at = position + len(CANONICAL.encode(marks[name]))
        self.pieces.append(text[at:])
        self.mac = key_mac(self.fields["key_id"])

    def hash(self, row: Sequence[Any]) -> str:
        parts = [self.pieces[0]]
        for i, piece in zip(self.order, self.pieces[1:], strict=True):
            value = row[i]
            # The canonical text of the varying values (ints, None, strings) without the encoder's overhead.
            parts.append("null" if value is None else str(value) if type(value) is int else encode_text(value))
            parts.append(piece)
        mac = self.mac.copy()
        mac.update("".join(parts).encode("utf-8"))
        return str(mac.hexdigest())


_creation_compiled: dict[Any, tuple[DriverStatement, DriverStatement, DriverStatement]] = {}


def _creation_statements(dialect: Any) -> tuple[DriverStatement, DriverStatement, DriverStatement]:
    """Insert the create events, move the heads, write the checkpoints: compiled once per dialect."""
    found = _creation_compiled.get(dialect)
    if found is None:
        appraisals = Appraisal.__table__
        columns = [c for c in EVENTS.c if not c.primary_key]
        found = _creation_compiled[dialect] = (
            DriverStatement(insert(EVENTS).values({c.name: bindparam(c.name, type_=c.type) for c in columns}), dialect),
            DriverStatement(update(appraisals).where(appraisals.c.id == bindparam("b_id", type_=Integer),
                                                     appraisals.c.audit_seq == 0)
                            .values(audit_seq=1, audit_head=bindparam("b_head", type_=String)), dialect),
            DriverStatement(checkpoint_upsert(dialect.name), dialect),
        )
    return found


# -- a transition ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordedEvent:
    """Where a transition's event went: its row id and its place in the chain."""

    id: int
    seq: int
    hash: str


# Built once on plain tables; they run on the session's own connection and transaction.
_MOVE = (
    update(_APPRAISALS)
    .where(_APPRAISALS.c.id == bindparam("a_id"), _APPRAISALS.c.version == bindparam("seen_version"))
    .values(state=bindparam("state"), version=bindparam("new_version"), entered_at=bindparam("entered_at"),
            state_entries=bindparam("state_entries"), due_at=bindparam("due_at"), overdue_handled_at=None,
            data=bindparam("data"), audit_seq=bindparam("audit_seq"), audit_head=bindparam("audit_head"),
            updated_at=bindparam("updated_at"))
)
_EVENT_COLUMNS = [c for c in EVENTS.c if not c.primary_key]
_RECORD = insert(EVENTS).values({c.name: bindparam(c.name) for c in _EVENT_COLUMNS}).returning(EVENTS.c.id)


def _move_and_record() -> Any:
    """PostgreSQL: move, record and checkpoint in one statement (one round trip); the event and the
    checkpoint are written only if the move matched. The checkpoint shares the event's bind names."""
    moved = _MOVE.returning(_APPRAISALS.c.id).cte("moved")
    upsert = checkpoint_upsert("postgresql")
    columns = [CHECKPOINTS.c[name] for name in _CHECKPOINT_COLUMNS]
    signed = (postgresql.insert(CHECKPOINTS).from_select(
        columns, select(*(bindparam(c.name, type_=c.type) for c in columns)).select_from(moved))
        .on_conflict_do_update(index_elements=[CHECKPOINTS.c.stream],
                               set_={c.name: upsert.excluded[c.name] for c in columns if c.name != "stream"})
        .cte("signed"))
    return insert(EVENTS).from_select(
        _EVENT_COLUMNS, select(*(bindparam(c.name, type_=c.type) for c in _EVENT_COLUMNS)).select_from(moved),
    ).add_cte(signed).returning(EVENTS.c.id)


_MOVE_AND_RECORD = _move_and_record()


class _CoreStatements:
    """Runs a transition's statements on the session's connection through ``Connection.execute``.

    The plain reference: :class:`_DriverStatements` does the same work faster, and the tests check
    that both write the same rows. ``read`` is the caller's SELECT of what it needs of the appraisal
    (bind ``appraisal_id``); on PostgreSQL it locks the appraisal's row until commit, so a concurrent
    transition waits and then sees the new version.
    """

    def __init__(self, conn: Connection, read: Select[Any] | None = None) -> None:
        self.conn = conn
        self.for_update = conn.dialect.name == "postgresql"
        self.checkpoint = checkpoint_upsert(conn.dialect.name)
        self.read = _locking(read) if read is not None and self.for_update else read

    def __enter__(self) -> _CoreStatements:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        return None

    def snapshot(self, appraisal_id: int) -> Sequence[Any] | None:
        assert self.read is not None, "no read statement given"
        return self.conn.execute(self.read, {"appraisal_id": appraisal_id}).first()

    def move_and_record(self, move: Mapping[str, Any], event: Mapping[str, Any], checkpoint: Mapping[str, Any]) -> int:
        """Move the appraisal (only from the version read), append its audit event and move the stream's
        signed checkpoint; the event's id."""
        if self.conn.execute(_MOVE, move).rowcount != 1:
            raise StaleDataError("appraisal changed since it was read")
        event_id = int(self.conn.execute(_RECORD, event).scalar_one())
        self.conn.execute(self.checkpoint, checkpoint)
        return event_id


class _DriverStatements(_CoreStatements):
    """The same statements straight on the driver's cursor (see :class:`engine.db.DriverStatement`)."""

    def __init__(self, conn: Connection, read: Select[Any] | None = None) -> None:
        super().__init__(conn, read)
        compiled = _driver_statements(conn.dialect)
        self.move, self.record, self.sign, self.move_and_record_at_once = compiled
        self.reader = _driver_read(conn.dialect, read) if read is not None else None
        dbapi_connection = conn.connection.dbapi_connection
        assert dbapi_connection is not None, "the session's connection is open"
        self.cursor = dbapi_connection.cursor()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        self.cursor.close()
        if isinstance(exc, self.conn.dialect.loaded_dbapi.Error):
            raise driver_error(self.conn, exc) from exc

    def snapshot(self, appraisal_id: int) -> Sequence[Any] | None:
        assert self.reader is not None, "no read statement given"
        return self.reader.row(self.reader.execute(self.cursor, {"appraisal_id": appraisal_id}).fetchone())

    def move_and_record(self, move: Mapping[str, Any], event: Mapping[str, Any], checkpoint: Mapping[str, Any]) -> int:
        if self.move_and_record_at_once is not None:
            row = self.move_and_record_at_once.execute(self.cursor, {**move, **event, **checkpoint}).fetchone()
            if row is None:
                raise StaleDataError("appraisal changed since it was read")
            return int(row[0])
        if self.move.execute(self.cursor, move).rowcount != 1:
            raise StaleDataError("appraisal changed since it was read")
        event_id = int(self.record.execute(self.cursor, event).fetchone()[0])
        self.sign.execute(self.cursor, checkpoint)
        return event_id


_Compiled = tuple[DriverStatement, DriverStatement, DriverStatement, "DriverStatement | None"]
_compiled: weakref.WeakKeyDictionary[Dialect, _Compiled] = weakref.WeakKeyDictionary()
_reads: weakref.WeakKeyDictionary[Dialect, dict[int, tuple[Select[Any], DriverStatement]]] = \
    weakref.WeakKeyDictionary()


def _driver_statements(dialect: Dialect) -> _Compiled:
    """The writing statements compiled for a dialect: move, record, checkpoint, and (PostgreSQL)
    move-record-and-checkpoint in one."""
    found = _compiled.get(dialect)
    if found is None:
        locking = dialect.name == "postgresql"
        found = _compiled[dialect] = (
            DriverStatement(_MOVE, dialect), DriverStatement(_RECORD, dialect),
            DriverStatement(checkpoint_upsert(dialect.name), dialect),
            DriverStatement(_MOVE_AND_RECORD, dialect) if locking else None,
        )
    return found


def _driver_read(dialect: Dialect, read: Select[Any]) -> DriverStatement:
    """A transition's read compiled for a dialect (locking on PostgreSQL), once per statement."""
    known = _reads.setdefault(dialect, {})
    found = known.get(id(read))
    if found is None or found[0] is not read:
        statement = _locking(read) if dialect.name == "postgresql" else read
        found = known[id(read)] = (read, DriverStatement(statement, dialect))
    return found[1]


_locked: dict[int, tuple[Select[Any], Select[Any]]] = {}


def _locking(read: Select[Any]) -> Select[Any]:
    """``read`` locking the appraisal's row until commit (PostgreSQL), built once per statement."""
    found = _locked.get(id(read))
    if found is None or found[0] is not read:
        found = _locked[id(read)] = (read, read.with_for_update(of=_APPRAISALS))
    return found[1]


# How a TransitionWriter runs its statements (the tests swap in the reference to compare).
_STATEMENTS: type[_CoreStatements] = _DriverStatements


class TransitionWriter:
    """A transition's reads and writes on the session's connection and transaction.

    Use as a context manager: :meth:`read` the appraisal first, then :meth:`record` the move with its
    event. The event is computed exactly as :func:`append_appraisal_event` computes it; the move only
    matches the version read (:class:`~sqlalchemy.orm.exc.StaleDataError` otherwise, with nothing
    written). A driver error leaving the block is raised as SQLAlchemy's own. Does not commit.
    """

    def __init__(self, session: Session, read: Select[Any]) -> None:
        self._statements = _STATEMENTS(session.connection(), read)

    def __enter__(self) -> TransitionWriter:
        self._statements.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self._statements.__exit__(kind, exc, tb)

    def read(self, appraisal_id: int) -> Sequence[Any] | None:
        """The row of the read statement for the appraisal (locked on PostgreSQL), or None.

        On PostgreSQL a read that waited for another writer's lock re-checks the appraisal's new row
        against the rows it joined before waiting: when that writer moved the appraisal to another cycle
        version (a migration), the join no longer holds and the row comes back missing, though the
        appraisal exists and is now locked. Read once more then: the fresh statement sees what was
        committed, and an appraisal that is really gone is still None.
        """
        row = self._statements.snapshot(appraisal_id)
        if row is None and self._statements.for_update:
            row = self._statements.snapshot(appraisal_id)
        return row

    def record(self, appraisal_id: int, seen_version: int, chain: tuple[int, str], changes: Mapping[str, Any],
               info: EventInfo, occurred_at: datetime) -> RecordedEvent:
        """Move the appraisal from ``seen_version`` to ``changes`` and append ``info`` to its chain.

        ``chain`` is the appraisal's (audit_seq, audit_head) as read; ``changes`` gives ``state``,
        ``new_version``, ``entered_at``, ``state_entries``, ``due_at``, ``data`` and ``updated_at``.
        """
        seq, head = chain
        fields = event_fields(appraisal_stream(appraisal_id), seq + 1, head, info, appraisal_id, occurred_at)
        move = {**changes, "a_id": appraisal_id, "seen_version": seen_version, "audit_seq": fields["seq"],
                "audit_head": fields["hash"]}
        event_id = self._statements.move_and_record(move, fields, checkpoint_of(fields))
        return RecordedEvent(event_id, fields["seq"], fields["hash"])
