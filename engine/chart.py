"""Recording the org chart in the system chain, so ``siklus audit verify`` proves it (engine.chart_verify).

Every change Siklus makes to units and employees ends with an event whose ``payload["chart"]`` holds the chart's
fingerprint before and after: an import of the organisation (engine.orgimport, through :func:`chart_record`) and
the setting up of a database outside it (the demos, a test's fixtures: :func:`seed_chart`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit import SYSTEM_STREAM, EventInfo, append_system_event
from engine.audit.writer import EVENTS
from engine.chart_verify import KINDS, chart_fingerprint, recorded_chart, sign_in_digest
from engine.db import hold_key
from engine.models import User
from engine.permissions import Actor
from engine.public_verify import MARK, recording_mark

#: Accounts one ``chart_seed`` event records at most (see :func:`seed_chart`).
SEED_ACCOUNTS = 1000

# The space of PostgreSQL's transaction-level advisory lock held while the chart changes ("SKCH").
CHART_LOCK = 0x534B_4348


def lock_chart(session: Session) -> None:
    """Hold the chart for the rest of the session's transaction, so two imports at once run one after the
    other: each reads the chart the previous one committed, and records the fingerprints of what it really
    changed. On SQLite the write lock (engine.db.begin_write) already does this."""
    hold_key(session, CHART_LOCK, "chart")


def last_recorded(session: Session) -> str | None:
    """The chart fingerprint the system chain's last chart event left (its ``after``); None when none records
    one (a database set up before charts were recorded)."""
    rows = session.execute(select(EVENTS.c.payload)
                           .where(EVENTS.c.stream == SYSTEM_STREAM, EVENTS.c.kind.in_(sorted(KINDS)))
                           .order_by(EVENTS.c.seq.desc()).execution_options(yield_per=50))
    for (payload,) in rows:
        recorded = recorded_chart(payload)
        if recorded is not None:
            return recorded[1]
    return None


def public_mark(session: Session) -> dict[str, Any]:
    """What a chart event adds to its payload: the mark of where recording of the public's survey answers begins
    (engine.public_verify), while no chart event has recorded one yet; nothing after."""
    rows = session.execute(select(EVENTS.c.payload)
                           .where(EVENTS.c.stream == SYSTEM_STREAM, EVENTS.c.kind.in_(sorted(KINDS)))
                           .order_by(EVENTS.c.seq).execution_options(yield_per=50))
    if any(isinstance(payload, dict) and MARK in payload for (payload,) in rows):
        return {}
    return {MARK: recording_mark(session)}


def chart_record(before: str | None, after: str) -> dict[str, str]:
    """The ``chart`` entry of an event that moved the chart from ``before`` (None: never recorded) to ``after``."""
    return {"before": before or "", "after": after}


def seed_chart(session: Session, *, actor: Actor | None = None, now: datetime | None = None) -> None:
    """Record the chart as it stands after units and employees were written outside
    :func:`engine.orgimport.import_org` (a demo, a test's fixtures): ``chart_seed`` events saying, for the accounts
    made alongside, which employee each login acts as (``links``), whether it may sign in and with what (``active``:
    ``[id, 1 or 0, sign_in_digest]``) and by what name it is shown (``names``: ``[id, display name]``), which
    ``siklus audit verify`` holds to them as it holds an account made by engine.users.create_user. For databases
    set up by a script; people change the chart by import.

    The accounts are recorded :data:`SEED_ACCOUNTS` to an event (``part``: ``[k, n]`` when there are several), so
    no event grows with the organisation: a page showing the log, or a check reading one event, reads a bounded
    amount whatever the number of accounts. The last event carries the chart (``before``: the last recorded chart)
    and the first the mark of where recording of the public's answers begins, each where its reader (newest
    first for the chart, oldest first for the mark) finds it first. ``now`` dates the events (the clock's moment by
    default; a demo sets up before the past it launches). Flushes; does not commit."""
    who = actor or Actor.system()
    session.flush()
    chart = chart_record(last_recorded(session), chart_fingerprint(session))
    mark = public_mark(session)
    accounts = session.execute(select(User.id, User.employee_id, User.is_active, User.username, User.password_hash,
                                      User.display_name).order_by(User.id)).all()
    parts = [accounts[start:start + SEED_ACCOUNTS] for start in range(0, len(accounts), SEED_ACCOUNTS)] or [[]]
    for number, part in enumerate(parts, 1):
        payload: dict[str, Any] = {
            "links": [[a.id, a.employee_id] for a in part if a.employee_id is not None],
            "active": [[a.id, 1 if a.is_active else 0, sign_in_digest(a.username, a.password_hash or "")]
                       for a in part],
            "names": [[a.id, a.display_name or ""] for a in part]}
        if len(parts) > 1:
            payload["part"] = [number, len(parts)]
        if number == 1:
            payload.update(mark)
        if number == len(parts):
            payload["chart"] = chart
        append_system_event(session, EventInfo(kind="chart_seed", actor_user_id=who.user_id, actor_name=who.username,
                                               role="sdm", payload=payload), occurred_at=now)


__all__ = ["CHART_LOCK", "SEED_ACCOUNTS", "chart_record", "last_recorded", "lock_chart", "public_mark", "seed_chart"]
