"""Screens of periodic checkpoints: the timeline on the appraisal page and the forms that add to it.

Each form posts to one route that parses the input, calls one engine service
(:mod:`engine.checkpoints.service`) and goes back to the checkpoint on the appraisal page, with the
outcome or the refusal in the reader's language. The engine checks everything again; a refused entry
writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from engine.checkpoints import service
from engine.checkpoints.evidence import file_report_with_evidence, report_evidence_file
from engine.checkpoints.periods import checkpoint_label
from engine.checkpoints.timeline import SeriesView, checkpoint_timeline
from engine.definition import CycleDefinition
from engine.errors import Forbidden, InvalidInput, NotFound, SiklusError
from engine.evidence import MAX_EVIDENCE, EvidenceStore, Upload
from engine.messages import Message
from engine.models import Appraisal
from engine.permissions import Actor
from engine.policy import Policy
from web.appraisals.common import opened
from web.context import current_actor, db_session, unit_of_work
from web.errors import error_text
from web.filters import current_language, localized
from web.forms import PayloadField, number_text, payload_fields, payload_from
from web.inputs import query_id, send_stored

bp = Blueprint("checkpoints", __name__)


def page_context(session: Session, policy: Policy, defn: CycleDefinition, appraisal: Appraisal) -> dict[str, Any]:
    """What the appraisal page needs to show the checkpoints and their forms."""
    timeline = checkpoint_timeline(session, policy, defn, appraisal)
    return {"checkpoint_series": timeline, "checkpoint_rating_fields": rating_fields(timeline)}


def rating_fields(timeline: list[SeriesView]) -> dict[str, tuple[PayloadField, ...]]:
    """The inputs of each series' periodic rating form, from its payload schema."""
    lang = current_language()
    return {s.id: payload_fields(s.series.rating_schema, lang) for s in timeline}


def _anchor(name: str) -> str:
    return "tp-" + name.replace(".", "-")


def _entry(appraisal_id: int, name: str, done: str, record: Callable[[Session, Actor], object]) -> Response:
    """Run one entry; back to the checkpoint with what happened (a refusal rolled back: nothing was saved).
    Someone who may not open the appraisal gets 403 (404 for no such appraisal), as on its page."""
    opened(appraisal_id)
    try:
        with unit_of_work() as session:
            record(session, current_actor())
    except SiklusError as exc:
        flash(error_text(exc), "error")
    else:
        flash(done, "success")
    return redirect(url_for("appraisals.show", appraisal_id=appraisal_id, _anchor=_anchor(name)), 303)


def _version() -> int | None:
    """The version the form was read at; None when absent or not an id ('²' is a digit to isdigit, not to int)."""
    return query_id(request.form, "version")


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/realisasi")
@login_required
def realisation(appraisal_id: int, name: str) -> Response:
    def record(session: Session, actor: Actor) -> object:
        raw = number_text(request.form.get("value", ""), current_language())
        try:
            value = float(raw)
        except ValueError:
            raise InvalidInput(Message("form.realisation_number")) from None
        return service.record_checkpoint_realisation(
            session, appraisal_id, actor, name, request.form.get("indicator", ""), value,
            note=request.form.get("note", "").strip(), expected_version=_version())
    return _entry(appraisal_id, name, _("Realisasi dicatat."), record)


def _store() -> EvidenceStore:
    return EvidenceStore(Path(current_app.config["UPLOAD_FOLDER"]))


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/laporan")
@login_required
def report(appraisal_id: int, name: str) -> Response:
    file = request.files.get("evidence")
    upload = (Upload(secure_filename(file.filename), file.stream.read(MAX_EVIDENCE + 1))
              if file is not None and file.filename else None)
    return _entry(appraisal_id, name, _("Laporan dikirim."), lambda session, actor: file_report_with_evidence(
        session, _store(), appraisal_id, actor, name, request.form.get("text", ""), upload,
        expected_version=_version()))


@bp.get("/penilaian/<id:appraisal_id>/titik-pantau/bukti/<id:entry_id>")
@login_required
def evidence(appraisal_id: int, entry_id: int) -> Response:
    """A report's evidence file, for someone who may open the appraisal."""
    try:
        found = report_evidence_file(db_session(), _store(), current_actor(), appraisal_id, entry_id)
    except (NotFound, Forbidden):
        abort(404)
    return send_stored(found)


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/tanggapan")
@login_required
def feedback(appraisal_id: int, name: str) -> Response:
    return _entry(appraisal_id, name, _("Tanggapan disimpan."), lambda session, actor: service.give_feedback(
        session, appraisal_id, actor, name, request.form.get("text", ""), expected_version=_version()))


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/penilaian")
@login_required
def rating(appraisal_id: int, name: str) -> Response:
    opened(appraisal_id)
    series = service.series_of(db_session(), appraisal_id, name)
    schema = series.rating_schema if series is not None else None
    payload = payload_from(payload_fields(schema, current_language()), request.form, current_language())
    return _entry(appraisal_id, name, _("Penilaian periodik disimpan."), lambda session, actor: (
        service.rate_checkpoint(session, appraisal_id, actor, name, payload, expected_version=_version())))


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/penilaian-diri")
@login_required
def self_assessment(appraisal_id: int, name: str) -> Response:
    answers = {key.removeprefix("q-"): value for key, value in request.form.items() if key.startswith("q-")}
    return _entry(appraisal_id, name, _("Penilaian diri dikirim."), lambda session, actor: (
        service.submit_self_assessment(session, appraisal_id, actor, name, answers, expected_version=_version())))


# -- the history -------------------------------------------------------------------------------

HISTORY_TITLES = {
    "report": lambda when: _("Laporan %(when)s dikirim", when=when),
    "feedback": lambda when: _("Tanggapan atas %(when)s", when=when),
    "rating": lambda when: _("Penilaian periodik %(when)s", when=when),
    "self_assessment": lambda when: _("Penilaian diri %(when)s", when=when),
    "closed": lambda when: _("%(when)s ditutup", when=when),
}


def _label(defn: CycleDefinition, name: str) -> str:
    series_id, _dot, key = name.partition(".")
    series = defn.checkpoint_series(series_id)
    return localized(checkpoint_label(series, key)) if series is not None else name


def history_title(defn: CycleDefinition, payload: Mapping[str, Any]) -> str:
    """What a checkpoint event is called in the history: «Laporan Maret 2026 dikirim»."""
    title = HISTORY_TITLES.get(str(payload.get("entry")))
    when = _label(defn, str(payload.get("checkpoint") or ""))
    return title(when) if title is not None else when


def history_detail(defn: CycleDefinition, kind: str, payload: Mapping[str, Any]) -> str:
    """The text a checkpoint event carries, as the history shows it (the report, the response, the answers)."""
    if kind == "realisation":
        return _("untuk %(when)s", when=_label(defn, str(payload["checkpoint"]))) if payload.get("checkpoint") else ""
    parts = [str(payload.get("text") or "")]
    answers = payload.get("answers")
    if isinstance(answers, Mapping):
        parts += [f"{key}: {value}" for key, value in answers.items() if key != "catatan" and value not in (None, "")]
    return " · ".join(p for p in parts if p)
