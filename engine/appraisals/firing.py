"""Firing a transition: the one way an appraisal changes state, and what the actor may fire now.

:func:`fire_transition` reads the appraisal in one statement, runs every check (version, trigger,
role and self-approval, time window, payload, guards through the cycle's shared machine), then
moves it and appends its audit event through :class:`engine.audit.writer.TransitionWriter`, and
commits with the results it computed: one unit of work (:mod:`engine.appraisals.work`).
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from engine.appraisals.own_rating import LastRaters, reviews_own_rating
from engine.appraisals.work import (
    AppraisalView,
    check_open,
    check_version,
    due_at_for,
    load_appraisal,
    store_results,
    unit_of_work,
)
from engine.audit.chain import EventInfo
from engine.audit.writer import TransitionWriter
from engine.definition import CycleDefinition, TransitionDef
from engine.errors import (
    Forbidden,
    InvalidInput,
    InvalidPayload,
    NotFound,
    SiklusError,
    TransitionNotAllowed,
    UnknownTrigger,
    payload_fields,
)
from engine.facts import Facts
from engine.loaded import compiled_by_id, compiled_of, definition_of
from engine.messages import Label, Message, joined
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Employee, utcnow
from engine.permissions import Actor
from engine.policy import Policy
from engine.resolvers import Subject
from engine.runtime import CompiledCycle, Firing, preview_computation
from engine.vacancy import vacancy_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FireOutcome:
    """What a successful transition did."""

    appraisal_id: int
    trigger: str
    from_state: str
    to_state: str
    role: str
    version: int
    event_id: int
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Warnings of guards declared to warn (a calibration the unit breaks), in both languages.
    warnings: list[dict[str, str]] = field(default_factory=list)
    #: The role nobody held, when the system fired this for the state's ``vacant`` clause (engine.vacancy).
    vacant_role: str | None = None
    #: What the system fired next because nobody held a role the new state waits for, in order.
    followed: tuple[FireOutcome, ...] = ()

    @property
    def state(self) -> str:
        """Where the appraisal now is: the last state it entered."""
        return self.followed[-1].to_state if self.followed else self.to_state

    @property
    def current_version(self) -> int:
        """The appraisal's version now (after what the system fired next)."""
        return self.followed[-1].version if self.followed else self.version


@dataclass(frozen=True)
class AvailableTransition:
    transition: TransitionDef
    role: str


def _transition_for(defn: CycleDefinition, appraisal: AppraisalView, trigger: str) -> TransitionDef:
    transition = defn.transition(trigger, appraisal.state)
    if transition is not None:
        return transition
    exits = {t.trigger: t for t in defn.transitions_from(appraisal.state)}
    here = sorted(exits)
    here_text = ", ".join(here) if here else "none (final state)"
    shown = [Label(t, exits[t].label) for t in here] or Message("transition.final")
    state = _state(defn, appraisal.state)
    if trigger not in defn.triggers:
        # What was typed is repeated back only in part: an id of thousands of characters is no step's name.
        said = trigger if len(trigger) <= 64 else trigger[:64] + "…"
        close = difflib.get_close_matches(trigger, defn.triggers, n=1, cutoff=0.6) if len(trigger) <= 64 else []
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UnknownTrigger(
            f"unknown trigger '{said}'{hint}; from state '{appraisal.state}' the triggers are: {here_text}",
            msg=Message("transition.unknown", trigger=said, state=state, here=shown),
        )
    raise TransitionNotAllowed(
        f"'{trigger}' cannot fire from state '{appraisal.state}'; from here the triggers are: {here_text}",
        msg=Message("transition.wrong_state", trigger=_trigger_label(defn, trigger), state=state, here=shown),
    )


def _state(defn: CycleDefinition, state: str) -> Label:
    """A state named in a message: its label for people, its key for logs."""
    return Label(state, defn.states[state].label if state in defn.states else None)


def _trigger_label(defn: CycleDefinition, trigger: str) -> Label:
    """A trigger named in a message by the label of its (first) transition."""
    found = next((t for t in defn.transitions if t.trigger == trigger), None)
    return Label(trigger, found.label if found is not None else None)


def _check_window(appraisal: AppraisalView, transition: TransitionDef, now: datetime,
                  defn: CycleDefinition | None = None) -> None:
    window = transition.window
    if window is None:
        return
    trigger = Label(transition.trigger, transition.label)
    since_text = (appraisal.state_entries or {}).get(window.since)
    if since_text is None:
        raise TransitionNotAllowed(
            f"'{transition.trigger}' is only possible after the appraisal has been in '{window.since}'",
            msg=Message("transition.window_since", trigger=trigger,
                        since=_state(defn, window.since) if defn is not None else Label(window.since)))
    since = datetime.fromisoformat(since_text)
    closes = window.within.after(since)
    if now > closes:
        raise TransitionNotAllowed(
            f"the window for '{transition.trigger}' closed on {closes:%Y-%m-%d %H:%M} UTC "
            f"({window.within} after entering '{window.since}')",
            closed_at=closes.isoformat(), msg=Message("transition.window_closed", trigger=trigger, closes=closes),
        )


