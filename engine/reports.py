"""Reports for HR: predicate distribution per unit, trends over periods, indicators most often missed,
overdue work, and the data of one employee's evaluation document.

Every report reads the appraisals of employees in an :class:`~engine.access.HrScope` with one or two
set-based queries (no query per appraisal); grouping of JSON values happens in Python because JSON
columns cannot be grouped on every backend.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from engine.access import HrScope, OpenedAppraisal
from engine.cascade import PlanCascade
from engine.checkpoints.timeline import SeriesView
from engine.definition import Text
from engine.detail import DevelopmentSection, Guidance, ResultRow, SkpRow, detail_of
from engine.models import (
    Appraisal,
    CycleDefinitionRecord,
    CycleRun,
    Employee,
    Indicator,
    OrgUnit,
    Result,
    utcnow,
)
from engine.registry import definition_of
from engine.runs import unit_and_descendants
from rules import EMPLOYEE_PREDICATE, labels_of

#: Where an appraisal's predicate is read, first found wins: the final one after an appeal, then the first.
PREDICATE_RESULTS = ("predikat_akhir", "predikat")
#: Results holding an IKI's achievement (percent of target) are named ``iki.<indicator id>``.
ACHIEVEMENT_PREFIX = "iki."
#: Achievement below this (percent) counts as a missed target.
TARGET_MET = 100.0


@dataclass(frozen=True)
class Filter:
    """Which appraisals a report reads: the HR scope, optionally one unit (with sub-units) and one period."""

    scope: HrScope
    unit_ids: tuple[int, ...] | None = None  # None: every unit of the scope
    period: str | None = None

    def apply(self, stmt: Select[Any]) -> Select[Any]:
        """Restrict a statement that already joins Appraisal, CycleRun and Employee."""
        if not self.scope.every_unit:
            stmt = stmt.where(Employee.unit_id.in_(self.scope.unit_ids))
        if self.unit_ids is not None:
            stmt = stmt.where(Employee.unit_id.in_(self.unit_ids))
        if self.period is not None:
            stmt = stmt.where(CycleRun.period == self.period)
        return stmt


def report_filter(session: Session, scope: HrScope, unit_id: int | None = None, period: str | None = None) -> Filter:
    """A filter for one unit (and its sub-units) or the whole scope."""
    units = tuple(unit_and_descendants(session, unit_id)) if unit_id is not None else None
    return Filter(scope, units, period or None)


def _appraisals() -> Select[Any]:
    # A closed appraisal (the employee left or moved) is history, not part of a unit's results.
    return (select().select_from(Appraisal)
            .join(CycleRun, CycleRun.id == Appraisal.run_id)
            .join(Employee, Employee.id == Appraisal.employee_id)
            .where(Appraisal.closed_at.is_(None)))


def periods(session: Session, flt: Filter) -> list[str]:
    """The periods that have appraisals in the filter's units, oldest first."""
    stmt = flt.apply(_appraisals().add_columns(CycleRun.period).distinct())
    return sorted(p for (p,) in session.execute(stmt))


def units_in(session: Session, flt: Filter) -> list[OrgUnit]:
    """The units a filter covers, by name (for choosing a unit)."""
    stmt = select(OrgUnit).order_by(OrgUnit.name)
    if not flt.scope.every_unit:
        stmt = stmt.where(OrgUnit.id.in_(flt.scope.unit_ids))
    if flt.unit_ids is not None:
        stmt = stmt.where(OrgUnit.id.in_(flt.unit_ids))
    return list(session.scalars(stmt))


def own_appraisals(session: Session, employee_id: int) -> list[Appraisal]:
    """An employee's own appraisals, newest period first, with their run and definition (for their documents)."""
    return list(session.scalars(select(Appraisal).where(Appraisal.employee_id == employee_id)
                                .options(joinedload(Appraisal.run), joinedload(Appraisal.definition))
                                .join(CycleRun, CycleRun.id == Appraisal.run_id)
                                .order_by(CycleRun.period_start.desc(), Appraisal.id.desc())))


def public_service_units(session: Session, scope: HrScope) -> list[OrgUnit]:
    """The units the public can rate (they have a survey address) among those ``scope`` covers, by name."""
    stmt = select(OrgUnit).where(OrgUnit.public_slug.is_not(None)).order_by(OrgUnit.name)
    if not scope.every_unit:
        stmt = stmt.where(OrgUnit.id.in_(scope.unit_ids))
    return list(session.scalars(stmt))


# -- predicates ------------------------------------------------------------------------------------

