"""Deadlines are rows swept by `siklus tick`: each passed deadline is handled once, whoever runs tick."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from engine import deadlines
from engine.appraisals import fire_transition
from engine.audit import verify_chain
from engine.deadlines import RETRY_FIRST, failed_deadlines, retry_pause, tick
from engine.models import Appraisal, AuditEvent, DeadlineFailure, utcnow
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.factories import national_source
from tests.support.states import drive


def _deadline_events(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "deadline"))



def _two_ticks_at_once(db_engine, now, *, batch: int) -> list:
    """Two hosts running ``tick`` at the same moment, each on its own session; their reports."""
    reports, errors = [], []

    def run() -> None:
        s = sessionmaker(db_engine, expire_on_commit=False)()
        try:
            reports.append(tick(s, now=now, batch=batch))
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    return reports

def test_a_passed_planning_deadline_reminds_once_not_once_per_run(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    count = session.scalar(select(func.count()).select_from(Appraisal))
    later = utcnow() + timedelta(days=31)
    first = tick(session, now=later)
    assert first.reminded == count
    again = tick(session, now=later + timedelta(hours=1))
    assert again.handled == 0
    assert _deadline_events(session) == count


def test_nothing_happens_before_the_deadline(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    assert tick(session, now=utcnow() + timedelta(days=29)).handled == 0


def test_the_appeal_window_closing_fires_accept_rating(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "rated")
    report = tick(session, now=utcnow() + timedelta(days=15))
    assert report.fired == 1
    session.expire_all()
    a = session.get(Appraisal, aid)
    assert a.state == "develop"
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid)
                            .order_by(AuditEvent.seq.desc())).first()
    assert (event.trigger, event.actor_name, event.role) == ("accept_rating", "system", "system")


def test_two_ticks_at_once_handle_each_deadline_once(db_engine, session, org, national):
    launch(session, national, find_unit(session, "PEMDA"), "2026", org.actor("admin"))
    count = session.scalar(select(func.count()).select_from(Appraisal))
    later = utcnow() + timedelta(days=31)
    reports = _two_ticks_at_once(db_engine, later, batch=2)
    assert sum(r.reminded for r in reports) == count
    session.expire_all()
    assert _deadline_events(session) == count


# -- exactly once: the claim and the fire commit together; a failed fire is kept and retried --------

ACCEPT_RATING = """  - trigger: accept_rating
    label: {id: Terima hasil penilaian, en: Accept the rating}
    source: rated
    dest: develop
    roles: [pegawai]
"""


def _cycle_with_a_guarded_appeal_window(session, org):
    """The national cycle whose automatic acceptance waits until the rating has been issued 20 days."""
    guarded = ACCEPT_RATING + """    guards:
      - expr: days_in_state >= 20
        message: {id: Hasil penilaian belum 20 hari diterima pegawai., en: The rating has not been issued for 20 days.}
