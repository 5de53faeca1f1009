"""Durations in cycle files (``14d``, ``10wd``, ``36h``, ``2w``, ``P14D``) and adding them to times.

Working days (``wd``) skip weekends, national holidays and cuti bersama, counted on the local date
(:mod:`engine.calendar`); the appeal window of PP 30/2019 is unverified as calendar or working days,
so cycle authors choose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_SHORT = re.compile(r"^(\d{1,4})(wd|d|h|w)$")
_ISO = re.compile(r"^P(?:(\d{1,4})W)?(?:(\d{1,4})D)?(?:T(\d{1,5})H)?$")


@dataclass(frozen=True)
class Duration:
    """A span of calendar time, or a count of working days."""

    hours: int = 0
    working_days: int = 0

    def after(self, start: datetime) -> datetime:
        """The moment this duration after ``start``."""
        if self.working_days:
            from engine.calendar import work_calendar

            return work_calendar().add_working_days(start, self.working_days)
        return start + timedelta(hours=self.hours)

    def __str__(self) -> str:
        if self.working_days:
            return f"{self.working_days}wd"
        if self.hours % 24 == 0:
            return f"{self.hours // 24}d"
        return f"{self.hours}h"


class DurationError(ValueError):
    pass


def parse_duration(text: str) -> Duration:
    """Parse a duration; raises :class:`DurationError` with a message naming the accepted forms."""
    value = str(text).strip()
    short = _SHORT.match(value)
    if short:
        count, unit = int(short.group(1)), short.group(2)
        if unit == "wd":
            return Duration(working_days=count)
        return Duration(hours=count * {"h": 1, "d": 24, "w": 24 * 7}[unit])
    iso = _ISO.match(value)
    if iso and any(iso.groups()):
        weeks, days, hours = (int(g) if g else 0 for g in iso.groups())
        return Duration(hours=(weeks * 7 + days) * 24 + hours)
    raise DurationError(
        f"malformed duration '{value}': use a number and a unit, e.g. 14d (days), 10wd (working days), "
        "36h (hours), 2w (weeks), or ISO 8601 such as P14D"
    )
