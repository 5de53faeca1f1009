"""Launching a cycle for a unit and a period, and the changes HR makes to a running run.

An employee has at most one open appraisal per cycle and period; the database keeps that (a partial
unique index on ``appraisal``), and :func:`launch_cycle` skips, and lists, employees who already have
one (launching a sub-unit of a launched unit, or a parent after a sub-unit).

A launch of 100,000 appraisals is a handful of ``INSERT ... SELECT`` statements in chunks (for
progress), not a Python loop over rows; the launch itself is one event in the system audit chain.

While a run goes on, HR adds a joiner (:func:`add_employee`), closes the appraisal of one who leaves
(:func:`close_appraisal`) and moves a transferee, mutasi, to the run of their new unit
(:func:`transfer_employee`: the old appraisal is closed as ``transferred`` and a new one starts in the
new run's initial state, because the new unit's supervisor agrees a new SKP). A closed appraisal
keeps its state, data and results as history; it takes no more transitions or edits and is left out
of queues, deadlines, reports and the e-Kinerja export. Each of these is one event in the appraisal's
own audit chain (``enrol`` or ``close``), carrying what a replay needs to derive it.

A launch stays one transaction: a run with half its appraisals must never be visible, and the
set-based insert holds SQLite's write lock for seconds even at 100,000 appraisals, well within the
time other writers wait for it (:data:`engine.db.BUSY_TIMEOUT_MS`). It takes the lock before it
writes, so it cannot fail halfway because another writer came first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, String, and_, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload

from engine.appraisals import due_at_for, load_appraisal
from engine.audit import Creation, EventInfo, append_appraisal_event, append_system_event, record_creations
from engine.calendar import local_zone
from engine.db import begin_write
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.limits import echoed, parse_id
from engine.loaded import definition_of
from engine.messages import Message
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Employee, OrgUnit, utcnow
from engine.org import unit_and_descendants
from engine.permissions import Actor
from engine.policy import Policy
from engine.run_verify import bounds_record

# ASCII digits and the whole text (fullmatch): ``\d`` also takes ٢٠٢٦ and ``$`` a trailing line break, and a
# period written another way than its canonical text would start a second run and appraisal for the same year.
_PERIODS = {
    "annual": (re.compile(r"([0-9]{4})"), "2026"),
    "semester": (re.compile(r"([0-9]{4})-S([12])"), "2026-S1"),
    "quarterly": (re.compile(r"([0-9]{4})-Q([1-4])"), "2026-Q3"),
    "monthly": (re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])"), "2026-07"),
}


def period_timezone() -> ZoneInfo:
    """Periods are calendar periods where the agency works: SIKLUS_TIMEZONE, by default WIB."""
    return local_zone()


#: The years a period may fall in (a typed 0000 or 9999 has no calendar bounds; no appraisal runs there).
PERIOD_YEARS = (1950, 2999)
UNIT_CODE_CHARS = 64  # OrgUnit.code


def period_bounds(kind: str, period: str) -> tuple[datetime, datetime]:
    """First and last moment of a period string of the cycle's kind, in the agency's time zone.

    Only the canonical text is a period (``2026``, not `` 2026`` or ``٢٠٢٦``): runs and appraisals are told
    apart by it. Callers strip what a person typed first (:func:`launch_cycle` does).
    """
    pattern, example = _PERIODS[kind]
    m = pattern.fullmatch(period)
    said = period if len(period) <= 40 else period[:40] + "…"
    if not m:
        raise InvalidInput(f"period '{said}' does not fit this cycle's period kind ({kind}); write it like {example}",
                           msg=Message("run.period_kind", period=said, example=example))
    year = int(m.group(1))
    if not PERIOD_YEARS[0] <= year <= PERIOD_YEARS[1]:
        raise InvalidInput(f"period '{said}': the year must be between {PERIOD_YEARS[0]} and {PERIOD_YEARS[1]}",
                           msg=Message("run.period_year", period=said, first=str(PERIOD_YEARS[0]),
                                       last=str(PERIOD_YEARS[1])))
    if kind == "annual":
        first, months = 1, 12
    elif kind == "semester":
        first, months = (int(m.group(2)) - 1) * 6 + 1, 6
    elif kind == "quarterly":
        first, months = (int(m.group(2)) - 1) * 3 + 1, 3
    else:
        first, months = int(m.group(2)), 1
    zone = period_timezone()
    start = datetime(year, first, 1, tzinfo=zone)
    end_month = first + months
    end = datetime(year + (end_month > 12), (end_month - 1) % 12 + 1, 1, tzinfo=zone)
    return start, end - timedelta(microseconds=1)


def find_unit(session: Session, code_or_id: str | int) -> OrgUnit:
    typed = str(code_or_id)
    # A code longer than a code column holds, or with a NUL (which PostgreSQL refuses in any text), names no unit.
    storable = len(typed) <= UNIT_CODE_CHARS and "\x00" not in typed
    unit = session.scalars(select(OrgUnit).where(OrgUnit.code == typed)).first() if storable else None
    unit_id = parse_id(typed)
    if unit is None and unit_id is not None:
        unit = session.get(OrgUnit, unit_id)
    if unit is None:
        # A code in another case names no unit (codes are exact, as the export and the pages show them); the
        # refusal names the code meant, so nobody launches for a unit they did not name.
        text = echoed(typed, UNIT_CODE_CHARS)
        meant = session.scalars(select(OrgUnit.code).where(func.upper(OrgUnit.code) == typed.upper())
                                .order_by(OrgUnit.code).limit(3)).all() if storable else []
        if meant:
            raise NotFound(f"no unit '{text}'; did you mean {', '.join(repr(c) for c in meant)}?",
                           msg=Message("run.unit_case", unit=text, meant=", ".join(f"«{c}»" for c in meant)))
        raise NotFound(f"no unit '{text}' (give its code, e.g. as shown by the organisation page)",
                       msg=Message("run.unknown_unit", unit=text))
    return unit



@dataclass(frozen=True)
class SkippedEmployee:
    """An employee a launch left out because they already have an appraisal of the cycle and period."""

    employee_id: int
    nip: str
    name: str
    appraisal_id: int
    run_id: int
    run_unit: str
    state: str
    closed: bool

    def as_json(self) -> dict[str, object]:
        return {"employee_id": self.employee_id, "nip": self.nip, "name": self.name,
                "appraisal_id": self.appraisal_id, "run_id": self.run_id, "run_unit": self.run_unit,
                "state": self.state, "closed": self.closed}


@dataclass(frozen=True)
class LaunchOutcome:
    """What a launch did: the run, how many appraisals it started, and whom it skipped."""

    run: CycleRun
    started: int
    skipped: list[SkippedEmployee]


def appraisals_of_cycle_period(session: Session, cycle_id: str, period: str,
                               employees: Select[int] | Sequence[int]) -> list[SkippedEmployee]:
    """The employees (an id list or a SQL subquery of ids) who already have an appraisal of the cycle and
    period, one per employee (the open one when there is one), by NIP. One query."""
    run_unit = aliased(OrgUnit)
    rows = session.execute(
        select(Appraisal.employee_id, Employee.nip, Employee.name, Appraisal.id, Appraisal.run_id, run_unit.code,
               Appraisal.state, Appraisal.closed_at)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .join(CycleRun, CycleRun.id == Appraisal.run_id)
        .join(run_unit, run_unit.id == CycleRun.unit_id)
        .where(Appraisal.cycle_id == cycle_id, Appraisal.period == period, Appraisal.employee_id.in_(employees))
        .order_by(Employee.nip, Appraisal.closed_at.is_not(None), Appraisal.id))
    out: dict[int, SkippedEmployee] = {}
    for employee_id, nip, name, appraisal_id, run_id, unit_code, state, closed_at in rows:
        if employee_id not in out:
            out[employee_id] = SkippedEmployee(employee_id, nip, name, appraisal_id, run_id, unit_code, state,
                                               closed_at is not None)
    return list(out.values())


def launch(session: Session, record: CycleDefinitionRecord, unit: OrgUnit, period: str, actor: Actor,
           *, include_subunits: bool = True, chunk: int = 5000,
           progress: Callable[[int], None] | None = None, now: datetime | None = None) -> CycleRun:
    """:func:`launch_cycle` for callers that need only the run. Commits."""
    return launch_cycle(session, record, unit, period, actor, include_subunits=include_subunits, chunk=chunk,
                        progress=progress, now=now).run


def launch_cycle(session: Session, record: CycleDefinitionRecord, unit: OrgUnit, period: str, actor: Actor,
                 *, include_subunits: bool = True, chunk: int = 5000,
                 progress: Callable[[int], None] | None = None, now: datetime | None = None) -> LaunchOutcome:
    """Start ``record`` for every active employee of ``unit`` (and its sub-units) in ``period``. Commits.

    Employees who already have an appraisal of this cycle and period (open or closed, in any run) are
    skipped and listed; when every employee is skipped nothing is written and the refusal lists them.
    ``now`` is the moment of the launch (the clock's by default; a demo's history begins earlier).
    """
    if record.status != "published":
        raise InvalidInput(f"{record.cycle_id} version {record.version} is {record.status}; only a published "
                           "definition can be launched",
                           msg=Message("run.not_published", cycle=record.cycle_id, version=record.version,
                                       status=record.status))
    defn = definition_of(record)
    period = period.strip()  # spaces typed around it; the stored text is the canonical one
    start, end = period_bounds(defn.period, period)
    clash = session.scalars(select(CycleRun).where(
        CycleRun.cycle_id == record.cycle_id, CycleRun.unit_id == unit.id, CycleRun.period == period)).first()
    if clash is not None:
        raise InvalidInput(
            f"{record.cycle_id} was already launched for {unit.code} in {period} (run #{clash.id}); "
            "add a joiner to that run instead",
            msg=Message("run.launched", cycle=record.cycle_id, unit=unit.code, period=period, run=str(clash.id)),
            run_id=clash.id)
    units = unit_and_descendants(session, unit.id) if include_subunits else [unit.id]
    now = now or utcnow()
    try:
        begin_write(session)  # see the module docstring: one short transaction, the lock taken first
        ids = list(session.scalars(
            select(Employee.id).where(Employee.unit_id.in_(units), Employee.active.is_(True)).order_by(Employee.id)))
        in_units = select(Employee.id).where(Employee.unit_id.in_(units), Employee.active.is_(True))
        skipped = appraisals_of_cycle_period(session, record.cycle_id, period, in_units)
        if ids and len(skipped) == len(ids):
            runs = ", ".join(sorted({f"#{s.run_id} ({s.run_unit})" for s in skipped}))
            raise InvalidInput(
                f"every one of the {len(ids)} active employee(s) of {unit.code} already has an appraisal of "
                f"{record.cycle_id} in {period} (run {runs}); nothing was launched",
                msg=Message("run.all_have", count=len(ids), unit=unit.code, cycle=record.cycle_id, period=period,
                            runs=runs),
                skipped=[s.as_json() for s in skipped])
        run = CycleRun(cycle_id=record.cycle_id, definition_id=record.id, unit_id=unit.id, period=period,
                       period_start=start, period_end=end, launched_at=now, launched_by_id=actor.user_id)
        session.add(run)
        session.flush()
        initial = defn.initial_state
        due = due_at_for(defn.states[initial], run, now)
        taken = {s.employee_id for s in skipped}
        ids = [i for i in ids if i not in taken]
        entries = {initial: now.isoformat()}
        cols = ["run_id", "definition_id", "employee_id", "cycle_id", "period", "state", "version", "entered_at",
                "state_entries", "due_at", "data", "audit_seq", "audit_head", "created_at", "updated_at"]
        table = Appraisal.__table__
        for offset in range(0, len(ids), chunk):
            block = ids[offset:offset + chunk]
            # The block as a range of ids (those skipped in it left out), not a list of thousands of binds.
            low, high = (ids[offset - 1] if offset else 0), block[-1]
            within = and_(Employee.unit_id.in_(units), Employee.active.is_(True), Employee.id > low,
                          Employee.id <= high, Employee.id.not_in([t for t in taken if low < t <= high]))
            select_rows = select(
                literal(run.id, Integer), literal(record.id, Integer), Employee.id,
                literal(record.cycle_id, String), literal(period, String), literal(initial),
                literal(1, Integer), literal(now, table.c.entered_at.type),
                literal(entries, table.c.state_entries.type),
                literal(due, table.c.due_at.type), literal({}, table.c.data.type), literal(0, Integer), literal(""),
                literal(now, table.c.created_at.type), literal(now, table.c.updated_at.type),
            ).where(within)
            session.execute(insert(Appraisal).from_select(cols, select_rows))
            _start_chains(session, run, record, initial, (low, high), actor, now)
            if progress:
                progress(len(block))
        if progress and skipped:
            progress(len(skipped))
        count = session.scalar(select(func.count()).select_from(Appraisal).where(Appraisal.run_id == run.id)) or 0
        append_system_event(session, EventInfo(
            kind="launch", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm", unit_id=unit.id,
            payload={"run_id": run.id, "cycle_id": record.cycle_id, "version": record.version,
                     "content_hash": record.content_hash, "unit": unit.code, "period": period,
                     "appraisals": count, "include_subunits": include_subunits, "creation_events": True,
                     **bounds_record(start, end),
                     "skipped": [{"nip": s.nip, "appraisal_id": s.appraisal_id} for s in skipped]},
        ), occurred_at=now)
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(
            f"{record.cycle_id} {period} was launched for some of these employees at the same moment; "
            "nothing was written, launch again to see who is skipped",
            msg=Message("run.launch_race", cycle=record.cycle_id, period=period)) from exc
    except BaseException:
        session.rollback()
        raise
    return LaunchOutcome(run, count, skipped)


# -- joiners, leavers and transferees -----------------------------------------------------------

CLOSE_KINDS = ("left", "transferred")
MAX_REASON = 1000


def find_employee(session: Session, nip_or_id: str | int) -> Employee:
    """An employee by NIP (or database id)."""
    employee = session.scalars(select(Employee).where(Employee.nip == str(nip_or_id).strip())).first()
    employee_id = parse_id(str(nip_or_id))
    if employee is None and employee_id is not None:
        employee = session.get(Employee, employee_id)
    if employee is None:
        raise NotFound(f"no employee with NIP '{nip_or_id}'", msg=Message("run.no_employee", nip=str(nip_or_id)[:40]))
    return employee


def _closed_how(kind: str | None) -> Message | str:
    """How an appraisal was closed, for a person (the stored word when it is not one of ours)."""
    return Message(f"closed.{kind}") if kind in CLOSE_KINDS else str(kind or "-")


def get_run(session: Session, run_id: int) -> CycleRun:
    run = session.scalars(select(CycleRun).where(CycleRun.id == run_id)
                          .options(joinedload(CycleRun.unit), joinedload(CycleRun.definition))).first()
    if run is None:
        raise NotFound(f"no run #{run_id}", msg=Message("run.not_found", id=str(run_id)))
    return run


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("give the reason (e.g. the decree number of the transfer or retirement)",
                           msg=Message("run.reason_required"))
    if len(text) > MAX_REASON:
        raise InvalidInput(f"the reason is longer than {MAX_REASON} characters",
                           msg=Message("run.reason_long", limit=MAX_REASON))
    return text


def _require_hr_of_run(policy: Policy, actor: Actor, run: CycleRun) -> None:
    if not policy.is_hr_of(run.unit_id):
        raise Forbidden(f"{actor.username} is not HR of {run.unit.code}, the unit of run #{run.id}",
                        msg=Message("run.not_hr", unit=run.unit.code, run=str(run.id)))


def _not_own(actor: Actor, employee: Employee) -> None:
    """Refuse HR's closing, reopening, adding or moving their own appraisal: it would leave (or rejoin) every
    queue, deadline and report by their own decision, as nobody approves their own plan."""
    if actor.employee_id is not None and actor.employee_id == employee.id:
        raise Forbidden(f"{actor.username} does not close, reopen, add or move their own appraisal",
                        msg=Message("run.own_appraisal", name=employee.name, nip=employee.nip))


def _start_in_run(session: Session, policy: Policy, run: CycleRun, employee: Employee, actor: Actor,
                  reason: str, how: str, now: datetime, from_appraisal: int | None = None) -> Appraisal:
    """Check and add one employee's appraisal to ``run`` with its ``enrol`` event (flushed, not committed)."""
    _require_hr_of_run(policy, actor, run)
    _not_own(actor, employee)
    if not employee.active:
        raise InvalidInput(f"{employee.name} ({employee.nip}) is not an active employee",
                           msg=Message("run.inactive", name=employee.name, nip=employee.nip))
    if run.unit_id not in policy.unit_ancestry(employee.unit_id):
        raise InvalidInput(
            f"{employee.name} ({employee.nip}) works in {employee.unit.code}, outside {run.unit.code} (run #{run.id}); "
            "record the move in the organisation data first",
            msg=Message("run.outside", name=employee.name, nip=employee.nip, unit=str(employee.unit.code),
                        run_unit=run.unit.code, run=run.id))
    existing = session.scalars(select(Appraisal).where(
        Appraisal.employee_id == employee.id, Appraisal.cycle_id == run.cycle_id, Appraisal.period == run.period,
        Appraisal.closed_at.is_(None))).first()
    if existing is not None:
        raise Conflict(
            f"{employee.name} ({employee.nip}) already has appraisal #{existing.id} of {run.cycle_id} in {run.period} "
            f"(run #{existing.run_id}); close it first if the employee moved",
            msg=Message("run.has_appraisal", name=employee.name, nip=employee.nip, appraisal=str(existing.id),
                        cycle=run.cycle_id, period=run.period, run=str(existing.run_id)),
            appraisal_id=existing.id, run_id=existing.run_id)
    returning = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                        Appraisal.employee_id == employee.id)).first()
    if returning is not None:  # closed (no open one, above): the employee comes back to where they were
        return _reopen(session, returning, actor, reason, how, now, from_appraisal)
    defn = definition_of(run.definition)
    initial = defn.initial_state
    appraisal = Appraisal(
        run_id=run.id, definition_id=run.definition_id, employee_id=employee.id, cycle_id=run.cycle_id,
        period=run.period, state=initial, version=1, entered_at=now, state_entries={initial: now.isoformat()},
        due_at=due_at_for(defn.states[initial], run, now), data={}, audit_seq=0, audit_head="",
        created_at=now, updated_at=now)
    appraisal.employee = employee
    session.add(appraisal)
    session.flush()
    payload: dict[str, object] = {"how": how, "run_id": run.id, "definition_id": run.definition_id,
                                  "cycle_id": run.cycle_id, "period": run.period, "employee_id": employee.id,
                                  "nip": employee.nip, "state": initial, "reason": reason}
    if from_appraisal is not None:
        payload["from_appraisal"] = from_appraisal
    append_appraisal_event(session, appraisal, EventInfo(
        kind="enrol", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm", to_state=initial,
        payload=payload, employee_id=employee.id, unit_id=employee.unit_id,
    ), occurred_at=now)
    session.flush()
    return appraisal


