"""The nine-box talent grid (manajemen talenta) of a run and the shortlists HR opens, filters and exports.

The cycle declares it (``talent: {box: RESULT, shortlists: [...]}``): the result a ``talent_box`` rule
computes places each employee in a box (performance x potential), and each shortlist is a set of boxes
(Gorontalo: 7-9 succession for strategic posts, 1-3 coaching). Only final results count: an appraisal is
on the grid once its rating can no longer change by appeal (its state is in the ``develop`` or ``closed``
stage, or final), and its box is the stored one, which an appeal decision recomputes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.access import require_hr, require_hr_of_run
from engine.definition import CycleDefinition, ShortlistDef, TalentDef, Text
from engine.errors import InvalidInput, NotFound
from engine.loaded import definition_of
from engine.messages import Message
from engine.models import Appraisal, CycleRun, Employee, OrgUnit, Result
from engine.org import units_under
from engine.permissions import Actor
from engine.tables import table_csv, table_xlsx
from rules.talent import DEFAULT_BOXES, LEVELS

#: Stages whose ratings no appeal can change any more.
FINAL_STAGES = ("develop", "closed")
#: Performance from low to high (the grid's columns); potential rows are :data:`rules.talent.LEVELS`.
PERFORMANCE_COLUMNS = tuple(reversed(LEVELS))
LEVEL_TEXT = {"Tinggi": Text("Tinggi", "High"), "Menengah": Text("Menengah", "Medium"), "Rendah": Text("Rendah", "Low")}


@dataclass(frozen=True)
class TalentEntry:
    """One employee on the grid."""

    appraisal_id: int
    name: str
    nip: str
    position: str
    unit: str
    box: int
    performance: str | None   # Tinggi / Menengah / Rendah, as the talent_box rule read it
    potential: str | None
    shortlists: tuple[str, ...]


@dataclass(frozen=True)
class GridCell:
    box: int
    potential: str
    performance: str
    entries: tuple[TalentEntry, ...]


@dataclass(frozen=True)
class TalentGrid:
    """A run's grid (within a unit, when one is picked) and the entries the filters keep."""

    run: CycleRun
    defn: CycleDefinition
    talent: TalentDef
    rows: tuple[tuple[GridCell, ...], ...]    # potential high -> low, each performance low -> high
    entries: tuple[TalentEntry, ...]          # every placed employee the filters keep, by box then name
    waiting: int                              # appraisals of the run whose rating is not final yet

    def shortlist(self, shortlist_id: str) -> ShortlistDef | None:
        return next((s for s in self.talent.shortlists if s.id == shortlist_id), None)


def hr_runs(session: Session, actor: Actor, *, talent_only: bool = False) -> list[CycleRun]:
    """Runs of the units the actor oversees as HR (only those whose cycle declares a talent grid with
    ``talent_only``), newest first."""
    scope = require_hr(session, actor)
    stmt = select(CycleRun).order_by(CycleRun.period.desc(), CycleRun.id.desc()).limit(200)
    if not scope.every_unit:
        stmt = stmt.where(CycleRun.unit_id.in_(scope.unit_ids))
    runs = list(session.scalars(stmt))
    return [run for run in runs if definition_of(run.definition).talent is not None] if talent_only else runs


def run_units(session: Session, actor: Actor, run: CycleRun) -> list[tuple[int, str]]:
    """(id, name) of the run's unit and the units below it that the actor oversees, by name (a unit filter)."""
    scope = require_hr(session, actor)
    stmt = select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(units_under([run.unit_id]))).order_by(OrgUnit.name)
    if not scope.every_unit:
        stmt = stmt.where(OrgUnit.id.in_(scope.unit_ids))
    return [(uid, name) for uid, name in session.execute(stmt.limit(500))]


def _boxes_layout(defn: CycleDefinition, talent: TalentDef) -> list[list[int]]:
    spec = defn.results.get(talent.box)
    boxes = spec.params.get("boxes") if spec is not None else None
    return [list(row) for row in boxes] if isinstance(boxes, list) else DEFAULT_BOXES


