"""``siklus audit verify`` for public complaints: each case against the system chain's ``complaint`` events.

A complaint HR verified against an employee counts in that employee's results wherever a cycle reads
``complaints.verified`` (engine.complaints), in the period it was received. Each triage and each reply is a
``complaint`` event in the system chain; a case whose status, employee or original was rewritten in the database,
one marked replied (closed, so its triage can no longer be changed) or unmarked, or one whose arrival was moved to
another period, changed those results while every hash held. The events are replayed into the cases they leave
standing, and each case that differs is named, with what the database holds against what the chain recorded (people
by name and NIP, statuses in words, moments as moments) and what HR does about it; a case's arrival is held to its
survey answer's moment, which that answer's seal proves (engine.public_verify). A case nobody has triaged yet has no
event and counts nowhere. Lives below engine.audit, which calls it while walking the system chain.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, Names, finding, moment
from engine.citizen_models import COMPLAINT_STATUSES, NEW, Complaint
from engine.messages import Message
from engine.models import FeedbackResponse
from engine.moments import to_second

EVENT_KIND = "complaint"


@dataclass
class Case:
    """A case as the chain leaves it: its triage (status, employee, original, by whom) and its reply (by whom)."""

    status: Any = NEW
    employee_id: Any = None
    duplicate_of: Any = None
    triaged_by: Any = None
    replied_by: Any = None
    replied: bool = False
    response: Any = None  # the survey answer it came with, as its events recorded it (since they record it)
    unit_id: Any = None  # the unit its last event was filed under (the case's unit then)


@dataclass
class Complaints:
    """The cases the system chain's ``complaint`` events leave standing, by complaint id."""

    cases: dict[int, Case] = field(default_factory=dict)
    units: frozenset[int] | None = None  # only these units' cases (an HR officer's check of their units)

    def apply(self, payload: Mapping[str, Any] | None, actor_user_id: int | None, unit_id: Any = None) -> None:
        """Take one ``complaint`` event of the system chain (filed under ``unit_id``): a triage, or a reply."""
        number = payload.get("complaint") if isinstance(payload, Mapping) else None
        if not isinstance(number, int) or not isinstance(payload, Mapping):
            return
        case = self.cases.setdefault(number, Case())
        if unit_id is not None:
            case.unit_id = unit_id
        if isinstance(payload.get("response"), int):
            case.response = payload["response"]
        if payload.get("replied"):
            case.replied, case.replied_by = True, actor_user_id
        else:
            case.status, case.employee_id = payload.get("status"), payload.get("employee_id")
            case.duplicate_of, case.triaged_by = payload.get("duplicate_of"), actor_user_id

    def differences(self, session: Session) -> Iterator[Finding]:
        """Each case that differs from what the chain leaves standing (naming how), and each recorded case gone.

        With :attr:`units`, the cases filed under those units or made of an answer about them, the cases the chain
        last filed under them (one now under another unit is named as moved), and their answers left without a case.
        """
        seen: set[int] = set()
        names = Names(session)
        units = sorted(self.units) if self.units is not None else None
        stmt = (select(Complaint.id, Complaint.status, Complaint.employee_id, Complaint.duplicate_of_id,
                       Complaint.triaged_by_id, Complaint.replied_by_id, Complaint.replied_at, Complaint.received_at,
                       FeedbackResponse.created_at, Complaint.unit_id, FeedbackResponse.unit_id, Complaint.response_id,
                       FeedbackResponse.comment)
                .outerjoin(FeedbackResponse, FeedbackResponse.id == Complaint.response_id).order_by(Complaint.id))
        if units is not None:
            stmt = stmt.where(or_(Complaint.unit_id.in_(units), FeedbackResponse.unit_id.in_(units)))
        rows = session.execute(stmt)
        for (number, status, employee_id, duplicate_of, triaged_by, replied_by, replied_at, received, answered,
             unit_id, answer_unit, response, comment) in rows:
            seen.add(number)
            case = self.cases.get(number, Case())
            # field: (what the database holds against what the chain or the answer says, what HR does)
            differs: dict[str, tuple[Message, Message]] = {}
            restore, either = Message("audit.complaint_todo_restore"), Message("audit.complaint_todo_answer")
            # A case is the complaint written with one public answer of its unit (whose seal proves its text,
            # unit and moment): the answer it came with, as its events recorded it.
            if case.response is not None and response != case.response:
                differs["answer"] = (_compared(_answer(response), _answer(case.response)), restore)
            elif unit_id != answer_unit:
                differs["answer"] = (Message("audit.complaint_compared_unit", live=_unit(names, unit_id),
                                             answer=_unit(names, answer_unit)), either)
            elif not (comment or "").strip():
                differs["answer"] = (Message("audit.complaint_compared_blank", response=str(response)), either)
            # A case not answered yet can be triaged again through Siklus, which records it; an answered one is
            # closed.
            again = Message("audit.complaint_todo_triage" if replied_at is None else "audit.complaint_todo_closed")
            if (status, employee_id, duplicate_of) != (case.status, case.employee_id, case.duplicate_of):
                differs["triage"] = (_compared(_triage(names, status, employee_id, duplicate_of),
                                               _triage(names, case.status, case.employee_id, case.duplicate_of)),
                                     again)
            if status != NEW and triaged_by != case.triaged_by:
                differs["triaged_by"] = (_compared(_who(names, triaged_by), _who(names, case.triaged_by)), again)
            if (replied_at is not None, replied_by) != (case.replied, case.replied_by):
                differs["reply"] = (_compared(_reply(names, replied_at is not None, replied_by),
                                              _reply(names, case.replied, case.replied_by)), restore)
            if to_second(received) != to_second(answered):
                differs["received"] = (Message("audit.complaint_compared_received", live=moment(received),
                                               answer=moment(answered)), either)
            for name, (compared, todo) in differs.items():
                yield finding("audit.complaint_differs", id=number, field=Message(f"audit.complaint_field.{name}"),
                              compared=compared, todo=todo)
        gone = sorted(number for number, case in self.cases.items()
                      if number not in seen and (self.units is None or case.unit_id in self.units))
        if units is not None and gone:
            # Not among the units' cases: moved to another unit (the chain filed it under theirs), or deleted.
            elsewhere = dict(session.execute(
                select(Complaint.id, Complaint.unit_id).where(Complaint.id.in_(gone))).all())
            for number in gone:
                if number in elsewhere:
                    yield finding("audit.complaint_moved", id=number, unit=_unit(names, self.cases[number].unit_id),
                                  now=_unit(names, elsewhere[number]))
            gone = [number for number in gone if number not in elsewhere]
        # A case gone is named as the complaints page showed it: its number, its unit, when it was received (its
        # survey answer's moment, where the answer is still there) and how HR last triaged it.
        answers = {self.cases[n].response for n in gone if isinstance(self.cases[n].response, int)}
        answered_at: dict[Any, Any] = dict(session.execute(
            select(FeedbackResponse.id, FeedbackResponse.created_at).where(FeedbackResponse.id.in_(answers))).all()) \
            if answers else {}
        for number in gone:
            case = self.cases[number]
            yield finding("audit.complaint_gone", id=number,
                          unit=_unit(names, case.unit_id) if case.unit_id is not None else Message("audit.value_empty"),
                          received=_received(case.response, answered_at.get(case.response)),
                          triage=_triage(names, case.status, case.employee_id, case.duplicate_of))
        # Every public answer with a complaint opened a case (engine.complaint_store): one deleted before HR saw it
        # silenced the complaint.
        caseless = select(func.count(FeedbackResponse.id)).where(
            FeedbackResponse.appraisal_id.is_(None), func.length(func.trim(FeedbackResponse.comment)) > 0,
            ~select(Complaint.id).where(Complaint.response_id == FeedbackResponse.id).exists())
        if units is not None:
            caseless = caseless.where(FeedbackResponse.unit_id.in_(units))
        silenced = session.scalar(caseless)
        if silenced:
            yield finding("audit.complaint_missing", count=silenced)


