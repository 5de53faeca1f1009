"""Driving an appraisal: fire a transition, edit the SKP, record realisation and development.

Every function here is one unit of work on the session it is given: it checks who may act,
changes the appraisal, writes the audit event through :mod:`engine.audit`, and commits; on any
error it rolls back, so nothing is half-written. A concurrent change to the same appraisal makes
the later writer fail with :class:`~engine.errors.Conflict` (the version-checked UPDATE).
"""

from __future__ import annotations

import difflib
import hashlib
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Dialect, bindparam, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from engine.audit import (
    EventInfo,
    append_appraisal_event,
    appraisal_stream,
    checkpoint_of,
    checkpoint_upsert,
    event_fields,
)
from engine.db import DriverStatement, driver_error, is_busy
from engine.definition import CycleDefinition, StateDef, Text, TransitionDef
from engine.dependencies import CHANGED_BY_EDIT, INDICATORS
from engine.errors import (
    Conflict,
    DatabaseBusy,
    Forbidden,
    InvalidInput,
    InvalidPayload,
    NotFound,
    SiklusError,
    TransitionNotAllowed,
    UnknownTrigger,
)
from engine.facts import Computed, Facts
from engine.models import (
    Appraisal,
    AuditEvent,
    CycleDefinitionRecord,
    CycleRun,
    DevelopmentActivity,
    Employee,
    Indicator,
    Realisation,
    Result,
    utcnow,
)
from engine.permissions import Actor
from engine.policy import Policy
from engine.provenance import realisation_role, supply_of
from engine.registry import compiled_by_id, compiled_of, definition_of
from engine.runtime import CompiledCycle, Firing, preview_computation

T = TypeVar("T")


@dataclass(frozen=True)
class FireOutcome:
    """What a successful transition did."""

    appraisal_id: int
    trigger: str
    from_state: str
    to_state: str
    role: str
    version: int
    event_id: int
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Warnings of guards declared to warn (a calibration the unit breaks), in both languages.
    warnings: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class AvailableTransition:
    transition: TransitionDef
    role: str


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
        stmt = stmt.with_for_update(of=Appraisal)
    appraisal = session.scalars(stmt).unique().first()
    if appraisal is None:
        raise NotFound(f"no appraisal #{appraisal_id}")
    return appraisal


def _unit_of_work(session: Session, work: Callable[[], T]) -> T:
    """Run ``work`` and commit; roll back on any error; map lost races to Conflict, a database that stays
    locked by another writer to DatabaseBusy."""
    try:
        result = work()
        session.commit()
        return result
    except StaleDataError as exc:
        session.rollback()
        raise Conflict("the appraisal was changed by someone else in the meantime; reload it and try again") from exc
    except OperationalError as exc:
        session.rollback()
        if is_busy(exc):
            raise DatabaseBusy() from exc
        raise
    except BaseException:
        session.rollback()
        raise


def _check_version(appraisal: AppraisalView, expected_version: int | None) -> None:
    if expected_version is not None and appraisal.version != expected_version:
        raise Conflict(
            f"appraisal #{appraisal.id} is now at version {appraisal.version}, not {expected_version}: "
            "someone changed it since you loaded it; reload and try again",
            current_version=appraisal.version,
        )


def check_open(appraisal_id: int, closed_at: datetime | None) -> None:
    """Refuse any action on a closed appraisal (the employee left or moved; see engine.runs)."""
    if closed_at is not None:
        raise TransitionNotAllowed(
            f"appraisal #{appraisal_id} was closed on {closed_at:%Y-%m-%d} (the employee left or moved); "
            "it takes no more actions",
            text={"id": f"Penilaian #{appraisal_id} sudah ditutup pada {closed_at:%Y-%m-%d} (pegawai keluar atau "
                        "pindah); tidak ada tindakan lagi padanya",
                  "en": f"Appraisal #{appraisal_id} was closed on {closed_at:%Y-%m-%d} (the employee left or moved); "
                        "it takes no more actions"})


