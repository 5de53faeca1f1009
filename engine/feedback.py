"""Feedback windows of an appraisal: the questions, the one service that stores an answer, who may
answer now, and what each viewer may see of the answers.

A cycle declares windows under ``feedback:`` (who answers, in which states, which questions, how many
respondents before anything is shown, anonymous or not). An answer is a mapping of question id to a
whole-number score on the question's scale (``{"akuntabel": 4, ...}``) plus an optional comment; see
docs/feedback.md.

Every channel (the screen's form, the API, the simulator) stores answers through
:func:`give_feedback`, so they validate alike and treat a second answer alike: answering again while
the window is open replaces the earlier answer in place (the audit chain keeps every answer of a
named window; an anonymous one is logged without the answers, the role or the respondent).

Anonymity. An anonymous answer keeps only a respondent key, an HMAC with the server's respondent
secret (:mod:`engine.keys`), so nobody holding the database can tell whose answer it is by trying
user ids. What the employee (or anyone) sees of an anonymous window moves only in steps of several
answers (:func:`counted_answers`), so one new answer never shows its scores as the change of a mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, false, or_, select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.elements import ColumnElement

from engine import limits
from engine.appraisals import check_open, load_appraisal, refresh_results, unit_of_work
from engine.audit import EventInfo, append_appraisal_event, append_unversioned_event
from engine.definition import CycleDefinition, FeedbackDef, Text
from engine.dependencies import feedback_input
from engine.errors import Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from engine.feedback_seal import answer_seal, keyed_respondent_key, legacy_respondent_key
from engine.loaded import definition_of
from engine.messages import Label, Message, joined, one_of
from engine.models import Appraisal, AuditEvent, CycleDefinitionRecord, Employee, FeedbackResponse, User, utcnow
from engine.permissions import Actor
from engine.policy import Policy, feedback_window_roles
from engine.public_feedback import survey
from rules.numbers import round_half_up, to_decimal

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
#: The one limit of a feedback comment, in characters after trimming (screen, API document, engine).
MAX_COMMENT = limits.COMMENT_CHARS
#: An anonymous window's shown aggregate moves in steps of at least this many answers (see counted_answers).
MIN_ANONYMOUS_STEP = 2
# How much of a refused value a message repeats.
_SHOWN_VALUE = 24


#: A question answered with a whole number from 1 to its scale, or in words.
SCORE, TEXT = "score", "text"


@dataclass(frozen=True)
class Question:
    """One question of a feedback window, answered with a whole number from 1 to ``scale`` or, with
    ``kind: text``, in words (at most as long as a comment)."""

    id: str
    label: Text
    scale: int
    required: bool = True
    kind: str = SCORE


def questions_of(window: FeedbackDef) -> list[Question]:
    """The questions of a window: ``berakhlak``, ``ikm`` (the nine IKM elements) or the cycle's own list."""
    if window.questions == "berakhlak":
        return [Question(qid, label, BERAKHLAK_SCALE) for qid, label in BERAKHLAK]
    if window.questions == "ikm":
        ikm = survey()
        return [Question(f"u{n}", Text(name["id"], name.get("en", name["id"]).capitalize()), max(ikm.scale))
                for n, name in enumerate(ikm.names, start=1)]
    return [Question(q["id"], Text.of(q["label"], q["id"]), int(q.get("scale", DEFAULT_SCALE)),
                     bool(q.get("required", True)), str(q.get("kind", SCORE)))
            for q in window.questions or []]


# -- validation ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CleanFeedback:
    """An answer as it is stored: scores of the window's questions and the trimmed comment."""

    answers: dict[str, int | str]
    comment: str


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN_VALUE else text[:_SHOWN_VALUE] + "…"