def _reopen(session: Session, appraisal: Appraisal, actor: Actor, reason: str, how: str, now: datetime,
            from_appraisal: int | None) -> Appraisal:
    """Open again the closed appraisal of an employee who comes back to its run (re-added after leaving, or moved
    back), with its ``reopen`` event (flushed, not committed).

    A run holds one appraisal per employee, so coming back continues it: its plan, realisations and history stay,
    in the state it was closed in, which counts as entered now (its deadline starts again).
    """
    state = appraisal.state
    defn = definition_of(appraisal.definition)
    was = appraisal.closed_kind
    appraisal.closed_at = appraisal.closed_kind = appraisal.closed_reason = None
    appraisal.entered_at = now
    appraisal.state_entries = {**(appraisal.state_entries or {}), state: now.isoformat()}
    appraisal.due_at = due_at_for(defn.states[state], appraisal.run, now) if state in defn.states else None
    appraisal.overdue_handled_at = None
    appraisal.updated_at = now
    payload: dict[str, object] = {"how": how, "reason": reason, "run_id": appraisal.run_id, "state": state,
                                  "was_closed": was}
    if from_appraisal is not None:
        payload["from_appraisal"] = from_appraisal
    append_appraisal_event(session, appraisal, EventInfo(
        kind="reopen", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
        from_state=state, to_state=state, payload=payload,
        employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id,
    ), occurred_at=now)
    session.flush()
    return appraisal