def _transition_for(defn: CycleDefinition, appraisal: AppraisalView, trigger: str) -> TransitionDef:
    transition = defn.transition(trigger, appraisal.state)
    if transition is not None:
        return transition
    here = sorted({t.trigger for t in defn.transitions_from(appraisal.state)})
    here_text = ", ".join(here) if here else "none (final state)"
    if trigger not in defn.triggers:
        close = difflib.get_close_matches(trigger, defn.triggers, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UnknownTrigger(
            f"unknown trigger '{trigger}'{hint}; from state '{appraisal.state}' the triggers are: {here_text}"
        )
    raise TransitionNotAllowed(
        f"'{trigger}' cannot fire from state '{appraisal.state}'; from here the triggers are: {here_text}"
    )


def _check_window(appraisal: AppraisalView, transition: TransitionDef, now: datetime) -> None:
    window = transition.window
    if window is None:
        return
    since_text = (appraisal.state_entries or {}).get(window.since)
    if since_text is None:
        raise TransitionNotAllowed(f"'{transition.trigger}' is only possible after the appraisal has been in "
                                   f"'{window.since}'")
    since = datetime.fromisoformat(since_text)
    closes = window.within.after(since)
    if now > closes:
        raise TransitionNotAllowed(
            f"the window for '{transition.trigger}' closed on {closes:%Y-%m-%d %H:%M} UTC "
            f"({window.within} after entering '{window.since}')",
            closed_at=closes.isoformat(),
        )


def window_closes_at(appraisal: AppraisalView, transition: TransitionDef) -> datetime | None:
    """When the transition's time window closes for this appraisal (None when it has none)."""
    if transition.window is None:
        return None
    since_text = (appraisal.state_entries or {}).get(transition.window.since)
    return transition.window.within.after(datetime.fromisoformat(since_text)) if since_text else None


def _check_payload(cycle: CompiledCycle, transition: TransitionDef, payload: Mapping[str, Any]) -> None:
    if not isinstance(payload, Mapping):
        raise InvalidPayload("the payload must be a JSON object", [{"path": "", "message": "not an object"}])
    validator = cycle.payload_validator(transition)
    if validator is None or validator.is_valid(payload):
        return
    errors = []
    for err in sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in err.absolute_path)
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            path = "/".join(filter(None, [path, missing]))
            message = f"'{missing}' is required"
        else:
            message = err.message
        errors.append({"path": path, "message": message})
    if errors:
        listed = "; ".join(f"{e['path'] or 'payload'}: {e['message']}" for e in errors)
        raise InvalidPayload(f"the payload for '{transition.trigger}' is not valid: {listed}", errors)


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


@dataclass
class _Person:
    """The appraised employee as roles and rules see it (a plain snapshot, not an ORM row)."""

    id: int
    nip: str
    name: str
    position: str
    position_level: str | None
    unit_id: int
    supervisor_id: int | None
    supervisor: _Person | None = None


@dataclass
class _Snapshot:
    """An appraisal read in one statement for firing: the hot path stays off the ORM's identity map."""

    id: int
    run_id: int
    definition_id: int
    content_hash: str
    state: str
    version: int
    entered_at: datetime
    state_entries: dict[str, Any]
    data: dict[str, Any]
    audit_seq: int
    audit_head: str
    employee_id: int
    employee: _Person
    _session: Session
    closed_at: datetime | None = None

    @classmethod
    def of(cls, row: Sequence[Any], session: Session) -> _Snapshot:
        """From a row of ``_SNAPSHOT``."""
        boss = _Person(row[17], "", "", "", None, 0, row[18]) if row[17] is not None else None
        person = _Person(row[11], row[12], row[13], row[14], row[15], row[16], row[17], boss)
        return cls(row[0], row[1], row[2], row[3], row[4], row[5], row[6], dict(row[7] or {}), dict(row[8] or {}),
                   row[9], row[10], person.id, person, session, row[19])

    @property
    def run(self) -> CycleRun:
        run = self._session.get(CycleRun, self.run_id)
        assert run is not None
        return run


