"""The training catalogue HR manages: add a course, change it, retire it; read it for enrolment.

A course's ``code`` is the id a cycle's ``training_recommendation`` names, so a recommended course links
to the catalogue's course of the same code (:mod:`engine.development.activities`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.access import require_hr
from engine.appraisals.work import unit_of_work
from engine.development.models import COURSE_KINDS, TrainingCourse
from engine.errors import InvalidInput, NotFound
from engine.permissions import Actor

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
#: What each kind is called on a screen.
KIND_LABELS = {"manajerial": ("Manajerial", "Managerial"), "kepemimpinan": ("Kepemimpinan", "Leadership"),
               "teknis": ("Teknis", "Technical"), "e_learning": ("E-learning", "E-learning")}
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
        raise InvalidInput(f"JP must be a number above 0 and at most {MAX_COURSE_JP}, not '{value}'", text={
            "id": f"JP harus berupa angka di atas 0 dan paling banyak {MAX_COURSE_JP}, bukan “{value}”.",
            "en": f"JP must be a number above 0 and at most {MAX_COURSE_JP}, not “{value}”."})
    return hours


def _checked(course: CourseInput) -> tuple[str, str, float, str]:
    code, title = course.code.strip(), " ".join(course.title.split())
    if not _CODE.match(code):
        raise InvalidInput(f"course code '{code}' must be lower-case letters, digits and _ starting with a letter",
                           text={"id": "Kode kursus hanya huruf kecil, angka dan _ dan diawali huruf "
                                       f"(mis. public_speaking), bukan “{code}”.",
                                 "en": "A course code is lower-case letters, digits and _ starting with a letter "
                                       f"(e.g. public_speaking), not “{code}”."})
    if not title:
        raise InvalidInput("the course needs a title", text={"id": "Kursus perlu judul.",
                                                              "en": "The course needs a title."})
    if course.kind not in COURSE_KINDS:
        raise InvalidInput(f"course kind must be one of {', '.join(COURSE_KINDS)}, not '{course.kind}'", text={
            "id": "Jenis kursus harus salah satu dari: manajerial, kepemimpinan, teknis, e-learning.",
            "en": "The course kind must be one of: managerial, leadership, technical, e-learning."})
    return code, title[:255], lesson_hours(course.jp), course.kind


def add_course(session: Session, actor: Actor, course: CourseInput) -> TrainingCourse:
    """HR adds a course to the catalogue; a code already in it is refused."""
    require_hr(session, actor)
    code, title, jp, kind = _checked(course)

    def work() -> TrainingCourse:
        if session.scalar(select(TrainingCourse.id).where(TrainingCourse.code == code)) is not None:
            raise InvalidInput(f"the catalogue already has a course '{code}'", text={
                "id": f"Katalog sudah memuat kursus dengan kode “{code}”; ubah kursus itu atau pakai kode lain.",
                "en": f"The catalogue already has a course coded “{code}”; change that one or use another code."})
        row = TrainingCourse(code=code, title=title, jp=jp, kind=kind, certificate_required=course.certificate_required,
                             active=True)
        session.add(row)
        session.flush()
        return row

    return unit_of_work(session, work)


def update_course(session: Session, actor: Actor, course_id: int, course: CourseInput, active: bool = True
                  ) -> TrainingCourse:
    """HR changes a course's title, JP, kind, certificate rule or whether it takes enrolments (the code stays:
    cycles and activities name it). Activities already recorded keep the JP they were recorded with."""
    require_hr(session, actor)

    def work() -> TrainingCourse:
        row = session.get(TrainingCourse, course_id)
        if row is None:
            raise NotFound(f"no course {course_id} in the catalogue")
        _code, title, jp, kind = _checked(CourseInput(row.code, course.title, course.jp, course.kind))
        row.title, row.jp, row.kind = title, jp, kind
        row.certificate_required, row.active = course.certificate_required, active
        session.flush()
        return row

    return unit_of_work(session, work)
