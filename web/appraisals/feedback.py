"""Feedback (continuous and 360) on an appraisal: the form on its own page and on the appraisal page
(saving it is in :mod:`web.appraisals.page`, which shows either page again when the answer is refused)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import abort, g, render_template, url_for
from flask_login import login_required

from engine.definition import CycleDefinition, FeedbackDef
from engine.feedback import MAX_COMMENT, Question, own_answer, questions_of
from web.appraisals.common import Attempt, bp, opened_for_feedback, state_label
from web.context import current_actor, db_session


@dataclass
class FeedbackForm:
    """A feedback window the viewer may answer now, with their current answer or what they typed."""

    window: FeedbackDef
    questions: list[Question]
    values: dict[str, str]
    comment: str
    answered: bool
    message: str = ""
    field_errors: dict[str, str] = field(default_factory=dict)
    max_comment: int = MAX_COMMENT


def feedback_form(window: FeedbackDef, mine: tuple[Mapping[str, Any], str] | None,
                  attempt: Attempt | None) -> FeedbackForm:
    """The form of one window: what was just typed and refused, else the person's current answer (``mine``)."""
    questions = questions_of(window)
    if attempt is not None and attempt.form == f"feedback:{window.id}":
        typed = str(attempt.values.get("comment", ""))[:MAX_COMMENT]
        return FeedbackForm(window, questions, dict(attempt.values), typed, False, attempt.message,
                            attempt.field_errors)
    if mine is None:
        return FeedbackForm(window, questions, {}, "", False)
    answers, comment = mine
    return FeedbackForm(window, questions, {k: str(v) for k, v in answers.items()}, comment, True)


def feedback_window(defn: CycleDefinition, window_id: str) -> FeedbackDef:
    window = defn.feedback_window(window_id)
    if window is None:
        abort(404)
    return window


@bp.get("/penilaian/<id:appraisal_id>/umpan-balik/<window_id>")
@login_required
def feedback_page(appraisal_id: int, window_id: str) -> tuple[str, int]:
    return render_feedback(appraisal_id, window_id)


def render_feedback(appraisal_id: int, window_id: str, attempt: Attempt | None = None,
                    status: int = 200) -> tuple[str, int]:
    """The feedback form on its own page (what a peer needs: who, which window, the questions)."""
    found = opened_for_feedback(appraisal_id, window_id)
    appraisal, defn = found.appraisal, found.defn
    window = feedback_window(defn, window_id)
    g.page_url = url_for(".feedback_page", appraisal_id=appraisal_id, window_id=window_id)
    answer = own_answer(db_session(), appraisal.id, window.id, current_actor())
    mine = (dict(answer.answers or {}), answer.comment) if answer is not None else None
    form = feedback_form(window, mine, attempt)
    is_open = found.policy.can_answer(defn, appraisal, window)
    if not is_open and attempt is not None and not form.message:
        form.message = attempt.message
    return render_template("feedback.html", appraisal=appraisal, defn=defn, employee=appraisal.employee,
                           window=window, form=form, is_open=is_open,
                           open_in=[state_label(defn, s) for s in window.states]), status
