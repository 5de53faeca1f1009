"""HR's talent and development screens: the nine-box grid of a run with its shortlists (filter, open,
export), the training catalogue, and the unit's JP report (engine.talent, engine.development)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engine.development.catalogue import (
    KIND_LABELS,
    CourseInput,
    add_course,
    catalogue,
    enrolment_counts,
    may_change_catalogue,
    update_course,
)
from engine.development.models import COURSE_KINDS
from engine.development.report import jp_csv, jp_report, jp_xlsx
from engine.errors import Forbidden, NotFound, SiklusError
from engine.models import CycleRun
from engine.talent import (
    LEVEL_TEXT,
    PERFORMANCE_COLUMNS,
    TalentGrid,
    hr_runs,
    run_units,
    talent_csv,
    talent_grid,
    talent_xlsx,
)
from web.context import current_actor, db_session, unit_of_work
from web.errors import error_text
from web.hr.blueprint import bp
from web.inputs import content_disposition, query_id, query_text

EXPORTS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _download(content: bytes, name: str, fmt: str) -> Response:
    response = Response(content, mimetype=EXPORTS[fmt])
    response.headers["Content-Disposition"] = content_disposition(f"{name}.{fmt}")
    return response


def _run(run_id: int) -> CycleRun:
    run = db_session().get(CycleRun, run_id)
    if run is None:
        abort(404)
    return run


# -- the talent grid --------------------------------------------------------------------------------

@bp.get("/talenta")
def talent_index() -> str:
    """Runs whose cycle declares a talent grid, and every run's JP report."""
    session, actor = db_session(), current_actor()
    return render_template("hr/talent_index.html", talent_runs=hr_runs(session, actor, talent_only=True),
                           runs=hr_runs(session, actor))


@dataclass(frozen=True)
class Filters:
    """The grid's filters as the query string gives them (the page's form, the export links)."""

    unit_id: int | None
    shortlist: str | None
    box: int | None
    search: str

    @classmethod
    def from_query(cls) -> Filters:
        box = query_id(request.args, "kotak")
        return cls(query_id(request.args, "unit"), query_text(request.args, "daftar") or None,
                   box if box is not None and box <= 99 else None, query_text(request.args, "cari") or "")

    def grid(self, run_id: int) -> TalentGrid:
        return talent_grid(db_session(), current_actor(), run_id, unit_id=self.unit_id, shortlist=self.shortlist,
                           box=self.box, search=self.search)


@bp.get("/talenta/<id:run_id>")
def talent_page(run_id: int) -> tuple[str, int]:
    """The run's nine-box grid and the employees the filters keep, each opening their appraisal."""
    run = _run(run_id)
    session, actor = db_session(), current_actor()
    filters = Filters(None, None, None, "")
    try:
        filters = Filters.from_query()
        grid = filters.grid(run_id)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except SiklusError as exc:  # a cycle without a talent grid, an unknown shortlist: said on the page
        return render_template("hr/talent.html", run=run, grid=None, problem=error_text(exc), filters=filters,
                               units=[]), 200
    return render_template("hr/talent.html", run=run, grid=grid, problem=None, filters=filters,
                           units=run_units(session, actor, run), columns=PERFORMANCE_COLUMNS,
                           levels=LEVEL_TEXT), 200


@bp.get("/talenta/<id:run_id>/ekspor.<fmt>")
def talent_export(run_id: int, fmt: str) -> Response:
    """The kept entries (a shortlist, when one is picked) as CSV or XLSX."""
    if fmt not in EXPORTS:
        abort(404)
    _run(run_id)
    try:
        grid = Filters.from_query().grid(run_id)
    except NotFound:
        abort(404)
    name = f"talenta-{grid.run.period}-{request.args.get('daftar') or 'semua'}"
    return _download(talent_csv(grid) if fmt == "csv" else talent_xlsx(grid), name, fmt)


# -- the JP report ----------------------------------------------------------------------------------

@bp.get("/jp/<id:run_id>")
def jp_page(run_id: int) -> str:
    """Each employee's JP done and planned against the cycle's target."""
    run = _run(run_id)
    session, actor = db_session(), current_actor()
    unit_id = query_id(request.args, "unit")
    return render_template("hr/jp.html", run=run, report=jp_report(session, actor, run_id, unit_id),
                           units=run_units(session, actor, run), unit_id=unit_id)


@bp.get("/jp/<id:run_id>/ekspor.<fmt>")
def jp_export(run_id: int, fmt: str) -> Response:
    if fmt not in EXPORTS:
        abort(404)
    _run(run_id)
    report = jp_report(db_session(), current_actor(), run_id, query_id(request.args, "unit"))
    return _download(jp_csv(report) if fmt == "csv" else jp_xlsx(report), f"jp-{report.run.period}", fmt)


# -- the training catalogue -------------------------------------------------------------------------

def _catalogue_page(status: int = 200, problem: str | None = None, values: dict[str, str] | None = None,
                    editing: int | None = None) -> tuple[str, int]:
    return render_template("hr/catalogue.html", courses=catalogue(db_session()), kinds=COURSE_KINDS,
                           kind_labels=KIND_LABELS, problem=problem, values=values or {}, editing=editing,
                           enrolled=enrolment_counts(db_session()),
                           may_change=may_change_catalogue(db_session(), current_actor())), status


def _posted_course() -> tuple[CourseInput, dict[str, str]]:
    values = {k: request.form.get(k, "") for k in ("code", "title", "jp", "kind")}
    values["certificate_required"] = "1" if "certificate_required" in request.form else ""
    values["active"] = "1" if "active" in request.form else ""
    return CourseInput(values["code"], values["title"], values["jp"], values["kind"],
                       bool(values["certificate_required"])), values


@bp.get("/pelatihan")
def training_catalogue() -> tuple[str, int]:
    """The catalogue with a form to add a course and one to change each."""
    return _catalogue_page()


@bp.post("/pelatihan")
def training_add() -> Response | tuple[str, int]:
    course, values = _posted_course()
    try:
        with unit_of_work() as session:
            add_course(session, current_actor(), course)
    except SiklusError as exc:
        return _catalogue_page(exc.http_status, error_text(exc), values)
    flash(_("Kursus ditambahkan ke katalog."), "success")
    return redirect(url_for(".training_catalogue"))


@bp.post("/pelatihan/<id:course_id>")
def training_update(course_id: int) -> Response | tuple[str, int]:
    course, values = _posted_course()
    try:
        with unit_of_work() as session:
            update_course(session, current_actor(), course_id, course, active="active" in request.form)
    except NotFound:
        abort(404)
    except SiklusError as exc:
        return _catalogue_page(exc.http_status, error_text(exc), values, course_id)
    flash(_("Kursus diubah."), "success")
    return redirect(url_for(".training_catalogue"))
