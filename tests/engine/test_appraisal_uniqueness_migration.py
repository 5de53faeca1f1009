"""The migration that brings in one open appraisal per employee, cycle and period keeps existing data
whole: it copies each appraisal's cycle and period from its run and, where a sub-unit was launched
after its parent, keeps one appraisal and closes the other as a duplicate naming the one that goes on."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import BACKENDS

MIGRATION = importlib.import_module("web.migrations.versions.5b7e2c41d9a3_one_open_appraisal_per_cycle_period")


def _upgrade(url: str, revision: str) -> None:
    import flask_migrate

    from web import MIGRATIONS, create_app
    from web.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision=revision)
        db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'before.db'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    if cluster is None:
        pytest.skip("PostgreSQL server binaries not found")
    admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS siklus_before_uniqueness"))
        conn.execute(text("CREATE DATABASE siklus_before_uniqueness"))
    yield cluster.url_for("siklus_before_uniqueness")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE siklus_before_uniqueness WITH (FORCE)"))
    admin.dispose()


def test_the_migration_copies_cycle_and_period_and_closes_a_second_launch(empty_url):
    _upgrade(empty_url, MIGRATION.down_revision)
    engine = create_engine(empty_url)
    at = datetime(2026, 2, 1, 8, 0)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO org_unit (id, code, name) VALUES "
                          "(1, 'DINAS', 'Dinas'), (2, 'BIDANG', 'Bidang')"))
        conn.execute(text("INSERT INTO employee (id, nip, name, position, unit_id, active) VALUES "
                          "(1, '198001012005011001', 'Ani', '', 2, true), "
                          "(2, '198001012005011002', 'Budi', '', 2, true)"))
        conn.execute(text("INSERT INTO cycle_definition (id, cycle_id, version, content_hash, source, title, status, "
                          "created_at) VALUES (1, 'nasional', 1, 'h', '', '', 'published', :at)"), {"at": at})
        conn.execute(text("INSERT INTO cycle_run (id, cycle_id, definition_id, unit_id, period, period_start, "
                          "period_end, launched_at) VALUES (1, 'nasional', 1, 1, '2026', :at, :at, :at), "
                          "(2, 'nasional', 1, 2, '2026', :at, :at, :at)"), {"at": at})
        # Ani: launched with DINAS (work recorded on it), then again with BIDANG. Budi: only with DINAS.
        for appraisal_id, run_id, employee_id, seq in ((1, 1, 1, 3), (2, 1, 2, 0), (3, 2, 1, 0)):
            conn.execute(text(
                "INSERT INTO appraisal (id, run_id, definition_id, employee_id, state, version, entered_at, "
                "state_entries, data, audit_seq, audit_head, created_at, updated_at, due_at) VALUES "
                "(:id, :run, 1, :emp, 'plan', 1, :at, '{}', '{}', :seq, '', :at, :at, :at)"),
                {"id": appraisal_id, "run": run_id, "emp": employee_id, "seq": seq, "at": at})
    _upgrade(empty_url, MIGRATION.revision)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id, cycle_id, period, closed_at IS NOT NULL, closed_kind, closed_reason, "
                                 "due_at FROM appraisal ORDER BY id")).all()
        assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
            (1, "nasional", "2026", False, None), (2, "nasional", "2026", False, None),
            (3, "nasional", "2026", True, "duplicate")]
        assert rows[2][5] == "second appraisal of nasional 2026; appraisal #1 continues" and rows[2][6] is None
        # From now on the database itself refuses a second open one.
        with pytest.raises(Exception, match="(?i)unique"), conn.begin_nested():
            conn.execute(text("UPDATE appraisal SET closed_at = NULL WHERE id = 3"))
    engine.dispose()
