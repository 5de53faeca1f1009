"""The appraisal tally read, checked and rebuilt: what reports, run progress and calibration count from.

``appraisal_tally`` holds the open appraisals per unit, run, definition, state, predicate and rating, each
counted at its employee's unit (``own``) and at every unit above it (:class:`engine.tally_models.AppraisalTally`),
kept in step by triggers (:mod:`engine.tally_sql`). What a unit holds with everything below it is then the sum
of that unit's own rows, one indexed read whatever the number of appraisals or units below. :func:`check`
recounts the tally from the appraisals and their results (and the unit closure from the tree) and names every
key where they differ; :func:`rebuild` replaces both with the recount (``siklus reports check [--rebuild]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, literal, select, text, union_all
from sqlalchemy.orm import Session

from engine.models import Appraisal, CycleRun
from engine.overdue_sql import OVERDUE, OVERDUE_KEY, overdue_in, overdue_recount
from engine.tally_models import AppraisalTally, IndicatorTally, OrgUnitAncestor, OverdueTally
from engine.tally_sql import (
    ANCESTORS,
    INDICATOR_KEY,
    INDICATORS,
    KEY,
    TABLE,
    ancestors_in,
    ancestors_recount,
    count_in,
    indicators_in,
    indicators_recount,
    recount,
)

Key = tuple[Any, ...]  # unit, own, run, definition, state, predicate, rating (as KEY); or unit, ancestor


def predicate_text(stored: str) -> str | None:
    """The JSON text a tally row holds for a predicate or rating, None for none (stored as '')."""
    return stored or None


@dataclass(frozen=True)
class Difference:
    """A key where a tally (or the unit closure, ``table``) and a recount from the rows disagree."""

    key: Key
    tallied: Any  # appraisals; a depth for the closure; (assessed, missed) for the indicators
    counted: Any
    table: str = TABLE

    def as_dict(self) -> dict[str, Any]:
        keys = {TABLE: KEY, INDICATORS: INDICATOR_KEY, OVERDUE: OVERDUE_KEY}
        names = keys.get(self.table, ("unit_id", "ancestor_id"))
        return {**dict(zip(names, self.key, strict=True)), "tallied": self.tallied, "counted": self.counted}


def _compare(table: str, tallied: dict[Key, int], counted: dict[Key, int]) -> list[Difference]:
    return [Difference(key, tallied.get(key, 0), counted.get(key, 0), table)
            for key in sorted(tallied.keys() | counted.keys(), key=lambda k: tuple(str(v) for v in k))
            if tallied.get(key, 0) != counted.get(key, 0)]


def check(session: Session) -> list[Difference]:
    """Every pair where the unit closure differs from a walk up the tree (``tallied``/``counted``: its depth,
    -1 when missing), every key where the appraisal tally differs from a recount of the open appraisals, and
    every key where the indicator tally does ((assessed, missed) each), and every key where the overdue tally
    differs from a recount of the open appraisals with a deadline."""
    kept = {(u, a): d for u, a, d in session.execute(select(OrgUnitAncestor.unit_id, OrgUnitAncestor.ancestor_id,
                                                            OrgUnitAncestor.depth))}
    walked = {(u, a): d for u, a, d in session.execute(text(ancestors_recount()))}
    closure = [Difference(key, kept.get(key, -1), walked.get(key, -1), ANCESTORS)
               for key in sorted(kept.keys() | walked.keys()) if kept.get(key, -1) != walked.get(key, -1)]
    columns = [getattr(AppraisalTally, name) for name in KEY]
    tallied = {tuple(row[:-1]): int(row[-1]) for row in session.execute(
        select(*columns, AppraisalTally.appraisals).where(AppraisalTally.appraisals != 0))}
    counted = {tuple(row[:-1]): int(row[-1]) for row in session.execute(text(recount()))}
    dialect = session.get_bind().dialect.name
    indicator_columns = [getattr(IndicatorTally, name) for name in INDICATOR_KEY]
    kept_achieved = {tuple(row[:-2]): (int(row[-2]), int(row[-1])) for row in session.execute(
        select(*indicator_columns, IndicatorTally.assessed, IndicatorTally.missed)
        .where((IndicatorTally.assessed != 0) | (IndicatorTally.missed != 0)))}
    achieved = {tuple(row[:-2]): (int(row[-2]), int(row[-1]))
                for row in session.execute(text(indicators_recount(dialect)))}
    indicators = [Difference(key, kept_achieved.get(key, (0, 0)), achieved.get(key, (0, 0)), INDICATORS)
                  for key in sorted(kept_achieved.keys() | achieved.keys(), key=lambda k: tuple(str(v) for v in k))
                  if kept_achieved.get(key, (0, 0)) != achieved.get(key, (0, 0))]
    overdue_columns = [getattr(OverdueTally, name) for name in OVERDUE_KEY]
    kept_due = {tuple(row[:-1]): int(row[-1]) for row in session.execute(
        select(*overdue_columns, OverdueTally.appraisals).where(OverdueTally.appraisals != 0))}
    due = {tuple(row[:-1]): int(row[-1]) for row in session.execute(text(overdue_recount(dialect)))}
    return closure + _compare(TABLE, tallied, counted) + indicators + _compare(OVERDUE, kept_due, due)


def rebuild(session: Session) -> int:
    """Replace the unit closure and the tallies with their recounts (a DELETE and an INSERT ... SELECT each); the
    tally rows written. The caller commits."""
    session.execute(text(f"DELETE FROM {ANCESTORS}"))  # noqa: S608 (constant table names)
    session.execute(text(ancestors_in("TRUE")))
    session.execute(text(f"DELETE FROM {TABLE}"))  # noqa: S608
    session.execute(text(count_in("TRUE")))
    session.execute(text(f"DELETE FROM {INDICATORS}"))  # noqa: S608
    session.execute(text(indicators_in(session.get_bind().dialect.name, "TRUE")))
    session.execute(text(f"DELETE FROM {OVERDUE}"))  # noqa: S608
    session.execute(text(overdue_in(session.get_bind().dialect.name, "TRUE")))
    return int(session.scalar(select(func.count()).select_from(AppraisalTally)) or 0)


def add_counted(session: Session, units: str | None, appraisals: str | None) -> None:
    """Count in the units ``o`` matching ``units`` and the open appraisals ``a`` matching ``appraisals`` (SQL
    conditions), written while the triggers were switched off (a bulk load on PostgreSQL with
    ``session_replication_role = replica``)."""
    if units:
        session.execute(text(ancestors_in(units)))
    if appraisals:
        session.execute(text(count_in(appraisals)))
        session.execute(text(indicators_in(session.get_bind().dialect.name, appraisals)))
        session.execute(text(overdue_in(session.get_bind().dialect.name, appraisals)))


def hour_of(now: datetime) -> tuple[str, datetime]:
    """The overdue tally's key of the UTC hour ``now`` falls in, and that hour's start: the tally answers for the
    deadlines before it, the rows for those from it up to ``now``."""
    moment = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
    start = moment.replace(minute=0, second=0, microsecond=0)
    return start.strftime("%Y-%m-%d %H"), start


def hour_start(key: str) -> datetime:
    """The moment an overdue tally's hour (``YYYY-MM-DD HH``, UTC) starts."""
    return datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC)


