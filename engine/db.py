"""Database connections: SQLite (WAL, durable commits) by default, PostgreSQL through DATABASE_URL.

Used by the CLI, the benchmarks and the tests without Flask; the web app passes the same URL
and engine options to Flask-SQLAlchemy. :class:`DriverStatement` runs a hot statement straight on
the driver, with SQLAlchemy's own SQL and value processing.

SQLite has one writer at a time. A writer waits up to :data:`BUSY_TIMEOUT_MS` for the lock, long
jobs commit in short batches (see :mod:`engine.migration`), and the small writes outside a person's
unit of work (a token's last use, a survey answer, a rate-limit counter) go through
:func:`write_with_retry`: the transaction takes the write lock first, so it cannot fail halfway,
and is run again from the start while the database says it is locked.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Dialect, Engine, Select, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIModule
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError, StatementError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import Pool, SingletonThreadPool, StaticPool
from sqlalchemy.sql.dml import UpdateBase

from engine.errors import DatabaseBusy, InvalidInput
from engine.messages import Message

T = TypeVar("T")

# How long a SQLite writer waits for the lock before the database answers "database is locked".
BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


#: The databases Siklus runs on (the first part of a SQLAlchemy URL's scheme).
KINDS = ("postgresql", "sqlite")


def checked_url(url: str) -> str:
    """``url`` when it names a database Siklus runs on; InvalidInput otherwise, naming its kind at most (never
    the rest of it, which holds a password)."""
    try:
        kind = make_url(url).get_backend_name()
    except ArgumentError:
        raise InvalidInput("DATABASE_URL is not a database URL; write it like postgresql://user:password@host/name "
                           "or sqlite:////path/to/siklus.db", msg=Message("setting.database_url")) from None
    if kind not in KINDS:
        shown = kind[:40]
        raise InvalidInput(f"DATABASE_URL names a database of kind «{shown}»; Siklus runs on postgresql://… or "
                           "sqlite:///…", msg=Message("setting.database_kind", kind=shown))
    return url


def database_url(instance_path: str | Path = "instance") -> str:
    """DATABASE_URL, or SQLite at ``instance/siklus.db``."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return checked_url(normalise_url(url))
    path = Path(instance_path).resolve() / "siklus.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


# A pooled server connection idle longer than this is pinged before use (see :func:`_ping_if_idle`);
# one used more recently is not, so a busy process pays no extra round trip per unit of work.
IDLE_PING_S = 10.0
# Server connections are replaced after this long, before a server or proxy drops them as stale.
POOL_RECYCLE_S = 1800


def engine_options(url: str) -> dict[str, Any]:
    """Engine options for ``url``: SQLite's lock wait; a server's connections recycled (pinged only when idle)."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
    return {"pool_recycle": POOL_RECYCLE_S}


@event.listens_for(Pool, "checkin")
def _note_idle(dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Check a server connection that sat idle in the pool before handing it out.

    A connection the server or network dropped while idle is discarded and the pool connects again
    (raising ``DisconnectionError`` is SQLAlchemy's way to ask for that); a connection just connected
    or used in the last :data:`IDLE_PING_S` seconds is handed out without a round trip.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        return
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_PING_S:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as exc:  # whatever the driver raises for a dead connection
        raise DisconnectionError(f"the pooled connection was lost while idle: {exc}") from exc


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        # WAL lets readers work while one writer commits; FULL makes each commit durable (the audit log).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()


def make_engine(url: str) -> Engine:
    return create_engine(url, **engine_options(url))


def make_session(url: str) -> Session:
    return sessionmaker(make_engine(url), expire_on_commit=False)()


def ping(session: Session) -> None:
    """Run the cheapest statement, so a database that cannot be reached raises."""
    session.execute(text("SELECT 1"))


# PostgreSQL's answers that end a transaction only because of another at the same moment: a
# serialization failure, a deadlock it broke by cancelling this side, a lock it could not take.
# Nothing of the transaction was written, and the same work run again succeeds.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` refused a write only because of another writer, leaving nothing written: SQLite's
    lock held by another connection, or PostgreSQL breaking a deadlock or a serialization conflict."""
    original = getattr(exc, "orig", exc)
    if isinstance(original, sqlite3.OperationalError):
        text = str(original).lower()
        return "locked" in text or "busy" in text
    return getattr(original, "sqlstate", None) in TRANSIENT_SQLSTATES


