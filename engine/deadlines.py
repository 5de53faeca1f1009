"""Deadlines: ``due_at`` is a column, swept by ``siklus tick`` from cron; no timers in memory.

Each passed deadline is handled exactly once, whoever runs tick and however often:

* a reminder or escalation is claimed (``overdue_handled_at``) in the same version-checked write as
  its audit event;
* a deadline that fires a transition has no separate claim: the transition's own version-checked
  move (which sets the next ``due_at``) is the claim, so the claim and the fire commit together and a
  crash between them cannot lose the fire;
* a fire that fails (a guard refuses, or anything else goes wrong) is kept as a
  :class:`~engine.models.DeadlineFailure` with its error, listed for HR, and retried by later ticks
  with a growing pause; the audit log gets one event per distinct error, not one per attempt.

On PostgreSQL rows another host is handling are skipped (``SKIP LOCKED``); SQLite has one writer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, literal, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from engine.appraisals import fire_transition, load_appraisal
from engine.audit import EventInfo, append_appraisal_event
from engine.checkpoints.closing import close_due_checkpoints
from engine.errors import Conflict, SiklusError, TransitionNotAllowed
from engine.loaded import definition_of
from engine.models import Appraisal, DeadlineFailure, Employee, UTCDateTime, utcnow
from engine.notification_texts import plain_text
from engine.permissions import Actor
from engine.vacancy import vacant_appraisals

log = logging.getLogger(__name__)

# A failed fire is tried again after 15 minutes, then after twice as long each time, at most daily:
# a guard that waits for data (a missing realisation) passes as soon as someone supplies it.
RETRY_FIRST = timedelta(minutes=15)
RETRY_LONGEST = timedelta(days=1)


def retry_pause(attempts: int) -> timedelta:
    """How long to wait before the next try after ``attempts`` failed ones."""
    return min(RETRY_FIRST * 2 ** min(max(attempts - 1, 0), 16), RETRY_LONGEST)


@dataclass
class TickReport:
    reminded: int = 0
    escalated: int = 0
    fired: int = 0
    failed: list[str] = field(default_factory=list)
    checkpoints_closed: int = 0
    vacancies_filled: int = 0  # fired for a role nobody holds (engine.vacancy)

    @property
    def handled(self) -> int:
        return (self.reminded + self.escalated + self.fired + len(self.failed) + self.checkpoints_closed
                + self.vacancies_filled)


@dataclass(frozen=True)
class _DueFire:
    """A deadline that fires ``trigger``, as seen when its appraisal was read at ``version``."""

    appraisal_id: int
    version: int
    state: str
    trigger: str
    due_at: datetime | None


def _due_batch(session: Session, now: datetime, batch: int, after: tuple[datetime, int] | None) -> list[Appraisal]:
    """The next ``batch`` unclaimed passed deadlines after ``after`` (due time, id), oldest first.

    Walking on (due_at, id) visits each passed deadline once per tick, along the due index.
    """
    stmt = (
        select(Appraisal)
        .where(Appraisal.due_at <= now, Appraisal.overdue_handled_at.is_(None), Appraisal.closed_at.is_(None))
        .order_by(Appraisal.due_at, Appraisal.id)
        .limit(batch)
        .options(joinedload(Appraisal.definition), joinedload(Appraisal.employee))
    )
    if after is not None:
        due, appraisal_id = after
        stmt = stmt.where(tuple_(Appraisal.due_at, Appraisal.id) > tuple_(literal(due, UTCDateTime()), appraisal_id))
    if session.get_bind().dialect.name != "postgresql":
        return list(session.scalars(stmt).unique())
    rows = list(session.scalars(stmt.with_for_update(skip_locked=True, of=Appraisal)).unique())
    # A row changed between the statement's start and its lock is re-checked against the definition
    # joined before: one a migration moved meanwhile comes back without it. Read those again (held now).
    moved = [a.id for a in rows if a.definition is None or a.definition.id != a.definition_id]
    if moved:
        session.scalars(select(Appraisal).where(Appraisal.id.in_(moved))
                        .options(joinedload(Appraisal.definition), joinedload(Appraisal.employee))
                        .execution_options(populate_existing=True)).unique().all()
    return rows


def tick(session: Session, now: datetime | None = None, batch: int = 200) -> TickReport:
    """Apply what each definition says for every passed deadline: remind, escalate or fire.

    Then try again the fires that failed before and whose pause is over.
    """
    now = now or utcnow()
    report = TickReport()
    _forget_stale_failures(session)
    after: tuple[datetime, int] | None = None
    while True:
        rows = _due_batch(session, now, batch, after)
        if not rows:
            session.rollback()
            break
        last = rows[-1]
        assert last.due_at is not None
        cursor = (last.due_at, last.id)
        try:
            to_fire = _handle_batch(session, rows, now, report)
            session.commit()
        except StaleDataError:
            # Another host handled some of these first; its work stands, ours is dropped and read again.
            session.rollback()
            continue
        after = cursor
        for due in to_fire:
            _fire(session, due, now, report)
    for due in _retries_due(session, now):
        _fire(session, due, now, report)
    _fill_vacancies(session, now, report)
    report.checkpoints_closed, failures = close_due_checkpoints(session, now)
    report.failed.extend(failures)
    return report


def _handle_batch(session: Session, rows: list[Appraisal], now: datetime, report: TickReport) -> list[_DueFire]:
    """Claim each reminder or escalation with its audit event; return the deadlines that fire a transition."""
    to_fire: list[_DueFire] = []
    reminded = escalated = 0
    for appraisal in rows:
        defn = definition_of(appraisal.definition)
        state = defn.states.get(appraisal.state)
        deadline = state.deadline if state is not None else None
        if deadline is not None and deadline.then == "fire" and deadline.fire:
            # Not claimed here: the fire claims it, in its own transaction (see _fire).
            to_fire.append(_DueFire(appraisal.id, appraisal.version, appraisal.state, deadline.fire, appraisal.due_at))
            continue
        appraisal.overdue_handled_at = now
        if deadline is None:
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


def _still_ours(session: Session, due: _DueFire) -> bool:
    """Whether the appraisal is still as read (same version), locking it; False when another host has it."""
    stmt = select(Appraisal.id).where(Appraisal.id == due.appraisal_id, Appraisal.version == due.version)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return session.scalar(stmt) is not None


def _fire(session: Session, due: _DueFire, now: datetime, report: TickReport) -> None:
    """Fire one deadline's transition; the move is the claim, and a pending failure goes in the same commit."""
    try:
        if not _still_ours(session, due):
            session.rollback()
            return
        session.execute(delete(DeadlineFailure).where(DeadlineFailure.appraisal_id == due.appraisal_id))
        fire_transition(session, due.appraisal_id, due.trigger, Actor.system(), {},
                        expected_version=due.version, now=now)
        report.fired += 1
    except Conflict:
        # Another host fired it first, or the database was busy: then it is still due for the next tick.
        return
    except SiklusError as exc:
        _record_failure(session, due, exc.message, _error_text(exc), now, report)
    except Exception as exc:  # noqa: BLE001 - any failure is kept for HR and retried, never lost
        session.rollback()
        log.exception("deadline of appraisal #%s (%s -> %s) failed", due.appraisal_id, due.state, due.trigger)
        _record_failure(session, due, f"{type(exc).__name__}: {exc}", {}, now, report)


