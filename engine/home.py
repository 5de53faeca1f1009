"""The home page and the team page of one person, as the engine reads them.

Home: the person's own appraisals with what they may do on each now, the appraisals of others that
wait for their action, feedback they may give, and for HR a count of the appraisals in their units
by cycle and state. Team: the person's direct reports with their current appraisals. Each page costs
what the person's own appraisals and team cost, not the whole table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from engine.access import Waiting, hr_scope, waiting_for
from engine.appraisals import AvailableTransition, available_transitions
from engine.definition import CycleDefinition, Text
from engine.feedback import FeedbackToGive, feedback_to_give
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Employee, Result, utcnow
from engine.permissions import Actor
from engine.policy import Policy
from engine.registry import definition_of

WAITING_SHOWN = 50           # rows of "waiting for me" on the home page
CANDIDATES_EXAMINED = 2000   # appraisals looked at to fill them
OWN_EDITS = ("skp", "realisation", "development")  # what an employee may be asked to do on their own appraisal
PREDICATE_RULE = "predicate_matrix"  # the rule whose result is an employee's predikat kinerja


@dataclass(frozen=True)
class ShownResult:
    """A result as a list shows it: its cycle label and value."""

    name: str
    label: Text
    value: Any


@dataclass(frozen=True)
class OwnAppraisal:
    """One of the person's own appraisals, the transitions they may fire and the edits they may make now."""

    appraisal: Appraisal
    defn: CycleDefinition
    actions: tuple[AvailableTransition, ...]
    edits: tuple[str, ...]  # of OWN_EDITS
    predicate: ShownResult | None = None  # the latest predicate the person may see (the final one once set)


@dataclass(frozen=True)
class StateCount:
    """How many appraisals are in one state, and how many of them are past their deadline."""

    state: Text
    count: int
    overdue: int


@dataclass(frozen=True)
class CycleCounts:
    """The appraisals of one cycle version in the HR officer's units, by state in the cycle's order."""

    title: Text
    version: int
    states: tuple[StateCount, ...]


@dataclass(frozen=True)
class Home:
    """What the home page shows one person. ``hr_summary`` is None for someone who is not HR."""

    mine: tuple[OwnAppraisal, ...]
    waiting: tuple[Waiting, ...]
    more_waiting: bool
    has_employee: bool
    has_team: bool
    to_give: tuple[FeedbackToGive, ...]
    hr_summary: tuple[CycleCounts, ...] | None


def home(session: Session, actor: Actor) -> Home:
    """The person's home page: own appraisals, what waits for them, feedback to give, HR's summary."""
    policy = Policy(session, actor)
    mine = own_appraisals(session, actor, policy)
    waiting, more = waiting_for(session, actor, policy, limit=WAITING_SHOWN, examined=CANDIDATES_EXAMINED)
    return Home(mine=mine, waiting=tuple(waiting), more_waiting=more,
                has_employee=actor.employee_id is not None, has_team=has_team(session, actor),
                to_give=tuple(feedback_to_give(session, actor)), hr_summary=hr_summary(session, actor))


def own_appraisals(session: Session, actor: Actor, policy: Policy) -> tuple[OwnAppraisal, ...]:
    """The person's own appraisals, newest period first, with what they may do on each now."""
    if actor.employee_id is None:
        return ()
    stmt = (
        select(Appraisal).join(Appraisal.run)
        .where(Appraisal.employee_id == actor.employee_id)
        .options(joinedload(Appraisal.employee).joinedload(Employee.supervisor),
                 joinedload(Appraisal.run), joinedload(Appraisal.definition))
        .order_by(CycleRun.period_start.desc(), Appraisal.id.desc())
    )
    rows = list(session.scalars(stmt))
    predicates = _predicate_values(session, [a.id for a in rows])
    out = []
    for appraisal in rows:
        defn = definition_of(appraisal.definition)
        edits = tuple(kind for kind in OWN_EDITS if policy.can_edit(defn, appraisal, kind))
        visible = partial(policy.can_see, defn, appraisal)
        out.append(OwnAppraisal(appraisal, defn, tuple(available_transitions(session, appraisal, actor, policy)),
                                edits, shown_predicate(defn, predicates.get(appraisal.id, {}), visible)))
    return tuple(out)


