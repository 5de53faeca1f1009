"""Feedback windows of an appraisal: the questions, who may answer now, one answer per respondent, and
what each viewer may see of the answers.

A cycle declares windows under ``feedback:`` (who answers, in which states, which questions, how many
respondents before anything is shown, anonymous or not). An answer is a mapping of question id to a
whole-number score on the question's scale (``{"akuntabel": 4, ...}``) plus an optional comment; see
docs/feedback.md. Answering again in the same window replaces the earlier answer (the audit chain
keeps every answer of a named window; an anonymous one is logged without the answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, joinedload

from engine.appraisals import give_feedback, respondent_key
from engine.definition import CycleDefinition, FeedbackDef, Text
from engine.errors import InvalidInput
from engine.models import Appraisal, AuditEvent, Employee, FeedbackResponse, User
from engine.permissions import Actor, RoleResolver
from engine.registry import definition_of

# BerAKHLAK, the seven core values of the ASN, answered 1 (far below) to 4 (far above).
BERAKHLAK: tuple[tuple[str, Text], ...] = (
    ("berorientasi_pelayanan", Text("Berorientasi Pelayanan", "Service-oriented")),
    ("akuntabel", Text("Akuntabel", "Accountable")),
    ("kompeten", Text("Kompeten", "Competent")),
    ("harmonis", Text("Harmonis", "Harmonious")),
    ("loyal", Text("Loyal", "Loyal")),
    ("adaptif", Text("Adaptif", "Adaptive")),
    ("kolaboratif", Text("Kolaboratif", "Collaborative")),
)
BERAKHLAK_SCALE = 4
# A question of the cycle's own list without a scale is answered 1 to 4, like the named sets.
DEFAULT_SCALE = 4
MAX_COMMENT = 4000


@dataclass(frozen=True)
class Question:
    """One question of a feedback window, answered with a whole number from 1 to ``scale``."""

    id: str
    label: Text
    scale: int


def questions_of(window: FeedbackDef) -> list[Question]:
    """The questions of a window: ``berakhlak``, ``ikm`` (the nine IKM elements) or the cycle's own list."""
    if window.questions == "berakhlak":
        return [Question(qid, label, BERAKHLAK_SCALE) for qid, label in BERAKHLAK]
    if window.questions == "ikm":
        from rules.ikm import ELEMENTS

        return [Question(f"u{n}", Text(id_, en.capitalize()), 4) for n, (id_, en) in enumerate(ELEMENTS, start=1)]
    return [Question(q["id"], Text.of(q["label"], q["id"]), int(q.get("scale", DEFAULT_SCALE)))
            for q in window.questions or []]


def clean_answers(window: FeedbackDef, raw: Mapping[str, Any]) -> dict[str, int]:
    """The answers as stored: every question of the window, each a whole number on its scale.

    Raises :class:`InvalidInput` naming each unanswered or off-scale question (``details['fields']``
    maps question id to its problem, for a message next to the field).
    """
    problems: dict[str, str] = {}
    out: dict[str, int] = {}
    for q in questions_of(window):
        value = raw.get(q.id)
        if value is None or value == "":
            problems[q.id] = f"'{q.label.id}' is not answered"
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems[q.id] = f"'{q.label.id}': {value!r} is not a number"
            continue
        if isinstance(value, bool) or not number.is_integer() or not 1 <= number <= q.scale:
            problems[q.id] = f"'{q.label.id}' must be a whole number from 1 to {q.scale}, not {value}"
            continue
        out[q.id] = int(number)
    unknown = sorted(set(raw) - {q.id for q in questions_of(window)})
    if unknown:
        problems["_"] = f"unknown question(s): {', '.join(unknown)}"
    if problems:
        raise InvalidInput(f"the answers to '{window.id}' are not complete: " + "; ".join(problems.values()),
                           fields=problems)
    return out


def answer_feedback(session: Session, appraisal_id: int, actor: Actor, window_id: str,
                    answers: Mapping[str, Any], comment: str = "") -> FeedbackResponse:
    """Give or replace the actor's answer in a window: one answer per respondent per window.

    The earlier answer is removed and the new one given through :func:`engine.appraisals.give_feedback`
    in one transaction, so a refusal (not open in this state, not a respondent) leaves the earlier one.
    """
    try:
        appraisal = session.get(Appraisal, appraisal_id)
        defn = definition_of(appraisal.definition) if appraisal is not None else None
        window = defn.feedback_window(window_id) if defn is not None else None
        if window is not None:
            answers = clean_answers(window, answers)
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT:
            raise InvalidInput(f"the comment is too long: at most {MAX_COMMENT} characters", fields={"comment": "too long"})
    except InvalidInput:
        session.rollback()
        raise
    if actor.user_id is not None:
        session.execute(delete(FeedbackResponse).where(
            FeedbackResponse.appraisal_id == appraisal_id, FeedbackResponse.window == window_id,
            FeedbackResponse.respondent_key == respondent_key(window_id, appraisal_id, actor.user_id)))
    return give_feedback(session, appraisal_id, actor, window_id, answers, comment)


def may_answer(resolver: RoleResolver, actor: Actor, defn: CycleDefinition, appraisal: Appraisal,
               window: FeedbackDef) -> bool:
    """Whether the actor may answer ``window`` on this appraisal now (open in its state, holds a role)."""
    if appraisal.state not in window.states or actor.user_id is None:
        return False
    roles = resolver.roles_of(actor, defn, appraisal.employee, window.roles)
    if actor.employee_id == appraisal.employee_id:
        roles = [r for r in roles if defn.roles[r].resolver == "self"]
    return bool(roles)


