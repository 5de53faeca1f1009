"""Recording a checkpoint's entries: realisations, the report, feedback, the periodic rating, the self-assessment.

Each function is one unit of work: it loads the appraisal (locked on PostgreSQL), checks that the
checkpoint belongs to the run, is open now (not before it starts, not after its deadline, not closed by
``tick``) and takes entries in the appraisal's state, asks the policy for the actor's role, writes
the entry, recomputes the checkpoint's periodic results and every result that reads the checkpoints
or the indicators, appends the audit event and commits; on any refusal nothing is written.
Entries are never updated: a second report or rating for one checkpoint is refused, feedback
responses are kept one after another (at most :data:`MAX_RESPONSES` from one person, and
:data:`MAX_REALISATIONS` realisations of one IKI, per checkpoint). A periodic rating is taken once the
period's work is reported or the period is over (:mod:`engine.checkpoints.rating_time`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from jsonschema import Draft202012Validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.appraisals import Evidence, check_open, load_appraisal, refresh_results, store_results
from engine.appraisals.edits import check_realisation_note, realisation_number, skp_indicator
from engine.audit import EventInfo, append_appraisal_event
from engine.calendar import local_zone
from engine.checkpoints.chain import EVENT_KIND, entry_payload
from engine.checkpoints.periods import Checkpoint, checkpoints_of
from engine.checkpoints.rating_time import PERIOD_END, REPORT, rating_opening
from engine.checkpoints.scoped import CheckpointFacts, entries_of
from engine.db import is_busy
from engine.definition import CheckpointDef, CycleDefinition, Text
from engine.dependencies import CHECKPOINTS, INDICATORS
from engine.errors import (
    Conflict,
    DatabaseBusy,
    Forbidden,
    InvalidInput,
    InvalidPayload,
    NotFound,
    TransitionNotAllowed,
    payload_fields,
)
from engine.messages import Label, Message
from engine.models import Appraisal, CheckpointEntry, Realisation, utcnow
from engine.payloads import PayloadValidator, closed_payload_schema
from engine.permissions import Actor
from engine.policy import Policy
from engine.provenance import realisation_role, supply_of
from engine.registry import definition_of
from rules.terms import RATING_LABELS

T = TypeVar("T")

#: The kinds of entry, with what each is called on a screen.
KINDS: Mapping[str, Text] = {
    "realisation": Text("realisasi", "realisation"),
    "report": Text("laporan", "report"),
    "feedback": Text("tanggapan", "feedback"),
    "rating": Text("penilaian periodik", "periodic rating"),
    "self_assessment": Text("penilaian diri", "self-assessment"),
    "closed": Text("penutupan", "closure"),
}
#: Entries of the employee's side close at ``report_within``; the rater's at ``rating_within``.
EMPLOYEE_SIDE = frozenset({"realisation", "report", "self_assessment"})
MAX_TEXT = 20_000
#: Responses one person gives to one checkpoint: a conversation over a month or a quarter, not a feed; past this a
#: response is refused (each is kept, audited and shown, so thousands would bury the rest).
MAX_RESPONSES = 20
#: Realisations of one IKI recorded for one checkpoint (corrections included; the latest counts).
MAX_REALISATIONS = 20


# -- the checkpoint an entry is for --------------------------------------------------------------

def series_of(session: Session, appraisal_id: int, name: str) -> CheckpointDef | None:
    """The series of checkpoint ``series.key`` in the appraisal's cycle (what its forms ask), or None. Reads only."""
    appraisal = session.get(Appraisal, appraisal_id)
    if appraisal is None:
        return None
    return definition_of(appraisal.definition).checkpoint_series(name.partition(".")[0])


def _local(moment: datetime) -> str:
    return f"{moment.astimezone(local_zone()):%Y-%m-%d %H:%M}"


#: How much of a mistyped checkpoint name a refusal repeats back.
SHOWN_NAME_CHARS = 40


def _shown(text: str) -> str:
    """A typed name as a refusal repeats it: in part when long (a 5,000-character name filled the refusal)."""
    return text if len(text) <= SHOWN_NAME_CHARS else text[:SHOWN_NAME_CHARS] + "…"


