"""What the appraisal screens share: their blueprint, what a refused form carried, how an appraisal is opened."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort

from engine.access import OpenedAppraisal, open_appraisal, open_for_feedback
from engine.definition import CycleDefinition
from engine.detail import AppraisalDetail, appraisal_detail
from engine.errors import Forbidden, NotFound
from web.context import current_actor, db_session
from web.filters import localized

bp = Blueprint("appraisals", __name__)


@dataclass
class Attempt:
    """What someone posted that the engine refused, to show again with the reason."""

    form: str                      # "fire:<trigger>" | "skp" | "realisation" | "development" | "feedback:<window>"
    message: str
    values: dict[str, Any] = field(default_factory=dict)
    field_errors: dict[str, str] = field(default_factory=dict)
    preview: list[dict[str, Any]] = field(default_factory=list)


def open_detail(appraisal_id: int) -> AppraisalDetail:
    """The appraisal as the logged-in person may see it; 404 for none, 403 for no business seeing it."""
    try:
        return appraisal_detail(db_session(), current_actor(), appraisal_id)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def opened(appraisal_id: int) -> OpenedAppraisal:
    """The appraisal, its definition and the person's policy on it; 404 or 403 as for :func:`open_detail`."""
    try:
        return open_appraisal(db_session(), current_actor(), appraisal_id)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def opened_for_feedback(appraisal_id: int, window_id: str) -> OpenedAppraisal:
    """The appraisal as a feedback form needs it (a respondent reads whom it is about); 404 or 403 as above."""
    try:
        return open_for_feedback(db_session(), current_actor(), appraisal_id, window_id)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def state_label(defn: CycleDefinition, state: str | None) -> str:
    """A state's label in the page's language ("" for none, the code for one the cycle does not know)."""
    if not state:
        return ""
    found = defn.states.get(state)
    return localized(found.label) if found else state
