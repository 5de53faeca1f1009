"""Screens of periodic checkpoints: the timeline on the appraisal page and the forms that add to it.

Each form posts to one route that parses the input, calls one engine service
(:mod:`engine.checkpoints.service`) and goes back to the checkpoint on the appraisal page, with the
outcome or the refusal in the reader's language. The engine checks everything again; a refused entry
writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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
from engine.definition import CycleDefinition, ResultDef
from engine.errors import Forbidden, NotFound
from engine.evidence import EvidenceStore
from engine.models import Appraisal
from engine.policy import Policy
from rules.registry import UnknownRuleError, get_rule
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


#: A rule's input naming one IKI of its list: ``achievements[iki_2]`` (``work_results_rating`` waits so).
_ONE_ROW = re.compile(r"^\w+\[([^\]]+)\]")


def waiting_texts(timeline: list[SeriesView], fields: Mapping[str, tuple[PayloadField, ...]],
                  names: Mapping[str, str]) -> dict[str, list[str]]:
    """What each periodic result not computed yet waits for, by ``checkpoint/result``, each named as the reader
    knows it: a stored result keeps the rule's input keys (``work_results``), which mean nothing to them."""
    return {f"{cp.name}/{r.name}": [waiting_text(s, r.name, m, fields.get(s.id, ()), names) for m in r.missing]
            for s in timeline for cp in s.checkpoints for r in cp.results if r.value is None and r.missing}


def waiting_text(series: SeriesView, result: str, item: Any, fields: Sequence[PayloadField],
                 names: Mapping[str, str]) -> str:
    """One thing a periodic result waits for: the field of the rating form, the question, the other periodic
    result or the IKI its input reads, else the rule's description of the input; the key only when nothing
    names it."""
    if isinstance(item, dict):
        return localized(item)
    if isinstance(item, (list, tuple)) and item:
        return waiting_text(series, result, item[-1], fields, names)
    key = str(item)
    spec = series.series.results.get(result)
    path = spec.inputs.get(key) if spec is not None else None
    if isinstance(path, (list, tuple)) and path:
        path = path[0]
    head, part, rest = (path.split(".", 2) + ["", ""])[:3] if isinstance(path, str) else ("", "", "")
    named: str | None = None
    if head == "checkpoint" and part == "rating":
        named = next((f.label for f in fields if f.key == rest.split(".")[0]), None)
    elif head == "checkpoint" and part == "self_assessment":
        named = next((localized(q.label) for q in series.questions if q.id == rest.split(".")[0]), None)
    elif head == "checkpoint" and part == "results" and rest in series.series.results:
        named = localized(series.series.results[rest].label)
    elif head == "checkpoint" and part == "report":
        named = _("laporan periode ini")
    if named:
        return named
    found = _ONE_ROW.match(key)
    if found and found.group(1) in names:
        return names[found.group(1)]
    described = _described(spec, key) if spec is not None else None
    return localized(described) if described else key


def _described(spec: ResultDef, key: str) -> Mapping[str, str] | None:
    """The rule's own description of input ``key`` ({id, en}), None when the rule is not installed here."""
    try:
        found = get_rule(spec.rule).inputs_for(spec.params).get(key)
    except UnknownRuleError:
        return None
    return found.description if found is not None else None


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