def _whole_number(value: Any) -> int | None:
    """A score as typed (a number, or its digits on a form) as a whole number; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value or len(value) > 20:
            return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return int(number) if number.is_integer() else None


def clean_feedback(window: FeedbackDef, raw_answers: Any, raw_comment: Any = "") -> CleanFeedback:
    """The answer as stored, or :class:`InvalidInput` naming every field that is wrong.

    Answers are taken only for the window's declared questions, each a whole number from 1 to the
    question's scale; every required question must be answered; the comment is trimmed and at most
    :data:`MAX_COMMENT` characters. The error carries ``errors`` (``answers/<question>`` or
    ``comment`` -> English problem, for the API), ``fields`` (question id or ``comment`` -> the
    problem in both languages, for the form) and ``text`` (the whole refusal in both languages).
    """
    questions = questions_of(window)
    problems: dict[str, tuple[str, Text]] = {}  # field -> (API path, the problem in both languages)
    answers: dict[str, int | str] = {}
    given: Mapping[str, Any] = raw_answers if isinstance(raw_answers, Mapping) else {}
    if not isinstance(raw_answers, Mapping):
        problems["answers"] = ("answers", Text("Jawaban harus berupa pasangan pertanyaan dan nilai.",
                                               "The answers must map each question to a score."))
    for q in questions:
        value = given.get(q.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            if q.required:
                problems[q.id] = (f"answers/{q.id}", Text(f"'{q.label.id}' belum dijawab.",
                                                          f"'{q.label.en or q.label.id}' is not answered."))
            continue
        if q.kind == TEXT:
            written = value.replace("\r\n", "\n").strip() if isinstance(value, str) else None
            if written is None or len(written) > MAX_COMMENT:
                problems[q.id] = (f"answers/{q.id}", Text(
                    f"'{q.label.id}' dijawab dengan teks paling banyak {MAX_COMMENT} karakter.",
                    f"'{q.label.en or q.label.id}' is answered in words, at most {MAX_COMMENT} characters."))
                continue
            answers[q.id] = written
            continue
        number = _whole_number(value)
        if number is None or not 1 <= number <= q.scale:
            problems[q.id] = (f"answers/{q.id}", Text(
                f"'{q.label.id}' harus dijawab dengan bilangan bulat 1 sampai {q.scale}, bukan '{_shown(value)}'.",
                f"'{q.label.en or q.label.id}' must be a whole number from 1 to {q.scale}, not '{_shown(value)}'."))
            continue
        answers[q.id] = number
    known = {q.id for q in questions}
    for unknown in sorted(str(k) for k in given if k not in known)[:10]:
        problems[unknown] = (f"answers/{_shown(unknown)}", Text(
            f"'{_shown(unknown)}' bukan pertanyaan umpan balik '{window.label.id}'.",
            f"'{_shown(unknown)}' is not a question of the feedback '{window.label.en or window.label.id}'."))
    if not answers and not problems:
        problems["answers"] = ("answers",
                               Text("Jawab paling sedikit satu pertanyaan.", "Answer at least one question."))
    comment = ""
    if raw_comment is not None and not isinstance(raw_comment, str):
        problems["comment"] = ("comment", Text("Komentar harus berupa teks.", "The comment must be text."))
    else:
        comment = (raw_comment or "").replace("\r\n", "\n").strip()
        if len(comment) > MAX_COMMENT:
            problems["comment"] = ("comment", Text(
                f"Komentar terlalu panjang: {len(comment)} karakter, paling banyak {MAX_COMMENT}.",
                f"The comment is too long: {len(comment)} characters, at most {MAX_COMMENT}."))
    if problems:
        listed_en = " ".join(text.en or text.id for _path, text in problems.values())
        raise InvalidInput(
            f"the answer to the feedback '{window.id}' was not saved: {listed_en}",
            errors={path: text.en or text.id for path, text in problems.values()},
            fields={name: text.as_dict() for name, (_path, text) in problems.items()},
            msg=Message("feedback.not_saved", problems=joined([text for _path, text in problems.values()], " ")),
        )
    return CleanFeedback(answers, comment)


# -- respondent keys -----------------------------------------------------------------------------

def respondent_key(window_id: str, appraisal_id: int, user_id: int | None) -> str:
    """The key that tells one respondent's answers to a window apart without naming them."""
    return keyed_respondent_key(legacy_respondent_key(window_id, appraisal_id, user_id))


def _is_respondent(window_id: str, appraisal_id: int, user_id: int) -> Any:
    """The SQL condition: this row is the user's answer (a keyed key, or a legacy row's old digest)."""
    old = legacy_respondent_key(window_id, appraisal_id, user_id)
    return or_(FeedbackResponse.respondent_key == keyed_respondent_key(old),
               and_(FeedbackResponse.legacy_key.is_(True), FeedbackResponse.respondent_key == old))


