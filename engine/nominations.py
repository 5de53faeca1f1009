"""360 respondents an employee nominates: the employee proposes colleagues, the rater approves or declines.

A cycle role with ``resolver: nominated`` is held by the colleagues nominated for it on the appraisal
and approved (see :class:`engine.resolvers.NominatedResolver`); the respondents of other roles come
from the organisation chart (``peers``, ``subordinates``...). Rules:

* only the appraised employee proposes, and only for a ``nominated`` role of their cycle, while the
  appraisal is open and not final;
* a nominee is an active employee of the same agency (the same top unit of the organisation tree),
  not the employee themself nor their rater; someone outside the agency is refused by name;
* the rater approves or declines each proposal while the appraisal is open and not final; a decided
  nomination stays decided. The rater is the one who rates the appraisal (:meth:`engine.policy.Policy.rates`):
  the direct supervisor or, for a top official with no supervisor, the user HR designated (:mod:`engine.raters`).

Each proposal and decision is one event in the appraisal's audit chain (the nominee by employee id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.appraisals.work import check_open, load_appraisal, unit_of_work
from engine.audit.chain import EventInfo
from engine.audit.writer import append_appraisal_event
from engine.citizen_models import APPROVED, DECLINED, PROPOSED, FeedbackNomination
from engine.definition import CycleDefinition, RoleDef
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.loaded import definition_of
from engine.messages import Message
from engine.models import Appraisal, Employee, User, utcnow
from engine.org import unit_ancestries
from engine.permissions import Actor
from engine.policy import Policy
from engine.rater_models import RaterDesignation

#: The resolver of the roles whose respondents are nominated.
NOMINATED = "nominated"
STATUSES = (PROPOSED, APPROVED, DECLINED)



def nominated_roles(defn: CycleDefinition) -> list[RoleDef]:
    """The cycle's roles whose respondents the employee nominates."""
    return [role for role in defn.roles.values() if role.resolver == NOMINATED]


@dataclass(frozen=True)
class NominationRow:
    """One nomination as the page shows it."""

    nomination: FeedbackNomination
    nominee_name: str
    nominee_nip: str
    # The role's cycle label (a two-language text; the role's key when the cycle no longer has it).
    role_label: Any


@dataclass(frozen=True)
class Nominations:
    """The nominations of an appraisal, and what the actor may do with them."""

    appraisal: Appraisal
    roles: list[RoleDef]
    rows: list[NominationRow]
    may_propose: bool
    may_decide: bool


def _rater_employee_id(session: Session, employee: Employee) -> int | None:
    """The rater's own employee record: the supervisor's, or that of the account HR designated (None when the
    designated account, a regional head's say, has none)."""
    if employee.supervisor_id is not None:
        return employee.supervisor_id
    return session.scalar(select(User.employee_id).join(RaterDesignation, RaterDesignation.rater_user_id == User.id)
                          .where(RaterDesignation.employee_id == employee.id))


def nominations_of(session: Session, actor: Actor, appraisal_id: int) -> Nominations:
    """The appraisal's nominations for the employee, their rater and HR of the unit; Forbidden otherwise."""
    appraisal = load_appraisal(session, appraisal_id)
    policy = Policy(session, actor)
    is_self = actor.employee_id is not None and actor.employee_id == appraisal.employee_id
    is_rater = policy.rates(appraisal.employee)
    if not (is_self or is_rater or policy.is_hr_of(appraisal.employee.unit_id)):
        raise Forbidden("only the employee, their rater and HR see the nominated respondents",
                        msg=Message("nomination.see"))
    defn = definition_of(appraisal.definition)
    labels = {role.id: role.label for role in defn.roles.values()}
    rows = [NominationRow(n, name, nip, labels.get(n.role, n.role)) for n, name, nip in session.execute(
        select(FeedbackNomination, Employee.name, Employee.nip)
        .join(Employee, Employee.id == FeedbackNomination.nominee_id)
        .where(FeedbackNomination.appraisal_id == appraisal_id).order_by(FeedbackNomination.id))]
    roles = nominated_roles(defn)
    open_now = appraisal.closed_at is None and not defn.states[appraisal.state].final
    return Nominations(appraisal, roles, rows, is_self and open_now and bool(roles), is_rater and open_now)


def _agency_of(session: Session, unit_id: int) -> int:
    """The top unit of the organisation tree above a unit (the agency)."""
    return unit_ancestries(session, [unit_id])[unit_id][-1]


