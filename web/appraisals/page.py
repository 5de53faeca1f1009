"""The appraisal page: what the person may see of one appraisal (its read model, rendered), one form
per transition they may fire now, the SKP editor, realisation with evidence, and development.

A refused or failed step shows the page again with the input kept and the engine's reason next to the form.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.appraisals import AvailableTransition, preview_results, record_development, set_skp, set_team_skp
from engine.appraisals import fire_transition as fire_in_engine
from engine.appraisals.edits import may_not_edit
from engine.appraisals.firing import check_payload
from engine.definition import CycleDefinition, TransitionDef
from engine.detail import Action, AppraisalDetail, irreversible, previewable
from engine.errors import Forbidden, InvalidInput, InvalidPayload, NotFound, SiklusError
from engine.evidence import (
    MAX_EVIDENCE,
    MAX_EVIDENCE_MB,
    EvidenceStore,
    Upload,
    evidence_file,
    record_realisation_with_evidence,
)
from engine.expectations import set_expectations
from engine.feedback import give_feedback, questions_of
from engine.messages import Message
from engine.policy import leader_roles
from engine.runtime import compiled
from web.appraisals.common import Attempt, bp, open_detail, opened, opened_for_feedback, state_label
from web.appraisals.feedback import feedback_form, feedback_window, render_feedback
from web.appraisals.guidance import guidance_view
from web.appraisals.present import (
    SKP_FIELDS,
    appeal_view,
    editor_rows,
    gap_rows,
    history_rows,
    indicator_names,
    keep_locked,
    missing_text,
    result_rows,
    skp_rows,
    stage_text,
    weak_point_names,
)
from web.cascade import page_context as cascade_page
from web.checkpoints import rating_fields, waiting_texts
from web.context import current_actor, current_policy, db_session, unit_of_work
from web.errors import error_text
from web.filters import current_language, localized
from web.forms import (
    PayloadField,
    feedback_answers_from,
    field_messages,
    labelled,
    number_text,
    payload_fields,
    payload_from,
    posted_values,
)
from web.inputs import query_id, send_stored

ASPECTS = ("kuantitas", "kualitas", "waktu")
CONFIRM_FIELD = "konfirmasi"  # the checkbox an irreversible step must be posted with (no JavaScript needed)


@dataclass(frozen=True)
class ActionForm:
    """A transition form on the page: what the engine says may be fired, with the fields of its payload."""

    available: AvailableTransition
    closes_at: datetime | None
    previews: tuple[str, ...]
    fields: tuple[PayloadField, ...]
    irreversible: bool = False  # asks for a ticked confirmation (CONFIRM_FIELD) before firing

    @classmethod
    def of(cls, action: Action, lang: str) -> ActionForm:
        return cls(action.available, action.closes_at, action.previews,
                   payload_fields(action.available.transition.payload_schema, lang), action.irreversible)


def render_page(appraisal_id: int, attempt: Attempt | None = None, status: int = 200,
                skp_editor: list[dict[str, Any]] | None = None) -> tuple[str, int]:
    """The appraisal page for the logged-in person, with a refused attempt shown again when given."""
    detail = open_detail(appraisal_id)
    g.page_url = url_for("appraisals.show", appraisal_id=appraisal_id)
    defn, appraisal = detail.defn, detail.appraisal
    cascade = cascade_page(detail)
    # The leader sets the team's IKI in the same editor (the cascade).
    can = {**detail.can_edit, "skp": detail.can_edit["skp"] or cascade["team_skp"]}
    lang = current_language()
    indicators = skp_rows(detail.skp)
    # The leader's IKI are locked in the editor of anyone who does not edit as the leader (engine refuses too).
    leaders = leader_roles(defn)
    stored = editor_rows(detail.skp, () if set(detail.roles) & set(leaders) else leaders)
    editor = stored if skp_editor is None else keep_locked(skp_editor, stored)
    if can["skp"] and skp_editor is None:
        editor.append(dict.fromkeys(SKP_FIELDS, ""))
    suppliable = set(detail.realisable)
    html = render_template(
        "appraisal.html",
        detail=detail, appraisal=appraisal, defn=defn, state=detail.state, employee=appraisal.employee,
        stage=stage_text(detail),
        roles=[localized(defn.roles[r].label) for r in detail.roles if r in defn.roles],
        actions=[ActionForm.of(a, lang) for a in detail.actions],
        attempt=attempt, can=can, indicators=indicators, editor_rows=editor, aspects=ASPECTS,
        **cascade,
        realisable=[r for r in indicators if r["key"] in suppliable],
        results=result_rows(detail.results, defn, indicator_names(detail)), history=history_rows(detail),
        development=detail.development, max_evidence_mb=MAX_EVIDENCE_MB,
        weak_point_names=weak_point_names(detail, defn),
        feedback_forms=[feedback_form(w, detail.feedback.own_answers.get(w.id), attempt)
                        for w in detail.feedback.answerable],
        feedback=detail.feedback.summaries, appeal=appeal_view(detail.appeal), gaps=gap_rows(detail),
        guidance=guidance_view(detail.next_steps), confirm_field=CONFIRM_FIELD,
        **checkpoint_context(detail),
    )
    return html, status


def checkpoint_context(detail: AppraisalDetail) -> dict[str, Any]:
    """The checkpoints, their rating forms, and what each periodic result waits for by name."""
    series = list(detail.checkpoints)
    fields = rating_fields(series)
    return {"checkpoint_series": series, "checkpoint_rating_fields": fields,
            "checkpoint_waiting": waiting_texts(series, fields, indicator_names(detail))}


@bp.get("/penilaian/<id:appraisal_id>")
@login_required
def show(appraisal_id: int) -> tuple[str, int]:
    return render_page(appraisal_id)


def _version() -> int | None:
    return query_id(request.form, "version")


def refused(appraisal_id: int, form: str, exc: SiklusError, values: dict[str, Any] | None = None,
            field_errors: dict[str, str] | None = None,
            skp_editor: list[dict[str, Any]] | None = None) -> tuple[str, int]:
    """Show the page again after the engine refused a step (its unit of work rolled back: nothing changed)."""
    attempt = Attempt(form, error_text(exc), values or {}, field_errors or {})
    return render_page(appraisal_id, attempt, exc.http_status, skp_editor=skp_editor)


@bp.post("/penilaian/<id:appraisal_id>/aksi/<trigger>")
@login_required
def fire(appraisal_id: int, trigger: str) -> Response | tuple[str, int]:
    found = opened(appraisal_id)
    defn = found.defn
    transition = defn.transition(trigger, found.appraisal.state) or next(
        (t for t in defn.transitions if t.trigger == trigger), None)
    if transition is None:
        abort(404)
    fields = payload_fields(transition.payload_schema, current_language())
    payload = payload_from(fields, request.form, current_language())
    if "preview" in request.form and previewable(defn, transition):
        return _preview(appraisal_id, defn, transition, fields, payload)
    kept = {**posted_values(fields, request.form), CONFIRM_FIELD: request.form.get(CONFIRM_FIELD, "")}
    try:
        if (irreversible(defn, transition) and request.form.get(CONFIRM_FIELD) != "1"
                and current_policy().can_fire(defn, transition, found.appraisal.employee)):
            # Asked only of someone who may take the step; anyone else meets the engine's refusal (403) below.
            # What is missing or wrong in the form is said first, with the box to tick; nothing is fired.
            check_payload(compiled(defn), transition, payload)
            unconfirmed = Attempt(f"fire:{trigger}", _("Langkah ini tidak dapat dibatalkan. Centang konfirmasi "
                                                       "terlebih dahulu bila Anda yakin."), kept)
            return render_page(appraisal_id, unconfirmed, 422)
        with unit_of_work() as session:
            outcome = fire_in_engine(session, appraisal_id, trigger, current_actor(), payload,
                                     expected_version=_version())
    except InvalidPayload as exc:
        messages, loose = field_messages(fields, exc.errors)
        exc.msg = labelled(fields, exc.msg) or Message("not_allowed")
        attempt_exc = exc if not loose else InvalidInput("; ".join(loose), msg=exc.msg)
        return refused(appraisal_id, f"fire:{trigger}", attempt_exc, kept, messages)
    except SiklusError as exc:
        return refused(appraisal_id, f"fire:{trigger}", exc, kept)
    flash(_("%(action)s: penilaian kini pada tahap «%(state)s».", action=localized(transition.label),
            state=state_label(defn, outcome.to_state)), "success")
    for warning in outcome.warnings:
        flash(_("Perhatian: %(warning)s", warning=localized(warning)), "warning")
    return redirect(url_for(".show", appraisal_id=appraisal_id))


def _preview(appraisal_id: int, defn: CycleDefinition, transition: TransitionDef,
             fields: tuple[PayloadField, ...], payload: dict[str, Any]) -> tuple[str, int]:
    """The results the transition would compute with what is typed so far; nothing is saved."""
    names, saved_as = previewable(defn, transition), transition.save_as or ""
    try:
        computed = preview_results(db_session(), appraisal_id, current_actor(), names, {saved_as: payload})
    except SiklusError as exc:
        return refused(appraisal_id, f"fire:{transition.trigger}", exc, posted_values(fields, request.form))
    shown = [{"label": localized(defn.results[name].label), "value": c.get("value"),
              "explanation": localized(c.get("explanation")),
              "missing": [missing_text(m, defn, result=name) for m in c.get("missing") or []]}
             for name, c in computed.items()]
    attempt = Attempt(f"fire:{transition.trigger}", "", posted_values(fields, request.form), preview=shown)
    return render_page(appraisal_id, attempt)


# -- SKP -------------------------------------------------------------------------------------------

_RANGE = re.compile(r"^\s*(\d[\d.,]*)\s*[-–]\s*(\d[\d.,]*)\s*$")


def _posted_skp_rows() -> list[dict[str, str]]:
    """The editor's rows as typed (fields iki-<n>-<name>); rows marked for removal are dropped."""
    # ASCII digits, a few of them: int() of 5,000 digits fails, and iki-٣- is not the field iki-3- read below.
    numbers = sorted({int(m.group(1)) for name in request.form if (m := re.match(r"iki-([0-9]{1,6})-", name))})
    return [{k: request.form.get(f"iki-{n}-{k}", "").strip() for k in SKP_FIELDS}
            for n in numbers if not request.form.get(f"iki-{n}-remove")]


