"""Who answered a 360 is proven too. In a named window the appraised employee reads each answer with its
respondent's name; the name came from a column nothing held, so an answer could be laid at a colleague's door in
the database while verify said intact. An anonymous window's answers name no one, and verify never tells whether a
name written onto one is its real respondent's."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from engine.appraisals import fire_transition
from engine.feedback import feedback_summaries, give_feedback
from engine.models import Appraisal, FeedbackResponse
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.factories import national_source
from tests.support.forgery import forge, verified
from tests.support.states import drive
from web.messages import finding_text

NAMED = ("    anonymous: false\n",
         "    anonymous: false\n    questions:\n      - {id: kinerja, label: Kinerja bulan ini, scale: 4}\n")
ALTERED = ("feedback answer(s) of {window} recorded in the chain are not stored as recorded: their scores, comment, "
           "respondent role or the person named as answering were changed, or the answer deleted, outside Siklus")


def _appraisal(session, org, source: str, name: str) -> int:
    record = publish_source(session, source, name, org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    return session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                     Appraisal.employee_id == org.people["ani"].id))


def _name_on(session, appraisal_id: int, user_id: int) -> None:
    forge(session, update(FeedbackResponse.__table__).where(FeedbackResponse.appraisal_id == appraisal_id)
          .values(respondent_user_id=user_id))


def test_a_named_answer_laid_at_another_colleagues_door_is_named(session, org):
    appraisal_id = _appraisal(session, org, national_source().replace("version: 1", "version: 7", 1)
                              .replace(*NAMED, 1), "bernama.yaml")
    drive(session, org, appraisal_id, "ani", "monitor")
    give_feedback(session, appraisal_id, org.actor("kabid"), "umpan_balik_penilai", {"kinerja": 1},
                  "Perlu banyak perbaikan")
    assert verified(session) == (True, [])
    _name_on(session, appraisal_id, org.users["budi"].id)
    # ani now reads her supervisor's harsh answer as her colleague budi's...
    [summary] = [s for s in feedback_summaries(session, session.get(Appraisal, appraisal_id)) if s.named]
    assert summary.named[0].respondent == org.users["budi"].display_name
    # ... and verify names it, in both languages.
    ok, problems = verified(session)
    assert not ok and len(problems) == 1
    assert problems[0].endswith("1 " + ALTERED.format(window="umpan_balik_penilai")), problems
    assert "siapa yang disebut menjawab" in finding_text(problems[0], "id")
    _name_on(session, appraisal_id, org.users["kabid"].id)  # put back: proven again
    assert verified(session) == (True, [])


@pytest.mark.parametrize("who", ["budi", "kabid"])
def test_a_name_written_onto_an_anonymous_answer_is_named_whoever_it_names(session, org, who):
    """Whether the name is the real respondent's (budi) or not, verify says the same: it is no oracle for guesses."""
    cycle = Path(__file__).resolve().parents[1] / "data" / "cycles" / "uji-360.yaml"
    appraisal_id = _appraisal(session, org, cycle.read_text(encoding="utf-8"), "uji-360.yaml")
    fire_transition(session, appraisal_id, "start", org.actor("kabid"))
    give_feedback(session, appraisal_id, org.actor("budi"), "rekan_360",
                  {v: 3 for v in ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif",
                                  "kolaboratif")})
    assert verified(session) == (True, [])
    _name_on(session, appraisal_id, org.users[who].id)
    ok, problems = verified(session)
    assert not ok and len(problems) == 1 and problems[0].endswith("1 " + ALTERED.format(window="rekan_360"))