_A = Appraisal.__table__
_E = Employee.__table__
_BOSS = _E.alias("boss")
_D = CycleDefinitionRecord.__table__
_EVENTS = AuditEvent.__table__
# The three statements of every transition, built once on plain tables. They run on the session's
# own connection and transaction through engine.db.DriverStatement: SQLAlchemy compiles them and
# processes their values once per dialect, and each call goes straight to the driver.
_SNAPSHOT = (
    select(
        _A.c.id, _A.c.run_id, _A.c.definition_id, _D.c.content_hash, _A.c.state, _A.c.version, _A.c.entered_at,
        _A.c.state_entries, _A.c.data, _A.c.audit_seq, _A.c.audit_head,
        _E.c.id, _E.c.nip, _E.c.name, _E.c.position, _E.c.position_level, _E.c.unit_id, _E.c.supervisor_id,
        _BOSS.c.supervisor_id, _A.c.closed_at,
    )
    .select_from(_A.join(_E, _E.c.id == _A.c.employee_id).join(_D, _D.c.id == _A.c.definition_id)
                 .outerjoin(_BOSS, _BOSS.c.id == _E.c.supervisor_id))
    .where(_A.c.id == bindparam("appraisal_id"))
)
# PostgreSQL: the row stays locked until commit, so a concurrent firing waits and then sees the new version.
_SNAPSHOT_FOR_UPDATE = _SNAPSHOT.with_for_update(of=_A)
_MOVE = (
    update(_A)
    .where(_A.c.id == bindparam("a_id"), _A.c.version == bindparam("seen_version"))
    .values(state=bindparam("state"), version=bindparam("new_version"), entered_at=bindparam("entered_at"),
            state_entries=bindparam("state_entries"), due_at=bindparam("due_at"), overdue_handled_at=None,
            data=bindparam("data"), audit_seq=bindparam("audit_seq"), audit_head=bindparam("audit_head"),
            updated_at=bindparam("updated_at"))
)
_EVENT_COLUMNS = [c for c in _EVENTS.c if not c.primary_key]
_RECORD = insert(_EVENTS).values({c.name: bindparam(c.name) for c in _EVENT_COLUMNS}).returning(_EVENTS.c.id)


def _move_and_record() -> Any:
    """PostgreSQL: move, record and checkpoint in one statement (one round trip); the event and the
    checkpoint are written only if the move matched. The checkpoint shares the event's bind names."""
    moved = _MOVE.returning(_A.c.id).cte("moved")
    upsert = checkpoint_upsert("postgresql")
    checkpoint = upsert.table
    columns = [checkpoint.c[name] for name in ("stream", "appraisal_id", "seq", "hash", "key_id", "signature",
                                               "updated_at")]
    signed = (postgresql_insert(checkpoint).from_select(
        columns, select(*(bindparam(c.name, type_=c.type) for c in columns)).select_from(moved))
        .on_conflict_do_update(index_elements=[checkpoint.c.stream],
                               set_={c.name: upsert.excluded[c.name] for c in columns if c.name != "stream"})
        .cte("signed"))
    return insert(_EVENTS).from_select(
        _EVENT_COLUMNS, select(*(bindparam(c.name, type_=c.type) for c in _EVENT_COLUMNS)).select_from(moved),
    ).add_cte(signed).returning(_EVENTS.c.id)


_MOVE_AND_RECORD = _move_and_record()


class _CoreStatements:
    """Runs a firing's three statements on the session's connection through ``Connection.execute``.

    The plain reference: :class:`_DriverStatements` does the same work faster, and the tests check
    that both write the same rows.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.for_update = conn.dialect.name == "postgresql"
        self.checkpoint = checkpoint_upsert(conn.dialect.name)

    def __enter__(self) -> _CoreStatements:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        return None

    def snapshot(self, appraisal_id: int) -> Sequence[Any] | None:
        return self.conn.execute(_SNAPSHOT_FOR_UPDATE if self.for_update else _SNAPSHOT,
                                 {"appraisal_id": appraisal_id}).first()

    def move_and_record(self, move: Mapping[str, Any], event: Mapping[str, Any], checkpoint: Mapping[str, Any]) -> int:
        """Move the appraisal (only from the version read), append its audit event and move the stream's
        signed checkpoint; the event's id."""
        if self.conn.execute(_MOVE, move).rowcount != 1:
            raise StaleDataError("appraisal changed since it was read")
        event_id = int(self.conn.execute(_RECORD, event).scalar_one())
        self.conn.execute(self.checkpoint, checkpoint)
        return event_id