def _close(session: Session, policy: Policy, appraisal: Appraisal, actor: Actor, kind: str, reason: str,
           now: datetime) -> None:
    """Check and close one appraisal with its ``close`` event (flushed, not committed)."""
    _require_hr_of_run(policy, actor, appraisal.run)
    _not_own(actor, appraisal.employee)
    if appraisal.closed_at is not None:
        raise InvalidInput(
            f"appraisal #{appraisal.id} of {appraisal.employee.name} was already closed ({appraisal.closed_kind})",
            msg=Message("run.already_closed", appraisal=str(appraisal.id), name=appraisal.employee.name,
                        how=_closed_how(appraisal.closed_kind)))
    appraisal.closed_at, appraisal.closed_kind, appraisal.closed_reason = now, kind, reason
    appraisal.due_at = None
    appraisal.updated_at = now
    payload: dict[str, object] = {"kind": kind, "reason": reason, "state": appraisal.state, "run_id": appraisal.run_id}
    append_appraisal_event(session, appraisal, EventInfo(
        kind="close", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
        from_state=appraisal.state, to_state=appraisal.state, payload=payload,
        employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id,
    ), occurred_at=now)
    session.flush()


def _commit(session: Session, work: Callable[[], object]) -> None:
    try:
        work()
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("someone else changed these appraisals at the same moment; nothing was written, try again",
                       msg=Message("run.close_race")) from exc
    except BaseException:
        session.rollback()
        raise


