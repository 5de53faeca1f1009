"""Working days the Indonesian way: weekends, national holidays and cuti bersama, counted on the local date.

A deadline of ``10wd`` means ten working days where the agency works: Saturdays, Sundays, the
national public holidays and the joint leave days of civil servants (*cuti bersama*, from the
``holidays`` package's Indonesian ``government`` category) are skipped, and days are counted on the
calendar of ``SIKLUS_TIMEZONE`` (WIB, WITA or WIT), never on the UTC date. An agency adds its own
days off (``SIKLUS_DAYS_OFF``, e.g. a regional holiday) and days that are worked although they would
not be (``SIKLUS_WORKDAYS``, e.g. a Saturday declared a working day), as ISO dates separated by commas.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from engine.errors import InvalidInput
from engine.messages import Message

DEFAULT_TIMEZONE = "Asia/Jakarta"
#: How far a count of working days may reach before it is refused (a cycle file typo, not a deadline).
MAX_SEARCH_DAYS = 3660


def local_zone() -> ZoneInfo:
    """Where the agency works: ``SIKLUS_TIMEZONE`` (default Asia/Jakarta, WIB)."""
    name = os.environ.get("SIKLUS_TIMEZONE", DEFAULT_TIMEZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"SIKLUS_TIMEZONE '{name}' is not a time zone; use e.g. Asia/Jakarta, Asia/Makassar or "
                           "Asia/Jayapura", msg=Message("setting.timezone", name=name)) from None


def _dates(setting: str) -> frozenset[date]:
    raw = os.environ.get(setting, "")
    days: set[date] = set()
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            days.add(date.fromisoformat(part))
        except ValueError:
            raise InvalidInput(f"{setting}: '{part}' is not a date; write dates as YYYY-MM-DD separated by commas",
                               msg=Message("setting.dates", setting=setting, value=part)) from None
    return frozenset(days)


@dataclass
class WorkCalendar:
    """Which local dates are working days, and counting working days from a moment."""

    zone: ZoneInfo
    days_off: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    _holidays: holidays.HolidayBase = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Public holidays and cuti bersama (the civil servants' joint leave), named in Indonesian.
        self._holidays = holidays.country_holidays("ID", categories=("public", "government"), language="id")

    def holiday(self, day: date) -> str | None:
        """The name of the holiday or agency day off on ``day``, if any."""
        if day in self.days_off:
            return "Hari libur instansi"
        name = self._holidays.get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and self.holiday(day) is None

    def add_working_days(self, start: datetime, count: int) -> datetime:
        """The moment ``count`` working days after ``start``: the same local time on the local date reached."""
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        local = start.astimezone(self.zone)
        day = local.date()
        left = count
        for _ in range(MAX_SEARCH_DAYS):
            if left <= 0:
                break
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        else:
            raise InvalidInput(f"no {count} working days within {MAX_SEARCH_DAYS} days of {local:%Y-%m-%d}",
                               msg=Message("calendar.no_working_days", count=count, within=MAX_SEARCH_DAYS,
                                           day=local.date()))
        moment = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=self.zone)
        return moment.astimezone(UTC) if start.tzinfo is UTC else moment.astimezone(start.tzinfo)


_lock = threading.Lock()
_cached: tuple[tuple[str, str, str], WorkCalendar] | None = None


def work_calendar() -> WorkCalendar:
    """The calendar of this deployment (rebuilt when its settings change)."""
    global _cached
    settings = (os.environ.get("SIKLUS_TIMEZONE", DEFAULT_TIMEZONE), os.environ.get("SIKLUS_DAYS_OFF", ""),
                os.environ.get("SIKLUS_WORKDAYS", ""))
    found = _cached
    if found is not None and found[0] == settings:
        return found[1]
    calendar = WorkCalendar(local_zone(), _dates("SIKLUS_DAYS_OFF"), _dates("SIKLUS_WORKDAYS"))
    with _lock:
        _cached = (settings, calendar)
    return calendar
