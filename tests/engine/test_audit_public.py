"""The public's survey answers are proven by the system chain. They make a unit's IKM, which cycles read into
their employees' results (``unit.ikm``, and the public's scores in a 360); nobody signs in to answer, so no
person's chain held them, and an answer inserted, rewritten, moved or deleted in the database moved those
results while verify said intact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, text, update

from engine.citizen_models import Complaint
from engine.models import AuditEvent, FeedbackResponse
from engine.public_feedback import ROLE, WINDOW, submit_public_feedback, survey, unit_ikm
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


def test_answers_given_before_answers_were_recorded_are_not_judged(session, org):
    """A database from before this release: its answers have no events; those given since are held to theirs."""
    forge(session, insert(FeedbackResponse.__table__).values(
        unit_id=org.bidang.id, appraisal_id=None, window=WINDOW, role=ROLE, answers=_answers(3), comment="",
        respondent_key="dulu", created_at=MARCH - timedelta(days=30), legacy_key=False))
    _answered(session, org)
    assert verified(session) == (True, [])


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
