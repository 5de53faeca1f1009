"""Public complaints at the storage level: opening a case from a survey answer, and the counts an
indicator reads (``complaints.verified``) and the public unit page shows. HR's handling of the cases
is :mod:`engine.complaints`; this module sits below the audit writer and the facts, which use it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.citizen_models import NEW, VERIFIED, Complaint
from engine.models import FeedbackResponse


def open_complaint(session: Session, response: FeedbackResponse, now: datetime) -> Complaint:
    """Make the complaint of a public survey answer a new case of its unit (the caller commits).

    The case's arrival is the survey answer itself (like every public answer, not in the audit chain:
    nobody acted on it yet); each step HR takes on it is (:mod:`engine.complaints`).
    """
    assert response.unit_id is not None
    complaint = Complaint(unit_id=response.unit_id, response=response, received_at=now, status=NEW)
    session.add(complaint)
    return complaint


def verified_complaints(session: Session, employee_id: int, start: datetime, end: datetime) -> int:
    """How many verified complaints against the employee were received from ``start`` to ``end`` (both included)."""
    return int(session.scalar(select(func.count(Complaint.id)).where(
        Complaint.employee_id == employee_id, Complaint.status == VERIFIED,
        Complaint.received_at >= start, Complaint.received_at <= end)) or 0)


@dataclass(frozen=True)
class ComplaintCounts:
    """A unit's complaints over a period, as numbers only."""

    received: int
    resolved: int
    verified: int


def unit_complaint_counts(session: Session, unit_id: int, start: datetime, end: datetime) -> ComplaintCounts:
    """How many complaints the unit received from ``start`` to ``end``, how many are resolved (answered)
    and how many were verified (one query)."""
    row = session.execute(select(
        func.count(Complaint.id), func.count(Complaint.replied_at), func.count(case((Complaint.status == VERIFIED, 1))),
    ).where(Complaint.unit_id == unit_id, Complaint.received_at >= start, Complaint.received_at <= end)).one()
    return ComplaintCounts(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))
