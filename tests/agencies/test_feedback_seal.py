"""Each 360 answer is sealed in its appraisal's chain. The subordinates of a leader answer anonymously, so the
chain cannot say what they answered; it used to prove only how many answered. A score, comment or respondent role
rewritten in the database moved the leader's behaviour rating at the next ``rate`` while verify said intact. Now
every answer's event carries a seal of what it stores, which no one can fit to guessed answers, and verify names a
window whose answers no longer carry their seals."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from engine.appraisals.firing import fire_transition
from engine.feedback import give_feedback
from engine.models import AuditEvent, FeedbackResponse
from tests.agencies.conftest import VALUES, Agency, build_agency, publish_and_launch
from tests.agencies.test_upward_review import HR, PEOPLE, UNITS
from tests.support.forgery import forge, verified
from web.messages import finding_text

WINDOW = "umpan_balik_pimpinan"


@pytest.fixture
def answered(session) -> tuple[Agency, int]:
    """kabid's three direct reports answered the anonymous window (2, 3 and 4 on every value)."""
    agency = build_agency(session, UNITS, PEOPLE, HR)
    publish_and_launch(session, agency, "umpan-balik-pimpinan.yaml", "DINAS_CONTOH")
    kabid = agency.appraisal_ids["kabid"]
    fire_transition(session, kabid, "open_feedback", agency.actor("kadis"))
    for staff, score in (("staf1", 2), ("staf2", 3), ("staf3", 4)):
        give_feedback(session, kabid, agency.actor(staff), WINDOW, {v: score for v in VALUES})
    return agency, kabid


def _forge(session, row_id: int, **values) -> None:
    forge(session, update(FeedbackResponse.__table__).where(FeedbackResponse.id == row_id).values(**values))


def _rows(session, appraisal_id: int) -> list[FeedbackResponse]:
    return list(session.scalars(select(FeedbackResponse).where(FeedbackResponse.appraisal_id == appraisal_id)
                                .order_by(FeedbackResponse.id)))


def test_anonymous_answers_verify_and_their_events_still_say_nothing_of_who_or_what(session, answered):
    agency, kabid = answered
    assert verified(session) == (True, [])
    events = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == kabid,
                                                      AuditEvent.kind == "feedback")).all()
    assert len(events) == 3
    for event in events:
        assert event.actor_user_id is None and event.role is None
        assert set(event.payload) == {"window", "replaced", "seal", "replaces"} and len(event.payload["seal"]) == 32
    # Three different answers, three different seals: none of them reads as a score.
    assert len({e.payload["seal"] for e in events}) == 3


def test_an_anonymous_score_role_or_comment_rewritten_in_the_database_is_named(session, answered):
    agency, kabid = answered
    low, middle, high = _rows(session, kabid)
    original = dict(low.answers)
    _forge(session, low.id, answers={v: 4 for v in VALUES})
    ok, problems = verified(session)
    assert not ok
    assert len(problems) == 1 and problems[0].endswith(
        f"1 feedback answer(s) of {WINDOW} recorded in the chain are not stored as recorded: their scores, comment, "
        "respondent role or the person named as answering were changed, or the answer deleted, outside Siklus"
    ), problems
    assert f"#{kabid}" in problems[0]
    assert "jawaban umpan balik umpan_balik_pimpinan yang dicatat rantai tidak tersimpan seperti dicatat" in \
        finding_text(problems[0], "id")

    _forge(session, low.id, answers=original)  # put back: proven again
    assert verified(session) == (True, [])
    _forge(session, middle.id, role="rekan")  # a subordinate's answer counted as a peer's weighs otherwise
    _forge(session, high.id, comment="Pimpinan sangat baik")
    ok, problems = verified(session)
    assert not ok and len(problems) == 1 and "2 feedback answer(s)" in problems[0]


def test_an_answer_changed_in_the_database_and_then_replaced_by_its_respondent_is_named(session, answered):
    agency, kabid = answered
    low = _rows(session, kabid)[0]
    _forge(session, low.id, answers={v: 4 for v in VALUES})
    give_feedback(session, kabid, agency.actor("staf1"), WINDOW, {v: 3 for v in VALUES})  # the respondent answers again
    ok, problems = verified(session)
    assert not ok
    assert any(f"replaces a feedback answer of {WINDOW} that had been changed outside Siklus" in p for p in problems)


def test_a_respondent_replacing_their_own_answer_stays_proven(session, answered):
    agency, kabid = answered
    give_feedback(session, kabid, agency.actor("staf1"), WINDOW, {v: 3 for v in VALUES})
    give_feedback(session, kabid, agency.actor("staf1"), WINDOW, {v: 1 for v in VALUES}, "Perlu lebih hadir")
    assert len(_rows(session, kabid)) == 3
    assert verified(session) == (True, [])
