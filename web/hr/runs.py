"""HR screens for runs: launch a published cycle for a unit and a period, the runs of the units the HR
officer covers, a run's progress (counts per state, the overdue, the closed, the deadlines that failed),
and the changes HR makes to a running run (add a joiner, close a leaver's appraisal, move a transferee).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from engine.access import HrScope
from engine.deadlines import failed_deadlines
from engine.definition import CycleDefinition
from engine.errors import Forbidden, InvalidInput, NotFound, SiklusError
from engine.jobs.launch import enqueue_launch, launch_size
from engine.limits import parse_id
from engine.messages import Message
from engine.models import CycleDefinitionRecord, CycleRun, OrgUnit
from engine.org import unit_by_id, units_by_name
from engine.progress import covered_run as find_covered_run
from engine.progress import definition_records, existing_run, open_appraisal_in_run, run_size, runs_in_scope
from engine.progress import run_progress as progress_of
from engine.raters import without_rater, without_rater_in_run, without_reviewer, without_reviewer_in_run
from engine.registry import definition_of, get_record
from engine.runs import add_employee, close_appraisal, launch_cycle, period_bounds, reopened, transfer_employee
from web.context import current_actor as _actor
from web.context import current_hr_scope as _scope
from web.context import db_session as _db
from web.context import unit_of_work
from web.errors import error_text
from web.filters import localized
from web.hr.blueprint import bp
from web.hr.definitions import PERIOD_KINDS
from web.inputs import query_id
from web.jobs import launch_inline_max

OVERDUE_PER_PAGE = 25
RUNS_SHOWN = 200


# -- launching --------------------------------------------------------------------------------

@dataclass
class UnitOption:
    id: int
    code: str
    name: str
    depth: int

    @property
    def label(self) -> str:
        """The unit as an option of an indented list (a select cannot be styled per option)."""
        indent = "\u00a0\u00a0\u00a0" * self.depth + ("└ " if self.depth else "")
        return f"{indent}{self.name} ({self.code})"


def unit_tree(scope: HrScope, under: int | None = None) -> list[UnitOption]:
    """The units in scope as an indented list, parents before children (``under``: that unit's subtree)."""
    units = units_by_name(_db())
    children: dict[int | None, list[OrgUnit]] = {}
    known = {u.id for u in units}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in known else None, []).append(unit)
    out: list[UnitOption] = []

    def walk(parent: int | None, depth: int, inside: bool) -> None:
        for unit in children.get(parent, []):
            here = inside or unit.id == under if under is not None else True
            shown = here and scope.covers(unit.id)
            if shown:
                out.append(UnitOption(unit.id, unit.code, unit.name, depth))
            walk(unit.id, depth + 1 if shown else depth, here)

    walk(None, 0, under is None)
    return out


def _launch_page(values: Mapping[str, Any], errors: Mapping[str, str], notice: dict[str, Any] | None = None,
                 status: int = 200, skipped: list[dict[str, Any]] | None = None) -> tuple[str, int]:
    choices = [(r, definition_of(r)) for r in definition_records(_db(), published_only=True)]
    return render_template("hr/launch.html", choices=choices, units=unit_tree(_scope()), values=values,
                           errors=errors, notice=notice, periods=PERIOD_KINDS, skipped=skipped or [],
                           unrated=without_rater(_db(), _scope()),
                           unreviewed=without_reviewer(_db(), _scope())), status


@bp.get("/peluncuran")
def launch() -> tuple[str, int]:
    return _launch_page({"definisi": request.args.get("definisi", ""), "sub": True}, {})


