"""Who may see what, as queries: the appraisals a person may open or list, those that wait for their
action, and the units they oversee as HR. Every answer comes from :class:`engine.policy.Policy`, so
that every interface gives the same one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from engine.appraisals import AvailableTransition, available_transitions, load_appraisal
from engine.appraisals.own_rating import LastRaters
from engine.definition import CycleDefinition
from engine.errors import Forbidden
from engine.messages import Message
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Employee
from engine.permissions import Actor
from engine.policy import HrScope, IdSet, Policy, firing_roles
from engine.registry import definition_of
from engine.tally_models import OrgUnitAncestor


def hr_scope(session: Session, actor: Actor) -> HrScope:
    """The units the actor oversees as HR or admin; a grant on a unit covers its sub-units."""
    return Policy(session, actor).hr_scope()


@dataclass
class OpenedAppraisal:
    """An appraisal someone may look at, with its definition and the cycle roles they hold on it."""

    appraisal: Appraisal
    defn: CycleDefinition
    policy: Policy
    roles: list[str]
    is_hr: bool


def open_appraisal(session: Session, actor: Actor, appraisal_id: int) -> OpenedAppraisal:
    """The appraisal if the actor holds a cycle role on it or is HR of the employee's unit.

    Raises :class:`~engine.errors.NotFound` for no such appraisal and
    :class:`~engine.errors.Forbidden` for someone with no business seeing it.
    """
    appraisal = load_appraisal(session, appraisal_id)
    defn = definition_of(appraisal.definition)
    policy = Policy(session, actor)
    if not policy.can_open(defn, appraisal.employee):
        raise Forbidden(f"{actor.username} has no role on appraisal {appraisal_id}", msg=Message("appraisal.no_role"))
    return OpenedAppraisal(appraisal, defn, policy, policy.roles(defn, appraisal.employee),
                           policy.is_hr_of(appraisal.employee.unit_id))


def open_for_feedback(session: Session, actor: Actor, appraisal_id: int, window_id: str) -> OpenedAppraisal:
    """The appraisal as a feedback window's form needs it: for someone who may open it (see
    :func:`open_appraisal`), or who answers the window as a respondent (a peer, a subordinate, a nominee),
    who reads of it only whom the form is about. Whether the window is open now is for the form to say.

    Raises :class:`~engine.errors.NotFound` for no such appraisal and :class:`~engine.errors.Forbidden`
    for someone who neither may open it nor holds one of the window's roles.
    """
    appraisal = load_appraisal(session, appraisal_id)
    defn = definition_of(appraisal.definition)
    policy = Policy(session, actor)
    window = defn.feedback_window(window_id)
    answers = window is not None and bool(policy.roles(defn, appraisal.employee, window.roles))
    if not answers and not policy.can_open(defn, appraisal.employee):
        raise Forbidden(f"{actor.username} has no role on appraisal {appraisal_id}", msg=Message("appraisal.no_role"))
    return OpenedAppraisal(appraisal, defn, policy, policy.roles(defn, appraisal.employee),
                           policy.is_hr_of(appraisal.employee.unit_id))


def _among(stmt: Select[Any], ids: IdSet | None) -> Select[Any]:
    """The statement narrowed to the appraisals whose ids ``ids`` yields (None: every appraisal)."""
    return stmt if ids is None else stmt.where(Appraisal.id.in_(ids))


def states_with_exits(session: Session) -> Any:
    """SQL condition: the appraisal's state has at least one outgoing transition in its definition.

    A filter, never a way in: the queues are driven from the person's candidates
    (:meth:`Policy.listable_ids`), so the definition is compared as an expression that no planner
    answers from the (definition, state) index, which would walk every open appraisal of the country.
    """
    conditions = []
    for record in session.scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.status != "draft")):
        defn = definition_of(record)
        states = sorted({s for t in defn.transitions for s in t.sources})
        conditions.append(and_((Appraisal.definition_id + 0) == record.id, Appraisal.state.in_(states)))
    return or_(*conditions) if conditions else false()


@dataclass
class Waiting:
    """An appraisal of someone else where the actor may act now."""

    appraisal: Appraisal
    defn: CycleDefinition
    actions: list[AvailableTransition]


def waiting_for(session: Session, actor: Actor, policy: Policy | None = None, *, limit: int = 50,
                examined: int = 2000) -> tuple[list[Waiting], bool]:
    """Appraisals of others where the actor may fire a transition now, oldest deadline first.

    Looks at up to ``examined`` candidates (appraisals where the actor holds a role that fires some
    transition: :meth:`Policy.listable_ids`, a union of index paths from the actor) with one query;
    returns at most ``limit`` and whether there were more.
    """
    policy = policy or Policy(session, actor)
    stmt = (
        select(Appraisal)
        .join(Appraisal.employee)
        .where(states_with_exits(session), Appraisal.closed_at.is_(None))
        .options(contains_eager(Appraisal.employee).joinedload(Employee.supervisor),
                 joinedload(Appraisal.run), joinedload(Appraisal.definition))
        .order_by(Appraisal.due_at.is_(None), Appraisal.due_at, Appraisal.id)
        .limit(examined)
    )
    stmt = _among(stmt, policy.listable_ids(firing_roles, as_hr=False))
    if actor.employee_id is not None:
        stmt = stmt.where(Appraisal.employee_id != actor.employee_id)
    rows: list[Waiting] = []
    candidates = list(session.scalars(stmt))
    raters = LastRaters(session, [(a.id, definition_of(a.definition)) for a in candidates])
    for appraisal in candidates:
        actions = available_transitions(session, appraisal, actor, policy, raters)
        if actions:
            if len(rows) == limit:
                return rows, True
            rows.append(Waiting(appraisal, definition_of(appraisal.definition), actions))
    return rows, False


# -- listings for the API ------------------------------------------------------------------------

@dataclass(frozen=True)
class AppraisalFilter:
    """Narrowing of an appraisal listing; every field is optional."""

    state: str | None = None
    cycle_id: str | None = None
    period: str | None = None
    unit_ids: tuple[int, ...] | None = None   # the unit and its sub-units, resolved by the caller
    nip: str | None = None
    waiting_for_me: bool = False


@dataclass
class AppraisalPage:
    """One page of a listing; ``after_id`` continues it (None: nothing more)."""

    items: list[OpenedAppraisal]
    after_id: int | None


def list_appraisals(session: Session, actor: Actor, filters: AppraisalFilter = AppraisalFilter(), *,
                    after_id: int | None = None, limit: int = 50, examined: int = 2000) -> AppraisalPage:
    """The appraisals the actor may open (exactly those :func:`open_appraisal` lets through), by id.

    Looks at up to ``examined`` candidates per page; a page may then hold fewer than ``limit`` rows
    and still continue. With ``waiting_for_me``, only appraisals of others where the actor may fire a
    transition now (the rule of :func:`waiting_for`).
    """
    policy = Policy(session, actor)
    stmt = (
        select(Appraisal).join(Appraisal.employee).join(Appraisal.run)
        .options(contains_eager(Appraisal.employee).options(joinedload(Employee.supervisor),
                                                            joinedload(Employee.unit)),
                 contains_eager(Appraisal.run), joinedload(Appraisal.definition))
    )
    candidates = policy.listable_ids()
    # With candidates, by id as an expression: the database reads the person's appraisals and sorts them,
    # rather than walking every appraisal in id order in the hope that theirs come early.
    stmt = _among(stmt, candidates).order_by(Appraisal.id if candidates is None else Appraisal.id + 0)
    if after_id is not None:
        stmt = stmt.where(Appraisal.id > after_id)
    if filters.state:
        stmt = stmt.where(Appraisal.state == filters.state)
    if filters.cycle_id:
        stmt = stmt.where(CycleRun.cycle_id == filters.cycle_id)
    if filters.period:
        stmt = stmt.where(CycleRun.period == filters.period)
    if filters.unit_ids is not None:
        stmt = stmt.where(Employee.unit_id.in_(filters.unit_ids))
    if filters.nip:
        stmt = stmt.where(Employee.nip == filters.nip)
    if filters.waiting_for_me:
        stmt = stmt.where(states_with_exits(session), Appraisal.closed_at.is_(None))
        if actor.employee_id is not None:
            stmt = stmt.where(Appraisal.employee_id != actor.employee_id)
    items: list[OpenedAppraisal] = []
    last_seen: int | None = after_id
    batch = max(limit * 2, 100)
    seen = 0
    while seen < examined:
        rows = list(session.scalars(stmt.where(Appraisal.id > (last_seen or 0)).limit(batch)).unique())
        raters = (LastRaters(session, [(a.id, definition_of(a.definition)) for a in rows])
                  if filters.waiting_for_me else None)
        for appraisal in rows:
            seen += 1
            last_seen = appraisal.id
            defn = definition_of(appraisal.definition)
            if not policy.can_open(defn, appraisal.employee):
                continue
            if filters.waiting_for_me and not available_transitions(session, appraisal, actor, policy, raters):
                continue
            items.append(OpenedAppraisal(appraisal, defn, policy, policy.roles(defn, appraisal.employee),
                                         policy.is_hr_of(appraisal.employee.unit_id)))
            if len(items) == limit:
                more = session.scalars(stmt.where(Appraisal.id > appraisal.id).limit(1)).first() is not None
                return AppraisalPage(items, appraisal.id if more else None)
        if len(rows) < batch:
            return AppraisalPage(items, None)
    return AppraisalPage(items, last_seen)


def audit_units(session: Session, actor: Actor) -> HrScope:
    """Whose audit events the actor may read: HR or admin, for the units they oversee.

    Raises :class:`~engine.errors.Forbidden` for anyone else. Events without a unit (definitions,
    the system chain) are for HR of every unit only.
    """
    scope = hr_scope(session, actor)
    if not scope.any:
        raise Forbidden("only HR may read the audit log", msg=Message("access.audit_hr_only"))
    return scope


def require_hr(session: Session, actor: Actor, unit_id: int | None = None) -> HrScope:
    """The actor's HR scope; :class:`~engine.errors.Forbidden` unless they are HR (of ``unit_id`` when given)."""
    scope = hr_scope(session, actor)
    if not scope.any:
        raise Forbidden("only HR may do this", msg=Message("access.hr_only"))
    if unit_id is not None and not scope.covers(unit_id):
        raise Forbidden(f"{actor.username} is not HR of this unit", msg=Message("access.not_hr_of_unit"))

    return scope


def require_hr_of_run(session: Session, actor: Actor, run: CycleRun) -> HrScope:
    """The actor's HR scope when it covers some of the run's people (the run's unit or a unit below it), for a
    report of the run that lists only those (development, talent); :class:`~engine.errors.Forbidden` otherwise,
    as the run's own page refuses, so HR of another agency reads not even the run's period and cycle."""
    scope = require_hr(session, actor)
    if scope.covers(run.unit_id) or session.scalar(
            select(OrgUnitAncestor.unit_id).where(OrgUnitAncestor.ancestor_id == run.unit_id,
                                                  OrgUnitAncestor.unit_id.in_(scope.unit_ids)).limit(1)) is not None:
        return scope
    raise Forbidden(f"not HR of unit {run.unit.code} or a unit below it",
                    msg=Message("progress.not_hr", unit=run.unit.code))