def _predicate_values(session: Session, appraisal_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The stored values of every result of the given appraisals that has one (one query)."""
    found: dict[int, dict[str, Any]] = {}
    if appraisal_ids:
        for appraisal_id, name, value in session.execute(
                select(Result.appraisal_id, Result.name, Result.value)
                .where(Result.appraisal_id.in_(appraisal_ids), Result.value.is_not(None))):
            found.setdefault(appraisal_id, {})[name] = value
    return found


def shown_predicate(defn: CycleDefinition, values: dict[str, Any],
                    visible: Callable[[str], bool]) -> ShownResult | None:
    """The predicate to show: the last result of the cycle read off the predicate matrix that has a value
    the person may see (the final predicate after an appeal, else the rater's)."""
    for name in reversed(list(defn.results)):
        spec = defn.results[name]
        if spec.rule == PREDICATE_RULE and values.get(name) is not None and visible(name):
            return ShownResult(name, spec.label, values[name])
    return None


def has_team(session: Session, actor: Actor) -> bool:
    """Whether the person supervises anyone directly."""
    return actor.employee_id is not None and session.execute(
        select(Employee.id).where(Employee.supervisor_id == actor.employee_id).limit(1)).first() is not None


def hr_summary(session: Session, actor: Actor) -> tuple[CycleCounts, ...] | None:
    """Appraisals in the HR officer's units by cycle and state (one grouped query); None for non-HR."""
    scope = hr_scope(session, actor)
    if not scope.any:
        return None
    overdue = func.sum(case((Appraisal.due_at < utcnow(), 1), else_=0))
    stmt = (select(Appraisal.definition_id, Appraisal.state, func.count(), overdue)
            .join(Appraisal.employee).group_by(Appraisal.definition_id, Appraisal.state))
    if not scope.every_unit:
        stmt = stmt.where(Employee.unit_id.in_(scope.unit_ids))
    counts = session.execute(stmt).all()
    records = {r.id: r for r in session.scalars(
        select(CycleDefinitionRecord).where(CycleDefinitionRecord.id.in_({c[0] for c in counts})))}
    out = []
    for record_id, record in sorted(records.items()):
        defn = definition_of(record)
        here = {state: (n, late or 0) for rid, state, n, late in counts if rid == record_id}
        states = tuple(StateCount(spec.label, *here[name]) for name, spec in defn.states.items() if name in here)
        out.append(CycleCounts(defn.title, defn.version, states))
    return tuple(out)


@dataclass
class TeamMember:
    """A direct report with their current appraisals (those not yet closed, else the latest)."""

    employee: Employee
    appraisals: list[tuple[Appraisal, CycleDefinition]] = field(default_factory=list)


def team(session: Session, actor: Actor) -> list[TeamMember]:
    """The person's active direct reports by name, each with their current appraisals (one statement)."""
    me = actor.employee_id
    if me is None:
        return []
    members: dict[int, TeamMember] = {}
    rows = session.execute(
        select(Employee, Appraisal)
        .outerjoin(Appraisal, Appraisal.employee_id == Employee.id)
        .outerjoin(CycleRun, CycleRun.id == Appraisal.run_id)
        .where(Employee.supervisor_id == me, Employee.active.is_(True))
        .options(joinedload(Appraisal.run), joinedload(Appraisal.definition))
        .order_by(Employee.name, Employee.id, CycleRun.period_start.desc(), Appraisal.id.desc()))
    for employee, appraisal in rows:
        member = members.setdefault(employee.id, TeamMember(employee))
        if appraisal is not None:
            member.appraisals.append((appraisal, definition_of(appraisal.definition)))
    for member in members.values():
        current = [(a, d) for a, d in member.appraisals if not (a.state in d.states and d.states[a.state].final)]
        member.appraisals = current or member.appraisals[:1]
    return list(members.values())