def window_closes_at(appraisal: AppraisalView, transition: TransitionDef) -> datetime | None:
    """When the transition's time window closes for this appraisal (None when it has none)."""
    if transition.window is None:
        return None
    since_text = (appraisal.state_entries or {}).get(transition.window.since)
    return transition.window.within.after(datetime.fromisoformat(since_text)) if since_text else None


def check_payload(cycle: CompiledCycle, transition: TransitionDef, payload: Mapping[str, Any]) -> None:
    """Refuse (:class:`InvalidPayload`, naming each field) a payload the transition's schema does not take;
    what :func:`fire_transition` checks before anything else of the payload."""
    if not isinstance(payload, Mapping):
        raise InvalidPayload("the payload must be a JSON object", [{"path": "", "message": "not an object"}],
                             msg=Message("payload.object"))
    if not payload and not transition.payload_schema:
        return  # a step that takes nothing, given nothing: what its closed schema would say, without running it
    validator = cycle.payload_validator(transition)
    if validator is None or validator.is_valid(payload):
        return
    errors = []
    unexpected: list[str] = []  # keys the step does not take, at the top of the payload
    for err in sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in err.absolute_path)
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            path = "/".join(filter(None, [path, missing]))
            message = f"'{missing}' is required"
        elif err.validator == "additionalProperties" and isinstance(err.instance, Mapping):
            declared = err.schema.get("properties") or {}
            extra = sorted(str(key) for key in err.instance if key not in declared)
            for key in extra:
                shown = _short(key)
                errors.append({"path": "/".join(filter(None, [path, shown])),
                               "message": f"'{shown}' is not a field of this step"})
            if not path:
                unexpected.extend(_short(key) for key in extra)
            continue
        else:
            # The refused value is quoted back only in part: a 10,000-character text is not repeated.
            message = err.message if len(err.message) <= 200 else err.message[:200] + "…"
        errors.append({"path": path, "message": message})
    if errors:
        listed = "; ".join(f"{e['path'] or 'payload'}: {e['message']}" for e in errors)
        step = Label(transition.trigger, transition.label)
        if unexpected and len(unexpected) == len(errors):
            known = sorted((transition.payload_schema or {}).get("properties") or {})
            raise InvalidPayload(f"the payload for '{transition.trigger}' is not valid: {listed}", errors,
                                 msg=Message("payload.unexpected", trigger=step, fields=unexpected,
                                             known=known or Message("payload.nothing")))
        raise InvalidPayload(f"the payload for '{transition.trigger}' is not valid: {listed}", errors,
                             msg=Message("payload.invalid", trigger=step, fields=payload_fields(errors)))


def _short(text: str) -> str:
    """A typed key or value as a refusal repeats it: at most 64 characters."""
    return text if len(text) <= 64 else text[:64] + "…"


@dataclass
class _Person:
    """The appraised employee as roles and rules see it (a plain snapshot, not an ORM row)."""

    id: int
    nip: str
    name: str
    position: str
    position_level: str | None
    unit_id: int
    supervisor_id: int | None
    supervisor: _Person | None = None


@dataclass
class _Snapshot:
    """An appraisal read in one statement for firing: the hot path stays off the ORM's identity map."""

    id: int
    run_id: int
    definition_id: int
    content_hash: str
    state: str
    version: int
    entered_at: datetime
    state_entries: dict[str, Any]
    data: dict[str, Any]
    audit_seq: int
    audit_head: str
    employee_id: int
    employee: _Person
    _session: Session
    closed_at: datetime | None = None

    @classmethod
    def of(cls, row: Sequence[Any], session: Session) -> _Snapshot:
        """From a row of ``_SNAPSHOT``."""
        boss = _Person(row[17], "", "", "", None, 0, row[18]) if row[17] is not None else None
        person = _Person(row[11], row[12], row[13], row[14], row[15], row[16], row[17], boss)
        return cls(row[0], row[1], row[2], row[3], row[4], row[5], row[6], dict(row[7] or {}), dict(row[8] or {}),
                   row[9], row[10], person.id, person, session, row[19])

    @property
    def run(self) -> CycleRun:
        run = self._session.get(CycleRun, self.run_id)
        assert run is not None
        return run


