"""HR screens for cycle definitions: paste or upload a cycle file and see every problem on its line, read
a definition (roles, states, transitions, its diagram and source), publish or retire a version, and
compare two versions. Definitions are shared by the whole installation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from engine.definition import CycleDefinition, DeadlineDef
from engine.errors import DefinitionError, Problem, SiklusError
from engine.graph import to_svg
from engine.limits import CYCLE_FILE, parse_id, upload_name
from engine.models import CycleDefinitionRecord
from engine.ownership import AsFound, cycle_ownership, owner_choices
from engine.progress import appraisals_per_definition, definition_records
from engine.registry import ImmutableDefinitionError, definition_of, get_record, publish, retire, save_draft
from engine.versions import LINE_BREAK, compare_versions, versions_of
from web.context import current_actor as _actor
from web.context import current_hr_scope as _scope
from web.context import db_session as _db
from web.context import unit_of_work
from web.errors import error_text
from web.filters import current_language, localized
from web.hr.blueprint import bp
from web.inputs import query_id

MAX_SOURCE_BYTES = CYCLE_FILE.max_bytes
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
# The moments a deadline may be tied to (``at:`` in the cycle file), and the kinds of edit a state opens.
DEADLINE_MOMENTS = {"period_start": _l("awal periode"), "period_end": _l("akhir periode")}
EDIT_KIND_LABELS = {"skp": _l("SKP"), "realisation": _l("realisasi"), "feedback": _l("umpan balik"),
                    "development": _l("pengembangan kompetensi"), "cascade": _l("IKI tim (cascading)"),
                    "expectation": _l("ekspektasi khusus pimpinan")}
# The parts of a cycle a comparison reports, by the keys engine.versions.PARTS uses.
PART_HEADINGS = {"roles": _l("Peran"), "states": _l("Tahap (states)"), "transitions": _l("Transisi"),
                 "indicators": _l("Indikator"), "results": _l("Hasil (results)"), "feedback": _l("Umpan balik")}


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
        name = upload_name(upload.filename, "siklus")
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
        return Posted(text, "tempelan.yaml", _(
            "Teks yang ditempel lebih besar dari %(kib)d KiB; berkas siklus jauh lebih kecil.",
                                               kib=MAX_SOURCE_BYTES // 1024))
    return Posted(text, "tempelan.yaml")



# -- definitions -----------------------------------------------------------------------------

@bp.get("/siklus")
def cycles() -> str:
    """Every stored cycle with its versions, newest first."""
    grouped: dict[str, list[CycleDefinitionRecord]] = {}
    for record in definition_records(_db()):
        grouped.setdefault(record.cycle_id, []).append(record)
    return render_template("hr/cycles.html", grouped=grouped, counts=appraisals_per_definition(_db(), _scope()),
                           status=STATUS)


#: The owner field's value for the whole organisation (a unit is given by its id).
WHOLE_ORGANISATION = "organisasi"


def _chosen_owner() -> int | None | type[AsFound]:
    """The owner picked on the form for a new cycle: a unit id, None for the whole organisation, or
    :class:`AsFound` when none was picked. A value naming no unit is passed on as 0, which no one covers."""
    raw = request.form.get("pemilik", "")
    if not raw:
        return AsFound
    if raw == WHOLE_ORGANISATION:
        return None
    return parse_id(raw) or 0


def _form(status: int = 200, *, source: str = "", lines: list[SourceLine] | None = None,
          problems: list[tuple[Problem, int]] | None = None, error: str | None = None,
          filename: str | None = None) -> tuple[str, int]:
    """The upload form, as filled in (the text and the chosen owner kept), with its problems or refusal."""
    owners = owner_choices(_db(), _actor())
    chosen = request.form.get("pemilik", "") if request.method == "POST" else ""
    return render_template("hr/cycle_new.html", source=source, lines=lines or [], problems=problems or [],
                           error=error, filename=filename, owners=owners, chosen=chosen,
                           whole=WHOLE_ORGANISATION), status


@bp.route("/siklus/baru", methods=["GET", "POST"])
def new_cycle() -> Response | tuple[str, int]:
    """Paste or upload a cycle file; show every problem on its line, or save it as a draft. An officer who may
    give a new cycle more than one owner (units of several HR grants) picks it; a new version keeps its owner."""
    if request.method == "GET":
        return _form()
    posted = _posted_source()
    if posted.error:
        return _form(422, source=posted.source, error=posted.error)
    try:
        with unit_of_work() as session:
            record = save_draft(session, posted.source, posted.filename, _actor(), owner=_chosen_owner())
    except DefinitionError as exc:
        lines = source_lines(posted.source, exc.problems)
        anchored = [(p, _problem_anchor(p, len(lines))) for p in exc.problems]
        return _form(422, source=posted.source, lines=lines, problems=anchored, filename=posted.filename)
    except ImmutableDefinitionError as exc:
        return _form(409, source=posted.source, error=_(
            "Versi ini sudah diterbitkan dengan isi yang berbeda, dan versi terbit tidak pernah berubah. "
            "Naikkan nilai 'version' di berkas lalu simpan lagi. (%(detail)s)", detail=exc.message))
    except SiklusError as exc:  # a cycle another unit owns, an owner the officer does not cover: keep the text
        return _form(exc.http_status, source=posted.source, error=error_text(exc))
    if record.status == "draft":
        flash(_("Tersimpan sebagai draf versi %(version)d. Periksa lalu terbitkan.", version=record.version), "success")
    else:
        flash(_("Isi berkas ini sama persis dengan versi %(version)d yang sudah %(status)s; tidak ada yang disimpan.",
                version=record.version, status=STATUS[record.status]), "info")
    return redirect(url_for("hr.cycle", record_id=record.id))


def _deadline_text(defn: CycleDefinition, deadline: DeadlineDef | None) -> str:
    if deadline is None:
        return "–"
    if deadline.within is not None:
        when = _("dalam %(duration)s", duration=str(deadline.within))
    else:
        when = _("pada %(moment)s", moment=str(DEADLINE_MOMENTS.get(deadline.at or "", deadline.at or "")))
        if deadline.offset is not None:
            when += f" + {deadline.offset}"
    if deadline.then == "fire":
        fired = next((t.label for t in defn.transitions if t.trigger == deadline.fire), None)
        action = _("otomatis «%(trigger)s»", trigger=localized(fired) if fired else deadline.fire or "")
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
    versions = versions_of(_db(), record.cycle_id)
    states = [{
        "name": s.name, "label": localized(s.label), "stage": s.stage or "", "initial": s.initial, "final": s.final,
        "edit": "; ".join(f"{_role_text(defn, r)}: {', '.join(sorted(str(EDIT_KIND_LABELS.get(k, k)) for k in kinds))}"
                          for r, kinds in s.edit.items()),
        "deadline": _deadline_text(defn, s.deadline),
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
    count = appraisals_per_definition(_db(), _scope()).get(record.id, 0)
    owner, may_change = cycle_ownership(_db(), _actor(), record)
    return render_template("hr/cycle.html", record=record, defn=defn, versions=versions, states=states,
                           transitions=transitions, roles=roles, count=count, status=STATUS,
                           period=PERIOD_KINDS.get(defn.period), lines=source_lines(record.source),
                           owner=owner, may_change=may_change)


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
        with unit_of_work() as session:
            publish(session, record, _actor())
    except SiklusError as exc:
        flash(error_text(exc), "error")
    else:
        flash(_("Versi %(version)d diterbitkan: kini dapat diluncurkan dan tidak dapat diubah lagi.",
                version=record.version), "success")
    return redirect(url_for("hr.cycle", record_id=record_id))


@bp.post("/siklus/<id:record_id>/pensiunkan")
def retire_cycle(record_id: int) -> Response:
    record = get_record(_db(), record_id)
    try:
        with unit_of_work() as session:
            retire(session, record, _actor())
    except SiklusError as exc:
        flash(error_text(exc), "error")
    else:
        flash(_("Versi %(version)d dipensiunkan: tidak dapat diluncurkan lagi; "
                "penilaian yang berjalan tetap berlanjut.",
                version=record.version), "success")
    return redirect(url_for("hr.cycle", record_id=record_id))


# -- comparing two versions -------------------------------------------------------------------

def _version_arg(name: str) -> int | None:
    return query_id(request.args, name)


@bp.get("/siklus/<cycle_id>/banding")
def compare_cycle(cycle_id: str) -> str | tuple[str, int]:
    """Two versions of a cycle side by side: the summary of what changed, then the line diff."""
    found = compare_versions(_db(), cycle_id, _version_arg("dari"), _version_arg("ke"))
    parts = [(str(PART_HEADINGS[key]), changes) for key, changes in found.parts]
    return render_template("hr/cycle_compare.html", same=found.same, top=found.top, parts=parts, diff=found.diff,
                           cycle_id=cycle_id, versions=found.versions, old=found.old, new=found.new, status=STATUS)


__all__ = ["bp", "source_lines"]
