"""The indexes national scale needs are there after the migrations, on both databases: the lookup of a
360 respondent's earlier answer, and the deadline sweep's index, which holds only the deadlines not yet
handled of open appraisals (so a tick does not walk every deadline ever handled)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.dialects import sqlite

from engine.models import Appraisal


def _indexes(engine, table: str) -> dict[str, dict]:
    return {ix["name"]: ix for ix in inspect(engine).get_indexes(table)}


def test_a_respondents_earlier_answer_is_found_through_an_index(db_engine):
    index = _indexes(db_engine, "feedback_response")["ix_feedback_response_respondent_key"]
    assert index["column_names"] == ["respondent_key"]


def test_the_deadline_index_holds_only_unhandled_deadlines_of_open_appraisals(db_engine):
    indexes = _indexes(db_engine, "appraisal")
    assert "ix_appraisal_due" not in indexes
    assert indexes["ix_appraisal_due_unhandled"]["column_names"] == ["due_at", "id"]
    query = ("SELECT indexdef FROM pg_indexes WHERE indexname = :name" if db_engine.dialect.name == "postgresql"
             else "SELECT sql FROM sqlite_master WHERE name = :name")
    with db_engine.connect() as conn:
        definition = conn.scalar(text(query), {"name": "ix_appraisal_due_unhandled"})
    assert "overdue_handled_at IS NULL" in definition and "closed_at IS NULL" in definition


def test_the_sweep_reads_along_the_unhandled_deadline_index(db_engine):
    if db_engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner rightly scans an empty table; the index's shape is checked above")
    now = datetime(2026, 6, 1)
    stmt = (select(Appraisal.id).where(Appraisal.due_at <= now, Appraisal.overdue_handled_at.is_(None),
                                       Appraisal.closed_at.is_(None))
            .order_by(Appraisal.due_at, Appraisal.id).limit(200))
    sql = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with db_engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "ix_appraisal_due_unhandled" in plan


def test_a_reports_passed_deadline_hours_are_read_from_a_covering_index_on_postgresql(db_engine):
    """A national report sums hundreds of thousands of overdue-tally hour rows: on PostgreSQL an index on (unit,
    hour) carrying every column the sum reads lets it stop at the current hour without touching the table."""
    indexes = _indexes(db_engine, "overdue_tally")
    if db_engine.dialect.name != "postgresql":
        assert "ix_overdue_tally_unit_hour" not in indexes  # SQLite serves one agency and pays no extra index
        return
    assert indexes["ix_overdue_tally_unit_hour"]["column_names"][:2] == ["unit_id", "due_hour"]
    with db_engine.connect() as conn:
        definition = conn.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_overdue_tally_unit_hour'"))
    assert "INCLUDE (own, run_id, definition_id, state, appraisals)" in definition
