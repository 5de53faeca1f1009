"""Replaying an appraisal's audit chain: what the chain says the appraisal is, compared with its rows.

Each kind of event has one apply function in :data:`APPLY`; replaying a chain runs them in order
over a :class:`Replayed` appraisal and derives its state, the cycle version it runs on, the
payloads kept by ``save_as`` transitions, its SKP indicators, realisations, results, development
activities and feedback counts. :func:`differences` names every live row that disagrees with
the chain; ``siklus audit verify`` reports them (docs/audit.md).

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

import difflib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.checkpoints import chain as checkpoint_chain
from engine.definition import CycleDefinition
from engine.loaded import compiled_by_id
from engine.models import (
    Appraisal,
    CycleDefinitionRecord,
    CycleRun,
    DevelopmentActivity,
    FeedbackResponse,
    Indicator,
    Realisation,
    Result,
)


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


# The SKP fields of an indicator row that the chain proves.
INDICATOR_FIELDS = ("label", "rhk", "parent_rhk", "parent_id", "aspect", "target", "unit", "weight", "position",
                    "set_by_id", "set_role", "set_at")
# The saved data key of the rater's behaviour expectations (engine.expectations).
EXPECTATIONS_KEY = "ekspektasi_pimpinan"
REALISATION_FIELDS = ("indicator_key", "value", "note", "evidence_sha256", "supplied_role", "source", "checkpoint",
                      "recorded_by_id")
# How far a realisation's ``recorded_at`` may lie from its event's moment (both are taken in one unit of work).
RECORDED_AT_SLACK = timedelta(seconds=60)
DEVELOPMENT_FIELDS = ("title", "jp", "course_id", "status", "evidence_sha256")


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
    development: list[dict[str, Any]] = field(default_factory=list)
    feedback: Counter[str] = field(default_factory=Counter)
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
    problems: list[str] = field(default_factory=list)
    # Rows of other modules' tables, by what :data:`EXTRA_ROWS` calls them.
    extra: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def move(self, event: ChainEvent, *, reentered: bool = True) -> None:
        """Follow a state change, naming an event that starts from another state than the chain is in.

        ``reentered``: the destination is entered anew even when it is the state left (a transition back to its
        own state restarts its clock; a cycle version move that keeps the state does not)."""
        if self.state is not None and event.from_state is not None and event.from_state != self.state:
            self.problems.append(f"event seq {event.seq} leaves state '{event.from_state}' but the chain was in "
                                 f"'{self.state}'")
        if event.to_state is not None:
            if reentered or event.to_state != self.state:
                self.entered[event.to_state] = event.occurred_at
            self.state = event.to_state

    def begin(self, state: str | None, event: ChainEvent) -> None:
        """The appraisal starts in ``state`` at the event's moment (its creation or enrolment)."""
        self.state, self.began = state, True
        self.entered = {state: event.occurred_at} if state is not None else {}


@dataclass
class ReplayContext:
    """What replay looks up besides the chain: cycle definitions by content hash (cached)."""

    session: Session
    _by_hash: dict[str, CycleDefinition | None] = field(default_factory=dict)
    _by_id: dict[int, tuple[str, int, str] | None] = field(default_factory=dict)
    _save_as: dict[tuple[Any, ...], str | None] = field(default_factory=dict)

    def definition(self, content_hash: str | None) -> CycleDefinition | None:
        if content_hash is None:
            return None
        if content_hash not in self._by_hash:
            record_id = self.session.scalar(select(CycleDefinitionRecord.id)
                                            .where(CycleDefinitionRecord.content_hash == content_hash).limit(1))
            self._by_hash[content_hash] = (
                compiled_by_id(self.session, record_id, content_hash).definition if record_id is not None else None)
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
    replayed.move(event)


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
        save_as = context.save_as(replayed.content_hash, event.trigger, event.from_state)
        if save_as:
            replayed.data[save_as] = dict(event.payload or {})
    replayed.move(event)