def _skp_item(row: Mapping[str, str], lang: str) -> dict[str, Any]:
    """An editor row as set_skp takes it; a target "80 - 100" is a range."""
    item: dict[str, Any] = {k: v for k, v in row.items() if v != ""}
    target = row.get("target", "")
    if (m := _RANGE.match(target)) is not None:
        item["target"] = [number_text(m.group(1), lang), number_text(m.group(2), lang)]
    elif target:
        item["target"] = number_text(target, lang)
    if row.get("weight"):
        item["weight"] = number_text(row["weight"], lang)
    return item


@bp.post("/penilaian/<id:appraisal_id>/skp")
@login_required
def save_skp(appraisal_id: int) -> Response | tuple[str, int]:
    rows = _posted_skp_rows()
    filled = [r for r in rows if any(r.values())]
    if "add_row" in request.form:
        return render_page(appraisal_id, skp_editor=filled + [dict.fromkeys(SKP_FIELDS, "")])
    edit = set_team_skp if request.form.get("sebagai_atasan") else set_skp
    seen = _version()
    try:
        with unit_of_work() as session:
            saved = edit(session, appraisal_id, current_actor(), [_skp_item(r, current_language()) for r in filled],
                         expected_version=seen)
            unchanged = saved.version == seen
    except SiklusError as exc:
        return refused(appraisal_id, "skp", exc, skp_editor=filled or [dict.fromkeys(SKP_FIELDS, "")])
    if unchanged:
        flash(_("Tidak ada perubahan pada SKP; tidak ada yang disimpan."), "info")
    else:
        flash(_("SKP disimpan (%(count)d IKI).", count=len(filled)), "success")
    return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="skp"))