@bp.post("/peluncuran")
def launch_post() -> Response | tuple[str, int]:
    """Launch a published definition for a unit the HR officer covers, for one period."""
    form = request.form
    period, subunits = form.get("periode", "").strip(), form.get("sub") == "1"
    values = {"definisi": form.get("definisi", ""), "unit": form.get("unit", ""), "periode": period, "sub": subunits}
    errors: dict[str, str] = {}
    record_id, unit_id = parse_id(form.get("definisi", "")), parse_id(form.get("unit", ""))
    record = _definition(record_id) if record_id else None
    if record is None or record.status != "published":
        errors["definisi"] = _("Pilih definisi siklus yang sudah terbit.")
    unit = unit_by_id(_db(), unit_id) if unit_id else None
    if unit is None:
        errors["unit"] = _("Pilih unit kerja.")
    elif not _scope().covers(unit.id):
        raise Forbidden(Message("progress.not_hr", unit=unit.code))
    if not period:
        errors["periode"] = _("Isi periode.")
    elif record is not None and "definisi" not in errors:
        kind = definition_of(record).period
        try:
            period_bounds(kind, period)
        except InvalidInput:
            label, example = PERIOD_KINDS[kind]
            errors["periode"] = _("Periode «%(period)s» tidak sesuai siklus %(kind)s ini; tulis seperti %(example)s.",
                                  period=period, kind=label, example=example)
    if errors or record is None or unit is None:
        return _launch_page(values, errors, status=422)
    existing = existing_run(_db(), record.cycle_id, unit.id, period)
    if existing is not None:
        return _launch_page(values, {}, _already(existing), status=409)
    size = launch_size(_db(), unit, subunits)
    try:
        if size > launch_inline_max():
            with unit_of_work() as session:
                job = enqueue_launch(session, record, unit, period, _actor(), include_subunits=subunits, size=size)
            flash(_("Peluncuran untuk %(count)d pegawai dikerjakan di latar belakang; kemajuannya tampil di bawah.",
                    count=size), "info")
            return redirect(url_for("jobs.show", job_id=job.id), 303)
        with unit_of_work() as session:
            outcome = launch_cycle(session, record, unit, period, _actor(), include_subunits=subunits)
    except SiklusError as exc:
        existing = existing_run(_db(), record.cycle_id, unit.id, period)
        if existing is not None:  # launched by someone else a moment ago
            return _launch_page(values, {}, _already(existing), status=409)
        return _launch_page(values, {"periode": error_text(exc)}, status=exc.http_status,
                            skipped=exc.details.get("skipped", []))
    run = outcome.run
    flash(_("Siklus diluncurkan untuk %(unit)s periode %(period)s: %(count)d penilaian dibuat.",
            unit=unit.name, period=run.period, count=outcome.started), "success")
    if outcome.skipped:
        flash(_("%(count)d pegawai dilewati karena sudah punya penilaian siklus ini untuk periode yang sama; "
                "daftarnya ada di bawah.", count=len(outcome.skipped)), "info")
    return redirect(url_for("hr.run_progress", run_id=run.id))


def _definition(record_id: int) -> CycleDefinitionRecord | None:
    try:
        return get_record(_db(), record_id)
    except NotFound:
        return None


def _already(run: CycleRun) -> dict[str, Any]:
    return {"run": run, "count": run_size(_db(), run.id)}


# -- runs and their progress ------------------------------------------------------------------

def covered_run(run_id: int) -> CycleRun:
    """The run, when the HR officer covers its unit (404 or 403 otherwise)."""
    return find_covered_run(_db(), _scope(), run_id)


@bp.get("/putaran")
def runs() -> str:
    """The runs launched for units the HR officer covers, newest first."""
    shown = runs_in_scope(_db(), _scope(), RUNS_SHOWN)
    return render_template("hr/runs.html", runs=[(r, definition_of(r.definition), n) for r, n in shown])


def _page_arg() -> int:
    return query_id(request.args, "halaman") or 1


@bp.get("/putaran/<id:run_id>")
def run_progress(run_id: int) -> tuple[str, int]:
    return _run_page(covered_run(run_id))


def _run_page(run: CycleRun, *, status: int = 200, form: Mapping[str, str] | None = None,
              form_error: str | None = None, which: str | None = None) -> tuple[str, int]:
    """Counts per state (one grouped query) and the overdue appraisals, oldest deadline first, paged;
    the appraisals closed in this run, the employees of its unit appraised in another run, and the
    forms to add a joiner, close a leaver's appraisal and move a transferee."""
    defn = definition_of(run.definition)
    found = progress_of(_db(), _scope(), run, page=_page_arg(), per_page=OVERDUE_PER_PAGE, shown=RUNS_SHOWN)
    states = [{"name": name, "label": localized(spec.label), "count": found.by_state.get(name, (0, 0))[0],
               "overdue": found.by_state.get(name, (0, 0))[1], "final": spec.final}
              for name, spec in defn.states.items()]
    overdue = [{"id": o.id, "state": _state_label(defn, o.state), "due_at": o.due_at,
                "days": _days_late(o.due_at, found.now), "name": o.name, "nip": o.nip} for o in found.overdue]
    failures = [{"id": f.appraisal_id, "name": f.employee_name, "nip": f.nip, "state": _state_label(defn, f.state),
                 "trigger": _trigger_label(defn, f.trigger), "due_at": f.due_at,
                 "error": localized(f.error_text) if f.error_text else f.error, "attempts": f.attempts,
                 "last_tried_at": f.last_tried_at, "next_try_at": f.next_try_at}
                for f in failed_deadlines(_db(), run_id=run.id)]
    return render_template("hr/run.html", run=run, defn=defn, states=states, total=found.total,
                           overdue_total=found.overdue_total, overdue=overdue, page=found.page, pages=found.pages,
                           closed=found.closed, closed_kinds=CLOSED_KINDS, elsewhere=found.elsewhere,
                           targets=found.targets, form=form or {}, form_error=form_error,
                           which=which, failures=failures, unrated=without_rater_in_run(_db(), run.id),
                           unreviewed=without_reviewer_in_run(_db(), run.id),
                           review_stands=any(spec.vacant for spec in defn.states.values())), status