def talent_grid(session: Session, actor: Actor, run_id: int, *, unit_id: int | None = None,
                shortlist: str | None = None, box: int | None = None, search: str = "") -> TalentGrid:
    """The run's nine-box grid for HR of its unit: every employee whose rating is final, placed by the stored
    box result, within ``unit_id`` (and below) when given; ``shortlist``, ``box`` and ``search`` (name or NIP)
    narrow the entries listed (the grid's cells always show the whole unit)."""
    require_hr(session, actor)
    run = session.get(CycleRun, run_id)
    if run is None:
        raise NotFound(f"no run {run_id}", msg=Message("run.not_found", id=str(run_id)))
    scope = require_hr_of_run(session, actor, run)  # and only the employees of the units they oversee are listed
    defn = definition_of(run.definition)
    talent = defn.talent
    if talent is None:
        raise InvalidInput(f"cycle '{defn.id}' declares no talent grid", msg=Message("talent.no_grid"))
    if shortlist and all(s.id != shortlist for s in talent.shortlists):
        raise InvalidInput(f"no shortlist '{shortlist}' in cycle '{defn.id}'",
                           msg=Message("talent.no_shortlist", shortlist=shortlist))

    final_states = [name for name, s in defn.states.items() if s.final or s.stage in FINAL_STAGES]
    stmt = (select(Appraisal.id, Appraisal.state, Employee.name, Employee.nip, Employee.position, OrgUnit.name,
                   Result.value, Result.details)
            .join(Employee, Employee.id == Appraisal.employee_id).join(OrgUnit, OrgUnit.id == Employee.unit_id)
            .outerjoin(Result, (Result.appraisal_id == Appraisal.id) & (Result.name == talent.box))
            .where(Appraisal.run_id == run.id, Appraisal.closed_at.is_(None)))
    if not scope.every_unit:
        stmt = stmt.where(Employee.unit_id.in_(scope.unit_ids))
    if unit_id is not None:
        stmt = stmt.where(Employee.unit_id.in_(units_under([unit_id])))
    placed: list[TalentEntry] = []
    waiting = 0
    for aid, state, name, nip, position, unit, value, details in session.execute(stmt.order_by(Employee.name)):
        if state not in final_states or not isinstance(value, int) or isinstance(value, bool):
            waiting += 1
            continue
        details = details or {}
        placed.append(TalentEntry(aid, name, nip, position or "", unit, value, details.get("performance_level"),
                                  details.get("potential_level"),
                                  tuple(s.id for s in talent.shortlists if value in s.boxes)))
    layout = _boxes_layout(defn, talent)
    rows = tuple(tuple(GridCell(layout[r][c], potential, performance,
                                tuple(e for e in placed if e.box == layout[r][c]))
                       for c, performance in enumerate(PERFORMANCE_COLUMNS))
                 for r, potential in enumerate(LEVELS))
    needle = search.strip().casefold()
    kept = [e for e in placed
            if (not shortlist or shortlist in e.shortlists) and (box is None or e.box == box)
            and (not needle or needle in e.name.casefold() or needle in e.nip)]
    kept.sort(key=lambda e: (-e.box, e.name))
    return TalentGrid(run, defn, talent, rows, tuple(kept), waiting)


COLUMNS = ("NIP", "Nama", "Jabatan", "Unit", "Kotak", "Kinerja", "Potensial", "Daftar pendek", "ID Penilaian")


def talent_table(grid: TalentGrid) -> list[Sequence[str | int]]:
    """The grid's kept entries as a table with its header (the export's rows)."""
    labels = {s.id: s.label.id for s in grid.talent.shortlists}
    return [COLUMNS] + [
        (e.nip, e.name, e.position, e.unit, e.box, e.performance or "", e.potential or "",
         "; ".join(labels[s] for s in e.shortlists), str(e.appraisal_id))
        for e in grid.entries]


def talent_csv(grid: TalentGrid) -> bytes:
    """The kept entries as CSV (UTF-8 with a byte-order mark)."""
    return table_csv(talent_table(grid))


def talent_xlsx(grid: TalentGrid) -> bytes:
    """The kept entries as an Excel sheet; the NIP stays text."""
    return table_xlsx(talent_table(grid), "Talenta", text_columns=(0, 8))
