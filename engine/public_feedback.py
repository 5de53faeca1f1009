"""Public service feedback (survei kepuasan masyarakat): the nine IKM elements about a service unit.

Anyone may answer, without a login, through the unit's public link (``OrgUnit.public_slug``).
Each answer is one :class:`~engine.models.FeedbackResponse` with ``unit_id`` set, no appraisal,
window :data:`WINDOW` (``"ikm"``) and role :data:`ROLE` (``"masyarakat"``); ``answers`` holds
``{"U1": 1..4, ..., "U9": 1..4}`` and ``comment`` the optional complaint (pengaduan).

The index itself is the ``ikm`` rule's (PermenPAN-RB 14/2017); :func:`unit_ikm` only gathers the
answers of a unit over a period and asks the rule. Cycles read it through the input path
``unit.ikm`` (see :mod:`engine.facts`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import limits
from engine.complaint_store import open_complaint
from engine.db import write_with_retry
from engine.errors import InvalidInput, NotFound, RateLimited
from engine.keys import keyring
from engine.limits import ascii_digits
from engine.messages import Message
from engine.models import FeedbackResponse, OrgUnit, utcnow
from engine.notification_loops import notify_new_complaint
from rules import get_rule

WINDOW = "ikm"
ROLE = "masyarakat"
#: The rule that computes the index from the answers; it declares the survey's elements and scale.
IKM_RULE = "ikm"
#: The input of :data:`IKM_RULE` that takes the answers.
IKM_INPUT = "responses"


@dataclass(frozen=True)
class Survey:
    """The public survey as the IKM rule declares it: element keys U1... in the regulation's order
    (U1 Persyaratan ... U9 Sarana dan prasarana), each element's name, and the answers, worst first."""

    keys: tuple[str, ...]
    names: tuple[Mapping[str, str], ...]
    scale: tuple[int, ...]
    #: Per element, the words of each answer on the scale, worst first (PermenPAN-RB 14/2017).
    answer_words: tuple[tuple[Mapping[str, str], ...], ...] = ()


@cache
def survey() -> Survey:
    """The survey's elements, scale and answer words, read once from the IKM rule's declared input."""
    spec = get_rule(IKM_RULE).inputs[IKM_INPUT]
    return Survey(tuple(f"U{i}" for i in range(1, len(spec.elements) + 1)), spec.elements, spec.scale,
                  spec.answer_words)


#: The optional, anonymous respondent profile the survey asks (PermenPAN-RB 14/2017's questionnaire):
#: each question and the codes of its answers. Nothing else about the respondent is kept.
PROFILE: dict[str, tuple[str, ...]] = {
    "jenis_kelamin": ("laki_laki", "perempuan"),
    "usia": ("di_bawah_20", "20_29", "30_39", "40_49", "50_59", "60_ke_atas"),
    "pendidikan": ("sd", "smp", "sma", "d1_d3", "d4_s1", "s2_ke_atas"),
    "pekerjaan": ("pns", "tni_polri", "pegawai_swasta", "wiraswasta", "pelajar_mahasiswa", "lainnya"),
}


def check_profile(profile: Mapping[str, Any] | None) -> dict[str, str] | None:
    """The profile as stored: only the answers given, each one of :data:`PROFILE`'s codes (None: none given).

    InvalidInput naming each question answered with something the survey does not offer
    (``details["errors"]["profile.QUESTION"] == "unknown"``).
    """
    if not profile:
        return None
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question, codes in PROFILE.items():
        value = profile.get(question)
        if value in (None, ""):
            continue
        if value not in codes:
            errors[f"profile.{question}"] = "unknown"
            continue
        clean[question] = str(value)
    if errors:
        raise InvalidInput(f"the respondent profile offers no such answer: {', '.join(errors)}", errors=errors,
                           msg=Message("public.profile", questions=[e.removeprefix("profile.") for e in errors]))
    return clean or None


MAX_COMPLAINT = limits.COMPLAINT_CHARS
#: Default rate limit: this many responses from one client for one unit within RATE_WINDOW.
RATE_LIMIT = 3
RATE_WINDOW = timedelta(days=1)