def _fill_vacancies(session: Session, now: datetime, report: TickReport) -> None:
    """Fire what a state's ``vacant`` clause says for each appraisal waiting there for a role nobody holds
    (a designation removed, or an appraisal from before the clause's version). A refusal is reported and
    tried again by the next tick; the appraisal stays where it is."""
    waiting = vacant_appraisals(session)
    session.rollback()
    for item in waiting:
        try:
            fire_transition(session, item.appraisal_id, item.vacancy.trigger, Actor.system(), {},
                            expected_version=item.version, now=now, vacant_role=item.vacancy.role)
            report.vacancies_filled += 1
        except Conflict:
            continue  # moved on meanwhile (someone acted, another host fired it): its outcome stands
        except SiklusError as exc:
            report.failed.append(f"appraisal #{item.appraisal_id} ({item.state}): {item.vacancy.trigger} for the "
                                 f"role nobody holds ({item.vacancy.role}): {exc.message}")


def _error_text(exc: SiklusError) -> dict[str, str]:
    """The refusal in both languages: its coded message, or a refused guard's reasons."""
    reasons = exc.details.get("reasons")
    if isinstance(exc, TransitionNotAllowed) and reasons:
        return {"id": "Belum dapat dilakukan: " + "; ".join(r.get("id", "") for r in reasons),
                "en": "Not possible yet: " + "; ".join(r.get("en") or r.get("id", "") for r in reasons)}
    if exc.msg is not None:
        return {lang: plain_text(exc.msg, lang) for lang in ("id", "en")}
    return {}


