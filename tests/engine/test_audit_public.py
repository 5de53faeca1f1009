"""The public's survey answers are proven by the system chain. They make a unit's IKM, which cycles read into
their employees' results (``unit.ikm``, and the public's scores in a 360); nobody signs in to answer, so no
person's chain held them, and an answer inserted, rewritten, moved or deleted in the database moved those
results while verify said intact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from engine.citizen_models import Complaint
from engine.models import AuditEvent, FeedbackResponse
from engine.public_feedback import ROLE, WINDOW, submit_public_feedback, survey, unit_ikm
from tests.support.factories import record_chart
from tests.support.forgery import forge, verified
from web.messages import finding_text

MARCH = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
YEAR = (datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 59, 59))


def _answers(score: int) -> dict[str, int]:
    return {key: score for key in survey().keys}


def _answered(session, org) -> list[int]:
    """Three residents answered about BIDANG in March (2, 3, 2), one with a complaint and a profile."""
    return [submit_public_feedback(session, "bidang", _answers(score), complaint, f"warga-{n}", now=MARCH,
                                   profile=profile).id
            for n, (score, complaint, profile) in enumerate(((2, "", None), (3, "Antrean panjang", None),
                                                            (2, "", {"usia": "30_39"})))]


def test_public_answers_are_recorded_without_what_was_answered_and_verify(session, org):
    ids = _answered(session, org)
    events = session.scalars(select(AuditEvent).where(AuditEvent.kind == "public_answer")
                             .order_by(AuditEvent.seq)).all()
    assert [(e.payload["response"], e.unit_id, e.actor_user_id) for e in events] == [
        (i, org.bidang.id, None) for i in ids]
    for event in events:
        assert set(event.payload) == {"response", "unit", "seal"} and len(event.payload["seal"]) == 16
    assert verified(session) == (True, [])


def test_a_public_answer_rewritten_moved_or_inserted_in_the_database_is_named(session, org):
    ids = _answered(session, org)
    complaint = session.scalar(select(Complaint.id).where(Complaint.response_id == ids[1]))
    before = unit_ikm(session, org.bidang.id, *YEAR).ikm
    forge(session, update(FeedbackResponse.__table__).where(FeedbackResponse.id == ids[0])
           .values(answers=_answers(4)))
    forge(session, update(FeedbackResponse.__table__).where(FeedbackResponse.id == ids[1])
           .values(created_at=datetime(2025, 3, 2, 9, 30)))  # out of the year it was given in
    for n in range(5):
        forge(session, insert(FeedbackResponse.__table__).values(
            unit_id=org.bidang.id, appraisal_id=None, window=WINDOW, role=ROLE, answers=_answers(4), comment="",
            respondent_key=f"palsu-{n}", created_at=datetime(2026, 4, 1), legacy_key=False))
    # The forgery moves the unit's index, which cycles read into results...
    assert unit_ikm(session, org.bidang.id, *YEAR).ikm > before
    ok, problems = verified(session)
    assert not ok
    # ... and verify names each kind of it, per unit, in both languages.
    assert problems == [
        "unit BIDANG: 2 public survey answer(s) differ from the seal the system chain recorded; their scores, "
        "complaint, profile, unit or moment were changed outside Siklus",
        "unit BIDANG: 5 public survey answer(s) were never recorded in the system chain; they were written outside "
        "Siklus",
        # The moved answer carried a complaint, whose arrival no longer matches the answer's moment.
        f"complaint #{complaint} differs from what the system chain recorded in when it was received (not the "
        "moment of the survey answer it came with); it was changed outside Siklus: the database has it received at "
        "2026-03-02T09:30:00+00:00, but the survey answer it came with was given at 2025-03-02T09:30:00+00:00. Ask "
        "the Siklus administrator to restore what was changed, the complaint or its survey answer (a finding on the "
        "unit's survey answers says when it was the answer), and find out who changed the database."], problems
    assert finding_text(problems[0], "id").startswith("unit BIDANG: 2 jawaban survei masyarakat berbeda dari segel")


def test_a_public_answer_moved_to_another_unit_or_deleted_is_named(session, org):
    ids = _answered(session, org)
    forge(session, update(FeedbackResponse.__table__).where(FeedbackResponse.id == ids[2])
           .values(unit_id=org.dinas.id))
    forge(session, delete(FeedbackResponse.__table__).where(FeedbackResponse.id == ids[0]))
    ok, problems = verified(session)
    assert not ok
    assert problems == [
        "unit DINAS: 1 public survey answer(s) differ from the seal the system chain recorded; their scores, "
        "complaint, profile, unit or moment were changed outside Siklus",
        f"1 public survey answer(s) recorded in the system chain are gone (the first #{ids[0]}); they were deleted "
        "outside Siklus"], problems


@pytest.fixture
def older_org(request, monkeypatch):
    """The organisation of a database set up by a release whose chart events did not mark where recording of
    public answers began."""
    monkeypatch.setattr("engine.chart.public_mark", lambda session: {})
    org = request.getfixturevalue("org")
    monkeypatch.undo()
    return org


def _written(session, org, score: int, key: str, **values) -> None:
    """An answer written into the database, not through the survey."""
    forge(session, insert(FeedbackResponse.__table__).values(
        unit_id=org.bidang.id, appraisal_id=None, window=WINDOW, role=ROLE, answers=_answers(score), comment="",
        respondent_key=key, created_at=MARCH - timedelta(days=30), legacy_key=False, **values))


def test_answers_given_before_answers_were_recorded_are_not_judged(session, older_org):
    """A database from before this release: its answers have no events; those given since are held to theirs."""
    _written(session, older_org, 3, "dulu")
    _answered(session, older_org)
    assert verified(session) == (True, [])


def test_the_first_chart_event_of_this_release_proves_the_answers_from_before(session, older_org):
    """Upgraded, the next import (or setup) marks where recording began: the answers from before are counted and
    sealed as a whole, and one of them changed, added or deleted since is named."""
    _written(session, older_org, 3, "dulu-1")
    _written(session, older_org, 2, "dulu-2")
    ids = _answered(session, older_org)
    record_chart(session)  # the upgrade's first import of the organisation
    mark = session.scalars(select(AuditEvent.payload).where(AuditEvent.kind == "chart_seed")
                           .order_by(AuditEvent.seq.desc())).first()["public"]
    assert (mark["below"], mark["count"]) == (ids[-1], 2)  # the two answers no event recorded
    assert verified(session) == (True, [])
    legacy = session.scalar(select(func.min(FeedbackResponse.id)))
    forge(session, update(FeedbackResponse.__table__).where(FeedbackResponse.id == legacy)
          .values(answers=_answers(4)))
    ok, problems = verified(session)
    assert problems == [
        f"the public survey answers from before answers were recorded one by one (#1 to #{ids[-1]}) are no longer "
        "those counted when recording began: 2 now, 2 then; some were changed, added or deleted outside Siklus. "
        "Compare them with a database backup from before recording began"], problems
    assert finding_text(problems[0], "id").startswith("jawaban survei masyarakat dari sebelum jawaban dicatat")
    forge(session, delete(FeedbackResponse.__table__).where(FeedbackResponse.id == legacy))
    assert "1 now, 2 then" in verified(session)[1][0]


def test_in_a_database_set_up_by_this_release_every_answer_is_judged(session, org):
    """Units, and so answers, exist only after the setup's chart event, which marks that none came before: an
    answer written in the database is named though no answer was ever recorded, and a later import does not move
    the mark."""
    _written(session, org, 4, "palsu")
    record_chart(session)
    assert verified(session) == (False, [
        "unit BIDANG: 1 public survey answer(s) were never recorded in the system chain; they were written outside "
        "Siklus"])
    # One written below the first recorded answer is named too.
    first = _answered(session, org)[0]
    forge(session, delete(FeedbackResponse.__table__).where(FeedbackResponse.respondent_key == "palsu"))
    assert first > 1
    _written(session, org, 4, "palsu-bawah", id=first - 1)
    assert verified(session)[1] == [
        "unit BIDANG: 1 public survey answer(s) were never recorded in the system chain; they were written outside "
        "Siklus"]


def test_an_answer_moved_out_of_the_survey_or_given_an_id_no_answer_has_is_named(session, org):
    """Only answers of the survey's window and role make the IKM; a unit's answers of another window count in its
    people's 360. No answer Siklus stores has an id of 0 or below."""
    ids = _answered(session, org)
    forge(session, update(FeedbackResponse.__table__).where(FeedbackResponse.id == ids[0]).values(role="x"))
    forge(session, insert(FeedbackResponse.__table__).values(
        id=0, unit_id=org.bidang.id, appraisal_id=None, window=WINDOW, role=ROLE, answers=_answers(4), comment="",
        respondent_key="nol", created_at=datetime(2026, 4, 1), legacy_key=False))
    ok, problems = verified(session)
    assert not ok
    assert [p.split(" public survey")[0] for p in problems] == ["unit BIDANG: 1", "unit BIDANG: 1"], problems
    assert "differ from the seal" in problems[0] and "never recorded" in problems[1]