class _DriverStatements(_CoreStatements):
    """The same statements straight on the driver's cursor (see :class:`engine.db.DriverStatement`)."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        (self.read, self.move, self.record, self.sign,
         self.move_and_record_at_once) = _driver_statements(conn.dialect)
        dbapi_connection = conn.connection.dbapi_connection
        assert dbapi_connection is not None, "the session's connection is open"
        self.cursor = dbapi_connection.cursor()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        self.cursor.close()
        if isinstance(exc, self.conn.dialect.loaded_dbapi.Error):
            raise driver_error(self.conn, exc) from exc

    def snapshot(self, appraisal_id: int) -> Sequence[Any] | None:
        return self.read.row(self.read.execute(self.cursor, {"appraisal_id": appraisal_id}).fetchone())

    def move_and_record(self, move: Mapping[str, Any], event: Mapping[str, Any], checkpoint: Mapping[str, Any]) -> int:
        if self.move_and_record_at_once is not None:
            row = self.move_and_record_at_once.execute(self.cursor, {**move, **event, **checkpoint}).fetchone()
            if row is None:
                raise StaleDataError("appraisal changed since it was read")
            return int(row[0])
        if self.move.execute(self.cursor, move).rowcount != 1:
            raise StaleDataError("appraisal changed since it was read")
        event_id = int(self.record.execute(self.cursor, event).fetchone()[0])
        self.sign.execute(self.cursor, checkpoint)
        return event_id


_Compiled = tuple[DriverStatement, DriverStatement, DriverStatement, DriverStatement, "DriverStatement | None"]
_compiled: weakref.WeakKeyDictionary[Dialect, _Compiled] = weakref.WeakKeyDictionary()


def _driver_statements(dialect: Dialect) -> _Compiled:
    """The firing statements compiled for a dialect: read, move, record, checkpoint, and (PostgreSQL)
    move-record-and-checkpoint in one."""
    found = _compiled.get(dialect)
    if found is None:
        locking = dialect.name == "postgresql"
        found = _compiled[dialect] = (
            DriverStatement(_SNAPSHOT_FOR_UPDATE if locking else _SNAPSHOT, dialect), DriverStatement(_MOVE, dialect),
            DriverStatement(_RECORD, dialect), DriverStatement(checkpoint_upsert(dialect.name), dialect),
            DriverStatement(_MOVE_AND_RECORD, dialect) if locking else None,
        )
    return found


# How fire_transition runs its statements (the tests swap in the reference to compare).
_STATEMENTS: type[_CoreStatements] = _DriverStatements


def _upsert_results(session: Session, appraisal_id: int, computed: Mapping[str, Computed], now: datetime) -> None:
    if not computed:
        return
    existing = set(session.scalars(select(Result.name).where(Result.appraisal_id == appraisal_id,
                                                             Result.name.in_(list(computed)))))
    for name, c in computed.items():
        values = {"value": c.value, "explanation": c.explanation, "missing": c.missing, "details": c.details,
                  "computed_at": now}
        if name in existing:
            session.execute(update(Result)
                            .where(Result.appraisal_id == appraisal_id, Result.name == name).values(**values))
        else:
            session.execute(insert(Result).values(appraisal_id=appraisal_id, name=name, **values))


def fire_transition(
    session: Session,
    appraisal_id: int,
    trigger: str,
    actor: Actor,
    payload: Mapping[str, Any] | None = None,
    *,
    expected_version: int | None = None,
    as_role: str | None = None,
    now: datetime | None = None,
) -> FireOutcome:
    """Fire ``trigger`` on an appraisal as ``actor``: the one way an appraisal changes state.

    Checks, in order: the version the caller saw, that the trigger exists and can fire from the
    current state, the actor's role (and self-approval), the time window, the payload schema, then
    the guards and entry actions through the shared machine. Commits the state change (an UPDATE
    that only matches the version read), the results and the audit event together.
    """
    now = now or utcnow()
    body = dict(payload or {}) if isinstance(payload, Mapping) or payload is None else payload

    def work() -> FireOutcome:
        with _STATEMENTS(session.connection()) as statements:
            row = statements.snapshot(appraisal_id)
            if row is None:
                raise NotFound(f"no appraisal #{appraisal_id}")
            snap = _Snapshot.of(row, session)
            check_open(snap.id, snap.closed_at)
            _check_version(snap, expected_version)
            cycle = compiled_by_id(session, snap.definition_id, snap.content_hash)
            defn = cycle.definition
            transition = _transition_for(defn, snap, trigger)
            # Facts is annotated for ORM rows; of the snapshot it reads only what AppraisalView names.
            role, reason = Policy(session, actor).firing_role(defn, transition, snap.employee, as_role)
            if role is None:
                raise Forbidden(reason or "not allowed")
            _check_window(snap, transition, now)
            _check_payload(cycle, transition, body)
            data = dict(snap.data)
            if transition.save_as:
                data[transition.save_as] = body
            facts = Facts(session, defn, snap, now, data, dict(body))  # type: ignore[arg-type]
            firing = Firing(state=snap.state, facts=facts)
            if not cycle.fire(trigger, firing):
                reasons = "; ".join(f["en"] for f in firing.guard_failures)
                raise TransitionNotAllowed(f"'{trigger}' is not possible yet: {reasons}", reasons=firing.guard_failures)
            dest = firing.state
            # Results computed before that read what this transition changed follow it (an appeal
            # decision moves the final predicate and what is derived from it).
            stale = cycle.results_graph.after_transition(transition.save_as, dest)
            if stale:
                facts.refresh(stale)
            deadline = defn.states[dest].deadline
            due = due_at_for(defn.states[dest], snap.run if deadline is not None and deadline.at else None, now)
            results = {n: c.as_json() for n, c in facts.computed.items()}
            fields = event_fields(appraisal_stream(snap.id), snap.audit_seq + 1, snap.audit_head, EventInfo(
                kind="transition", actor_user_id=actor.user_id, actor_name=actor.username, role=role,
                trigger=trigger, from_state=snap.state, to_state=dest, payload=dict(body), results=results,
                employee_id=snap.employee_id, unit_id=snap.employee.unit_id,
            ), snap.id, now)
            event_id = statements.move_and_record({
                "a_id": snap.id, "seen_version": snap.version, "state": dest, "new_version": snap.version + 1,
                "entered_at": now, "state_entries": {**snap.state_entries, dest: now.isoformat()}, "due_at": due,
                "data": data, "audit_seq": fields["seq"], "audit_head": fields["hash"], "updated_at": now,
            }, fields, checkpoint_of(fields))
        _upsert_results(session, snap.id, facts.computed, now)
        return FireOutcome(appraisal_id=snap.id, trigger=trigger, from_state=snap.state, to_state=dest, role=role,
                           version=snap.version + 1, event_id=event_id, results=results,
                           warnings=firing.warnings)

    outcome = _unit_of_work(session, work)
    stale = session.identity_map.get(identity_key(Appraisal, appraisal_id)) if session.identity_map else None
    if stale is not None:
        session.expire(stale)
    return outcome


def available_transitions(session: Session, appraisal: Appraisal, actor: Actor,
                          policy: Policy | None = None) -> list[AvailableTransition]:
    """The transitions the actor may fire now.

    Role, self-approval and time window are checked here; guards are checked on firing.
    """
    if appraisal.closed_at is not None:
        return []
    defn = definition_of(appraisal.definition)
    policy = policy or Policy(session, actor)
    out = []
    now = utcnow()
    for transition in defn.transitions_from(appraisal.state):
        role, _ = policy.firing_role(defn, transition, appraisal.employee)
        if role is None:
            continue
        try:
            _check_window(appraisal, transition, now)
        except SiklusError:
            continue
        out.append(AvailableTransition(transition, role))
    return out


def preview_results(session: Session, appraisal_id: int, actor: Actor, names: Iterable[str],
                    data_overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Compute results as they would be with ``data_overrides`` (e.g. an unsaved rating). Writes nothing."""
    appraisal = load_appraisal(session, appraisal_id)
    defn = definition_of(appraisal.definition)
    if not Policy(session, actor).can_open(defn, appraisal.employee):
        raise Forbidden("you have no role on this appraisal")
    unknown = [n for n in names if n not in defn.results]
    if unknown:
        raise InvalidInput(f"unknown result(s): {', '.join(unknown)}")
    facts = Facts(session, defn, appraisal, utcnow(), {**(appraisal.data or {}), **dict(data_overrides or {})})
    try:
        return preview_computation(compiled_of(appraisal.definition), facts, list(names))
    finally:
        session.rollback()