"""
    source = national_source()
    assert ACCEPT_RATING in source
    return publish_source(session, source.replace(ACCEPT_RATING, guarded), "guarded.yaml", org.actor("admin"))


def _rated(session, org, definition, who: str = "ani") -> int:
    launch(session, definition, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people[who].id)).one()
    drive(session, org, aid, who, "rated")
    return aid


def _acceptances(session, aid: int) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.appraisal_id == aid, AuditEvent.kind == "transition", AuditEvent.trigger == "accept_rating"))


def test_a_crash_between_claim_and_fire_is_fired_by_the_next_tick(session, org, national, monkeypatch):
    aid = _rated(session, org, national)
    later = utcnow() + timedelta(days=15)

    def the_process_dies(*args, **kwargs):
        raise KeyboardInterrupt  # the host goes down in the middle of the fire

    monkeypatch.setattr(deadlines, "fire_transition", the_process_dies)
    with pytest.raises(KeyboardInterrupt):
        tick(session, now=later)
    monkeypatch.undo()
    session.expire_all()
    waiting = session.get(Appraisal, aid)
    assert (waiting.state, waiting.overdue_handled_at) == ("rated", None)

    report = tick(session, now=later + timedelta(minutes=1))
    assert (report.fired, report.failed) == (1, [])
    session.expire_all()
    assert session.get(Appraisal, aid).state == "develop"
    assert _acceptances(session, aid) == 1
    assert tick(session, now=later + timedelta(minutes=2)).handled == 0


def test_an_unexpected_error_in_a_fire_is_kept_for_hr_and_retried(session, org, national, monkeypatch):
    aid = _rated(session, org, national)
    later = utcnow() + timedelta(days=15)
    real_fire = deadlines.fire_transition

    def broken(*args, **kwargs):
        raise RuntimeError("mail server unreachable")

    monkeypatch.setattr(deadlines, "fire_transition", broken)
    first = tick(session, now=later)
    assert first.fired == 0 and "RuntimeError: mail server unreachable" in first.failed[0]
    [listed] = failed_deadlines(session)
    assert (listed.appraisal_id, listed.state, listed.trigger, listed.attempts) == (aid, "rated", "accept_rating", 1)
    assert listed.error == "RuntimeError: mail server unreachable" and listed.last_tried_at == later

    monkeypatch.setattr(deadlines, "fire_transition", real_fire)
    assert tick(session, now=later + timedelta(minutes=5)).handled == 0, "the pause before a retry is kept"
    retried = tick(session, now=later + RETRY_FIRST)
    assert retried.fired == 1
    session.expire_all()
    assert session.get(Appraisal, aid).state == "develop"
    assert failed_deadlines(session) == []
    assert _acceptances(session, aid) == 1


def test_a_guard_refused_fire_is_listed_for_hr_and_fired_once_the_guard_passes(session, org):
    aid = _rated(session, org, _cycle_with_a_guarded_appeal_window(session, org))
    later = utcnow() + timedelta(days=15)

    refused = tick(session, now=later)
    assert refused.fired == 0 and "20 days" in refused.failed[0]
    [listed] = failed_deadlines(session)
    assert listed.appraisal_id == aid and listed.error_text["id"].endswith("belum 20 hari diterima pegawai.")
    assert listed.next_try_at == later + RETRY_FIRST

    again = tick(session, now=later + RETRY_FIRST)
    assert again.fired == 0 and len(again.failed) == 1
    [listed] = failed_deadlines(session)
    assert listed.attempts == 2 and listed.next_try_at == later + 3 * RETRY_FIRST
    failures_logged = session.scalars(select(AuditEvent).where(
        AuditEvent.appraisal_id == aid, AuditEvent.kind == "deadline")).all()
    assert [e.payload["action"] for e in failures_logged] == ["fire"], "one audit event per distinct failure"

    fired = tick(session, now=utcnow() + timedelta(days=21))
    assert fired.fired == 1
    session.expire_all()
    assert session.get(Appraisal, aid).state == "develop"
    assert failed_deadlines(session) == []
    assert verify_chain(session).ok


def test_a_failure_is_forgotten_when_the_appraisal_moves_on_by_hand(session, org):
    aid = _rated(session, org, _cycle_with_a_guarded_appeal_window(session, org))
    # The last moment of the appeal window, which is also when the automatic acceptance is due.
    later = datetime.fromisoformat(session.get(Appraisal, aid).state_entries["rated"]) + timedelta(days=14)
    tick(session, now=later)
    assert len(failed_deadlines(session)) == 1
    fire_transition(session, aid, "appeal", org.actor("ani"), {"alasan": "Realisasi belum lengkap dihitung."},
                    now=later)
    assert failed_deadlines(session) == []
    assert tick(session, now=later + timedelta(days=1)).handled == 0
    assert session.scalar(select(func.count()).select_from(DeadlineFailure)) == 0


def test_retries_wait_longer_each_time_but_at_most_a_day():
    assert [retry_pause(n) for n in (1, 2, 3)] == [RETRY_FIRST, 2 * RETRY_FIRST, 4 * RETRY_FIRST]
    assert retry_pause(40) == timedelta(days=1)


def test_two_ticks_at_once_fire_each_deadline_once(db_engine, session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ids = []
    for who in ("ani", "budi"):
        aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people[who].id)).one()
        drive(session, org, aid, who, "rated")
        ids.append(aid)
    later = utcnow() + timedelta(days=15)
    reports = _two_ticks_at_once(db_engine, later, batch=1)
    # A tick that found the database busy leaves the deadline due for the next one; none is fired twice.
    follow_up = tick(session, now=later + timedelta(minutes=1))
    assert sum(r.fired for r in reports) + follow_up.fired == len(ids)
    assert all(not r.failed for r in [*reports, follow_up])
    session.expire_all()
    assert [_acceptances(session, aid) for aid in ids] == [1, 1]
    assert {session.get(Appraisal, aid).state for aid in ids} == {"develop"}


def test_one_tick_reaches_every_passed_deadline_however_small_its_batches(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "rated")
    count = session.scalar(select(func.count()).select_from(Appraisal))
    report = tick(session, now=utcnow() + timedelta(days=31), batch=1)
    assert (report.reminded, report.fired) == (count - 1, 1)


HOST_DIES_MID_FIRE = """
import os, sys
from datetime import datetime
from sqlalchemy.orm import sessionmaker
from engine.appraisals import firing
from engine.db import make_engine
from engine.deadlines import tick

