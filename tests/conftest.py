"""Shared fixtures: a migrated database on SQLite and on a throwaway PostgreSQL cluster, the Flask
app and clients, and a small organisation with the national cycle published.

Every test that takes ``db_url`` (directly or through ``session``/``app``) runs once per backend.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, StaticPool, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from engine.db import engine_options
from engine.models import Base
from tests.support.pgcluster import Cluster, start_cluster

# Fixed server secrets for the suite (engine.keys reads them instead of files in an instance folder).
os.environ.setdefault("SIKLUS_AUDIT_KEY", "test-audit-key-0123456789abcdef0123456789")
os.environ.setdefault("SIKLUS_RESPONDENT_SECRET", "test-respondent-secret-0123456789abcdef")
os.environ.setdefault("SIKLUS_SECRET_KEY", "test-session-key-0123456789abcdef0123456789")

# SIKLUS_TEST_BACKENDS=sqlite narrows a quick local run to one backend; make test runs both.
BACKENDS = [b for b in os.environ.get("SIKLUS_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def migrate(url: str) -> None:
    """Bring a database to the newest schema with the project's Alembic migrations."""
    import flask_migrate

    from web import MIGRATIONS, create_app
    from web.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
        db.engine.dispose()



@pytest.fixture(autouse=True)
def _cli_language_stays_with_its_test() -> Iterator[None]:
    """``siklus --lang`` remembers the language in ``SIKLUS_LANG`` for the rest of the process (a CLI run is
    one process); in tests the commands share one, so each test starts with the language it found."""
    found = os.environ.get("SIKLUS_LANG")
    yield
    if found is None:
        os.environ.pop("SIKLUS_LANG", None)
    else:
        os.environ["SIKLUS_LANG"] = found

@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster | None]:
    cluster = start_cluster()
    yield cluster
    if cluster is not None:
        cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "siklus.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template(pg_cluster: Cluster | None) -> Iterator[tuple[str, Engine] | None]:
    if pg_cluster is None:
        yield None
        return
    admin = create_engine(pg_cluster.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE siklus_test"))
    admin.dispose()
    url = pg_cluster.url_for("siklus_test")
    migrate(url)
    cleaner = create_engine(url, isolation_level="AUTOCOMMIT")
    yield url, cleaner
    cleaner.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database; a fresh copy for every test."""
    if request.param == "sqlite":
        path = tmp_path / "siklus.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    pg = request.getfixturevalue("pg_template")
    if pg is None:
        pytest.skip("PostgreSQL server binaries not found (make test installs them through .ci/run)")
    url, cleaner = pg
    yield url
    tables = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    with cleaner.connect() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    engine = create_engine(db_url, **engine_options(db_url))
    yield engine
    engine.dispose()


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    """A plain SQLAlchemy session, as the engine's services take it."""
    factory = sessionmaker(db_engine, expire_on_commit=False)
    s = factory()
    yield s
    s.close()


@pytest.fixture
def fresh_session(db_engine: Engine):
    """A factory of new sessions (to reload state from the database between steps)."""
    opened: list[Session] = []

    def make() -> Session:
        s = sessionmaker(db_engine, expire_on_commit=False)()
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def app(db_url: str):
    from web import create_app
    from web.extensions import db

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": db_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test",
        "RATELIMIT_ENABLED": True,
    })
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def org(session: Session):
    from tests.support.factories import build_org

    return build_org(session)


@pytest.fixture
def national(session: Session, org):
    from tests.support.factories import publish_national

    return publish_national(session, org)


@pytest.fixture
def memory_session() -> Iterator[Session]:
    """A session on a private in-memory SQLite database with the schema (no migrations): for building a whole
    demo quickly, where no other connection needs to see it."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    Base.metadata.create_all(engine)
    session = sessionmaker(engine, expire_on_commit=False)()
    yield session
    session.close()
    engine.dispose()
