"""Notices that close a loop someone else started: a proposed 360 respondent waits for the rater, a
public complaint waits for HR of its agency. Each tells the person who acts, with a link to the page
where they act, and is written once (unique ``dedupe_key``, as every notice).

* A nomination event in an appraisal's audit chain (:mod:`engine.nominations`) that proposes a
  respondent tells the employee's rater (their direct supervisor or, for a top official with no supervisor, the
  account HR designated: :mod:`engine.raters`), while the proposal still waits;
  :func:`engine.notifications.dispatch` reads these events with the others.
* A complaint written on the public survey page tells the HR officers whose grant covers the
  complaint's unit (administrators only where no HR officer does), in the same transaction as the
  complaint (:func:`notify_new_complaint`): the survey answer is not in any audit chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.citizen_models import PROPOSED, Complaint, FeedbackNomination
from engine.definition import CycleDefinition
from engine.messages import Label
from engine.models import Employee, Notification, OrgUnit, User
from engine.notification_texts import LANGUAGES, notice_columns
from engine.rater_models import RaterDesignation
from engine.resolvers import HolderIndex, Subject

#: The kind of audit event a proposal or a decision on a nominated respondent is recorded as.
NOMINATION_EVENT = "nomination"


def _insert(session: Session, notices: list[dict[str, Any]]) -> int:
    """Insert the notices not written yet (their ``dedupe_key`` is new); how many were."""
    if not notices:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (dialect.insert(Notification).on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Notification.id))
    return len(session.execute(stmt, notices).all())


def _columns(user_id: int, email: str | None, key: str, link: str, now: datetime, said: dict[str, Any],
             appraisal_id: int | None = None) -> dict[str, Any]:
    """A notice's columns: to whom, about what, what it says, and its place in the e-mail outbox."""
    return {"user_id": user_id, "email": email or None, "appraisal_id": appraisal_id, "kind": "action_needed",
            "dedupe_key": key[:160], "link": link, "created_at": now,
            "email_status": "outbox" if email else "none", "email_attempts": 0, **said}


def nomination_notices(session: Session, rows: Sequence[Any], defns: dict[int, CycleDefinition],
                       now: datetime) -> list[dict[str, Any]]:
    """The notices of nomination events (audit rows joined with their appraisal, as the sweep reads
    them): each proposal still waiting tells the employee's rater (the one who decides it)."""
    proposals = {int(row.payload["nomination"]): row for row in rows
                 if row.kind == NOMINATION_EVENT and row.appraisal_id is not None
                 and row.definition_id in defns and (row.payload or {}).get("status") == PROPOSED
                 and isinstance((row.payload or {}).get("nomination"), int)}
    if not proposals:
        return []
    waiting = {nid: nominee for nid, nominee in session.execute(
        select(FeedbackNomination.id, Employee.name).join(Employee, Employee.id == FeedbackNomination.nominee_id)
        .where(FeedbackNomination.id.in_(list(proposals)), FeedbackNomination.status == PROPOSED))}
    bosses = {row.supervisor_id for row in proposals.values() if row.supervisor_id is not None}
    tops = {row.employee_id for row in proposals.values() if row.supervisor_id is None}
    designated: dict[int, int] = dict(session.execute(
        select(RaterDesignation.employee_id, RaterDesignation.rater_user_id)
        .where(RaterDesignation.employee_id.in_(tops))).all()) if tops else {}
    accounts = session.execute(
        select(User.id, User.employee_id, User.locale, Employee.email)
        .outerjoin(Employee, Employee.id == User.employee_id)
        .where(User.is_active.is_(True),
               or_(User.employee_id.in_(bosses), User.id.in_(set(designated.values()))))).all()
    by_employee = {eid: (uid, locale, email) for uid, eid, locale, email in accounts if eid is not None}
    by_user = {uid: (uid, locale, email) for uid, _eid, locale, email in accounts}
    notices = []
    for nid, row in proposals.items():
        rater = (by_employee.get(row.supervisor_id) if row.supervisor_id is not None
                 else by_user.get(designated.get(row.employee_id, 0)))
        if nid not in waiting or rater is None:
            continue
        uid, locale, email = rater
        lang = locale if locale in LANGUAGES else "id"
        defn = defns[row.definition_id]
        role = str(row.payload.get("role"))
        said = notice_columns("notice.nomination", lang, employee=row.employee_name, nominee=waiting[nid],
                              role=Label(role, defn.roles[role].label if role in defn.roles else None),
                              cycle=defn.title, period=row.period)
        notices.append(_columns(uid, email, f"nominate:{nid}:{uid}", f"/penilaian/{row.appraisal_id}/responden",
                                now, said, row.appraisal_id))
    return notices


def notify_new_complaint(session: Session, complaint: Complaint, now: datetime) -> int:
    """Tell HR of the complaint's agency that a public complaint waits on the complaints page (the
    caller commits); how many were told. The complaint's text stays out of the notice."""
    session.flush()
    unit_name = session.scalar(select(OrgUnit.name).where(OrgUnit.id == complaint.unit_id)) or ""
    index = HolderIndex(session, [Subject(0, complaint.unit_id, None, None)], set())
    officers = index.hr_of(complaint.unit_id)
    if not officers:
        return 0
    found = session.execute(select(User.id, User.locale, Employee.email)
                            .outerjoin(Employee, Employee.id == User.employee_id)
                            .where(User.id.in_(officers), User.is_active.is_(True))).all()
    notices = []
    for uid, locale, email in found:
        lang = locale if locale in LANGUAGES else "id"
        said = notice_columns("notice.complaint", lang, unit=unit_name, received=complaint.received_at)
        notices.append(_columns(uid, email, f"complaint:{complaint.id}:{uid}",
                                f"/sdm/pengaduan#pengaduan-{complaint.id}", now, said))
    return _insert(session, notices)
