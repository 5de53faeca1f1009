"""One appraisal in the API says what happens next, as the page does: who may take each step (roles and
names), whether the caller may, what is still missing, the deadline and the comment addressed to the caller."""

from __future__ import annotations

from engine.appraisals import fire_transition
from tests.support.states import drive


def test_the_api_names_the_next_step_its_people_and_what_is_missing(client, token, run, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    body = client.get(f"/api/v1/appraisals/{appraisal_id}", headers=token("kabid")).json
    steps = body["next_steps"]
    assert [s["trigger"] for s in steps["steps"]] == ["submit_plan"]
    submit = steps["steps"][0]
    assert submit["roles"] == ["pegawai"] and submit["people"] == [["Ani Lestari"]] and not submit["mine"]
    assert submit["irreversible"] is False
    assert [(m["kind"], m["roles"]) for m in steps["missing"]] == [("skp", ["pegawai"])]
    assert steps["deadline"]["then"] == "remind"


def test_the_api_gives_the_employee_the_raters_comment_on_a_returned_plan(client, token, run, appraisal_of,
                                                                           session, org):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "plan_review")
    fire_transition(session, appraisal_id, "return_plan", org.actor("kabid"), {"komentar": "Tambah satu IKI."})
    steps = client.get(f"/api/v1/appraisals/{appraisal_id}", headers=token("ani")).json["next_steps"]
    assert steps["comment"]["text"] == "Tambah satu IKI." and steps["comment"]["author"] == "Hendra Wijaya"
    assert steps["steps"][0]["mine"] is True


def test_the_final_appeal_decision_is_marked_irreversible(client, token, run, appraisal_of, session, org):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "appeal")
    steps = client.get(f"/api/v1/appraisals/{appraisal_id}", headers=token("kadis")).json["next_steps"]["steps"]
    decide = next(s for s in steps if s["trigger"] == "decide_appeal")
    assert decide["irreversible"] is True and decide["mine"] is True
