"""Storage of the raters HR names outside the org chart (see :mod:`engine.raters`).

Kept apart from :mod:`engine.models` (which lists it) so that the resolvers read it without the whole list.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.model_base import Base, utcnow


class RaterDesignation(Base):
    """Who rates (pejabat penilai kinerja) and, optionally, who reviews (atasan pejabat penilai) an employee
    with no superior in the system, e.g. a Sekretaris Daerah rated by the regional head.

    A designation counts only while the employee has no supervisor: the org chart stays the normal path,
    and a supervisor recorded later takes over without anyone clearing it. One row per employee; HR of the
    employee's unit sets and clears it, each an event in the system audit chain.
    """

    __tablename__ = "rater_designation"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), unique=True)
    rater_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The decree or letter HR acted on (e.g. an SK number), as HR typed it.
    basis: Mapped[str] = mapped_column(String(255), default="")
    designated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    designated_at: Mapped[datetime] = mapped_column(default=utcnow)
