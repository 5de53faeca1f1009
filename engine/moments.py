"""Moments as the audit compares them: UTC without a zone, however the database or an event's payload gave them.

SQLite hands back naive UTC datetimes, PostgreSQL aware ones, and an event's payload ISO text; a row and its
event are compared only after all three are read one way. Lives below engine.audit and imports nothing of the
engine, so every verifying module may use it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def utc(moment: datetime | str) -> datetime:
    """A moment as the database keeps it (UTC, without a zone); ISO text read first.

    Raises ValueError for text that is not an ISO moment."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


def utc_or_as_is(moment: Any) -> Any:
    """:func:`utc` where the value reads as a moment; anything else (unreadable text, None) as it is, so that
    it compares equal only to itself."""
    if isinstance(moment, (datetime, str)):
        try:
            return utc(moment)
        except ValueError:
            return moment
    return moment


def to_second(moment: datetime | str | None) -> str | None:
    """A moment as UTC ISO text to the second (None stays None; unreadable text is kept as it is)."""
    if moment is None:
        return None
    value = utc_or_as_is(moment)
    return value.replace(microsecond=0).isoformat() if isinstance(value, datetime) else str(value)


__all__ = ["to_second", "utc", "utc_or_as_is"]
