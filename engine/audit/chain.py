"""The audit chain's content and keys: what an event is, its canonical form and its keyed hash.

Every event stores the hash of the event before it in its stream and a keyed hash (HMAC-SHA256 with
a server key kept outside the database, :mod:`engine.keys`) of its own content, so changing,
inserting or removing an event breaks the chain, and someone who can write the database but lacks
the key cannot recompute the hashes after a rewrite. Each event names the key that signed it
(``key_id``), so keys can rotate; events of earlier versions (``key_id`` NULL) carry an unkeyed
SHA-256. A stream's head is also kept as a signed checkpoint (:func:`checkpoint_signature`).

Pure: no database. :mod:`engine.audit.writer` writes what this module computes;
:mod:`engine.audit.verify` recomputes it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from engine.keys import keyring

SYSTEM_STREAM = "system"
HASHED_FIELDS = (
    "stream", "seq", "kind", "actor_user_id", "actor_name", "role", "appraisal_id", "employee_id",
    "unit_id", "trigger", "from_state", "to_state", "payload", "results", "prev_hash",
)
# How many problems a report lists; the rest are counted.


def appraisal_stream(appraisal_id: int) -> str:
    """The name of an appraisal's own chain."""
    return f"appraisal:{appraisal_id}"


def moment(value: datetime) -> str:
    """A moment as the canonical form hashes it: UTC, microseconds, ``Z``."""
    zone = value.tzinfo
    if zone is not None and zone is not UTC:
        value = value.astimezone(UTC)
    if value.year >= 1000:
        # The same text as the format below (which leaves years before 1000 unpadded), several times faster.
        text = value.isoformat(timespec="microseconds")
        return (text if value.tzinfo is None else text[:-6]) + "Z"
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# The canonical form every hash is taken over; one encoder, built once (json.dumps builds one per call).
CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
encode_text: Callable[[str], str] = json.encoder.encode_basestring
# The C encoder ``CANONICAL.encode`` builds on every call, built once (its output is the same text).
_MAKE_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)
_C_CANONICAL = (_MAKE_ENCODER(None, CANONICAL.default, encode_text, None, ":", ",", True, False, True)
                if _MAKE_ENCODER is not None else None)


def canonical_json(value: Any) -> str:
    """``CANONICAL.encode(value)`` for a value parsed from JSON, without building an encoder per call."""
    if _C_CANONICAL is None:
        return CANONICAL.encode(value)
    return "".join(_C_CANONICAL(value, 0))


class UnknownAuditKey(LookupError):
    """An event or checkpoint names a key id that is not configured (``SIKLUS_AUDIT_KEY``)."""


_MACS: dict[bytes, Any] = {}


