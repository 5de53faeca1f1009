"""Firing runs its three statements straight on the driver; what it stores is exactly what the plain
SQLAlchemy execution stores: state, version, state entries, deadline, saved data, results and a
chain that verifies. A lost race or a failing statement still leaves nothing half-written."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from engine.appraisals import fire_transition, firing, record_realisation, set_skp
from engine.audit import verify_chain, writer
from engine.db import engine_options
from engine.errors import Clash, Conflict
from engine.models import Appraisal, AuditCheckpoint, AuditEvent, Result
from engine.runs import find_unit, launch
from tests.support.states import PATH, SKP

START = datetime(2026, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


def _launch(session, org, national) -> dict[str, int]:
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    rows = session.execute(select(Appraisal.employee_id, Appraisal.id)).all()
    by_employee = dict(rows)
    return {name: by_employee[org.people[name].id] for name in ("ani", "budi")}


def _drive_to_the_end(session, org, aid: int, employee: str) -> None:
    """Every transition of the national cycle, each at a fixed moment, so two appraisals can be compared."""
    who = {"self": employee, "rater": "kabid", "reviewer": "kadis"}
    set_skp(session, aid, org.actor(employee), SKP, now=START)
    for step, (_state, move) in enumerate(PATH):
        if move is None:
            continue
        trigger, role, payload = move
        moment = START + timedelta(days=step, microseconds=step)
        if trigger == "close_monitoring":
            record_realisation(session, aid, org.actor(employee), "iki_1", 95, now=moment)
        fire_transition(session, aid, trigger, org.actor(who[role]), payload, now=moment)


def _own_targets(payload: dict) -> dict:
    """An SKP payload with the author of each target left out (each employee sets their own)."""
    if "skp" not in payload:
        return payload
    return {**payload, "skp": [{**item, "set_by_id": None} for item in payload["skp"]]}


def _stored(session, aid: int, employee: str) -> dict:
    """What the database holds for an appraisal, as text where the driver could have differed.

    The employee's own name in the events reads 'pegawai', so two employees' stories compare equal.
    """
    a = session.execute(
        select(Appraisal.state, Appraisal.version, Appraisal.entered_at, Appraisal.state_entries, Appraisal.due_at,
               Appraisal.overdue_handled_at, Appraisal.data, Appraisal.audit_seq, Appraisal.updated_at)
        .where(Appraisal.id == aid)).one()
    cast = "" if session.get_bind().dialect.name == "sqlite" else "::text"
    raw = session.execute(text(
        f"SELECT state_entries{cast}, data{cast}, entered_at{cast}, due_at{cast}, updated_at{cast} "
        "FROM appraisal WHERE id = :id"), {"id": aid}).one()
    events = session.execute(
        select(AuditEvent.seq, AuditEvent.kind, AuditEvent.actor_user_id, AuditEvent.actor_name, AuditEvent.role,
               AuditEvent.trigger, AuditEvent.from_state, AuditEvent.to_state, AuditEvent.payload, AuditEvent.results,
               AuditEvent.occurred_at, AuditEvent.unit_id)
        .where(AuditEvent.appraisal_id == aid).order_by(AuditEvent.seq)).all()
    raw_events = session.execute(text(
        f"SELECT payload{cast}, results{cast}, occurred_at{cast} FROM audit_event "
        "WHERE appraisal_id = :id ORDER BY seq"),
        {"id": aid}).all()
    results = session.execute(
        select(Result.name, Result.value, Result.explanation, Result.missing, Result.details, Result.computed_at)
        .where(Result.appraisal_id == aid).order_by(Result.name)).all()
    events = [(e[0], e[1], None, "pegawai", *e[4:8], _own_targets(e[8]), *e[9:]) if e[3] == employee else tuple(e)
              for e in events]
    raw_events = [(re.sub(r'"set_by_id": ?\d+', '"set_by_id": null', e[0]), *e[1:]) for e in raw_events]
    checkpoint = session.execute(
        text(f"SELECT seq, key_id, updated_at{cast}, length(signature) FROM audit_checkpoint WHERE stream = :s"),
        {"s": f"appraisal:{aid}"}).one()
    return {"appraisal": tuple(a), "raw": tuple(raw), "events": [tuple(e) for e in events],
            "raw_events": [tuple(e) for e in raw_events], "results": [tuple(r) for r in results],
            "checkpoint": tuple(checkpoint)}


def test_the_driver_path_stores_exactly_what_plain_sqlalchemy_stores(session, org, national, monkeypatch):
    ids = _launch(session, org, national)
    assert writer._STATEMENTS is writer._DriverStatements
    _drive_to_the_end(session, org, ids["ani"], "ani")
    monkeypatch.setattr(writer, "_STATEMENTS", writer._CoreStatements)
    _drive_to_the_end(session, org, ids["budi"], "budi")
    session.expire_all()

    fast, reference = _stored(session, ids["ani"], "ani"), _stored(session, ids["budi"], "budi")
    assert fast["appraisal"][0] == "closed" and fast["appraisal"][1] > 8
    assert fast["appraisal"] == reference["appraisal"]
    assert fast["raw"] == reference["raw"]
    assert fast["events"] == reference["events"] and len(fast["events"]) >= 10
    assert fast["raw_events"] == reference["raw_events"]
    assert fast["results"] == reference["results"] and fast["results"]
    # Both moved the appraisal's signed checkpoint to the new head, in the same transaction.
    assert fast["checkpoint"] == reference["checkpoint"] and fast["checkpoint"][0] == fast["appraisal"][7]
    # The deadline at the end of the period (state 'monitor') and saved payloads came through too.
    assert fast["appraisal"][6]["penilaian"]["perilaku"]
    assert verify_chain(session).ok


def test_the_outcome_names_the_new_version_and_the_stored_event(session, org, national):
    ids = _launch(session, org, national)
    set_skp(session, ids["ani"], org.actor("ani"), SKP)
    before = session.get(Appraisal, ids["ani"]).version
    outcome = fire_transition(session, ids["ani"], "submit_plan", org.actor("ani"))
    event = session.get(AuditEvent, outcome.event_id)
    assert (outcome.from_state, outcome.to_state, outcome.role, outcome.version) == ("plan", "plan_review", "pegawai",
                                                                                     before + 1)
    head = session.get(Appraisal, ids["ani"]).audit_seq
    assert (event.trigger, event.appraisal_id, event.seq) == ("submit_plan", ids["ani"], head)


def test_a_change_between_the_read_and_the_write_is_a_conflict_and_writes_nothing(db_url, session, org, national,
                                                                                    monkeypatch):
    ids = _launch(session, org, national)
    aid = ids["ani"]
    set_skp(session, aid, org.actor("ani"), SKP)
    before = session.get(Appraisal, aid)
    version, seq = before.version, before.audit_seq
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    session.commit()
    other = create_engine(db_url, **engine_options(db_url))
    sqlite = db_url.startswith("sqlite")
    blocked: list[bool] = []
    real_compiled_by_id = firing.compiled_by_id

    def someone_else_writes(*args):
        # Runs after the appraisal was read: another connection bumps its version.
        with other.connect() as conn:
            if not sqlite:
                conn.execute(text("SET lock_timeout = '200ms'"))
            try:
                conn.execute(text("UPDATE appraisal SET version = version + 1 WHERE id = :id"), {"id": aid})
                conn.commit()
            except Exception as exc:  # PostgreSQL: the read locked the row, so the writer has to wait
                assert "lock" in str(exc).lower()
                blocked.append(True)
        return real_compiled_by_id(*args)

    monkeypatch.setattr(firing, "compiled_by_id", someone_else_writes)
    try:
        if sqlite:
            with pytest.raises(Conflict, match="changed by someone else"):
                fire_transition(session, aid, "submit_plan", org.actor("ani"))
        else:
            fire_transition(session, aid, "submit_plan", org.actor("ani"))
    finally:
        other.dispose()
    session.expire_all()
    after = session.get(Appraisal, aid)
    if sqlite:
        assert (after.state, after.version, after.audit_seq) == ("plan", version + 1, seq)
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
    else:
        assert blocked == [True]
        assert (after.state, after.version, after.audit_seq) == ("plan_review", version + 1, seq + 1)
    assert verify_chain(session).ok


def test_a_failing_statement_rolls_the_whole_firing_back(session, org, national):
    ids = _launch(session, org, national)
    aid = ids["ani"]
    set_skp(session, aid, org.actor("ani"), SKP)
    a = session.get(Appraisal, aid)
    state, version, seq = a.state, a.version, a.audit_seq
    # An event already sits where the next one would go: the INSERT fails after the UPDATE ran.
    session.add(AuditEvent(stream=f"appraisal:{aid}", seq=seq + 1, occurred_at=START, kind="note", actor_name="x",
                           appraisal_id=aid, payload={}, results={}, prev_hash="", hash=""))
    session.commit()
    # The database's refusal reaches the caller as a clash (409, nothing saved), not as a bare database error.
    with pytest.raises(Clash) as clash:
        fire_transition(session, aid, "submit_plan", org.actor("ani"))
    assert isinstance(clash.value.__cause__, IntegrityError)
    session.expire_all()
    after = session.get(Appraisal, aid)
    assert (after.state, after.version, after.audit_seq) == (state, version, seq)
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.appraisal_id == aid, AuditEvent.trigger == "submit_plan")) == 0
    # The session is usable again: the next firing, once the stray event is gone, goes through.
    session.execute(text("DELETE FROM audit_event WHERE kind = 'note'"))
    session.commit()
    assert fire_transition(session, aid, "submit_plan", org.actor("ani")).to_state == "plan_review"


@pytest.mark.parametrize("statements", ["_DriverStatements", "_CoreStatements"])
def test_a_move_from_a_version_no_longer_there_writes_neither_row(session, org, national, statements):
    ids = _launch(session, org, national)
    aid = ids["ani"]
    a = session.get(Appraisal, aid)
    version, seq, head = a.version, a.audit_seq, a.audit_head
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    session.commit()
    move = {"a_id": aid, "seen_version": version - 1, "state": "plan_review", "new_version": version,
            "entered_at": START, "state_entries": {"plan_review": START.isoformat()}, "due_at": None, "data": {},
            "audit_seq": seq + 1, "audit_head": "f" * 64, "updated_at": START}
    event = {"stream": f"appraisal:{aid}", "seq": seq + 1, "occurred_at": START, "kind": "transition",
             "actor_user_id": None, "actor_name": "ani", "role": "pegawai", "appraisal_id": aid,
             "employee_id": org.people["ani"].id, "unit_id": org.bidang.id, "trigger": "submit_plan",
             "from_state": "plan", "to_state": "plan_review", "payload": {}, "results": {}, "prev_hash": head,
             "hash": "f" * 64, "key_id": "k1"}
    checkpoint = {"stream": f"appraisal:{aid}", "appraisal_id": aid, "seq": seq + 1, "hash": "f" * 64,
                  "key_id": "k1", "signature": "f" * 64, "updated_at": START}
    with pytest.raises(StaleDataError), getattr(writer, statements)(session.connection()) as run:
        run.move_and_record(move, event, checkpoint)
    session.rollback()
    after = session.get(Appraisal, aid)
    assert (after.state, after.version, after.audit_seq) == ("plan", version, seq)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert session.get(AuditCheckpoint, f"appraisal:{aid}").seq == seq