def find(defn: CycleDefinition, appraisal: Appraisal, name: str) -> Checkpoint:
    """The checkpoint ``series.key`` of the appraisal's run; a refusal in both languages when there is none."""
    series_id, _, key = name.partition(".")
    series = defn.checkpoint_series(series_id)
    if series is None:
        known = [c.id for c in defn.checkpoints]
        close = difflib.get_close_matches(series_id[:200], known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise NotFound(f"cycle {defn.id} has no checkpoint series '{_shown(series_id)}'{hint}",
                       msg=Message("checkpoint.no_series", series=_shown(series_id)))
    run = appraisal.run
    found = checkpoints_of(series, run.period_start, run.period_end)
    match = next((c for c in found if c.key == key), None)
    if match is None:
        span = (Message("checkpoint.span", first=_label(found[0]), last=_label(found[-1])) if found
                else Message("checkpoint.none"))
        raise InvalidInput(
            f"'{_shown(key)}' is not a checkpoint of series '{series.id}' in period {run.period}; "
            f"the period's checkpoints are {', '.join(c.key for c in found) or 'none'}",
            checkpoint=_shown(name), msg=Message("checkpoint.outside_period", key=_shown(key), period=run.period,
                                                 series=Label(series.id, series.label), span=span))
    return match


def _label(checkpoint: Checkpoint) -> Label:
    """A checkpoint named in a message: its label for people, ``series.key`` for logs."""
    return Label(checkpoint.name, checkpoint.label)


def _what(kind: str) -> Label:
    return Label(kind, KINDS[kind])


def _closure(session: Session, appraisal_id: int, name: str) -> CheckpointEntry | None:
    return session.scalar(select(CheckpointEntry).where(
        CheckpointEntry.appraisal_id == appraisal_id, CheckpointEntry.checkpoint == name,
        CheckpointEntry.kind == "closed"))


def _check_open(session: Session, defn: CycleDefinition, appraisal: Appraisal, checkpoint: Checkpoint, kind: str,
                now: datetime) -> None:
    """Refuse an entry before the checkpoint starts, after its deadline, once closed, or in another state."""
    what = KINDS[kind]
    label = _label(checkpoint)
    if now < checkpoint.start:
        raise TransitionNotAllowed(
            f"checkpoint {checkpoint.name} starts on {_local(checkpoint.start)}; no {what.en} is taken before",
            checkpoint=checkpoint.name,
            msg=Message("checkpoint.not_started", checkpoint=label, start=checkpoint.start, what=_what(kind)))
    closure = _closure(session, appraisal.id, checkpoint.name)
    closes = checkpoint.report_closes if kind in EMPLOYEE_SIDE else checkpoint.rating_closes
    if closure is not None or now > closes:
        when = closure.recorded_at if closure is not None and closure.recorded_at < closes else closes
        raise TransitionNotAllowed(
            f"checkpoint {checkpoint.name} closed for {what.en} on {_local(when)}",
            checkpoint=checkpoint.name, closed_at=when.isoformat(),
            msg=Message("checkpoint.closed", checkpoint=label, what=_what(kind), when=when))
    series = checkpoint.series
    if appraisal.state not in series.states:
        state = Label(appraisal.state, defn.states[appraisal.state].label if appraisal.state in defn.states else None)
        raise TransitionNotAllowed(
            f"in state '{appraisal.state}' checkpoint {checkpoint.name} takes no entries "
            f"(it does in {', '.join(series.states)})",
            checkpoint=checkpoint.name,
            msg=Message("checkpoint.wrong_state", state=state, checkpoint=label, what=_what(kind)))


def _role(policy: Policy, defn: CycleDefinition, appraisal: Appraisal, checkpoint: Checkpoint, kind: str,
          roles: tuple[str, ...]) -> str:
    """The role the actor makes this entry as (the appraised employee only as themselves); Forbidden otherwise.

    A kind of entry the series does not take at all (no role records it) is refused as such, not as
    a matter of who may record it."""
    if not roles:
        raise InvalidInput(f"checkpoint series '{checkpoint.series.id}' takes no {KINDS[kind].en}",
                           checkpoint=checkpoint.name,
                           msg=Message("checkpoint.kind_not_taken", checkpoint=_label(checkpoint), what=_what(kind)))
    held = policy.acting_roles(defn, appraisal.employee, roles)
    if held:
        return held[0]
    what = KINDS[kind]
    who = [Label(r, defn.roles[r].label) for r in roles if r in defn.roles] or Message("access.nobody")
    raise Forbidden(
        f"only {', '.join(roles) or 'nobody'} may record the {what.en} of checkpoint {checkpoint.name}",
        checkpoint=checkpoint.name,
        msg=Message("checkpoint.role", checkpoint=_label(checkpoint), what=_what(kind), roles=who))


# -- periodic results ----------------------------------------------------------------------------

def recompute(session: Session, defn: CycleDefinition, appraisal: Appraisal, checkpoint: Checkpoint, now: datetime,
              indicators: bool) -> dict[str, dict[str, Any]]:
    """Recompute the checkpoint's periodic results, then every result that reads the checkpoints (or, after a
    realisation, the indicators); what was computed, for the audit event."""
    out: dict[str, dict[str, Any]] = {}
    series = checkpoint.series
    if series.results or (indicators and series.realisation):
        facts = CheckpointFacts(session, defn, appraisal, now, dict(appraisal.data or {}), checkpoint=checkpoint,
                                entries=entries_of(session, appraisal.id, checkpoint.name))
        facts.compute_periodic()
        store_results(session, appraisal.id, facts.computed, now)
        out.update({name: c.as_json() for name, c in facts.computed.items()})
    out.update(refresh_results(session, appraisal, (CHECKPOINTS, INDICATORS) if indicators else (CHECKPOINTS,), now))
    return out


# -- the unit of work ----------------------------------------------------------------------------

def _unit_of_work(session: Session, work: Callable[[], T]) -> T:
    """Run ``work`` and commit; roll back on any error (nothing half-written); lost races become Conflict."""
    try:
        result = work()
        session.commit()
        return result
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise Conflict("the checkpoint was changed by someone else in the meantime; reload it and try again",
                       msg=Message("checkpoint.changed")) from exc
    except OperationalError as exc:
        session.rollback()
        if is_busy(exc):
            raise DatabaseBusy() from exc
        raise
    except BaseException:
        session.rollback()
        raise


@dataclass(frozen=True)
class EntryOutcome:
    """What an entry did: the appraisal's new version and the results it recomputed."""

    appraisal_id: int
    checkpoint: str
    kind: str
    version: int
    results: dict[str, dict[str, Any]]


Change = Callable[[Appraisal, CycleDefinition, Checkpoint, Policy], tuple[str, dict[str, Any] | None, Any]]


def _record(session: Session, appraisal_id: int, actor: Actor, name: str, kind: str, change: Change,
            expected_version: int | None, now: datetime | None) -> EntryOutcome:
    """The shared path of every entry. ``change`` checks and writes the entry; it returns the event kind, the
    audit payload (None: the entry's own) and the entry (or None)."""
    when = now or utcnow()

    def work() -> EntryOutcome:
        appraisal = load_appraisal(session, appraisal_id, for_update=True)
        check_open(appraisal.id, appraisal.closed_at)
        if expected_version is not None and appraisal.version != expected_version:
            raise Conflict(f"appraisal #{appraisal.id} is now at version {appraisal.version}, not {expected_version}",
                           current_version=appraisal.version, msg=Message("appraisal.changed"))
        defn = definition_of(appraisal.definition)
        if not actor.is_system and not Policy(session, actor).can_open(defn, appraisal.employee):
            raise Forbidden("you have no role on this appraisal", msg=Message("appraisal.no_role"))
        checkpoint = find(defn, appraisal, name)
        if kind != "closed":
            _check_open(session, defn, appraisal, checkpoint, kind, when)
        policy = Policy(session, actor)
        event_kind, payload, entry = change(appraisal, defn, checkpoint, policy)
        if isinstance(entry, CheckpointEntry):
            entry.recorded_at = when
            session.add(entry)
            session.flush()
            payload = entry_payload(entry)
        assert payload is not None
        results = recompute(session, defn, appraisal, checkpoint, when, indicators=kind == "realisation")
        appraisal.updated_at = when
        append_appraisal_event(session, appraisal, EventInfo(
            kind=event_kind, actor_user_id=actor.user_id, actor_name=actor.username, role=payload.get("role"),
            from_state=appraisal.state, to_state=appraisal.state, payload=payload, results=results,
            employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id), occurred_at=when)
        session.flush()
        return EntryOutcome(appraisal.id, checkpoint.name, kind, appraisal.version, results)

    return _unit_of_work(session, work)


def _text(value: Any, what: Label | Message, minimum: int = 1) -> str:
    text = str(value or "").strip()
    english = what.english() if isinstance(what, Message) else what.shown("en")
    if len(text) < minimum:
        raise InvalidInput(f"the {english} needs at least {minimum} characters",
                           msg=Message("checkpoint.text_short", what=what, minimum=minimum))
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"the {english} is longer than {MAX_TEXT} characters",
                           msg=Message("checkpoint.text_long", what=what, limit=MAX_TEXT))
    return text


