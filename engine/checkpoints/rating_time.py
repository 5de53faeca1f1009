"""When a checkpoint's periodic rating may be recorded.

The regulation's periodic evaluation (BKN's e-Kinerja guidance): the employee reports the period's realisation
and evidence, then the rater rates that period. So a periodic rating is taken once the period's work is
reported, or once the period has ended, whichever comes first: from the employee's report for the checkpoint
when the series takes reports; else, when it takes realisations, from the first realisation recorded for it;
and in any case from the first moment after the period's last day (an employee who never reports does not keep
the period from being rated). Before that the rating is refused, saying from when it is possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.checkpoints.periods import Checkpoint

#: What opens a checkpoint's rating before its period ends: the employee's report, a realisation, or nothing.
REPORT, REALISATION, PERIOD_END = "report", "realisation", "end"


@dataclass(frozen=True)
class RatingOpening:
    """From when a checkpoint's periodic rating is taken: ``at`` (None while it waits for the employee's
    report or realisation, before the period's end), ``after`` the moment the period is over, and ``waits_for``
    what would open it sooner (:data:`REPORT`, :data:`REALISATION`, or :data:`PERIOD_END`: only the period's end)."""

    at: datetime | None
    after: datetime
    waits_for: str

    def open_at(self, now: datetime) -> bool:
        """Whether the rating may be recorded at ``now``."""
        return (self.at is not None and now >= self.at) or now >= self.after


def what_opens_rating(checkpoint: Checkpoint) -> str:
    """What the series takes from the employee that opens the rating before the period's end."""
    series = checkpoint.series
    if series.report_roles:
        return REPORT
    return REALISATION if series.realisation else PERIOD_END


def rating_opening(checkpoint: Checkpoint, reported_at: datetime | None,
                   first_realisation_at: datetime | None) -> RatingOpening:
    """From when the rating of ``checkpoint`` is taken, given when the employee filed its report and recorded its
    first realisation (None: not yet)."""
    after = checkpoint.end + timedelta(microseconds=1)  # the next local midnight: the period is over
    waits_for = what_opens_rating(checkpoint)
    reported = {REPORT: reported_at, REALISATION: first_realisation_at}.get(waits_for)
    return RatingOpening(min(reported, after) if reported is not None else None, after, waits_for)
