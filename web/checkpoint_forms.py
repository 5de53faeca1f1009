"""The forms that add to a periodic checkpoint (realisation, report, feedback, periodic rating, self-assessment).

Each posts to one route that parses the input and calls one engine service (:mod:`engine.checkpoints.service`),
then goes back to the checkpoint on the appraisal page. A refused entry writes nothing and shows the page
again with the reason beside its form and what was typed kept (a quarter's report can be long). The routes
belong to :data:`web.checkpoints.bp`; the timeline they add to is read there.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from engine.checkpoints import service
from engine.checkpoints.evidence import file_report_with_evidence
from engine.errors import SiklusError
from engine.evidence import MAX_EVIDENCE, Upload
from engine.messages import Message
from engine.permissions import Actor
from web.appraisals.common import opened
from web.appraisals.page import posted_number, refused
from web.checkpoints import bp, entry_form, evidence_store
from web.context import current_actor, db_session, unit_of_work
from web.filters import current_language
from web.forms import payload_fields, payload_from
from web.inputs import query_id


def _anchor(name: str) -> str:
    return "tp-" + name.replace(".", "-")


def _entry(appraisal_id: int, name: str, kind: str, done: str,
           record: Callable[[Session, Actor], object]) -> Response | tuple[str, int]:
    """Run one entry; back to the checkpoint with what happened. A refusal rolled back (nothing was saved) shows
    the page again with the reason beside the form (``cp:<name>:<kind>``) and what was typed in it.
    Someone who may not open the appraisal gets 403 (404 for no such appraisal), as on its page."""
    opened(appraisal_id)
    try:
        with unit_of_work() as session:
            record(session, current_actor())
    except SiklusError as exc:
        kept = {key: value for key, value in request.form.items() if key not in ("csrf_token", "version")}
        return refused(appraisal_id, entry_form(name, kind), exc, kept)
    flash(done, "success")
    return redirect(url_for("appraisals.show", appraisal_id=appraisal_id, _anchor=_anchor(name)), 303)


def _version() -> int | None:
    """The version the form was read at; None when absent or not an id ('²' is a digit to isdigit, not to int)."""
    return query_id(request.form, "version")


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/realisasi")
@login_required
def realisation(appraisal_id: int, name: str) -> Response | tuple[str, int]:
    def record(session: Session, actor: Actor) -> object:
        value = posted_number(request.form.get("value", ""), Message("form.realisation_number"))
        return service.record_checkpoint_realisation(
            session, appraisal_id, actor, name, request.form.get("indicator", ""), value,
            note=request.form.get("note", "").strip(), expected_version=_version())
    return _entry(appraisal_id, name, "realisation", _("Realisasi dicatat."), record)


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/laporan")
@login_required
def report(appraisal_id: int, name: str) -> Response | tuple[str, int]:
    file = request.files.get("evidence")
    upload = (Upload(file.filename, file.stream.read(MAX_EVIDENCE + 1))
              if file is not None and file.filename else None)
    return _entry(appraisal_id, name, "report", _("Laporan dikirim."), lambda session, actor: file_report_with_evidence(
        session, evidence_store(), appraisal_id, actor, name, request.form.get("text", ""), upload,
        expected_version=_version()))


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/tanggapan")
@login_required
def feedback(appraisal_id: int, name: str) -> Response | tuple[str, int]:
    return _entry(appraisal_id, name, "feedback", _("Tanggapan disimpan."), lambda session, actor: (
        service.give_feedback(session, appraisal_id, actor, name, request.form.get("text", ""),
                              expected_version=_version())))


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/penilaian")
@login_required
def rating(appraisal_id: int, name: str) -> Response | tuple[str, int]:
    opened(appraisal_id)
    series = service.series_of(db_session(), appraisal_id, name)
    schema = series.rating_schema if series is not None else None
    payload = payload_from(payload_fields(schema, current_language()), request.form, current_language())
    return _entry(appraisal_id, name, "rating", _("Penilaian periodik disimpan."), lambda session, actor: (
        service.rate_checkpoint(session, appraisal_id, actor, name, payload, expected_version=_version())))


@bp.post("/penilaian/<id:appraisal_id>/titik-pantau/<name>/penilaian-diri")
@login_required
def self_assessment(appraisal_id: int, name: str) -> Response | tuple[str, int]:
    answers = {key.removeprefix("q-"): value for key, value in request.form.items() if key.startswith("q-")}
    return _entry(appraisal_id, name, "self_assessment", _("Penilaian diri dikirim."), lambda session, actor: (
        service.submit_self_assessment(session, appraisal_id, actor, name, answers, expected_version=_version())))
