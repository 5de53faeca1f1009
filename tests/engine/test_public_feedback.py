"""Public service feedback (IKM): storing answers, refusing bad ones, the rate limit, and the unit's IKM
feeding the indicators of the unit's staff through the input path ``unit.ikm``."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.appraisals import fire_transition
from engine.errors import InvalidInput, NotFound, RateLimited, WaitingForInputs
from engine.keys import keyring
from engine.models import Appraisal, FeedbackResponse, Result
from engine.public_feedback import ROLE, WINDOW, device_key, submit_public_feedback, survey, unit_ikm
from engine.registry import publish_source
from engine.runs import find_unit, launch, period_bounds
from engine.validation import validate_source

# The survey's element keys U1-U9, as the IKM rule declares its elements.
ELEMENT_KEYS = survey().keys

CYCLE = Path(__file__).parents[1] / "data" / "cycles" / "ikm-unit.yaml"
MARCH = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def answers(*values: int) -> dict[str, int]:
    values = values if len(values) == 9 else values * 9
    return dict(zip(ELEMENT_KEYS, values, strict=True))


def count(session) -> int:
    return session.scalar(select(func.count(FeedbackResponse.id)))


def test_a_valid_answer_is_stored_for_the_unit_without_naming_anyone(session, org):
    stored = submit_public_feedback(session, "bidang", answers(4, 3, 4, 3, 4, 3, 4, 3, 2), "  Antrean panjang.  ",
                                    "203.0.113.5|Firefox", now=MARCH)
    row = session.scalars(select(FeedbackResponse)).one()
    assert row.id == stored.id and row.unit_id == org.bidang.id and row.appraisal_id is None
    assert (row.window, row.role) == (WINDOW, ROLE) == ("ikm", "masyarakat")
    assert row.answers == {"U1": 4, "U2": 3, "U3": 4, "U4": 3, "U5": 4, "U6": 3, "U7": 4, "U8": 3, "U9": 2}
    assert row.comment == "Antrean panjang."
    assert row.respondent_user_id is None
    assert "203.0.113.5" not in row.respondent_key and len(row.respondent_key) == 64
    # Keyed with the server's respondent secret: the hash of what was passed alone does not give it.
    assert row.respondent_key != hashlib.sha256(b"public:203.0.113.5|Firefox").hexdigest()
    assert row.respondent_key == keyring().respondent_key("public", "203.0.113.5|Firefox")


def test_answers_sent_as_form_text_are_accepted(session, org):
    submit_public_feedback(session, "dinas", {k: "2" for k in ELEMENT_KEYS}, "", "k", now=MARCH)
    assert session.scalars(select(FeedbackResponse.answers)).one() == answers(2)


def test_an_unknown_link_is_not_found(session, org):
    with pytest.raises(NotFound, match="tidak-ada"):
        submit_public_feedback(session, "tidak-ada", answers(4), "", "k", now=MARCH)
    assert count(session) == 0


def test_a_missing_and_an_out_of_range_element_are_named(session, org):
    given = answers(4)
    del given["U3"]
    given["U7"] = 5
    with pytest.raises(InvalidInput) as caught:
        submit_public_feedback(session, "bidang", given, "", "k", now=MARCH)
    assert caught.value.details["errors"] == {"U3": "missing", "U7": "range"}
    assert "U3 (completion time) has no answer" in caught.value.message
    assert "U7 (staff conduct) must be answered with a whole number from 1 to 4" in caught.value.message
    assert count(session) == 0


@pytest.mark.parametrize("bad", [0, True, 2.5, "empat", -1])
def test_answers_other_than_one_to_four_are_refused(session, org, bad):
    with pytest.raises(InvalidInput) as caught:
        submit_public_feedback(session, "bidang", {**answers(3), "U1": bad}, "", "k", now=MARCH)
    assert caught.value.details["errors"] == {"U1": "range"}


def test_an_element_outside_the_nine_is_refused(session, org):
    with pytest.raises(InvalidInput, match="'U10' is not an IKM element"):
        submit_public_feedback(session, "bidang", {**answers(3), "U10": 4}, "", "k", now=MARCH)


def test_an_overlong_complaint_is_refused(session, org):
    with pytest.raises(InvalidInput) as caught:
        submit_public_feedback(session, "bidang", answers(3), "x" * 2001, "k", now=MARCH)
    assert caught.value.details["errors"] == {"complaint": "too-long"}
    assert count(session) == 0


def test_the_same_client_is_limited_per_unit_and_per_day(session, org):
    for minute in range(3):
        submit_public_feedback(session, "bidang", answers(3), "", "k1", now=MARCH + timedelta(minutes=minute))
    with pytest.raises(RateLimited, match="already sent 3 answers for Bidang Pelayanan"):
        submit_public_feedback(session, "bidang", answers(3), "", "k1", now=MARCH + timedelta(minutes=5))
    # Another client, another unit, or the next day are not limited.
    submit_public_feedback(session, "bidang", answers(3), "", "k2", now=MARCH + timedelta(minutes=6))
    submit_public_feedback(session, "dinas", answers(3), "", "k1", now=MARCH + timedelta(minutes=7))
    submit_public_feedback(session, "bidang", answers(3), "", "k1", now=MARCH + timedelta(days=1, minutes=1))
    assert count(session) == 6


def test_a_device_sending_at_once_is_limited_as_one_sending_in_turn(session, org, fresh_session):
    """Eight answers from one device at the same moment: each counted what the device sent before storing its
    own, so on PostgreSQL all eight counted none and were stored, past the limit of three."""
    sessions = [fresh_session() for _ in range(8)]
    start = threading.Barrier(len(sessions))
    outcomes: list[str] = []

    def send(own) -> None:
        start.wait()
        try:
            submit_public_feedback(own, "bidang", answers(3), "", "serentak", now=MARCH)
            outcomes.append("stored")
        except RateLimited:
            outcomes.append("limited")

    threads = [threading.Thread(target=send, args=(own,)) for own in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["limited"] * 5 + ["stored"] * 3
    assert count(session) == 3


def test_the_limit_is_configurable(session, org):
    submit_public_feedback(session, "bidang", answers(3), "", "k", now=MARCH, limit=1, within=timedelta(hours=1))
    with pytest.raises(RateLimited):
        submit_public_feedback(session, "bidang", answers(3), "", "k", now=MARCH + timedelta(minutes=59), limit=1,
                               within=timedelta(hours=1))
    submit_public_feedback(session, "bidang", answers(3), "", "k", now=MARCH + timedelta(minutes=61), limit=1,
                           within=timedelta(hours=1))


def test_the_device_key_tells_devices_apart_and_does_not_reset_at_midnight():
    key = device_key("203.0.113.5", "Firefox")
    assert key == device_key("203.0.113.5", "Firefox")
    assert key != device_key("203.0.113.5", "Chrome")
    assert key != device_key("203.0.113.6", "Firefox")


def test_a_window_longer_than_a_day_still_counts_yesterdays_answers(session, org):
    week = timedelta(days=7)
    for day in range(2):
        submit_public_feedback(session, "bidang", answers(3), "", device_key("203.0.113.5", "Firefox"),
                               now=MARCH + timedelta(days=day), limit=2, within=week)
    with pytest.raises(RateLimited):
        submit_public_feedback(session, "bidang", answers(3), "", device_key("203.0.113.5", "Firefox"),
                               now=MARCH + timedelta(days=3), limit=2, within=week)


def test_unit_ikm_follows_the_regulation_over_the_period_only(session, org):
    submit_public_feedback(session, "bidang", answers(4), "", "a", now=MARCH)
    submit_public_feedback(session, "bidang", answers(3), "", "b", now=MARCH)
    submit_public_feedback(session, "bidang", answers(1), "", "c", now=datetime(2025, 6, 1, tzinfo=UTC))
    submit_public_feedback(session, "dinas", answers(1), "", "d", now=MARCH)
    start, end = period_bounds("annual", "2026")
    result = unit_ikm(session, org.bidang.id, start, end)
    # Mean answer 3.5 on every element: IKM 87.50, grade B (76.61-88.30), Baik.
    assert (result.respondents, result.ikm, result.grade, result.performance) == (2, 87.5, "B", "Baik")
    assert result.element_means == (3.5,) * 9
    assert "IKM dari 2 responden" in result.explanation["id"]


def test_unit_ikm_without_answers_waits(session, org):
    start, end = period_bounds("annual", "2026")
    result = unit_ikm(session, org.bidang.id, start, end)
    assert (result.respondents, result.ikm, result.grade) == (0, None, None)
    assert "paling sedikit 1 responden" in result.explanation["id"]


def test_the_ikm_cycle_validates():
    assert validate_source(CYCLE.read_text(encoding="utf-8"), str(CYCLE)) == []


def test_public_answers_feed_the_staff_indicator_through_unit_ikm(session, org):
    record = publish_source(session, CYCLE.read_text(encoding="utf-8"), CYCLE.name, org.actor("hr"))
    launch(session, record, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
    submit_public_feedback(session, "bidang", answers(4), "", "a", now=MARCH)
    submit_public_feedback(session, "bidang", answers(3), "", "b", now=MARCH)
    submit_public_feedback(session, "dinas", answers(1), "", "c", now=MARCH)  # another unit: not counted
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    outcome = fire_transition(session, aid, "tutup", org.actor("kabid"), {})
    assert outcome.results["rating_hasil_kerja"]["value"] == "Sesuai Ekspektasi"
    stored = dict(session.execute(select(Result.name, Result.value).where(Result.appraisal_id == aid)).all())
    # IKM 87.5 (mean answer 3.5) against a target of 80: 87.5 / 80 = 109.375%, shown to two decimals.
    assert stored["iki.kepuasan_masyarakat"] == 109.38
    explanation = session.scalars(select(Result.explanation).where(
        Result.appraisal_id == aid, Result.name == "iki.kepuasan_masyarakat")).one()
    assert "87,5" in explanation["id"]


def test_without_public_answers_the_rating_waits_for_the_indicator(session, org):
    record = publish_source(session, CYCLE.read_text(encoding="utf-8"), CYCLE.name, org.actor("hr"))
    launch(session, record, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    with pytest.raises(WaitingForInputs, match="kepuasan_masyarakat"):
        fire_transition(session, aid, "tutup", org.actor("kabid"), {})
    assert session.scalars(select(Appraisal.state).where(Appraisal.id == aid)).one() == "pantau"
