"""What an appraisal's development looks like to a reader: the activities, the live JP total against the
cycle's target, and the recommended courses each linked to the training catalogue (enrol with one action).

The page, the printable document and the API all read this through :mod:`engine.detail`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definition import CycleDefinition
from engine.development.catalogue import courses_by_code
from engine.development.hours import jp_total
from engine.development.models import TrainingCourse
from engine.models import DevelopmentActivity

#: The rule whose results are course recommendations (rules/training.py).
RECOMMENDATION_RULE = "training_recommendation"
DONE, WITHDRAWN = "done", "withdrawn"


@dataclass(frozen=True)
class RecommendedCourse:
    """A course the cycle's recommendation names, with the catalogue's course of the same code (if any)."""

    code: str
    title: str
    jp: float
    weak_points: tuple[str, ...]
    course: TrainingCourse | None   # the catalogue's course; None: HR has not added it yet
    enrolled: bool                  # the appraisal holds a live (planned or done) enrolment in it

    @property
    def can_enrol(self) -> bool:
        return self.course is not None and self.course.active and not self.enrolled


def recommendation_results(defn: CycleDefinition) -> list[str]:
    """The cycle's results computed by the training recommendation rule."""
    return [name for name, spec in defn.results.items() if spec.rule == RECOMMENDATION_RULE]


def recommended_courses(session: Session, defn: CycleDefinition, values: Mapping[str, Any],
                        activities: Iterable[DevelopmentActivity]) -> tuple[RecommendedCourse, ...]:
    """The courses of the recommendation results in ``values`` (result name -> stored value), each once."""
    found: dict[str, dict[str, Any]] = {}
    for name in recommendation_results(defn):
        value = values.get(name)
        for item in value if isinstance(value, list) else []:
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                found.setdefault(item["id"], dict(item))
    if not found:
        return ()
    catalogue = courses_by_code(session, list(found))
    live = {a.course_id for a in activities if a.status != WITHDRAWN and a.course_id}
    return tuple(
        RecommendedCourse(code, str(item.get("title") or code), float(item.get("jp") or 0),
                          tuple(str(p) for p in item.get("for") or ()), catalogue.get(code), code in live)
        for code, item in found.items())


def activities_of(session: Session, appraisal_id: int) -> tuple[DevelopmentActivity, ...]:
    """The appraisal's development activities in the order they were recorded."""
    return tuple(session.scalars(select(DevelopmentActivity).where(DevelopmentActivity.appraisal_id == appraisal_id)
                                 .order_by(DevelopmentActivity.id)))


def jp_done(activities: Iterable[DevelopmentActivity]) -> float:
    """Lesson hours of the activities done (planned and withdrawn ones count nothing)."""
    return jp_total(sum(a.jp for a in activities if a.status == DONE))
