"""Notifications over the audit log (the outbox pattern): who must act next is told, in the app and by e-mail.

:func:`dispatch` reads audit events after a cursor (``SweepCursor`` "notifications") and writes a
:class:`~engine.models.Notification` for each person concerned:

* a transition into a state, or a launch into the initial state: everyone who can act there (fire one
  of its transitions or edit in it), except the person who fired it. HR (``unit_hr``) is told only
  when nobody else can act;
* a deadline event recorded by ``siklus tick``: a reminder to whoever is awaited, and for an escalation
  also to HR of the employee's unit;
* a periodic checkpoint entry (:mod:`engine.checkpoints`): the employee's report or self-assessment
  to those who respond to or rate the checkpoint, the rater's response or rating to the employee;
* a proposed 360 respondent (:mod:`engine.nominations`): the rater, while the proposal waits
  (:mod:`engine.notification_loops`, which also tells HR of a new public complaint).

Each notice has a unique ``dedupe_key`` and is inserted with ``ON CONFLICT DO NOTHING``, so running the
sweep again, or on several hosts at once, never makes a second copy. Notices about a state the
appraisal has already left are not written. :func:`engine.outbox.deliver` then e-mails what waits in
the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from engine.checkpoints.chain import EVENT_KIND as CHECKPOINT_EVENT
from engine.checkpoints.periods import checkpoint_label
from engine.definition import CheckpointDef, CycleDefinition
from engine.messages import Label, Message
from engine.messages.registry import TEXTS as MESSAGE_TEXTS
from engine.models import (
    Appraisal,
    AuditEvent,
    CycleDefinitionRecord,
    CycleRun,
    Employee,
    Notification,
    SweepCursor,
    User,
    utcnow,
)
from engine.notification_loops import NOMINATION_EVENT, nomination_notices
from engine.notification_texts import LANGUAGES, notice_columns
from engine.registry import definition_of
from engine.resolvers import HolderIndex, Subject

CURSOR = "notifications"
# Events younger than this are read again by the next sweep: a transaction that took its event id
# earlier may still be committing, and the cursor must not step over it.
SETTLE = timedelta(seconds=60)
# Appraisals of a launch told at once by the full sweep (one query and one insert per batch).
LAUNCH_BATCH = 2000

@dataclass
class DispatchReport:
    """What one sweep did: events read, notices written, where the cursor now stands, whether more wait."""

    events: int = 0
    created: int = 0
    cursor: int = 0
    more: bool = False


@dataclass(frozen=True)
class _Case:
    """An appraisal as the event found it, with the people around the employee."""

    event_id: int
    kind: str  # action_needed | reminder | escalation | checkpoint
    appraisal_id: int
    state: str
    actor_user_id: int | None
    due_at: str | None
    defn: CycleDefinition
    employee_id: int
    employee_name: str
    unit_id: int
    supervisor_id: int | None
    boss_id: int | None
    period: str
    launched: bool = False
    # A checkpoint entry's event: the entry's kind, the checkpoint (series.key) and who is told.
    entry: str | None = None
    checkpoint: str | None = None
    told: tuple[str, ...] = ()
    # A transition's event: its trigger and the cycle role that fired it (the step the notice names).
    trigger: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class _Recipient:
    user_id: int
    locale: str
    email: str | None


def _dialect_insert(session: Session) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _read_cursor(session: Session, now: datetime) -> int:
    position = session.scalar(select(SweepCursor.position).where(SweepCursor.name == CURSOR))
    if position is None:
        # The first sweep ever (possibly on two hosts at once) creates the row.
        insert = _dialect_insert(session)
        session.execute(insert(SweepCursor).values(name=CURSOR, position=0, updated_at=now)
                        .on_conflict_do_nothing(index_elements=["name"]))
        position = session.scalar(select(SweepCursor.position).where(SweepCursor.name == CURSOR))
    return int(position or 0)


def _launched(session: Session, rows: list[Any], *, after: int = 0, limit: int | None = None) -> list[Any]:
    """For launch events: every appraisal of the run (from appraisal id ``after``, at most ``limit``), as if
    each had its own event (one query)."""
    launches = {int(row.payload["run_id"]): row for row in rows
                if row.kind == "launch" and isinstance((row.payload or {}).get("run_id"), int)}
    if not launches:
        return []
    boss = aliased(Employee)
    found = session.execute(
        select(Appraisal.id.label("appraisal_id"), Appraisal.run_id, Appraisal.state, Appraisal.entered_at,
               Appraisal.definition_id, Appraisal.employee_id, Employee.name.label("employee_name"), Employee.unit_id,
               Employee.supervisor_id, boss.supervisor_id.label("boss_id"), CycleRun.period)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .outerjoin(boss, boss.id == Employee.supervisor_id)
        .join(CycleRun, CycleRun.id == Appraisal.run_id)
        .where(Appraisal.run_id.in_(list(launches)), Appraisal.closed_at.is_(None), Appraisal.id > after)
        .order_by(Appraisal.id).limit(limit))
    out = []
    for a in found:
        event = launches[a.run_id]
        out.append(_Row(id=event.id, kind="launch", occurred_at=event.occurred_at, actor_user_id=event.actor_user_id,
                        from_state=None, to_state=None, payload={}, appraisal_id=a.appraisal_id, state=a.state,
                        entered_at=a.entered_at, definition_id=a.definition_id, employee_id=a.employee_id,
                        employee_name=a.employee_name, unit_id=a.unit_id, supervisor_id=a.supervisor_id,
                        boss_id=a.boss_id, period=a.period, trigger=None, role=None))
    return out


@dataclass(frozen=True)
class _Row:
    id: int
    kind: str
    occurred_at: datetime
    actor_user_id: int | None
    from_state: str | None
    to_state: str | None
    payload: dict[str, Any]
    appraisal_id: int
    state: str
    entered_at: datetime
    definition_id: int
    employee_id: int
    employee_name: str
    unit_id: int
    supervisor_id: int | None
    boss_id: int | None
    period: str
    trigger: str | None
    role: str | None


def _definitions(session: Session, rows: list[Any]) -> dict[int, CycleDefinition]:
    """The cycle definitions of the rows' appraisals, each version loaded once."""
    record_ids = {row.definition_id for row in rows if row.definition_id is not None}
    return {r.id: definition_of(r) for r in session.scalars(
        select(CycleDefinitionRecord).where(CycleDefinitionRecord.id.in_(record_ids)))} if record_ids else {}


