"""The appraisal tally and the unit closure it is summed through.

Kept apart from :mod:`engine.models` (which lists them with every model) on the shared ``Base``. The rows
are written by the database itself, by triggers on ``org_unit``, ``appraisal``, ``result``, ``indicator`` and
``employee``
in the transaction that changes what they summarise (:mod:`engine.tally_sql`); nothing in Python writes them
but the recount that repairs them (``siklus reports check --rebuild``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from engine.model_base import Base
from engine.overdue_sql import ALL_TRIGGERS
from engine.tally_sql import create_triggers


class OrgUnitAncestor(Base):
    """A unit and one unit above it, or itself (``depth`` 0): every pair of the tree, so the units above a unit
    (or below it) are one indexed read."""

    __tablename__ = "org_unit_ancestor"
    __table_args__ = (Index("ix_org_unit_ancestor_ancestor", "ancestor_id", "depth"),)

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ancestor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    depth: Mapped[int] = mapped_column(Integer)


class AppraisalTally(Base):
    """Open appraisals (``closed_at`` empty) of one run, in one state of one definition, with one predicate,
    counted at a unit: ``own`` 1 those whose employee is in the unit itself, 0 those in the units below it, so a
    unit with everything below it is the sum of its rows. ``predicate`` is the JSON text of the first non-empty
    text among the final predicate and the predicate (what reports count), ``rating`` the first value held at
    all (what calibration counts), each ``''`` when there is none. A row whose ``appraisals`` fell to 0 stays
    until a rebuild."""

    __tablename__ = "appraisal_tally"
    __table_args__ = (Index("ix_appraisal_tally_run_state", "run_id", "state"),)

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    own: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    predicate: Mapped[str] = mapped_column(Text, primary_key=True)
    rating: Mapped[str] = mapped_column(Text, primary_key=True)
    appraisals: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorTally(Base):
    """IKI achievements (results ``iki.<indicator id>`` holding a number) of open appraisals of one run and
    definition, per indicator id and the label the appraisal's own indicator gives it (``''``: none), counted at
    a unit as :class:`AppraisalTally` is: ``assessed`` how many, ``missed`` how many below 100%."""

    __tablename__ = "indicator_tally"

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    own: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(Text, primary_key=True)
    label: Mapped[str] = mapped_column(Text, primary_key=True)
    assessed: Mapped[int] = mapped_column(Integer, default=0)
    missed: Mapped[int] = mapped_column(Integer, default=0)


class OverdueTally(Base):
    """Open appraisals with a deadline (``due_at``) of one run, in one state of one definition, whose deadline
    falls in one UTC hour (``due_hour``, ``YYYY-MM-DD HH``), counted at a unit as :class:`AppraisalTally` is. What
    is overdue at a moment is every hour before that moment's hour summed, plus that hour's appraisals due before
    it counted from their rows (:func:`engine.tallies.run_overdue`, :func:`engine.reports.overdue_work`): the
    moment moves with the clock, an hour that has passed does not. Hours, not days, so that the oldest deadline's
    local date is exact in any zone a whole number of hours from UTC (every Indonesian one)."""

    __tablename__ = "overdue_tally"
    __table_args__ = (
        Index("ix_overdue_tally_run", "run_id", "own", "due_hour"),
        # A level's passed hours read from the index alone (a report's overdue work); PostgreSQL only.
        Index("ix_overdue_tally_unit_hour", "unit_id", "due_hour",
              postgresql_include=["own", "run_id", "definition_id", "state", "appraisals"],
              ).ddl_if(dialect="postgresql"),
    )

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    own: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    due_hour: Mapped[str] = mapped_column(String(13), primary_key=True)
    appraisals: Mapped[int] = mapped_column(Integer, default=0)


@event.listens_for(Base.metadata, "after_create")
def _create_triggers(_metadata: Any, connection: Any, **_kw: Any) -> None:
    """A schema made from the models (not the migrations) keeps the tally in step too; after every table,
    since the triggers sit on ``org_unit``, ``appraisal``, ``result`` and ``employee``."""
    for statement in create_triggers(connection.dialect.name, ALL_TRIGGERS):
        connection.exec_driver_sql(statement)


__all__ = ["AppraisalTally", "IndicatorTally", "OrgUnitAncestor", "OverdueTally"]
