"""Reports for HR: predicate distribution per unit, trends over periods, indicators most often missed,
overdue work, and the data of one employee's evaluation document.

Predicates are summed from the appraisal tally (:mod:`engine.tallies`: open appraisals per unit with the units
below it, run and predicate, the final predicate after an appeal winning, :data:`PREDICATE_RESULTS`), one level
of the organisation at a time (country, agency, unit: each row a sub-unit with everything below it, and the
unit's own staff), so a report reads a few rows per unit of its level whatever the number of appraisals. The
missed indicators and overdue work are summed from their own tallies the same way (overdue work reads only
today's deadlines from the appraisals). What Python receives is a few
rows per unit and predicate, never a row per appraisal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from engine.access import HrScope, OpenedAppraisal
from engine.audit.shown import ShownHead, shown_head
from engine.cascade import PlanCascade
from engine.checkpoints.timeline import SeriesView
from engine.definition import Text
from engine.detail import DevelopmentSection, Guidance, ResultRow, SkpRow, detail_of
from engine.models import (
    Appraisal,
    CycleDefinitionRecord,
    CycleRun,
    Employee,
    OrgUnit,
    utcnow,
)
from engine.org_levels import level_rollup, scope_tops
from engine.registry import definition_of
from engine.result_values import decoded
from engine.tallies import hour_of, hour_start, predicate_text
from engine.tally_models import AppraisalTally, IndicatorTally, OrgUnitAncestor, OverdueTally
from engine.tally_sql import ACHIEVEMENT_PREFIX, PREDICATE_RESULTS, TARGET_MET  # noqa: F401  (re-exported)
from rules import EMPLOYEE_PREDICATE, labels_of


@dataclass(frozen=True)
class Filter:
    """Which appraisals a report reads and how it splits them into rows.

    ``unit_id`` is the unit the report stands on: its rows are each sub-unit (with every unit below it) and
    the unit's own staff. Without it the report stands on the top of the scope: one row per unit of
    ``tops`` (the organisation's roots for HR of every unit), each with everything below it.
    """

    scope: HrScope
    unit_id: int | None = None
    period: str | None = None
    tops: tuple[int, ...] = ()

    def rollup(self, name: str = "level_rollup") -> Any:
        """SQL: the units the filter reads, each with the row (a unit id) it is counted in."""
        return level_rollup(self.unit_id, self.tops, name)

    def tally_rows(self, tally: type[AppraisalTally] | type[OverdueTally] = AppraisalTally) -> ColumnElement[bool]:
        """SQL: a tally's rows of the filter's level (the appraisal tally's, or ``tally``), each counted in the row
        of its ``unit_id``: every sub-unit's (what it holds with everything below it) and the unit's own staff's;
        at the top, every row of ``tops``."""
        if self.unit_id is None:
            return tally.unit_id.in_(sorted(set(self.tops)))
        # One IN over the unit and its children (an index read per unit), not an OR the planner scans for.
        return and_(tally.unit_id.in_(self._level_units()), or_(tally.own == 1, tally.unit_id != self.unit_id))

    def _level_units(self) -> Select[Any]:
        """SQL: the unit standing on and its children."""
        return select(OrgUnit.id).where(or_(OrgUnit.parent_id == self.unit_id, OrgUnit.id == self.unit_id))

    def closure_rows(self) -> ColumnElement[bool]:
        """SQL: the unit closure's rows (``org_unit_ancestor``, joined on an appraisal's unit) that put each
        appraisal of the filter in the row of its level it is counted in, the row being ``ancestor_id``."""
        if self.unit_id is None:
            return OrgUnitAncestor.ancestor_id.in_(sorted(set(self.tops)))
        return and_(OrgUnitAncestor.ancestor_id.in_(self._level_units()),
                    or_(OrgUnitAncestor.depth == 0, OrgUnitAncestor.ancestor_id != self.unit_id))

    def scope_units(self) -> Select[Any]:
        """SQL: every unit the filter reads (the unit and those below it, or every unit below ``tops``), through
        the unit closure's index, for ``IN``."""
        below = aliased(OrgUnitAncestor)
        if self.unit_id is None:
            return select(below.unit_id).where(below.ancestor_id.in_(sorted(set(self.tops))))
        return select(below.unit_id).where(below.ancestor_id == self.unit_id)

    def scope_rows(self, tally: type[AppraisalTally] | type[IndicatorTally]) -> ColumnElement[bool]:
        """SQL: the rows of a tally holding everything the filter reads, once: the unit's (with the units below
        it), or at the top each of ``tops``."""
        if self.unit_id is None:
            return tally.unit_id.in_(sorted(set(self.tops)))
        return tally.unit_id == self.unit_id

    def apply(self, stmt: Select[Any]) -> Select[Any]:
        """Restrict a statement that already joins Appraisal, CycleRun and Employee to the filter's units
        (a recursive subquery, never a list of every unit) and period."""
        if self.unit_id is not None or not self.scope.every_unit:
            rollup = self.rollup("filter_units")
            stmt = stmt.where(Employee.unit_id.in_(select(rollup.c.unit)))
        if self.period is not None:
            stmt = stmt.where(CycleRun.period == self.period)
        return stmt


def report_filter(session: Session, scope: HrScope, unit_id: int | None = None, period: str | None = None) -> Filter:
    """A filter standing on one unit, or on the top of the scope: on its one top unit when it has a single
    one (an agency's HR starts on their agency), else on all of them (the country, for HR of every unit)."""
    tops = tuple(scope_tops(session, scope))
    if unit_id is None and len(tops) == 1:
        unit_id = tops[0]
    return Filter(scope, unit_id, period or None, tops)


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
    """How many appraisals of a group (a unit, or a period) have each predicate; ``pending`` have none yet.

    A unit's group says which unit (``unit_id``) and whether it is the unit's own staff (``own``) or a
    sub-unit with everything below it, which a report can open a level further down.
    """

    key: str
    label: str
    counts: Counter[str] = field(default_factory=Counter)
    pending: int = 0
    unit_id: int | None = None
    own: bool = False

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return self.rated + self.pending

    def share(self, predicate: str) -> float:
        """Percent of the rated appraisals with ``predicate`` (0 when none is rated)."""
        return 100.0 * self.counts[predicate] / self.rated if self.rated else 0.0

    def add(self, predicate_text: str | None, count: int) -> None:
        """Count ``count`` appraisals whose predicate has this JSON text (None: no predicate yet)."""
        predicate = decoded(predicate_text)
        if isinstance(predicate, str) and predicate:
            self.counts[predicate] += count
        else:
            self.pending += count


def predicate_order(groups: Iterable[PredicateCounts]) -> list[str]:
    """The regulation's predicates best first (as the predicate rules declare them), then any other label
    a cycle uses."""
    seen = {p for g in groups for p in g.counts}
    known = labels_of(EMPLOYEE_PREDICATE)
    return list(known) + sorted(seen - set(known))


@dataclass(frozen=True)
class PredicateSpread:
    """Predicate counts of a filter's level over every period, from one grouped query: per row of the level
    (each sub-unit with the units below it, and the unit's own staff), period and predicate (its JSON text;
    None: not rated yet). The periods, the distribution of one period and the trend all come from it, so a
    report page reads the appraisals once."""

    names: dict[int, tuple[str, bool]]  # row (a unit id) -> (its name, whether it is the unit's own staff)
    counts: tuple[tuple[int, str, str | None, int], ...]  # (row, period, predicate text, appraisals)

    @property
    def periods(self) -> list[str]:
        """The periods that have appraisals in the filter's units, oldest first."""
        return sorted({period for _, period, _, _ in self.counts})

    def distribution(self, period: str | None) -> list[PredicateCounts]:
        """Predicate counts per row for ``period`` (every period when None), rows by name."""
        groups: dict[int, PredicateCounts] = {}
        for row, at, text, count in self.counts:
            if period is None or at == period:
                name, own = self.names[row]
                groups.setdefault(row, PredicateCounts(str(row), name, unit_id=row, own=own)).add(text, count)
        return sorted(groups.values(), key=lambda g: (g.label, g.key))

    def trend(self) -> list[PredicateCounts]:
        """Predicate counts per period over every period, oldest first."""
        groups: dict[str, PredicateCounts] = {}
        for _, period, text, count in self.counts:
            groups.setdefault(period, PredicateCounts(period, period)).add(text, count)
        return [groups[p] for p in sorted(groups)]


def predicate_spread(session: Session, flt: Filter) -> PredicateSpread:
    """The :class:`PredicateSpread` of the filter's level (its period is not applied: the trend needs every one),
    summed from the appraisal tally (:mod:`engine.tallies`): a few rows per unit of the level, whatever the
    number of appraisals."""
    total = func.sum(AppraisalTally.appraisals)
    stmt = (select(AppraisalTally.unit_id, CycleRun.period, AppraisalTally.predicate, total)
            .join(CycleRun, CycleRun.id == AppraisalTally.run_id).where(flt.tally_rows())
            .group_by(AppraisalTally.unit_id, CycleRun.period, AppraisalTally.predicate)
            .having(total > 0))
    counts = tuple((row, period, predicate_text(text), int(count))
                   for row, period, text, count in session.execute(stmt))
    rows = sorted({row for row, _, _, _ in counts})
    names = {u: n for u, n in session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(rows)))}
    # The unit standing on is the row of its own staff; every other row is a sub-unit with what lies below.
    return PredicateSpread({row: (names[row], row == flt.unit_id) for row in rows}, counts)


