"""Cycle definitions and runs through the API: validate with line-numbered problems, upload, publish, launch."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.models import Appraisal, Employee
from tests.support.factories import national_source

BROKEN = national_source().replace("dest: plan_review", "dest: plan_reveiw", 1)


def test_validate_names_each_problem_with_its_line(client, token, logins):
    response = client.post("/api/v1/definitions/validate", headers=token("hr"),
                           json={"source": BROKEN, "filename": "dinas.yaml"})
    assert response.status_code == 200 and response.json["valid"] is False
    problem = response.json["problems"][0]
    line = next(n for n, text in enumerate(BROKEN.splitlines(), start=1) if "plan_reveiw" in text)
    assert problem["line"] == line and "plan_reveiw" in problem["message"]


def test_each_problem_carries_its_code_params_and_text_in_both_languages(client, token, logins):
    response = client.post("/api/v1/definitions/validate", headers=token("hr"),
                           json={"source": BROKEN, "filename": "dinas.yaml"})
    problem = next(p for p in response.json["problems"] if "plan_reveiw" in p["message"])
    assert problem["code"] == "cycle.unknown_name_hint"
    assert problem["params"]["name"] == "plan_reveiw" and problem["params"]["hint"] == "plan_review"
    assert problem["text"] == {"id": "Nama tahap «plan_reveiw» tidak dikenal (maksudnya «plan_review»?).",
                               "en": "Unknown state name 'plan_reveiw' (did you mean 'plan_review'?)."}
    refused = client.post("/api/v1/definitions", headers=token("hr"), json={"source": BROKEN})
    first = next(e for e in refused.json["errors"] if "plan_reveiw" in e["message"])
    assert first["code"] == "cycle.unknown_name_hint" and first["text"]["id"].startswith("Nama tahap «plan_reveiw»")


def test_an_invalid_upload_is_a_422_with_line_numbered_errors_and_stores_nothing(client, token, logins):
    response = client.post("/api/v1/definitions", headers=token("hr"), json={"source": BROKEN})
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert response.json["type"] == "urn:siklus:problem:invalid-definition"
    first = response.json["errors"][0]
    assert first["line"] > 1 and "did you mean 'plan_review'" in first["message"]
    assert client.get("/api/v1/definitions", headers=token("hr")).json["items"] == []


def test_upload_publish_and_launch(client, token, logins):
    hr = token("hr")
    draft = client.post("/api/v1/definitions", headers=hr, json={"source": national_source()})
    assert draft.status_code == 201 and draft.json["status"] == "draft"
    not_yet = client.post("/api/v1/runs", headers=hr,
                          json={"definition_id": draft.json["id"], "unit": "DINAS", "period": "2026"})
    assert not_yet.status_code == 422 and "only a published definition can be launched" in not_yet.json["detail"]
    published = client.post(f"/api/v1/definitions/{draft.json['id']}/publish", headers=hr)
    assert published.status_code == 200 and published.json["status"] == "published"
    run = client.post("/api/v1/runs", headers=hr,
                      json={"definition_id": draft.json["id"], "unit": "DINAS", "period": "2026"})
    assert run.status_code == 201 and run.json["appraisals"] == 4
    bad_period = client.post("/api/v1/runs", headers=hr,
                             json={"definition_id": draft.json["id"], "unit": "DINAS", "period": "2026-Q1"})
    assert bad_period.status_code == 422 and "write it like 2026" in bad_period.json["detail"]


def test_only_hr_of_the_unit_may_launch_and_only_hr_sees_definitions(client, token, logins, national):
    other = client.post("/api/v1/runs", headers=token("hr_lain"),
                        json={"definition_id": national.id, "unit": "DINAS", "period": "2026"})
    assert other.status_code == 403
    assert client.get("/api/v1/definitions", headers=token("ani")).status_code == 403
    assert client.post("/api/v1/definitions/validate", headers=token("ani"), json={"source": "x"}).status_code == 403


# -- one appraisal per employee per cycle and period; joiners, leavers, transferees -------------

def test_launching_a_sub_unit_of_a_launched_unit_is_refused_and_names_who_has_one(client, token, national, run):
    response = client.post("/api/v1/runs", headers=token("hr"),
                           json={"definition_id": national.id, "unit": "BIDANG", "period": "2026"})
    assert response.status_code == 422 and "nothing was launched" in response.json["detail"]
    assert sorted(s["name"] for s in response.json["skipped"]) == ["Ani Lestari", "Budi Santoso", "Hendra Wijaya"]
    assert {s["run_id"] for s in response.json["skipped"]} == {run.id}
    listed = client.get("/api/v1/appraisals?period=2026&limit=50", headers=token("hr")).json["items"]
    assert len(listed) == 4


def test_launching_the_parent_after_a_sub_unit_lists_the_skipped(client, token, national, logins):
    first = client.post("/api/v1/runs", headers=token("hr"),
                        json={"definition_id": national.id, "unit": "BIDANG", "period": "2026"})
    assert first.status_code == 201 and first.json["appraisals"] == 3 and first.json["skipped"] == []
    second = client.post("/api/v1/runs", headers=token("hr"),
                         json={"definition_id": national.id, "unit": "DINAS", "period": "2026"})
    assert second.status_code == 201 and second.json["appraisals"] == 1
    assert sorted((s["nip"], s["run_id"], s["state"]) for s in second.json["skipped"]) == sorted(
        (logins.people[k].nip, first.json["id"], "plan") for k in ("kabid", "ani", "budi"))


def _joiner(session, org):
    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis SDM Aparatur",
                   unit_id=org.bidang.id, supervisor_id=org.people["kabid"].id)
    session.add(eko)
    session.commit()
    return eko


def test_hr_adds_a_joiner_and_the_refusals_say_why(client, token, session, logins, run):
    eko = _joiner(session, logins)
    body = {"employee": eko.nip, "reason": "CPNS formasi 2025"}
    other = client.post(f"/api/v1/runs/{run.id}/appraisals", headers=token("hr_lain"), json=body)
    assert other.status_code == 403 and "not HR of DINAS" in other.json["detail"]
    added = client.post(f"/api/v1/runs/{run.id}/appraisals", headers=token("hr"), json=body)
    assert added.status_code == 201 and added.json["reopened"] is False
    assert (added.json["run_id"], added.json["state"], added.json["employee"]["nip"], added.json["closed"]) == (
        run.id, "plan", eko.nip, None)
    again = client.post(f"/api/v1/runs/{run.id}/appraisals", headers=token("hr"), json=body)
    assert again.status_code == 409 and again.json["appraisal_id"] == added.json["id"]
    outside = client.post(f"/api/v1/runs/{run.id}/appraisals", headers=token("hr"),
                          json={"employee": logins.people["doni"].nip, "reason": "salah unit"})
    assert outside.status_code == 422 and "outside DINAS" in outside.json["detail"]
    no_reason = client.post(f"/api/v1/runs/{run.id}/appraisals", headers=token("hr"), json={"employee": eko.nip})
    assert no_reason.status_code == 422
    assert client.post("/api/v1/runs/999/appraisals", headers=token("hr"), json=body).status_code == 404


def test_hr_closes_a_leaver_and_moves_a_transferee(client, token, session, logins, national, run, appraisal_of):
    ani, budi = appraisal_of("ani"), appraisal_of("budi")
    closed = client.post(f"/api/v1/appraisals/{budi.id}/close", headers=token("hr"),
                         json={"kind": "left", "reason": "Meninggal dunia"})
    assert closed.status_code == 200 and closed.json["closed"]["kind"] == "left"
    assert closed.json["closed"]["reason"] == "Meninggal dunia" and closed.json["state"] == "plan"
    shown = client.get(f"/api/v1/appraisals/{budi.id}", headers=token("hr")).json
    assert shown["closed"]["kind"] == "left"
    twice = client.post(f"/api/v1/appraisals/{budi.id}/close", headers=token("hr"), json={"reason": "lagi"})
    assert twice.status_code == 422 and "already closed" in twice.json["detail"]
    assert client.post(f"/api/v1/appraisals/{ani.id}/close", headers=token("hr_lain"),
                       json={"reason": "x"}).status_code == 403
    lain = client.post("/api/v1/runs", headers=token("admin"),
                       json={"definition_id": national.id, "unit": "LAIN", "period": "2026"}).json
    session.get(Employee, logins.people["ani"].id).unit_id = logins.other.id
    session.commit()
    moved = client.post(f"/api/v1/appraisals/{ani.id}/transfer", headers=token("admin"),
                        json={"run_id": lain["id"], "reason": "SK mutasi 821/45/2026"})
    assert moved.status_code == 201 and moved.json["reopened"] is False
    assert moved.json["closed"]["closed"]["kind"] == "transferred" and moved.json["closed"]["id"] == ani.id
    assert moved.json["appraisal"]["run_id"] == lain["id"] and moved.json["appraisal"]["employee"]["unit"] == "LAIN"
    exported = client.get("/api/v1/results?period=2026", headers=token("admin"))
    nips = [row["NIP"] for row in exported.json["items"]]
    assert nips.count(logins.people["ani"].nip) == 1 and logins.people["budi"].nip not in nips


def test_adding_back_a_leaver_says_their_appraisal_was_reopened_not_created(client, token, session, logins, run,
                                                                            appraisal_of):
    budi = appraisal_of("budi")
    hr = token("hr")
    client.post(f"/api/v1/appraisals/{budi.id}/close", headers=hr, json={"kind": "left", "reason": "Cuti"})
    back = client.post(f"/api/v1/runs/{run.id}/appraisals", headers=hr,
                       json={"employee": logins.people["budi"].nip, "reason": "Kembali dari cuti"})
    assert back.status_code == 200 and back.json["reopened"] is True
    assert (back.json["id"], back.json["state"], back.json["closed"]) == (budi.id, "plan", None)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Appraisal).where(Appraisal.run_id == run.id)) == 4


def test_moving_a_transferee_back_says_their_appraisal_there_was_reopened(client, token, session, logins, national,
                                                                          run, appraisal_of):
    ani = appraisal_of("ani")
    lain = client.post("/api/v1/runs", headers=token("admin"),
                       json={"definition_id": national.id, "unit": "LAIN", "period": "2026"}).json
    session.get(Employee, logins.people["ani"].id).unit_id = logins.other.id
    session.commit()
    there = client.post(f"/api/v1/appraisals/{ani.id}/transfer", headers=token("admin"),
                        json={"run_id": lain["id"], "reason": "SK mutasi 821/45/2026"})
    assert there.status_code == 201 and there.json["reopened"] is False
    session.get(Employee, logins.people["ani"].id).unit_id = logins.bidang.id
    session.commit()
    back = client.post(f"/api/v1/appraisals/{there.json['appraisal']['id']}/transfer", headers=token("admin"),
                       json={"run_id": run.id, "reason": "SK mutasi 821/46/2026"})
    assert back.status_code == 200 and back.json["reopened"] is True
    assert back.json["appraisal"]["id"] == ani.id and back.json["appraisal"]["closed"] is None
    assert back.json["closed"]["id"] == there.json["appraisal"]["id"]
