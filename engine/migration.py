"""Moving running appraisals from one version of a cycle to another: explicit, mapped and audited.

A new version never changes running appraisals by itself. HR runs this with a state mapping; it
refuses when a state in use would vanish unmapped, and each moved appraisal gets an event in its chain.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from engine.appraisals import due_at_for
from engine.audit import EventInfo, append_appraisal_event
from engine.errors import InvalidInput
from engine.models import Appraisal, CycleDefinitionRecord, utcnow
from engine.permissions import Actor
from engine.registry import definition_of


@dataclass(frozen=True)
class MigrationReport:
    moved: int
    by_state: dict[str, int]


def plan_migration(session: Session, source: CycleDefinitionRecord, target: CycleDefinitionRecord,
                   mapping: Mapping[str, str], run_id: int | None = None) -> dict[str, int]:
    """Check a migration without doing it: counts per old state; raises InvalidInput on any gap."""
    if source.cycle_id != target.cycle_id:
        raise InvalidInput(f"cannot migrate between different cycles ({source.cycle_id} -> {target.cycle_id})")
    if target.status != "published":
        raise InvalidInput(f"the target version {target.version} is {target.status}; publish it first")
    if source.id == target.id:
        raise InvalidInput("source and target are the same version")
    old, new = definition_of(source), definition_of(target)
    bad_keys = [s for s in mapping if s not in old.states]
    if bad_keys:
        raise InvalidInput(f"mapping names state(s) not in version {source.version}: {', '.join(sorted(bad_keys))}")
    bad_values = sorted({d for d in mapping.values() if d not in new.states})
    if bad_values:
        raise InvalidInput(f"mapping targets state(s) not in version {target.version}: {', '.join(bad_values)}")
    stmt = select(Appraisal.state, func.count()).where(Appraisal.definition_id == source.id).group_by(Appraisal.state)
    if run_id is not None:
        stmt = stmt.where(Appraisal.run_id == run_id)
    in_use = dict(session.execute(stmt).all())
    vanishing = sorted(s for s in in_use if s not in new.states and s not in mapping)
    if vanishing:
        raise InvalidInput(
            f"state(s) {', '.join(vanishing)} of version {source.version} do not exist in version {target.version} "
            f"and are not mapped ({sum(in_use[s] for s in vanishing)} appraisals); add them to the mapping, e.g. "
            + ", ".join(f"{s}=<state>" for s in vanishing)
        )
    return in_use


def migrate_appraisals(session: Session, source: CycleDefinitionRecord, target: CycleDefinitionRecord,
                       mapping: Mapping[str, str], actor: Actor, run_id: int | None = None,
                       progress: Callable[[int], None] | None = None) -> MigrationReport:
    """Move appraisals pinned to ``source`` onto ``target``, mapping states. All or nothing. Commits."""
    plan_migration(session, source, target, mapping, run_id)
    new = definition_of(target)
    now = utcnow()
    moved: Counter[str] = Counter()
    stmt = (select(Appraisal).where(Appraisal.definition_id == source.id)
            .options(joinedload(Appraisal.run), joinedload(Appraisal.employee)).order_by(Appraisal.id))
    if run_id is not None:
        stmt = stmt.where(Appraisal.run_id == run_id)
    try:
        for appraisal in session.scalars(stmt).unique():
            old_state = appraisal.state
            new_state = mapping.get(old_state, old_state)
            appraisal.definition_id = target.id
            if new_state != old_state:
                appraisal.state = new_state
                appraisal.entered_at = now
                appraisal.state_entries = {**(appraisal.state_entries or {}), new_state: now.isoformat()}
                appraisal.due_at = due_at_for(new.states[new_state], appraisal.run, now)
                appraisal.overdue_handled_at = None
            appraisal.updated_at = now
            append_appraisal_event(session, appraisal, EventInfo(
                kind="migrate", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
                from_state=old_state, to_state=new_state,
                payload={"from_version": source.version, "to_version": target.version,
                         "from_hash": source.content_hash, "to_hash": target.content_hash},
                employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id,
            ), occurred_at=now)
            moved[old_state] += 1
            if progress:
                progress(1)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return MigrationReport(sum(moved.values()), dict(moved))
