"""HR screens for cycles: definitions (upload, validate, publish, retire, compare), launches, the
progress of a run and the calibration of a unit's predicates against the distribution curve.

Views parse input, call one engine service and render. Definitions are shared by the whole
installation; launches, runs, progress and calibration are limited to the units the HR officer
covers (:func:`engine.access.hr_scope`).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from engine.access import HrScope
from engine.calibration_guard import unit_predicate_labels
from engine.deadlines import failed_deadlines
from engine.definition import CycleDefinition, DeadlineDef
from engine.errors import DefinitionError, Forbidden, InvalidInput, NotFound, Problem, SiklusError
from engine.graph import to_svg
from engine.limits import CYCLE_FILE, parse_id
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Employee, OrgUnit, utcnow
from engine.registry import (
    ImmutableDefinitionError,
    definition_of,
    find_record,
    get_record,
    publish,
    retire,
    save_draft,
)
from engine.runs import (
    CLOSE_KINDS,
    add_employee,
    appraisals_of_cycle_period,
    close_appraisal,
    find_employee,
    launch_cycle,
    period_bounds,
    transfer_employee,
    unit_and_descendants,
)
from engine.unit_predicate import unit_calibration
from rules import EMPLOYEE_PREDICATE, labels_of
from web.context import current_actor as _actor
from web.context import current_hr_scope as _scope
from web.context import db_session as _db
from web.hr import bp
from web.inputs import query_id
from web.views import current_language, error_text, localized

MAX_SOURCE_BYTES = CYCLE_FILE.max_bytes
OVERDUE_PER_PAGE = 25
RUNS_SHOWN = 200
# PyYAML counts these as line breaks, so problems' line numbers follow them too.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# How a period of each kind is written (what engine.runs.period_bounds reads).
PERIOD_KINDS = {
    "annual": (_l("tahunan"), "2026"),
    "semester": (_l("semesteran"), "2026-S1"),
    "quarterly": (_l("triwulanan"), "2026-Q3"),
    "monthly": (_l("bulanan"), "2026-07"),
}
STATUS = {"draft": _l("draf"), "published": _l("terbit"), "retired": _l("dipensiunkan")}
RESOLVERS = {
    "self": _l("pegawai yang dinilai"),
    "supervisor": _l("atasan langsung (pejabat penilai)"),
    "supervisor_of_supervisor": _l("atasan dari pejabat penilai"),
    "peers": _l("rekan kerja dengan atasan yang sama"),
    "subordinates": _l("bawahan langsung"),
    "unit_hr": _l("SDM unit pegawai"),
    "group": _l("anggota kelompok"),
    "public": _l("masyarakat (tanpa masuk)"),
}
DEADLINE_ACTIONS = {"remind": _l("kirim pengingat"), "escalate": _l("teruskan ke atasan")}
# Names of definition fields as the cycle file writes them.
YAML_KEYS = {"sources": "source", "payload_schema": "payload"}








# -- source text with its problems ------------------------------------------------------------

@dataclass
class SourceLine:
    """One line of a cycle file as shown on a page, with the problems found on it."""

    number: int
    text: str
    problems: list[Problem] = field(default_factory=list)


def source_lines(source: str, problems: Iterable[Problem] = ()) -> list[SourceLine]:
    """The lines of ``source`` numbered from 1, each carrying its problems (past the end: the last line)."""
    lines = [SourceLine(n, text) for n, text in enumerate(LINE_BREAK.split(source), start=1)]
    if lines and lines[-1].text == "" and len(lines) > 1:
        lines.pop()  # the newline that ends the file opens no line of its own
    for problem in problems:
        index = min(max(problem.line, 1), len(lines)) - 1
        lines[index].problems.append(problem)
    return lines


def _problem_anchor(problem: Problem, line_count: int) -> int:
    return min(max(problem.line, 1), max(line_count, 1))


@dataclass
class Posted:
    """A cycle file sent through the form: its text, a name for messages, or why it was refused."""

    source: str
    filename: str
    error: str | None = None


def _posted_source() -> Posted:
    """The uploaded file when one was chosen, else the pasted text (with the browser's CRLF undone)."""
    upload: FileStorage | None = request.files.get("berkas")
    if upload is not None and upload.filename:
        name = secure_filename(upload.filename) or "siklus.yaml"
        raw = upload.read(MAX_SOURCE_BYTES + 1)
        if not name.lower().endswith((".yaml", ".yml")):
            return Posted("", name, _("Berkas «%(name)s» bukan berkas YAML; pilih berkas berakhiran .yaml atau .yml.",
                                      name=name))
        if len(raw) > MAX_SOURCE_BYTES:
            return Posted("", name, _("Berkas «%(name)s» lebih besar dari %(kib)d KiB; berkas siklus jauh lebih kecil.",
                                      name=name, kib=MAX_SOURCE_BYTES // 1024))
        try:
            return Posted(raw.decode("utf-8"), name)
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            return Posted("", name, _("Berkas «%(name)s» bukan teks UTF-8 (bita tidak sah pada baris %(line)d); "
                                      "simpan ulang dengan pengodean UTF-8.", name=name, line=line))
    text = request.form.get("sumber", "").replace("\r\n", "\n")
    if not text.strip():
        return Posted(text, "tempelan.yaml", _("Tempelkan isi YAML siklus atau pilih berkas .yaml untuk diunggah."))
    if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
        return Posted(text, "tempelan.yaml",
                      _("Teks yang ditempel lebih besar dari %(kib)d KiB; berkas siklus jauh lebih kecil.",
                        kib=MAX_SOURCE_BYTES // 1024))
    return Posted(text, "tempelan.yaml")


# -- definitions -----------------------------------------------------------------------------

def _appraisal_counts(scope: HrScope) -> dict[int, int]:
    """Appraisals per definition record among the employees the HR officer covers (one grouped query)."""
    stmt = select(Appraisal.definition_id, func.count()).group_by(Appraisal.definition_id)
    if not scope.every_unit:
        stmt = stmt.join(Appraisal.employee).where(Employee.unit_id.in_(scope.unit_ids))
    return {definition_id: n for definition_id, n in _db().execute(stmt)}


@bp.get("/siklus")
def cycles() -> str:
    """Every stored cycle with its versions, newest first."""
    records = _db().scalars(select(CycleDefinitionRecord).order_by(
        CycleDefinitionRecord.cycle_id, CycleDefinitionRecord.version.desc())).all()
    grouped: dict[str, list[CycleDefinitionRecord]] = {}
    for record in records:
        grouped.setdefault(record.cycle_id, []).append(record)
    return render_template("hr/cycles.html", grouped=grouped, counts=_appraisal_counts(_scope()), status=STATUS)


@bp.route("/siklus/baru", methods=["GET", "POST"])
def new_cycle() -> Response | str | tuple[str, int]:
    """Paste or upload a cycle file; show every problem on its line, or save it as a draft."""
    if request.method == "GET":
        return render_template("hr/cycle_new.html", source="", lines=[], problems=[], error=None)
    posted = _posted_source()
    if posted.error:
        return render_template("hr/cycle_new.html", source=posted.source, lines=[], problems=[],
                               error=posted.error), 422
    try:
        record = save_draft(_db(), posted.source, posted.filename, _actor())
    except DefinitionError as exc:
        _db().rollback()
        lines = source_lines(posted.source, exc.problems)
        anchored = [(p, _problem_anchor(p, len(lines))) for p in exc.problems]
        return render_template("hr/cycle_new.html", source=posted.source, lines=lines, problems=anchored,
                               filename=posted.filename, error=None), 422
    except ImmutableDefinitionError as exc:
        _db().rollback()
        return render_template("hr/cycle_new.html", source=posted.source, lines=[], problems=[], error=_(
            "Versi ini sudah diterbitkan dengan isi yang berbeda, dan versi terbit tidak pernah berubah. "
            "Naikkan nilai 'version' di berkas lalu simpan lagi. (%(detail)s)", detail=exc.message)), 409
    if record.status == "draft":
        flash(_("Tersimpan sebagai draf versi %(version)d. Periksa lalu terbitkan.", version=record.version), "success")
    else:
        flash(_("Isi berkas ini sama persis dengan versi %(version)d yang sudah %(status)s; tidak ada yang disimpan.",
                version=record.version, status=STATUS[record.status]), "info")
    return redirect(url_for("hr.cycle", record_id=record.id))


def _deadline_text(deadline: DeadlineDef | None) -> str:
    if deadline is None:
        return "–"
    if deadline.within is not None:
        when = _("dalam %(duration)s", duration=str(deadline.within))
    else:
        when = _("pada %(moment)s", moment=deadline.at or "")
        if deadline.offset is not None:
            when += f" + {deadline.offset}"
    if deadline.then == "fire":
        action = _("otomatis «%(trigger)s»", trigger=deadline.fire or "")
    else:
        action = str(DEADLINE_ACTIONS.get(deadline.then, deadline.then))
    return f"{when}: {action}"


def _role_text(defn: CycleDefinition, role_id: str) -> str:
    role = defn.roles.get(role_id)
    return localized(role.label) if role else role_id


@bp.get("/siklus/<id:record_id>")
def cycle(record_id: int) -> str:
    """A definition as HR reads it: roles, states, transitions, the diagram, the source, and its actions."""
    record = get_record(_db(), record_id)
    defn = definition_of(record)
    versions = _db().scalars(select(CycleDefinitionRecord).where(
        CycleDefinitionRecord.cycle_id == record.cycle_id).order_by(CycleDefinitionRecord.version.desc())).all()
    states = [{
        "name": s.name, "label": localized(s.label), "stage": s.stage or "", "initial": s.initial, "final": s.final,
        "edit": ", ".join(f"{_role_text(defn, r)}: {', '.join(sorted(kinds))}" for r, kinds in s.edit.items()),
        "deadline": _deadline_text(s.deadline),
    } for s in defn.states.values()]
    transitions = [{
        "trigger": t.trigger, "label": localized(t.label),
        "sources": [localized(defn.states[s].label) for s in t.sources],
        "dest": localized(defn.states[t.dest].label), "roles": [_role_text(defn, r) for r in t.roles],
        "guards": [localized(g.message) if g.message else (g.expr or g.rule or "") for g in t.guards],
        "window": _("dalam %(duration)s sejak «%(state)s»", duration=str(t.window.within),
                    state=localized(defn.states[t.window.since].label)) if t.window else "",
    } for t in defn.transitions]
    roles = [{"id": r.id, "label": localized(r.label),
              "resolver": str(RESOLVERS.get(r.resolver, r.resolver)) + (f" «{r.group}»" if r.group else "")}
             for r in defn.roles.values()]
    count = _appraisal_counts(_scope()).get(record.id, 0)
    return render_template("hr/cycle.html", record=record, defn=defn, versions=versions, states=states,
                           transitions=transitions, roles=roles, count=count, status=STATUS,
                           period=PERIOD_KINDS.get(defn.period), lines=source_lines(record.source))


@bp.get("/siklus/<id:record_id>/diagram.svg")
def cycle_diagram(record_id: int) -> Response:
    """The state diagram as an SVG image (it carries its own sizing style, so it gets its own policy)."""
    defn = definition_of(get_record(_db(), record_id))
    response = Response(to_svg(defn, current_language()), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.post("/siklus/<id:record_id>/terbitkan")
def publish_cycle(record_id: int) -> Response:
    record = get_record(_db(), record_id)
    try:
        publish(_db(), record, _actor())
    except SiklusError as exc:
        _db().rollback()
        flash(error_text(exc), "error")
    else:
        flash(_("Versi %(version)d diterbitkan: kini dapat diluncurkan dan tidak dapat diubah lagi.",
                version=record.version), "success")
    return redirect(url_for("hr.cycle", record_id=record_id))


@bp.post("/siklus/<id:record_id>/pensiunkan")
def retire_cycle(record_id: int) -> Response:
    record = get_record(_db(), record_id)
    try:
        retire(_db(), record, _actor())
    except SiklusError as exc:
        _db().rollback()
        flash(error_text(exc), "error")
    else:
        flash(_("Versi %(version)d dipensiunkan: tidak dapat diluncurkan lagi; "
                "penilaian yang berjalan tetap berlanjut.", version=record.version), "success")
    return redirect(url_for("hr.cycle", record_id=record_id))


# -- comparing two versions -------------------------------------------------------------------

@dataclass
class Change:
    """One part of a cycle added, removed or changed between two versions (changed: which fields)."""

    kind: str  # added | removed | changed
    name: str
    fields: list[str] = field(default_factory=list)


def _changed_fields(old: Any, new: Any) -> list[str]:
    return [YAML_KEYS.get(f.name, f.name) for f in dataclasses.fields(old)
            if f.compare and getattr(old, f.name) != getattr(new, f.name)]


def _compare_parts(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = [Change("added", key) for key in new if key not in old]
    changes += [Change("removed", key) for key in old if key not in new]
    changes += [Change("changed", key, _changed_fields(old[key], new[key]))
                for key in old if key in new and old[key] != new[key]]
    return changes


def _transitions_by_key(defn: CycleDefinition) -> dict[str, Any]:
    """Transitions by trigger; a trigger used from several states is told apart by its sources."""
    seen: dict[str, int] = {}
    for t in defn.transitions:
        seen[t.trigger] = seen.get(t.trigger, 0) + 1
    return {(t.trigger if seen[t.trigger] == 1 else f"{t.trigger} ({', '.join(t.sources)})"): t
            for t in defn.transitions}


# What the summary compares, as (heading, parts of a definition by key).
PARTS = (
    (_l("Peran"), lambda d: dict(d.roles)),
    (_l("Tahap (states)"), lambda d: dict(d.states)),
    (_l("Transisi"), _transitions_by_key),
    (_l("Indikator"), lambda d: {i.id: i for i in d.indicators}),
    (_l("Hasil (results)"), lambda d: dict(d.results)),
    (_l("Umpan balik"), lambda d: {f.id: f for f in d.feedback}),
)
TOP_LEVEL = ("title", "description", "period", "skp", "jp_target", "catalog")


def semantic_changes(old: CycleDefinition, new: CycleDefinition) -> tuple[list[str], list[tuple[str, list[Change]]]]:
    """Top-level keys that differ, and per part of the cycle what was added, removed or changed."""
    top = [name for name in TOP_LEVEL if getattr(old, name) != getattr(new, name)]
    parts = [(str(heading), _compare_parts(pick(old), pick(new))) for heading, pick in PARTS]
    return top, [(heading, changes) for heading, changes in parts if changes]


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> list[tuple[str, str]]:
    """The unified diff of two sources as (kind, line): kind is head, hunk, add, del or same."""
    out: list[tuple[str, str]] = []
    for line in difflib.unified_diff(LINE_BREAK.split(old), LINE_BREAK.split(new), old_name, new_name, lineterm=""):
        if line.startswith(("---", "+++")) and len(out) < 2:
            out.append(("head", line))
        elif line.startswith("@@"):
            out.append(("hunk", line))
        elif line.startswith("+"):
            out.append(("add", line))
        elif line.startswith("-"):
            out.append(("del", line))
        else:
            out.append(("same", line))
    return out


def _version_arg(name: str) -> int | None:
    return query_id(request.args, name)


@bp.get("/siklus/<cycle_id>/banding")
def compare_cycle(cycle_id: str) -> str | tuple[str, int]:
    """Two versions of a cycle side by side: the summary of what changed, then the line diff."""
    versions = _db().scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.cycle_id == cycle_id)
                             .order_by(CycleDefinitionRecord.version.desc())).all()
    if not versions:
        raise NotFound(_("Tidak ada siklus «%(id)s».", id=cycle_id))
    new_v = _version_arg("ke") or versions[0].version
    old_v = _version_arg("dari") or next((r.version for r in versions if r.version < new_v), new_v)
    old = find_record(_db(), cycle_id, old_v, status=None)
    new = find_record(_db(), cycle_id, new_v, status=None)
    context: dict[str, Any] = {"cycle_id": cycle_id, "versions": versions, "old": old, "new": new, "status": STATUS}
    if old.id == new.id:
        return render_template("hr/cycle_compare.html", same=True, **context)
    top, parts = semantic_changes(definition_of(old), definition_of(new))
    diff = unified_diff(old.source, new.source, f"{cycle_id} v{old.version}", f"{cycle_id} v{new.version}")
    return render_template("hr/cycle_compare.html", same=False, top=top, parts=parts, diff=diff, **context)


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


def _unit_tree(scope: HrScope, under: int | None = None) -> list[UnitOption]:
    """The units in scope as an indented list, parents before children (``under``: that unit's subtree)."""
    units = _db().scalars(select(OrgUnit).order_by(OrgUnit.name)).all()
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
    records = _db().scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.status == "published")
                            .order_by(CycleDefinitionRecord.cycle_id, CycleDefinitionRecord.version.desc())).all()
    choices = [(r, definition_of(r)) for r in records]
    return render_template("hr/launch.html", choices=choices, units=_unit_tree(_scope()), values=values,
                           errors=errors, notice=notice, periods=PERIOD_KINDS, skipped=skipped or []), status


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
    record_id, unit_id = parse_id(values["definisi"]), parse_id(values["unit"])
    record = _db().get(CycleDefinitionRecord, record_id) if record_id else None
    if record is None or record.status != "published":
        errors["definisi"] = _("Pilih definisi siklus yang sudah terbit.")
    unit = _db().get(OrgUnit, unit_id) if unit_id else None
    if unit is None:
        errors["unit"] = _("Pilih unit kerja.")
    elif not _scope().covers(unit.id):
        raise Forbidden(_("Anda bukan SDM unit %(unit)s.", unit=unit.code))
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
    existing = _existing_run(record.cycle_id, unit.id, period)
    if existing is not None:
        return _launch_page(values, {}, _already(existing), status=409)
    try:
        outcome = launch_cycle(_db(), record, unit, period, _actor(), include_subunits=subunits)
    except SiklusError as exc:
        _db().rollback()
        existing = _existing_run(record.cycle_id, unit.id, period)
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


def _existing_run(cycle_id: str, unit_id: int, period: str) -> CycleRun | None:
    return _db().scalars(select(CycleRun).where(CycleRun.cycle_id == cycle_id, CycleRun.unit_id == unit_id,
                                                CycleRun.period == period)).first()


def _already(run: CycleRun) -> dict[str, Any]:
    count = _db().scalar(select(func.count()).select_from(Appraisal).where(Appraisal.run_id == run.id)) or 0
    return {"run": run, "count": count}


# -- runs and their progress ------------------------------------------------------------------

def _covered_run(run_id: int) -> CycleRun:
    run = _db().scalars(select(CycleRun).where(CycleRun.id == run_id)
                        .options(joinedload(CycleRun.unit), joinedload(CycleRun.definition))).first()
    if run is None:
        raise NotFound(_("Tidak ada putaran #%(id)d.", id=run_id))
    if not _scope().covers(run.unit_id):
        raise Forbidden(_("Anda bukan SDM unit %(unit)s.", unit=run.unit.code))
    return run


@bp.get("/putaran")
def runs() -> str:
    """The runs launched for units the HR officer covers, newest first."""
    scope = _scope()
    stmt = (select(CycleRun).options(joinedload(CycleRun.unit), joinedload(CycleRun.definition))
            .order_by(CycleRun.launched_at.desc(), CycleRun.id.desc()).limit(RUNS_SHOWN))
    if not scope.every_unit:
        stmt = stmt.where(CycleRun.unit_id.in_(scope.unit_ids))
    shown = _db().scalars(stmt).all()
    counts = dict(_db().execute(select(Appraisal.run_id, func.count()).where(
        Appraisal.run_id.in_([r.id for r in shown]), Appraisal.closed_at.is_(None))
        .group_by(Appraisal.run_id)).all()) if shown else {}
    return render_template("hr/runs.html", runs=[(r, definition_of(r.definition), counts.get(r.id, 0)) for r in shown])


def _page_arg() -> int:
    return query_id(request.args, "halaman") or 1


@bp.get("/putaran/<id:run_id>")
def run_progress(run_id: int) -> tuple[str, int]:
    return _run_page(_covered_run(run_id))


def _run_page(run: CycleRun, *, status: int = 200, form: Mapping[str, str] | None = None,
              form_error: str | None = None, which: str | None = None) -> tuple[str, int]:
    """Counts per state (one grouped query) and the overdue appraisals, oldest deadline first, paged;
    the appraisals closed in this run, the employees of its unit appraised in another run, and the
    forms to add a joiner, close a leaver's appraisal and move a transferee."""
    defn = definition_of(run.definition)
    now = utcnow()
    late = func.sum(case((Appraisal.due_at < now, 1), else_=0))
    grouped = {state: (n, int(overdue or 0)) for state, n, overdue in _db().execute(
        select(Appraisal.state, func.count(), late).where(Appraisal.run_id == run.id, Appraisal.closed_at.is_(None))
        .group_by(Appraisal.state))}
    states = [{"name": name, "label": localized(spec.label), "count": grouped.get(name, (0, 0))[0],
               "overdue": grouped.get(name, (0, 0))[1], "final": spec.final} for name, spec in defn.states.items()]
    total = sum(n for n, _late in grouped.values())
    overdue_total = sum(o for _n, o in grouped.values())
    page = _page_arg()
    pages = max((overdue_total + OVERDUE_PER_PAGE - 1) // OVERDUE_PER_PAGE, 1)
    page = min(page, pages)
    rows = _db().execute(
        select(Appraisal.id, Appraisal.state, Appraisal.due_at, Employee.name, Employee.nip)
        .join(Appraisal.employee).where(Appraisal.run_id == run.id, Appraisal.due_at < now)
        .order_by(Appraisal.due_at, Appraisal.id).offset((page - 1) * OVERDUE_PER_PAGE).limit(OVERDUE_PER_PAGE)).all()
    overdue = [{"id": a_id, "state": localized(defn.states[state].label) if state in defn.states else state,
                "due_at": due, "days": _days_late(due, now), "name": name, "nip": nip}
               for a_id, state, due, name, nip in rows]
    failures = [{"id": f.appraisal_id, "name": f.employee_name, "nip": f.nip,
                 "state": localized(defn.states[f.state].label) if f.state in defn.states else f.state,
                 "trigger": _trigger_label(defn, f.trigger), "due_at": f.due_at,
                 "error": localized(f.error_text) if f.error_text else f.error, "attempts": f.attempts,
                 "last_tried_at": f.last_tried_at, "next_try_at": f.next_try_at}
                for f in failed_deadlines(_db(), run_id=run.id)]
    closed = _db().execute(
        select(Appraisal.id, Appraisal.state, Appraisal.closed_at, Appraisal.closed_kind, Appraisal.closed_reason,
               Employee.name, Employee.nip)
        .join(Appraisal.employee).where(Appraisal.run_id == run.id, Appraisal.closed_at.is_not(None))
        .order_by(Appraisal.closed_at.desc(), Appraisal.id).limit(RUNS_SHOWN)).all()
    in_unit = select(Employee.id).where(Employee.unit_id.in_(unit_and_descendants(_db(), run.unit_id)),
                                        Employee.active.is_(True))
    elsewhere = [s for s in appraisals_of_cycle_period(_db(), run.cycle_id, run.period, in_unit)
                 if s.run_id != run.id][:RUNS_SHOWN]
    scope = _scope()
    targets_stmt = (select(CycleRun).options(joinedload(CycleRun.unit))
                    .where(CycleRun.cycle_id == run.cycle_id, CycleRun.period == run.period, CycleRun.id != run.id)
                    .order_by(CycleRun.id))
    if not scope.every_unit:
        targets_stmt = targets_stmt.where(CycleRun.unit_id.in_(scope.unit_ids))
    return render_template("hr/run.html", run=run, defn=defn, states=states, total=total,
                           overdue_total=overdue_total, overdue=overdue, page=page, pages=pages,
                           closed=closed, closed_kinds=CLOSED_KINDS, elsewhere=elsewhere,
                           targets=_db().scalars(targets_stmt).all(), form=form or {}, form_error=form_error,
                           which=which, failures=failures), status


def _trigger_label(defn: CycleDefinition, trigger: str) -> str:
    transition = next((t for t in defn.transitions if t.trigger == trigger), None)
    return localized(transition.label) if transition is not None else trigger


CLOSED_KINDS = {"left": _l("keluar"), "transferred": _l("mutasi"), "duplicate": _l("ganda")}


def _run_form(run_id: int, fields: Iterable[str]) -> tuple[CycleRun, dict[str, str]]:
    return _covered_run(run_id), {name: request.form.get(name, "").strip() for name in fields}


def _appraisal_in_run(run: CycleRun, nip: str) -> Appraisal:
    """The open appraisal of the employee with this NIP in the run."""
    employee = find_employee(_db(), nip)
    found = _db().scalars(select(Appraisal).where(Appraisal.run_id == run.id, Appraisal.employee_id == employee.id,
                                                  Appraisal.closed_at.is_(None))).first()
    if found is None:
        raise NotFound(f"{employee.name} ({employee.nip}) has no open appraisal in run #{run.id}",
                       text={"id": _("%(name)s (%(nip)s) tidak punya penilaian terbuka di putaran #%(id)d.",
                                     name=employee.name, nip=employee.nip, id=run.id),
                             "en": f"{employee.name} ({employee.nip}) has no open appraisal in run #{run.id}."})
    return found


@bp.post("/putaran/<id:run_id>/pegawai")
def run_add_employee(run_id: int) -> Response | tuple[str, int]:
    """Add a joiner (a new employee, or one transferred in from outside Siklus' runs) to the run."""
    run, form = _run_form(run_id, ("nip", "alasan"))
    try:
        added = add_employee(_db(), run.id, form["nip"], _actor(), reason=form["alasan"])
    except SiklusError as exc:
        _db().rollback()
        return _run_page(_covered_run(run_id), status=exc.http_status, form=form, form_error=error_text(exc),
                         which="tambah")
    flash(_("Penilaian untuk %(name)s (%(nip)s) dimulai di putaran ini.", name=added.employee.name,
            nip=added.employee.nip), "success")
    return redirect(url_for("hr.run_progress", run_id=run.id))


@bp.post("/putaran/<id:run_id>/tutup")
def run_close_appraisal(run_id: int) -> Response | tuple[str, int]:
    """Close the appraisal of an employee who left (or moved outside Siklus' runs); audited with the reason."""
    run, form = _run_form(run_id, ("nip", "jenis", "alasan"))
    try:
        kind = form["jenis"] if form["jenis"] in CLOSE_KINDS else "left"
        closed = close_appraisal(_db(), _appraisal_in_run(run, form["nip"]).id, _actor(), kind=kind,
                                 reason=form["alasan"])
    except SiklusError as exc:
        _db().rollback()
        return _run_page(_covered_run(run_id), status=exc.http_status, form=form, form_error=error_text(exc),
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
            raise InvalidInput("choose the run of the new unit",
                               text={"id": _("Pilih putaran unit tujuan."), "en": "Choose the run of the new unit."})
        _old, new = transfer_employee(_db(), _appraisal_in_run(run, form["nip"]).id, target, _actor(),
                                      reason=form["alasan"])
    except SiklusError as exc:
        _db().rollback()
        return _run_page(_covered_run(run_id), status=exc.http_status, form=form, form_error=error_text(exc),
                         which="mutasi")
    flash(_("%(name)s (%(nip)s) dipindahkan ke putaran #%(id)d; penilaian di sini ditutup.",
            name=new.employee.name, nip=new.employee.nip, id=new.run_id), "success")
    return redirect(url_for("hr.run_progress", run_id=run.id))


def _days_late(due: datetime | None, now: datetime) -> int:
    return max((now - due).days, 0) if due is not None else 0


# -- calibration ------------------------------------------------------------------------------

@dataclass
class Bar:
    """One predicate in the distribution chart (geometry in the SVG's own units)."""

    label: str
    count: int
    percent: float
    y: int
    width: float
    limits: list[dict[str, Any]]


CHART_LEFT, CHART_WIDTH, CHART_ROW = 130, 170, 34


def _bars(counts: Mapping[str, int], total: int, limits: list[dict[str, Any]],
          violations: list[dict[str, Any]]) -> list[Bar]:
    """Bars per predicate with the percent bounds the curve sets on that predicate alone."""
    broken = {(tuple(v["predicates"]), v["limit"]) for v in violations}
    bars = []
    for index, label in enumerate(labels_of(EMPLOYEE_PREDICATE)):
        n = counts.get(label, 0)
        percent = n * 100 / total if total else 0.0
        marks = [{"x": CHART_LEFT + CHART_WIDTH * limit[kind] / 100, "kind": kind, "bound": limit[kind],
                  "broken": (tuple(limit["predicates"]), kind) in broken}
                 for limit in limits if limit["predicates"] == [label]
                 for kind in ("at_most_percent", "at_least_percent") if kind in limit]
        bars.append(Bar(label, n, percent, 10 + index * CHART_ROW, CHART_WIDTH * percent / 100, marks))
    return bars


@bp.get("/putaran/<id:run_id>/kalibrasi")
def calibration(run_id: int) -> str:
    """A unit's predicate distribution in a run against the curve of its recorded organisation predicate, or of
    a predicate chosen to see what if (labelled so); before ratings are confirmed as after."""
    run = _covered_run(run_id)
    defn = definition_of(run.definition)
    scope = _scope()
    units = _unit_tree(scope, under=run.unit_id)
    unit_id = query_id(request.args, "unit") or run.unit_id
    if unit_id not in {u.id for u in units}:
        raise Forbidden(_("Unit ini bukan bagian dari putaran ini atau di luar cakupan SDM Anda."))
    ticked = request.args.getlist("sub")  # a hidden "0" comes first so an unticked box is told from no form
    with_subunits = "1" in ticked if ticked else True
    unit_ids = unit_and_descendants(_db(), unit_id) if with_subunits else [unit_id]
    found = unit_calibration(_db(), run, unit_ids, unit_id, request.args.get("predikat_unit") or None,
                             request.args.get("periode") or None)
    context: dict[str, Any] = {"run": run, "defn": defn, "units": units, "unit_id": unit_id, "sub": with_subunits,
                               "unit_predicates": unit_predicate_labels(defn), "unit_predicate": found.predicate or "",
                               "decision": found.decision, "what_if": found.what_if, "periods": found.periods,
                               "period": found.period,
                               "chart": {"left": CHART_LEFT, "width": CHART_WIDTH, "row": CHART_ROW}}
    if not found.result_names:
        return render_template("hr/calibration.html", no_predicate=True, **context)
    context.update(no_predicate=False, appraisals=found.appraisals, rated=found.rated, result_names=found.result_names)
    if found.outcome is None:
        return render_template("hr/calibration.html", outcome=None, rule_error=found.rule_error, **context)
    details = found.outcome.details or {}
    bars = _bars(details.get("counts", {}), details.get("employees", 0), found.limits, details.get("violations", []))
    return render_template("hr/calibration.html", outcome=found.outcome, details=details, bars=bars,
                           violations=details.get("violations", []), limits=found.limits, **context)


__all__ = ["bp", "semantic_changes", "source_lines", "unified_diff"]
