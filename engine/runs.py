"""Launching a cycle for a unit and a period: one appraisal per employee, written set-based.

A launch of 100,000 appraisals is a handful of ``INSERT ... SELECT`` statements in chunks (for
progress), not a Python loop over rows; the launch itself is one event in the system audit chain.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from typing import Callable

from sqlalchemy import Integer, func, insert, literal, select
from sqlalchemy.orm import Session

from engine.appraisals import due_at_for
from engine.audit import EventInfo, append_system_event
from engine.calendar import local_zone
from engine.errors import InvalidInput, NotFound
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Employee, OrgUnit, utcnow
from engine.permissions import Actor
from engine.registry import definition_of

_PERIODS = {
    "annual": (re.compile(r"^(\d{4})$"), "2026"),
    "semester": (re.compile(r"^(\d{4})-S([12])$"), "2026-S1"),
    "quarterly": (re.compile(r"^(\d{4})-Q([1-4])$"), "2026-Q3"),
    "monthly": (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "2026-07"),
}


def period_timezone() -> ZoneInfo:
    """Periods are calendar periods where the agency works: SIKLUS_TIMEZONE, by default WIB."""
    return local_zone()


def period_bounds(kind: str, period: str) -> tuple[datetime, datetime]:
    """First and last moment of a period string of the cycle's kind, in the agency's time zone."""
    pattern, example = _PERIODS[kind]
    m = pattern.match(period.strip())
    if not m:
        raise InvalidInput(f"period '{period}' does not fit this cycle's period kind ({kind}); write it like {example}")
    year = int(m.group(1))
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


def unit_and_descendants(session: Session, unit_id: int) -> list[int]:
    """The unit and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in session.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent, []).append(uid)
    out, todo = [], [unit_id]
    while todo:
        current = todo.pop()
        if current in out:
            continue
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def find_unit(session: Session, code_or_id: str | int) -> OrgUnit:
    unit = session.scalars(select(OrgUnit).where(OrgUnit.code == str(code_or_id))).first()
    if unit is None and str(code_or_id).isdigit():
        unit = session.get(OrgUnit, int(code_or_id))
    if unit is None:
        raise NotFound(f"no unit '{code_or_id}' (give its code, e.g. as shown by the organisation page)")
    return unit


def launch(session: Session, record: CycleDefinitionRecord, unit: OrgUnit, period: str, actor: Actor,
           *, include_subunits: bool = True, chunk: int = 5000,
           progress: Callable[[int], None] | None = None) -> CycleRun:
    """Start ``record`` for every active employee of ``unit`` (and its sub-units) in ``period``. Commits."""
    if record.status != "published":
        raise InvalidInput(f"{record.cycle_id} version {record.version} is {record.status}; only a published definition can be launched")
    defn = definition_of(record)
    start, end = period_bounds(defn.period, period)
    clash = session.scalars(select(CycleRun).where(
        CycleRun.cycle_id == record.cycle_id, CycleRun.unit_id == unit.id, CycleRun.period == period)).first()
    if clash is not None:
        raise InvalidInput(f"{record.cycle_id} was already launched for {unit.code} in {period} (run #{clash.id})")
    units = unit_and_descendants(session, unit.id) if include_subunits else [unit.id]
    now = utcnow()
    try:
        run = CycleRun(cycle_id=record.cycle_id, definition_id=record.id, unit_id=unit.id, period=period,
                       period_start=start, period_end=end, launched_at=now, launched_by_id=actor.user_id)
        session.add(run)
        session.flush()
        initial = defn.initial_state
        due = due_at_for(defn.states[initial], run, now)
        ids = list(session.scalars(
            select(Employee.id).where(Employee.unit_id.in_(units), Employee.active.is_(True)).order_by(Employee.id)))
        entries = {initial: now.isoformat()}
        cols = ["run_id", "definition_id", "employee_id", "state", "version", "entered_at", "state_entries",
                "due_at", "data", "audit_seq", "audit_head", "created_at", "updated_at"]
        table = Appraisal.__table__
        for offset in range(0, len(ids), chunk):
            block = ids[offset:offset + chunk]
            select_rows = select(
                literal(run.id, Integer), literal(record.id, Integer), Employee.id, literal(initial),
                literal(1, Integer), literal(now, table.c.entered_at.type), literal(entries, table.c.state_entries.type),
                literal(due, table.c.due_at.type), literal({}, table.c.data.type), literal(0, Integer), literal(""),
                literal(now, table.c.created_at.type), literal(now, table.c.updated_at.type),
            ).where(Employee.id.in_(block))
            session.execute(insert(Appraisal).from_select(cols, select_rows))
            if progress:
                progress(len(block))
        count = session.scalar(select(func.count()).select_from(Appraisal).where(Appraisal.run_id == run.id))
        append_system_event(session, EventInfo(
            kind="launch", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm", unit_id=unit.id,
            payload={"run_id": run.id, "cycle_id": record.cycle_id, "version": record.version,
                     "content_hash": record.content_hash, "unit": unit.code, "period": period,
                     "appraisals": count, "include_subunits": include_subunits},
        ), occurred_at=now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return run
