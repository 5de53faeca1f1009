"""Replaying an appraisal's audit chain: what the chain says the appraisal is, compared with its rows.

Each kind of event has one apply function in :data:`APPLY`; replaying a chain runs them in order
over a :class:`Replayed` appraisal and derives its state, the cycle version it runs on, the
payloads kept by ``save_as`` transitions, its SKP indicators, realisations, results, development
activities and feedback counts. :func:`engine.replay_compare.differences` names every live row
(read by :class:`engine.replay_live.LiveReader`) that disagrees with the chain; ``siklus audit
verify`` reports them (docs/audit.md).

**Adding a kind of change.** Whoever writes a new kind of audit event for an appraisal (through
:func:`engine.audit.append_appraisal_event`) puts in its payload everything the change did, then
registers how it changes a replayed appraisal here::

    @applies("reopen")
    def _reopen(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
        replayed.move(event)

and adds a test that ``verify_chain`` stays clean after the change (and names a forged row). The
results an event carries (``results``) are taken for every kind alike. A kind without an apply
function is itself reported, so none is forgotten.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import nomination_chain
from engine.audit_findings import Finding, finding
from engine.checkpoints import chain as checkpoint_chain
from engine.definition import CycleDefinition
from engine.errors import Conflict
from engine.feedback_seal import Seals
from engine.loaded import compiled_by_id
from engine.messages import Label, Message, one_of
from engine.models import CycleDefinitionRecord
from engine.permissions import SYSTEM_ROLE
from engine.replay_results import ChainView, ResultRecheck


class ChainEvent(Protocol):
    """What an apply function reads of an event (a row of ``audit_event``)."""

    id: int
    seq: int
    occurred_at: datetime | str
    kind: str
    actor_user_id: int | None
    employee_id: int | None
    trigger: str | None
    from_state: str | None
    to_state: str | None
    payload: dict[str, Any]
    results: dict[str, Any]
    role: str | None


# The SKP fields of an indicator row that the chain proves.
INDICATOR_FIELDS = ("label", "rhk", "parent_rhk", "parent_id", "aspect", "target", "unit", "weight", "position",
                    "set_by_id", "set_role", "set_at")
# The saved data key of the rater's behaviour expectations (engine.expectations).
EXPECTATIONS_KEY = "ekspektasi_pimpinan"
REALISATION_FIELDS = ("indicator_key", "value", "note", "evidence_sha256", "evidence_name", "evidence_path",
                      "supplied_role", "source", "checkpoint", "recorded_by_id")
# How far a realisation's ``recorded_at`` may lie from its event's moment (both are taken in one unit of work).
RECORDED_AT_SLACK = timedelta(seconds=60)
# A development activity's fields the chain proves; ``completed_at`` is the moment of the event that marked it done.
DEVELOPMENT_FIELDS = ("title", "jp", "course_id", "status", "evidence_sha256", "evidence_name", "evidence_path",
                      "completed_at")
_EVIDENCE_FIELDS = ("evidence_sha256", "evidence_name", "evidence_path")
_DEVELOPMENT_PAYLOAD = tuple(name for name in DEVELOPMENT_FIELDS if name not in (*_EVIDENCE_FIELDS, "completed_at"))


class _Unrecorded:
    """A value an event of an earlier version did not record (an evidence file's stored path): not judged, so it
    equals whatever the row holds."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "unrecorded"


UNRECORDED: Any = _Unrecorded()


def evidence_fields(evidence: Any) -> dict[str, Any]:
    """What an event's ``evidence`` entry says of the row's file: its SHA-256, its name and its stored path (all
    None without a file; a path the event of an earlier version did not record is :data:`UNRECORDED`)."""
    if not isinstance(evidence, dict) or not evidence:
        return {"evidence_sha256": None, "evidence_name": None, "evidence_path": None}
    return {"evidence_sha256": evidence.get("sha256"), "evidence_name": evidence.get("name", UNRECORDED),
            "evidence_path": evidence.get("path", UNRECORDED)}
# The fields of a row that hold its event's moment: held to it within RECORDED_AT_SLACK, not to the microsecond.
EVENT_MOMENTS = frozenset({"completed_at"})


@dataclass
class Replayed:
    """An appraisal as its chain describes it, built by the apply functions."""

    appraisal_id: int
    state: str | None = None
    cycle_id: str | None = None
    version: int | None = None
    content_hash: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)
    realisations: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    # When each result was last computed: the moment of the last event that carried it (its row's computed_at).
    computed_at: dict[str, datetime | str] = field(default_factory=dict)
    development: list[dict[str, Any]] = field(default_factory=list)
    feedback: Counter[str] = field(default_factory=Counter)
    seals: Seals = field(default_factory=Seals)  # what each window's answers say (engine.feedback_seal)
    closed_kind: str | None = None
    # Whose appraisal it is, in which run and period, as its create or enrol event says (None: not recorded).
    employee_id: int | None = None
    run_id: int | None = None
    period: str | None = None
    # When each realisation was recorded, as its event's moment (in order).
    recorded_at: list[datetime | str] = field(default_factory=list)
    # When the appraisal last entered each state, as the moment of the event that moved it there; ``began``:
    # the chain starts with the appraisal's creation (or enrolment), so it names every state entered.
    entered: dict[str, datetime | str] = field(default_factory=dict)
    began: bool = False
    # Whether the current deadline was claimed (a reminder, an escalation or a refused fire recorded since the
    # state was last entered), so the sweep passes it by; None where the chain cannot tell (see _claimed).
    claimed: bool | None = None
    problems: list[Finding] = field(default_factory=list)
    # Rows of other modules' tables, by what :data:`EXTRA_ROWS` calls them.
    extra: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def move(self, event: ChainEvent, *, reentered: bool = True, context: ReplayContext | None = None) -> None:
        """Follow a state change, naming an event that starts from another state than the chain is in (by the
        states' labels in the cycle version the chain is on, where ``context`` finds it).

        ``reentered``: the destination is entered anew even when it is the state left (a transition back to its
        own state restarts its clock; a cycle version move that keeps the state does not)."""
        if self.state is not None and event.from_state is not None and event.from_state != self.state:
            cycle = context.definition(self.content_hash) if context is not None else None
            self.problems.append(finding("audit.replay_leaves", seq=event.seq, left=named(cycle, "state",
                                                                                          event.from_state),
                                         state=named(cycle, "state", self.state)))
        if event.to_state is not None:
            if reentered or event.to_state != self.state:
                self.entered[event.to_state] = event.occurred_at
            self.state = event.to_state

    def begin(self, state: str | None, event: ChainEvent) -> None:
        """The appraisal starts in ``state`` at the event's moment (its creation or enrolment)."""
        self.state, self.began = state, True
        self.entered = {state: event.occurred_at} if state is not None else {}