def _single(session: Session, appraisal: Appraisal, checkpoint: Checkpoint, kind: str) -> None:
    """Refuse a second report, rating or self-assessment: what was filed stays as it was."""
    found = session.scalar(select(CheckpointEntry.recorded_at).where(
        CheckpointEntry.appraisal_id == appraisal.id, CheckpointEntry.checkpoint == checkpoint.name,
        CheckpointEntry.kind == kind))
    if found is not None:
        what = KINDS[kind]
        raise Conflict(f"the {what.en} of checkpoint {checkpoint.name} was already recorded on {_local(found)}",
                       checkpoint=checkpoint.name, msg=Message("checkpoint.already_recorded",
                                                               checkpoint=_label(checkpoint), what=_what(kind),
                                                               when=found))


def _check_rating_time(session: Session, appraisal: Appraisal, checkpoint: Checkpoint, now: datetime) -> None:
    """Refuse a periodic rating before the period's work is reported (the report, or a realisation when the series
    takes no report) and before the period is over, saying from when it is taken (engine.checkpoints.rating_time)."""
    reported_at = session.scalar(select(CheckpointEntry.recorded_at).where(
        CheckpointEntry.appraisal_id == appraisal.id, CheckpointEntry.checkpoint == checkpoint.name,
        CheckpointEntry.kind == "report"))
    realised_at = session.scalar(select(func.min(Realisation.recorded_at)).where(
        Realisation.appraisal_id == appraisal.id, Realisation.checkpoint == checkpoint.name))
    opening = rating_opening(checkpoint, reported_at, realised_at)
    if opening.open_at(now):
        return
    code = {REPORT: "checkpoint.rating_after_report", PERIOD_END: "checkpoint.rating_after_period"}.get(
        opening.waits_for, "checkpoint.rating_after_realisation")
    raise TransitionNotAllowed(
        f"the periodic rating of {checkpoint.name} is taken once the period's work is reported "
        f"({opening.waits_for}) or from {_local(opening.after)}",
        checkpoint=checkpoint.name, opens_at=opening.after.isoformat(),
        msg=Message(code, checkpoint=_label(checkpoint), start=opening.after))