def propose_nominee(session: Session, actor: Actor, appraisal_id: int, role: str, nominee: str | int,
                    now: datetime | None = None) -> FeedbackNomination:
    """The appraised employee proposes a colleague (by NIP or employee id) for a nominated role; commits."""
    when = now or utcnow()

    def work() -> FeedbackNomination:
        appraisal = load_appraisal(session, appraisal_id, for_update=True)
        check_open(appraisal.id, appraisal.closed_at)
        defn = definition_of(appraisal.definition)
        if actor.employee_id is None or actor.employee_id != appraisal.employee_id:
            raise Forbidden("only the appraised employee proposes their respondents",
                            msg=Message("nomination.only_employee"))
        if role not in {r.id for r in nominated_roles(defn)} or defn.states[appraisal.state].final:
            raise Conflict(f"this cycle takes no nominated respondents for '{role[:40]}' now",
                           msg=Message("nomination.not_now"))
        person = _nominee(session, appraisal, nominee)
        taken = session.scalar(select(FeedbackNomination.id).where(
            FeedbackNomination.appraisal_id == appraisal.id, FeedbackNomination.role == role,
            FeedbackNomination.nominee_id == person.id))
        if taken is not None:
            raise Conflict(f"{person.name} is already nominated for this role",
                           msg=Message("nomination.twice", name=person.name))
        nomination = FeedbackNomination(appraisal_id=appraisal.id, role=role, nominee_id=person.id, status=PROPOSED,
                                        proposed_by_id=actor.user_id, proposed_at=when)
        session.add(nomination)
        session.flush()
        _record(session, actor, appraisal, nomination, "pegawai", when)
        return nomination

    return unit_of_work(session, work)


def _nominee(session: Session, appraisal: Appraisal, nominee: str | int) -> Employee:
    """The proposed colleague: an active employee of the same agency, not the employee nor their rater."""
    text = str(nominee).strip()
    stmt = select(Employee).where(Employee.nip == text) if len(text) == 18 else (
        select(Employee).where(Employee.id == int(text)) if text.isascii() and text.isdigit() and len(text) < 10
        else None)
    person = session.scalars(stmt).first() if stmt is not None else None
    if person is None or not person.active:
        raise InvalidInput(f"no active employee has the NIP or id '{text[:24]}'", errors={"nominee": "unknown"},
                           msg=Message("nomination.unknown_nip", nip=text[:24]))
    if person.id in (appraisal.employee_id, _rater_employee_id(session, appraisal.employee)):
        raise InvalidInput("the employee and their rater are not nominated respondents",
                           errors={"nominee": "self-or-rater"}, msg=Message("nomination.self_or_rater"))
    if _agency_of(session, person.unit_id) != _agency_of(session, appraisal.employee.unit_id):
        raise InvalidInput(f"{person.name} works outside the agency; only colleagues of the same agency are nominated",
                           errors={"nominee": "outside-agency"}, msg=Message("nomination.outside", name=person.name))
    return person


#: The decisions a rater posts on a proposal, by the words of the form: approve or decline.
DECISIONS = {"setuju": True, "tolak": False}


def decision_of(text: str | None) -> bool:
    """Whether the posted decision approves (``setuju``) or declines (``tolak``); anything else, a missing
    decision included, is refused, so that no proposal is declined by a form that said neither."""
    if text not in DECISIONS:
        raise InvalidInput("choose approve or decline for the proposed respondent", errors={"decision": "missing"},
                           msg=Message("nomination.decision"))
    return DECISIONS[text]


def decide_nomination(session: Session, actor: Actor, nomination_id: int, approve: bool,
                      now: datetime | None = None, *, appraisal_id: int | None = None) -> FeedbackNomination:
    """The rater approves or declines a proposed respondent; commits.

    With ``appraisal_id`` (the appraisal whose page the decision was posted from), a nomination of
    another appraisal is not found, as one that does not exist."""
    when = now or utcnow()

    def work() -> FeedbackNomination:
        nomination = session.get(FeedbackNomination, nomination_id)
        if nomination is None or (appraisal_id is not None and nomination.appraisal_id != appraisal_id):
            raise NotFound(f"there is no nomination #{nomination_id}", msg=Message("nomination.not_found",
                                                                                    id=str(nomination_id)))
        appraisal = load_appraisal(session, nomination.appraisal_id, for_update=True)
        check_open(appraisal.id, appraisal.closed_at)
        if not Policy(session, actor).rates(appraisal.employee):
            raise Forbidden("only the employee's rater decides on nominated respondents",
                            msg=Message("nomination.only_rater"))
        if definition_of(appraisal.definition).states[appraisal.state].final:
            # As for a proposal: the rating settled who answered the 360; no respondent joins a finished appraisal.
            raise Conflict("the appraisal is done; its proposed respondents are no longer decided on",
                           msg=Message("nomination.appraisal_done"))
        if nomination.status != PROPOSED:
            raise Conflict("this nomination was already decided", msg=Message("nomination.decided"))
        nomination.status = APPROVED if approve else DECLINED
        nomination.decided_by_id = actor.user_id
        nomination.decided_at = when
        _record(session, actor, appraisal, nomination, "penilai", when)
        return nomination

    return unit_of_work(session, work)


def _record(session: Session, actor: Actor, appraisal: Appraisal, nomination: FeedbackNomination, as_role: str,
            when: datetime) -> None:
    appraisal.updated_at = when
    append_appraisal_event(session, appraisal, EventInfo(
        kind="nomination", actor_user_id=actor.user_id, actor_name=actor.username, role=as_role,
        from_state=appraisal.state, to_state=appraisal.state,
        payload={"nomination": nomination.id, "role": nomination.role, "nominee_id": nomination.nominee_id,
                 "status": nomination.status},
        employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id), occurred_at=when)
