"""Storage of what citizens and colleagues say about an employee: public complaints handled as cases,
and the 360 respondents an employee nominates.

A :class:`Complaint` is made from the complaint text of one public survey answer (``/layanan/<unit>``);
HR of the unit triages it (verified, unfounded, duplicate), assigns it to the employee concerned and
answers it (see :mod:`engine.complaints`). A :class:`FeedbackNomination` is one colleague an employee
proposes as a respondent of a feedback role, approved or declined by the rater (see
:mod:`engine.nominations`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.model_base import Base, utcnow

#: Complaint statuses: new until HR triages it.
NEW, VERIFIED, UNFOUNDED, DUPLICATE = "new", "verified", "unfounded", "duplicate"
COMPLAINT_STATUSES = (NEW, VERIFIED, UNFOUNDED, DUPLICATE)
#: Nomination statuses.
PROPOSED, APPROVED, DECLINED = "proposed", "approved", "declined"


class Complaint(Base):
    """Pengaduan masyarakat: the complaint text of one public survey answer, as a case for the unit's HR.

    The text stays on the survey answer (``response``); the case keeps its triage, the employee it is
    about (only once verified), and HR's reply. Each step is one event in the system audit chain.
    """

    __tablename__ = "complaint"
    __table_args__ = (
        Index("ix_complaint_unit_received", "unit_id", "received_at"),
        Index("ix_complaint_employee_status", "employee_id", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    response_id: Mapped[int] = mapped_column(ForeignKey("feedback_response.id", ondelete="CASCADE"), unique=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # new | verified | unfounded | duplicate
    status: Mapped[str] = mapped_column(String(16), default=NEW)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    triaged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    triaged_at: Mapped[datetime | None]
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    replied_at: Mapped[datetime | None]

    response = relationship("FeedbackResponse")
    employee = relationship("Employee")

    @property
    def resolved(self) -> bool:
        """A case is resolved once HR has answered it."""
        return self.replied_at is not None


class FeedbackNomination(Base):
    """One colleague an employee proposed as a respondent of a feedback role of their appraisal.

    The rater approves or declines it; only an approved nomination lets the nominee answer.
    """

    __tablename__ = "feedback_nomination"
    __table_args__ = (UniqueConstraint("appraisal_id", "role", "nominee_id", name="uq_feedback_nomination"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("appraisal.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(64))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    # proposed | approved | declined
    status: Mapped[str] = mapped_column(String(16), default=PROPOSED)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]

    nominee = relationship("Employee")
