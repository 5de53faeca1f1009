"""Cycle definitions and runs through the API: validate with line-numbered problems, upload, publish, launch."""

from __future__ import annotations

from tests.support.factories import national_source

BROKEN = national_source().replace("dest: plan_review", "dest: plan_reveiw", 1)


def test_validate_names_each_problem_with_its_line(client, token, logins):
    response = client.post("/api/v1/definitions/validate", headers=token("hr"),
                           json={"source": BROKEN, "filename": "dinas.yaml"})
    assert response.status_code == 200 and response.json["valid"] is False
    problem = response.json["problems"][0]
    line = next(n for n, text in enumerate(BROKEN.splitlines(), start=1) if "plan_reveiw" in text)
    assert problem["line"] == line and "plan_reveiw" in problem["message"]


def test_an_invalid_upload_is_a_422_with_line_numbered_errors_and_stores_nothing(client, token, logins):
    response = client.post("/api/v1/definitions", headers=token("hr"), json={"source": BROKEN})
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert response.json["type"] == "urn:siklus:problem:invalid-definition"
    assert response.json["errors"][0]["line"] > 1 and "did you mean 'plan_review'" in response.json["errors"][0]["message"]
    assert client.get("/api/v1/definitions", headers=token("hr")).json["items"] == []


def test_upload_publish_and_launch(client, token, logins):
    hr = token("hr")
    draft = client.post("/api/v1/definitions", headers=hr, json={"source": national_source()})
    assert draft.status_code == 201 and draft.json["status"] == "draft"
    not_yet = client.post("/api/v1/runs", headers=hr, json={"definition_id": draft.json["id"], "unit": "DINAS", "period": "2026"})
    assert not_yet.status_code == 422 and "only a published definition can be launched" in not_yet.json["detail"]
    published = client.post(f"/api/v1/definitions/{draft.json['id']}/publish", headers=hr)
    assert published.status_code == 200 and published.json["status"] == "published"
    run = client.post("/api/v1/runs", headers=hr, json={"definition_id": draft.json["id"], "unit": "DINAS", "period": "2026"})
    assert run.status_code == 201 and run.json["appraisals"] == 4
    bad_period = client.post("/api/v1/runs", headers=hr, json={"definition_id": draft.json["id"], "unit": "DINAS", "period": "2026-Q1"})
    assert bad_period.status_code == 422 and "write it like 2026" in bad_period.json["detail"]


def test_only_hr_of_the_unit_may_launch_and_only_hr_sees_definitions(client, token, logins, national):
    other = client.post("/api/v1/runs", headers=token("hr_lain"), json={"definition_id": national.id, "unit": "DINAS", "period": "2026"})
    assert other.status_code == 403
    assert client.get("/api/v1/definitions", headers=token("ani")).status_code == 403
    assert client.post("/api/v1/definitions/validate", headers=token("ani"), json={"source": "x"}).status_code == 403