@dataclass
class PredicateCounts:
    """How many appraisals of a group (a unit, or a period) have each predicate; ``pending`` have none yet."""

    key: str
    label: str
    counts: Counter[str] = field(default_factory=Counter)
    pending: int = 0

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return self.rated + self.pending

    def share(self, predicate: str) -> float:
        """Percent of the rated appraisals with ``predicate`` (0 when none is rated)."""
        return 100.0 * self.counts[predicate] / self.rated if self.rated else 0.0


def predicate_order(groups: Iterable[PredicateCounts]) -> list[str]:
    """The regulation's predicates best first (as the predicate rules declare them), then any other label
    a cycle uses."""
    seen = {p for g in groups for p in g.counts}
    known = labels_of(EMPLOYEE_PREDICATE)
    return list(known) + sorted(seen - set(known))


def _predicates(session: Session, flt: Filter) -> list[tuple[int, int, str, str, Any]]:
    """(appraisal id, unit id, unit name, period, predicate or None) for every appraisal in the filter."""
    stmt = flt.apply(_appraisals().add_columns(Appraisal.id, Employee.unit_id, OrgUnit.name, CycleRun.period,
                                               Result.name, Result.value)
                     .join(OrgUnit, OrgUnit.id == Employee.unit_id)
                     .outerjoin(Result, (Result.appraisal_id == Appraisal.id) & Result.name.in_(PREDICATE_RESULTS)))
    found: dict[int, list[Any]] = {}
    for appraisal_id, unit_id, unit_name, period, name, value in session.execute(stmt):
        row = found.setdefault(appraisal_id, [unit_id, unit_name, period, {}])
        if name is not None and isinstance(value, str) and value:
            row[3][name] = value
    out = []
    for appraisal_id, (unit_id, unit_name, period, values) in found.items():
        predicate = next((values[n] for n in PREDICATE_RESULTS if n in values), None)
        out.append((appraisal_id, unit_id, unit_name, period, predicate))
    return out


def predicate_distribution(session: Session, flt: Filter) -> list[PredicateCounts]:
    """Predicate counts per unit (the employee's own unit), units by name."""
    groups: dict[int, PredicateCounts] = {}
    for _, unit_id, unit_name, _, predicate in _predicates(session, flt):
        group = groups.setdefault(unit_id, PredicateCounts(str(unit_id), unit_name))
        if predicate is None:
            group.pending += 1
        else:
            group.counts[predicate] += 1
    return sorted(groups.values(), key=lambda g: (g.label, g.key))


def predicate_trend(session: Session, flt: Filter) -> list[PredicateCounts]:
    """Predicate counts per period over every period of the filter's units, oldest first."""
    everywhere = Filter(flt.scope, flt.unit_ids, None)
    groups: dict[str, PredicateCounts] = {}
    for _, _, _, period, predicate in _predicates(session, everywhere):
        group = groups.setdefault(period, PredicateCounts(period, period))
        if predicate is None:
            group.pending += 1
        else:
            group.counts[predicate] += 1
    return [groups[p] for p in sorted(groups)]


# -- indicators ------------------------------------------------------------------------------------

@dataclass
class MissedIndicator:
    """An indicator (by id and label) with how many appraisals missed its target out of those assessed."""

    key: str
    label: str
    missed: int = 0
    assessed: int = 0

    @property
    def share(self) -> float:
        return 100.0 * self.missed / self.assessed if self.assessed else 0.0


