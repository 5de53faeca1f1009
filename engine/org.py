"""The organisation: units, employees and their supervisors."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.models import Employee


def count_employees(session: Session, unit_ids: Iterable[int]) -> int:
    """Active employees in the given units."""
    return int(session.scalar(
        select(func.count()).select_from(Employee).where(Employee.unit_id.in_(list(unit_ids)),
                                                         Employee.active.is_(True))
    ) or 0)
