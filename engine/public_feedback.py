"""Public service feedback (survei kepuasan masyarakat): the nine IKM elements about a service unit.

Anyone may answer, without a login, through the unit's public link (``OrgUnit.public_slug``).
Each answer is one :class:`~engine.models.FeedbackResponse` with ``unit_id`` set, no appraisal,
window :data:`WINDOW` (``"ikm"``) and role :data:`ROLE` (``"masyarakat"``); ``answers`` holds
``{"U1": 1..4, ..., "U9": 1..4}`` and ``comment`` the optional complaint (pengaduan).

The index itself is the ``ikm`` rule's (PermenPAN-RB 14/2017): :mod:`engine.ikm_survey` gathers the answers of
a unit over a period and asks the rule (its names are re-exported here). Cycles read it through the input path
``unit.ikm`` (see :mod:`engine.facts`).

Each answer stored is one ``public_answer`` event in the system chain, filed under its unit, carrying the
answer's id and seal and nothing of what was answered (:mod:`engine.public_verify`): the answers make results,
so ``siklus audit verify`` holds every stored answer to its event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import limits
from engine.audit import EventInfo, append_system_event
from engine.complaint_store import open_complaint
from engine.db import hold_key, write_with_retry
from engine.errors import InvalidInput, NotFound, RateLimited
from engine.ikm_survey import IKM_INPUT, IKM_RULE, ROLE, WINDOW, Survey, UnitIkm, survey, unit_ikm, units_ikm
from engine.keys import keyring
from engine.limits import ascii_digits
from engine.messages import Message
from engine.models import FeedbackResponse, OrgUnit, utcnow
from engine.notification_loops import notify_new_complaint
from engine.public_verify import EVENT_KIND, public_seal

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
# The space of the advisory locks that take one device's answers about a unit in turn ("SKM").
ANSWER_LOCK = 0x534B_4D00
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
        # One device's answers about the unit are counted and stored one at a time (answers sent at once all
        # counted the same and were all stored); one query on the unit_id index; the window keeps the limit per
        # day, not forever.
        hold_key(session, ANSWER_LOCK, f"{unit_id}:{stored}")
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
        session.flush()
        record_public_answer(session, response, now)
        if text:
            notify_new_complaint(session, open_complaint(session, response, now), now)
        return response

    # Counted and stored under the write lock, tried again while a long job holds the database.
    return write_with_retry(session, store)


def record_public_answer(session: Session, response: FeedbackResponse, occurred_at: datetime | None = None) -> None:
    """The system chain's event of one stored public answer (flushed, so it has its id): its id and seal, filed
    under its unit (:mod:`engine.public_verify`). :func:`submit_public_feedback` records every answer it stores;
    a script that writes answers itself (the demos) records them through this too."""
    append_system_event(session, EventInfo(
        kind=EVENT_KIND, actor_user_id=None, actor_name=ROLE, role=ROLE, unit_id=response.unit_id,
        payload={"response": response.id, "unit": response.unit_id,
                 "seal": public_seal(response.respondent_key, response.unit_id, response.created_at,
                                     response.answers, response.comment, response.profile, response.window,
                                     response.role)}), occurred_at=occurred_at)


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


__all__ = ["IKM_INPUT", "IKM_RULE", "MAX_COMPLAINT", "PROFILE", "RATE_LIMIT", "RATE_WINDOW", "ROLE", "WINDOW",
           "Survey", "UnitIkm", "check_answers", "check_profile", "device_key", "record_public_answer",
           "submit_public_feedback", "survey", "unit_by_slug", "unit_ikm", "units_ikm"]