def rekey_legacy_answers(session: Session, batch: int = 1000) -> int:
    """Replace every legacy (unkeyed) respondent key by its keyed form, in one transaction; the count.

    Run once after upgrading (``siklus feedback rekey``); until then such answers are still found
    (and upgraded) when their respondent answers again. Running it again changes nothing.
    """
    done = 0
    try:
        while True:
            rows = session.execute(select(FeedbackResponse.id, FeedbackResponse.respondent_key)
                                   .where(FeedbackResponse.legacy_key.is_(True)).order_by(FeedbackResponse.id)
                                   .limit(batch)).all()
            if not rows:
                break
            for row_id, old in rows:
                session.execute(update(FeedbackResponse).where(FeedbackResponse.id == row_id).values(
                    respondent_key=keyed_respondent_key(old) if old else None, legacy_key=False))
            done += len(rows)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return done


# -- answering -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class GivenFeedback:
    """A stored answer, and whether it replaced the respondent's earlier one."""

    response: FeedbackResponse
    replaced: bool


def give_feedback(session: Session, appraisal_id: int, actor: Actor, window_id: str, answers: Any,
                  comment: Any = "", now: datetime | None = None) -> GivenFeedback:
    """Give, or replace, the actor's answer in a feedback window: the one service every channel calls.

    Checks in this order, each refusal leaving everything as it was: the window exists (NotFound),
    it is open in the appraisal's state (TransitionNotAllowed, 409), the actor holds one of its roles
    (Forbidden), the answer fits the window (:func:`clean_feedback`, InvalidInput 422 naming each
    field). A respondent has one answer per window: answering again while the window is open
    replaces the earlier answer in place (same row, so an anonymous window's shown aggregate counts
    it where it counted the first one). One transaction, with one audit event.
    """
    when = now or utcnow()

    def work() -> GivenFeedback:
        appraisal = load_appraisal(session, appraisal_id, for_update=True)
        check_open(appraisal.id, appraisal.closed_at)
        defn = definition_of(appraisal.definition)
        window = defn.feedback_window(window_id)
        if window is None:
            raise NotFound(f"no feedback window '{window_id}' in cycle {defn.id}",
                           msg=Message("feedback.no_window", window=window_id))
        shown = Label(window.id, window.label)
        if appraisal.state not in window.states:
            state = Label(appraisal.state, defn.states[appraisal.state].label if appraisal.state in defn.states
                          else None)
            raise TransitionNotAllowed(f"feedback '{window_id}' is not open in state '{appraisal.state}'",
                                       msg=Message("feedback.not_open", window=shown, state=state))
        roles = Policy(session, actor).feedback_roles(defn, appraisal, window)
        if not roles or actor.user_id is None:
            raise Forbidden(f"only {', '.join(window.roles)} may give feedback '{window_id}' on this appraisal",
                            msg=Message("feedback.who", window=shown, roles=one_of(
                                [Label(r, defn.roles[r].label) for r in window.roles if r in defn.roles])))

        clean = clean_feedback(window, answers, comment)
        earlier = session.scalars(select(FeedbackResponse).where(
            FeedbackResponse.appraisal_id == appraisal.id, FeedbackResponse.window == window_id,
            _is_respondent(window_id, appraisal.id, actor.user_id)).order_by(FeedbackResponse.id)).first()
        replaces = (answer_seal(earlier.respondent_key, window_id, earlier.role, earlier.answers, earlier.comment)
                    if earlier is not None else None)
        response = earlier or FeedbackResponse(appraisal_id=appraisal.id, window=window_id)
        response.role = roles[0]
        response.respondent_user_id = None if window.anonymous else actor.user_id
        response.respondent_key = respondent_key(window_id, appraisal.id, actor.user_id)
        response.legacy_key = False
        response.answers = clean.answers
        response.comment = clean.comment
        response.created_at = when
        if earlier is None:
            session.add(response)
        anonymous = window.anonymous  # an anonymous event names neither who, nor as which role, nor what
        seal = answer_seal(response.respondent_key, window_id, response.role, clean.answers, clean.comment)
        # Results already computed from a named window follow each answer. An anonymous window's
        # results wait for the state's next compute: moving them per answer would reveal the answer.
        results = {} if anonymous else refresh_results(session, appraisal, (feedback_input(window_id),), when)
        if not anonymous:
            appraisal.updated_at = when
        # An anonymous answer is in the chain (verify proves it) but moves neither the appraisal's version nor
        # its last change: an employee reading those around their own edits would learn when answers came.
        append = append_unversioned_event if anonymous else append_appraisal_event
        append(session, appraisal, EventInfo(
            kind="feedback", actor_user_id=None if anonymous else actor.user_id,
            actor_name="anonim" if anonymous else actor.username, role=None if anonymous else roles[0],
            from_state=appraisal.state, to_state=appraisal.state,
            payload={"window": window_id, "replaced": earlier is not None, "seal": seal, "replaces": replaces}
            if anonymous else {"window": window_id, "answers": clean.answers, "comment": clean.comment,
                               "replaced": earlier is not None, "seal": seal, "replaces": replaces},
            results=results, employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id,
        ), occurred_at=when)
        session.flush()
        return GivenFeedback(response, replaced=earlier is not None)

    return unit_of_work(session, work)