def _state_label(defn: CycleDefinition, state: str) -> str:
    return localized(defn.states[state].label) if state in defn.states else state


def _trigger_label(defn: CycleDefinition, trigger: str) -> str:
    transition = next((t for t in defn.transitions if t.trigger == trigger), None)
    return localized(transition.label) if transition is not None else trigger


CLOSED_KINDS = {"left": _l("keluar"), "transferred": _l("mutasi"), "duplicate": _l("ganda")}


def _run_form(run_id: int, fields: Iterable[str]) -> tuple[CycleRun, dict[str, str]]:
    return covered_run(run_id), {name: request.form.get(name, "").strip() for name in fields}


@bp.post("/putaran/<id:run_id>/pegawai")
def run_add_employee(run_id: int) -> Response | tuple[str, int]:
    """Add a joiner (a new employee, or one transferred in from outside Siklus' runs) to the run."""
    run, form = _run_form(run_id, ("nip", "alasan"))
    try:
        with unit_of_work() as session:
            added = add_employee(session, run.id, form["nip"], _actor(), reason=form["alasan"])
    except SiklusError as exc:
        return _run_page(covered_run(run_id), status=exc.http_status, form=form, form_error=error_text(exc),
                         which="tambah")
    if reopened(added):  # their appraisal here was closed: it is opened again, as it was
        flash(_("Penilaian %(name)s (%(nip)s) di putaran ini dibuka kembali dan dilanjutkan dari tahap saat "
                "ditutup.", name=added.employee.name, nip=added.employee.nip), "success")
    else:
        flash(_("Penilaian untuk %(name)s (%(nip)s) dimulai di putaran ini.", name=added.employee.name,
                nip=added.employee.nip), "success")
    return redirect(url_for("hr.run_progress", run_id=run.id))


@bp.post("/putaran/<id:run_id>/tutup")
def run_close_appraisal(run_id: int) -> Response | tuple[str, int]:
    """Close the appraisal of an employee who left (or moved outside Siklus' runs); audited with the reason."""
    run, form = _run_form(run_id, ("nip", "jenis", "alasan"))
    try:
        # An empty choice is the form's default; anything else is the engine's to refuse (run.close_kind).
        kind = form["jenis"] or "left"
        appraisal_id = open_appraisal_in_run(_db(), run, form["nip"]).id
        with unit_of_work() as session:
            closed = close_appraisal(session, appraisal_id, _actor(), kind=kind, reason=form["alasan"])
    except SiklusError as exc:
        return _run_page(covered_run(run_id), status=exc.http_status, form=form, form_error=error_text(exc),
                         which="tutup")
    flash(_("Penilaian %(name)s (%(nip)s) ditutup.", name=closed.employee.name, nip=closed.employee.nip), "success")
    return redirect(url_for("hr.run_progress", run_id=run.id))


@bp.post("/putaran/<id:run_id>/mutasi")
def run_transfer(run_id: int) -> Response | tuple[str, int]:
    """Mutasi: close the employee's appraisal here and start one in the run of their new unit."""
    run, form = _run_form(run_id, ("nip", "tujuan", "alasan"))
    try:
        target = parse_id(form["tujuan"])
        if target is None:
            raise InvalidInput("choose the run of the new unit", msg=Message("form.transfer_run"))
        appraisal_id = open_appraisal_in_run(_db(), run, form["nip"]).id
        with unit_of_work() as session:
            _old, new = transfer_employee(session, appraisal_id, target, _actor(), reason=form["alasan"])
    except SiklusError as exc:
        return _run_page(covered_run(run_id), status=exc.http_status, form=form, form_error=error_text(exc),
                         which="mutasi")
    flash(_("%(name)s (%(nip)s) dipindahkan ke putaran #%(id)d; penilaian di sini ditutup.",
            name=new.employee.name, nip=new.employee.nip, id=new.run_id), "success")
    return redirect(url_for("hr.run_progress", run_id=run.id))


def _days_late(due: datetime | None, now: datetime) -> int:
    return max((now - due).days, 0) if due is not None else 0