@bp.post("/penilaian/<id:appraisal_id>/ekspektasi")
@login_required
def save_expectations(appraisal_id: int) -> Response | tuple[str, int]:
    """The rater records the leader's behaviour expectations per BerAKHLAK value (ekspektasi khusus pimpinan)."""
    values = {k.removeprefix("ekspektasi-"): v for k, v in request.form.items() if k.startswith("ekspektasi-")}
    seen = _version()
    try:
        with unit_of_work() as session:
            saved = set_expectations(session, appraisal_id, current_actor(), values, expected_version=seen)
            unchanged = saved.version == seen
    except SiklusError as exc:
        return refused(appraisal_id, "expectation", exc, values)
    if unchanged:
        flash(_("Tidak ada perubahan pada ekspektasi khusus pimpinan; tidak ada yang disimpan."), "info")
    else:
        flash(_("Ekspektasi khusus pimpinan disimpan."), "success")
    return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="ekspektasi"))


# -- realisation and evidence ----------------------------------------------------------------------

def posted_number(text: str, refusal: Message) -> float:
    """A number typed in the page's language; ``refusal`` (a coded message) when it is none, and a refusal that
    says so when it is empty or too large to keep (``1e999`` read as infinity)."""
    if not text.strip():
        raise InvalidInput(Message("form.number_empty"))
    try:
        value = float(number_text(text, current_language()))
    except ValueError:
        raise InvalidInput(refusal.english(), msg=refusal) from None
    if not math.isfinite(value):
        raise InvalidInput(Message("form.number_huge", value=text.strip()[:40]))
    return value