def reopened(appraisal: Appraisal) -> bool:
    """Whether :func:`add_employee` or :func:`transfer_employee` opened the employee's closed appraisal in the run
    again rather than creating one: a new appraisal is written once, one opened again after its creation."""
    return appraisal.created_at < appraisal.updated_at


def add_employee(session: Session, run_id: int, employee: Employee | str | int, actor: Actor, *,
                 reason: str, now: datetime | None = None) -> Appraisal:
    """Add a joiner to a running run: a new appraisal in the cycle's initial state. Commits.

    An employee whose appraisal in this run was closed (they left and came back) gets that appraisal opened
    again instead, as it was, with a ``reopen`` event.

    Refused for HR of another unit, an inactive employee, an employee outside the run's unit, or one who
    already has an open appraisal of the cycle and period.
    """
    now = now or utcnow()
    added: list[Appraisal] = []

    def work() -> None:
        run = get_run(session, run_id)
        person = employee if isinstance(employee, Employee) else find_employee(session, employee)
        added.append(_start_in_run(session, Policy(session, actor), run, person, actor, _reason(reason), "joined", now))

    _commit(session, work)
    return added[0]


def close_appraisal(session: Session, appraisal_id: int, actor: Actor, *, kind: str = "left", reason: str,
                    now: datetime | None = None) -> Appraisal:
    """Close the appraisal of an employee who left (``left``) or moved (``transferred``). Commits.

    The appraisal keeps its state and data; it takes no more actions and leaves queues, deadlines,
    reports and exports. Refused for HR of another unit and for an appraisal already closed.
    """
    if kind not in CLOSE_KINDS:
        raise InvalidInput(f"unknown way to close '{kind}'; use {' or '.join(CLOSE_KINDS)}",
                           msg=Message("run.close_kind", kind=kind[:40],
                                       kinds=[Message(f"closed.{k}") for k in CLOSE_KINDS]))
    now = now or utcnow()

    def work() -> None:
        appraisal = load_appraisal(session, appraisal_id, for_update=True)
        _close(session, Policy(session, actor), appraisal, actor, kind, _reason(reason), now)

    _commit(session, work)
    return load_appraisal(session, appraisal_id)


