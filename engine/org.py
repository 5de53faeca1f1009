"""The organisation: units, employees and their supervisors."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.models import Employee, OrgUnit


def count_employees(session: Session, unit_ids: Iterable[int]) -> int:
    """Active employees in the given units."""
    return int(session.scalar(
        select(func.count()).select_from(Employee).where(Employee.unit_id.in_(list(unit_ids)),
                                                         Employee.active.is_(True))
    ) or 0)


def units_by_name(session: Session) -> list[OrgUnit]:
    """Every unit of the organisation, by name."""
    return list(session.scalars(select(OrgUnit).order_by(OrgUnit.name)))


def unit_by_id(session: Session, unit_id: int) -> OrgUnit | None:
    """The unit with this id, or None."""
    return session.get(OrgUnit, unit_id)


def employee_total(session: Session) -> int:
    """Employees on record, active or not (whether the organisation has been loaded at all)."""
    return int(session.scalar(select(func.count()).select_from(Employee)) or 0)
