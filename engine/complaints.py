"""Public complaints (pengaduan masyarakat) as cases for the unit's HR, and the indicator they feed.

A complaint written on the public survey page (``/layanan/<unit>``) becomes a :class:`Complaint` of
that unit (:func:`open_complaint`, in the same transaction as the answer). HR of the unit (or of a unit
above it) triages it as **verified** (naming the employee concerned, who works in the unit or below
it), **unfounded** or a **duplicate** of another case of the unit (an original that is not itself a
duplicate, so a repeated complaint is counted once), and **replies** to it; a reply closes the case
(it is then *resolved*). Every step is one event in the system audit chain; the complaint text
and the reply stay out of the chain (they may carry personal data), the chain keeps who decided what.

Verified complaints are counted, never typed: the input path ``complaints.verified`` (see
:mod:`engine.vocabulary`) is the number of verified complaints against the appraised employee
received within the run's period, so a fixed indicator with ``inputs: {realisation:
complaints.verified}`` (Solok's ``pengaduan_masyarakat``) is fed by the system. When a triage changes
whom a verified complaint counts against, the open appraisals that read it are recomputed at once,
each with an event in its own chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import limits
from engine.appraisals.work import load_appraisal, refresh_results, unit_of_work
from engine.audit.chain import EventInfo
from engine.audit.writer import append_appraisal_event, append_system_event
from engine.citizen_models import (
    COMPLAINT_STATUSES,
    DUPLICATE,
    NEW,
    UNFOUNDED,
    VERIFIED,
    Complaint,
)
from engine.complaint_store import ComplaintCounts, open_complaint, unit_complaint_counts, verified_complaints
from engine.definition import CycleDefinition
from engine.dependencies import INDICATORS
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.loaded import definition_of
from engine.messages import Message
from engine.models import Appraisal, CycleRun, Employee, FeedbackResponse, OrgUnit, utcnow
from engine.org import units_under
from engine.permissions import Actor
from engine.policy import Policy
from engine.provenance import system_source
from engine.vocabulary import COMPLAINTS_ROOT

__all__ = [
    "COMPLAINT_STATUSES", "DUPLICATE", "NEW", "UNFOUNDED", "VERIFIED", "ComplaintCase", "ComplaintCounts",
    "ComplaintDesk", "complaint_desk", "open_complaint", "reply_to_complaint", "triage_complaint",
    "unit_complaint_counts", "verified_complaints",
]

#: The longest triage note and reply, in characters after trimming.
MAX_TEXT = limits.COMMENT_CHARS
#: The shortest reply, in characters after trimming.
MIN_REPLY = 10
#: The most cases one page lists.
PAGE_SIZE = 100


# -- what HR sees -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ComplaintCase:
    """One case as HR's list shows it: the complaint, its unit, and the people of the unit it may be about."""

    complaint: Complaint
    text: str
    unit_name: str
    employee_name: str | None
    duplicate_of: int | None


def _hr_units(policy: Policy) -> Iterable[int] | None:
    """The unit ids the actor is HR of (None: every unit); Forbidden for someone who is HR nowhere."""
    scope = policy.hr_scope()
    if not scope.any:
        raise Forbidden(Message("complaint.hr_only"))
    return None if scope.every_unit else scope.unit_ids


@dataclass(frozen=True)
class ComplaintDesk:
    """HR's list of cases, and for each unit listed the active employees a case can be assigned to."""

    cases: list[ComplaintCase]
    staff: dict[int, list[tuple[int, str]]]


def complaint_desk(session: Session, actor: Actor, *, status: str | None = None,
                   limit: int = PAGE_SIZE) -> ComplaintDesk:
    """The cases of the units the actor is HR of, newest first (only those of ``status`` when it is one),
    with the people of each unit (the unit and below); Forbidden for someone who is HR nowhere."""
    units = _hr_units(Policy(session, actor))
    stmt = (select(Complaint, FeedbackResponse.comment, OrgUnit.name, Employee.name)
            .join(FeedbackResponse, FeedbackResponse.id == Complaint.response_id)
            .join(OrgUnit, OrgUnit.id == Complaint.unit_id)
            .outerjoin(Employee, Employee.id == Complaint.employee_id)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(limit))
    if units is not None:
        stmt = stmt.where(Complaint.unit_id.in_(list(units)))
    if status in COMPLAINT_STATUSES:
        stmt = stmt.where(Complaint.status == status)
    cases = [ComplaintCase(c, text, unit, employee, c.duplicate_of_id)
             for c, text, unit, employee in session.execute(stmt)]
    staff: dict[int, list[tuple[int, str]]] = {}
    for unit_id in sorted({case.complaint.unit_id for case in cases}):
        staff[unit_id] = [(eid, name) for eid, name in session.execute(
            select(Employee.id, Employee.name).where(Employee.unit_id.in_(units_under([unit_id])),
                                                      Employee.active.is_(True)).order_by(Employee.name))]
    return ComplaintDesk(cases, staff)