def _written(session: Session, rows: list[Any], now: datetime) -> list[dict[str, Any]]:
    """The notices the events call for: the next actors' (as cases) and the waiting nominations'."""
    cases = _cases(session, rows)
    nominations = [row for row in rows if row.kind == NOMINATION_EVENT]
    return ((_notices(session, cases, now) if cases else [])
            + (nomination_notices(session, nominations, _definitions(session, nominations), now)
               if nominations else []))


def _cases(session: Session, rows: list[Any]) -> list[_Case]:
    """The events that call for a notice, as cases (definitions loaded once per version)."""
    rows = rows + _launched(session, rows)
    defns = _definitions(session, rows)
    cases = []
    for row in rows:
        if row.appraisal_id is None or row.definition_id not in defns:
            continue
        common = dict(event_id=row.id, appraisal_id=row.appraisal_id, actor_user_id=row.actor_user_id,
                      defn=defns[row.definition_id], employee_id=row.employee_id, employee_name=row.employee_name,
                      unit_id=row.unit_id, supervisor_id=row.supervisor_id, boss_id=row.boss_id, period=row.period)
        if row.kind == "transition":
            # Only while the appraisal is still where this event put it.
            if row.state == row.to_state and row.entered_at <= row.occurred_at:
                cases.append(_Case(kind="action_needed", state=row.to_state, due_at=None, trigger=row.trigger,
                                   role=row.role, **common))
        elif row.kind in ("launch", "enrol"):
            # Launched (or added by HR) into the initial state and not moved since.
            if row.state == common["defn"].initial_state and row.entered_at <= row.occurred_at:
                cases.append(_Case(kind="action_needed", state=row.state, due_at=None, launched=True, **common))
        elif row.kind == "deadline":
            action = (row.payload or {}).get("action")
            if action in ("remind", "escalate") and row.state == row.from_state:
                cases.append(_Case(kind="reminder" if action == "remind" else "escalation", state=row.from_state,
                                   due_at=(row.payload or {}).get("due_at") or row.occurred_at.isoformat(), **common))
        elif row.kind == CHECKPOINT_EVENT:
            payload = row.payload or {}
            series = common["defn"].checkpoint_series(str(payload.get("checkpoint") or "").partition(".")[0])
            told = _checkpoint_told(series, str(payload.get("entry"))) if series is not None else ()
            if told:
                cases.append(_Case(kind="checkpoint", state=row.state, due_at=None, entry=str(payload.get("entry")),
                                   checkpoint=str(payload.get("checkpoint")), told=told, **common))
    return cases