def _compared(live: Any, chain: Any) -> Message:
    return Message("audit.complaint_compared", live=live, chain=chain)


def _triage(names: Names, status: Any, employee_id: Any, duplicate_of: Any) -> Message:
    """A triage in words: ``terbukti, terhadap Ani Lestari (NIP ...)``, ``duplikat, aduan asalnya pengaduan #3``."""
    parts: list[Any] = [Message(f"audit.complaint_status.{status}") if status in COMPLAINT_STATUSES
                        else Message("audit.complaint_status_other", status=str(status))]
    if employee_id is not None:
        parts.append(Message("audit.complaint_against", employee=names.employee(employee_id)
                             or Message("audit.employee_gone", id=str(employee_id))))
    if duplicate_of is not None:
        parts.append(Message("audit.complaint_original", id=str(duplicate_of)))
    return Message("audit.complaint_triage", parts=parts)


def _who(names: Names, user_id: Any) -> Message | str:
    if user_id is None:
        return Message("access.nobody")
    return names.user(user_id) or Message("audit.login_gone", id=str(user_id))


def _reply(names: Names, replied: bool, user_id: Any) -> Message:
    if not replied:
        return Message("audit.complaint_unreplied")
    return Message("audit.complaint_replied_by", who=_who(names, user_id))


def _answer(response: Any) -> Message | str:
    return Message("audit.complaint_answer", response=str(response)) if response is not None \
        else Message("audit.no_moment")


def _received(response: Any, at: Any) -> Message:
    if at is not None:
        return Message("audit.complaint_received", at=moment(at))
    if response is None:
        return Message("audit.complaint_received_untold")
    return Message("audit.complaint_received_gone", response=str(response))


def _unit(names: Names, unit_id: Any) -> Message | str:
    return names.unit(unit_id) or Message("audit.unit_gone", id=str(unit_id))


__all__ = ["EVENT_KIND", "Complaints"]
