"""Working days as an Indonesian office counts them: weekends, national holidays and cuti bersama
skipped, on the local calendar of the agency (WIB, WITA or WIT), plus the agency's own days off."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from engine.calendar import work_calendar
from engine.durations import parse_duration
from engine.errors import InvalidInput

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture(autouse=True)
def agency_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SIKLUS_TIMEZONE", "SIKLUS_DAYS_OFF", "SIKLUS_WORKDAYS"):
        monkeypatch.delenv(name, raising=False)


def after(duration: str, start: datetime) -> datetime:
    return parse_duration(duration).after(start)


def test_one_working_day_after_saturday_early_morning_in_jakarta_is_monday() -> None:
    saturday_1am_wib = datetime(2026, 10, 3, 1, 0, tzinfo=WIB)   # Friday 18:00 UTC
    assert after("1wd", saturday_1am_wib.astimezone(UTC)) == datetime(2026, 10, 5, 1, 0, tzinfo=WIB)


def test_cuti_bersama_and_idul_fitri_are_not_working_days() -> None:
    # 18 March 2026 cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama Idul Fitri, 21-22 Idul Fitri (a weekend),
    # 23-24 cuti bersama Idul Fitri: the first working day after Tuesday 17 March is Wednesday 25 March.
    tuesday = datetime(2026, 3, 17, 9, 0, tzinfo=WIB)
    assert after("1wd", tuesday) == datetime(2026, 3, 25, 9, 0, tzinfo=WIB)
    assert work_calendar().holiday(datetime(2026, 3, 23).date()) == "Cuti Bersama Hari Raya Idul Fitri"


def test_ten_working_days_over_independence_day_and_maulid() -> None:
    # 17 August 2026 (Monday) is Hari Kemerdekaan and 25 August Maulid Nabi: ten working days from
    # Friday 14 August end on Tuesday 1 September (without the two holidays: Friday 28 August).
    assert after("10wd", datetime(2026, 8, 14, 15, 0, tzinfo=WIB)) == datetime(2026, 9, 1, 15, 0, tzinfo=WIB)


def test_days_are_counted_on_the_local_date_of_the_agency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIKLUS_TIMEZONE", "Asia/Makassar")
    # Friday 16:30 UTC is already Saturday 00:30 WITA: one working day later is Monday 00:30 WITA.
    friday_utc = datetime(2026, 10, 2, 16, 30, tzinfo=UTC)
    assert after("1wd", friday_utc) == datetime(2026, 10, 5, 0, 30, tzinfo=WITA)


def test_an_agency_declares_its_own_days_off_and_extra_working_days(monkeypatch: pytest.MonkeyPatch) -> None:
    monday = datetime(2026, 10, 5, 8, 0, tzinfo=WIB)
    monkeypatch.setenv("SIKLUS_DAYS_OFF", "2026-10-06, 2026-10-07")
    assert after("1wd", monday) == datetime(2026, 10, 8, 8, 0, tzinfo=WIB)
    monkeypatch.setenv("SIKLUS_DAYS_OFF", "")
    monkeypatch.setenv("SIKLUS_WORKDAYS", "2026-10-10")  # a Saturday worked
    friday = datetime(2026, 10, 9, 8, 0, tzinfo=WIB)
    assert after("1wd", friday) == datetime(2026, 10, 10, 8, 0, tzinfo=WIB)


def test_a_malformed_day_off_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIKLUS_DAYS_OFF", "2026-10-06,6 Oktober")
    with pytest.raises(InvalidInput, match="SIKLUS_DAYS_OFF: '6 Oktober' is not a date"):
        after("1wd", datetime(2026, 10, 5, tzinfo=WIB))


def test_calendar_days_and_hours_are_unaffected_by_holidays() -> None:
    eve = datetime(2026, 3, 17, 9, 0, tzinfo=WIB)
    assert after("2d", eve) == datetime(2026, 3, 19, 9, 0, tzinfo=WIB)
    assert after("36h", eve) == datetime(2026, 3, 18, 21, 0, tzinfo=WIB)