def named(cycle: CycleDefinition | None, kind: str, key: Any) -> Label | Message:
    """A ``state``, ``step`` (a trigger) or ``role`` of ``cycle`` as a replay problem names it: by its label where
    the cycle has one (its key in the log), by its key where it has none, nothing as empty."""
    if not isinstance(key, str) or not key:
        return Message("audit.value_empty")
    text = None
    if cycle is not None:
        if kind == "step":
            text = next((t.label for t in cycle.transitions if t.trigger == key), None)
        else:
            found = (cycle.states if kind == "state" else cycle.roles).get(key)
            text = found.label if found is not None else None
    return Label(key, text)


#: What lets the system fire a step: the from-state's deadline (besides a role nobody held, by name).
DEADLINE = ""


@dataclass(frozen=True)
class Step:
    """A transition of a cycle as the chain may record it: where it leads, the roles that may take it, and
    what lets the system take it (:data:`DEADLINE`, or the ``vacant`` roles of its state that fire it)."""

    dest: str
    roles: frozenset[str]
    system: frozenset[str]


@dataclass
class ReplayContext:
    """What replay looks up besides the chain: cycle definitions by content hash (cached)."""

    session: Session
    _by_hash: dict[str, CycleDefinition | None] = field(default_factory=dict)
    _by_id: dict[int, tuple[str, int, str] | None] = field(default_factory=dict)
    _save_as: dict[tuple[Any, ...], str | None] = field(default_factory=dict)
    _steps: dict[tuple[Any, ...], tuple[bool, Step | None]] = field(default_factory=dict)
    results: ResultRecheck = field(default_factory=ResultRecheck)

    def definition(self, content_hash: str | None) -> CycleDefinition | None:
        if content_hash is None:
            return None
        if content_hash not in self._by_hash:
            record_id = self.session.scalar(select(CycleDefinitionRecord.id)
                                            .where(CycleDefinitionRecord.content_hash == content_hash).limit(1))
            try:
                self._by_hash[content_hash] = (
                    compiled_by_id(self.session, record_id, content_hash).definition if record_id is not None
                    else None)
            except Conflict:  # a text changed outside Siklus: named once, by engine.definition_verify
                self._by_hash[content_hash] = None
        return self._by_hash[content_hash]

    def save_as(self, content_hash: str | None, trigger: str, from_state: str) -> str | None:
        """The saved data key of the transition ``trigger`` fires from ``from_state`` in the definition
        ``content_hash`` (None: none, or no such transition), looked up once per (definition, trigger, state)."""
        key = (content_hash, trigger, from_state)
        try:
            return self._save_as[key]
        except KeyError:
            pass
        definition = self.definition(content_hash)
        transition = definition.transition(trigger, from_state) if definition is not None else None
        found = self._save_as[key] = transition.save_as if transition is not None else None
        return found

    def step(self, content_hash: str | None, trigger: str, from_state: str) -> tuple[bool, Step | None]:
        """Whether the definition ``content_hash`` is known, and the step ``trigger`` takes from ``from_state`` in
        it (None: the cycle has no such step), looked up once per (definition, trigger, state)."""
        key = (content_hash, trigger, from_state)
        if key not in self._steps:
            definition = self.definition(content_hash)
            if definition is None:
                self._steps[key] = (False, None)
            else:
                transition = definition.transition(trigger, from_state)
                found = None
                if transition is not None:
                    state = definition.states.get(from_state)
                    deadline = state.deadline if state is not None else None
                    system = {role for role, fired in (state.vacant.items() if state is not None else ())
                              if fired == trigger}
                    if deadline is not None and deadline.fire == trigger:
                        system.add(DEADLINE)
                    found = Step(transition.dest, frozenset(transition.roles), frozenset(system))
                self._steps[key] = (True, found)
        return self._steps[key]

    def record(self, definition_id: Any) -> tuple[str, int, str] | None:
        """(cycle id, version, content hash) of a stored definition, by its id."""
        if not isinstance(definition_id, int):
            return None
        if definition_id not in self._by_id:
            row = self.session.execute(select(CycleDefinitionRecord.cycle_id, CycleDefinitionRecord.version,
                                              CycleDefinitionRecord.content_hash)
                                       .where(CycleDefinitionRecord.id == definition_id)).first()
            self._by_id[definition_id] = (row[0], row[1], row[2]) if row else None
        return self._by_id[definition_id]


