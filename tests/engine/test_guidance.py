"""Guidance on an appraisal: what happens next, who must do it, by when, what is still missing, and the
comment addressed to the person, read off the cycle definition for the page, the document and the API."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.detail import appraisal_detail, irreversible
from engine.models import Appraisal
from engine.runs import find_unit, launch
from tests.support.states import SKP, drive


@pytest.fixture
def ani(session, org, national) -> Appraisal:
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    return session.scalars(select(Appraisal).where(
        Appraisal.run_id == run.id, Appraisal.employee_id == org.people["ani"].id)).one()


def _guidance(session, org, appraisal_id: int, who: str):
    guidance = appraisal_detail(session, org.actor(who), appraisal_id).next_steps
    assert guidance is not None
    return guidance


def test_a_fresh_plan_says_the_employee_submits_it_and_that_the_skp_has_no_iki_yet(session, org, ani):
    guidance = _guidance(session, org, ani.id, "ani")
    step = guidance.steps[0]
    assert step.trigger == "submit_plan" and step.mine and step.role_labels[0].id == "Pegawai"
    assert step.people == (("Ani Lestari",),)
    assert [c.id for c in step.conditions] == ["SKP harus memuat paling sedikit satu IKI."]
    assert [(m.kind, m.roles) for m in guidance.missing] == [("skp", ("pegawai",))]
    assert guidance.deadline is not None and guidance.deadline.then == "remind"
    # The rater reads the same step, but it is not theirs to take.
    assert not _guidance(session, org, ani.id, "kabid").steps[0].mine


def test_a_submitted_plan_waits_for_the_rater_named_with_the_escalation_deadline(session, org, ani):
    drive(session, org, ani.id, "ani", "plan_review")
    guidance = _guidance(session, org, ani.id, "ani")
    assert {s.trigger for s in guidance.steps} == {"return_plan", "approve_plan"}
    assert all(s.people == (("Hendra Wijaya",),) and not s.mine for s in guidance.steps)
    returning = next(s for s in guidance.steps if s.trigger == "return_plan")
    assert returning.asks == ("Komentar untuk pegawai",)
    assert guidance.deadline is not None and guidance.deadline.then == "escalate"
    assert guidance.missing == ()


def test_monitoring_names_each_iki_without_realisation_and_who_records_it(session, org, ani):
    drive(session, org, ani.id, "ani", "plan_review")
    fire_transition(session, ani.id, "return_plan", org.actor("kabid"), {"komentar": "Tambah IKI kedua."})
    set_skp(session, ani.id, org.actor("ani"), [{**SKP[0], "weight": 60},
                                                {"key": "iki_2", "label": "Laporan tepat waktu", "target": 12,
                                                 "weight": 40, "aspect": "waktu"}])
    fire_transition(session, ani.id, "submit_plan", org.actor("ani"))
    fire_transition(session, ani.id, "approve_plan", org.actor("kabid"))
    record_realisation(session, ani.id, org.actor("ani"), "iki_1", 90)
    guidance = _guidance(session, org, ani.id, "kabid")
    missing = [(m.kind, m.position, m.label.id, m.roles) for m in guidance.missing]
    assert missing == [("realisation", 2, "Laporan tepat waktu", ("pegawai",))]
    # The deadline at the end of the period closes monitoring by itself.
    closing = next(s for s in guidance.steps if s.trigger == "close_monitoring")
    assert closing.automatic and guidance.deadline is not None and guidance.deadline.trigger == "close_monitoring"


def test_a_returned_plan_shows_the_raters_comment_to_the_employee_not_to_the_rater(session, org, ani):
    drive(session, org, ani.id, "ani", "plan_review")
    fire_transition(session, ani.id, "return_plan", org.actor("kabid"), {"komentar": "Tambahkan satuan waktu."})
    comment = _guidance(session, org, ani.id, "ani").comment
    assert comment is not None and comment.text == "Tambahkan satuan waktu." and comment.author == "Hendra Wijaya"
    assert comment.role_label is not None and comment.role_label.id == "Pejabat Penilai Kinerja"
    assert _guidance(session, org, ani.id, "kabid").comment is None  # their own words are not news to them


def test_an_appeal_reaches_the_reviewer_at_the_top_and_the_decision_reaches_the_employee(session, org, ani):
    drive(session, org, ani.id, "ani", "appeal")
    comment = _guidance(session, org, ani.id, "kadis").comment
    assert comment is not None and comment.text == "Realisasi belum lengkap dihitung."
    drive_decision = {"keputusan": "tetap", "pertimbangan": "Rating sudah sesuai bukti."}
    fire_transition(session, ani.id, "decide_appeal", org.actor("kadis"), drive_decision)
    comment = _guidance(session, org, ani.id, "ani").comment
    assert comment is not None and comment.text == "Rating sudah sesuai bukti."


def test_a_final_appeal_decision_and_closing_the_cycle_cannot_be_taken_back_but_a_rating_can(national, session,
                                                                                                 org, ani):
    defn = appraisal_detail(session, org.actor("ani"), ani.id).defn
    by_trigger = {t.trigger: t for t in defn.transitions}
    assert irreversible(defn, by_trigger["decide_appeal"])
    assert irreversible(defn, by_trigger["complete_development"])
    assert irreversible(defn, by_trigger["appeal"])  # an appeal filed cannot be withdrawn
    assert not irreversible(defn, by_trigger["rate"])  # the reviewer may return it
    assert not irreversible(defn, by_trigger["submit_plan"])


def test_a_closed_cycle_has_no_next_step(session, org, ani):
    drive(session, org, ani.id, "ani", "closed")
    guidance = _guidance(session, org, ani.id, "ani")
    assert guidance.final and guidance.steps == () and guidance.missing == ()