def begin_write(session: Session, wait_ms: int | None = None) -> None:
    """Open the session's transaction holding SQLite's write lock (``BEGIN IMMEDIATE``).

    Reads and writes then see one state of the database, and no statement of the transaction can
    fail later because another writer came first. ``wait_ms`` shortens how long to wait for the lock
    (a write that may be skipped when the database is busy). Nothing to do on PostgreSQL, or when the
    session already writes in an open transaction.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    driver = conn.connection.dbapi_connection
    if driver is None or driver.in_transaction:
        return
    if wait_ms is None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    conn.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_ms)}")
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def hold_key(session: Session, space: int, key: str) -> None:
    """Hold PostgreSQL's advisory lock on ``key`` within ``space`` (a 32-bit constant per kind of thing) until the
    session's transaction ends, so transactions that count and then write the same thing (a device's answers
    against its limit) go one after the other instead of all counting the same. Nothing on SQLite, whose write
    lock (:func:`begin_write`) already does that."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:space, hashtext(:key))"), {"space": space, "key": key})


def begin_snapshot(session: Session) -> bool:
    """Begin the session's transaction as one consistent view of the database, for a check that compares what several
    statements read while others go on writing (the audit: a chain and the rows it proves, the system chain and its
    signed checkpoint): on PostgreSQL ``REPEATABLE READ READ ONLY`` (every statement sees one snapshot), on SQLite a
    read transaction (the first read fixes what every later one sees; writers go on, WAL). End it with
    ``session.commit()``.

    False, with nothing done, when the session is already in a transaction or holds changes not yet written: its
    reads then follow that transaction (:func:`snapshot_session` gives a view of its own).
    """
    if session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True})
        return True
    conn = session.connection()
    driver = conn.connection.dbapi_connection
    if driver is not None and not driver.in_transaction:
        conn.exec_driver_sql("BEGIN")
    return True


@contextmanager
def snapshot_session(session: Session) -> Iterator[Session]:
    """A session of its own on ``session``'s database, reading one consistent state of it (:func:`begin_snapshot`),
    for a request whose own session is already in a transaction; closed when the block ends. On a database of one
    shared connection (an in-memory SQLite's static pool) there is no other connection to read through: the block
    gets ``session`` itself."""
    bind = session.get_bind()
    if isinstance(bind, Engine) and isinstance(bind.pool, StaticPool | SingletonThreadPool):
        yield session
        return
    with Session(bind=bind, expire_on_commit=False) as reader:
        begin_snapshot(reader)
        yield reader