def own_answer(session: Session, appraisal_id: int, window_id: str, actor: Actor) -> FeedbackResponse | None:
    """The actor's current answer in a window, to fill the form again."""
    if actor.user_id is None:
        return None
    return session.scalars(select(FeedbackResponse).where(
        FeedbackResponse.appraisal_id == appraisal_id, FeedbackResponse.window == window_id,
        _is_respondent(window_id, appraisal_id, actor.user_id))).first()


def is_anonymous_answer(event: AuditEvent) -> bool:
    """Whether an audit event is an anonymous answer: an appraisal's history never lists those, so
    nobody reads a respondent's time (or order) beside the aggregate."""
    return event.kind == "feedback" and event.actor_user_id is None


# -- what is shown -------------------------------------------------------------------------------

def aggregate_step(window: FeedbackDef) -> int:
    """How many answers an anonymous window's shown aggregate waits for before it moves.

    The first aggregate is shown at ``min_respondents`` answers, the threshold the cycle declares
    for the window; every later change then takes as many new answers again (at least
    :data:`MIN_ANONYMOUS_STEP`), so a change reveals the mean of a block of answers, never one.
    """
    return max(window.min_respondents, MIN_ANONYMOUS_STEP)


def counted_answers(window: FeedbackDef, respondents: int) -> int:
    """How many answers (the first given, in order) the shown aggregate of a window is computed over.

    A named window shows every answer once ``min_respondents`` have answered. An anonymous window
    counts whole steps only: ``floor(n / k) * k`` answers with ``k`` = :func:`aggregate_step`; so
    the mean shown after one more answer is the mean shown before it, until ``k`` more arrived.
    (The appraisal's own results, such as a ``feedback_360`` score, read every answer: they are
    computed when the cycle says, normally after the window has closed.)
    """
    if not window.anonymous:
        return respondents if respondents >= max(window.min_respondents, 1) else 0
    step = aggregate_step(window)
    return respondents // step * step


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
    """What may be shown of one window's answers: counts always; means and comments over the counted
    answers; names only when the window is not anonymous."""

    window: FeedbackDef
    questions: list[Question]
    respondents: int
    counted: int = 0
    step: int = 1
    means: dict[str, float] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    # An anonymous window's written answers per text question, alphabetical (over the counted answers).
    written: dict[str, list[str]] = field(default_factory=dict)
    named: list[NamedAnswer] = field(default_factory=list)
    earlier: list[NamedAnswer] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.counted > 0

    @property
    def threshold(self) -> int:
        """How many answers it takes before anything but the count is shown."""
        return self.step if self.window.anonymous else max(self.window.min_respondents, 1)

    @property
    def overall(self) -> float | None:
        """The mean over every question's mean (None while hidden)."""
        return _mean(list(self.means.values())) if self.means else None


def _mean(numbers: list[float]) -> float:
    """The mean to two decimals, rounded half up as every other figure (3.125 -> 3.13)."""
    return float(round_half_up(sum((to_decimal(n) for n in numbers), Decimal(0)) / len(numbers)))


