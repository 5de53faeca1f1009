"""What every change to an appraisal shares: loading it, checking it may change, and committing the
change as one unit of work.

A unit of work checks who may act, changes the appraisal, writes the audit event through the one
writer (:mod:`engine.audit.writer`) and commits; on any error it rolls back, so nothing is
half-written. A concurrent change to the same appraisal makes the later writer fail with
:class:`~engine.errors.Conflict` (the version-checked UPDATE).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Dialect, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from engine.db import DriverStatement, driver_error, is_busy
from engine.definition import StateDef
from engine.dependencies import INDICATORS
from engine.errors import Clash, Conflict, DatabaseBusy, NotFound, TransitionNotAllowed
from engine.facts import Computed, Facts
from engine.loaded import compiled_of, definition_of
from engine.messages import Message
from engine.models import Appraisal, CycleRun, Employee, Result

T = TypeVar("T")
log = logging.getLogger(__name__)


class PersonView(Protocol):
    """What firing reads of the appraised employee: an ORM ``Employee`` or the snapshot's plain copy."""

    @property
    def id(self) -> int: ...
    @property
    def nip(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def position(self) -> str: ...
    @property
    def position_level(self) -> str | None: ...
    @property
    def unit_id(self) -> int: ...
    @property
    def supervisor_id(self) -> int | None: ...
    @property
    def supervisor(self) -> PersonView | None: ...


class AppraisalView(Protocol):
    """What the checks of a transition read of an appraisal: an ORM ``Appraisal`` or a :class:`_Snapshot`."""

    @property
    def id(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def state_entries(self) -> dict[str, Any]: ...
    @property
    def entered_at(self) -> datetime: ...
    @property
    def run_id(self) -> int: ...
    @property
    def run(self) -> CycleRun: ...
    @property
    def employee_id(self) -> int: ...
    @property
    def employee(self) -> PersonView: ...


def load_appraisal(session: Session, appraisal_id: int, *, for_update: bool = False) -> Appraisal:
    """One appraisal with its employee, the employee's supervisor, its run and definition (one query)."""
    stmt = (
        select(Appraisal)
        .where(Appraisal.id == appraisal_id)
        .options(
            joinedload(Appraisal.employee).joinedload(Employee.supervisor),
            joinedload(Appraisal.run),
            joinedload(Appraisal.definition),
        )
    )
    if for_update and session.get_bind().dialect.name == "postgresql":
        # The row is locked first, on its own, and read with what hangs off it afterwards: a locking
        # read that waited for another writer keeps the rows it joined before waiting, so an appraisal
        # a migration moved meanwhile would come back with no definition (or the old one).
        session.execute(select(Appraisal.id).where(Appraisal.id == appraisal_id).with_for_update())
        stmt = stmt.execution_options(populate_existing=True)
    appraisal = session.scalars(stmt).unique().first()
    if appraisal is None:
        raise NotFound(Message("appraisal.not_found", id=str(appraisal_id)))
    return appraisal


def unit_of_work(session: Session, work: Callable[[], T]) -> T:
    """Run ``work`` and commit; roll back on any error; map lost races to Conflict, a database that stays
    locked by another writer to DatabaseBusy."""
    try:
        result = work()
        session.commit()
        return result
    except StaleDataError as exc:
        session.rollback()
        raise Conflict("the appraisal was changed by someone else in the meantime; reload it and try again",
                       msg=Message("appraisal.changed")) from exc
    except OperationalError as exc:
        session.rollback()
        if is_busy(exc):
            raise DatabaseBusy() from exc
        raise
    except IntegrityError as exc:
        # The same thing saved twice at once (a double submit): the form says so and keeps what was typed.
        session.rollback()
        log.warning("a change to an appraisal was refused by the database: %s", getattr(exc, "orig", exc))
        raise Clash() from exc
    except BaseException:
        session.rollback()
        raise


def check_version(appraisal: AppraisalView, expected_version: int | None) -> None:
    """Refuse a change made on a version of the appraisal that is no longer the current one."""
    if expected_version is not None and appraisal.version != expected_version:
        raise Conflict(
            f"appraisal #{appraisal.id} is now at version {appraisal.version}, not {expected_version}: "
            "someone changed it since you loaded it; reload and try again",
            current_version=appraisal.version, msg=Message("appraisal.changed"),
        )



def check_open(appraisal_id: int, closed_at: datetime | None) -> None:
    """Refuse any action on a closed appraisal (the employee left or moved; see engine.runs)."""
    if closed_at is not None:
        raise TransitionNotAllowed(
            f"appraisal #{appraisal_id} was closed on {closed_at:%Y-%m-%d} (the employee left or moved); "
            "it takes no more actions",
            msg=Message("appraisal.closed", id=str(appraisal_id), day=closed_at.date()))



def due_at_for(state: StateDef, run: CycleRun | None, entered: datetime) -> datetime | None:
    """When a deadline of ``state`` falls for an appraisal entering it at ``entered``."""
    deadline = state.deadline
    if deadline is None:
        return None
    if deadline.within is not None:
        return deadline.within.after(entered)
    assert run is not None, "a deadline at a point of the period needs the run"
    base = run.period_end if deadline.at == "period_end" else run.period_start
    return deadline.offset.after(base) if deadline.offset else base


def store_results(session: Session, appraisal_id: int, computed: Mapping[str, Computed], now: datetime) -> None:
    """Write the computed results of an appraisal, replacing the stored ones of the same names.

    One upsert per result, sent together on the session's connection and transaction (the statement is
    compiled once per dialect; see :class:`engine.db.DriverStatement`).
    """
    if not computed:
        return
    # What the session holds unwritten goes first, as a statement through the session would flush it.
    session.flush()
    conn = session.connection()
    upsert = _result_upsert(conn.dialect)
    rows: list[Any] = [upsert.parameters({"appraisal_id": appraisal_id, "name": name, "value": c.value,
                               "explanation": c.explanation, "missing": c.missing, "details": c.details,
                               "computed_at": now}) for name, c in computed.items()]
    dbapi_connection = conn.connection.dbapi_connection
    assert dbapi_connection is not None, "the session's connection is open"
    cursor = dbapi_connection.cursor()
    try:
        cursor.executemany(upsert.sql, rows)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise driver_error(conn, exc) from exc
    finally:
        cursor.close()


_RESULT_COLUMNS = ("appraisal_id", "name", "value", "explanation", "missing", "details", "computed_at")
_result_upserts: weakref.WeakKeyDictionary[Dialect, DriverStatement] = weakref.WeakKeyDictionary()


def _result_upsert(dialect: Dialect) -> DriverStatement:
    """INSERT of a result that replaces the stored one of the same appraisal and name, compiled once per dialect."""
    found = _result_upserts.get(dialect)
    if found is None:
        table = Result.__table__
        module = postgresql if dialect.name == "postgresql" else sqlite
        stmt = module.insert(table).values({name: bindparam(name, type_=table.c[name].type)
                                            for name in _RESULT_COLUMNS})
        stmt = stmt.on_conflict_do_update(index_elements=[table.c.appraisal_id, table.c.name],
                                          set_={name: stmt.excluded[name] for name in _RESULT_COLUMNS[2:]})
        found = _result_upserts[dialect] = DriverStatement(stmt, dialect)
    return found


def refresh_results(session: Session, appraisal: Appraisal, changed: Iterable[str],
                    now: datetime) -> dict[str, dict[str, Any]]:
    """Recompute and store the results already computed that read a ``changed`` input (see
    :mod:`engine.dependencies`); what was recomputed, for the audit event. Nothing when none was."""
    changed = frozenset(changed)
    names = compiled_of(appraisal.definition).results_graph.after_change(changed)
    if not names and INDICATORS not in changed:
        return {}
    facts = Facts(session, definition_of(appraisal.definition), appraisal, now, dict(appraisal.data or {}))
    facts.refresh(names, indicators=INDICATORS in changed)
    store_results(session, appraisal.id, facts.computed, now)
    return {name: computed.as_json() for name, computed in facts.computed.items()}

