"""The training catalogue HR manages: add a course, change it, retire it; read it for enrolment.

Every change is one event in the system audit chain (``course_create``, ``course_update``,
``course_retire``, ``course_reopen``) with the course as it stands after the change and, for a change,
the fields as they were before; HR reads them in the audit log.

A course's ``code`` is the id a cycle's ``training_recommendation`` names, so a recommended course links
to the catalogue's course of the same code (:mod:`engine.development.activities`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.appraisals.work import unit_of_work
from engine.audit import EventInfo, append_system_event
from engine.development.models import COURSE_KINDS, TrainingCourse
from engine.errors import Conflict, InvalidInput, NotFound
from engine.messages import Message
from engine.models import DevelopmentActivity, utcnow
from engine.ownership import is_whole_organisation_hr, require_whole_organisation_hr
from engine.permissions import Actor
from engine.resolvers import HR_GRANTS

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
#: What each kind is called on a screen.
KIND_LABELS = {"manajerial": ("Manajerial", "Managerial"), "kepemimpinan": ("Kepemimpinan", "Leadership"),
               "teknis": ("Teknis", "Technical"), "e_learning": ("E-learning", "E-learning")}
#: What the catalogue is called in a refusal to change it.
CATALOGUE = Message("access.the_catalogue")
#: No single course gives more lesson hours than this (a year's Latsar is 40 days of 9 JP).
MAX_COURSE_JP = 1000


@dataclass(frozen=True)
class CourseInput:
    """A course as HR typed it."""

    code: str
    title: str
    jp: Any
    kind: str
    certificate_required: bool = True


def catalogue(session: Session, *, active_only: bool = False) -> list[TrainingCourse]:
    """Every course of the catalogue by title (only those open to enrolment with ``active_only``)."""
    stmt = select(TrainingCourse).order_by(TrainingCourse.title, TrainingCourse.id)
    if active_only:
        stmt = stmt.where(TrainingCourse.active.is_(True))
    return list(session.scalars(stmt))


def may_change_catalogue(session: Session, actor: Actor) -> bool:
    """Whether ``actor`` may add and change courses: HR over the whole organisation (see :func:`add_course`)."""
    return is_whole_organisation_hr(session, actor)


def courses_by_code(session: Session, codes: list[str]) -> dict[str, TrainingCourse]:
    """The catalogue's courses of these codes (a code the catalogue lacks is left out)."""
    if not codes:
        return {}
    return {c.code: c for c in session.scalars(select(TrainingCourse).where(TrainingCourse.code.in_(codes)))}


def lesson_hours(value: Any) -> float:
    """JP as a number above 0 and at most :data:`MAX_COURSE_JP`; anything else is refused by name."""
    try:
        hours = float(str(value).strip().replace(",", ".")) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        hours = math.nan
    if isinstance(value, bool) or not math.isfinite(hours) or not 0 < hours <= MAX_COURSE_JP:
        raise InvalidInput(Message("course.jp", maximum=str(MAX_COURSE_JP), value=str(value)[:40]))
    return hours


def _checked(course: CourseInput) -> tuple[str, str, float, str]:
    code, title = course.code.strip(), " ".join(course.title.split())
    if not _CODE.match(code):
        raise InvalidInput(Message("course.code_format", code=code[:70]))
    if not title:
        raise InvalidInput(Message("course.title_required"))
    if course.kind not in COURSE_KINDS:
        raise InvalidInput(Message("course.kind_unknown"))
    return code, title[:255], lesson_hours(course.jp), course.kind


def _state(row: TrainingCourse) -> dict[str, Any]:
    """What the audit event keeps of a course: every field a reader of the catalogue sees."""
    return {"course_id": row.id, "code": row.code, "title": row.title, "jp": row.jp, "kind": row.kind,
            "certificate_required": row.certificate_required, "active": row.active}