def posted_jp(appraisal_id: int, text: str) -> float:
    """The JP typed on a development form. To someone who may not edit the appraisal's development now, that
    refusal comes first, not what was wrong with the number."""
    try:
        return posted_number(text, Message("form.jp_number"))
    except InvalidInput:
        found = opened(appraisal_id)
        if not found.policy.can_edit(found.defn, found.appraisal, "development"):
            raise may_not_edit(found.defn, found.appraisal, "development", found.policy) from None
        raise


def evidence_store() -> EvidenceStore:
    """Where this app keeps evidence files (``UPLOAD_FOLDER``)."""
    return EvidenceStore(Path(current_app.config["UPLOAD_FOLDER"]))


@bp.post("/penilaian/<id:appraisal_id>/realisasi")
@login_required
def save_realisation(appraisal_id: int) -> Response | tuple[str, int]:
    found = opened(appraisal_id)
    values = {k: request.form.get(k, "") for k in ("indicator", "value", "note")}
    if not found.policy.can_edit(found.defn, found.appraisal, "realisation"):
        abort(403)
    file = request.files.get("evidence")
    try:
        value = posted_number(values["value"], Message("form.realisation_number"))
        upload = None
        if file is not None and file.filename:
            upload = Upload(file.filename, file.stream.read(MAX_EVIDENCE + 1))
        with unit_of_work() as session:
            record_realisation_with_evidence(session, evidence_store(), appraisal_id, current_actor(),
                                             values["indicator"], value, note=values["note"].strip(), upload=upload,
                                             expected_version=_version())
    except SiklusError as exc:
        return refused(appraisal_id, "realisation", exc, values)
    flash(_("Realisasi dicatat."), "success")
    return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="skp"))


@bp.get("/penilaian/<id:appraisal_id>/bukti/<id:realisation_id>")
@login_required
def evidence(appraisal_id: int, realisation_id: int) -> Response:
    try:
        found = evidence_file(db_session(), evidence_store(), current_actor(), appraisal_id, realisation_id)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    return send_stored(found)


# -- feedback --------------------------------------------------------------------------------------

@bp.post("/penilaian/<id:appraisal_id>/umpan-balik/<window_id>")
@login_required
def save_feedback(appraisal_id: int, window_id: str) -> Response | tuple[str, int]:
    window = feedback_window(opened_for_feedback(appraisal_id, window_id).defn, window_id)
    ids = [q.id for q in questions_of(window)]
    answers = feedback_answers_from(request.form)
    comment = request.form.get("comment", "")
    back = request.form.get("back") == "appraisal"
    try:
        with unit_of_work() as session:
            give_feedback(session, appraisal_id, current_actor(), window_id, answers, comment)
    except SiklusError as exc:
        problems = exc.details.get("fields") or {}
        errors = {name: localized(text) for name, text in problems.items() if name in ids or name == "comment"}
        message = _("Isian belum lengkap atau belum benar; periksa kolom yang ditandai.") if errors else error_text(exc)
        attempt = Attempt(f"feedback:{window_id}", message, {**answers, "comment": comment}, errors)
        if back:
            return render_page(appraisal_id, attempt, exc.http_status)
        return render_feedback(appraisal_id, window_id, attempt, exc.http_status)
    flash(_("Umpan balik disimpan."), "success")
    if back:
        return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="umpan-balik"))
    return redirect(url_for(".feedback_page", appraisal_id=appraisal_id, window_id=window_id))


# -- development -----------------------------------------------------------------------------------

@bp.post("/penilaian/<id:appraisal_id>/pengembangan")
@login_required
def save_development(appraisal_id: int) -> Response | tuple[str, int]:
    title, jp_text, done = request.form.get("title", ""), request.form.get("jp", ""), "done" in request.form
    try:
        jp = posted_jp(appraisal_id, jp_text)
        with unit_of_work() as session:
            record_development(session, appraisal_id, current_actor(), title, jp, done=done)
    except SiklusError as exc:
        return refused(appraisal_id, "development", exc, {"title": title, "jp": jp_text, "done": done})
    flash(_("Kegiatan pengembangan dicatat."), "success")
    return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="pengembangan"))