def transfer_employee(session: Session, appraisal_id: int, to_run_id: int, actor: Actor, *, reason: str,
                      now: datetime | None = None) -> tuple[Appraisal, Appraisal]:
    """Mutasi: close the appraisal as ``transferred`` and start one in the new unit's run, together. Commits.

    Moving back to a run the employee was moved out of opens their appraisal there again (``reopen``).

    The new run must be of the same cycle and period, and the employee must already work in its unit
    (the move is recorded in the organisation data first). Needs HR rights over both runs' units.
    """
    now = now or utcnow()
    moved: list[int] = []

    def work() -> None:
        text = _reason(reason)
        old = load_appraisal(session, appraisal_id, for_update=True)
        run = get_run(session, to_run_id)
        if (run.cycle_id, run.period) != (old.cycle_id, old.period):
            raise InvalidInput(
                f"run #{run.id} is {run.cycle_id} {run.period}, not {old.cycle_id} {old.period} like appraisal "
                f"#{old.id}",
                msg=Message("run.other_cycle", run=str(run.id), cycle=run.cycle_id, period=run.period,
                            old_cycle=old.cycle_id, old_period=old.period, appraisal=str(old.id)))
        if run.id == old.run_id:
            raise InvalidInput(f"appraisal #{old.id} is already in run #{run.id}",
                               msg=Message("run.same_run", appraisal=str(old.id), run=str(run.id)))
        policy = Policy(session, actor)
        _close(session, policy, old, actor, "transferred", text, now)
        new = _start_in_run(session, policy, run, old.employee, actor, text, "transferred", now,
                            from_appraisal=old.id)
        moved.extend([old.id, new.id])

    _commit(session, work)
    return load_appraisal(session, moved[0]), load_appraisal(session, moved[1])


def _start_chains(session: Session, run: CycleRun, record: CycleDefinitionRecord, initial: str,
                  employees: tuple[int, int], actor: Actor, now: datetime) -> None:
    """Begin the audit chain of each appraisal just launched in ``run`` for the employees with
    ``low < id <= high`` (``employees``) with a ``create`` event (set-based)."""
    low, high = employees
    created = session.execute(
        select(Appraisal.id, Appraisal.employee_id, Employee.unit_id)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .where(Appraisal.run_id == run.id, Appraisal.employee_id > low, Appraisal.employee_id <= high,
               Appraisal.audit_seq == 0))
    record_creations(session, (Creation(aid, eid, uid) for aid, eid, uid in created), EventInfo(
        kind="create", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm", to_state=initial,
        payload={"via": "launch", "run_id": run.id, "cycle_id": record.cycle_id, "version": record.version,
                 "content_hash": record.content_hash, "period": run.period},
    ), now)