def _entry(appraisal: Appraisal, checkpoint: Checkpoint, kind: str, actor: Actor, role: str, text: str = "",
           answers: dict[str, Any] | None = None, evidence: Evidence | None = None) -> CheckpointEntry:
    entry = CheckpointEntry(appraisal_id=appraisal.id, checkpoint=checkpoint.name, kind=kind, text=text,
                            answers=answers or {}, recorded_by_id=actor.user_id, role=role)
    if evidence is not None:
        entry.evidence_name, entry.evidence_path, entry.evidence_size = evidence.name, evidence.path, evidence.size
        entry.evidence_type, entry.evidence_sha256 = evidence.content_type, evidence.sha256
    return entry


# -- the entries ---------------------------------------------------------------------------------

def record_checkpoint_realisation(session: Session, appraisal_id: int, actor: Actor, checkpoint: str,
                                  indicator_key: str, value: Any, note: str = "", evidence: Evidence | None = None,
                                  *, expected_version: int | None = None, now: datetime | None = None) -> EntryOutcome:
    """Record an IKI's realisation for a checkpoint, as the role that supplies it (engine.provenance).

    It is also the appraisal's latest realisation of that IKI, so the annual achievement follows it.
    """
    now = now or utcnow()  # the row's recorded_at is its event's moment (what verify holds it to)
    if isinstance(value, bool):
        raise InvalidInput("the realisation must be a number",
                           msg=Message("checkpoint.realisation_number", value=str(value)))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"the realisation must be a number, not '{value}'",
                           msg=Message("checkpoint.realisation_number", value=str(value))) from None

    def change(appraisal: Appraisal, defn: CycleDefinition, found: Checkpoint,
               policy: Policy) -> tuple[str, dict[str, Any] | None, Any]:
        if not found.series.realisation:
            raise InvalidInput(f"checkpoint series '{found.series.id}' takes no realisations",
                               msg=Message("checkpoint.no_realisation", checkpoint=_label(found)))
        own = skp_indicator(session, defn, appraisal.id, indicator_key)
        role = realisation_role(policy, defn, appraisal, supply_of(defn, indicator_key, own))
        recorded = session.scalar(select(func.count()).select_from(Realisation).where(
            Realisation.appraisal_id == appraisal.id, Realisation.checkpoint == found.name,
            Realisation.indicator_key == indicator_key)) or 0
        if recorded >= MAX_REALISATIONS:
            raise Conflict(f"IKI {indicator_key} already has {recorded} realisations for checkpoint {found.name}",
                           checkpoint=found.name,
                           msg=Message("checkpoint.realisations_full", checkpoint=_label(found),
                                       iki=Label(indicator_key, {"id": own, "en": own} if own else None),
                                       limit=MAX_REALISATIONS))
        row = Realisation(appraisal_id=appraisal.id, indicator_key=indicator_key, value=number, note=note,
                          recorded_by_id=actor.user_id, recorded_at=now or utcnow(), supplied_role=role, source=None,
                          checkpoint=found.name)
        payload: dict[str, Any] = {"indicator": indicator_key, "value": number, "note": note, "role": role,
                                   "source": None, "evidence": None, "checkpoint": found.name}
        if evidence is not None:
            row.evidence_name, row.evidence_path, row.evidence_size = evidence.name, evidence.path, evidence.size
            row.evidence_type, row.evidence_sha256 = evidence.content_type, evidence.sha256
            payload["evidence"] = {"name": evidence.name, "sha256": evidence.sha256, "size": evidence.size,
                                   "content_type": evidence.content_type, "path": evidence.path}
        session.add(row)
        session.flush()
        return "realisation", payload, None

    number = realisation_number(number)  # as the annual realisation: finite, not below zero
    check_realisation_note(note)
    return _record(session, appraisal_id, actor, checkpoint, "realisation", change, expected_version, now)


