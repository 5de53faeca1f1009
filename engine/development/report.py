"""The unit's JP report: each employee's lesson hours done (and planned) in a run against the cycle's
target (20 JP a year unless the cycle says otherwise), summed in SQL per appraisal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.access import require_hr, require_hr_of_run
from engine.development.hours import jp_total
from engine.errors import NotFound
from engine.loaded import definition_of
from engine.messages import Message
from engine.models import Appraisal, CycleRun, DevelopmentActivity, Employee, OrgUnit
from engine.org import units_under
from engine.permissions import Actor
from engine.tables import table_csv, table_xlsx


@dataclass(frozen=True)
class JpRow:
    appraisal_id: int
    name: str
    nip: str
    unit: str
    jp_done: float
    jp_planned: float
    jp_target: float

    @property
    def met(self) -> bool:
        return self.jp_done >= self.jp_target

    @property
    def remaining(self) -> float:
        return max(self.jp_target - self.jp_done, 0.0)


@dataclass(frozen=True)
class JpReport:
    run: CycleRun
    jp_target: float
    rows: tuple[JpRow, ...]

    @property
    def met(self) -> int:
        """How many employees reached the target."""
        return sum(1 for r in self.rows if r.met)


def jp_report(session: Session, actor: Actor, run_id: int, unit_id: int | None = None) -> JpReport:
    """JP done and planned per employee of the run (within ``unit_id`` and below when given), for HR."""
    require_hr(session, actor)
    run = session.get(CycleRun, run_id)
    if run is None:
        raise NotFound(f"no run {run_id}", msg=Message("run.not_found", id=str(run_id)))
    scope = require_hr_of_run(session, actor, run)
    target = definition_of(run.definition).jp_target
    done = func.coalesce(func.sum(case((DevelopmentActivity.status == "done", DevelopmentActivity.jp), else_=0.0)), 0.0)
    planned = func.coalesce(func.sum(case((DevelopmentActivity.status == "planned", DevelopmentActivity.jp),
                                          else_=0.0)), 0.0)
    stmt = (select(Appraisal.id, Employee.name, Employee.nip, OrgUnit.name, done, planned)
            .join(Employee, Employee.id == Appraisal.employee_id).join(OrgUnit, OrgUnit.id == Employee.unit_id)
            .outerjoin(DevelopmentActivity, DevelopmentActivity.appraisal_id == Appraisal.id)
            .where(Appraisal.run_id == run.id, Appraisal.closed_at.is_(None))
            .group_by(Appraisal.id, Employee.name, Employee.nip, OrgUnit.name).order_by(Employee.name))
    if not scope.every_unit:
        stmt = stmt.where(Employee.unit_id.in_(scope.unit_ids))
    if unit_id is not None:
        stmt = stmt.where(Employee.unit_id.in_(units_under([unit_id])))
    rows = tuple(JpRow(aid, name, nip, unit, jp_total(d), jp_total(p), target)
                 for aid, name, nip, unit, d, p in session.execute(stmt))
    return JpReport(run, target, rows)


COLUMNS = ("NIP", "Nama", "Unit", "JP selesai", "JP direncanakan", "Target JP", "Kurang JP", "Target terpenuhi")


def jp_table(report: JpReport) -> list[Sequence[str | float]]:
    """The report as a table with its header (the export's rows)."""
    return [COLUMNS] + [(r.nip, r.name, r.unit, r.jp_done, r.jp_planned, r.jp_target, r.remaining,
                         "ya" if r.met else "belum") for r in report.rows]


def jp_csv(report: JpReport) -> bytes:
    return table_csv(jp_table(report))


def jp_xlsx(report: JpReport) -> bytes:
    return table_xlsx(jp_table(report), "JP Pengembangan", text_columns=(0,))
