"""Deadlines: ``due_at`` is a column, swept by ``siklus tick`` from cron; no timers in memory.

A passed deadline is handled once: the sweep claims it (``overdue_handled_at``) in the same
version-checked write as its audit event, so running tick again, or on several hosts at once,
does nothing twice. On PostgreSQL rows another host is handling are skipped (``SKIP LOCKED``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from engine.appraisals import fire_transition
from engine.audit import EventInfo, append_appraisal_event
from engine.errors import SiklusError
from engine.models import Appraisal, Employee, utcnow
from engine.permissions import Actor
from engine.registry import definition_of


@dataclass
class TickReport:
    reminded: int = 0
    escalated: int = 0
    fired: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.reminded + self.escalated + self.fired + len(self.failed)


def _claim_batch(session: Session, now: datetime, batch: int) -> list[Appraisal]:
    stmt = (
        select(Appraisal)
        .where(Appraisal.due_at <= now, Appraisal.overdue_handled_at.is_(None))
        .order_by(Appraisal.due_at, Appraisal.id)
        .limit(batch)
        .options(joinedload(Appraisal.definition), joinedload(Appraisal.employee))
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=Appraisal)
    return list(session.scalars(stmt).unique())


def tick(session: Session, now: datetime | None = None, batch: int = 200) -> TickReport:
    """Apply what each definition says for every passed deadline: remind, escalate or fire."""
    now = now or utcnow()
    report = TickReport()
    system = Actor.system()
    while True:
        rows = _claim_batch(session, now, batch)
        if not rows:
            break
        try:
            to_fire = _handle_batch(session, rows, now, report)
            session.commit()
        except StaleDataError:
            # Another host handled some of these first; its work stands, ours is dropped and retried.
            session.rollback()
            continue
        for appraisal_id, trigger, state in to_fire:
            try:
                fire_transition(session, appraisal_id, trigger, system, {}, now=now)
                report.fired += 1
            except SiklusError as exc:
                report.failed.append(f"appraisal #{appraisal_id} ({state}): {trigger}: {exc.message}")
                _record_failure(session, appraisal_id, trigger, exc.message, now)
    return report


def _handle_batch(session: Session, rows: list[Appraisal], now: datetime, report: TickReport) -> list[tuple[int, str, str]]:
    """Claim each row and record its reminder or escalation; return the deadlines that fire a transition."""
    to_fire: list[tuple[int, str, str]] = []
    reminded = escalated = 0
    for appraisal in rows:
        defn = definition_of(appraisal.definition)
        deadline = defn.states[appraisal.state].deadline
        appraisal.overdue_handled_at = now
        if deadline is None:
            continue
        if deadline.then == "fire" and deadline.fire:
            to_fire.append((appraisal.id, deadline.fire, appraisal.state))
            continue
        waiting_on = sorted({r for t in defn.transitions_from(appraisal.state) for r in t.roles})
        append_appraisal_event(session, appraisal, EventInfo(
            kind="deadline", actor_user_id=None, actor_name="system", role="system",
            trigger=deadline.then, from_state=appraisal.state, to_state=appraisal.state,
            payload={"action": deadline.then, "due_at": appraisal.due_at.isoformat() if appraisal.due_at else None,
                     "waiting_on": waiting_on},
            employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id,
        ), occurred_at=now)
        if deadline.then == "remind":
            reminded += 1
        else:
            escalated += 1
    session.flush()
    report.reminded += reminded
    report.escalated += escalated
    return to_fire


def _record_failure(session: Session, appraisal_id: int, trigger: str, message: str, now: datetime) -> None:
    appraisal = session.get(Appraisal, appraisal_id)
    if appraisal is None:
        return
    employee = session.get(Employee, appraisal.employee_id)
    append_appraisal_event(session, appraisal, EventInfo(
        kind="deadline", actor_user_id=None, actor_name="system", role="system", trigger=trigger,
        from_state=appraisal.state, to_state=appraisal.state, payload={"action": "fire", "failed": message},
        employee_id=appraisal.employee_id, unit_id=employee.unit_id if employee else None,
    ), occurred_at=now)
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