# -- edits while in a state --------------------------------------------------------------------

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
    _upsert_results(session, appraisal.id, facts.computed, now)
    return {name: computed.as_json() for name, computed in facts.computed.items()}


def _edit(session: Session, appraisal_id: int, actor: Actor, kind: str, expected_version: int | None,
          change: Callable[[Appraisal, CycleDefinition, Policy, str | None], dict[str, Any]],
          now: datetime | None = None) -> Appraisal:
    """Shared path of every edit: load, check the right to edit ``kind`` now, apply, recompute the
    results that read what changed, audit, commit.

    ``change`` gets the appraisal, its definition, the actor's policy and the role the actor edits as; it
    returns the audit payload (a ``role`` in it overrides the event's role).
    """
    now = now or utcnow()

    def work() -> Appraisal:
        appraisal = load_appraisal(session, appraisal_id, for_update=True)
        check_open(appraisal.id, appraisal.closed_at)
        _check_version(appraisal, expected_version)
        defn = definition_of(appraisal.definition)
        policy = Policy(session, actor)
        if not policy.can_edit(defn, appraisal, kind):
            raise _may_not_edit(defn, appraisal, kind)
        role = policy.editing_role(defn, appraisal, kind)
        payload = change(appraisal, defn, policy, role)
        # A realisation names the role it was supplied as (the indicator's supplier), see engine.provenance.
        role = payload.get("role", role)
        results = refresh_results(session, appraisal, CHANGED_BY_EDIT.get(kind, ()), now)
        appraisal.updated_at = now
        append_appraisal_event(session, appraisal, EventInfo(
            kind=kind, actor_user_id=actor.user_id, actor_name=actor.username, role=role,
            from_state=appraisal.state, to_state=appraisal.state, payload=payload, results=results,
            employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id,
        ), occurred_at=now)
        session.flush()
        return appraisal

    return _unit_of_work(session, work)