def prepared_mac(key: bytes) -> Any:
    """An HMAC-SHA256 prepared with ``key``, to ``copy()`` per message: OpenSSL's own object where the hmac
    module keeps one (its copy, update and hexdigest are single C calls, a few microseconds less per event
    than through the module's Python wrapper), else the module's."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    inner = getattr(mac, "_hmac", None)
    return inner if inner is not None and hasattr(inner, "copy") else mac


def key_mac(key_id: str) -> Any:
    """The prepared HMAC-SHA256 of the audit key ``key_id`` (``copy()`` it per message);
    :class:`UnknownAuditKey` when it is not configured. For loops that sign many messages with one key."""
    key = keyring().audit_key_for(key_id)
    if key is None:
        raise UnknownAuditKey(key_id)
    base = _MACS.get(key)
    if base is None:
        base = _MACS[key] = prepared_mac(key)
    return base


def keyed_hash(key_id: str, message: bytes) -> str:
    """HMAC-SHA256 of ``message`` with the audit key ``key_id``; :class:`UnknownAuditKey` when it is not configured."""
    mac = key_mac(key_id).copy()
    mac.update(message)
    return mac.hexdigest()


def canonical_value(value: Any) -> str:
    """``CANONICAL.encode(value)``, without the encoder's set-up for the values a column holds (None,
    strings, ints, empty objects); anything else goes through :data:`CANONICAL` itself."""
    kind = type(value)
    if value is None:
        return "null"
    if kind is str:
        return encode_text(value)
    if kind is int:
        return int.__repr__(value)
    if kind is dict and not value:
        return "{}"
    return CANONICAL.encode(value)


# The members of an event's canonical form in key order (as ``sort_keys`` writes them), with their
# encoded names: keyed events, and the unkeyed ones of earlier versions (no ``key_id`` member).
_KEYED_MEMBERS = tuple((name, encode_text(name) + ":") for name in sorted((*HASHED_FIELDS, "occurred_at", "key_id")))
_UNKEYED_MEMBERS = tuple(member for member in _KEYED_MEMBERS if member[0] != "key_id")


def canonical_event(fields: Mapping[str, Any]) -> str:
    """The canonical text an event's hash is taken over: ``CANONICAL.encode`` of its hashed fields,
    ``occurred_at`` as :func:`moment` and (when keyed) ``key_id``, written member by member in key order.

    ``fields`` may lack hashed fields (they are null); a database row's mapping has them all.
    """
    get: Callable[[str], Any] = fields.get if type(fields) is dict else _getter(fields)
    members = _KEYED_MEMBERS if get("key_id") is not None else _UNKEYED_MEMBERS
    return "{" + ",".join(
        label + ('"' + moment(get(name)) + '"' if name == "occurred_at" else canonical_value(get(name)))
        for name, label in members) + "}"


class RowEncoder:
    """The canonical text and hash of events read as rows (sequences) whose columns are ``columns`` in
    order: the same text as :func:`canonical_event` over the row's mapping, read by position."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        position = {name: i for i, name in enumerate(self.columns)}
        self.key_id = position["key_id"]
        self.keyed = tuple((label, position[name], name == "occurred_at") for name, label in _KEYED_MEMBERS)
        self.unkeyed = tuple(member for member in self.keyed if member[1] != self.key_id)

    def text(self, row: Sequence[Any]) -> str:
        members = self.keyed if row[self.key_id] is not None else self.unkeyed
        return "{" + ",".join([label + ('"' + moment(row[i]) + '"' if stamp else canonical_value(row[i]))
                               for label, i, stamp in members]) + "}"

    def hash(self, row: Sequence[Any]) -> str:
        """:func:`event_hash` of the row."""
        key_id = row[self.key_id]
        text = self.text(row).encode("utf-8")
        if key_id is None:
            return hashlib.sha256(text).hexdigest()
        return keyed_hash(key_id, text)


def _getter(fields: Mapping[str, Any]) -> Callable[[str], Any]:
    def get(name: str) -> Any:
        try:
            return fields[name]
        except KeyError:
            return None
    return get


def event_hash(fields: Mapping[str, Any]) -> str:
    """The event's hash (``hash`` itself excluded): HMAC-SHA256 with the key ``key_id`` names.

    ``key_id`` None is the unkeyed SHA-256 of earlier versions, kept only so ``rekey`` can check
    such events before re-signing them. Raises :class:`UnknownAuditKey` for a key not configured.
    """
    text = canonical_event(fields).encode("utf-8")
    key_id = fields.get("key_id")
    if key_id is None:
        return hashlib.sha256(text).hexdigest()
    return keyed_hash(key_id, text)


def checkpoint_message(stream: str, seq: int, head: str) -> bytes:
    """What a stream's checkpoint signs: its head."""
    return f"checkpoint\x1f{stream}\x1f{seq}\x1f{head}".encode()


def checkpoint_signature(stream: str, seq: int, head: str, key_id: str) -> str:
    """The keyed signature of a stream's head."""
    return keyed_hash(key_id, checkpoint_message(stream, seq, head))


def verified_signature(stream: str, seq: int, head: str, key_id: str, data: str) -> str:
    """The keyed signature of the head ``siklus audit verify`` proved for a stream and of the digest of the
    live rows that matched it (``data``), so no one without the key can mark an unchecked tail or
    changed rows as verified."""
    return keyed_hash(key_id, f"verified\x1f{stream}\x1f{seq}\x1f{head}\x1f{data}".encode())


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