def file_report(session: Session, appraisal_id: int, actor: Actor, checkpoint: str, text: str,
                evidence: Evidence | None = None, *, expected_version: int | None = None,
                now: datetime | None = None) -> EntryOutcome:
    """The employee's report for a checkpoint (Solok's monthly report): a text, with evidence if the cycle takes it."""
    body = _text(text, _what("report"), 10)

    def change(appraisal: Appraisal, defn: CycleDefinition, found: Checkpoint,
               policy: Policy) -> tuple[str, dict[str, Any] | None, Any]:
        role = _role(policy, defn, appraisal, found, "report", found.series.report_roles)
        _single(session, appraisal, found, "report")
        if evidence is not None and not found.series.report_evidence:
            raise InvalidInput(f"the reports of '{found.series.id}' take no evidence file",
                               msg=Message("checkpoint.no_evidence", series=Label(found.series.id,
                                                                                  found.series.label)))
        return EVENT_KIND, None, _entry(appraisal, found, "report", actor, role, body, evidence=evidence)

    return _record(session, appraisal_id, actor, checkpoint, "report", change, expected_version, now)


def give_feedback(session: Session, appraisal_id: int, actor: Actor, checkpoint: str, text: str, *,
                  expected_version: int | None = None, now: datetime | None = None) -> EntryOutcome:
    """The rater's response to a checkpoint, each kept in order: at most :data:`MAX_RESPONSES` from one person."""
    body = _text(text, _what("feedback"), 3)

    def change(appraisal: Appraisal, defn: CycleDefinition, found: Checkpoint,
               policy: Policy) -> tuple[str, dict[str, Any] | None, Any]:
        role = _role(policy, defn, appraisal, found, "feedback", found.series.feedback_roles)
        given = session.scalar(select(func.count()).select_from(CheckpointEntry).where(
            CheckpointEntry.appraisal_id == appraisal.id, CheckpointEntry.checkpoint == found.name,
            CheckpointEntry.kind == "feedback", CheckpointEntry.recorded_by_id == actor.user_id)) or 0
        if given >= MAX_RESPONSES:
            raise Conflict(f"{actor.username} already gave {given} responses to checkpoint {found.name}, the most "
                           "one person gives to one checkpoint", checkpoint=found.name,
                           msg=Message("checkpoint.responses_full", checkpoint=_label(found), limit=MAX_RESPONSES))
        return EVENT_KIND, None, _entry(appraisal, found, "feedback", actor, role, body)

    return _record(session, appraisal_id, actor, checkpoint, "feedback", change, expected_version, now)


