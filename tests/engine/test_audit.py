"""The audit log is a tamper-evident chain: any edit, insertion or removal is found and named."""

from __future__ import annotations

from sqlalchemy import select, text, update

from engine.audit import verify_chain
from engine.models import Appraisal, AuditEvent
from engine.runs import find_unit, launch
from tests.support.states import drive


def _story(session, org, national) -> int:
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "review")
    return aid


def test_an_untouched_log_verifies(session, org, national):
    _story(session, org, national)
    report = verify_chain(session)
    assert report.ok and report.events >= 7 and report.streams >= 2


def test_an_edited_payload_is_named(session, org, national):
    aid = _story(session, org, national)
    target = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid, AuditEvent.trigger == "rate")).one()
    with session.bind.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(payload={"perilaku": "all above"}))
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok
    assert f"event #{target.id}" in report.broken and "no longer matches its hash" in report.broken


def test_a_removed_last_event_is_found(session, org, national):
    aid = _story(session, org, national)
    last = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid).order_by(AuditEvent.seq.desc())).first()
    with session.bind.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": last.id})
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok and f"appraisal:{aid}" in report.broken and "removed" in report.broken


def test_a_removed_middle_event_is_found(session, org, national):
    aid = _story(session, org, national)
    second = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid, AuditEvent.seq == 2)).one()
    with session.bind.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": second.id})
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok and "expected seq 2" in report.broken


def test_each_event_records_who_as_which_role_and_the_results(session, org, national):
    aid = _story(session, org, national)
    rate = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid, AuditEvent.trigger == "rate")).one()
    assert (rate.actor_name, rate.role, rate.from_state, rate.to_state) == ("kabid", "penilai", "rate", "review")
    assert set(rate.results) >= {"rating_hasil_kerja", "rating_perilaku", "predikat"}
    assert rate.payload["perilaku"]["loyal"] == "Sesuai Ekspektasi"
