"""Who may see what: the one place the screens and the API ask which appraisals a person may open,
which wait for their action, and which units they oversee as HR.

Firing rights stay with :class:`engine.permissions.RoleResolver`; this module answers the questions
around it that need queries (scopes, queues) so that every interface gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import Session, aliased, contains_eager, joinedload

from engine.appraisals import AvailableTransition, available_transitions, load_appraisal
from engine.definition import CycleDefinition
from engine.errors import Forbidden
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Employee
from engine.permissions import Actor, RoleResolver
from engine.registry import definition_of
from engine.runs import unit_and_descendants


@dataclass(frozen=True)
class HrScope:
    """The units where someone is HR (or admin): every unit, or the listed ids (sub-units included)."""

    every_unit: bool
    unit_ids: tuple[int, ...]

    @property
    def any(self) -> bool:
        return self.every_unit or bool(self.unit_ids)

    def covers(self, unit_id: int) -> bool:
        return self.every_unit or unit_id in self.unit_ids


def hr_scope(session: Session, actor: Actor) -> HrScope:
    """The units the actor oversees as HR or admin; a grant on a unit covers its sub-units."""
    scopes = [unit for role, unit in actor.grants if role in ("hr", "admin")]
    if None in scopes:
        return HrScope(True, ())
    units: set[int] = set()
    for unit in scopes:
        if unit is not None:
            units.update(unit_and_descendants(session, unit))
    return HrScope(False, tuple(sorted(units)))


@dataclass
class OpenedAppraisal:
    """An appraisal someone may look at, with its definition and the cycle roles they hold on it."""

    appraisal: Appraisal
    defn: CycleDefinition
    resolver: RoleResolver
    roles: list[str]
    is_hr: bool


def open_appraisal(session: Session, actor: Actor, appraisal_id: int) -> OpenedAppraisal:
    """The appraisal if the actor holds a cycle role on it or is HR of the employee's unit.

    Raises :class:`~engine.errors.NotFound` for no such appraisal and
    :class:`~engine.errors.Forbidden` for someone with no business seeing it.
    """
    appraisal = load_appraisal(session, appraisal_id)
    defn = definition_of(appraisal.definition)
    resolver = RoleResolver(session)
    roles = resolver.roles_of(actor, defn, appraisal.employee)
    is_hr = resolver.is_hr_of(actor, appraisal.employee.unit_id)
    if not roles and not is_hr:
        raise Forbidden(f"{actor.username} has no role on appraisal {appraisal_id}")
    return OpenedAppraisal(appraisal, defn, resolver, roles, is_hr)


def states_with_exits(session: Session) -> Any:
    """SQL condition: the appraisal's state has at least one outgoing transition in its definition."""
    conditions = []
    for record in session.scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.status != "draft")):
        defn = definition_of(record)
        states = sorted({s for t in defn.transitions for s in t.sources})
        conditions.append(and_(Appraisal.definition_id == record.id, Appraisal.state.in_(states)))
    return or_(*conditions) if conditions else false()


@dataclass
class Waiting:
    """An appraisal of someone else where the actor may act now."""

    appraisal: Appraisal
    defn: CycleDefinition
    actions: list[AvailableTransition]


def waiting_for(session: Session, actor: Actor, resolver: RoleResolver, *, limit: int = 50,
                examined: int = 2000) -> tuple[list[Waiting], bool]:
    """Appraisals of others where the actor may fire a transition now, oldest deadline first.

    Looks at up to ``examined`` candidates (subordinates, their subordinates, HR scope) with one
    query; returns at most ``limit`` and whether there were more.
    """
    boss = aliased(Employee)
    me = actor.employee_id
    who = []
    if me is not None:
        who += [Employee.supervisor_id == me, boss.supervisor_id == me]
    scope = hr_scope(session, actor)
    if scope.every_unit:
        who.append(true())
    elif scope.unit_ids:
        who.append(Employee.unit_id.in_(scope.unit_ids))
    if not who:
        return [], False
    stmt = (
        select(Appraisal)
        .join(Appraisal.employee)
        .outerjoin(boss, Employee.supervisor_id == boss.id)
        .where(or_(*who), states_with_exits(session), Appraisal.closed_at.is_(None))
        .options(contains_eager(Appraisal.employee).contains_eager(Employee.supervisor.of_type(boss)),
                 joinedload(Appraisal.run), joinedload(Appraisal.definition))
        .order_by(Appraisal.due_at.is_(None), Appraisal.due_at, Appraisal.id)
        .limit(examined)
    )
    if me is not None:
        stmt = stmt.where(Appraisal.employee_id != me)
    rows: list[Waiting] = []
    for appraisal in session.scalars(stmt):
        actions = available_transitions(session, appraisal, actor, resolver)
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


