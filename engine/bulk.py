"""Tindakan massal: one trigger fired for many appraisals at once, each in its own unit of work.

Only a transition that needs no input, or one shared text (a comment), can be fired in bulk; one that
needs input per appraisal (a rating, an appeal decision) is done on each appraisal's page. Each item
is fired at the version it was shown at, so an appraisal changed since is left alone ("stale").

A batch of more than :data:`BULK_INLINE_MAX` items does not run inside the request: :func:`enqueue_bulk`
checks it exactly as :func:`fire_in_bulk` does and queues it as a job, which ``siklus worker`` fires
item by item through the same :func:`fire_transition` (:data:`BULK_JOB`), so each item is audited as on
the synchronous path and the page follows the job's progress.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.access import Waiting, waiting_for
from engine.appraisals import fire_transition
from engine.definition import Text, TransitionDef
from engine.detail.guidance import irreversible
from engine.errors import Conflict, InvalidInput, NotFound, SiklusError
from engine.job_models import Job, JobItem
from engine.jobs.queue import ItemResult, enqueue, error_record
from engine.messages import Message
from engine.models import Appraisal, AuditEvent, CycleDefinitionRecord, Employee
from engine.permissions import Actor
from engine.policy import Policy
from engine.registry import definition_of

BULK_SHOWN = 1000        # appraisals listed for bulk action
BULK_EXAMINED = 5000     # candidates looked at to fill the list
BULK_MAX = 1000          # items fired by one batch
BULK_INLINE_MAX = 50     # items fired inside the request; a larger batch becomes a job
BULK_KIND = "bulk"


@dataclass(frozen=True)
class BulkShape:
    """How a transition is fired in bulk: with no input, or with one shared comment under ``comment_key``."""

    comment_key: str | None = None
    comment_required: bool = False
    comment_min: int | None = None


def bulk_shape(transition: TransitionDef) -> BulkShape | None:
    """How ``transition`` can be fired in bulk, or None when it needs input per appraisal (e.g. a rating).

    It can when its payload schema asks for nothing, or for exactly one free-text string (a comment
    every selected appraisal gets).
    """
    schema = transition.payload_schema or {}
    properties: Mapping[str, Any] = schema.get("properties") or {}
    if not properties and not schema.get("required") and not schema.get("patternProperties"):
        return BulkShape()
    if len(properties) == 1 and not schema.get("patternProperties"):
        key, spec = next(iter(properties.items()))
        if isinstance(spec, Mapping) and spec.get("type") == "string" and "enum" not in spec:
            minimum = spec.get("minLength")
            return BulkShape(key, key in (schema.get("required") or []), int(minimum) if minimum is not None else None)
    return None


@dataclass
class BulkGroup:
    """The appraisals waiting for one trigger that can be fired for many at once."""

    trigger: str
    label: Text
    shape: BulkShape
    rows: list[Waiting] = field(default_factory=list)
    irreversible: bool = False  # nobody can take it back (e.g. closing the cycle): confirmed before firing


@dataclass(frozen=True)
class BulkChoice:
    """What the actor may do in bulk: the groups by trigger, the labels of triggers that must be done
    one by one, and whether the list was cut at ``BULK_SHOWN``."""

    groups: tuple[BulkGroup, ...]
    manual: tuple[Text, ...]
    more: bool

    def group(self, trigger: str | None) -> BulkGroup | None:
        return next((g for g in self.groups if g.trigger == trigger), None)


def bulk_choice(session: Session, actor: Actor) -> BulkChoice:
    """The appraisals waiting for the actor, grouped by the trigger they may fire on them in bulk."""
    waiting, more = waiting_for(session, actor, limit=BULK_SHOWN, examined=BULK_EXAMINED)
    groups: dict[str, BulkGroup] = {}
    manual: dict[str, Text] = {}
    for w in waiting:
        for action in w.actions:
            t = action.transition
            shape = bulk_shape(t)
            if shape is None:
                manual.setdefault(t.trigger, t.label)
                continue
            group = groups.setdefault(t.trigger, BulkGroup(t.trigger, t.label, shape))
            group.rows.append(w)
            group.irreversible = group.irreversible or irreversible(w.defn, t)
    return BulkChoice(tuple(groups.values()), tuple(manual.values()), more)


class NotInBulk(InvalidInput):
    """A trigger that needs input per appraisal, or a batch that cannot be fired as asked."""

    http_status = 400


@dataclass(frozen=True)
class BulkItem:
    """What happened to one selected appraisal: ``ok`` (now in ``to_state``), ``stale`` or ``refused``."""

    appraisal_id: int
    name: str
    outcome: Literal["ok", "stale", "refused"]
    to_state: Text | None = None
    error: SiklusError | None = None
    warnings: tuple[Mapping[str, str], ...] = ()  # of guards declared to warn (a calibration the unit breaks)


@dataclass(frozen=True)
class BulkBatch:
    """The outcome of one bulk action, item by item."""

    trigger: str
    label: Text
    items: tuple[BulkItem, ...]

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)


def trigger_label(session: Session, trigger: str) -> Text:
    """The label of a trigger in the published cycles (the trigger itself when none has it)."""
    for record in session.scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.status != "draft")):
        found = next((t for t in definition_of(record).transitions if t.trigger == trigger), None)
        if found is not None:
            return found.label
    return Text(trigger, trigger)


@dataclass(frozen=True)
class _Prepared:
    """What a batch needs to know once: each selected appraisal's name and cycle version, the comment key
    of each version's transition, the state labels, and the trigger's label."""

    label: Text
    found: Mapping[int, tuple[str, int]]
    comment_keys: Mapping[int, str | None]
    states: Mapping[tuple[int, str], Text]


def _prepare(session: Session, actor: Actor, trigger: str, items: Sequence[tuple[int, int]], comment: str,
             *, limit: int | None = BULK_MAX, confirmed: bool = True) -> _Prepared:
    """Check a batch before anything is fired (refusals as :class:`NotInBulk`) and read what it needs;
    a step nobody can take back is fired only ``confirmed``, as on the appraisal page.

    Only the appraisals the actor may open are read (``found``): one they may not is answered as one that does
    not exist, without its employee's name, its version or its state (:func:`_fire_one`)."""
    if not items:
        raise NotInBulk("select at least one appraisal", msg=Message("bulk.none"))
    if limit is not None and len(items) > limit:
        raise NotInBulk(f"at most {limit} appraisals at once", msg=Message("bulk.too_many", limit=limit))
    ids = [aid for aid, _v in items]
    found = {aid: (f"{name} ({nip})", definition_id) for aid, definition_id, name, nip in session.execute(
        select(Appraisal.id, Appraisal.definition_id, Employee.name, Employee.nip).join(Appraisal.employee)
        .where(Appraisal.id.in_(ids), Policy(session, actor).listable()))}
    states: dict[tuple[int, str], Text] = {}
    comment_keys: dict[int, str | None] = {}
    for record in session.scalars(select(CycleDefinitionRecord).where(
            CycleDefinitionRecord.id.in_({d for _n, d in found.values()}))):
        defn = definition_of(record)
        states.update({(record.id, s): spec.label for s, spec in defn.states.items()})
        transition = next((t for t in defn.transitions if t.trigger == trigger), None)
        comment_keys[record.id] = _checked(transition, comment).comment_key
        if not confirmed and transition is not None and irreversible(defn, transition):
            raise NotInBulk(f"'{trigger}' cannot be taken back: tick the confirmation first",
                            msg=Message("bulk.confirm"))
    return _Prepared(trigger_label(session, trigger), found, comment_keys, states)