def device_key(address: str, user_agent: str) -> str:
    """What tells one device's answers apart: its address and browser (stored only as a keyed hash).

    No day in it: the limit counts over the configured window (``created_at``), however long. The
    address alone is limited separately by the web layer, so changing the browser name does not
    open a new allowance.
    """
    return hashlib.sha256(f"{address}\x00{user_agent}".encode()).hexdigest()


def _stored_key(key: str) -> str:
    """What goes to ``respondent_key``: a keyed hash (the server's respondent secret, like a 360
    answer's key), whatever the caller passed; never a raw address, and not one anybody can recompute
    from guessed addresses without the secret."""
    return keyring().respondent_key("public", key)


def unit_by_slug(session: Session, slug: str) -> OrgUnit:
    """The service unit behind a public link; NotFound when no unit has that slug."""
    unit = session.scalars(select(OrgUnit).where(OrgUnit.public_slug == slug)).first() if slug else None
    if unit is None:
        shown = slug[:64]
        raise NotFound(f"no service unit has the public link '{shown}'",
                       msg=Message("public.unknown_unit", slug=shown))
    return unit


def check_answers(answers: Mapping[str, Any]) -> dict[str, int]:
    """The nine answers as whole numbers 1-4; InvalidInput naming every element missing or out of range.

    ``details["errors"]`` maps each bad element key to ``"missing"``, ``"range"`` or ``"unknown"``.
    """
    if not isinstance(answers, Mapping):
        raise InvalidInput("answers must map the elements U1-U9 to a number from 1 to 4",
                           errors={k: "missing" for k in survey().keys}, msg=Message("public.answers"))
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for key in survey().keys:
        raw = answers.get(key)
        if raw is None or raw == "":
            errors[key] = "missing"
            continue
        value = _whole(raw)
        if value is None or value not in survey().scale:
            errors[key] = "range"
            continue
        clean[key] = value
    for key in answers:
        if key not in survey().keys:
            errors[str(key)] = "unknown"
    if errors:
        described = "; ".join(_describe(key, problem) for key, problem in errors.items())
        raise InvalidInput(f"public feedback is incomplete: {described}", errors=errors,
                           msg=Message("public.incomplete", elements=list(errors)))
    return clean