#: What each kind of edit is called on a screen.
_EDIT_KINDS = {"skp": Text("SKP", "SKP"), "realisation": Text("realisasi", "realisation"),
               "development": Text("pengembangan kompetensi", "competence development"),
               "feedback": Text("umpan balik", "feedback")}


def _may_not_edit(defn: CycleDefinition, appraisal: Appraisal, kind: str) -> Forbidden:
    """The refusal of an edit the state does not open to the actor, naming who may edit now."""
    editors = [r for r, kinds in defn.states[appraisal.state].edit.items() if kind in kinds] \
        if appraisal.state in defn.states else []
    what = _EDIT_KINDS.get(kind, Text(kind, kind))
    state = defn.states[appraisal.state].label if appraisal.state in defn.states else Text(appraisal.state)
    who_id = " atau ".join(defn.roles[r].label.id for r in editors if r in defn.roles) or "tidak seorang pun"
    who_en = " or ".join(defn.roles[r].label.get("en") for r in editors if r in defn.roles) or "nobody"
    return Forbidden(
        f"in state '{appraisal.state}' only {', '.join(editors) or 'nobody'} may edit the {kind}",
        text={"id": f"Pada tahap “{state.id}” {what.id} hanya dapat diubah oleh {who_id}.",
              "en": f"In “{state.en or state.id}” the {what.en} may only be changed by {who_en}."})


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} must be a number, not '{value}'") from None