def _checkpoint_told(series: CheckpointDef, entry: str) -> tuple[str, ...]:
    """Who hears of a checkpoint entry: the employee's side tells the rater's, and the other way round."""
    if entry in ("report", "self_assessment"):
        return tuple(dict.fromkeys(series.feedback_roles + series.rating_roles))
    if entry in ("feedback", "rating"):
        return tuple(dict.fromkeys(series.report_roles + series.self_assessment_roles))
    return ()


def _subject(case: _Case) -> Subject:
    return Subject(case.employee_id, case.unit_id, case.supervisor_id, case.boss_id)


def _acting_roles(case: _Case) -> list[str]:
    """Roles that can fire a transition from the case's state or edit in it, in the cycle's role order
    (for a checkpoint entry: the roles it tells)."""
    defn = case.defn
    if case.kind == "checkpoint":
        return [r for r in defn.roles if r in case.told]
    wanted = {r for t in defn.transitions_from(case.state) for r in t.roles}
    state = defn.states.get(case.state)
    if state is not None:
        wanted |= {r for r, kinds in state.edit.items() if kinds}
    return [r for r in defn.roles if r in wanted]


def _what_they_can_do(case: _Case, roles: Iterable[str]) -> list[Any]:
    """The steps (by their labels) and the kinds of editing the roles can do in the case's state."""
    defn = case.defn
    if case.kind == "checkpoint":
        return [Message("notice.do.respond") if case.entry in ("report", "self_assessment")
                else Message("notice.do.read")]
    roles = set(roles)
    words: list[Any] = [Label(t.trigger, t.label) for t in defn.transitions_from(case.state)
                        if roles.intersection(t.roles)]
    state = defn.states.get(case.state)
    if state is not None:
        kinds = sorted({k for r in roles for k in state.edit.get(r, ())})
        words += [Message(f"notice.do.{k}") for k in kinds if f"notice.do.{k}" in MESSAGE_TEXTS]
    return words or [Message("notice.do.follow")]


def _due(due: str | None) -> datetime | str | None:
    """The deadline as a moment (shown in the agency's zone in the reader's format)."""
    if not due:
        return None
    try:
        return datetime.fromisoformat(due)
    except ValueError:
        return due


