"""Deadlines are rows swept by `siklus tick`: each passed deadline is handled once, whoever runs tick."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from engine.deadlines import tick
from engine.models import Appraisal, AuditEvent, utcnow
from engine.runs import find_unit, launch
from tests.support.states import drive


def _deadline_events(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "deadline"))


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
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid).order_by(AuditEvent.seq.desc())).first()
    assert (event.trigger, event.actor_name, event.role) == ("accept_rating", "system", "system")


def test_two_ticks_at_once_handle_each_deadline_once(db_engine, session, org, national):
    launch(session, national, find_unit(session, "PEMDA"), "2026", org.actor("admin"))
    count = session.scalar(select(func.count()).select_from(Appraisal))
    later = utcnow() + timedelta(days=31)
    reports = []
    errors = []

    def run() -> None:
        s = sessionmaker(db_engine, expire_on_commit=False)()
        try:
            reports.append(tick(s, now=later, batch=2))
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
    assert sum(r.reminded for r in reports) == count
    session.expire_all()
    assert _deadline_events(session) == count