def _validator(series: CheckpointDef) -> Draft202012Validator | None:
    return PayloadValidator(closed_payload_schema(series.rating_schema)) if series.rating_schema else None


def rate_checkpoint(session: Session, appraisal_id: int, actor: Actor, checkpoint: str, rating: Mapping[str, Any], *,
                    expected_version: int | None = None, now: datetime | None = None) -> EntryOutcome:
    """The rater's periodic rating of a checkpoint (once), once the period's work is reported or the period is over
    (:mod:`engine.checkpoints.rating_time`); its periodic results follow at once."""
    moment = now or utcnow()
    if not isinstance(rating, Mapping):
        raise InvalidPayload("the rating must be a JSON object", [{"path": "", "message": "not an object"}],
                             msg=Message("checkpoint.rating_object"))

    def change(appraisal: Appraisal, defn: CycleDefinition, found: Checkpoint,
               policy: Policy) -> tuple[str, dict[str, Any] | None, Any]:
        role = _role(policy, defn, appraisal, found, "rating", found.series.rating_roles)
        _single(session, appraisal, found, "rating")
        _check_rating_time(session, appraisal, found, moment)
        validator = _validator(found.series)
        if validator is not None:
            errors = [{"path": "/".join(str(p) for p in e.absolute_path), "message": e.message}
                      for e in sorted(validator.iter_errors(dict(rating)), key=lambda e: list(e.absolute_path))]
            if errors:
                listed = "; ".join(f"{e['path'] or 'rating'}: {e['message']}" for e in errors)
                raise InvalidPayload(f"the periodic rating of {found.name} is not valid: {listed}", errors,
                                     msg=Message("checkpoint.rating_invalid", checkpoint=_label(found),
                                                 fields=payload_fields(errors)))
        note = str(rating.get("catatan") or "")
        return EVENT_KIND, None, _entry(appraisal, found, "rating", actor, role, note, answers=dict(rating))

    return _record(session, appraisal_id, actor, checkpoint, "rating", change, expected_version, now)


def submit_self_assessment(session: Session, appraisal_id: int, actor: Actor, checkpoint: str,
                           answers: Mapping[str, Any], *, expected_version: int | None = None,
                           now: datetime | None = None) -> EntryOutcome:
    """The employee's self-assessment of a checkpoint (once): every question answered, text or one of the ratings."""

    def change(appraisal: Appraisal, defn: CycleDefinition, found: Checkpoint,
               policy: Policy) -> tuple[str, dict[str, Any] | None, Any]:
        role = _role(policy, defn, appraisal, found, "self_assessment", found.series.self_assessment_roles)
        _single(session, appraisal, found, "self_assessment")
        cleaned: dict[str, Any] = {}
        for question in found.series.questions:
            value = answers.get(question.id) if isinstance(answers, Mapping) else None
            if question.kind == "rating":
                if value not in RATING_LABELS:
                    raise InvalidInput(f"answer '{question.id}' must be one of {', '.join(RATING_LABELS)}",
                                       question=question.id,
                                       msg=Message("checkpoint.answer_choice",
                                                   question=Label(question.id, question.label),
                                                   choices=list(RATING_LABELS)))
                cleaned[question.id] = value
            else:
                cleaned[question.id] = _text(value, Message("checkpoint.answer",
                                                            question=Label(question.id, question.label)))
        return EVENT_KIND, None, _entry(appraisal, found, "self_assessment", actor, role, answers=cleaned)

    return _record(session, appraisal_id, actor, checkpoint, "self_assessment", change, expected_version, now)


def close_checkpoint(session: Session, appraisal_id: int, checkpoint: str, *,
                     now: datetime | None = None) -> EntryOutcome:
    """Close a checkpoint whose deadline passed (``siklus tick``): its periodic results are computed with what
    was recorded, and it takes no more entries. A second close of one checkpoint is refused by the database."""
    actor = Actor.system()

    def change(appraisal: Appraisal, defn: CycleDefinition, found: Checkpoint,
               policy: Policy) -> tuple[str, dict[str, Any] | None, Any]:
        if _closure(session, appraisal.id, found.name) is not None:
            raise Conflict(f"checkpoint {found.name} is already closed",
                           msg=Message("checkpoint.already_closed", checkpoint=_label(found)))

        return EVENT_KIND, None, _entry(appraisal, found, "closed", actor, "system")

    return _record(session, appraisal_id, actor, checkpoint, "closed", change, None, now)