def _notices(session: Session, cases: list[_Case], now: datetime) -> list[dict[str, Any]]:
    people = HolderIndex(session, [_subject(c) for c in cases],
                         {c.defn.roles[r].resolver for c in cases for r in _acting_roles(c) if r in c.defn.roles})
    # case index -> {user or employee key -> roles}
    by_employee: list[dict[int, set[str]]] = []
    by_user: list[dict[int, set[str]]] = []
    unheld: list[bool] = []  # nobody holds a role the case's state waits for: HR of the unit is told
    for case in cases:
        employees: dict[int, set[str]] = {}
        users: dict[int, set[str]] = {}
        hr_roles: dict[int, set[str]] = {}
        for role in _acting_roles(case):
            held = people.of(case.defn.roles[role], _subject(case))
            for eid in held.employee_ids:
                employees.setdefault(eid, set()).add(role)
            target = hr_roles if case.defn.roles[role].resolver == "unit_hr" else users
            for uid in held.user_ids:
                target.setdefault(uid, set()).add(role)
        if case.kind == "escalation":
            for uid in people.hr_of(case.unit_id):
                users.setdefault(uid, set())
            for uid, roles in hr_roles.items():
                users.setdefault(uid, set()).update(roles)
        elif not employees and not users:
            users = hr_roles
        state = case.defn.states.get(case.state)
        nobody = (case.kind == "action_needed" and not employees and not users and state is not None
                  and not state.vacant and bool(_acting_roles(case)))
        if nobody:
            users = {uid: set() for uid in people.hr_of(case.unit_id)}
        unheld.append(nobody)
        by_employee.append(employees)
        by_user.append(users)
    employee_ids = {e for m in by_employee for e in m} | {c.employee_id for c in cases if c.trigger is not None}
    user_ids = {u for m in by_user for u in m}
    if not employee_ids and not user_ids:
        return []
    found = session.execute(
        select(User.id, User.employee_id, User.locale, Employee.email)
        .outerjoin(Employee, Employee.id == User.employee_id)
        .where(User.is_active.is_(True),
               or_(User.employee_id.in_(employee_ids or {-1}), User.id.in_(user_ids or {-1})))).all()
    by_id = {uid: _Recipient(uid, locale if locale in LANGUAGES else "id", email or None)
             for uid, _eid, locale, email in found}
    user_of_employee = {eid: uid for uid, eid, _l, _e in found if eid is not None}
    rows: dict[str, dict[str, Any]] = {}
    for case, employees, users, nobody in zip(cases, by_employee, by_user, unheld, strict=True):
        recipients: dict[int, set[str]] = {}
        for eid, roles in employees.items():
            if eid in user_of_employee:
                recipients.setdefault(user_of_employee[eid], set()).update(roles)
        for uid, roles in users.items():
            if uid in by_id:
                recipients.setdefault(uid, set()).update(roles)
        if case.kind in ("action_needed", "checkpoint") and case.actor_user_id is not None:
            recipients.pop(case.actor_user_id, None)
        awaited = [Label(r, case.defn.roles[r].label) for r in _acting_roles(case)]
        told = _employee_told(case, user_of_employee.get(case.employee_id), recipients)
        state = case.defn.states.get(case.state)
        common = {"state": Label(case.state, state.label if state is not None else None),
                  "employee": case.employee_name, "period": case.period, "cycle": case.defn.title}
        for uid, roles in [*recipients.items(), *([(told, set())] if told is not None else [])]:
            who = by_id[uid]
            if uid == told:
                key = f"told:{case.event_id}:{uid}"
                code = "notice.closed" if _is_final(case) else "notice.employee"
                rows[key] = _row(who, case, key, "info", notice_columns(code, who.locale, **common,
                                                                        **_step_params(case)), now)
                continue
            params = dict(common, actions=_what_they_can_do(case, roles))
            if nobody:
                key = f"nobody:{case.event_id}:{uid}"
                rows[key] = _row(who, case, key, "escalation",
                                 notice_columns("notice.nobody_holds", who.locale, **common, waiting=awaited), now)
                continue
            if case.kind == "checkpoint":
                code = f"notice.checkpoint.{case.entry}"
                params["checkpoint"] = _checkpoint_label(case)
            else:
                code = f"notice.{case.kind}"
                if case.kind != "action_needed":
                    params["due"] = _due(case.due_at)
                if case.kind == "escalation":
                    params["waiting"] = awaited or Message("notice.nobody")
            if case.trigger is not None:
                params["step"] = Message("notice.step", **_step_params(case))
            if case.launched:
                key = f"launch:{case.event_id}:{case.appraisal_id}:{uid}"
            elif case.kind == "action_needed":
                key = f"enter:{case.event_id}:{uid}"
            elif case.kind == "checkpoint":
                key = f"checkpoint:{case.event_id}:{uid}"
            else:
                key = f"{'remind' if case.kind == 'reminder' else 'escalate'}:{case.appraisal_id}:{case.due_at}:{uid}"
            kind = "info" if case.kind == "checkpoint" else case.kind
            rows[key] = _row(who, case, key, kind, notice_columns(code, who.locale, **params), now)
    return list(rows.values())


