"""The audit log as HR searches it: the events of the units an HR officer oversees, filtered by employee,
acting user, unit, time and kind, newest first a page at a time or oldest first for an export; the
check of every chain in their scope; and the appraisal whose document they check.

Events filed under no unit (publishing a definition) are for HR of every unit only. Each answer is one
joined query (pages are keyset-paginated on ``(occurred_at, id)``, the order of the index
``ix_audit_event_occurred_id``, so a page is an index walk that stops after one page; a unit's sub-units come
from the unit closure), and a page costs the same on a log of any length.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, true, tuple_
from sqlalchemy.orm import Session

from engine.audit import SYSTEM_STREAM, ChainReport, appraisal_stream, verify_chain
from engine.db import snapshot_session
from engine.definition import CycleDefinition
from engine.limits import ascii_digits, parse_id
from engine.loaded import definitions_by_id
from engine.models import Appraisal, AuditEvent, CycleDefinitionRecord, Employee, OrgUnit, User
from engine.org_levels import UnitRef, search_units
from engine.policy import HrScope
from engine.tally_models import OrgUnitAncestor

VERIFY_BATCH = 500  # appraisal streams per verification query when walking a unit HR's whole scope


@dataclass(frozen=True)
class EventQuery:
    """Which events to find: each field narrows the search, an empty one does not."""

    employee: str = ""  # a NIP (digits) or part of a name
    acting: str = ""  # part of the acting user's name or display name
    unit_id: int | None = None  # this unit and its sub-units
    since: datetime | None = None
    before: datetime | None = None
    kind: str = ""
    trigger: str = ""


@dataclass
class FoundEvent:
    """One event of a page with what the log shows beside it: the employee's NIP and name, the unit's code
    and name, the acting user's display name, and the definition the event's appraisal runs on (None for an
    event of no appraisal), which names its states, transitions and roles."""

    event: AuditEvent
    nip: str | None
    employee: str | None
    unit_code: str | None
    unit_name: str | None
    actor_display: str | None
    definition: CycleDefinition | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def readable(scope: HrScope) -> ColumnElement[bool]:
    """SQL over ``AuditEvent``: the events of the scope's units its overseer may read. An anonymous answer on
    the overseer's own appraisal is not among them: the appraisal's history keeps its time (and its order)
    from the appraised employee (:func:`engine.feedback.is_anonymous_answer`), and so does their HR grant."""
    covered = true() if scope.every_unit else AuditEvent.unit_id.in_(scope.unit_ids)
    if scope.own_employee_id is None:
        return covered
    return covered & or_(AuditEvent.employee_id.is_(None), AuditEvent.employee_id != scope.own_employee_id,
                         AuditEvent.kind != "feedback", AuditEvent.actor_user_id.is_not(None))


def _scoped_events(session: Session, scope: HrScope, query: EventQuery) -> Select[*tuple[Any, ...]]:
    """Events in scope matching the query, with employee, unit and acting user joined."""
    stmt = (
        select(AuditEvent, Employee.nip, Employee.name, OrgUnit.code, OrgUnit.name, User.display_name)
        .outerjoin(Employee, AuditEvent.employee_id == Employee.id)
        .outerjoin(OrgUnit, AuditEvent.unit_id == OrgUnit.id)
        .outerjoin(User, AuditEvent.actor_user_id == User.id)
        .where(readable(scope))
    )
    if query.unit_id is not None:
        # A grant covers sub-units, so every unit below a covered one is covered too (the unit closure's index).
        stmt = stmt.where(AuditEvent.unit_id.in_(
            select(OrgUnitAncestor.unit_id).where(OrgUnitAncestor.ancestor_id == query.unit_id)))
    if query.employee:
        text = query.employee
        stmt = stmt.where(Employee.nip == text if ascii_digits(text) else Employee.name.ilike(_like(text), escape="\\"))
    if query.acting:
        pattern = _like(query.acting)
        stmt = stmt.where(or_(AuditEvent.actor_name.ilike(pattern, escape="\\"),
                              User.display_name.ilike(pattern, escape="\\")))
    if query.since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= query.since)
    if query.before is not None:
        stmt = stmt.where(AuditEvent.occurred_at < query.before)
    if query.kind:
        stmt = stmt.where(AuditEvent.kind == query.kind)
    if query.trigger:
        stmt = stmt.where(AuditEvent.trigger == query.trigger)
    return stmt


def event_page(session: Session, scope: HrScope, query: EventQuery, *, after_event: int | None = None,
               size: int = 50) -> tuple[list[FoundEvent], bool]:
    """One page of matching events, newest first, continuing after event ``after_event`` of the previous
    page; and whether more follow.

    The definition of each event's appraisal comes with the page's one query (its record id and hash) and
    from the process's cache of parsed definitions, read from the database only the first time a version is
    seen."""
    stmt = (_scoped_events(session, scope, query)
            .add_columns(CycleDefinitionRecord.id, CycleDefinitionRecord.content_hash)
            .outerjoin(Appraisal, AuditEvent.appraisal_id == Appraisal.id)
            .outerjoin(CycleDefinitionRecord, Appraisal.definition_id == CycleDefinitionRecord.id))
    if after_event is not None:
        moment = session.scalar(select(AuditEvent.occurred_at).where(AuditEvent.id == after_event))
        if moment is not None:
            stmt = stmt.where(tuple_(AuditEvent.occurred_at, AuditEvent.id) < tuple_(moment, after_event))
    found = list(session.execute(stmt.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(size + 1)))
    definitions = definitions_by_id(session, {(row[6], row[7]) for row in found[:size] if row[6] is not None})
    page = [FoundEvent(event, nip, employee, unit_code, unit_name, actor_display,
                       definitions.get(record_id) if record_id is not None else None)
            for event, nip, employee, unit_code, unit_name, actor_display, record_id, _digest in found[:size]]
    return page, len(found) > size


EXPORT_BATCH = 1000  # events read from the database at a time by the export


def exported_events(session: Session, scope: HrScope, query: EventQuery) -> Iterator[FoundEvent]:
    """Every matching event, oldest first, read from the database a thousand at a time, each with the
    definition its appraisal runs on (as :func:`event_page` gives them): a definition is read once, with the
    first batch that holds one of its events, never per event."""
    stmt = (_scoped_events(session, scope, query)
            .add_columns(CycleDefinitionRecord.id, CycleDefinitionRecord.content_hash)
            .outerjoin(Appraisal, AuditEvent.appraisal_id == Appraisal.id)
            .outerjoin(CycleDefinitionRecord, Appraisal.definition_id == CycleDefinitionRecord.id)
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
            .execution_options(yield_per=EXPORT_BATCH))
    definitions: dict[int, CycleDefinition] = {}
    for batch in session.execute(stmt).partitions():
        unseen = {(row[6], row[7]) for row in batch if row[6] is not None and row[6] not in definitions}
        if unseen:
            definitions.update(definitions_by_id(session, unseen))
        for event, nip, employee, unit_code, unit_name, actor_display, record_id, _digest in batch:
            yield FoundEvent(event, nip, employee, unit_code, unit_name, actor_display,
                             definitions.get(record_id) if record_id is not None else None)


@dataclass(frozen=True)
class UnitChoice:
    """The unit the log is narrowed to, from what HR typed: the unit when one is meant (its id, or a code
    or name that only one unit in scope has), else the few units that match (at most
    :data:`engine.org_levels.PICK_LIMIT`, ``more`` when there are others)."""

    unit: UnitRef | None
    matches: tuple[UnitRef, ...] = ()
    more: bool = False


def choose_unit(session: Session, scope: HrScope, text: str) -> UnitChoice:
    """Which unit in scope ``text`` names: an id, an exact code, or a part of one name or code; a bounded
    search, never a list of every unit."""
    text = text.strip()
    named = parse_id(text)
    if named is not None:
        found = session.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.name).where(OrgUnit.id == named)).first()
        return UnitChoice(UnitRef(*found) if found is not None and scope.covers(named) else None)
    matches, more = search_units(session, scope, text)
    exact = [m for m in matches if m.code.lower() == text.lower()]
    if exact or (len(matches) == 1 and not more):
        return UnitChoice((exact or matches)[0])
    return UnitChoice(None, matches, more)


def _streams_in_scope(session: Session, scope: HrScope) -> Iterator[list[str]]:
    """The system stream, then the appraisal streams of employees in scope, in batches."""
    yield [SYSTEM_STREAM]
    last = 0
    while True:
        ids = list(session.scalars(
            select(Appraisal.id).join(Appraisal.employee)
            .where(Employee.unit_id.in_(scope.unit_ids), Appraisal.id > last)
            .order_by(Appraisal.id).limit(VERIFY_BATCH)))
        if not ids:
            return
        yield [appraisal_stream(i) for i in ids]
        last = ids[-1]


def verify_scope(session: Session, scope: HrScope) -> ChainReport:
    """Every chain the HR officer may see: the whole log for HR of every unit, else their units' streams. Read in one
    consistent state of the database (:func:`engine.db.snapshot_session`), so that what others write meanwhile (a
    public answer, a transition) is not taken for an edit."""
    with snapshot_session(session) as reader:
        return _verify_scope(reader, scope)


def _verify_scope(session: Session, scope: HrScope) -> ChainReport:
    if scope.every_unit:
        return verify_chain(session)
    events = streams = 0
    for batch in _streams_in_scope(session, scope):
        # The system chain comes first, with the public's answers about the officer's units.
        report = verify_chain(session, batch, units=scope.unit_ids if batch == [SYSTEM_STREAM] else None)
        events += report.events
        streams += report.streams
        if not report.ok:
            return ChainReport(events, streams, report.broken, report.problems, report.unlisted)
    return ChainReport(events, streams)


def appraisal_in_scope(session: Session, scope: HrScope, appraisal_id: int) -> Appraisal | None:
    """The appraisal when it is of an employee in the scope's units, else None (whether it exists stays unsaid)."""
    appraisal = session.get(Appraisal, appraisal_id)
    if appraisal is None or not (scope.every_unit or appraisal.employee.unit_id in scope.unit_ids):
        return None
    return appraisal