def test_ids_written_far_out_or_below_zero_leave_verification_working(session, org):
    """A row written with a huge id makes the next real answer's id huge too; an account or answer with a negative
    id must not be read as one counted from the end. Verify still runs, in memory that follows the rows."""
    from engine.models import User

    forge(session, insert(FeedbackResponse.__table__).values(
        id=2_000_000_000, unit_id=org.bidang.id, appraisal_id=None, window=WINDOW, role=ROLE, answers=_answers(4),
        comment="", respondent_key="jauh", created_at=datetime(2026, 4, 1), legacy_key=False))
    if session.bind.dialect.name == "postgresql":  # an explicit id does not move the sequence there; SQLite's max does
        forge(session, text("SELECT setval(pg_get_serial_sequence('feedback_response', 'id'), 2000000000)"))
    real = submit_public_feedback(session, "bidang", _answers(3), "", "warga-jauh", now=MARCH).id
    assert real > 2_000_000_000
    forge(session, delete(FeedbackResponse.__table__).where(FeedbackResponse.id == 2_000_000_000))
    forge(session, insert(User.__table__).values(id=-100000, username="hantu", display_name="Hantu",
                                                  password_hash="x", is_active=True, session_version=0))
    assert verified(session) == (True, [])


def test_a_units_hr_checks_the_publics_answers_about_their_units(session, org):
    """A unit's HR verifies their units' chains from the audit page; the answers that make their units' IKM, and
    so their people's results, are checked with them, and another unit's are left to its HR."""
    from engine.audit_search import verify_scope
    from engine.policy import HrScope

    def problems_of(*units) -> list[str]:
        session.commit()
        session.expire_all()
        return list(verify_scope(session, HrScope(False, tuple(u.id for u in units))).problems)

    ids = _answered(session, org)
    assert problems_of(org.bidang) == [] and problems_of(org.dinas) == []
    _written(session, org, 4, "palsu-bidang")
    forge(session, insert(FeedbackResponse.__table__).values(
        unit_id=org.dinas.id, appraisal_id=None, window=WINDOW, role=ROLE, answers=_answers(4), comment="",
        respondent_key="palsu-dinas", created_at=MARCH, legacy_key=False))
    unrecorded = ("unit {}: 1 public survey answer(s) were never recorded in the system chain; they were written "
                  "outside Siklus")
    assert problems_of(org.bidang) == [unrecorded.format("BIDANG")]
    assert problems_of(org.dinas) == [unrecorded.format("DINAS")]
    forge(session, delete(FeedbackResponse.__table__).where(FeedbackResponse.respondent_key.like("palsu%")))
    # An answer moved from BIDANG to DINAS leaves BIDANG's recorded answers short, and DINAS with one it never had.
    forge(session, update(FeedbackResponse.__table__).where(FeedbackResponse.id == ids[0])
          .values(unit_id=org.dinas.id))
    assert problems_of(org.bidang) == [
        f"1 public survey answer(s) the system chain recorded for these units now belong to another unit (the first "
        f"#{ids[0]}); they were moved outside Siklus"]
    assert problems_of(org.dinas) == [unrecorded.format("DINAS")]