_A = Appraisal.__table__
_E = Employee.__table__
_BOSS = _E.alias("boss")
_D = CycleDefinitionRecord.__table__
# What a transition reads of the appraisal, its employee and the definition, in one statement built
# once; the writer runs it (locking the row on PostgreSQL) before the checks.
_SNAPSHOT = (
    select(
        _A.c.id, _A.c.run_id, _A.c.definition_id, _D.c.content_hash, _A.c.state, _A.c.version, _A.c.entered_at,
        _A.c.state_entries, _A.c.data, _A.c.audit_seq, _A.c.audit_head,
        _E.c.id, _E.c.nip, _E.c.name, _E.c.position, _E.c.position_level, _E.c.unit_id, _E.c.supervisor_id,
        _BOSS.c.supervisor_id, _A.c.closed_at,
    )
    .select_from(_A.join(_E, _E.c.id == _A.c.employee_id).join(_D, _D.c.id == _A.c.definition_id)
                 .outerjoin(_BOSS, _BOSS.c.id == _E.c.supervisor_id))
    .where(_A.c.id == bindparam("appraisal_id"))
)


def fire_transition(
    session: Session,
    appraisal_id: int,
    trigger: str,
    actor: Actor,
    payload: Mapping[str, Any] | None = None,
    *,
    expected_version: int | None = None,
    as_role: str | None = None,
    now: datetime | None = None,
    vacant_role: str | None = None,
    settle: bool = True,
) -> FireOutcome:
    """Fire ``trigger`` on an appraisal as ``actor``: the one way an appraisal changes state.

    Checks, in order: the version the caller saw, that the trigger exists and can fire from the
    current state, the actor's role (and self-approval), the time window, the payload schema, then
    the guards and entry actions through the shared machine. Commits the state change (an UPDATE
    that only matches the version read), the results and the audit event together.

    Then, while nobody holds a role the new state's ``vacant`` clause names, the system fires the clause's
    trigger, each in its own commit (:mod:`engine.vacancy`; ``settle=False`` leaves that to the caller).
    ``vacant_role`` is the system's own: the role nobody held, recorded in the event's payload.
    """
    now = now or utcnow()
    body = dict(payload or {}) if isinstance(payload, Mapping) or payload is None else payload
    if vacant_role is not None and not actor.is_system:
        raise Forbidden(Message("not_allowed"))
    subject: list[Subject] = []

    def work() -> FireOutcome:
        with TransitionWriter(session, _SNAPSHOT) as writer:
            row = writer.read(appraisal_id)
            if row is None:
                raise NotFound(Message("appraisal.not_found", id=str(appraisal_id)))
            snap = _Snapshot.of(row, session)
            check_open(snap.id, snap.closed_at)
            check_version(snap, expected_version)
            cycle = compiled_by_id(session, snap.definition_id, snap.content_hash)
            defn = cycle.definition
            transition = _transition_for(defn, snap, trigger)
            # Facts is annotated for ORM rows; of the snapshot it reads only what AppraisalView names.
            role, reason = Policy(session, actor).firing_role(defn, transition, snap.employee, as_role)
            if role is None:
                raise Forbidden(reason or Message("not_allowed"))
            own = reviews_own_rating(session, defn, snap.id, snap.state_entries, transition, role, actor)
            if own is not None:
                raise Forbidden(own.english(), msg=own)
            _check_window(snap, transition, now, defn)
            check_payload(cycle, transition, body)
            data = dict(snap.data)
            if transition.save_as:
                data[transition.save_as] = body
            facts = Facts(session, defn, snap, now, data, dict(body))  # type: ignore[arg-type]
            firing = Firing(state=snap.state, facts=facts)
            if not cycle.fire(trigger, firing):
                reasons = "; ".join(f["en"] for f in firing.guard_failures)
                raise TransitionNotAllowed(f"'{trigger}' is not possible yet: {reasons}", reasons=firing.guard_failures,
                                           msg=Message("transition.not_yet", reasons=joined(firing.guard_failures)))
            dest = firing.state
            # Results computed before that read what this transition changed follow it (an appeal
            # decision moves the final predicate and what is derived from it).
            stale = cycle.results_graph.after_transition(transition.save_as, dest)
            if stale:
                facts.refresh(stale)
            deadline = defn.states[dest].deadline
            due = due_at_for(defn.states[dest], snap.run if deadline is not None and deadline.at else None, now)
            results = {n: c.as_json() for n, c in facts.computed.items()}
            recorded = writer.record(snap.id, snap.version, (snap.audit_seq, snap.audit_head), {
                "state": dest, "new_version": snap.version + 1, "entered_at": now,
                "state_entries": {**snap.state_entries, dest: now.isoformat()}, "due_at": due, "data": data,
                "updated_at": now,
            }, EventInfo(
                kind="transition", actor_user_id=actor.user_id, actor_name=actor.username, role=role,
                trigger=trigger, from_state=snap.state, to_state=dest,
                payload={"vacant_role": vacant_role} if vacant_role is not None else dict(body), results=results,
                employee_id=snap.employee_id, unit_id=snap.employee.unit_id,
            ), now)
        store_results(session, snap.id, facts.computed, now)
        boss = snap.employee.supervisor
        subject[:] = [Subject(snap.employee_id, snap.employee.unit_id, snap.employee.supervisor_id,
                              boss.supervisor_id if boss is not None else None)]
        defns[:] = [defn]
        return FireOutcome(appraisal_id=snap.id, trigger=trigger, from_state=snap.state, to_state=dest, role=role,
                           version=snap.version + 1, event_id=recorded.id, results=results,
                           warnings=firing.warnings, vacant_role=vacant_role)

    defns: list[CycleDefinition] = []
    outcome = unit_of_work(session, work)
    stale = session.identity_map.get(identity_key(Appraisal, appraisal_id)) if session.identity_map else None
    if stale is not None:
        session.expire(stale)
    if settle and defns and defns[0].states[outcome.to_state].vacant:
        outcome = _settle(session, outcome, defns[0], subject[0], now)
    return outcome


