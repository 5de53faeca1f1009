"""Who may import the organisation, and the part of it their file may touch.

The system and HR or admin of every unit import anything. HR or admin whose grant is on a top unit (an agency's
root: BKPSDM on the pemda) import that agency: the units under their grants and the people in them, and nothing
beside it. A file of theirs that names another agency's unit or employee, places a new unit outside (or at the
top, which would start another agency) or moves a unit or an employee out is refused row by row, with nothing
written. HR of a part of an agency (a grant on a unit that has a parent) does not import at all: their changes go
to the agency's HR, who see the whole of it. :mod:`engine.orgimport` asks here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.access import hr_scope
from engine.messages import Message
from engine.models import OrgUnit
from engine.permissions import Actor
from engine.policy import HrScope
from engine.resolvers import HR_GRANTS

if TYPE_CHECKING:
    from engine.orgimport import _Db, _Parsed, _Person

WHOLE = HrScope(True, ())


class Outside(NamedTuple):
    """A row that reaches outside the importer's units: the field (``unit``, ``parent``, ``nip``) and why."""

    row: int
    field: str
    message: str
    msg: Message


def import_scope(session: Session, actor: Actor) -> HrScope | None:
    """The units an import by ``actor`` may touch (every unit, or the ids under their HR grants), or None for
    someone who may not import: no HR or admin grant on every unit or on a top unit."""
    if actor.is_system:
        return WHOLE
    scope = hr_scope(session, actor)
    if scope.every_unit:
        return scope
    granted = [unit for role, unit in actor.grants if role in HR_GRANTS and unit is not None]
    top = granted and session.scalar(select(OrgUnit.id).where(OrgUnit.id.in_(granted), OrgUnit.parent_id.is_(None))
                                     .limit(1))
    return scope if top else None


def outside(scope: HrScope, parsed: _Parsed, db: _Db) -> Iterator[Outside]:
    """Each row of a read file that touches a unit or a person outside ``scope``. A unit whose place cannot be
    told (unknown, or under a loop of new units) is not judged here: the check of references names it."""
    if scope.every_unit:
        return
    covered = frozenset(scope.unit_ids)
    known: dict[str, bool] = {code: uid in covered for code, (uid, _name, _parent) in db.units.items()}

    def inside(code: str | None) -> bool | None:
        """Whether the unit ``code`` (known, or new in the file under a chain of new units) is within scope; None
        when that cannot be told: a code neither known nor in the file, or a chain of new units that loops."""
        chain: list[str] = []
        while code is not None and code not in known:
            if code not in parsed.units or code in chain:
                return None
            chain.append(code)
            code = parsed.units[code].parent
        answer = code is not None and known[code]
        known.update(dict.fromkeys(chain, answer))
        return answer

    for code, unit in parsed.units.items():
        if code in db.units:
            _uid, _name, parent_id = db.units[code]
            if not known[code]:
                yield Outside(unit.row, "unit", f"unit '{code}' is outside the units you oversee as HR",
                              Message("org.row.unit_outside", unit=code))
            elif (db.unit_codes.get(parent_id) if parent_id is not None else None) == unit.parent:
                continue  # where it is: the top unit of someone's grant keeps its parent outside
            elif unit.parent is None:
                yield Outside(unit.row, "parent", f"unit '{code}' cannot become a top unit: that is outside the units "
                              "you oversee as HR", Message("org.row.parent_outside_top", unit=code))
            elif inside(unit.parent) is False:
                yield Outside(unit.row, "parent", f"unit '{code}' cannot be moved under '{unit.parent}', outside the "
                              "units you oversee as HR", Message("org.row.parent_outside", unit=code,
                                                                 parent=unit.parent))
        elif inside(code) is False:
            yield Outside(unit.row, "parent", f"the new unit '{code}' is not under a unit you oversee as HR",
                          Message("org.row.unit_outside_new", unit=code))
    for person in parsed.people:
        current = db.people.get(person.nip)
        if current is not None and current[4] not in covered:
            where = db.unit_codes.get(current[4], "")
            yield Outside(person.row, "nip", f"NIP {person.nip} belongs to unit '{where}', outside the units you "
                          "oversee as HR", Message("org.row.employee_outside", nip=person.nip, unit=where))
        elif inside(person.values["unit"]) is False:
            yield Outside(person.row, "unit", f"unit '{person.values['unit']}' is outside the units you oversee as "
                          "HR", Message("org.row.unit_outside", unit=person.values["unit"]))
        elif (boss := _supervisor_outside(covered, person, current, db)) is not None:
            where = db.unit_codes.get(boss, "")
            yield Outside(person.row, "supervisor", f"supervisor NIP {person.values['supervisor']} belongs to unit "
                          f"'{where}', outside the units you oversee as HR",
                          Message("org.row.supervisor_outside", nip=person.values["supervisor"], unit=where))


def _supervisor_outside(covered: frozenset[int], person: _Person, current: tuple[object, ...] | None,
                        db: _Db) -> int | None:
    """The unit of the supervisor a row names when it lies outside ``covered`` and the row changes the employee's
    supervisor to them (a supervisor rates: someone of another agency is named only by an import over every unit;
    a link made that way is kept by the agency's own file); None otherwise. A supervisor new in the file is in it,
    and its own row is checked."""
    boss = person.values.get("supervisor")
    known = db.people.get(boss) if boss else None
    if known is None or known[4] in covered or (current is not None and current[5] == known[0]):
        return None
    return int(known[4])