def set_skp(session: Session, appraisal_id: int, actor: Actor, items: list[Mapping[str, Any]],
            expected_version: int | None = None, now: datetime | None = None) -> Appraisal:
    """Replace the employee's own IKI in the SKP.

    Each item: key, label, rhk, parent_rhk, aspect, target, unit, weight.
    """
    cleaned: list[dict[str, Any]] = []
    keys: set[str] = set()
    for n, item in enumerate(items, start=1):
        key = str(item.get("key") or f"iki_{n}").strip()
        label = str(item.get("label") or "").strip()
        if not label:
            raise InvalidInput(f"IKI {n}: the indicator text (label) is required")
        if key in keys:
            raise InvalidInput(f"IKI {n}: key '{key}' is used twice")
        keys.add(key)
        target = item.get("target")
        if isinstance(target, list):
            if len(target) != 2:
                raise InvalidInput(f"IKI {n}: a range target needs two numbers [min, max]")
            target = [_number(t, f"IKI {n} target") for t in target]
        elif target is not None and target != "":
            target = _number(target, f"IKI {n} target")
        else:
            raise InvalidInput(f"IKI {n}: a target is required")
        weight = item.get("weight")
        weight = _number(weight, f"IKI {n} weight") if weight not in (None, "") else None
        if weight is not None and not 0 < weight <= 100:
            raise InvalidInput(f"IKI {n}: weight must be above 0 and at most 100")
        aspect = item.get("aspect") or None
        if aspect not in (None, "kuantitas", "kualitas", "waktu"):
            raise InvalidInput(f"IKI {n}: aspect must be kuantitas, kualitas or waktu")
        cleaned.append({
            "key": key, "label": label, "rhk": str(item.get("rhk") or ""),
            "parent_rhk": str(item.get("parent_rhk") or "") or None, "aspect": aspect, "target": target,
            "unit": str(item.get("unit") or "") or None, "weight": weight, "position": n,
        })
    weights = [c["weight"] for c in cleaned if c["weight"] is not None]
    if weights and (len(weights) != len(cleaned) or abs(sum(weights) - 100) > 1e-6):
        raise InvalidInput(f"IKI weights must all be given and total 100; they total {sum(weights):g}")

    def change(appraisal: Appraisal, defn: CycleDefinition, policy: Policy, role: str | None) -> dict[str, Any]:
        if not defn.skp.employee_indicators:
            raise InvalidInput(
                f"cycle {defn.id} has fixed indicators; employees do not add their own IKI",
                text={"id": "Siklus ini memakai IKI tetap yang targetnya ditetapkan dalam berkas siklus; "
                            "SKP tidak diisi IKI sendiri.",
                      "en": "This cycle uses fixed IKI whose targets are set in the cycle file; "
                            "the SKP takes no IKI of one's own."})
        fixed = {i.id: i for i in defn.indicators}
        clash = [c["key"] for c in cleaned if c["key"] in fixed]
        if clash:
            labels_id = ", ".join(f"“{fixed[k].label.id}”" for k in clash)
            labels_en = ", ".join(f"“{fixed[k].label.get('en')}”" for k in clash)
            raise InvalidInput(
                f"IKI key(s) {', '.join(clash)} are already the cycle's fixed indicators; "
                "their targets are the cycle's",
                indicators=clash,
                text={"id": f"{labels_id} adalah IKI tetap siklus; targetnya ditetapkan dalam berkas siklus, "
                            "bukan dalam SKP.",
                      "en": f"{labels_en} are the cycle's fixed IKI; their targets are set in the cycle file, "
                            "not in the SKP."})
        when = now or utcnow()
        # A target left as it was keeps who set it and when; a new or changed one is this actor's.
        before = {i.key: i for i in session.scalars(select(Indicator).where(Indicator.appraisal_id == appraisal.id))}
        session.execute(delete(Indicator).where(Indicator.appraisal_id == appraisal.id))
        stored = []
        for c in cleaned:
            kept = before.get(c["key"])
            if kept is not None and kept.target == c["target"] and kept.set_at is not None:
                by = {"set_by_id": kept.set_by_id, "set_role": kept.set_role, "set_at": kept.set_at}
            else:
                by = {"set_by_id": actor.user_id, "set_role": role, "set_at": when}
            stored.append({**c, **by})
        session.add_all(Indicator(appraisal_id=appraisal.id, **c) for c in stored)
        return {"skp": [{**c, "set_at": c["set_at"].isoformat() if c["set_at"] else None} for c in stored],
                "role": role}

    return _edit(session, appraisal_id, actor, "skp", expected_version, change, now)


