"""Reading many chains' events straight from the driver and checking their keyed hashes in one tight loop.

What :func:`engine.audit.verify.check_link` proves of each event is proved here too; only the work is
arranged for a whole log: the events of a range of appraisals come from one query as the driver gives
them (JSON as text, parsed once with the C scanner), the canonical text of each is written with one
format string from the stored values, exactly as :func:`engine.audit.chain.canonical_event` writes it
from the processed ones (the tests compare them byte for byte), and its HMAC is computed from a copy of
the key's prepared HMAC. An event whose hash does not hold here, and any event this path does not read
the usual way, is checked again by ``check_link`` itself, which names the problem: this path can only
pass an event that ``check_link`` passes.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from json.scanner import make_scanner
from operator import itemgetter
from typing import Any, NamedTuple
from typing import cast as cast_type

from sqlalchemy import Connection, Text, cast, func, select

from engine.audit.chain import _KEYED_MEMBERS, canonical_json, canonical_value, encode_text, prepared_mac
from engine.audit.writer import EVENTS
from engine.keys import keyring


class StoredEvent(NamedTuple):
    """An event as a Core row of every ``audit_event`` column reads it (JSON parsed), but for ``occurred_at``:
    the moment's text (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC) where the fast path hashed the event, and the
    processed moment itself where :func:`~engine.audit.verify.check_link` is to check it."""

    id: int
    stream: str
    seq: int
    occurred_at: Any
    kind: str
    actor_user_id: int | None
    actor_name: str
    role: str | None
    appraisal_id: int | None
    employee_id: int | None
    unit_id: int | None
    trigger: str | None
    from_state: str | None
    to_state: str | None
    payload: Any
    results: Any
    prev_hash: str
    hash: str
    key_id: str | None


assert StoredEvent._fields == tuple(c.name for c in EVENTS.c), "StoredEvent follows audit_event's columns"


def _columns(dialect_name: str) -> list[Any]:
    """The events' columns as the driver is to give them: JSON as its stored text; the moment as SQLite
    keeps it, and on PostgreSQL as text of the same form in UTC (no time zone arithmetic per event)."""
    columns: list[Any] = []
    for c in EVENTS.c:
        if c.name in ("payload", "results"):
            columns.append(cast(c, Text).label(c.name))
        elif c.name == "occurred_at" and dialect_name == "postgresql":
            columns.append(func.to_char(func.timezone("UTC", c), "YYYY-MM-DD HH24:MI:SS.US").label(c.name))
        else:
            columns.append(c)
    return columns


def _format() -> tuple[str, str, str]:
    """The canonical text of a keyed event as %-formats over its encoded values in key order, split around
    the payload and the results: what comes before the payload, between the payload and the results
    (the previous hash), and after the results."""
    parts = []
    for name, label in _KEYED_MEMBERS:
        parts.append(label.replace("%", "%%") + ('"%s"' if name == "occurred_at" else "%s"))
    text = "{" + ",".join(parts) + "}"
    head, rest = text.split('"payload":%s', 1)
    middle, tail = rest.split('"results":%s', 1)
    return head + '"payload":', middle + '"results":', tail


# The member order the formats' values follow (sorted names, as ``sort_keys`` writes them).
_HEAD, _MIDDLE, _TAIL = _format()
_FORMAT_ORDER = tuple(name for name, _label in _KEYED_MEMBERS)
assert _FORMAT_ORDER == ("actor_name", "actor_user_id", "appraisal_id", "employee_id", "from_state", "key_id",
                         "kind", "occurred_at", "payload", "prev_hash", "results", "role", "seq", "stream",
                         "to_state", "trigger", "unit_id"), "the formats' values below follow this order"
assert _MIDDLE.count("%s") == 1 and _HEAD.count("%s") == 8, "payload and results are placed between the formats"

_scan: Callable[[str, int], tuple[Any, int]] = make_scanner(cast_type(Any, json.JSONDecoder()))


def load_json(text: Any) -> Any:
    """``json.loads`` of a JSON column's stored text (None for NULL), through the C scanner when it can.

    Also the JSON loader of the engine verification reads with (PostgreSQL's driver hands it UTF-8 bytes).
    """
    if text is None:
        return None
    if type(text) is bytes:
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return json.loads(text)
    if type(text) is str:
        try:
            value, end = _scan(text, 0)
        except StopIteration:
            return json.loads(text)
        if end == len(text):
            return value
    return json.loads(text)


class ChainReader:
    """Reads chains' events for one connection's dialect and tells which hold by the fast path."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        dialect = conn.dialect
        self._columns = _columns(dialect.name)
        # How a stored moment that is not of the usual form is read: as SQLAlchemy reads the column.
        self._stamp: Any = (EVENTS.c.occurred_at.type.dialect_impl(dialect).result_processor(dialect, None)
                            if dialect.name == "sqlite" else _from_text)
        self._keys = keyring()
        self._macs: dict[str, Any] = {}

    # -- reading ---------------------------------------------------------------------------

    def between(self, low: int, high: int) -> Iterator[tuple[int, list[Any]]]:
        """The raw rows of every event filed under an appraisal with ``low < id <= high``, by appraisal."""
        stmt = (select(*self._columns).where(EVENTS.c.appraisal_id > low, EVENTS.c.appraisal_id <= high)
                .order_by(EVENTS.c.appraisal_id))
        return self._grouped(stmt)

    def among(self, ids: Sequence[int]) -> Iterator[tuple[int, list[Any]]]:
        """The raw rows of the events of the appraisals ``ids``, by appraisal."""
        stmt = select(*self._columns).where(EVENTS.c.appraisal_id.in_(list(ids))).order_by(EVENTS.c.appraisal_id)
        return self._grouped(stmt)

    def _grouped(self, stmt: Any) -> Iterator[tuple[int, list[Any]]]:
        """The rows by appraisal, each chain in seq order (sorted here: the index on ``appraisal_id``
        gives them by appraisal, and a chain's rows mostly in order already)."""
        result = self.conn.execute(stmt)
        # The driver's own cursor: rows as it gives them, without a result object's processing per row.
        cursor = result.cursor
        try:
            current: int | None = None
            rows: list[Any] = []
            while True:
                batch = cursor.fetchmany(5000)
                if not batch:
                    break
                for row in batch:
                    aid = row[8]
                    if aid != current:
                        if rows:
                            yield current, _in_order(rows)  # type: ignore[misc]
                        current, rows = aid, []
                    rows.append(row)
            if rows:
                yield current, _in_order(rows)  # type: ignore[misc]
        finally:
            result.close()

    def stream(self, name: str, batch: int = 2000, *, from_seq: int = 1,
               to_seq: int | None = None) -> Iterator[tuple[StoredEvent, bool]]:
        """The events of the stream ``name`` in seq order (from ``from_seq``, up to ``to_seq``), each with whether
        its keyed hash holds by the fast path (see :meth:`events`), read ``batch`` rows at a time (bounded memory),
        and each with its moment processed as SQLAlchemy reads the column, for whoever reads what the events say."""
        stmt = select(*self._columns).where(EVENTS.c.stream == name)
        if from_seq > 1:
            stmt = stmt.where(EVENTS.c.seq >= from_seq)
        if to_seq is not None:
            stmt = stmt.where(EVENTS.c.seq <= to_seq)
        result = self.conn.execute(stmt.order_by(EVENTS.c.seq))
        cursor, stamp = result.cursor, self._stamp
        try:
            while True:
                rows = cursor.fetchmany(batch)
                if not rows:
                    return
                events, sound = self.events(rows)
                for event, held in zip(events, sound, strict=True):
                    yield (event._replace(occurred_at=stamp(event.occurred_at)) if held else event), held
        finally:
            result.close()

    # -- checking --------------------------------------------------------------------------

    def events(self, rows: Iterable[tuple[Any, ...]]) -> tuple[list[StoredEvent], list[bool]]:
        """The rows as events, and for each whether its keyed hash holds by the fast path (False: not
        known here; such an event is given with its processed moment, and ``check_link`` decides).

        The hash is first taken with the stored JSON text placed as it is (the writer stores the canonical
        text, :class:`engine.models.CanonicalJSON`); where that does not hold (an event stored before, in
        another text of the same content), with the text re-encoded from the decoded JSON, as always. The
        JSON is decoded in both cases: the replay reads it, and an invalid stored text is not passed.
        """
        events: list[StoredEvent] = []
        sound: list[bool] = []
        head_of, middle_of, tail_of, macs, scan, make = _HEAD, _MIDDLE, _TAIL, self._macs, _scan, tuple.__new__
        encode, value_of, to_json, compare = encode_text, canonical_value, canonical_json, hmac.compare_digest
        for row in rows:
            (eid, stream, seq, stamp, kind, auid, aname, role, aid, empid, uid, trigger, from_state, to_state,
             payload_text, results_text, prev_hash, digest, key_id) = row
            payload = {} if payload_text == "{}" else _decode(payload_text, scan)
            results = {} if results_text == "{}" else _decode(results_text, scan)
            mac = macs.get(key_id) if type(key_id) is str else None
            if mac is None:
                mac = self._mac(key_id)
            if (mac is None or type(digest) is not str or type(stamp) is not str or len(stamp) != 26
                    or stamp[10] != " " or stamp[19] != "." or not stamp.isascii() or payload is _INVALID
                    or results is _INVALID):
                if payload is _INVALID or results is _INVALID:
                    # Not JSON: given as its text, whose hash (of a string) cannot hold; check_link names it.
                    payload = payload_text if payload is _INVALID else payload
                    results = results_text if results is _INVALID else results
                events.append(make(StoredEvent, (eid, stream, seq, self._stamp(stamp), kind, auid, aname, role, aid,
                                                 empid, uid, trigger, from_state, to_state, payload, results,
                                                 prev_hash, digest, key_id)))
                sound.append(False)
                continue
            head = head_of % (
                encode(aname) if type(aname) is str else value_of(aname),
                "null" if auid is None else (str(auid) if type(auid) is int else value_of(auid)),
                "null" if aid is None else (str(aid) if type(aid) is int else value_of(aid)),
                "null" if empid is None else (str(empid) if type(empid) is int else value_of(empid)),
                "null" if from_state is None else (encode(from_state) if type(from_state) is str
                                                   else value_of(from_state)),
                encode(key_id),
                encode(kind) if type(kind) is str else value_of(kind),
                stamp[:10] + "T" + stamp[11:] + "Z",
            )
            middle = middle_of % (encode(prev_hash) if type(prev_hash) is str else value_of(prev_hash))
            tail = tail_of % (
                "null" if role is None else (encode(role) if type(role) is str else value_of(role)),
                str(seq) if type(seq) is int else value_of(seq),
                encode(stream) if type(stream) is str else value_of(stream),
                "null" if to_state is None else (encode(to_state) if type(to_state) is str else value_of(to_state)),
                "null" if trigger is None else (encode(trigger) if type(trigger) is str else value_of(trigger)),
                "null" if uid is None else (str(uid) if type(uid) is int else value_of(uid)),
            )
            held = False
            # The stored text as it is, unless it is plainly not canonical (``": `` is how json.dumps, which
            # stored the events of earlier versions, separates a key from its value; the canonical text has it
            # only inside a string, which the re-encoding below then passes).
            if (type(payload_text) is str and type(results_text) is str and '": ' not in payload_text
                    and '": ' not in results_text):
                check = mac.copy()
                check.update((head + payload_text + middle + results_text + tail).encode("utf-8"))
                held = compare(check.hexdigest(), digest)
            if not held:
                check = mac.copy()
                check.update((head + ("{}" if payload_text == "{}" else to_json(payload)) + middle
                              + ("{}" if results_text == "{}" else to_json(results)) + tail).encode("utf-8"))
                held = compare(check.hexdigest(), digest)
            events.append(make(StoredEvent, (eid, stream, seq, stamp if held else self._stamp(stamp), kind, auid,
                                             aname, role, aid, empid, uid, trigger, from_state, to_state, payload,
                                             results, prev_hash, digest, key_id)))
            sound.append(held)
        return events, sound

    def _mac(self, key_id: str | None) -> Any:
        """The prepared HMAC of the key ``key_id`` names; None when unkeyed or not configured."""
        if key_id is None or type(key_id) is not str:
            return None
        key = self._keys.audit_key_for(key_id)
        if key is None:
            return None
        mac = self._macs[key_id] = prepared_mac(key)
        return mac


_INVALID: Any = object()


def _decode(text: Any, scan: Callable[[str, int], tuple[Any, int]]) -> Any:
    """A JSON column's stored text decoded (``{}`` without the scanner), or :data:`_INVALID`."""
    if text == "{}":
        return {}
    try:
        value, end = scan(text, 0)
        if end == len(text):
            return value
    except (StopIteration, TypeError):
        pass
    try:
        return load_json(text)
    except ValueError:
        return _INVALID


def _from_text(text: Any) -> datetime:
    """A moment read as UTC text (PostgreSQL's, as :func:`_columns` asks for it)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


_SEQ = itemgetter(2)


def _in_order(rows: list[Any]) -> list[Any]:
    """A chain's rows in seq order (as the database gives them where a seq is not a number)."""
    try:
        return sorted(rows, key=_SEQ)
    except TypeError:
        return rows