def _row(who: _Recipient, case: _Case, key: str, kind: str, said: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A notice's columns: to whom, about what, what it says (code and parameters, and the text in the
    recipient's language), and its place in the e-mail outbox."""
    return {"user_id": who.user_id, "email": who.email, "appraisal_id": case.appraisal_id, "kind": kind,
            "dedupe_key": key[:160], "link": _link(case), "created_at": now,
            "email_status": "outbox" if who.email else "none", "email_attempts": 0, **said}


def _employee_told(case: _Case, employee_user: int | None, recipients: Mapping[int, set[str]]) -> int | None:
    """The employee's account when they hear of a step someone else took on their appraisal and are not
    told already as someone who can act next (an appeal decided, a rating issued, the cycle closed)."""
    if case.kind != "action_needed" or case.trigger is None or employee_user is None:
        return None
    if employee_user == case.actor_user_id or employee_user in recipients:
        return None
    return employee_user


def _is_final(case: _Case) -> bool:
    state = case.defn.states.get(case.state)
    return bool(state is not None and state.final)


def _step_params(case: _Case) -> dict[str, Any]:
    """The transition that led here and who took it, by their labels in the cycle."""
    if case.trigger is None:
        return {}
    transition = next((t for t in case.defn.transitions if t.trigger == case.trigger), None)
    role = case.defn.roles.get(case.role) if case.role else None
    return {"transition": Label(case.trigger, transition.label if transition is not None else None),
            "by": Label(str(case.role), role.label) if role is not None else Message("notice.system")}


def _checkpoint_label(case: _Case) -> Label:
    series_id, _, key = str(case.checkpoint).partition(".")
    series = case.defn.checkpoint_series(series_id)
    return Label(str(case.checkpoint), checkpoint_label(series, key) if series is not None else None)


def _link(case: _Case) -> str:
    anchor = f"#tp-{str(case.checkpoint).replace('.', '-')}" if case.kind == "checkpoint" else ""
    return f"/penilaian/{case.appraisal_id}{anchor}"


# The kinds of audit event that can lead to a notice; the others (a launch's create event per
# appraisal, edits, feedback) are not read, so they do not use up a sweep's limit.
NOTIFYING_KINDS = ("transition", "launch", "enrol", "deadline", CHECKPOINT_EVENT, NOMINATION_EVENT)


def _events(session: Session, after: int, limit: int, *, newest: bool = False) -> list[Any]:
    boss = aliased(Employee)
    stmt = (
        select(AuditEvent.id, AuditEvent.kind, AuditEvent.occurred_at, AuditEvent.actor_user_id, AuditEvent.from_state,
               AuditEvent.to_state, AuditEvent.payload, AuditEvent.appraisal_id, Appraisal.state, Appraisal.entered_at,
               Appraisal.definition_id, Appraisal.employee_id, Employee.name.label("employee_name"), Employee.unit_id,
               Employee.supervisor_id, boss.supervisor_id.label("boss_id"), CycleRun.period, AuditEvent.trigger,
               AuditEvent.role)
        .select_from(AuditEvent)
        .outerjoin(Appraisal, Appraisal.id == AuditEvent.appraisal_id)
        .outerjoin(Employee, Employee.id == Appraisal.employee_id)
        .outerjoin(boss, boss.id == Employee.supervisor_id)
        .outerjoin(CycleRun, CycleRun.id == Appraisal.run_id)
        .where(AuditEvent.id > after, AuditEvent.kind.in_(NOTIFYING_KINDS))
        .order_by(AuditEvent.id.desc() if newest else AuditEvent.id)
        .limit(limit)
    )
    rows = list(session.execute(stmt).all())
    return rows[::-1] if newest else rows


def _launch_size(row: Any) -> int:
    return int((row.payload or {}).get("appraisals") or 0)


def _insert(session: Session, notices: list[dict[str, Any]]) -> int:
    """Insert the notices not written yet (their ``dedupe_key`` is new); how many were."""
    if not notices:
        return 0
    stmt = (_dialect_insert(session)(Notification).on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Notification.id))
    return len(session.execute(stmt, notices).all())