def _candidates(session: Session, actor: Actor) -> Any:
    """SQL condition: every appraisal the actor might open (a superset; each row is checked exactly)."""
    boss = aliased(Employee, name="candidate_boss")
    me = actor.employee_id
    who: list[Any] = []
    if me is not None:
        my_boss = select(Employee.supervisor_id).where(Employee.id == me).scalar_subquery()
        who += [Appraisal.employee_id == me, Employee.supervisor_id == me,
                Employee.supervisor_id.in_(select(boss.id).where(boss.supervisor_id == me)),
                Employee.supervisor_id == my_boss, Employee.id == my_boss]
    scope = hr_scope(session, actor)
    if scope.every_unit:
        return true()
    if scope.unit_ids:
        who.append(Employee.unit_id.in_(scope.unit_ids))
    for role, unit in actor.grants:
        if role.startswith("group:"):
            if unit is None:
                return true()
            who.append(Employee.unit_id.in_(unit_and_descendants(session, unit)))
    public = [r.id for r in session.scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.status != "draft"))
              if any(role.resolver == "public" for role in definition_of(r).roles.values())]
    if public:
        who.append(Appraisal.definition_id.in_(public))
    return or_(*who) if who else false()


def list_appraisals(session: Session, actor: Actor, filters: AppraisalFilter = AppraisalFilter(), *,
                    after_id: int | None = None, limit: int = 50, examined: int = 2000) -> AppraisalPage:
    """The appraisals the actor may open (exactly those :func:`open_appraisal` lets through), by id.

    Looks at up to ``examined`` candidates per page; a page may then hold fewer than ``limit`` rows
    and still continue. With ``waiting_for_me``, only appraisals of others where the actor may fire a
    transition now (the rule of :func:`waiting_for`).
    """
    stmt = (
        select(Appraisal).join(Appraisal.employee).join(Appraisal.run)
        .where(_candidates(session, actor))
        .options(contains_eager(Appraisal.employee).joinedload(Employee.supervisor),
                 contains_eager(Appraisal.run), joinedload(Appraisal.definition))
        .order_by(Appraisal.id)
    )
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
    resolver = RoleResolver(session)
    items: list[OpenedAppraisal] = []
    last_seen: int | None = after_id
    batch = max(limit * 2, 100)
    seen = 0
    while seen < examined:
        rows = list(session.scalars(stmt.where(Appraisal.id > (last_seen or 0)).limit(batch)).unique())
        for appraisal in rows:
            seen += 1
            last_seen = appraisal.id
            defn = definition_of(appraisal.definition)
            roles = resolver.roles_of(actor, defn, appraisal.employee)
            is_hr = resolver.is_hr_of(actor, appraisal.employee.unit_id)
            if not roles and not is_hr:
                continue
            if filters.waiting_for_me and not available_transitions(session, appraisal, actor, resolver):
                continue
            items.append(OpenedAppraisal(appraisal, defn, resolver, roles, is_hr))
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
        raise Forbidden("only HR may read the audit log")
    return scope


def require_hr(session: Session, actor: Actor, unit_id: int | None = None) -> HrScope:
    """The actor's HR scope; :class:`~engine.errors.Forbidden` unless they are HR (of ``unit_id`` when given)."""
    scope = hr_scope(session, actor)
    if not scope.any:
        raise Forbidden("only HR may do this")
    if unit_id is not None and not scope.covers(unit_id):
        raise Forbidden(f"{actor.username} is not HR of this unit")
    return scope
