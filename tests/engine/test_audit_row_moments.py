"""When a result was computed and when a development activity was done are held to the events that recorded
them: a moment rewritten in the database (a result made to look computed after the appeal decision, a training
backdated into the period) is named, in the agency's time on the HR page and in UTC in the log."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from engine.appraisals import record_development
from engine.development.activities import complete_activity, enrol
from engine.development.models import TrainingCourse
from engine.models import Appraisal, AuditEvent, DevelopmentActivity, Result, utcnow
from engine.moments import utc
from engine.runs import find_unit, launch
from tests.engine.test_audit import _closed
from tests.support.forgery import forge, verified
from tests.support.states import drive
from web.messages import finding_text


def _of(problems: list[str], aid: int, words: str) -> list[str]:
    return [p for p in problems if p.startswith(f"appraisal #{aid}:") and words in p]


def _last_recorded(session, aid: int, name: str) -> datetime:
    """The moment of the last event that carried result ``name``."""
    events = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid)
                             .order_by(AuditEvent.seq.desc())).all()
    return next(e.occurred_at for e in events if name in (e.results or {}))


def test_a_result_computed_at_its_events_moment_verifies_and_a_rewritten_one_is_named(session, org, national):
    aid = _closed(session, org, national)
    assert verified(session) == (True, [])
    stored = session.scalar(select(Result.computed_at).where(Result.appraisal_id == aid,
                                                            Result.name == "predikat_akhir"))
    chained = _last_recorded(session, aid, "predikat_akhir")
    assert utc(stored) == utc(chained)  # the writer stores the moment of the event that carries it

    # Made to look computed after the appeal was decided (a day later).
    forge(session, update(Result).where(Result.appraisal_id == aid, Result.name == "predikat_akhir")
          .values(computed_at=utc(chained) + timedelta(days=1)))
    ok, problems = verified(session)
    assert not ok
    [problem] = _of(problems, aid, "result predikat_akhir was computed at")
    forged = utc(chained) + timedelta(days=1)
    assert problem.endswith(f"result predikat_akhir was computed at {forged:%Y-%m-%dT%H:%M:%S}+00:00"
                            f" but the chain says {utc(chained):%Y-%m-%dT%H:%M:%S}+00:00")
    shown = {lang: finding_text(problem, lang) for lang in ("id", "en")}
    assert "hasil predikat_akhir dihitung pada " in shown["id"] and " WIB, tetapi menurut rantai " in shown["id"]
    assert "+00:00" not in shown["id"] and "+00:00" not in shown["en"]
    # Only that result: the others still carry their own events' moments.
    assert [p for p in problems if "was computed at" in p] == [problem]


def test_a_result_moment_within_the_slack_of_its_event_is_not_named(session, org, national):
    """A row's moment and its event's are taken in one unit of work: an older writer took them apart."""
    aid = _closed(session, org, national)
    chained = _last_recorded(session, aid, "predikat")
    forge(session, update(Result).where(Result.appraisal_id == aid, Result.name == "predikat")
          .values(computed_at=utc(chained) + timedelta(milliseconds=300)))
    assert verified(session) == (True, [])


def _developing(session, org, national) -> int:
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "develop")
    return aid


def test_a_result_re_recorded_unchanged_holds_the_later_events_moment(session, org, national):
    """An edit recomputes what reads it and stores it anew, changed or not: the row then holds that event's moment,
    and the moment of the event that first computed it no longer."""
    aid = _developing(session, org, national)
    first = _last_recorded(session, aid, "rekomendasi_pelatihan")
    later = utcnow() + timedelta(hours=1)
    record_development(session, aid, org.actor("ani"), "Pelatihan pelayanan prima", 20, now=later)
    assert utc(_last_recorded(session, aid, "rekomendasi_pelatihan")) == utc(later)
    assert verified(session) == (True, [])
    forge(session, update(Result).where(Result.appraisal_id == aid, Result.name == "rekomendasi_pelatihan")
          .values(computed_at=utc(first)))
    ok, problems = verified(session)
    assert not ok and len(_of(problems, aid, "result rekomendasi_pelatihan was computed at")) == 1


def test_a_done_activity_holds_its_events_moment_and_a_backdated_one_is_named(session, org, national):
    aid = _developing(session, org, national)
    record_development(session, aid, org.actor("ani"), "Pelatihan pelayanan prima", 20, done=True)
    assert verified(session) == (True, [])
    row = session.scalars(select(DevelopmentActivity).where(DevelopmentActivity.appraisal_id == aid)).one()
    forge(session, update(DevelopmentActivity).where(DevelopmentActivity.id == row.id)
          .values(completed_at=datetime(2026, 3, 2, 3, 4, 5)))
    ok, problems = verified(session)
    assert not ok
    [problem] = _of(problems, aid, "time it was done")
    assert f"development activity #{row.id} 'Pelatihan pelayanan prima' time it was done is 2026-03-02T03:04:05+00:00" \
           " but the chain says 20" in problem
    shown = {lang: finding_text(problem, lang) for lang in ("id", "en")}
    assert "waktu selesai bernilai 2 Mar 2026, 10.04 WIB, tetapi menurut rantai " in shown["id"]
    assert "time it was done is 2 Mar 2026, 10.04 WIB but the chain says " in shown["en"]


def test_a_planned_activity_given_a_moment_done_and_a_done_one_without_are_named(session, org, national):
    aid = _developing(session, org, national)
    record_development(session, aid, org.actor("ani"), "Pelatihan pelayanan prima", 20, done=True)
    record_development(session, aid, org.actor("ani"), "Kursus menulis laporan", 8)
    done, planned = session.scalars(select(DevelopmentActivity.id).where(DevelopmentActivity.appraisal_id == aid)
                                    .order_by(DevelopmentActivity.id)).all()
    forge(session, update(DevelopmentActivity).where(DevelopmentActivity.id == done).values(completed_at=None),
          update(DevelopmentActivity).where(DevelopmentActivity.id == planned)
          .values(completed_at=datetime(2026, 3, 2, 3, 4, 5)))
    ok, problems = verified(session)
    assert not ok
    [emptied] = _of(problems, aid,
                    f"#{done} 'Pelatihan pelayanan prima' time it was done is nothing but the chain says")
    [given] = _of(problems, aid, f"#{planned} 'Kursus menulis laporan' time it was done is 2026-03-02T03:04:05+00:00"
                                 " but the chain says nothing")
    assert "waktu selesai bernilai tidak tercatat, tetapi menurut rantai " in finding_text(emptied, "id")
    assert len(_of(problems, aid, "time it was done")) == 2


def test_an_activity_completed_from_the_catalogue_holds_the_completing_events_moment(session, org, national):
    aid = _developing(session, org, national)
    session.add(TrainingCourse(code="prima", title="Pelayanan Prima", jp=16, kind="teknis",
                               certificate_required=False))
    session.commit()
    enrol(session, aid, org.actor("kabid"), "prima")
    activity = session.scalar(select(DevelopmentActivity.id).where(DevelopmentActivity.appraisal_id == aid))
    complete_activity(session, None, aid, activity, org.actor("ani"))  # type: ignore[arg-type]
    assert verified(session) == (True, [])
    done = session.scalar(select(DevelopmentActivity.completed_at).where(DevelopmentActivity.id == activity))
    last = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid)
                           .order_by(AuditEvent.seq.desc())).first()
    assert (last.payload or {}).get("action") == "complete" and utc(done) == utc(last.occurred_at)
    forge(session, update(DevelopmentActivity).where(DevelopmentActivity.id == activity)
          .values(completed_at=utc(done) - timedelta(days=40)))
    ok, problems = verified(session)
    assert not ok and len(_of(problems, aid, "time it was done")) == 1