def once_each(items: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each appraisal once, with the first version posted for it: a batch naming one appraisal again with the
    versions it will have next would otherwise repeat a step that returns to its own state."""
    first: dict[int, int] = {}
    for appraisal_id, version in items:
        first.setdefault(appraisal_id, version)
    return list(first.items())


def fire_in_bulk(session: Session, actor: Actor, trigger: str, items: Sequence[tuple[int, int]],
                 comment: str = "", *, confirmed: bool = False) -> BulkBatch:
    """Fire ``trigger`` on each (appraisal id, version shown) as ``actor``, with ``comment`` where the
    transition takes one; one unit of work per item, so one refusal leaves the others done.

    Raises :class:`NotInBulk` before firing anything when nothing is selected, too much is, the
    trigger needs input per appraisal, a required comment is too short, or the step cannot be taken
    back and the person did not confirm it.
    """
    items = once_each(items)
    ready = _prepare(session, actor, trigger, items, comment, confirmed=confirmed)
    session.rollback()  # end this read: each item is its own unit of work
    return BulkBatch(trigger, ready.label, tuple(
        _fire_one(session, actor, trigger, appraisal_id, version, comment, ready.found, ready.comment_keys,
                  ready.states)
        for appraisal_id, version in items))


def enqueue_bulk(session: Session, actor: Actor, trigger: str, items: Sequence[tuple[int, int]],
                 comment: str = "", *, confirmed: bool = False) -> Job:
    """Queue the batch as a job (checked first exactly as :func:`fire_in_bulk` checks it); flushed.

    The caller's unit of work commits it; ``siklus worker`` then fires each item as ``actor``.
    """
    items = once_each(items)
    ready = _prepare(session, actor, trigger, items, comment, confirmed=confirmed)
    return enqueue(session, BULK_KIND, {"trigger": trigger, "comment": comment, "label": ready.label.as_dict()},
                   actor, ((aid, {"version": version, "name": ready.found.get(aid, (f"#{aid}", 0))[0]})
                           for aid, version in items))


def item_outcome(item: BulkItem) -> ItemResult:
    """A bulk item as a job item's result (plain JSON the page renders in the reader's language)."""
    outcome: dict[str, Any] = {"name": item.name}
    if item.to_state is not None:
        outcome["to_state"] = item.to_state.as_dict()
    if item.warnings:
        outcome["warnings"] = [dict(w) for w in item.warnings]
    if item.error is not None:
        outcome["error"] = error_record(item.error)
    return ItemResult(item.outcome, outcome)


class BulkJob:
    """A queued bulk action: each item fired through :func:`fire_transition` as the person who asked."""

    def run_item(self, session: Session, job: Job, item: JobItem, actor: Actor, resumed: bool) -> ItemResult:
        trigger, comment = str(job.params["trigger"]), str(job.params.get("comment") or "")
        appraisal_id, version = int(item.ref or 0), int(item.params["version"])
        ready = _prepare(session, actor, trigger, [(appraisal_id, version)], comment, limit=None)
        session.rollback()
        done = _fire_one(session, actor, trigger, appraisal_id, version, comment, ready.found, ready.comment_keys,
                         ready.states)
        if done.outcome == "stale" and resumed:
            # Started by a worker that died: fired then, or changed by someone else since?
            fired = _fired_by_job(session, job, appraisal_id, trigger)
            if fired is not None:
                name, definition_id = ready.found.get(appraisal_id, (done.name, 0))
                to_state = ready.states.get((definition_id, fired), Text(fired, fired))
                return item_outcome(BulkItem(appraisal_id, name, "ok", to_state=to_state))
        return item_outcome(done)

    def summary(self, session: Session, job: Job) -> Mapping[str, Any]:
        return {}


def _fired_by_job(session: Session, job: Job, appraisal_id: int, trigger: str) -> str | None:
    """The state the job's own firing of ``trigger`` put the appraisal in, if its audit event exists."""
    state = session.scalar(
        select(AuditEvent.to_state).where(
            AuditEvent.appraisal_id == appraisal_id, AuditEvent.kind == "transition", AuditEvent.trigger == trigger,
            AuditEvent.actor_user_id == job.requested_by_id, AuditEvent.occurred_at >= job.started_at)
        .order_by(AuditEvent.id.desc()).limit(1))
    session.rollback()
    return state


