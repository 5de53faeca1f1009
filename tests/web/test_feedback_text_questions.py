"""Feedback windows take written answers beside scores (`kind: text`): stored, shown, never averaged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import InvalidInput
from engine.feedback import feedback_summaries, give_feedback
from engine.models import Appraisal, FeedbackResponse
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.factories import national_source
from tests.support.messages import said
from tests.support.states import drive

QUESTIONS = ("    anonymous: false\n",
             "    anonymous: false\n    questions:\n      - {id: kinerja, label: Kinerja bulan ini, scale: 4}\n"
             "      - {id: saran, label: {id: Saran untuk pegawai, en: Advice for the employee}, kind: text}\n")


@pytest.fixture
def written(session, org):
    source = national_source().replace("version: 1", "version: 7", 1).replace(*QUESTIONS, 1)
    record = publish_source(session, source, "tertulis.yaml", org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                             Appraisal.employee_id == org.people["ani"].id))
    drive(session, org, appraisal_id, "ani", "monitor")
    return appraisal_id


def test_the_rater_writes_advice_beside_the_score_and_the_employee_reads_it(session, org, written):
    give_feedback(session, written, org.actor("kabid"), "umpan_balik_penilai",
                  {"kinerja": 3, "saran": "  Percepat verifikasi berkas di loket.  "})
    stored = session.scalars(select(FeedbackResponse)).one()
    assert stored.answers == {"kinerja": 3, "saran": "Percepat verifikasi berkas di loket."}
    summary = feedback_summaries(session, session.get(Appraisal, written))[0]
    assert summary.named[0].answers["saran"] == "Percepat verifikasi berkas di loket."
    assert summary.means == {"kinerja": 3.0}  # only the score is averaged, never the words


def test_a_written_answer_must_be_text_of_a_comments_length(session, org, written):
    with pytest.raises(InvalidInput) as refused:
        give_feedback(session, written, org.actor("kabid"), "umpan_balik_penilai", {"kinerja": 3, "saran": 5})
    assert "'Advice for the employee' is answered in words" in said(refused.value)["en"]
    with pytest.raises(InvalidInput):
        give_feedback(session, written, org.actor("kabid"), "umpan_balik_penilai",
                      {"kinerja": 3, "saran": "x" * 4001})
    assert session.scalars(select(FeedbackResponse)).all() == []


def test_the_feedback_form_offers_a_text_box_for_a_written_question(login, written):
    page = login("kabid").get(f"/penilaian/{written}").get_data(as_text=True)
    assert '<textarea name="q-saran"' in page and 'name="q-kinerja" value="4"' in page


def test_an_anonymous_window_lists_written_answers_without_names(session, org):
    source = (national_source().replace("version: 1", "version: 8", 1)
              .replace("    anonymous: false\n", QUESTIONS[1].replace("anonymous: false", "anonymous: true"), 1)
              .replace("    roles: [penilai]\n    states: [monitor, rate]", "    roles: [penilai, atasan_penilai]\n"
                       "    states: [monitor, rate]", 1))
    record = publish_source(session, source, "anonim.yaml", org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                             Appraisal.employee_id == org.people["ani"].id))
    drive(session, org, appraisal_id, "ani", "monitor")
    give_feedback(session, appraisal_id, org.actor("kabid"), "umpan_balik_penilai", {"kinerja": 4, "saran": "Zaman"})
    give_feedback(session, appraisal_id, org.actor("kadis"), "umpan_balik_penilai", {"kinerja": 2, "saran": "Awal"})
    summary = feedback_summaries(session, session.get(Appraisal, appraisal_id))[0]
    assert summary.written == {"saran": ["Awal", "Zaman"]} and summary.named == []
    assert summary.means == {"kinerja": 3.0}