def predicate_distribution(session: Session, flt: Filter) -> list[PredicateCounts]:
    """Predicate counts per row of the filter's level for its period, rows by name."""
    return predicate_spread(session, flt).distribution(flt.period)


def predicate_trend(session: Session, flt: Filter) -> list[PredicateCounts]:
    """Predicate counts per period over every period of the filter's units, oldest first."""
    return predicate_spread(session, flt).trend()


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
    """Indicators whose achievement fell below 100% most often.

    Summed from the indicator tally (:class:`~engine.tally_models.IndicatorTally`: the numeric achievements and
    those below target per indicator id, own label and definition, at the filter's units); an indicator without
    its own label takes its definition's label (read once per definition).
    """
    stmt = (select(IndicatorTally.indicator, IndicatorTally.label, IndicatorTally.definition_id,
                   func.sum(IndicatorTally.assessed), func.sum(IndicatorTally.missed))
            .where(flt.scope_rows(IndicatorTally))
            .group_by(IndicatorTally.indicator, IndicatorTally.label, IndicatorTally.definition_id)
            .having(func.sum(IndicatorTally.assessed) > 0))
    if flt.period is not None:
        stmt = stmt.join(CycleRun, CycleRun.id == IndicatorTally.run_id).where(CycleRun.period == flt.period)
    rows = session.execute(stmt).all()
    if not rows:
        return []
    fixed: dict[int, dict[str, str]] = {}
    for record in session.scalars(select(CycleDefinitionRecord).where(
            CycleDefinitionRecord.id.in_({d for _, _, d, _, _ in rows}))):
        fixed[record.id] = {i.id: i.label.id for i in definition_of(record).indicators}
    groups: dict[tuple[str, str], MissedIndicator] = {}
    for indicator, own_label, definition_id, assessed, missed in rows:
        label = own_label or fixed.get(definition_id, {}).get(indicator) or indicator
        group = groups.setdefault((indicator, label), MissedIndicator(indicator, label))
        group.assessed += assessed
        group.missed += int(missed or 0)
    ranked = sorted((g for g in groups.values() if g.missed), key=lambda g: (-g.missed, -g.share, g.label, g.key))
    return ranked[:limit]


