"""The training catalogue HR keeps (katalog pelatihan): courses with their lesson hours (JP), their kind
and whether a certificate proves one done. A development activity names its course by ``code``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models import Base, utcnow

#: The kinds of training PP 11/2017 and the agencies name (managerial, leadership, technical, e-learning).
COURSE_KINDS = ("manajerial", "kepemimpinan", "teknis", "e_learning")


class TrainingCourse(Base):
    """A course of the catalogue; retired courses stay (activities name them) but take no new enrolment."""

    __tablename__ = "training_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    jp: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(24))
    certificate_required: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