def feedback_summaries(session: Session, appraisal: Appraisal) -> list[WindowSummary]:
    """Every feedback window of the appraisal's cycle with what may be shown of its answers.

    An anonymous window shows the number of respondents, and over the counted answers
    (:func:`counted_answers`) the mean per question and their comments in alphabetical order, never
    a role, a time or a name. A named window shows each current answer with its respondent, and
    earlier answers from the audit log.
    """
    defn = definition_of(appraisal.definition)
    if not defn.feedback:
        return []
    rows = list(session.execute(
        select(FeedbackResponse, User.display_name)
        .outerjoin(User, User.id == FeedbackResponse.respondent_user_id)
        .where(FeedbackResponse.appraisal_id == appraisal.id)
        .order_by(FeedbackResponse.id)))  # the order answers were first given: a replacement keeps its place
    named_windows = [w.id for w in defn.feedback if not w.anonymous]
    history: list[tuple[AuditEvent, str | None]] = []
    if named_windows:
        history = [(e, name) for e, name in session.execute(
            select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.actor_user_id)
            .where(AuditEvent.appraisal_id == appraisal.id, AuditEvent.kind == "feedback",
                   AuditEvent.actor_user_id.is_not(None))
            .order_by(AuditEvent.seq.desc()))]
    out = []
    for window in defn.feedback:
        questions = questions_of(window)
        mine = [(r, name) for r, name in rows if r.window == window.id]
        summary = WindowSummary(window, questions, len(mine), counted_answers(window, len(mine)),
                                aggregate_step(window) if window.anonymous else 1)
        counted = mine[:summary.counted]
        for q in questions:
            if q.kind == TEXT:
                if window.anonymous:
                    summary.written[q.id] = sorted(str(r.answers[q.id]) for r, _ in counted if r.answers.get(q.id))
                continue
            scores = [r.answers.get(q.id) for r, _ in counted]
            numbers = [float(s) for s in scores if isinstance(s, (int, float)) and not isinstance(s, bool)]
            if numbers:
                summary.means[q.id] = _mean(numbers)
        if window.anonymous:
            summary.comments = sorted(r.comment for r, _ in counted if r.comment)
        else:
            summary.named = [NamedAnswer(name or "", r.role, dict(r.answers), r.comment, r.created_at)
                             for r, name in mine]
            seen: set[int | None] = set()
            for e, name in history:  # newest first: each respondent's newest event is the current answer
                payload = e.payload or {}
                if payload.get("window") != window.id:
                    continue
                if e.actor_user_id in seen:
                    summary.earlier.append(NamedAnswer(name or e.actor_name, e.role or "",
                                                       dict(payload.get("answers") or {}),
                                                       str(payload.get("comment") or ""), e.occurred_at))
                seen.add(e.actor_user_id)
        out.append(summary)
    return out


def states_with_windows(session: Session) -> ColumnElement[bool]:
    """SQL: the appraisal is open and in a state where its cycle opens some feedback window (a filter
    on the person's candidates: see :func:`engine.access.states_with_exits` for the ``+ 0``)."""
    conditions = []
    for record in session.scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.status != "draft")):
        states = sorted({s for w in definition_of(record).feedback for s in w.states})
        if states:
            conditions.append(and_((Appraisal.definition_id + 0) == record.id, Appraisal.state.in_(states)))
    return and_(Appraisal.closed_at.is_(None), or_(*conditions) if conditions else false())


@dataclass
class FeedbackToGive:
    """An appraisal where the actor may answer a feedback window now."""

    appraisal: Appraisal
    defn: CycleDefinition
    window: FeedbackDef
    answered: bool


def feedback_to_give(session: Session, actor: Actor, limit: int = 100) -> list[FeedbackToGive]:
    """Open feedback windows the actor may answer, on the appraisals of the people around them.

    Looks at the appraisals where the actor holds a role some feedback window asks, in a state where
    one is open (one query over a union of index paths from the actor: :meth:`Policy.listable_ids`),
    keeps those whose cycle opens a window to a role the actor holds in the current state.
    """
    if actor.user_id is None:
        return []
    policy = Policy(session, actor)
    candidates = policy.listable_ids(feedback_window_roles, as_hr=False)
    stmt = (select(Appraisal).join(Appraisal.employee).where(states_with_windows(session))
            .options(joinedload(Appraisal.employee).joinedload(Employee.supervisor),
                     joinedload(Appraisal.run), joinedload(Appraisal.definition))
            .order_by(Employee.name, Appraisal.id).limit(2000))
    if candidates is not None:
        stmt = stmt.where(Appraisal.id.in_(candidates))
    found: list[FeedbackToGive] = []
    for appraisal in session.scalars(stmt).unique():
        defn = definition_of(appraisal.definition)
        for window in defn.feedback:
            if policy.can_answer(defn, appraisal, window):
                found.append(FeedbackToGive(appraisal, defn, window, False))
    if found:
        user_id = actor.user_id
        legacy = {legacy_respondent_key(f.window.id, f.appraisal.id, user_id) for f in found}
        answered = {(aid, window) for aid, window in session.execute(
            select(FeedbackResponse.appraisal_id, FeedbackResponse.window).where(or_(
                FeedbackResponse.respondent_key.in_([keyed_respondent_key(k) for k in legacy]),
                and_(FeedbackResponse.legacy_key.is_(True), FeedbackResponse.respondent_key.in_(legacy)))))}
        for f in found:
            f.answered = (f.appraisal.id, f.window.id) in answered
    return found[:limit]