# -- overdue work ----------------------------------------------------------------------------------

@dataclass
class OverdueGroup:
    """Appraisals past their deadline in one unit and one state; ``oldest_hour`` is the start of the UTC hour the
    oldest of their deadlines falls in (its local date is exact in any zone a whole number of hours from UTC)."""

    unit_id: int
    unit_name: str
    state: str
    state_label: Text
    count: int
    oldest_hour: datetime | None


def overdue_work(session: Session, flt: Filter, now: datetime | None = None) -> list[OverdueGroup]:
    """Appraisals whose deadline (``due_at``) has passed at ``now``, grouped by row of the filter's level (as
    :func:`predicate_distribution` splits them) and state.

    The deadline moves with the clock, an hour that has passed does not: the deadlines of the hours before the
    current one are summed from the overdue tally (:class:`~engine.tally_models.OverdueTally`, a few rows per unit
    of the level and hour), and only the current hour's deadlines before ``now`` are counted from the appraisals,
    through the unit closure and an index on the deadline. Two grouped queries, whatever the number of overdue
    appraisals.
    """
    now = now or utcnow()
    hour, start = hour_of(now)
    total = func.sum(OverdueTally.appraisals)
    # Summed on the tally alone (a unit's rows by its deadline hours, an index range), then named: a national page
    # sums hundreds of thousands of hour rows into a few thousand groups, and only those are joined.
    summed = (select(OverdueTally.unit_id, OverdueTally.definition_id, OverdueTally.state, total.label("n"),
                     func.min(case((OverdueTally.appraisals > 0, OverdueTally.due_hour))).label("oldest"))
              .where(flt.tally_rows(OverdueTally), OverdueTally.due_hour < hour)
              .group_by(OverdueTally.unit_id, OverdueTally.definition_id, OverdueTally.state)
              .having(total > 0))
    if flt.period is not None:
        summed = summed.join(CycleRun, CycleRun.id == OverdueTally.run_id).where(CycleRun.period == flt.period)
    groups = summed.subquery("late")
    past = (select(groups.c.unit_id, OrgUnit.name, groups.c.definition_id, groups.c.state, groups.c.n,
                   groups.c.oldest)
            .join(OrgUnit, OrgUnit.id == groups.c.unit_id))
    row = OrgUnitAncestor.ancestor_id
    recent = (_appraisals().join(OrgUnitAncestor, OrgUnitAncestor.unit_id == Employee.unit_id)
              .join(OrgUnit, OrgUnit.id == row).where(flt.closure_rows(), Employee.unit_id.in_(flt.scope_units()))
              .add_columns(row, OrgUnit.name, Appraisal.definition_id, Appraisal.state, func.count(Appraisal.id),
                           literal(hour))
              .where(Appraisal.due_at >= start, Appraisal.due_at < now)
              .group_by(row, OrgUnit.name, Appraisal.definition_id, Appraisal.state))
    if flt.period is not None:
        recent = recent.where(CycleRun.period == flt.period)
    rows = [*session.execute(past), *session.execute(recent)]
    records = {r.id: definition_of(r) for r in session.scalars(select(CycleDefinitionRecord).where(
        CycleDefinitionRecord.id.in_({row[2] for row in rows})))} if rows else {}
    merged: dict[tuple[int, str], OverdueGroup] = {}
    for unit_id, unit_name, definition_id, state, count, oldest in rows:
        defn = records.get(definition_id)
        label = defn.states[state].label if defn is not None and state in defn.states else Text(state)
        began = hour_start(oldest) if oldest else None
        group = merged.get((unit_id, state))
        if group is None:
            merged[(unit_id, state)] = OverdueGroup(unit_id, unit_name, state, label, int(count), began)
        else:
            group.count += int(count)
            if began:
                group.oldest_hour = min(d for d in (group.oldest_hour, began) if d is not None)
    return sorted((g for g in merged.values() if g.count), key=lambda g: (g.unit_name, -g.count, g.state))


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
    # The head of the chain as its history lists it (engine.audit.shown): an anonymous answer never moves it.
    trace: ShownHead = ShownHead(0, 0, "")


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
        trace=shown_head(session, appraisal.id),
    )
