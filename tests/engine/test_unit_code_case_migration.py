"""A unit code is one code whatever its case, in the database too: the migration that adds the unique index on
lower(code) refuses, naming the units, a database that already holds two codes differing only in case, and once it
has run the database refuses a second one written around the import (a script, the SQL console)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from engine.models import Base
from tests.conftest import BACKENDS

MIGRATION = importlib.import_module("web.migrations.versions.c6e1a9d4f2b7_unit_code_case")
INDEX = "uq_org_unit_code_lower"


def _definition(conn, name: str = INDEX) -> str | None:  # type: ignore[no-untyped-def]
    """The index's SQL as the database keeps it (SQLAlchemy does not reflect SQLite's indexes on expressions)."""
    query = ("SELECT indexdef FROM pg_indexes WHERE indexname = :name" if conn.dialect.name == "postgresql"
             else "SELECT sql FROM sqlite_master WHERE name = :name")
    found = conn.scalar(text(query), {"name": name})
    return None if found is None else found.replace("(code)::text", "code")  # PostgreSQL: lower((code)::text)


def _upgrade(url: str, revision: str, *, down: bool = False) -> None:
    from web import MIGRATIONS, create_app
    from web.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        try:
            (flask_migrate.downgrade if down else flask_migrate.upgrade)(directory=MIGRATIONS, revision=revision)
        finally:
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
        conn.execute(text("DROP DATABASE IF EXISTS siklus_before_code_case"))
        conn.execute(text("CREATE DATABASE siklus_before_code_case"))
    yield cluster.url_for("siklus_before_code_case")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE siklus_before_code_case WITH (FORCE)"))
    admin.dispose()


def test_the_migration_refuses_codes_differing_only_in_case_naming_them_then_runs_once_they_are_told_apart(
        empty_url, monkeypatch):
    _upgrade(empty_url, MIGRATION.down_revision)
    engine = create_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO org_unit (id, code, name) VALUES (1, 'PEMDA', 'Pemerintah Daerah'), "
                          "(2, 'KEU', 'Keuangan'), (3, 'keu', 'Keuangan (salah ketik)'), (4, 'Dinas', 'Dinas')"))
    said: list[str] = []
    monkeypatch.setattr(flask_migrate.log, "error", said.append)  # what `siklus db upgrade` prints
    with pytest.raises(SystemExit):
        _upgrade(empty_url, MIGRATION.revision)
    said = said[0]
    assert "'KEU' (unit #2, Keuangan)" in said and "'keu' (unit #3, Keuangan (salah ketik))" in said
    assert "Dinas" not in said and "siklus db upgrade" in said and "nothing was changed" in said
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == MIGRATION.down_revision
    with engine.begin() as conn:
        conn.execute(text("UPDATE org_unit SET code = 'KEU-LAMA' WHERE id = 3"))
    _upgrade(empty_url, MIGRATION.revision)
    with engine.begin() as conn:
        assert "lower(code)" in _definition(conn).lower()
        with pytest.raises(IntegrityError), conn.begin_nested():
            conn.execute(text("INSERT INTO org_unit (id, code, name) VALUES (5, 'dinas', 'Dinas lagi')"))
        conn.execute(text("INSERT INTO org_unit (id, code, name) VALUES (6, 'DINAS-2', 'Dinas Dua')"))
    _upgrade(empty_url, MIGRATION.down_revision, down=True)  # and back
    with engine.connect() as conn:
        assert _definition(conn) is None
    engine.dispose()


def test_the_migrated_schema_and_the_models_hold_the_same_index(db_engine, memory_session):
    declared = {ix.name: ix for ix in Base.metadata.tables["org_unit"].indexes}
    assert declared[INDEX].unique
    with db_engine.connect() as conn:
        made = _definition(conn).lower()
    assert made.startswith("create unique index") and "lower(code)" in made
    # The tables tests build from the models (no migrations) refuse it too.
    memory_session.execute(text("INSERT INTO org_unit (code, name) VALUES ('KEU', 'Keuangan')"))
    with pytest.raises(IntegrityError):
        memory_session.execute(text("INSERT INTO org_unit (code, name) VALUES ('Keu', 'Keuangan')"))
