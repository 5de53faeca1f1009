"""What the public sees of a service unit: its IKM, grade and trend year by year, and its complaints.

Binjai lets the public see how its service performs. The page of a unit (``/layanan/<slug>/kinerja``)
shows, for the current year and the years before it, the unit's IKM (PermenPAN-RB 14/2017, through
the ``ikm`` rule), its grade (mutu pelayanan A-D) and the unit's performance, how many answered, each
element's mean answer in the latest year with answers, and
how many complaints were received and resolved (answered by HR). Numbers only: no answer, no
complaint text, no employee is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from engine.calendar import local_zone
from engine.complaint_store import ComplaintCounts, unit_complaint_counts
from engine.models import OrgUnit, utcnow
from engine.public_feedback import unit_by_slug, unit_ikm

#: How many years the page shows, the current one included.
YEARS = 5
#: The trend compares the two latest years with an IKM; a change smaller than this is stable.
STABLE_WITHIN = 0.5


@dataclass(frozen=True)
class YearFigures:
    """One year of a unit: IKM (None without answers), grade, performance, respondents, complaints."""

    year: int
    ikm: float | None
    grade: str | None
    performance: str | None
    respondents: int
    complaints: ComplaintCounts
    #: Each element's mean answer (1-4), U1..U9; empty without answers.
    element_means: tuple[float, ...] = ()


@dataclass(frozen=True)
class UnitReport:
    """The public page of one unit: newest year first, and the trend between the two latest IKM."""

    unit: OrgUnit
    years: tuple[YearFigures, ...]
    trend: str | None  # "up" | "down" | "stable"; None with fewer than two years with an IKM
    change: float | None

    @property
    def current(self) -> YearFigures:
        return self.years[0]

    @property
    def latest(self) -> YearFigures | None:
        """The newest year with an IKM."""
        return next((y for y in self.years if y.ikm is not None), None)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = local_zone()
    start = datetime(year, 1, 1, tzinfo=zone)
    return start, datetime(year + 1, 1, 1, tzinfo=zone) - timedelta(microseconds=1)


def unit_report(session: Session, slug: str, now: datetime | None = None, *, years: int = YEARS) -> UnitReport:
    """The public figures of the unit behind ``slug`` (NotFound for an unknown slug), newest year first."""
    unit = unit_by_slug(session, slug)
    this_year = (now or utcnow()).astimezone(local_zone()).year
    rows: list[YearFigures] = []
    for year in range(this_year, this_year - years, -1):
        start, end = _year_bounds(year)
        found = unit_ikm(session, unit.id, start, end)
        rows.append(YearFigures(year, found.ikm, found.grade, found.performance, found.respondents,
                                unit_complaint_counts(session, unit.id, start, end), found.element_means))
    rated = [y for y in rows if y.ikm is not None]
    trend: str | None = None
    change: float | None = None
    if len(rated) >= 2:
        change = round(float(rated[0].ikm or 0) - float(rated[1].ikm or 0), 2)
        trend = "stable" if abs(change) < STABLE_WITHIN else "up" if change > 0 else "down"
    return UnitReport(unit, tuple(rows), trend, change)
