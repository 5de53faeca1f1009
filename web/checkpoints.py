"""Screens of periodic checkpoints: the timeline on the appraisal page and the forms that add to it.

Each form posts to one route that parses the input, calls one engine service
(:mod:`engine.checkpoints.service`) and goes back to the checkpoint on the appraisal page, with the
outcome or the refusal in the reader's language. The engine checks everything again; a refused entry
writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from engine.checkpoints.evidence import report_evidence_file
from engine.checkpoints.periods import checkpoint_label
from engine.checkpoints.timeline import SeriesView, checkpoint_timeline
from engine.definition import CycleDefinition
from engine.errors import Forbidden, NotFound
from engine.evidence import EvidenceStore
from engine.models import Appraisal
from engine.policy import Policy
from web.context import current_actor, db_session
from web.filters import current_language, localized
from web.forms import PayloadField, payload_fields
from web.inputs import send_stored

bp = Blueprint("checkpoints", __name__)


def entry_form(name: str, kind: str) -> str:
    """The name a checkpoint's form has in a refused attempt (see web.checkpoint_forms)."""
    return f"cp:{name}:{kind}"


def page_context(session: Session, policy: Policy, defn: CycleDefinition, appraisal: Appraisal) -> dict[str, Any]:
    """What the appraisal page needs to show the checkpoints and their forms."""
    timeline = checkpoint_timeline(session, policy, defn, appraisal)
    return {"checkpoint_series": timeline, "checkpoint_rating_fields": rating_fields(timeline)}


def rating_fields(timeline: list[SeriesView]) -> dict[str, tuple[PayloadField, ...]]:
    """The inputs of each series' periodic rating form, from its payload schema."""
    lang = current_language()
    return {s.id: payload_fields(s.series.rating_schema, lang) for s in timeline}


def evidence_store() -> EvidenceStore:
    """Where this app keeps checkpoint evidence (``UPLOAD_FOLDER``)."""
    return EvidenceStore(Path(current_app.config["UPLOAD_FOLDER"]))


@bp.get("/penilaian/<id:appraisal_id>/titik-pantau/bukti/<id:entry_id>")
@login_required
def evidence(appraisal_id: int, entry_id: int) -> Response:
    """A report's evidence file, for someone who may open the appraisal."""
    try:
        found = report_evidence_file(db_session(), evidence_store(), current_actor(), appraisal_id, entry_id)
    except (NotFound, Forbidden):
        abort(404)
    return send_stored(found)


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
