"""A database set up by a script that launches a past period (a demo) dates its setting up where the script
says: the chart, the grants, the rater designation, the training catalogue and the publication of the cycle
stand in the system chain at that moment, before the launch they made possible, so HR reads them in order in
the audit log (/sdm/audit). Without a moment, each is dated by the clock, as every service is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from engine.audit import SYSTEM_STREAM, verify_chain
from engine.chart import seed_chart
from engine.development.catalogue import CourseInput, add_course
from engine.models import AuditEvent, CycleDefinitionRecord, utcnow
from engine.raters import designate_rater, designation_of
from engine.registry import publish_source
from engine.runs import find_unit, launch
from engine.users import seed_grant
from tests.support.factories import add_regent, national_source

SET_UP = datetime(2024, 3, 1, 8, tzinfo=UTC)


def _last_seq(session) -> int:
    return session.scalar(select(func.max(AuditEvent.seq)).where(AuditEvent.stream == SYSTEM_STREAM)) or 0


def _since(session, seq: int) -> list[tuple[str, datetime]]:
    return [(kind, at) for kind, at in session.execute(
        select(AuditEvent.kind, AuditEvent.occurred_at)
        .where(AuditEvent.stream == SYSTEM_STREAM, AuditEvent.seq > seq).order_by(AuditEvent.seq))]


def test_a_setup_dated_in_the_past_reads_before_the_launch_it_made_possible(session, org):
    add_regent(session, org)
    mark = _last_seq(session)
    admin, hr = org.actor("admin"), org.actor("hr_pemda")
    minute = timedelta(minutes=1)

    seed_chart(session, now=SET_UP)
    seed_grant(session, user_id=org.users["ani"].id, role="group:kalibrasi", unit_id=org.root.id,
               now=SET_UP + minute)
    session.commit()
    designation = designate_rater(session, hr, org.people["sekda"].id, "bupati", basis="SK Bupati 800/1/2024",
                                  now=SET_UP + 2 * minute)
    course = add_course(session, hr, CourseInput("prima", "Pelatihan Pelayanan Prima", 12, "teknis"),
                        now=SET_UP + 3 * minute)
    record = publish_source(session, national_source(), "permenpan-6-2022.yaml", admin, now=SET_UP + 4 * minute)
    launch(session, record, find_unit(session, "PEMDA"), "2024", admin, now=SET_UP + timedelta(days=1))

    assert _since(session, mark) == [
        ("chart_seed", SET_UP), ("role_grant", SET_UP + minute), ("rater_designate", SET_UP + 2 * minute),
        ("course_create", SET_UP + 3 * minute), ("publish", SET_UP + 4 * minute),
        ("launch", SET_UP + timedelta(days=1))]
    session.expire_all()
    stored = session.get(CycleDefinitionRecord, record.id)
    assert stored.published_at == stored.created_at == SET_UP + 4 * minute
    assert designation_of(session, org.people["sekda"].id).designated_at == designation.designated_at
    assert designation.designated_at == SET_UP + 2 * minute
    assert course.created_at == SET_UP + 3 * minute
    report = verify_chain(session)
    assert report.ok, report.problems[:5]


def test_without_a_moment_the_setup_is_dated_by_the_clock(session, org):
    add_regent(session, org)
    mark = _last_seq(session)
    before = utcnow()
    seed_chart(session)
    seed_grant(session, user_id=org.users["ani"].id, role="group:kalibrasi", unit_id=org.root.id)
    session.commit()
    designate_rater(session, org.actor("hr_pemda"), org.people["sekda"].id, "bupati", basis="SK Bupati 800/1/2026")
    add_course(session, org.actor("hr_pemda"), CourseInput("prima", "Pelatihan Pelayanan Prima", 12, "teknis"))
    record = publish_source(session, national_source(), "permenpan-6-2022.yaml", org.actor("admin"))
    after = utcnow()

    events = _since(session, mark)
    assert [kind for kind, _at in events] == [
        "chart_seed", "role_grant", "rater_designate", "course_create", "publish"]
    assert all(before <= at <= after for _kind, at in events)
    assert record.published_at is not None and before <= record.published_at <= after