def _notify_launch_in_batches(session: Session, event: Any, now: datetime) -> int:
    """Tell a large launch's employees :data:`LAUNCH_BATCH` appraisals at a time, committing each batch,
    so memory stays flat however large the run; a sweep that stops halfway starts over and the
    notices already written are not written again."""
    created, after = 0, 0
    while expanded := _launched(session, [event], after=after, limit=LAUNCH_BATCH):
        created += _insert(session, _written(session, expanded, now))
        session.commit()
        after = expanded[-1].appraisal_id
    return created


def dispatch(session: Session, *, now: datetime | None = None, limit: int = 1000,
             max_launch: int | None = None) -> DispatchReport:
    """Write the notices for up to ``limit`` audit events after the cursor; commits.

    Safe to run often and on several hosts: each notice exists once (unique ``dedupe_key``). A launch
    tells every employee of the run; with ``max_launch`` a launch of more appraisals than that stops
    the sweep before it. After a person's action the web app runs :func:`dispatch_recent` instead.
    """
    now = now or utcnow()
    report = DispatchReport()
    try:
        position = _read_cursor(session, now)
        rows = _events(session, position, limit)
        report.more = len(rows) == limit
        if max_launch is not None:
            for index, row in enumerate(rows):
                if row.kind == "launch" and int((row.payload or {}).get("appraisals") or 0) > max_launch:
                    rows, report.more = rows[:index], True
                    break
        report.events = len(rows)
        large = {row.id for row in rows if row.kind == "launch" and _launch_size(row) > LAUNCH_BATCH}
        for row in rows:
            if row.id in large:
                report.created += _notify_launch_in_batches(session, row, now)
        report.created += _insert(session, _written(session, [row for row in rows if row.id not in large], now))
        settled = position
        for row in rows:
            if row.occurred_at > now - SETTLE:
                break
            settled = row.id
        if settled > position:
            session.execute(update(SweepCursor).where(SweepCursor.name == CURSOR, SweepCursor.position < settled)
                            .values(position=settled, updated_at=now))
        report.cursor = settled
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report


def dispatch_recent(session: Session, *, now: datetime | None = None, limit: int = 200,
                    max_launch: int = 200) -> int:
    """Write the notices of the newest ``limit`` audit events not yet swept; commits; returns how many.

    The quick sweep after a person's action: it reads from the newest event back, so the notice for
    the next actor appears at once whatever waits before it (a launch of 100,000 appraisals, a
    backlog while no worker runs). Launches of more than ``max_launch`` appraisals are skipped and the
    cursor is not moved: the worker's :func:`dispatch` sweeps everything in order, and each notice
    exists once whichever sweep writes it first.
    """
    now = now or utcnow()
    try:
        rows = [row for row in _events(session, _read_cursor(session, now), limit, newest=True)
                if not (row.kind == "launch" and int((row.payload or {}).get("appraisals") or 0) > max_launch)]
        created = _insert(session, _written(session, rows, now))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return created


def mark_read(session: Session, user_id: int, notification_id: int | None = None, *,
              now: datetime | None = None) -> int:
    """Mark one notice (or all) of the user as read; returns how many changed. Commits."""
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    # An UPDATE gives a cursor result, which counts the rows it changed.
    changed = cast(CursorResult[Any], session.execute(stmt.values(read_at=now or utcnow()))).rowcount
    session.commit()
    return int(changed or 0)


def notifications_for(session: Session, user_id: int, *, limit: int = 100) -> list[Notification]:
    """The user's notices, newest first."""
    return list(session.scalars(select(Notification).where(Notification.user_id == user_id)
                                .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def notification_of(session: Session, user_id: int, notification_id: int) -> Notification | None:
    """One of the user's notices, or None (another person's notice is as absent as a missing one)."""
    return session.scalars(select(Notification).where(Notification.id == notification_id,
                                                      Notification.user_id == user_id)).first()


def unread_count(session: Session, user_id: int) -> int:
    from sqlalchemy import func

    return int(session.scalar(select(func.count()).select_from(Notification).where(
        and_(Notification.user_id == user_id, Notification.read_at.is_(None)))) or 0)
