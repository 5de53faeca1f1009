"""The canonical text an event's hash is taken over: the fast encoders write, byte for byte, what the
one canonical encoder (``CANONICAL``: sorted keys, compact, non-ASCII kept, ``str`` for the rest)
writes for every value a chain can hold, so an event signed before still verifies and a changed one
still does not."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from engine.audit.chain import CANONICAL, HASHED_FIELDS, RowEncoder, canonical_event, canonical_value

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