def die(*args, **kwargs):
    os._exit(9)  # the state has moved and the event is written, but nothing is committed yet

firing.store_results = die
session = sessionmaker(make_engine(sys.argv[1]), expire_on_commit=False)()
tick(session, now=datetime.fromisoformat(sys.argv[2]))
"""


def test_a_host_killed_in_the_middle_of_a_fire_leaves_it_for_the_next_tick(db_url, session, org, national):
    aid = _rated(session, org, national)
    later = utcnow() + timedelta(days=15)
    session.close()
    died = subprocess.run([sys.executable, "-c", HOST_DIES_MID_FIRE, db_url, later.isoformat()],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120)
    assert died.returncode == 9, died.stderr
    waiting = session.get(Appraisal, aid)
    assert (waiting.state, waiting.overdue_handled_at) == ("rated", None)

    assert tick(session, now=later + timedelta(minutes=1)).fired == 1
    session.expire_all()
    assert session.get(Appraisal, aid).state == "develop" and _acceptances(session, aid) == 1
    assert verify_chain(session).ok


def test_a_deadline_marked_handled_or_unmarked_in_the_database_is_named(session, org, national):
    """The sweep passes by a deadline marked handled: marked in the database, the rating it would have accepted
    (or the reminder it would have sent) never comes, and verify said intact. The mark is now replayed from the
    chain's deadline events."""
    from sqlalchemy import update

    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani, budi = (session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people[k].id)).one()
                 for k in ("ani", "budi"))
    session.commit()
    with session.bind.begin() as conn:  # below Siklus, as someone with the database's password would
        conn.execute(update(Appraisal.__table__).where(Appraisal.id == ani).values(overdue_handled_at=utcnow()))
    report = verify_chain(session)
    assert not report.ok
    assert [p for p in report.problems if "marked handled" in p] == [
        next(p for p in report.problems if p.startswith(f"appraisal #{ani}") and "marked handled" in p)]
    tick(session, now=utcnow() + timedelta(days=31))  # the others are reminded, ani's is passed by
    assert session.get(Appraisal, budi).overdue_handled_at is not None
    with session.bind.begin() as conn:
        conn.execute(update(Appraisal.__table__).where(Appraisal.id == ani).values(overdue_handled_at=None))
        conn.execute(update(Appraisal.__table__).where(Appraisal.id == budi).values(overdue_handled_at=None))
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok
    unmarked = [p for p in report.problems if "mark is gone" in p]
    assert len(unmarked) == 1 and unmarked[0].startswith(f"appraisal #{budi}")
    assert tick(session, now=utcnow() + timedelta(days=32)).reminded == 2  # ani's at last, and budi's again
