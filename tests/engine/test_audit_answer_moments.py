"""When a named 360 answer was given is held to the event that recorded it: the appraised employee reads each
named answer with its moment, so a moment rewritten in the database (an answer made to look given before the
rating, or after the employee's objection) is named, in the agency's time on the HR page and in UTC in the log.
Within the slack of a unit of work it is the same moment; an anonymous window's answers show no moment and are
not judged by it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from engine.appraisals import fire_transition
from engine.feedback import give_feedback
from engine.models import Appraisal, FeedbackResponse
from engine.moments import utc
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.factories import national_source
from tests.support.forgery import forge, verified
from tests.support.states import drive
from web.messages import finding_text

NAMED = ("    anonymous: false\n",
         "    anonymous: false\n    questions:\n      - {id: kinerja, label: Kinerja bulan ini, scale: 4}\n")


def _appraisal(session, org, source: str, name: str) -> int:
    record = publish_source(session, source, name, org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    return session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                     Appraisal.employee_id == org.people["ani"].id))


def _answered(session, org) -> tuple[int, int]:
    aid = _appraisal(session, org, national_source().replace("version: 1", "version: 7", 1).replace(*NAMED, 1),
                     "bernama.yaml")
    drive(session, org, aid, "ani", "monitor")
    give_feedback(session, aid, org.actor("kabid"), "umpan_balik_penilai", {"kinerja": 1}, "Perlu banyak perbaikan")
    assert verified(session) == (True, [])
    return aid, session.scalar(select(FeedbackResponse.id).where(FeedbackResponse.appraisal_id == aid))


def _given_at(session, row_id: int, when: datetime) -> None:
    forge(session, update(FeedbackResponse.__table__).where(FeedbackResponse.id == row_id).values(created_at=when))


def test_a_named_answers_rewritten_moment_is_named_in_words(session, org):
    aid, row = _answered(session, org)
    _given_at(session, row, datetime(2026, 3, 2, 3, 4, 5))
    ok, problems = verified(session)
    assert not ok and len(problems) == 1, problems
    [problem] = problems
    assert problem.startswith(f"appraisal #{aid}: 360 answer #{row} of 'umpan_balik_penilai' by ")
    assert " was given at 2026-03-02T03:04:05+00:00 but the chain says 20" in problem
    shown = {lang: finding_text(problem, lang) for lang in ("id", "en")}
    kabid = org.people["kabid"]
    assert (f"jawaban 360 #{row} pada 'Umpan balik berkelanjutan' dari {kabid.name} (NIP {kabid.nip}) diberikan "
            "pada 2 Mar 2026, 10.04 WIB, tetapi menurut rantai ") in shown["id"]
    assert (f"360 answer #{row} of 'Continuous feedback' by {kabid.name} (NIP {kabid.nip}) was given at "
            "2 Mar 2026, 10.04 WIB but the chain says ") in shown["en"]
    assert "+00:00" not in shown["id"] + shown["en"] and "WIB" in shown["id"].split("menurut rantai ", 1)[1]


def test_a_named_answers_moment_within_the_slack_of_its_event_is_not_named(session, org):
    aid, row = _answered(session, org)
    given = session.scalar(select(FeedbackResponse.created_at).where(FeedbackResponse.id == row))
    _given_at(session, row, utc(given) + timedelta(seconds=30))
    assert verified(session) == (True, [])
    _given_at(session, row, utc(given) + timedelta(seconds=90))
    assert not verified(session)[0]


def test_a_replaced_answer_holds_the_replacing_events_moment(session, org):
    aid, row = _answered(session, org)
    first = session.scalar(select(FeedbackResponse.created_at).where(FeedbackResponse.id == row))
    give_feedback(session, aid, org.actor("kabid"), "umpan_balik_penilai", {"kinerja": 3}, "Sudah membaik",
                  now=utc(first) + timedelta(days=3))
    assert verified(session) == (True, [])
    _given_at(session, row, utc(first))  # backdated to the first answer's moment
    ok, problems = verified(session)
    assert not ok and len(problems) == 1 and " was given at " in problems[0], problems


def test_an_anonymous_answers_moment_is_not_judged(session, org):
    cycle = Path(__file__).resolve().parents[1] / "data" / "cycles" / "uji-360.yaml"
    aid = _appraisal(session, org, cycle.read_text(encoding="utf-8"), "uji-360.yaml")
    fire_transition(session, aid, "start", org.actor("kabid"))
    give_feedback(session, aid, org.actor("budi"), "rekan_360",
                  {v: 3 for v in ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif",
                                  "kolaboratif")})
    assert verified(session) == (True, [])
    row = session.scalar(select(FeedbackResponse.id).where(FeedbackResponse.appraisal_id == aid))
    _given_at(session, row, datetime(2026, 3, 2, 3, 4, 5))
    assert verified(session) == (True, [])