def own_answer(session: Session, appraisal_id: int, window_id: str, actor: Actor) -> FeedbackResponse | None:
    """The actor's current answer in a window, to fill the form again."""
    if actor.user_id is None:
        return None
    return session.scalars(select(FeedbackResponse).where(
        FeedbackResponse.appraisal_id == appraisal_id, FeedbackResponse.window == window_id,
        FeedbackResponse.respondent_key == respondent_key(window_id, appraisal_id, actor.user_id))).first()


@dataclass
class NamedAnswer:
    """An answer of a window that is not anonymous, with who gave it."""

    respondent: str
    role: str
    answers: dict[str, Any]
    comment: str
    at: datetime


@dataclass
class WindowSummary:
    """What may be shown of one window's answers: counts always; means and comments once there are
    enough respondents; names only when the window is not anonymous."""

    window: FeedbackDef
    questions: list[Question]
    respondents: int
    shown: bool
    means: dict[str, float] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    named: list[NamedAnswer] = field(default_factory=list)
    earlier: list[NamedAnswer] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        """The mean over every question's mean (None while hidden)."""
        return round(sum(self.means.values()) / len(self.means), 2) if self.means else None


def feedback_summaries(session: Session, appraisal: Appraisal) -> list[WindowSummary]:
    """Every feedback window of the appraisal's cycle with what may be shown of its answers.

    An anonymous window shows only the number of respondents until it reaches ``min_respondents``;
    then the mean per question and the comments (without names, in alphabetical order). A named
    window shows each current answer with its respondent, and earlier answers from the audit log.
    """
    defn = definition_of(appraisal.definition)
    if not defn.feedback:
        return []
    rows = list(session.execute(
        select(FeedbackResponse, User.display_name)
        .outerjoin(User, User.id == FeedbackResponse.respondent_user_id)
        .where(FeedbackResponse.appraisal_id == appraisal.id)
        .order_by(FeedbackResponse.created_at, FeedbackResponse.id)))
    named_windows = [w.id for w in defn.feedback if not w.anonymous]
    history: list[tuple[AuditEvent, str | None]] = []
    if named_windows:
        history = [(e, name) for e, name in session.execute(
            select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.actor_user_id)
            .where(AuditEvent.appraisal_id == appraisal.id, AuditEvent.kind == "feedback")
            .order_by(AuditEvent.seq.desc()))]
    out = []
    for window in defn.feedback:
        questions = questions_of(window)
        mine = [(r, name) for r, name in rows if r.window == window.id]
        count = len(mine)
        summary = WindowSummary(window, questions, count, shown=count >= max(window.min_respondents, 1))
        if summary.shown:
            for q in questions:
                scores = [r.answers.get(q.id) for r, _ in mine]
                numbers = [float(s) for s in scores if isinstance(s, (int, float)) and not isinstance(s, bool)]
                if numbers:
                    summary.means[q.id] = round(sum(numbers) / len(numbers), 2)
            if window.anonymous:
                summary.comments = sorted(r.comment for r, _ in mine if r.comment)
        if not window.anonymous:
            summary.named = [NamedAnswer(name or "", r.role, dict(r.answers), r.comment, r.created_at) for r, name in mine]
            seen: set[int | None] = set()
            for e, name in history:  # newest first: each respondent's newest event is the current answer
                payload = e.payload or {}
                if payload.get("window") != window.id:
                    continue
                if e.actor_user_id in seen:
                    summary.earlier.append(NamedAnswer(name or e.actor_name, e.role or "", dict(payload.get("answers") or {}),
                                                       str(payload.get("comment") or ""), e.occurred_at))
                seen.add(e.actor_user_id)
        out.append(summary)
    return out


@dataclass
class FeedbackToGive:
    """An appraisal where the actor may answer a feedback window now."""

    appraisal: Appraisal
    defn: CycleDefinition
    window: FeedbackDef
    answered: bool


def feedback_to_give(session: Session, actor: Actor, limit: int = 100) -> list[FeedbackToGive]:
    """Open feedback windows the actor may answer, on the appraisals of the people around them.

    Looks at the appraisals of the actor's peers, supervisor, reports and reports' reports (one
    query), keeps those whose cycle opens a window to a role the actor holds in the current state.
    """
    me = actor.employee_id
    if me is None or actor.user_id is None:
        return []
    my_boss = session.execute(select(Employee.supervisor_id).where(Employee.id == me)).scalar()
    boss = Employee.__table__.alias("boss")
    near = [Employee.supervisor_id == me, Appraisal.employee_id == me,
            Employee.supervisor_id.in_(select(boss.c.id).where(boss.c.supervisor_id == me))]
    if my_boss is not None:
        near += [Employee.supervisor_id == my_boss, Employee.id == my_boss]
    stmt = (select(Appraisal).join(Appraisal.employee).where(or_(*near))
            .options(joinedload(Appraisal.employee).joinedload(Employee.supervisor),
                     joinedload(Appraisal.run), joinedload(Appraisal.definition))
            .order_by(Employee.name, Appraisal.id).limit(2000))
    resolver = RoleResolver(session)
    found: list[FeedbackToGive] = []
    for appraisal in session.scalars(stmt).unique():
        defn = definition_of(appraisal.definition)
        for window in defn.feedback:
            if may_answer(resolver, actor, defn, appraisal, window):
                found.append(FeedbackToGive(appraisal, defn, window, False))
    if found:
        answered = {(aid, window) for aid, window in session.execute(
            select(FeedbackResponse.appraisal_id, FeedbackResponse.window).where(FeedbackResponse.respondent_key.in_(
                [respondent_key(f.window.id, f.appraisal.id, actor.user_id) for f in found])))}
        for f in found:
            f.answered = (f.appraisal.id, f.window.id) in answered
    return found[:limit]