def events_in_order(session: Session, scope: HrScope, *, after_id: int | None = None, appraisal_id: int | None = None,
                    kind: str = "", trigger: str = "", actor_name: str = "", unit_id: int | None = None,
                    since: datetime | None = None, before: datetime | None = None,
                    limit: int = 100) -> tuple[list[AuditEvent], bool]:
    """Events in scope in the order they were written, after event ``after_id``, narrowed by each given
    value (the acting user's exact name; a unit with its sub-units); and whether more follow."""
    stmt = select(AuditEvent).where(readable(scope)).order_by(AuditEvent.id)
    if after_id is not None:
        stmt = stmt.where(AuditEvent.id > after_id)
    if appraisal_id is not None:
        stmt = stmt.where(AuditEvent.appraisal_id == appraisal_id)
    if kind:
        stmt = stmt.where(AuditEvent.kind == kind)
    if trigger:
        stmt = stmt.where(AuditEvent.trigger == trigger)
    if actor_name:
        stmt = stmt.where(AuditEvent.actor_name == actor_name)
    if unit_id is not None:
        stmt = stmt.where(AuditEvent.unit_id.in_(
            select(OrgUnitAncestor.unit_id).where(OrgUnitAncestor.ancestor_id == unit_id)))
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if before is not None:
        stmt = stmt.where(AuditEvent.occurred_at < before)
    rows = list(session.scalars(stmt.limit(limit + 1)))
    return rows[:limit], len(rows) > limit