def _record(session: Session, actor: Actor, kind: str, row: TrainingCourse, *, now: datetime | None = None,
            **payload: Any) -> None:
    """One event in the system chain for a change to the catalogue, filed under the unit of the HR grant
    the officer acted on (so they and HR above them read it in the audit log; none for HR of every unit)."""
    units = [unit for role, unit in actor.grants if role in HR_GRANTS]
    filed = None if None in units else min((u for u in units if u is not None), default=None)
    append_system_event(session, EventInfo(
        kind=kind, actor_user_id=actor.user_id, actor_name=actor.username, role="sdm", unit_id=filed,
        payload={**_state(row), **payload}), occurred_at=now)


def enrolment_counts(session: Session) -> dict[str, int]:
    """For each course with enrolments (planned or done), how many there are (one grouped query)."""
    return {str(code): int(n) for code, n in session.execute(
        select(DevelopmentActivity.course_id, func.count(DevelopmentActivity.id))
        .where(DevelopmentActivity.course_id.is_not(None), DevelopmentActivity.status != "withdrawn")
        .group_by(DevelopmentActivity.course_id))}


def enrolments(session: Session, code: str) -> int:
    """How many enrolments (planned or done, not withdrawn) name the course."""
    return int(session.scalar(select(func.count(DevelopmentActivity.id)).where(
        DevelopmentActivity.course_id == code, DevelopmentActivity.status != "withdrawn")) or 0)


def add_course(session: Session, actor: Actor, course: CourseInput, *,
               now: datetime | None = None) -> TrainingCourse:
    """HR adds a course to the catalogue; a code already in it is refused. Commits with one audit event,
    dated ``now`` (the clock's moment by default; a demo sets its catalogue up before the past it launches).

    The catalogue is shared by every unit (a course's JP counts in everyone's development report), so only HR
    over the whole organisation changes it (:func:`may_change_catalogue`)."""
    require_whole_organisation_hr(session, actor, CATALOGUE)
    code, title, jp, kind = _checked(course)

    def work() -> TrainingCourse:
        if session.scalar(select(TrainingCourse.id).where(TrainingCourse.code == code)) is not None:
            raise InvalidInput(Message("course.code_taken", code=code))
        row = TrainingCourse(code=code, title=title, jp=jp, kind=kind, certificate_required=course.certificate_required,
                             active=True, created_at=now or utcnow())
        session.add(row)
        session.flush()
        _record(session, actor, "course_create", row, now=now)
        return row

    return unit_of_work(session, work)


def update_course(session: Session, actor: Actor, course_id: int, course: CourseInput, active: bool = True
                  ) -> TrainingCourse:
    """HR changes a course's title, kind, JP, certificate rule or whether it takes enrolments (the code stays:
    cycles and activities name it). Commits with one audit event naming what changed (none when nothing did):
    ``course_retire`` when the course stops taking enrolments, ``course_reopen`` when it takes them again,
    else ``course_update``.

    What an enrolment was made under is not changed under it: once a planned or done activity names the
    course, its JP and its certificate rule stay (retire it and add a course with another code instead).
    Only HR over the whole organisation changes the catalogue, as for :func:`add_course`.
    """
    require_whole_organisation_hr(session, actor, CATALOGUE)

    def work() -> TrainingCourse:
        row = session.get(TrainingCourse, course_id, with_for_update=True)
        if row is None:
            raise NotFound(Message("course.not_found", id=course_id))
        _code, title, jp, kind = _checked(CourseInput(row.code, course.title, course.jp, course.kind))
        wanted = {"title": title, "jp": jp, "kind": kind, "certificate_required": course.certificate_required,
                  "active": active}
        before = _state(row)
        changed = {k: before[k] for k, v in wanted.items() if before[k] != v}
        if not changed:
            return row
        if {"jp", "certificate_required"} & changed.keys() and (count := enrolments(session, row.code)):
            code = "course.enrolled_jp" if "jp" in changed else "course.enrolled_certificate"
            raise Conflict(Message(code, title=row.title, count=count, jp=row.jp))
        for key, value in wanted.items():
            setattr(row, key, value)
        session.flush()
        kind_of_change = ("course_update" if "active" not in changed
                          else "course_reopen" if active else "course_retire")
        _record(session, actor, kind_of_change, row, before=changed)
        return row

    return unit_of_work(session, work)