def _settle(session: Session, outcome: FireOutcome, defn: CycleDefinition, subject: Subject,
            now: datetime) -> FireOutcome:
    """Fire, as the system, what each state entered says to fire while nobody holds a role it waits for.

    Bounded by the number of states: a cycle whose vacant clauses lead round in a circle stops there. A
    refused fire leaves the appraisal where it is, for ``siklus tick`` to try again (engine.deadlines)."""
    followed: list[FireOutcome] = []
    state, version = outcome.to_state, outcome.version
    for _ in range(len(defn.states)):
        found = vacancy_of(session, defn, state, subject)
        if found is None:
            break
        try:
            step = fire_transition(session, outcome.appraisal_id, found.trigger, Actor.system(), {},
                                   expected_version=version, now=now, vacant_role=found.role, settle=False)
        except SiklusError as exc:
            log.warning("appraisal #%s waits in '%s' for %s, whom nobody holds: %s fired by the system was refused: "
                        "%s", outcome.appraisal_id, state, found.role, found.trigger, exc)
            break
        except Exception:  # noqa: BLE001 - what the caller fired is committed and stands; tick tries this again
            session.rollback()
            log.exception("appraisal #%s waits in '%s' for %s, whom nobody holds: %s fired by the system failed",
                          outcome.appraisal_id, state, found.role, found.trigger)
            break
        followed.append(step)
        state, version = step.to_state, step.version
    return replace(outcome, followed=tuple(followed)) if followed else outcome


def available_transitions(session: Session, appraisal: Appraisal, actor: Actor,
                          policy: Policy | None = None, raters: LastRaters | None = None) -> list[AvailableTransition]:
    """The transitions the actor may fire now.

    Role, self-approval and time window are checked; guards are checked on firing. ``raters``: who rated the
    appraisals of the list this one is in, read together (engine.appraisals.own_rating).
    """
    if appraisal.closed_at is not None:
        return []
    defn = definition_of(appraisal.definition)
    policy = policy or Policy(session, actor)
    out = []
    now = utcnow()
    for transition in defn.transitions_from(appraisal.state):
        role, _ = policy.firing_role(defn, transition, appraisal.employee)
        if role is None or reviews_own_rating(session, defn, appraisal.id, appraisal.state_entries or {},
                                              transition, role, actor, raters) is not None:
            continue
        try:
            _check_window(appraisal, transition, now)
        except SiklusError:
            continue
        out.append(AvailableTransition(transition, role))
    return out


def preview_results(session: Session, appraisal_id: int, actor: Actor, names: Iterable[str],
                    data_overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Compute results as they would be with ``data_overrides`` (e.g. an unsaved rating). Writes nothing."""
    appraisal = load_appraisal(session, appraisal_id)
    defn = definition_of(appraisal.definition)
    if not Policy(session, actor).can_open(defn, appraisal.employee):
        raise Forbidden("you have no role on this appraisal", msg=Message("appraisal.no_role"))
    unknown = [n for n in names if n not in defn.results]
    if unknown:
        raise InvalidInput(f"unknown result(s): {', '.join(unknown)}", msg=Message("result.unknown", names=unknown))

    facts = Facts(session, defn, appraisal, utcnow(), {**(appraisal.data or {}), **dict(data_overrides or {})})
    try:
        return preview_computation(compiled_of(appraisal.definition), facts, list(names))
    finally:
        session.rollback()