def _whole(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and ascii_digits(raw.strip()) and len(raw.strip()) < 10:
        return int(raw.strip())
    return None


def _describe(key: str, problem: str) -> str:
    if problem == "unknown":
        return f"'{key}' is not an IKM element (U1-U9)"
    name = survey().names[survey().keys.index(key)].get("en")
    if problem == "missing":
        return f"{key} ({name}) has no answer"
    return f"{key} ({name}) must be answered with a whole number from 1 to 4"


def submit_public_feedback(session: Session, slug: str, answers: Mapping[str, Any], complaint: str, client_key: str,
                           now: datetime | None = None, *, limit: int = RATE_LIMIT,
                           within: timedelta = RATE_WINDOW,
                           profile: Mapping[str, Any] | None = None) -> FeedbackResponse:
    """Store one public answer about the unit behind ``slug``; commits.

    A complaint written with it becomes a case for the unit's HR (:func:`engine.complaints.open_complaint`),
    who are told of it (:func:`engine.notification_loops.notify_new_complaint`), in the same transaction;
    ``profile`` is the optional anonymous respondent profile (:data:`PROFILE`).

    Raises NotFound (unknown slug), InvalidInput (an element missing or out of range, or a complaint
    over :data:`MAX_COMPLAINT` characters; ``details["errors"]`` names the fields) and RateLimited
    when ``client_key`` already sent ``limit`` answers for this unit within ``within``.
    """
    now = now or utcnow()
    unit = unit_by_slug(session, slug)
    clean = check_answers(answers)
    about = check_profile(profile)
    text = (complaint or "").strip()
    if len(text) > MAX_COMPLAINT:
        raise InvalidInput(f"the complaint is {len(text)} characters long; at most {MAX_COMPLAINT} are accepted",
                           errors={"complaint": "too-long"},
                           msg=Message("public.complaint_long", length=len(text), limit=MAX_COMPLAINT))
    if not client_key:
        raise InvalidInput("a client key is needed to limit repeated answers", errors={"client_key": "missing"},
                           msg=Message("public.client_key"))
    stored = _stored_key(client_key)
    unit_id, unit_name = unit.id, unit.name

    def store() -> FeedbackResponse:
        # One query on the unit_id index; the window keeps the limit per day, not forever.
        sent = session.scalar(select(func.count(FeedbackResponse.id)).where(
            FeedbackResponse.unit_id == unit_id, FeedbackResponse.window == WINDOW,
            FeedbackResponse.respondent_key == stored, FeedbackResponse.created_at > now - within))
        if (sent or 0) >= limit:
            raise RateLimited(f"this device already sent {sent} answers for {unit_name} in the last "
                              f"{_hours(within)} hours; try again later", limit=limit, within_hours=_hours(within),
                              msg=Message("public.rate_limited", sent=sent or 0, unit=unit_name,
                                          hours=_hours(within)))

        response = FeedbackResponse(unit_id=unit_id, appraisal_id=None, window=WINDOW, role=ROLE,
                                    respondent_user_id=None, respondent_key=stored, answers=clean,
                                    comment=text, created_at=now, profile=about)
        session.add(response)
        if text:
            session.flush()
            notify_new_complaint(session, open_complaint(session, response, now), now)
        return response

    # Counted and stored under the write lock, tried again while a long job holds the database.
    return write_with_retry(session, store)


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


@dataclass(frozen=True)
class UnitIkm:
    """The ``ikm`` rule's result for one unit over one period."""

    unit_id: int
    respondents: int
    ikm: float | None                      # None while the rule waits for respondents
    grade: str | None                      # A-D
    performance: str | None                # Sangat Baik ... Tidak Baik
    element_means: tuple[float, ...] = ()  # U1..U9
    explanation: Mapping[str, str] = field(default_factory=dict)


def _answer_lists(rows: Iterable[tuple[int, Any]]) -> dict[int, list[list[int]]]:
    """Answers per unit as the rule takes them (nine numbers in element order); malformed rows are skipped."""
    by_unit: dict[int, list[list[int]]] = {}
    for unit_id, answers in rows:
        if isinstance(answers, Mapping):
            values = [answers.get(k) for k in survey().keys]
            if all(isinstance(v, int) and not isinstance(v, bool) and v in survey().scale for v in values):
                by_unit.setdefault(unit_id, []).append(values)  # type: ignore[arg-type]
    return by_unit


def units_ikm(session: Session, unit_ids: Iterable[int], period_start: datetime, period_end: datetime,
              *, min_respondents: int = 1) -> dict[int, UnitIkm]:
    """The IKM of each unit from public answers given from period_start to period_end (both included).

    One query for all units.
    """
    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    rows = session.execute(select(FeedbackResponse.unit_id, FeedbackResponse.answers).where(
        FeedbackResponse.unit_id.in_(ids), FeedbackResponse.appraisal_id.is_(None),
        FeedbackResponse.window == WINDOW, FeedbackResponse.role == ROLE,
        FeedbackResponse.created_at >= period_start, FeedbackResponse.created_at <= period_end))
    by_unit = _answer_lists(rows)
    rule = get_rule(IKM_RULE)
    out: dict[int, UnitIkm] = {}
    for unit_id in ids:
        responses = by_unit.get(unit_id, [])
        result = rule.evaluate({"min_respondents": min_respondents}, {IKM_INPUT: responses})
        details = result.details
        out[unit_id] = UnitIkm(
            unit_id=unit_id, respondents=len(responses), ikm=result.value,
            grade=details.get("grade"), performance=details.get("performance"),
            element_means=tuple(details.get("element_means") or ()), explanation=dict(result.explanation),
        )
    return out


def unit_ikm(session: Session, unit_id: int, period_start: datetime, period_end: datetime,
             *, min_respondents: int = 1) -> UnitIkm:
    """The IKM of one unit from the public answers given from period_start to period_end (both included)."""
    return units_ikm(session, [unit_id], period_start, period_end, min_respondents=min_respondents)[unit_id]
