"""The canonical text an event's hash is taken over: the fast encoders write, byte for byte, what the
one canonical encoder (``CANONICAL``: sorted keys, compact, non-ASCII kept, ``str`` for the rest)
writes for every value a chain can hold, so an event signed before still verifies and a changed one
still does not."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import create_engine

from engine import keys
from engine.audit.bulk import ChainReader
from engine.audit.chain import (
    CANONICAL,
    HASHED_FIELDS,
    RowEncoder,
    canonical_event,
    canonical_json,
    canonical_value,
    event_hash,
)
from engine.audit.verify import check_link

VALUES = [
    None, True, False, 0, -1, 7, 2**63, 2**70, -(2**100), 1.0, 2.5, 1e16, 1e-7, -0.0, 0.1 + 0.2, 1e308,
    float("inf"), float("-inf"), float("nan"), Decimal("1.10"),
    "", "pegawai", 'a"b\\c\n\t\x00\x1f\x7f', "Kabupaten Gorontalo — ünïcode 日本 😀 \u2028\u2029",
    {}, [], [[]], (1, 2), {"b": 1, "a": [1, 2.5, {"z": None, "é": "x"}]}, {"k": {"k": {"k": [1e100, 2**64]}}},
    {"2": 1, "10": 2, "B": 3, "a": 4}, datetime(2026, 1, 1, 8, 0),
]
MOMENTS = [
    datetime(2026, 12, 2, 7, 5, 6, 123456), datetime(2026, 1, 1), datetime(999, 1, 2, 3, 4, 5),
    datetime(2026, 6, 1, 1, 2, 3, 4, tzinfo=UTC), datetime(2026, 6, 1, 23, 0, tzinfo=timezone(timedelta(hours=8))),
    datetime(2026, 6, 1, 1, 0, tzinfo=timezone(timedelta(hours=-9, minutes=-30))), datetime(9999, 12, 31, 23, 59, 59),
]


def _moment_as_ever(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical_as_ever(fields: dict) -> str:
    """The canonical text as it was always built: the whole body through ``CANONICAL``."""
    body = {name: fields.get(name) for name in HASHED_FIELDS}
    body["occurred_at"] = _moment_as_ever(fields["occurred_at"])
    if fields.get("key_id") is not None:
        body["key_id"] = fields["key_id"]
    return CANONICAL.encode(body)


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_single_value_is_written_as_the_canonical_encoder_writes_it(value):
    assert canonical_value(value) == CANONICAL.encode(value)
    assert canonical_json(value) == CANONICAL.encode(value)


def test_every_event_is_written_byte_for_byte_as_the_canonical_encoder_writes_it():
    chance = random.Random(14)
    columns = ["id", *HASHED_FIELDS[:3], "occurred_at", *HASHED_FIELDS[3:], "hash", "key_id"]
    rows = RowEncoder(columns)
    for _ in range(5000):
        fields = {name: chance.choice(VALUES) for name in HASHED_FIELDS}
        fields["occurred_at"] = chance.choice(MOMENTS)
        fields["key_id"] = chance.choice([None, "2026", "kunci-ü"])
        expected = _canonical_as_ever(fields)
        assert rows.text([fields.get(name) for name in columns]) == expected
        if chance.random() < 0.2:
            del fields[chance.choice(HASHED_FIELDS)]
            expected = _canonical_as_ever(fields)
        assert canonical_event(fields) == expected


# JSON values as a chain stores them (and reads them back): the canonical text of what comes back is
# the one that was signed.
STORED = [v for v in VALUES if not isinstance(v, (Decimal, datetime, tuple)) and not (isinstance(v, float) and v != v)]


def _raw(fields: dict) -> tuple:
    """An event as SQLite's driver gives it: the moment as SQLAlchemy stores it, JSON as its stored text."""
    stamp = fields["occurred_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return (7, fields["stream"], fields["seq"], stamp, *(fields[name] for name in HASHED_FIELDS[2:12]),
            json.dumps(fields["payload"]), json.dumps(fields["results"]), fields["prev_hash"], fields["hash"],
            fields["key_id"])


def test_the_fast_path_over_driver_rows_passes_exactly_the_events_check_link_passes():
    """Byte for byte: an event signed by the writer holds on the fast path, and a change to any hashed
    value (also one only the canonical form tells apart, such as a key's order) does not."""
    chance = random.Random(15)
    texts = ["", "pegawai", 'a"b\\c\n\t\x00\x1f\x7f', "Kabupaten Gorontalo — ünïcode 日本 😀 \u2028\u2029", "%s %d %%"]
    ring = keys.keyring()
    with create_engine("sqlite://").connect() as conn:
        reader = ChainReader(conn)
        for _ in range(2000):
            fields = {name: chance.choice(texts) for name in HASHED_FIELDS}
            for name in ("actor_user_id", "appraisal_id", "employee_id", "unit_id"):
                fields[name] = chance.choice([None, 1, 2**40])
            for name in ("role", "trigger", "from_state", "to_state"):
                fields[name] = chance.choice([None, *texts])
            fields["seq"] = chance.choice([1, 2, 99999])
            fields["payload"], fields["results"] = chance.choice(STORED), chance.choice([{}, *STORED])
            fields["occurred_at"] = chance.choice([m for m in MOMENTS if m.year >= 1000])
            fields["key_id"] = ring.current_audit_key_id
            fields["hash"] = event_hash(fields)
            events, sound = reader.events([_raw(fields)])
            assert sound == [True], fields
            assert check_link(events[0]._replace(occurred_at=fields["occurred_at"]), fields["seq"],
                              fields["prev_hash"]) is None
            changed = dict(fields)
            name = chance.choice([*HASHED_FIELDS, "occurred_at"])
            changed[name] = {"occurred_at": fields["occurred_at"] + timedelta(microseconds=1), "seq": fields["seq"] + 1,
                             "payload": {"z": 1, "a": [fields["payload"]]}, "results": {"diubah": True}}.get(
                                 name, "diubah")
            events, sound = reader.events([_raw(changed)])
            assert sound == [False], name
            assert check_link(events[0], changed["seq"], changed["prev_hash"]) is not None


def test_a_key_order_change_in_stored_json_still_verifies_as_the_same_content():
    """The stored JSON text is not what is hashed; its content in canonical form is."""
    ring = keys.keyring()
    fields = {name: None for name in HASHED_FIELDS}
    fields.update(stream="appraisal:1", seq=1, kind="transition", actor_name="ani", appraisal_id=1, prev_hash="",
                  payload={"b": 1, "a": 2}, results={}, occurred_at=MOMENTS[0], key_id=ring.current_audit_key_id)
    fields["hash"] = event_hash(fields)
    row = list(_raw(fields))
    row[14] = '{"a": 2, "b": 1}'
    with create_engine("sqlite://").connect() as conn:
        assert ChainReader(conn).events([tuple(row)])[1] == [True]