# -- HR's steps -------------------------------------------------------------------------------------

def _case(session: Session, policy: Policy, complaint_id: int) -> Complaint:
    """The case, locked for the change; NotFound, or Forbidden when the actor is not HR of its unit."""
    complaint = _locked(session, complaint_id)
    if complaint is None:
        raise NotFound(Message("complaint.not_found", id=complaint_id))
    if not policy.is_hr_of(complaint.unit_id):
        raise Forbidden(Message("complaint.other_unit"))
    return complaint


def _locked(session: Session, complaint_id: int) -> Complaint | None:
    """The complaint, locked against a concurrent triage on PostgreSQL (SQLite writes one at a time)."""
    stmt = select(Complaint).where(Complaint.id == complaint_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalars(stmt).first()


def _text(raw: str | None, field: str) -> str:
    text = (raw or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        # The limit as digits, the way the form's maxlength states it.
        raise InvalidInput(Message("complaint.text_too_long", limit=str(MAX_TEXT), length=str(len(text))),
                           errors={field: "too-long"})
    return text


def triage_complaint(session: Session, actor: Actor, complaint_id: int, status: str, *,
                     employee_id: int | None = None, duplicate_of_id: int | None = None, note: str = "",
                     now: datetime | None = None) -> Complaint:
    """HR's triage of a case: ``verified`` against the employee concerned, ``unfounded``, or a
    ``duplicate`` of another case of the unit; commits with one audit event.

    A verified complaint names an active employee of the unit (or a unit below it). A duplicate names
    an original of the same unit that is not itself a duplicate, and a case that is the original of
    duplicates does not become one, so each duplicate points straight at a counted-once original and
    no chain or cycle forms. A replied case is closed and keeps its triage; an HR officer takes no
    triage decision on a case verified (or to be verified) against themselves. The open appraisals
    whose indicators count verified complaints of the employee (before and after) are recomputed in
    the same transaction.
    """
    when = now or utcnow()

    def work() -> Complaint:
        policy = Policy(session, actor)
        complaint = _case(session, policy, complaint_id)
        if complaint.replied_at is not None:
            raise Conflict(Message("complaint.closed"))
        if status not in (VERIFIED, UNFOUNDED, DUPLICATE):
            raise InvalidInput(Message("complaint.triage_unknown"), errors={"status": "unknown"})
        cleaned = _text(note, "note")
        employee = _concerned(session, complaint, employee_id) if status == VERIFIED else None
        duplicate = _original(session, complaint, duplicate_of_id) if status == DUPLICATE else None
        before = complaint.employee_id if complaint.status == VERIFIED else None
        if actor.employee_id is not None and actor.employee_id in (before, employee):
            raise Forbidden(Message("complaint.own_case", id=complaint.id))
        previous = complaint.status
        complaint.status = status
        complaint.employee_id = employee
        complaint.duplicate_of_id = duplicate
        complaint.note = cleaned
        complaint.triaged_by_id = actor.user_id
        complaint.triaged_at = when
        session.flush()
        append_system_event(session, EventInfo(
            kind="complaint", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
            payload={"complaint": complaint.id, "status": status, "employee_id": employee,
                     "duplicate_of": duplicate, "previous": previous, "response": complaint.response_id},
            employee_id=employee, unit_id=complaint.unit_id), occurred_at=when)
        for affected in {e for e in (before, employee) if e is not None}:
            _recount(session, actor, complaint, affected, when)
        return complaint

    return unit_of_work(session, work)


def _concerned(session: Session, complaint: Complaint, employee_id: int | None) -> int:
    """The employee a verified complaint is about: active, in the complaint's unit or below it."""
    if employee_id is None:
        raise InvalidInput(Message("complaint.employee_missing"), errors={"employee": "missing"})
    found = session.scalar(select(Employee.id).where(
        Employee.id == employee_id, Employee.active.is_(True), Employee.unit_id.in_(units_under([complaint.unit_id]))))
    if found is None:
        raise InvalidInput(Message("complaint.employee_outside"), errors={"employee": "outside-unit"})
    return int(found)


def _original(session: Session, complaint: Complaint, duplicate_of_id: int | None) -> int:
    """The case of the same unit a duplicate repeats: another one, not itself a duplicate; and the
    complaint being marked is no original of duplicates (they would be left pointing at a duplicate).

    The original is locked too, so two triages at once cannot link A to B while B becomes a duplicate.
    """
    if duplicate_of_id is None:
        raise InvalidInput(Message("complaint.duplicate_missing"), errors={"duplicate_of": "missing"})
    if duplicate_of_id == complaint.id:
        raise InvalidInput(Message("complaint.duplicate_self", id=complaint.id), errors={"duplicate_of": "self"})
    original = _locked(session, duplicate_of_id)
    if original is None or original.unit_id != complaint.unit_id:
        # Another unit's case is answered as if it did not exist: its number tells HR nothing.
        raise InvalidInput(Message("complaint.duplicate_unknown", id=complaint.id, original=duplicate_of_id),
                           errors={"duplicate_of": "unknown"})
    repeats = session.scalars(select(Complaint.id).where(Complaint.unit_id == complaint.unit_id,
                                                         Complaint.duplicate_of_id == complaint.id,
                                                         Complaint.status == DUPLICATE)
                              .order_by(Complaint.id)).all()
    if repeats:
        raise InvalidInput(Message("complaint.has_duplicates", id=complaint.id,
                                   duplicates=[f"#{r}" for r in repeats]), errors={"duplicate_of": "original"})
    if original.status == DUPLICATE and original.duplicate_of_id is not None:
        raise InvalidInput(Message("complaint.duplicate_chain", id=complaint.id, original=original.id,
                                   root=original.duplicate_of_id), errors={"duplicate_of": "duplicate"})
    return original.id


def reads_complaints(defn: CycleDefinition) -> bool:
    """Whether a cycle reads verified complaints (an indicator fed by them, or a result's input)."""
    prefix = COMPLAINTS_ROOT + "."
    if any((system_source(i) or "").startswith(prefix) for i in defn.indicators):
        return True
    return any(isinstance(p, str) and p.startswith(prefix)
               for spec in defn.results.values() for value in spec.inputs.values()
               for p in (value if isinstance(value, list) else [value]))


def _recount(session: Session, actor: Actor, complaint: Complaint, employee_id: int, when: datetime) -> None:
    """Recompute the employee's open appraisals whose period holds the complaint and which count complaints.

    An appraisal in a final state keeps its results: the rating was settled on what was verified by then.
    """
    ids = session.scalars(select(Appraisal.id).join(CycleRun, CycleRun.id == Appraisal.run_id).where(
        Appraisal.employee_id == employee_id, Appraisal.closed_at.is_(None),
        CycleRun.period_start <= complaint.received_at, CycleRun.period_end >= complaint.received_at)).all()
    for appraisal_id in ids:
        appraisal = load_appraisal(session, appraisal_id, for_update=True)
        defn = definition_of(appraisal.definition)
        if not reads_complaints(defn) or defn.states[appraisal.state].final:
            continue
        results = refresh_results(session, appraisal, (INDICATORS, COMPLAINTS_ROOT), when)
        appraisal.updated_at = when
        append_appraisal_event(session, appraisal, EventInfo(
            kind="complaint", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
            from_state=appraisal.state, to_state=appraisal.state,
            payload={"complaint": complaint.id, "status": complaint.status,
                     "counted": complaint.status == VERIFIED and complaint.employee_id == employee_id},
            results=results, employee_id=employee_id, unit_id=appraisal.employee.unit_id), occurred_at=when)


def reply_to_complaint(session: Session, actor: Actor, complaint_id: int, reply: str,
                       now: datetime | None = None) -> Complaint:
    """HR's answer to a triaged case; it closes (resolves) the case. Commits with one audit event.

    An HR officer does not answer a case verified against themselves: the reply speaks for the agency about
    them, and it closes the case, whose triage then no colleague can change; another HR officer answers it."""
    when = now or utcnow()

    def work() -> Complaint:
        complaint = _case(session, Policy(session, actor), complaint_id)
        if complaint.status == NEW:
            raise Conflict(Message("complaint.reply_untriaged"))
        if complaint.replied_at is not None:
            raise Conflict(Message("complaint.replied"))
        about_them = actor.employee_id is not None and complaint.employee_id == actor.employee_id
        if complaint.status == VERIFIED and about_them:
            raise Forbidden(Message("complaint.own_reply", id=complaint.id))
        text = _text(reply, "reply")
        if len(text) < MIN_REPLY:
            raise InvalidInput(Message("complaint.reply_short", minimum=MIN_REPLY), errors={"reply": "too-short"})
        complaint.reply = text
        complaint.replied_by_id = actor.user_id
        complaint.replied_at = when
        session.flush()
        append_system_event(session, EventInfo(
            kind="complaint", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
            payload={"complaint": complaint.id, "status": complaint.status, "replied": True,
                     "response": complaint.response_id},
            employee_id=complaint.employee_id, unit_id=complaint.unit_id), occurred_at=when)
        return complaint

    return unit_of_work(session, work)