def missed_indicators(session: Session, flt: Filter, limit: int = 20) -> list[MissedIndicator]:
    """Indicators whose achievement fell below 100% most often; two queries (achievements, own labels)."""
    achieved = flt.apply(_appraisals().add_columns(Appraisal.id, Appraisal.definition_id, Result.name, Result.value)
                         .join(Result, Result.appraisal_id == Appraisal.id)
                         .where(Result.name.like(f"{ACHIEVEMENT_PREFIX}%")))
    rows = [(a, d, name[len(ACHIEVEMENT_PREFIX):], v) for a, d, name, v in session.execute(achieved)
            if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not rows:
        return []
    own = flt.apply(_appraisals().add_columns(Indicator.appraisal_id, Indicator.key, Indicator.label)
                    .join(Indicator, Indicator.appraisal_id == Appraisal.id))
    own_labels = {(a, k): label for a, k, label in session.execute(own)}
    fixed: dict[int, dict[str, str]] = {}
    for record in session.scalars(select(CycleDefinitionRecord).where(
            CycleDefinitionRecord.id.in_({d for _, d, _, _ in rows}))):
        fixed[record.id] = {i.id: i.label.id for i in definition_of(record).indicators}
    groups: dict[tuple[str, str], MissedIndicator] = {}
    for appraisal_id, definition_id, key, value in rows:
        label = own_labels.get((appraisal_id, key)) or fixed.get(definition_id, {}).get(key) or key
        group = groups.setdefault((key, label), MissedIndicator(key, label))
        group.assessed += 1
        if value < TARGET_MET:
            group.missed += 1
    ranked = sorted((g for g in groups.values() if g.missed), key=lambda g: (-g.missed, -g.share, g.label, g.key))
    return ranked[:limit]


# -- overdue work ----------------------------------------------------------------------------------

@dataclass
class OverdueGroup:
    """Appraisals past their deadline in one unit and one state."""

    unit_id: int
    unit_name: str
    state: str
    state_label: Text
    count: int
    oldest_due: datetime | None


def overdue_work(session: Session, flt: Filter, now: datetime | None = None) -> list[OverdueGroup]:
    """Appraisals whose deadline (``due_at``) has passed, grouped by unit and state; one grouped query."""
    now = now or utcnow()
    stmt = flt.apply(_appraisals().add_columns(Employee.unit_id, OrgUnit.name, Appraisal.definition_id, Appraisal.state,
                                               func.count(Appraisal.id), func.min(Appraisal.due_at))
                     .join(OrgUnit, OrgUnit.id == Employee.unit_id)
                     .where(Appraisal.due_at.is_not(None), Appraisal.due_at < now)
                     .group_by(Employee.unit_id, OrgUnit.name, Appraisal.definition_id, Appraisal.state))
    rows = session.execute(stmt).all()
    records = {r.id: definition_of(r) for r in session.scalars(select(CycleDefinitionRecord).where(
        CycleDefinitionRecord.id.in_({row[2] for row in rows})))} if rows else {}
    merged: dict[tuple[int, str], OverdueGroup] = {}
    for unit_id, unit_name, definition_id, state, count, oldest in rows:
        defn = records.get(definition_id)
        label = defn.states[state].label if defn is not None and state in defn.states else Text(state)
        group = merged.get((unit_id, state))
        if group is None:
            merged[(unit_id, state)] = OverdueGroup(unit_id, unit_name, state, label, count, oldest)
        else:
            group.count += count
            if oldest:
                group.oldest_due = min(d for d in (group.oldest_due, oldest) if d is not None)
    return sorted(merged.values(), key=lambda g: (g.unit_name, -g.count, g.state))


# -- evaluation document -----------------------------------------------------------------------------

@dataclass(frozen=True)
class EvaluationDocument:
    """What the printable evaluation document of one appraisal shows: the people, the period, and the
    SKP and results of the appraisal's read model (:func:`engine.detail.appraisal_detail`)."""

    appraisal: Appraisal
    cycle_title: Text
    agency: str
    unit: str
    employee: Employee
    rater: Employee | None
    reviewer: Employee | None
    period: str
    period_start: datetime
    period_end: datetime
    state_label: Text
    indicators: tuple[SkpRow, ...]
    results: tuple[ResultRow, ...]
    predicate: ResultRow | None
    # The periodic checkpoints with everything recorded for each (engine.checkpoints.timeline).
    checkpoints: tuple[SeriesView, ...] = ()
    # Which leader's RHK each IKI supports, the roll-up from below, the leader's expectations (engine.cascade).
    cascade: PlanCascade | None = None
    # The JP done against the target and each activity, as recorded now; what happens next (engine.detail).
    development: DevelopmentSection | None = None
    next_steps: Guidance | None = None


def evaluation_document(session: Session, opened: OpenedAppraisal) -> EvaluationDocument:
    """The evaluation document of an appraisal someone may open (see :func:`engine.access.open_appraisal`),
    showing what they may see of it."""
    detail = detail_of(session, opened.policy.actor, opened)
    appraisal = detail.appraisal
    employee = appraisal.employee
    rater = employee.supervisor
    reviewer = rater.supervisor if rater is not None else None
    chain = opened.policy.unit_ancestry(employee.unit_id)
    names = dict(session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(chain))).all())
    predicate = next((r for n in PREDICATE_RESULTS for r in detail.results if r.name == n and r.value is not None),
                     None)
    run = appraisal.run
    return EvaluationDocument(
        appraisal=appraisal, cycle_title=detail.defn.title, agency=names.get(chain[-1], "") if chain else "",
        unit=names.get(employee.unit_id, ""), employee=employee, rater=rater, reviewer=reviewer,
        period=run.period, period_start=run.period_start, period_end=run.period_end,
        state_label=detail.state_label(appraisal.state) or Text(appraisal.state),
        indicators=detail.skp, results=detail.results, predicate=predicate, checkpoints=detail.checkpoints,
        cascade=detail.cascade, development=detail.development, next_steps=detail.next_steps,
    )
