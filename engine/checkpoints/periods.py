"""The checkpoints of a run: their keys, labels and boundaries, in the agency's time zone.

A monthly series has one checkpoint per calendar month of the run's period (key ``2026-03``), a
quarterly one per quarter (``2026-Q1``, labelled *Triwulan I*), explicit dates one per date (key the
date's id); each starts where the one before ended. Boundaries are local midnights in
``SIKLUS_TIMEZONE`` (a month ends at midnight in Jakarta, not in UTC), stored in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from engine.calendar import local_zone
from engine.definition import CheckpointDef, Text

ROMAN = ("I", "II", "III", "IV")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint of a run: ``series.key`` names it (``triwulan.2026-Q1``)."""

    series: CheckpointDef
    key: str
    label: Text
    number: int  # 1, 2, 3... within the run
    start: datetime
    end: datetime  # the last moment (inclusive)

    @property
    def name(self) -> str:
        """The checkpoint's full name, as stored with its entries and results: ``triwulan.2026-Q1``."""
        return f"{self.series.id}.{self.key}"

    @property
    def report_closes(self) -> datetime:
        """When the employee's entries (realisations, report, self-assessment) stop being taken."""
        return self.series.report_within.after(self.end)

    @property
    def rating_closes(self) -> datetime:
        """When the rater's feedback and rating stop being taken and ``tick`` closes the checkpoint."""
        return max(self.series.rating_within.after(self.end), self.report_closes)


def _local_midnight(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=local_zone())


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    total = year * 12 + month - 1 + months
    return total // 12, total % 12 + 1


def checkpoints_of(series: CheckpointDef, period_start: datetime, period_end: datetime) -> list[Checkpoint]:
    """The checkpoints of ``series`` in a run's period, in order; explicit dates outside it are left out."""
    zone = local_zone()
    start_local = period_start.astimezone(zone)
    end_local = period_end.astimezone(zone)
    out: list[Checkpoint] = []
    if series.every in ("monthly", "quarterly"):
        step = 1 if series.every == "monthly" else 3
        year, month = start_local.year, start_local.month
        if step == 3:
            month = (month - 1) // 3 * 3 + 1
        number = 0
        while True:
            begin = _local_midnight(year, month)
            if begin > end_local:
                break
            next_year, next_month = _add_months(year, month, step)
            finish = _local_midnight(next_year, next_month) - timedelta(microseconds=1)
            number += 1
            if step == 1:
                key = f"{year}-{month:02d}"
                label = Text(f"{MONTHS_ID[month - 1]} {year}", f"{MONTHS_EN[month - 1]} {year}")
            else:
                quarter = (month - 1) // 3 + 1
                key = f"{year}-Q{quarter}"
                label = Text(f"{series.label.id} {ROMAN[quarter - 1]} {year}",
                             f"{series.label.en or series.label.id} {ROMAN[quarter - 1]} {year}")
            out.append(Checkpoint(series, key, label, number, max(begin, start_local).astimezone(UTC),
                                  min(finish, end_local).astimezone(UTC)))
            year, month = next_year, next_month
        return out
    begin = start_local
    for number, date in enumerate(series.dates, start=1):
        month, day = (int(part) for part in date.end.split("-"))
        try:
            finish = _local_midnight(start_local.year, month, day) + timedelta(days=1) - timedelta(microseconds=1)
        except ValueError:
            continue  # 02-29 outside a leap year: the validator names it
        if finish > end_local or finish < begin:
            continue
        out.append(Checkpoint(series, date.id, date.label, number, begin.astimezone(UTC), finish.astimezone(UTC)))
        begin = finish + timedelta(microseconds=1)
    return out


def find_checkpoint(series: CheckpointDef, period_start: datetime, period_end: datetime, key: str) -> Checkpoint | None:
    """The checkpoint ``key`` of ``series`` in the run's period, or None when the period has none such."""
    return next((c for c in checkpoints_of(series, period_start, period_end) if c.key == key), None)


def checkpoint_label(series: CheckpointDef, key: str) -> Text:
    """A checkpoint's label from its key alone (``2026-03`` is Maret 2026, ``2026-Q1`` Triwulan I 2026)."""
    year, _, part = key.partition("-")
    if series.every == "monthly" and (year + part).isascii() and year.isdigit() and part.isdigit() \
            and 1 <= int(part) <= 12:
        return Text(f"{MONTHS_ID[int(part) - 1]} {year}", f"{MONTHS_EN[int(part) - 1]} {year}")
    if series.every == "quarterly" and year.isascii() and year.isdigit() and part in ("Q1", "Q2", "Q3", "Q4"):
        roman = ROMAN[int(part[1]) - 1]
        return Text(f"{series.label.id} {roman} {year}", f"{series.label.en or series.label.id} {roman} {year}")
    date = next((d for d in series.dates if d.id == key), None)
    return date.label if date is not None else Text(key, key)