Apply = Callable[[Replayed, ChainEvent, ReplayContext], None]
# Event kind -> how it changes a replayed appraisal.
APPLY: dict[str, Apply] = {}


def applies(*kinds: str) -> Callable[[Apply], Apply]:
    """Register an apply function for event ``kinds``."""
    def register(function: Apply) -> Apply:
        for kind in kinds:
            APPLY[kind] = function
        return function
    return register


@applies("create")
def _create(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    payload = event.payload or {}
    if payload.get("via") == "rekey":
        # `siklus audit rekey` started this chain when it re-signed an older database: the appraisal was then in
        # this state, entered at a moment no event recorded, so only the states entered after it are compared.
        replayed.state = event.to_state
    else:
        replayed.begin(event.to_state, event)
    replayed.cycle_id, replayed.version = payload.get("cycle_id"), payload.get("version")
    replayed.content_hash = payload.get("content_hash")
    _identity(replayed, event.employee_id, payload)


@applies("enrol")
def _enrol(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """A joiner or a transferee added to a running run by HR (engine.runs)."""
    payload = event.payload or {}
    replayed.begin(event.to_state or payload.get("state"), event)
    _identity(replayed, payload.get("employee_id", event.employee_id), payload)
    record = context.record(payload.get("definition_id"))
    if record is not None:
        replayed.cycle_id, replayed.version, replayed.content_hash = record


@applies("reopen")
def _reopen(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """HR opened a closed appraisal again (the employee came back to its run): open, in its state entered now."""
    replayed.closed_kind = None
    replayed.move(event, context=context)


def _identity(replayed: Replayed, employee_id: Any, payload: Mapping[str, Any]) -> None:
    """Whose appraisal the chain began, in which run and period (what the event recorded of them)."""
    replayed.employee_id = employee_id if isinstance(employee_id, int) else None
    run_id, period = payload.get("run_id"), payload.get("period")
    replayed.run_id = run_id if isinstance(run_id, int) else None
    replayed.period = period if isinstance(period, str) else None


@applies("close")
def _close(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """HR closed the appraisal (the employee left or moved, or a duplicate): it keeps its state and data."""
    replayed.closed_kind = (event.payload or {}).get("kind") or "closed"


@applies("transition")
def _transition(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    if event.trigger is not None and event.from_state is not None:
        known, step = context.step(replayed.content_hash, event.trigger, event.from_state)
        if known:
            _check_step(replayed, event, step, context)
        save_as = context.save_as(replayed.content_hash, event.trigger, event.from_state)
        if save_as:
            replayed.data[save_as] = dict(event.payload or {})
    replayed.move(event, context=context)


def _check_step(replayed: Replayed, event: ChainEvent, step: Step | None, context: ReplayContext) -> None:
    """A recorded transition is a step of the appraisal's cycle version, taken by a role that may take it: one
    of its roles, or the system where the state's deadline or a role nobody held fires it. A problem names the
    step, its states and roles by their labels in that version (looked up only then)."""
    role = getattr(event, "role", None)
    if step is None or step.dest != event.to_state:
        cycle = context.definition(replayed.content_hash)
        replayed.problems.append(finding("audit.replay_step", seq=event.seq,
                                         trigger=named(cycle, "step", event.trigger),
                                         source=named(cycle, "state", event.from_state),
                                         dest=named(cycle, "state", event.to_state)))
    elif role == SYSTEM_ROLE:
        vacant = (event.payload or {}).get("vacant_role")
        if (vacant if isinstance(vacant, str) else DEADLINE) not in step.system:
            cycle = context.definition(replayed.content_hash)
            replayed.problems.append(finding("audit.replay_system", seq=event.seq,
                                             trigger=named(cycle, "step", event.trigger),
                                             source=named(cycle, "state", event.from_state)))
    elif role is not None and role not in step.roles:
        cycle = context.definition(replayed.content_hash)
        replayed.problems.append(finding("audit.replay_role", seq=event.seq,
                                         trigger=named(cycle, "step", event.trigger), role=named(cycle, "role", role),
                                         roles=one_of([named(cycle, "role", r) for r in sorted(step.roles)])))


@applies("migrate")
def _migrate(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    payload = event.payload or {}
    replayed.move(event, reentered=False, context=context)
    replayed.version, replayed.content_hash = payload.get("to_version"), payload.get("to_hash")


@applies("skp", "cascade")
def _skp(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    replayed.indicators = {item["key"]: {name: item.get(name) for name in INDICATOR_FIELDS}
                           for item in (event.payload or {}).get("skp", [])}


@applies("expectation")
def _expectation(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """The rater's behaviour expectations per BerAKHLAK value, kept as saved data (none: the key goes)."""
    expectations = (event.payload or {}).get("ekspektasi") or {}
    if expectations:
        replayed.data[EXPECTATIONS_KEY] = dict(expectations)
    else:
        replayed.data.pop(EXPECTATIONS_KEY, None)


@applies("realisation")
def _realisation(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    payload = event.payload or {}
    replayed.realisations.append({"indicator_key": payload.get("indicator"), "value": payload.get("value"),
                                  "note": payload.get("note") or "", **evidence_fields(payload.get("evidence")),
                                  "supplied_role": payload.get("role"), "source": payload.get("source"),
                                  "checkpoint": payload.get("checkpoint"), "recorded_by_id": event.actor_user_id})
    replayed.recorded_at.append(event.occurred_at)


@applies("development")
def _development(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """A new activity (no ``action``), or a change to the one the event names (engine.development.activities).
    One recorded done, or marked done, was done at the event's moment; a change while planned leaves that as it
    was."""
    payload = event.payload or {}
    row = {name: payload.get(name) for name in _DEVELOPMENT_PAYLOAD}
    row.update(evidence_fields(payload.get("evidence")))
    action = payload.get("action")
    if not action:
        row["completed_at"] = event.occurred_at if row["status"] == "done" else None
        replayed.development.append({**row, "_id": payload.get("activity")})
        return
    known = next((r for r in replayed.development if r.get("_id") is not None and r["_id"] == payload.get("activity")),
                 None)
    if known is None:
        replayed.problems.append(finding("audit.replay_activity", seq=event.seq, activity=payload.get("activity")))
        return
    if action == "complete":
        row["completed_at"] = event.occurred_at
    else:
        row.update({name: known.get(name) for name in _EVIDENCE_FIELDS})
    known.update(row)


@applies("feedback")
def _feedback(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    payload = event.payload or {}
    if not payload.get("replaced"):
        replayed.feedback[str(payload.get("window"))] += 1
    if (problem := replayed.seals.apply(event.seq, payload, event.occurred_at)) is not None:
        replayed.problems.append(problem)


@applies("complaint")
def _recounted(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """HR triaged a public complaint counted by the appraisal: the appraisal's own data stay as they were (the
    results the event carries are taken)."""


@applies("deadline")
def _deadline(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """A reminder, an escalation or a refused fire: the appraisal's data stay as they were."""


# Other modules' rows that the chain proves: name -> fields, reader, row naming (engine.checkpoints.chain,
# engine.nomination_chain).
EXTRA_ROWS: dict[str, checkpoint_chain.ExtraRows] = {checkpoint_chain.WHAT: checkpoint_chain.ROWS,
                                                     nomination_chain.WHAT: nomination_chain.ROWS}
APPLY[checkpoint_chain.EVENT_KIND] = checkpoint_chain.apply_checkpoint
APPLY[nomination_chain.EVENT_KIND] = nomination_chain.apply_nomination


@dataclass
class Live:
    """An appraisal's live rows, as compared with its chain."""

    state: str
    cycle_id: str
    version: int
    content_hash: str
    run_content_hash: str
    run_cycle_id: str
    run_version: int
    data: dict[str, Any]
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)
    realisations: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    development: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    feedback: Counter[str] = field(default_factory=Counter)
    seals: dict[str, Counter[str]] = field(default_factory=dict)  # window -> its stored answers' seals
    # The answers that name their respondent: (row id, window, seal as live_seal gives it, respondent, created_at
    # as the chain reader gives an event's moment).
    named_answers: list[tuple[int, str, str, int, Any]] = field(default_factory=list)
    closed_kind: str | None = None
    # The appraisal row's own employee, run, period and cycle, and its run's period.
    employee_id: int | None = None
    run_id: int | None = None
    period: str | None = None
    row_cycle_id: str | None = None
    run_period: str | None = None
    recorded_at: list[datetime | str] = field(default_factory=list)  # as the chain reader gives an event's moment
    extra: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    # When the row says it entered each state and its current one, when its deadline falls, and its run's
    # period (what a deadline at a point of the period counts from), all as ISO text.
    state_entries: dict[str, str] = field(default_factory=dict)
    entered_at: str | None = None
    due_at: str | None = None
    run_bounds: tuple[str, str] | None = None
    handled: bool = False  # overdue_handled_at is set: the sweep passes the deadline by


@lru_cache(maxsize=256)
def _bounds(texts: tuple[str, str] | None) -> tuple[datetime, datetime] | None:
    """A run's bounds as moments in UTC (the checkpoint series' periods follow from them), None when unknown."""
    if texts is None or not all(texts):
        return None
    try:
        start, end = (datetime.fromisoformat(t) for t in texts)
    except ValueError:
        return None
    return tuple(m if m.tzinfo is not None else m.replace(tzinfo=UTC) for m in (start, end))  # type: ignore[return-value]


def _claimed(was: bool | None, event: ChainEvent) -> bool | None:
    """Whether the deadline is claimed after ``event`` (engine.deadlines): a ``deadline`` event claims it; entering
    a state (created, enrolled, moved, reopened) starts a new one unclaimed. A cycle version move that keeps the
    state may or may not move the deadline, and a re-signing's ``create`` starts from a claim it cannot see: not
    known after either."""
    if event.kind == "deadline":
        return True
    if event.kind in ("transition", "enrol", "reopen") or (
            event.kind == "create" and (event.payload or {}).get("via") != "rekey"):
        return False
    if event.kind == "migrate" or event.kind == "create":
        return False if event.kind == "migrate" and event.from_state != event.to_state else None
    return was


def replay(appraisal_id: int, events: Iterable[ChainEvent], context: ReplayContext,
           start: Live | None = None) -> Replayed:
    """Run the apply functions over an appraisal's chain, in order.

    A chain begun before appraisals had a ``create`` event starts from the first event's
    ``from_state`` on the version its run was launched with (``start``).
    """
    replayed = Replayed(appraisal_id)
    bounds = _bounds(start.run_bounds if start is not None else None)
    first = True
    for event in events:
        if first and event.kind != "create" and start is not None:
            replayed.state = event.from_state
            replayed.cycle_id, replayed.version = start.run_cycle_id, start.run_version
            replayed.content_hash = start.run_content_hash
        first = False
        apply = APPLY.get(event.kind)
        if apply is None:
            replayed.problems.append(finding("audit.replay_kind", seq=event.seq, kind=event.kind))
            continue
        apply(replayed, event, context)
        replayed.claimed = _claimed(replayed.claimed, event)
        # Every kind alike: an event carries the results it (re)computed, and they are the stored ones; those
        # the chain alone determines must be what the cycle's rule gives (engine.replay_results), where the chain
        # holds the appraisal from its creation (one begun later by a re-signing lacks what came before).
        if event.results:
            replayed.results.update(event.results)
            # The writer stores every result an event carries at the event's moment, changed or not.
            replayed.computed_at.update(dict.fromkeys(event.results, event.occurred_at))
        if event.results and replayed.began:
            replayed.problems.extend(context.results.check(
                context.definition(replayed.content_hash), replayed.content_hash, event.seq, event.results,
                ChainView(replayed.data, replayed.results, replayed.indicators, replayed.realisations,
                          replayed.extra.get(checkpoint_chain.WHAT, ()), bounds)))
    # Each result as the last event that computed it carries it.
    replayed.results = {name: dict(computed) for name, computed in replayed.results.items()}
    return replayed


__all__ = ["APPLY", "DEVELOPMENT_FIELDS", "EVENT_MOMENTS", "EXPECTATIONS_KEY", "EXTRA_ROWS", "INDICATOR_FIELDS",
           "REALISATION_FIELDS", "RECORDED_AT_SLACK", "ChainEvent", "Live", "ReplayContext", "Replayed", "applies",
           "replay"]
