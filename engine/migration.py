"""Moving running appraisals from one version of a cycle to another: explicit, mapped, checked and audited.

A new version never changes running appraisals by itself. HR runs this with a state mapping. The plan
says, per appraisal, what the move would make disappear (indicators, results, saved data the new
version no longer has) and which results the new version computes differently and so are recomputed.
Closed appraisals (a final state, one their definition no longer knows, or one HR closed because
the employee left or moved, see :mod:`engine.runs`) are never moved: they are listed as left alone.
A move that would strand an appraisal (leave it in a state none of whose ways out can be taken,
because it lacks data or results nobody can supply from there) is refused, naming the appraisal,
the reason and what to do, before anything is written.
Each moved appraisal gets a ``migrate`` event in its chain carrying the definitions, the states and
the recomputed results, so the chain alone tells which version and state the appraisal is on.

The move itself commits in short batches (at most :data:`BATCH_SIZE` appraisals or about
:data:`BATCH_SECONDS` each), so people keep working while tens of thousands of appraisals move:
each appraisal moves whole or not at all, and a migration that stops halfway is finished by running
it again (the moved ones are no longer on the source version). An appraisal someone changes after
the plan was made is not moved on a stale plan: it stays where it is and the report names it
(``changed``), to be moved by running the migration again.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from engine.appraisals import due_at_for, store_results
from engine.audit import EventInfo, append_appraisal_event
from engine.checkpoints.scoped import recompute_checkpoints, targets_changed
from engine.db import write_with_retry
from engine.definition import CycleDefinition, IndicatorDef, ResultDef
from engine.errors import InvalidInput, NotFound
from engine.facts import Computed, Facts
from engine.limits import echoed
from engine.loaded import definition_of
from engine.messages import Label, Message
from engine.migration_strand import Holdings as _Holdings
from engine.migration_strand import semicolons
from engine.migration_strand import strand_reasons as _strand_reasons
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Indicator, Realisation, Result, utcnow
from engine.permissions import Actor

IKI_PREFIX = "iki."
# One batch of the move holds the write lock for at most this many appraisals or about this long.
BATCH_SIZE = 200
BATCH_SECONDS = 0.5
# SQLite: between batches the lock is left free this long, so writers waiting for it (who poll) get in.
BATCH_PAUSE = 0.1


class MigrationRefused(InvalidInput):
    """A migration that would strand appraisals: nothing was moved."""

    code = "migration-refused"


@dataclass(frozen=True)
class LeftAlone:
    """An appraisal of the source version the migration does not move, and why."""

    appraisal_id: int
    employee: str
    nip: str
    state: str
    reason: Message


@dataclass(frozen=True)
class AppraisalMove:
    """What moving one appraisal would do."""

    appraisal_id: int
    employee: str
    nip: str
    from_state: str
    to_state: str
    # Indicator key -> the latest realisation recorded for it (None when there is none).
    dropped_indicators: dict[str, float | None] = field(default_factory=dict)
    # Stored result name -> its value: the new version no longer declares it.
    dropped_results: dict[str, Any] = field(default_factory=dict)
    # Saved payloads (save_as keys) the new version no longer saves nor reads.
    dropped_data: tuple[str, ...] = ()
    # Result name -> (value now, value under the new version).
    recomputed: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # Why the appraisal could not go on from its new state (empty when it can, or when it already
    # could not on its current version: then the move makes nothing worse, see ``stuck_already``).
    stranded: tuple[Message, ...] = ()
    # Why it cannot go on from its current state on its current version either.
    stuck_already: tuple[Message, ...] = ()
    # The two states' labels in their versions (``{"id", "en"}``), for people.
    from_label: Any = None
    to_label: Any = None


@dataclass(frozen=True)
class MigrationPlan:
    source_version: int
    target_version: int
    mapping: dict[str, str]
    moves: list[AppraisalMove]
    left_alone: list[LeftAlone]

    @property
    def by_state(self) -> dict[str, int]:
        return dict(Counter(m.from_state for m in self.moves))

    @property
    def stranded(self) -> list[AppraisalMove]:
        return [m for m in self.moves if m.stranded]


@dataclass(frozen=True)
class MigrationReport:
    moved: int
    by_state: dict[str, int]
    left_alone: list[LeftAlone] = field(default_factory=list)
    stranded_left: list[AppraisalMove] = field(default_factory=list)
    recomputed: int = 0
    # Appraisals changed by someone after the plan was made: left where they are; run again to move them.
    changed: list[int] = field(default_factory=list)


# -- what stays and what goes ------------------------------------------------------------------

def _closed_reason(defn: CycleDefinition, state: str) -> Message | None:
    """Why an appraisal in ``state`` is closed and must stay as it is, or None when it is running."""
    spec = defn.states.get(state)
    if spec is None:
        return Message("migration.closed_outside", state=state, version=defn.version)
    if spec.final:
        return Message("migration.closed_final", state=Label(state, spec.label))
    return None


def _indicator_spec(ind: IndicatorDef) -> tuple[Any, ...]:
    return (ind.rule, dict(ind.params), ind.target, ind.weight, ind.aspect, ind.source, dict(ind.inputs))


def _result_spec(spec: ResultDef) -> tuple[Any, ...]:
    return (spec.rule, dict(spec.params), dict(spec.inputs))


def _paths(inputs: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for spec in inputs.values():
        out.extend(p for p in (spec if isinstance(spec, list) else [spec]) if isinstance(p, str))
    return out


def _results_to_recompute(old: CycleDefinition, new: CycleDefinition) -> list[str]:
    """Results of both versions that the new one computes differently, or from inputs that changed; in order."""
    changed = {n for n, spec in new.results.items()
               if n in old.results and _result_spec(old.results[n]) != _result_spec(spec)}
    indicators_changed = ({i.id: _indicator_spec(i) for i in old.indicators}
                          != {i.id: _indicator_spec(i) for i in new.indicators}
                          or old.skp != new.skp)
    grew = True
    while grew:
        grew = False
        for name, spec in new.results.items():
            if name in changed or name not in old.results:
                continue
            for path in _paths(spec.inputs):
                head, _, rest = path.partition(".")
                if ((head == "results" and rest.split(".")[0] in changed)
                        or (head in ("indicators", "weak_points") and indicators_changed)):
                    changed.add(name)
                    grew = True
                    break
    return [n for n in new.results if n in changed]


def _data_read(defn: CycleDefinition) -> set[str]:
    """Saved payload keys a version saves or reads (``data.KEY`` paths, guard names)."""
    keys = {t.save_as for t in defn.transitions if t.save_as}
    keys |= set(re.findall(r"\bdata\.([A-Za-z_][A-Za-z0-9_]*)", defn.source))
    for t in defn.transitions:
        for g in t.guards:
            if g.expr:
                keys |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", g.expr))
    return keys


def _realisation_needed(defn: CycleDefinition, own_keys: Iterable[str]) -> list[str]:
    """Indicator keys whose realisation a person records (not fed by a source or computed from inputs)."""
    fixed = [i.id for i in defn.indicators if not i.source and not i.inputs]
    return fixed + (list(own_keys) if defn.skp.employee_indicators else [])


# -- planning ----------------------------------------------------------------------------------

def _check_versions(source: CycleDefinitionRecord, target: CycleDefinitionRecord, mapping: Mapping[str, str],
                    old: CycleDefinition, new: CycleDefinition) -> None:
    if source.cycle_id != target.cycle_id:
        raise InvalidInput(f"cannot migrate between different cycles ({source.cycle_id} -> {target.cycle_id})",
                           msg=Message("migration.other_cycle", source=source.cycle_id, target=target.cycle_id))
    if target.status != "published":
        raise InvalidInput(f"the target version {target.version} is {target.status}; publish it first",
                           msg=Message("migration.unpublished", version=target.version, status=target.status))
    if source.id == target.id:
        raise InvalidInput(Message("migration.same"))
    bad_keys = sorted(echoed(s) for s in mapping if s not in old.states)  # as typed, cut short, nothing hidden
    if bad_keys:
        raise InvalidInput(f"mapping names state(s) not in version {source.version}: {', '.join(bad_keys)}",
                           msg=Message("migration.bad_from", version=source.version, states=bad_keys))
    bad_values = sorted({echoed(d) for d in mapping.values() if d not in new.states})
    if bad_values:
        raise InvalidInput(f"mapping targets state(s) not in version {target.version}: {', '.join(bad_values)}",
                           msg=Message("migration.bad_to", version=target.version, states=bad_values))


def _check_run(session: Session, source: CycleDefinitionRecord, run_id: int | None) -> None:
    """Refuse a run that does not exist or is another cycle's: a migration limited to it would move nothing and
    say so as if there were nothing to move."""
    if run_id is None:
        return
    run = session.get(CycleRun, run_id)
    if run is None:
        raise NotFound(f"no run #{run_id}", msg=Message("run.not_found", id=str(run_id)))
    if run.cycle_id != source.cycle_id:
        raise InvalidInput(f"run #{run_id} is a run of {run.cycle_id}, not of {source.cycle_id}",
                           msg=Message("migration.other_run", run=str(run_id), cycle=run.cycle_id,
                                       source=source.cycle_id))


def _appraisals(session: Session, source: CycleDefinitionRecord, run_id: int | None,
                for_update: bool = False) -> list[Appraisal]:
    stmt = (select(Appraisal).where(Appraisal.definition_id == source.id)
            .options(joinedload(Appraisal.run), joinedload(Appraisal.employee)).order_by(Appraisal.id))
    if run_id is not None:
        stmt = stmt.where(Appraisal.run_id == run_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        # Nobody fires a transition on them while they move; a firing already under way finishes first.
        stmt = stmt.with_for_update(of=Appraisal)
    return list(session.scalars(stmt).unique())


def _grouped(session: Session, columns: Any, ids: list[int], appraisal_col: Any) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for row in session.execute(select(appraisal_col, *columns).where(appraisal_col.in_(ids[start:start + 500]))):
            out[row[0]].append(tuple(row[1:]))
    return out


def plan_migration(session: Session, source: CycleDefinitionRecord, target: CycleDefinitionRecord,
                   mapping: Mapping[str, str], run_id: int | None = None, now: datetime | None = None) -> MigrationPlan:
    """What moving the source version's appraisals (of one run, or all) would do. Writes nothing.

    Raises InvalidInput when the versions or the mapping do not fit, or a state in use would vanish
    unmapped; appraisals that would be stranded are listed in the plan (``plan.stranded``).
    """
    old, new = definition_of(source), definition_of(target)
    _check_versions(source, target, mapping, old, new)
    _check_run(session, source, run_id)
    now = now or utcnow()
    appraisals = _appraisals(session, source, run_id)
    left_alone: list[LeftAlone] = []
    running: list[Appraisal] = []
    for a in appraisals:
        reason = (Message("migration.closed_by_hr", kind=a.closed_kind) if a.closed_at is not None
                  else _closed_reason(old, a.state))
        if reason is None:
            running.append(a)
        else:
            left_alone.append(LeftAlone(a.id, a.employee.name, a.employee.nip, a.state, reason))
    in_use = Counter(a.state for a in running)
    vanishing = sorted(s for s in in_use if s not in new.states and s not in mapping)
    if vanishing:
        raise InvalidInput(
            f"state(s) {', '.join(vanishing)} of version {source.version} do not exist in version {target.version} "
            f"and are not mapped ({sum(in_use[s] for s in vanishing)} appraisals); add them to the mapping, e.g. "
            + ", ".join(f"{s}=<state>" for s in vanishing),
            msg=Message("migration.unmapped", states=[Label(s, old.states[s].label) for s in vanishing],
                        source=source.version, target=target.version, count=sum(in_use[s] for s in vanishing),
                        example=", ".join(f"{s}=<state>" for s in vanishing)),
        )
    ids = [a.id for a in running]
    stored = _grouped(session, [Result.name, Result.value], ids, Result.appraisal_id)
    own = _grouped(session, [Indicator.key], ids, Indicator.appraisal_id)
    latest_ids = (select(func.max(Realisation.id)).where(Realisation.appraisal_id.in_(ids))
                  .group_by(Realisation.appraisal_id, Realisation.indicator_key)) if ids else None
    realised: dict[int, dict[str, float]] = defaultdict(dict)
    if latest_ids is not None:
        for aid, key, value in session.execute(select(Realisation.appraisal_id, Realisation.indicator_key,
                                                      Realisation.value)
                                               .where(Realisation.id.in_(latest_ids))):
            realised[aid][key] = value
    old_fixed = [i.id for i in old.indicators]
    new_keys_fixed = {i.id for i in new.indicators}
    data_read = _data_read(new)
    to_recompute = _results_to_recompute(old, new)
    moves = []
    for a in running:
        own_keys = [k for (k,) in own.get(a.id, [])]
        old_keys = old_fixed + (own_keys if old.skp.employee_indicators else [])
        new_keys = new_keys_fixed | (set(own_keys) if new.skp.employee_indicators else set())
        dropped_indicators = {k: realised[a.id].get(k) for k in old_keys if k not in new_keys}
        results = dict(stored.get(a.id, []))
        # An IKI's achievement is stored as result ``iki.<key>``: it goes with its indicator.
        dropped_results = {n: v for n, v in results.items() if n not in new.results and not n.startswith(IKI_PREFIX)}
        dropped_data = tuple(sorted(k for k in (a.data or {}) if k not in data_read))
        recomputed: dict[str, tuple[Any, Any]] = {}
        names = [n for n in to_recompute if n in results]
        if names:
            for name, c in _recompute(session, new, a, names, now).items():
                recomputed[name] = (results.get(name), c.value)
        to_state = mapping.get(a.state, a.state)
        have = _Holdings(
            data=set(a.data or {}),
            results={n for n, v in results.items() if n in new.results and v is not None} | {
                n for n, (_old, v) in recomputed.items() if v is not None},
            unrealised=[k for k in _realisation_needed(new, own_keys) if k not in realised[a.id]],
        )
        for name, (_old, value) in recomputed.items():
            if value is None:
                have.results.discard(name)
        stranded = _strand_reasons(new, to_state, have)
        stuck = _strand_reasons(old, a.state, _Holdings(
            data=set(a.data or {}), results={n for n, v in results.items() if n in old.results and v is not None},
            unrealised=[k for k in _realisation_needed(old, own_keys) if k not in realised[a.id]],
        )) if stranded else ()
        moves.append(AppraisalMove(
            a.id, a.employee.name, a.employee.nip, a.state, to_state, dropped_indicators, dropped_results,
            dropped_data, recomputed, () if stuck else stranded, stuck,
            old.states[a.state].label if a.state in old.states else None,
            new.states[to_state].label if to_state in new.states else None,
        ))
    return MigrationPlan(source.version, target.version, dict(mapping), moves, left_alone)


def _recompute(session: Session, new: CycleDefinition, appraisal: Appraisal, names: list[str],
               now: datetime) -> dict[str, Computed]:
    """The named results as the new version computes them from the appraisal's data, with the IKI
    achievements they read (``iki.<key>``). Writes nothing."""
    facts = Facts(session, new, appraisal, now, dict(appraisal.data or {}))
    for name in names:
        facts.compute(name)
    return dict(facts.computed)


def refusal_lines(plan: MigrationPlan) -> list[Message]:
    """The lines that refuse a migration which would strand appraisals: who, why, and what to do."""
    lines = [Message("migration.strand_head", source=plan.source_version, target=plan.target_version,
                     count=len(plan.stranded))]
    for m in plan.stranded:
        lines.append(Message("migration.strand_line", appraisal=str(m.appraisal_id), employee=m.employee, nip=m.nip,
                             state=Label(m.to_state, m.to_label), version=plan.target_version,
                             reasons=semicolons(m.stranded)))
    lines.append(Message("migration.strand_advice", source=plan.source_version))
    return lines


def refusal(plan: MigrationPlan) -> str:
    """The refusal in English (the error's message, logs): one line each, the appraisals indented."""
    lines = [m.english() for m in refusal_lines(plan)]
    return "\n".join([lines[0], *("  " + line for line in lines[1:-1]), lines[-1]])


# -- moving ------------------------------------------------------------------------------------

def migrate_appraisals(session: Session, source: CycleDefinitionRecord, target: CycleDefinitionRecord,
                       mapping: Mapping[str, str], actor: Actor, run_id: int | None = None,
                       progress: Callable[[int], None] | None = None, *, leave_stranded: bool = False,
                       now: datetime | None = None, batch_size: int = BATCH_SIZE,
                       batch_seconds: float = BATCH_SECONDS) -> MigrationReport:
    """Move the running appraisals pinned to ``source`` onto ``target``, mapping states. Commits in batches.

    Closed appraisals stay where they are. When any appraisal would be stranded the whole move is
    refused (:class:`MigrationRefused`) and nothing is written, unless ``leave_stranded``: then those
    stay on ``source``. Each batch is one transaction; an appraisal changed since the plan was made
    is left on ``source`` and listed in ``report.changed``. ``progress(n)`` is called after each batch
    with the number of appraisals it dealt with.
    """
    now = now or utcnow()
    try:
        # Versions first, the plan second: a change in between shows as a version the plan did not see.
        seen = _versions(session, source, run_id)
        plan = plan_migration(session, source, target, mapping, run_id, now)
        if plan.stranded and not leave_stranded:
            raise MigrationRefused(refusal(plan), stranded=[m.appraisal_id for m in plan.stranded],
                                   msg=Message("migration.stranded", count=len(plan.stranded)))
    finally:
        session.rollback()  # end the planning reads: nothing is held while the batches move
    new, old = definition_of(target), definition_of(source)
    context = _MoveContext(source, target, dict(mapping), actor, old, new, _results_to_recompute(old, new), now)
    pending = [m for m in plan.moves if not m.stranded and m.appraisal_id in seen]
    changed = [m.appraisal_id for m in plan.moves if not m.stranded and m.appraisal_id not in seen]
    moved: Counter[str] = Counter()
    recomputed = 0
    done = 0
    sqlite = session.get_bind().dialect.name == "sqlite"
    while done < len(pending):
        try:

            def move(chunk: list[AppraisalMove] = pending[done:done + batch_size]) -> _Batch:
                return _move_batch(session, context, chunk, seen, time.monotonic() + batch_seconds)

            batch = write_with_retry(session, move)
        except StaleDataError:
            continue  # changed between our read and our write (no write lock on this backend): read again
        done += batch.handled
        moved.update(batch.moved)
        recomputed += batch.recomputed
        changed.extend(batch.changed)
        if progress:
            progress(batch.handled)
        if sqlite and done < len(pending):
            time.sleep(BATCH_PAUSE)
    return MigrationReport(sum(moved.values()), dict(moved), plan.left_alone, plan.stranded, recomputed,
                           sorted(changed))


@dataclass(frozen=True)
class _MoveContext:
    source: CycleDefinitionRecord
    target: CycleDefinitionRecord
    mapping: dict[str, str]
    actor: Actor
    old: CycleDefinition
    new: CycleDefinition
    to_recompute: list[str]
    now: datetime


@dataclass(frozen=True)
class _Batch:
    handled: int
    moved: Counter[str]
    recomputed: int
    changed: list[int]


def _versions(session: Session, source: CycleDefinitionRecord, run_id: int | None) -> dict[int, int]:
    """The version of every appraisal on ``source`` (of one run, or all), as the plan will see them."""
    stmt = select(Appraisal.id, Appraisal.version).where(Appraisal.definition_id == source.id)
    if run_id is not None:
        stmt = stmt.where(Appraisal.run_id == run_id)
    return {aid: version for aid, version in session.execute(stmt)}


def _move_batch(session: Session, ctx: _MoveContext, moves: list[AppraisalMove], seen: Mapping[int, int],
                deadline: float) -> _Batch:
    """Move the first of ``moves`` until ``deadline`` (at least one), in the session's transaction.

    An appraisal no longer as planned (another version, state or definition) is left alone and
    listed as changed.
    """
    ids = [m.appraisal_id for m in moves]
    stmt = (select(Appraisal).where(Appraisal.id.in_(ids))
            .options(joinedload(Appraisal.run), joinedload(Appraisal.employee)))
    if session.get_bind().dialect.name == "postgresql":
        # Nobody fires a transition on them while they move; a firing already under way finishes first.
        stmt = stmt.with_for_update(of=Appraisal)
    loaded = {a.id: a for a in session.scalars(stmt).unique()}
    moved: Counter[str] = Counter()
    changed: list[int] = []
    recomputed = 0
    handled = 0
    for move in moves:
        if handled and time.monotonic() > deadline:
            break
        handled += 1
        appraisal = loaded.get(move.appraisal_id)
        if (appraisal is None or appraisal.definition_id != ctx.source.id or appraisal.state != move.from_state
                or appraisal.version != seen[move.appraisal_id]):
            changed.append(move.appraisal_id)
            continue
        recomputed += _move_one(session, ctx, appraisal, move)
        moved[move.from_state] += 1
    session.flush()
    return _Batch(handled, moved, recomputed, changed)


def _move_one(session: Session, ctx: _MoveContext, appraisal: Appraisal, move: AppraisalMove) -> int:
    """Put one appraisal on the target version in its new state, with its ``migrate`` event; returns
    how many results were recomputed."""
    old, new, source, target, now = ctx.old, ctx.new, ctx.source, ctx.target, ctx.now
    old_state, new_state = move.from_state, move.to_state
    stored = set(session.scalars(select(Result.name).where(Result.appraisal_id == appraisal.id)))
    computed = _recompute(session, new, appraisal, [n for n in ctx.to_recompute if n in stored], now)
    # A series that now reads another target judges the periods already computed again (engine.checkpoints.targets).
    computed |= recompute_checkpoints(session, new, appraisal, targets_changed(old, new), now)
    appraisal.definition_id = target.id
    if new_state != old_state:
        appraisal.state = new_state
        appraisal.entered_at = now
        appraisal.state_entries = {**(appraisal.state_entries or {}), new_state: now.isoformat()}
        appraisal.due_at = due_at_for(new.states[new_state], appraisal.run, now)
        appraisal.overdue_handled_at = None
    elif old.states[old_state].deadline != new.states[new_state].deadline:
        due = due_at_for(new.states[new_state], appraisal.run, appraisal.entered_at)
        if due != appraisal.due_at:
            appraisal.due_at, appraisal.overdue_handled_at = due, None
    appraisal.updated_at = now
    store_results(session, appraisal.id, computed, now)
    append_appraisal_event(session, appraisal, EventInfo(
        kind="migrate", actor_user_id=ctx.actor.user_id, actor_name=ctx.actor.username, role="sdm",
        from_state=old_state, to_state=new_state,
        payload={"cycle_id": target.cycle_id, "from_version": source.version, "to_version": target.version,
                 "from_definition_id": source.id, "to_definition_id": target.id,
                 "from_hash": source.content_hash, "to_hash": target.content_hash,
                 "state_mapping": dict(ctx.mapping),
                 "dropped_indicators": sorted(move.dropped_indicators),
                 "dropped_results": sorted(move.dropped_results), "dropped_data": list(move.dropped_data)},
        results={n: c.as_json() for n, c in computed.items()},
        employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id,
    ), occurred_at=now)
    return len(computed)
