"""What HR watches of the cycles it runs: the stored definitions with their appraisals, the runs of the
units it covers, and one run's progress (counts per state, the overdue, the closed, the employees
appraised in another run, the runs a transferee may move to).

Every answer is limited to the units of the HR officer's :class:`~engine.policy.HrScope`, and costs a
few grouped queries whatever the size of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import except_, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from engine.errors import Forbidden, NotFound
from engine.messages import Message
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Employee, utcnow
from engine.policy import HrScope
from engine.runs import SkippedEmployee, appraisals_of_cycle_period, find_employee
from engine.tallies import run_overdue, run_states
from engine.tally_models import OrgUnitAncestor


def definition_records(session: Session, *, published_only: bool = False) -> list[CycleDefinitionRecord]:
    """The stored cycle definitions by cycle, newest version first (``published_only``: those launchable)."""
    stmt = select(CycleDefinitionRecord).order_by(CycleDefinitionRecord.cycle_id, CycleDefinitionRecord.version.desc())
    if published_only:
        stmt = stmt.where(CycleDefinitionRecord.status == "published")
    return list(session.scalars(stmt))


def appraisals_per_definition(session: Session, scope: HrScope) -> dict[int, int]:
    """Appraisals per definition record among the employees ``scope`` covers (one grouped query)."""
    stmt = select(Appraisal.definition_id, func.count()).group_by(Appraisal.definition_id)
    if not scope.every_unit:
        stmt = stmt.join(Appraisal.employee).where(Employee.unit_id.in_(scope.unit_ids))
    return {definition_id: n for definition_id, n in session.execute(stmt)}


def covered_run(session: Session, scope: HrScope, run_id: int) -> CycleRun:
    """A run of a unit ``scope`` covers, with its unit and definition; NotFound or Forbidden otherwise."""
    run = session.scalars(select(CycleRun).where(CycleRun.id == run_id)
                          .options(joinedload(CycleRun.unit), joinedload(CycleRun.definition))).first()
    if run is None:
        raise NotFound(f"no run #{run_id}", msg=Message("run.not_found", id=str(run_id)))
    if not scope.covers(run.unit_id):
        raise Forbidden(f"not HR of unit {run.unit.code}", msg=Message("progress.not_hr", unit=run.unit.code))
    return run


def existing_run(session: Session, cycle_id: str, unit_id: int, period: str) -> CycleRun | None:
    """The run of the cycle already launched for the unit and period, if any."""
    return session.scalars(select(CycleRun).where(CycleRun.cycle_id == cycle_id, CycleRun.unit_id == unit_id,
                                                  CycleRun.period == period)).first()


def run_size(session: Session, run_id: int) -> int:
    """Appraisals started in the run, closed ones included."""
    return int(session.scalar(select(func.count()).select_from(Appraisal).where(Appraisal.run_id == run_id)) or 0)


def runs_in_scope(session: Session, scope: HrScope, limit: int) -> list[tuple[CycleRun, int]]:
    """The newest ``limit`` runs of units ``scope`` covers, each with its count of open appraisals."""
    stmt = (select(CycleRun).options(joinedload(CycleRun.unit), joinedload(CycleRun.definition))
            .order_by(CycleRun.launched_at.desc(), CycleRun.id.desc()).limit(limit))
    if not scope.every_unit:
        stmt = stmt.where(CycleRun.unit_id.in_(scope.unit_ids))
    shown = list(session.scalars(stmt))
    counts: dict[int, int] = dict(session.execute(select(Appraisal.run_id, func.count()).where(
        Appraisal.run_id.in_([r.id for r in shown]), Appraisal.closed_at.is_(None))
        .group_by(Appraisal.run_id)).all()) if shown else {}
    return [(run, counts.get(run.id, 0)) for run in shown]


def open_appraisal_in_run(session: Session, run: CycleRun, nip: str) -> Appraisal:
    """The open appraisal of the employee with this NIP in the run; NotFound when there is none."""
    employee = find_employee(session, nip)
    found = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id, Appraisal.employee_id == employee.id,
                                                    Appraisal.closed_at.is_(None))).first()
    if found is None:
        raise NotFound(f"{employee.name} ({employee.nip}) has no open appraisal in run #{run.id}",
                       msg=Message("progress.no_open", name=employee.name, nip=employee.nip, run=str(run.id)))
    return found


@dataclass(frozen=True)
class OverdueAppraisal:
    """An appraisal past its deadline: whose, in which state, due when."""

    id: int
    state: str
    due_at: datetime | None
    name: str
    nip: str


@dataclass(frozen=True)
class ClosedAppraisal:
    """An appraisal HR closed in the run, with why."""

    id: int
    state: str
    closed_at: datetime | None
    closed_kind: str | None
    closed_reason: str | None
    name: str
    nip: str


@dataclass
class RunProgress:
    """One run as HR watches it; the overdue list is one page of ``pages``."""

    run: CycleRun
    now: datetime
    by_state: dict[str, tuple[int, int]]  # state -> (open appraisals, of which overdue)
    page: int
    pages: int
    overdue: list[OverdueAppraisal] = field(default_factory=list)
    closed: list[ClosedAppraisal] = field(default_factory=list)
    elsewhere: list[SkippedEmployee] = field(default_factory=list)  # the unit's employees appraised in another run
    targets: list[CycleRun] = field(default_factory=list)  # runs of the same cycle and period a transferee may join

    @property
    def total(self) -> int:
        return sum(n for n, _late in self.by_state.values())

    @property
    def overdue_total(self) -> int:
        return sum(late for _n, late in self.by_state.values())


def run_progress(session: Session, scope: HrScope, run: CycleRun, *, page: int = 1, per_page: int = 25,
                 shown: int = 200, now: datetime | None = None) -> RunProgress:
    """Counts per state (from the appraisal tally, :func:`engine.tallies.run_states`; the overdue among them from
    the overdue tally and today's deadlines, :func:`engine.tallies.run_overdue`), the open overdue appraisals
    oldest deadline first (page ``page`` of ``per_page``, an index walk), the appraisals closed in the run, the
    unit's employees appraised in another run (one set-based query) and the runs of the same cycle and period in
    ``scope`` (each list at most ``shown`` long)."""
    now = now or utcnow()
    late = run_overdue(session, run.id, now)
    by_state = {state: (n, int(late.get(state, 0))) for state, n in run_states(session, run.id).items()}
    progress = RunProgress(run, now, by_state, page=1, pages=1)
    progress.pages = max((progress.overdue_total + per_page - 1) // per_page, 1)
    progress.page = min(max(page, 1), progress.pages)
    progress.overdue = [OverdueAppraisal(*row) for row in session.execute(
        select(Appraisal.id, Appraisal.state, Appraisal.due_at, Employee.name, Employee.nip)
        .join(Appraisal.employee).where(Appraisal.run_id == run.id, Appraisal.closed_at.is_(None),
                                        Appraisal.due_at < now)
        .order_by(Appraisal.due_at, Appraisal.id).offset((progress.page - 1) * per_page).limit(per_page))]
    progress.closed = [ClosedAppraisal(*row) for row in session.execute(
        select(Appraisal.id, Appraisal.state, Appraisal.closed_at, Appraisal.closed_kind, Appraisal.closed_reason,
               Employee.name, Employee.nip)
        .join(Appraisal.employee).where(Appraisal.run_id == run.id, Appraisal.closed_at.is_not(None))
        .order_by(Appraisal.closed_at.desc(), Appraisal.id).limit(shown))]
    # An employee with an open appraisal in this run is shown it first, so only the others are looked up in the
    # cycle and period: the unit's staff EXCEPT the run's appraised, two index reads and one hashed set difference
    # (not a probe per employee). Aliases keep the subquery from correlating with the lookup's own tables.
    staff, held = aliased(Employee), aliased(Appraisal)
    below = select(OrgUnitAncestor.unit_id).where(OrgUnitAncestor.ancestor_id == run.unit_id)
    unappraised = except_(select(staff.id.label("id")).where(staff.unit_id.in_(below), staff.active.is_(True)),
                          select(held.employee_id).where(held.run_id == run.id, held.closed_at.is_(None))
                          ).subquery("unappraised")
    progress.elsewhere = [s for s in appraisals_of_cycle_period(session, run.cycle_id, run.period,
                                                                    select(unappraised.c.id))
                          if s.run_id != run.id][:shown]
    targets = (select(CycleRun).options(joinedload(CycleRun.unit))
               .where(CycleRun.cycle_id == run.cycle_id, CycleRun.period == run.period, CycleRun.id != run.id)
               .order_by(CycleRun.id))
    if not scope.every_unit:
        targets = targets.where(CycleRun.unit_id.in_(scope.unit_ids))
    progress.targets = list(session.scalars(targets))
    return progress