def retry_on_busy(attempt: Callable[[], T], *, attempts: int = 5, pause: float = 0.05) -> T:
    """Call ``attempt`` until it does not fail with "database is locked", at most ``attempts`` times.

    ``attempt`` must leave nothing behind when it fails (its own transaction, rolled back). Raises
    :class:`~engine.errors.DatabaseBusy` when the database stays locked.
    """
    for number in range(1, attempts + 1):
        try:
            return attempt()
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            if number == attempts:
                raise DatabaseBusy() from exc
            # Growing, jittered pauses, so writers that collided do not collide again in step.
            time.sleep(pause * 2 ** (number - 1) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def write_with_retry(session: Session, work: Callable[[], T], *, attempts: int = 5, wait_ms: int | None = None,
                     pause: float = 0.05) -> T:
    """Run ``work`` as one short write transaction on ``session`` and commit; run it again from the start
    while SQLite says the database is locked.

    For small writes outside a person's unit of work: ``work`` reads what it needs itself (it may run
    more than once) and must not commit. The session's open transaction is ended first. Any other
    error rolls back and propagates; a database that stays locked raises
    :class:`~engine.errors.DatabaseBusy`, with nothing written.
    """
    session.commit()

    def attempt() -> T:
        try:
            begin_write(session, wait_ms)
            result = work()
            session.commit()
            return result
        except BaseException:
            session.rollback()
            raise

    return retry_on_busy(attempt, attempts=attempts, pause=pause)


class DriverStatement:
    """A Core statement compiled once for one dialect and run straight on the DBAPI cursor.

    For the few statements run on every transition: the SQL text, the order of its parameters and
    the bind and result processing all come from SQLAlchemy's own compilation and column types, so
    a row written or read this way is exactly what ``Connection.execute`` would write or read; what
    is skipped is the per-call execution machinery (cache lookup, execution context, result object).
    """

    def __init__(self, statement: Select[Any] | UpdateBase, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        assert not compiled.escaped_bind_names, "bind names must be plain identifiers"
        self.sql = compiled.string
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        self._names = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else tuple(binds)
        self._positional = bool(compiled.positional)
        # Values written by the statement itself (e.g. a column set to NULL), not passed by the caller.
        self._fixed = {name: bind.effective_value for name, bind in binds.items() if not bind.required}
        self._bind = tuple(binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in self._names)
        self._plan = tuple(zip(self._names, self._bind, strict=True))
        columns = statement.exported_columns  # a SELECT's columns, or what a DML statement RETURNs
        processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self._result = tuple((i, p) for i, p in enumerate(processors) if p is not None)

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """The driver's parameters for ``values`` (by bind name), processed as SQLAlchemy would."""
        get = values.__getitem__ if not self._fixed else {**values, **self._fixed}.__getitem__
        out = [get(name) if p is None else p(get(name)) for name, p in self._plan]
        return tuple(out) if self._positional else dict(zip(self._names, out, strict=True))

    def many(self, shared: Mapping[str, Any], varying: Sequence[str],
             rows: Iterable[Sequence[Any]]) -> list[Sequence[Any] | dict[str, Any]]:
        """The driver's parameters for many rows that share ``shared`` and differ only in ``varying``.

        ``shared`` is processed once; the varying values go to the driver as given, so they must be
        of types no bind processor changes (plain ints and strings), which is checked.
        """
        assert all(self._bind[self._names.index(name)] is None for name in varying), "varying values need no processing"
        base = self.parameters({**shared, **{name: None for name in varying}})
        if self._positional:
            at = [self._names.index(name) for name in varying]
            out: list[Sequence[Any] | dict[str, Any]] = []
            for row in rows:
                params = list(base)
                for i, value in zip(at, row, strict=True):
                    params[i] = value
                out.append(tuple(params))
            return out
        named = cast(dict[str, Any], base)
        return [{**named, **dict(zip(varying, row, strict=True))} for row in rows]

    def execute(self, cursor: Any, values: Mapping[str, Any]) -> Any:
        """Run on ``cursor``; returns the cursor (rowcount, fetchone)."""
        cursor.execute(self.sql, self.parameters(values))
        return cursor

    def row(self, raw: Sequence[Any] | None) -> list[Any] | None:
        """A fetched row with SQLAlchemy's result processing applied (datetimes, JSON)."""
        if raw is None:
            return None
        row = list(raw)
        for i, process in self._result:
            row[i] = process(row[i])
        return row


def driver_error(conn: Connection, exc: DBAPIModule.Error) -> StatementError:
    """A driver's error as SQLAlchemy's own exception, as ``Connection.execute`` raises it.

    A lost connection is invalidated, so the pool does not hand it out again.
    """
    dialect = conn.dialect
    lost = dialect.is_disconnect(exc, conn.connection.dbapi_connection, None)
    if lost:
        conn.invalidate(exc)
    return DBAPIError.instance(None, None, exc, dialect.loaded_dbapi.Error, connection_invalidated=lost,
                               dialect=dialect)