BULK_JOB = BulkJob()


def _checked(transition: TransitionDef | None, comment: str) -> BulkShape:
    """The bulk shape of a cycle's transition for the trigger, refused unless it fits this batch."""
    shape = bulk_shape(transition) if transition is not None else BulkShape()
    if shape is None:
        raise NotInBulk("this transition needs input per appraisal", msg=Message("bulk.per_appraisal"))
    if shape.comment_key and shape.comment_required:
        shortest = shape.comment_min or 1
        if len(comment) < shortest:
            raise NotInBulk(f"a comment of at least {shortest} characters is required",
                            msg=Message("bulk.comment", minimum=shortest))

    return shape


def _fire_one(session: Session, actor: Actor, trigger: str, appraisal_id: int, version: int, comment: str,
              found: Mapping[int, tuple[str, int]], comment_keys: Mapping[int, str | None],
              states: Mapping[tuple[int, str], Text]) -> BulkItem:
    if appraisal_id not in found:  # none, or not the actor's to open: the same answer, nothing about it told
        return BulkItem(appraisal_id, f"#{appraisal_id}", "refused",
                        error=NotFound(Message("appraisal.not_found", id=str(appraisal_id))))
    name, definition_id = found[appraisal_id]
    key = comment_keys.get(definition_id)
    payload = {key: comment} if key and comment else {}
    try:
        outcome = fire_transition(session, appraisal_id, trigger, actor, payload, expected_version=version)
    except Conflict as exc:
        return BulkItem(appraisal_id, name, "stale", error=exc)
    except SiklusError as exc:
        return BulkItem(appraisal_id, name, "refused", error=exc)
    to_state = states.get((definition_id, outcome.to_state), Text(outcome.to_state, outcome.to_state))
    return BulkItem(appraisal_id, name, "ok", to_state=to_state, warnings=tuple(outcome.warnings))


def everyone_waiting(choice: BulkChoice, trigger: str) -> set[int]:
    """The ids of every appraisal listed for ``trigger`` (the "select all" of the list)."""
    group = choice.group(trigger)
    return {w.appraisal.id for w in group.rows} if group else set()