def run_overdue(session: Session, run_id: int, now: datetime) -> dict[str, int]:
    """Open appraisals of a run past their deadline at ``now``, per state: the run's rows of the overdue tally for
    the hours before the current one (one indexed read), plus the current hour's deadlines before ``now`` from
    the appraisals (an index range)."""
    hour, start = hour_of(now)
    past = (select(OverdueTally.state.label("state"), OverdueTally.appraisals.label("n"))
            .where(OverdueTally.run_id == run_id, OverdueTally.own == 1, OverdueTally.due_hour < hour))
    recent = select(Appraisal.state.label("state"), literal(1).label("n")).where(
        Appraisal.run_id == run_id, Appraisal.closed_at.is_(None), Appraisal.due_at >= start, Appraisal.due_at < now)
    both = union_all(past, recent).subquery("late")
    stmt = select(both.c.state, func.sum(both.c.n)).group_by(both.c.state)
    return {state: int(n) for state, n in session.execute(stmt) if n}


def run_states(session: Session, run_id: int) -> dict[str, int]:
    """Open appraisals of a run per state (one indexed read of the run's rows, each appraisal at its own unit)."""
    stmt = (select(AppraisalTally.state, func.sum(AppraisalTally.appraisals))
            .where(AppraisalTally.run_id == run_id, AppraisalTally.own == 1).group_by(AppraisalTally.state))
    return {state: int(n) for state, n in session.execute(stmt) if n}


def ratings(session: Session, cycle_id: str, period: str, unit_id: int, *,
            below: bool = True) -> list[tuple[str | None, int]]:
    """Open appraisals of ``cycle_id`` and ``period`` in a unit (with every unit below it, ``below``) per rating
    (its JSON text, None for not rated yet): one indexed read of the unit's rows."""
    runs = select(CycleRun.id).where(CycleRun.cycle_id == cycle_id, CycleRun.period == period)
    stmt = (select(AppraisalTally.rating, func.sum(AppraisalTally.appraisals))
            .where(AppraisalTally.unit_id == unit_id, AppraisalTally.run_id.in_(runs))
            .group_by(AppraisalTally.rating))
    if not below:
        stmt = stmt.where(AppraisalTally.own == 1)
    return [(predicate_text(r), int(n)) for r, n in session.execute(stmt) if n]


__all__ = ["Difference", "add_counted", "check", "predicate_text", "ratings", "rebuild", "hour_of", "hour_start",
           "run_overdue", "run_states"]