@applies("migrate")
def _migrate(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    payload = event.payload or {}
    replayed.move(event, reentered=False)
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
    evidence = payload.get("evidence") or {}
    replayed.realisations.append({"indicator_key": payload.get("indicator"), "value": payload.get("value"),
                                  "note": payload.get("note") or "", "evidence_sha256": evidence.get("sha256"),
                                  "supplied_role": payload.get("role"), "source": payload.get("source"),
                                  "checkpoint": payload.get("checkpoint"), "recorded_by_id": event.actor_user_id})
    replayed.recorded_at.append(event.occurred_at)


@applies("development")
def _development(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """A new activity (no ``action``), or a change to the one the event names (engine.development.activities)."""
    payload = event.payload or {}
    row = {name: payload.get(name) for name in DEVELOPMENT_FIELDS if name != "evidence_sha256"}
    row["evidence_sha256"] = (payload.get("evidence") or {}).get("sha256")
    if not payload.get("action"):
        replayed.development.append({**row, "_id": payload.get("activity")})
        return
    known = next((r for r in replayed.development if r.get("_id") is not None and r["_id"] == payload.get("activity")),
                 None)
    if known is None:
        replayed.problems.append(f"event seq {event.seq} changes development activity #{payload.get('activity')}, "
                                 "which the chain never recorded")
        return
    evidence = known.get("evidence_sha256")
    known.update(row)
    if payload.get("action") != "complete":
        known["evidence_sha256"] = evidence


@applies("feedback")
def _feedback(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    payload = event.payload or {}
    if not payload.get("replaced"):
        replayed.feedback[str(payload.get("window"))] += 1


@applies("complaint", "nomination")
def _recounted(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """HR triaged a public complaint counted by the appraisal, or the rater decided a nominated
    respondent: the appraisal's own data stay as they were (the results the event carries are taken)."""


@applies("deadline")
def _deadline(replayed: Replayed, event: ChainEvent, context: ReplayContext) -> None:
    """A reminder, an escalation or a refused fire: the appraisal's data stay as they were."""


# Other modules' rows that the chain proves: name -> fields, reader, row naming (engine.checkpoints.chain).
EXTRA_ROWS: dict[str, checkpoint_chain.ExtraRows] = {checkpoint_chain.WHAT: checkpoint_chain.ROWS}
APPLY[checkpoint_chain.EVENT_KIND] = checkpoint_chain.apply_checkpoint


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
    closed_kind: str | None = None
    # The appraisal row's own employee, run, period and cycle, and its run's period.
    employee_id: int | None = None
    run_id: int | None = None
    period: str | None = None
    row_cycle_id: str | None = None
    run_period: str | None = None
    recorded_at: list[datetime] = field(default_factory=list)
    extra: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    # When the row says it entered each state and its current one, when its deadline falls, and its run's
    # period (what a deadline at a point of the period counts from), all as ISO text.
    state_entries: dict[str, str] = field(default_factory=dict)
    entered_at: str | None = None
    due_at: str | None = None
    run_bounds: tuple[str, str] | None = None


_INDICATOR_COLUMNS = [getattr(Indicator, name) for name in INDICATOR_FIELDS]


class LiveReader:
    """Reads the live rows of a batch of appraisals (one query per table)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.context = ReplayContext(session)

    def read(self, within: Callable[[Any], Any]) -> dict[int, Live]:
        """The live rows of the appraisals whose id satisfies ``within(column)``."""
        s = self.session
        conn = s.connection()

        def fetch(stmt: Any) -> Sequence[Any]:
            # Core rows on the session's connection, fetched at once: no ORM loading, no round of the
            # driver per row.
            return conn.execute(stmt).all()

        run_definition = CycleDefinitionRecord.__table__.alias("run_definition")
        live: dict[int, Live] = {}
        # Outer joins: an appraisal whose definition or run was pointed elsewhere is still compared (and named).
        rows = fetch(
            select(Appraisal.id, Appraisal.state, Appraisal.data, Appraisal.closed_at, Appraisal.closed_kind,
                   CycleDefinitionRecord.cycle_id,
                   CycleDefinitionRecord.version, CycleDefinitionRecord.content_hash, run_definition.c.cycle_id,
                   run_definition.c.version, run_definition.c.content_hash, Appraisal.employee_id, Appraisal.run_id,
                   Appraisal.period, Appraisal.cycle_id, CycleRun.period, Appraisal.state_entries,
                   Appraisal.entered_at, Appraisal.due_at, CycleRun.period_start, CycleRun.period_end)
            .outerjoin(CycleDefinitionRecord, CycleDefinitionRecord.id == Appraisal.definition_id)
            .outerjoin(CycleRun, CycleRun.id == Appraisal.run_id)
            .outerjoin(run_definition, run_definition.c.id == CycleRun.definition_id)
            .where(within(Appraisal.id)))
        for (aid, state, data, closed_at, closed_kind, cycle_id, version, content_hash,
             run_cycle, run_version, run_hash, employee_id, run_id, period, row_cycle, run_period, entries,
             entered_at, due_at, period_start, period_end) in rows:
            live[aid] = Live(state, cycle_id, version, content_hash, run_hash, run_cycle, run_version, dict(data or {}),
                             closed_kind=(closed_kind or "closed") if closed_at is not None else None,
                             employee_id=employee_id, run_id=run_id, period=period, row_cycle_id=row_cycle,
                             run_period=run_period, state_entries={k: str(v) for k, v in (entries or {}).items()},
                             entered_at=_iso(entered_at), due_at=_iso(due_at),
                             run_bounds=((_iso(period_start) or "", _iso(period_end) or "")
                                         if period_start is not None and period_end is not None else None))
        for aid, key, *values in fetch(select(Indicator.appraisal_id, Indicator.key, *_INDICATOR_COLUMNS)
                                           .where(within(Indicator.appraisal_id))):
            if aid in live:
                fields = dict(zip(INDICATOR_FIELDS, values, strict=True))
                fields["set_at"] = fields["set_at"].isoformat() if fields["set_at"] is not None else None
                live[aid].indicators[key] = fields
        for r in fetch(select(Realisation.id, Realisation.appraisal_id, Realisation.indicator_key,
                                  Realisation.value,
                                  Realisation.note, Realisation.evidence_sha256, Realisation.supplied_role,
                                  Realisation.source, Realisation.checkpoint, Realisation.recorded_by_id,
                                  Realisation.recorded_at)
                           .where(within(Realisation.appraisal_id)).order_by(Realisation.id)):
            if r.appraisal_id in live:
                live[r.appraisal_id].realisations.append(
                    (r.id, {"indicator_key": r.indicator_key, "value": r.value, "note": r.note or "",
                            "evidence_sha256": r.evidence_sha256, "supplied_role": r.supplied_role,
                            "source": r.source, "checkpoint": r.checkpoint, "recorded_by_id": r.recorded_by_id}))
                live[r.appraisal_id].recorded_at.append(r.recorded_at)
        for r in fetch(select(Result.appraisal_id, Result.name, Result.value, Result.missing)
                           .where(within(Result.appraisal_id))):
            if r.appraisal_id in live:
                live[r.appraisal_id].results[r.name] = {"value": r.value, "missing": list(r.missing or [])}
        for d in fetch(select(DevelopmentActivity.id, DevelopmentActivity.appraisal_id, DevelopmentActivity.title,
                                  DevelopmentActivity.jp, DevelopmentActivity.course_id, DevelopmentActivity.status,
                                  DevelopmentActivity.evidence_sha256)
                           .where(within(DevelopmentActivity.appraisal_id)).order_by(DevelopmentActivity.id)):
            if d.appraisal_id in live:
                live[d.appraisal_id].development.append(
                    (d.id, {"title": d.title, "jp": d.jp, "course_id": d.course_id, "status": d.status,
                            "evidence_sha256": d.evidence_sha256}))
        for aid, window, count in fetch(
                select(FeedbackResponse.appraisal_id, FeedbackResponse.window, func.count())
                .where(within(FeedbackResponse.appraisal_id))
                .group_by(FeedbackResponse.appraisal_id, FeedbackResponse.window)):
            if aid in live:
                live[aid].feedback[window] = count
        for what, extra in EXTRA_ROWS.items():
            for aid, found in extra.read(s, within).items():
                if aid in live:
                    live[aid].extra[what] = found
        return live


def replay(appraisal_id: int, events: Iterable[ChainEvent], context: ReplayContext,
           start: Live | None = None) -> Replayed:
    """Run the apply functions over an appraisal's chain, in order.

    A chain begun before appraisals had a ``create`` event starts from the first event's
    ``from_state`` on the version its run was launched with (``start``).
    """
    replayed = Replayed(appraisal_id)
    first = True
    for event in events:
        if first and event.kind != "create" and start is not None:
            replayed.state = event.from_state
            replayed.cycle_id, replayed.version = start.run_cycle_id, start.run_version
            replayed.content_hash = start.run_content_hash
        first = False
        apply = APPLY.get(event.kind)
        if apply is None:
            replayed.problems.append(f"event seq {event.seq} is of kind '{event.kind}', which replay does not know "
                                     "(engine/replay.py APPLY)")
            continue
        apply(replayed, event, context)
        # Every kind alike: an event carries the results it (re)computed, and they are the stored ones.
        if event.results:
            replayed.results.update(event.results)
    # Each result as the last event that computed it carries it.
    replayed.results = {name: dict(computed) for name, computed in replayed.results.items()}
    return replayed


def _shown(value: Any, width: int = 80) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"'{value}'" if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True,
                                                                  default=str)
    return text if len(text) <= width else text[:width - 1] + "…"


def _same(a: Any, b: Any) -> bool:
    """Equal as stored JSON (1 and 1.0 alike; tuples as lists).

    Values equal by ``==`` are the same here, so :func:`differences` looks closer only where ``==`` fails.
    """
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _rows(what: str, live: Sequence[tuple[int, dict[str, Any]]], derived: Sequence[dict[str, Any]],
          fields: Sequence[str], name: Callable[[dict[str, Any]], str]) -> list[str]:
    if len(live) == len(derived) and all(row == chained for (_id, row), chained in zip(live, derived, strict=True)):
        return []  # equal rows (as dicts) have equal fields; see _same
    out = []
    for mine, theirs in _aligned([row for _id, row in live], derived, fields):
        if mine is None:
            if theirs is not None:
                out.append(f"{what} {name(derived[theirs])}recorded in the chain is missing")
        elif theirs is None:
            row_id, row = live[mine]
            out.append(f"{what} #{row_id} {name(row)}is not in the chain")
        else:
            (row_id, row), chained = live[mine], derived[theirs]
            out.extend(f"{what} #{row_id} {name(row)}{f} is {_shown(row.get(f))} but the chain says "
                       f"{_shown(chained.get(f))}" for f in fields if not _same(row.get(f), chained.get(f)))
    return out


def _aligned(live: Sequence[Mapping[str, Any]], derived: Sequence[Mapping[str, Any]],
             fields: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """The live rows paired with the chain's, in order: a row deleted from (or added to) the middle is named
    alone, not as every later row differing from its neighbour's event. As many rows as events pair in order (a
    changed row is named field by field); otherwise rows equal in every field pair first, between them rows pair
    up in order, and the rest stand alone."""
    if len(live) == len(derived):
        return [(i, i) for i in range(len(live))]

    def key(row: Mapping[str, Any]) -> str:
        return json.dumps([row.get(f) for f in fields], sort_keys=True, default=str)

    matcher = difflib.SequenceMatcher(None, [key(r) for r in live], [key(r) for r in derived], autojunk=False)
    pairs: list[tuple[int | None, int | None]] = []
    for _tag, a_low, a_high, b_low, b_high in matcher.get_opcodes():
        common = min(a_high - a_low, b_high - b_low)
        pairs.extend((a_low + i, b_low + i) for i in range(common))
        pairs.extend((a, None) for a in range(a_low + common, a_high))
        pairs.extend((None, b) for b in range(b_low + common, b_high))
    return pairs


def _keys_to_compare(live: Mapping[str, Any], chained: Mapping[str, Any]) -> list[str]:
    """The keys of both, in order, to compare one by one; none when the two are equal (see _same)."""
    return [] if live == chained else sorted(set(live) | set(chained))


def _same_results(live: Live, replayed: Replayed) -> bool:
    """Whether every result has the value and the missing inputs the chain says (by ``==``; see _same)."""
    chained = replayed.results
    if live.results.keys() != chained.keys():
        return False
    for key, row in live.results.items():
        found = chained[key]
        if not (row["value"] == found.get("value") and row["missing"] == (found.get("missing") or [])):
            return False
    return True


def _utc(moment: datetime | str) -> datetime:
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


def _when(moment: datetime | str | None) -> str:
    try:
        return f"{_utc(moment):%Y-%m-%d %H:%M:%S} UTC" if moment is not None else "nothing"
    except (TypeError, ValueError):
        return _shown(str(moment))


def _near(stored: datetime | None, chained: datetime | str) -> bool:
    """Whether a row's moment is its event's (taken in the same unit of work)."""
    try:
        return stored is not None and abs(_utc(stored) - _utc(chained)) <= RECORDED_AT_SLACK
    except (TypeError, ValueError):
        return False


def _iso(moment: datetime | str | None) -> str | None:
    return moment.isoformat() if isinstance(moment, datetime) else moment


def _expected_due(live: Live, replayed: Replayed, defn: CycleDefinition | None) -> tuple[bool, datetime | None]:
    """When the current state's deadline falls by the chain: (known, moment). Not known for a deadline counted
    in working days (the holiday calendar may have changed since) or without the definition or the state's entry."""
    if live.closed_kind is not None or replayed.closed_kind is not None:
        return False, None  # no sweep reads a closed appraisal's deadline (one closed before events may keep it)
    state = defn.states.get(live.state) if defn is not None else None
    entered = replayed.entered.get(live.state)
    if state is None or entered is None:
        return False, None
    deadline = state.deadline
    if deadline is None:
        return True, None
    if deadline.within is not None:
        if deadline.within.working_days:
            return False, None
        return True, _utc(entered) + timedelta(hours=deadline.within.hours)
    if live.run_bounds is None or (deadline.offset is not None and deadline.offset.working_days):
        return False, None
    base = _utc(live.run_bounds[1] if deadline.at == "period_end" else live.run_bounds[0])
    return True, base + timedelta(hours=deadline.offset.hours) if deadline.offset is not None else base


def _timing_differences(live: Live, replayed: Replayed, context: ReplayContext) -> list[str]:
    """When the row says it entered each state (what a time window such as the appeal's counts from), its
    current one, and when its deadline falls (what the sweep fires on), against the chain's moments."""
    out = []
    for state in sorted(set(replayed.entered) | (set(live.state_entries) if replayed.began else set())):
        stored, chained = live.state_entries.get(state), replayed.entered.get(state)
        if chained is None:
            out.append(f"says it entered state '{state}' at {_when(stored)}, which the chain never entered")
        elif stored is None:
            out.append(f"has no time of entering state '{state}' but the chain says {_when(chained)}")
        elif not _near(_moment(stored), chained):
            out.append(f"entered state '{state}' at {_when(stored)} but the chain says {_when(chained)}")
    current = replayed.entered.get(live.state)
    if current is not None and live.entered_at is not None and not _near(_moment(live.entered_at), current):
        out.append(f"entered its current state at {_when(live.entered_at)} but the chain says {_when(current)}")
    known, due = _expected_due(live, replayed, context.definition(replayed.content_hash))
    stored_due = _moment(live.due_at)
    if known and (stored_due is not None if due is None else not _near(stored_due, due)):
        out.append(f"has its deadline at {_when(live.due_at) if live.due_at else 'none'} but the chain says "
                   f"{_when(due) if due is not None else 'none'}")
    return out


def _moment(text: str | None) -> datetime | None:
    try:
        return _utc(text) if text else None
    except (TypeError, ValueError):
        return None


def _identity_differences(live: Live, replayed: Replayed) -> list[str]:
    """Whose appraisal it is, in which run, period and cycle: the row against its chain and its run."""
    out = []
    if replayed.employee_id is not None and live.employee_id != replayed.employee_id:
        out.append(f"belongs to employee #{live.employee_id} but the chain says employee #{replayed.employee_id}")
    if replayed.run_id is not None and live.run_id != replayed.run_id:
        out.append(f"is in run #{live.run_id} but the chain says run #{replayed.run_id}")
    if live.period != (replayed.period or live.run_period):
        out.append(f"is for period {_shown(live.period)} but the chain and its run say "
                   f"{_shown(replayed.period or live.run_period)}")
    if live.row_cycle_id != (replayed.cycle_id or live.cycle_id):
        out.append(f"names cycle {_shown(live.row_cycle_id)} but the chain says "
                   f"{_shown(replayed.cycle_id or live.cycle_id)}")
    return out


def differences(appraisal_id: int, events: Sequence[ChainEvent], live: Live | None, reader: LiveReader) -> list[str]:
    """Each way the appraisal's live rows differ from what its chain derives, in words."""
    if live is None:
        return []
    if not events:
        return ["it has no audit chain at all; it was added after the fact (or launched before appraisals "
                "had one: `siklus audit rekey` starts it)"]
    replayed = replay(appraisal_id, events, reader.context, live)
    out = list(replayed.problems)
    if replayed.state != live.state:
        out.append(f"state is '{live.state}' but the chain says '{replayed.state}'")
    if replayed.closed_kind != live.closed_kind:
        shown: dict[str | None, str] = {None: "open"}
        out.append(f"is {shown.get(live.closed_kind, f'closed ({live.closed_kind})')} but the chain says "
                   f"{shown.get(replayed.closed_kind, f'closed ({replayed.closed_kind})')}")
    if (live.cycle_id, live.version, live.content_hash) != (replayed.cycle_id or live.cycle_id, replayed.version,
                                                            replayed.content_hash):
        out.append(f"runs on {live.cycle_id} version {live.version} but the chain says "
                   f"{replayed.cycle_id or live.cycle_id} version {replayed.version}")
    out.extend(_identity_differences(live, replayed))
    out.extend(_timing_differences(live, replayed, reader.context))
    for key in _keys_to_compare(live.data, replayed.data):
        if key not in replayed.data:
            out.append(f"saved data '{key}' is not in the chain")
        elif key not in live.data:
            out.append(f"saved data '{key}' recorded in the chain is missing")
        elif not _same(live.data[key], replayed.data[key]):
            out.append(f"saved data '{key}' is {_shown(live.data[key])} "
                       f"but the chain says {_shown(replayed.data[key])}")
    for key in _keys_to_compare(live.indicators, replayed.indicators):
        row, chained = live.indicators.get(key), replayed.indicators.get(key)
        if chained is None:
            out.append(f"SKP indicator '{key}' is not in the chain")
        elif row is None:
            out.append(f"SKP indicator '{key}' recorded in the chain is missing")
        else:
            out.extend(f"SKP indicator '{key}' {f} is {_shown(row[f])} but the chain says {_shown(chained[f])}"
                       for f in INDICATOR_FIELDS if not _same(row[f], chained[f]))
    out.extend(_rows("realisation", live.realisations, replayed.realisations, REALISATION_FIELDS,
                     lambda r: f"for '{r.get('indicator_key')}' "))
    for mine, theirs in _aligned([row for _id, row in live.realisations], replayed.realisations, REALISATION_FIELDS):
        if mine is None or theirs is None or mine >= len(live.recorded_at) or theirs >= len(replayed.recorded_at):
            continue
        row_id, stored_at, chained_at = live.realisations[mine][0], live.recorded_at[mine], replayed.recorded_at[theirs]
        if not _near(stored_at, chained_at):
            out.append(f"realisation #{row_id} was recorded at {_when(stored_at)} "
                       f"but the chain says {_when(chained_at)}")
    for key in [] if _same_results(live, replayed) else sorted(set(live.results) | set(replayed.results)):
        row, chained = live.results.get(key), replayed.results.get(key)
        if chained is None:
            out.append(f"result {key} is not in the chain")
        elif row is None:
            out.append(f"result {key} recorded in the chain is missing")
        else:
            if not _same(row["value"], chained.get("value")):
                out.append(f"result {key} is {_shown(row['value'])} but the chain says {_shown(chained.get('value'))}")
            if not _same(row["missing"], chained.get("missing") or []):
                out.append(f"result {key} lacks {_shown(row['missing'])} but the chain says "
                           f"{_shown(chained.get('missing') or [])}")
    out.extend(_rows("development activity", live.development, replayed.development, DEVELOPMENT_FIELDS,
                     lambda r: f"'{r.get('title')}' "))
    for what, extra in EXTRA_ROWS.items():
        out.extend(_rows(what, live.extra.get(what, []), replayed.extra.get(what, []), extra.fields, extra.name))
    for window in _keys_to_compare(live.feedback, replayed.feedback):
        if live.feedback[window] != replayed.feedback[window]:
            out.append(f"feedback '{window}' has {live.feedback[window]} answer(s) but the chain records "
                       f"{replayed.feedback[window]}")
    return out


__all__ = ["APPLY", "EXPECTATIONS_KEY", "ChainEvent", "Live", "LiveReader", "ReplayContext", "Replayed", "applies",
           "differences", "replay"]
