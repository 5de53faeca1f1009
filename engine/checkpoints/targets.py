"""A checkpoint's IKI targets: the period's share of the year's target, as the cycle declares it.

A series' ``targets`` says how a checkpoint's IKI achievement reads its target (docs/checkpoints.md):

- ``annual`` (the default, and what every version published before it did): the realisation recorded
  for the checkpoint against the annual target.
- ``even``: the realisation of the period alone against the period's even share of the annual target
  (a quarter of a year is 3/12 of it).
- ``cumulative``: the realisation to date against the annual target times the share of the run's
  period elapsed at the checkpoint's end (the first quarter 3/12, the second 6/12 ...).

Shares count whole calendar months when the checkpoint and the run begin and end on month
boundaries (every monthly and quarterly series of a run of whole months), else days. The split is
arithmetic on the annual target the SKP holds, so it stores nothing of its own: whoever may set the
annual target sets, through it, every period's. Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from engine.calendar import local_zone
from engine.checkpoints.periods import Checkpoint
from rules.numbers import fmt_both, round_half_up

ANNUAL, EVEN, CUMULATIVE = "annual", "even", "cumulative"
SPLITS = (ANNUAL, EVEN, CUMULATIVE)
#: Decimals a period target keeps (a target of 1.000 a year is 83,3333 a month).
TARGET_PLACES = 4
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Share:
    """The part of the run's period a checkpoint's target covers: ``part`` of ``whole`` months (or days)."""

    part: int
    whole: int
    months: bool

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.part, self.whole)


def _months(start: datetime, end: datetime) -> int | None:
    """Whole calendar months from ``start`` to ``end`` (its last moment), or None when either is not a month edge."""
    zone = local_zone()
    first, after = start.astimezone(zone), (end + _TICK).astimezone(zone)
    edges = (first, after)
    if any(e.day != 1 or (e.hour, e.minute, e.second, e.microsecond) != (0, 0, 0, 0) for e in edges):
        return None
    return (after.year * 12 + after.month) - (first.year * 12 + first.month)


def _days(start: datetime, end: datetime) -> int:
    zone = local_zone()
    return max(((end + _TICK).astimezone(zone).date() - start.astimezone(zone).date()).days, 1)


def period_share(split: str, checkpoint: Checkpoint, period_start: datetime, period_end: datetime) -> Share | None:
    """The share of the run's period the checkpoint's target covers under ``split``; None for ``annual``."""
    if split not in (EVEN, CUMULATIVE):
        return None
    begin = checkpoint.start if split == EVEN else period_start
    whole_months = _months(period_start, period_end)
    part_months = _months(begin, checkpoint.end)
    if whole_months and part_months is not None:
        return Share(part_months, whole_months, True)
    return Share(_days(begin, checkpoint.end), _days(period_start, period_end), False)


def _scaled(value: Any, share: Share) -> float:
    scaled = Decimal(str(value)) * share.part / share.whole
    return float(round_half_up(scaled, TARGET_PLACES))


def period_target(target: Any, share: Share) -> Any:
    """The period's target: a number, or each edge of a ``[min, max]`` range, times the share. A target that is
    no number is left as it is (the achievement rule names the problem)."""
    if isinstance(target, bool):
        return target
    if isinstance(target, (int, float)):
        return _scaled(target, share)
    if isinstance(target, (list, tuple)) and len(target) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in target):
        return [_scaled(v, share) for v in target]
    return target


def _shown(target: Any) -> tuple[str, str]:
    if isinstance(target, list):
        low, high = (fmt_both(v, TARGET_PLACES) for v in target)
        return f"{low[0]}–{high[0]}", f"{low[1]}–{high[1]}"
    return fmt_both(target, TARGET_PLACES)


#: What "to date" names, by the series' period: the quarter, the month, else the period.
_TO_DATE = {"quarterly": ("triwulan", "quarter"), "monthly": ("bulan", "month")}


def explanation(split: str, annual: Any, target: Any, share: Share, checkpoint: Checkpoint) -> dict[str, str]:
    """The sentence put before the achievement's arithmetic: which target the period is judged against, and why."""
    annual_id, annual_en = _shown(annual)
    target_id, target_en = _shown(target)
    unit_id, unit_en = ("bulan", "months") if share.months else ("hari", "days")
    part = f"{share.part}/{share.whole}"
    if split == CUMULATIVE:
        noun_id, _ = _TO_DATE.get(checkpoint.series.every or "", ("periode", "period"))
        return {"id": f"realisasi sampai akhir {noun_id} ini dibandingkan dengan target sampai {noun_id} ini "
                      f"{target_id} = target tahunan {annual_id} × {part} {unit_id} yang telah berjalan",
                "en": f"the realisation to date is set against the target to date {target_en} = the annual target "
                      f"{annual_en} × {part} {unit_en} elapsed"}
    return {"id": f"realisasi periode ini dibandingkan dengan target periode ini {target_id} = target tahunan "
                  f"{annual_id} × {part} {unit_id} (bagian yang sama setiap periode)",
            "en": f"the period's realisation is set against the period's target {target_en} = the annual target "
                  f"{annual_en} × {part} {unit_en} (an even share each period)"}