def _record_failure(session: Session, due: _DueFire, message: str, text: dict[str, str], now: datetime,
                    report: TickReport) -> None:
    """Keep a failed fire for HR and the next tick; audit it once per distinct error."""
    report.failed.append(f"appraisal #{due.appraisal_id} ({due.state}): {due.trigger}: {message}")
    try:
        appraisal = load_appraisal(session, due.appraisal_id, for_update=True)
        if appraisal.version != due.version:
            session.rollback()  # changed meanwhile (moved on, or another host recorded this): its outcome stands
            return
        failure = session.scalar(select(DeadlineFailure).where(DeadlineFailure.appraisal_id == appraisal.id))
        if failure is not None and (failure.state, failure.due_at) != (due.state, due.due_at):
            session.delete(failure)
            session.flush()
            failure = None
        new_error = failure is None or failure.error != message
        if failure is None:
            failure = DeadlineFailure(appraisal_id=appraisal.id, state=due.state, trigger=due.trigger,
                                      due_at=due.due_at, error=message, error_text=text, attempts=0,
                                      first_failed_at=now, last_tried_at=now, next_try_at=now)
            session.add(failure)
        failure.trigger = due.trigger
        failure.error, failure.error_text = message, text
        failure.attempts += 1
        failure.last_tried_at = now
        failure.next_try_at = now + retry_pause(failure.attempts)
        # Claimed, so the sweep passes it by; its retries come from the failure row.
        appraisal.overdue_handled_at = now
        if new_error:
            append_appraisal_event(session, appraisal, EventInfo(
                kind="deadline", actor_user_id=None, actor_name="system", role="system", trigger=due.trigger,
                from_state=appraisal.state, to_state=appraisal.state,
                payload={"action": "fire", "failed": message,
                         "due_at": due.due_at.isoformat() if due.due_at else None},
                employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id,
            ), occurred_at=now)
        session.commit()
    except (StaleDataError, IntegrityError, Conflict):
        # Another host recorded or fired it in the meantime; its outcome stands.
        session.rollback()
    except BaseException:
        session.rollback()
        raise


def _current_failure() -> Any:
    """The condition that a failure row still belongs to its appraisal's present deadline."""
    return and_(Appraisal.id == DeadlineFailure.appraisal_id, Appraisal.state == DeadlineFailure.state,
                Appraisal.due_at == DeadlineFailure.due_at)


def _forget_stale_failures(session: Session) -> None:
    """Drop failures of deadlines the appraisal has left (fired by hand, moved on, migrated)."""
    session.execute(delete(DeadlineFailure).where(~exists(select(Appraisal.id).where(_current_failure()))))
    session.commit()


def _retries_due(session: Session, now: datetime) -> list[_DueFire]:
    """Failed fires whose pause is over, with the trigger their appraisal's definition names now."""
    rows = session.scalars(
        select(Appraisal).join(DeadlineFailure, _current_failure())
        .where(DeadlineFailure.next_try_at <= now)
        .order_by(DeadlineFailure.next_try_at, Appraisal.id)
        .options(joinedload(Appraisal.definition))
    ).unique().all()
    out = []
    for appraisal in rows:
        state = definition_of(appraisal.definition).states.get(appraisal.state)
        deadline = state.deadline if state is not None else None
        if deadline is not None and deadline.then == "fire" and deadline.fire:
            out.append(_DueFire(appraisal.id, appraisal.version, appraisal.state, deadline.fire, appraisal.due_at))
    session.rollback()
    return out


@dataclass(frozen=True)
class FailedDeadline:
    """A deadline that could not fire, as HR sees it."""

    appraisal_id: int
    employee_name: str
    nip: str
    state: str
    trigger: str
    due_at: datetime | None
    error: str
    error_text: dict[str, str]
    attempts: int
    first_failed_at: datetime
    last_tried_at: datetime
    next_try_at: datetime


def failed_deadlines(session: Session, run_id: int | None = None, unit_ids: list[int] | None = None,
                     limit: int = 200) -> list[FailedDeadline]:
    """Deadlines that could not fire and are waiting for their next try, oldest failure first."""
    stmt = (
        select(DeadlineFailure, Employee.name, Employee.nip)
        .join(Appraisal, _current_failure())
        .join(Employee, Employee.id == Appraisal.employee_id)
        .order_by(DeadlineFailure.first_failed_at, DeadlineFailure.id)
        .limit(limit)
    )
    if run_id is not None:
        stmt = stmt.where(Appraisal.run_id == run_id)
    if unit_ids is not None:
        stmt = stmt.where(Employee.unit_id.in_(unit_ids))
    return [
        FailedDeadline(f.appraisal_id, name, nip, f.state, f.trigger, f.due_at, f.error, dict(f.error_text or {}),
                       f.attempts, f.first_failed_at, f.last_tried_at, f.next_try_at)
        for f, name, nip in session.execute(stmt)
    ]