@dataclass(frozen=True)
class Evidence:
    """An evidence file already stored by the caller (bukti dukung)."""

    name: str
    path: str
    size: int
    content_type: str
    sha256: str

    @classmethod
    def of_bytes(cls, name: str, path: str, content: bytes, content_type: str) -> Evidence:
        return cls(name, path, len(content), content_type, hashlib.sha256(content).hexdigest())


def record_realisation(session: Session, appraisal_id: int, actor: Actor, indicator_key: str, value: Any,
                       note: str = "", evidence: Evidence | None = None,
                       expected_version: int | None = None, now: datetime | None = None) -> Appraisal:
    """Record an achieved value for an IKI, with optional evidence, as the role that supplies it.

    Only the indicator's supplier may record it (see :mod:`engine.provenance`); a value the system
    feeds (``unit.ikm``...) is refused to everyone.
    """
    number = _number(value, "the realisation")

    def change(appraisal: Appraisal, defn: CycleDefinition, policy: Policy, _role: str | None) -> dict[str, Any]:
        own: dict[str, str] = {}
        if defn.skp.employee_indicators:
            own = dict(session.execute(select(Indicator.key, Indicator.label)
                                       .where(Indicator.appraisal_id == appraisal.id)).all())
        keys = [i.id for i in defn.indicators] + list(own)
        if indicator_key not in keys:
            close = difflib.get_close_matches(indicator_key, keys, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InvalidInput(f"no indicator '{indicator_key}' in this SKP{hint}")
        role = realisation_role(policy, defn, appraisal, supply_of(defn, indicator_key, own.get(indicator_key)))
        row = Realisation(appraisal_id=appraisal.id, indicator_key=indicator_key, value=number, note=note,
                          recorded_by_id=actor.user_id, recorded_at=now or utcnow(), supplied_role=role, source=None)
        # Everything the row holds, so the audit chain alone can re-derive it.
        payload: dict[str, Any] = {"indicator": indicator_key, "value": number, "note": note, "role": role,
                                   "source": None, "evidence": None}
        if evidence is not None:
            row.evidence_name, row.evidence_path, row.evidence_size = evidence.name, evidence.path, evidence.size
            row.evidence_type, row.evidence_sha256 = evidence.content_type, evidence.sha256
            payload["evidence"] = {"name": evidence.name, "sha256": evidence.sha256, "size": evidence.size,
                                   "content_type": evidence.content_type, "path": evidence.path}
        session.add(row)
        return payload

    return _edit(session, appraisal_id, actor, "realisation", expected_version, change, now)


def record_development(session: Session, appraisal_id: int, actor: Actor, title: str, jp: Any,
                       course_id: str | None = None, done: bool = False, now: datetime | None = None) -> Appraisal:
    """Plan or record a competence development activity (JP counts toward the yearly target)."""
    hours = _number(jp, "JP")
    if hours <= 0:
        raise InvalidInput("JP must be above 0")
    if not title.strip():
        raise InvalidInput("the activity needs a title")

    def change(appraisal: Appraisal, defn: CycleDefinition, _policy: Policy, _role: str | None) -> dict[str, Any]:
        session.add(DevelopmentActivity(
            appraisal_id=appraisal.id, course_id=course_id, title=title.strip(), jp=hours,
            status="done" if done else "planned", completed_at=(now or utcnow()) if done else None,
        ))
        return {"title": title.strip(), "jp": hours, "course_id": course_id, "status": "done" if done else "planned"}

    return _edit(session, appraisal_id, actor, "development", None, change, now)
