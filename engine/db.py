"""Database connections: SQLite (WAL, durable commits) by default, PostgreSQL through DATABASE_URL.

Used by the CLI, the benchmarks and the tests without Flask; the web app passes the same URL
and engine options to Flask-SQLAlchemy.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def database_url(instance_path: str | Path = "instance") -> str:
    """DATABASE_URL, or SQLite at ``instance/siklus.db``."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return normalise_url(url)
    path = Path(instance_path).resolve() / "siklus.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        # WAL lets readers work while one writer commits; FULL makes each commit durable (the audit log).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def make_engine(url: str) -> Engine:
    return create_engine(url, **engine_options(url))


def make_session(url: str) -> Session:
    return sessionmaker(make_engine(url), expire_on_commit=False)()
