"""The appraisal resources: listing with filters and cursors, one appraisal, firing, SKP targets,
realisations and feedback, as a client sees them."""

from __future__ import annotations

import pytest

from tests.support.states import SKP, drive

PROBLEM = "application/problem+json"


def test_the_rater_lists_the_appraisals_of_their_staff_page_by_page(client, token, run, org):
    kabid = token("kabid")
    first = client.get("/api/v1/appraisals?limit=1", headers=kabid)
    assert first.status_code == 200
    seen = [item["employee"]["name"] for item in first.json["items"]]
    cursor = first.json["next_cursor"]
    while cursor:
        page = client.get(f"/api/v1/appraisals?limit=1&cursor={cursor}", headers=kabid).json
        seen += [item["employee"]["name"] for item in page["items"]]
        cursor = page["next_cursor"]
    # kabid: own appraisal (pegawai) and those of ani and budi (penilai); not kadis'
    assert sorted(seen) == ["Ani Lestari", "Budi Santoso", "Hendra Wijaya"]


def test_filters_narrow_the_listing(client, token, run, org, session, appraisal_of):
    hr = token("hr")
    everyone = client.get("/api/v1/appraisals", headers=hr).json["items"]
    assert {i["employee"]["name"] for i in everyone} == {"Kartika Kusuma", "Hendra Wijaya", "Ani Lestari",
                                                         "Budi Santoso"}
    by_nip = client.get(f"/api/v1/appraisals?nip={org.people['ani'].nip}", headers=hr).json["items"]
    assert [i["employee"]["name"] for i in by_nip] == ["Ani Lestari"]
    by_unit = client.get("/api/v1/appraisals?unit=BIDANG", headers=hr).json["items"]
    assert {i["employee"]["name"] for i in by_unit} == {"Hendra Wijaya", "Ani Lestari", "Budi Santoso"}
    drive(session, org, appraisal_of("ani").id, "ani", "plan_review")
    by_state = client.get("/api/v1/appraisals?state=plan_review&period=2026&cycle_id=permenpan-6-2022",
                          headers=hr).json["items"]
    assert [i["employee"]["name"] for i in by_state] == ["Ani Lestari"]
    waiting = client.get("/api/v1/appraisals?waiting_for_me=true", headers=token("kabid")).json["items"]
    assert [i["employee"]["name"] for i in waiting] == ["Ani Lestari"]
    assert client.get("/api/v1/appraisals?period=2027", headers=hr).json["items"] == []


def test_someone_sees_only_the_appraisals_they_may_open(client, token, run):
    items = client.get("/api/v1/appraisals", headers=token("budi")).json["items"]
    assert [i["employee"]["name"] for i in items] == ["Budi Santoso"]
    assert client.get("/api/v1/appraisals", headers=token("hr_lain")).json["items"] == []


def test_a_bad_cursor_or_limit_is_a_400_problem(client, token, run):
    response = client.get("/api/v1/appraisals?cursor=not-ours", headers=token("hr"))
    assert response.status_code == 400 and response.content_type == PROBLEM
    assert "cursor" in response.json["detail"]
    response = client.get("/api/v1/appraisals?limit=0", headers=token("hr"))
    assert response.status_code == 400 and "'limit'" in response.json["detail"]


def test_one_appraisal_shows_state_triggers_indicators_and_history(client, token, run, appraisal_of, session, org):
    appraisal_id = appraisal_of("ani").id
    client.put(f"/api/v1/appraisals/{appraisal_id}/indicators", headers=token("ani"), json={"items": SKP})
    body = client.get(f"/api/v1/appraisals/{appraisal_id}", headers=token("ani")).json
    assert body["state"] == "plan" and body["my_roles"] == ["pegawai"]
    assert [t["trigger"] for t in body["triggers"]] == ["submit_plan"]
    assert body["indicators"][0]["key"] == "iki_1" and body["indicators"][0]["target"] == 100
    assert body["history"][-1]["kind"] == "skp" and body["history"][-1]["actor"] == "ani"
    rater_view = client.get(f"/api/v1/appraisals/{appraisal_id}", headers=token("kabid")).json
    assert rater_view["triggers"] == [] and rater_view["my_roles"] == ["penilai"]


def test_firing_moves_the_appraisal_and_answers_the_new_version(client, token, run, appraisal_of):
    appraisal = appraisal_of("ani")
    ani = token("ani")
    client.put(f"/api/v1/appraisals/{appraisal.id}/indicators", headers=ani,
               json={"items": SKP, "version": appraisal.version})
    version = client.get(f"/api/v1/appraisals/{appraisal.id}", headers=ani).json["version"]
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/transitions", headers=ani,
                           json={"trigger": "submit_plan", "version": version})
    assert response.status_code == 200, response.json
    assert response.json["to_state"] == "plan_review" and response.json["version"] == version + 1
    assert appraisal_of("ani").state == "plan_review"


def test_a_stale_version_is_a_409_and_nothing_changes(client, token, run, appraisal_of, session, org):
    appraisal = appraisal_of("ani")
    seen = appraisal.version
    drive(session, org, appraisal.id, "ani", "plan_review")
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/transitions", headers=token("kabid"),
                           json={"trigger": "approve_plan", "version": seen})
    assert response.status_code == 409 and response.content_type == PROBLEM
    assert response.json["type"] == "urn:siklus:problem:conflict"
    assert response.json["current_version"] == appraisal_of("ani").version
    assert appraisal_of("ani").state == "plan_review"


def test_a_role_that_may_not_fire_is_a_403(client, token, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "plan_review")
    appraisal = appraisal_of("ani")
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/transitions", headers=token("ani"),
                           json={"trigger": "approve_plan", "version": appraisal.version})
    assert response.status_code == 403 and "only penilai may fire 'approve_plan'" in response.json["detail"]
    assert appraisal_of("ani").state == "plan_review"


def test_a_bad_payload_is_a_422_naming_the_field(client, token, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "plan_review")
    appraisal = appraisal_of("ani")
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/transitions", headers=token("kabid"),
                           json={"trigger": "return_plan", "version": appraisal.version, "payload": {}})
    assert response.status_code == 422 and response.json["type"] == "urn:siklus:problem:invalid-payload"
    assert response.json["errors"] and response.json["errors"][0]["path"]
    assert appraisal_of("ani").state == "plan_review"


def test_an_upheld_appeal_decision_that_changes_a_rating_is_a_409_with_the_reason(client, token, run, appraisal_of,
                                                                                   session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "appeal")
    appraisal = appraisal_of("ani")
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/transitions", headers=token("kadis"), json={
        "trigger": "decide_appeal", "version": appraisal.version,
        "payload": {"keputusan": "tetap", "pertimbangan": "Rating penilai dipertahankan.",
                    "rating_perilaku": "Di Atas Ekspektasi"}})
    assert response.status_code == 409 and response.json["type"] == "urn:siklus:problem:transition-not-allowed"
    assert "keeps the rater's ratings" in response.json["detail"]
    assert appraisal_of("ani").state == "appeal" and "keputusan_keberatan" not in appraisal_of("ani").data


def test_a_body_that_does_not_fit_the_document_is_a_422_and_bad_json_a_400(client, token, run, appraisal_of):
    appraisal = appraisal_of("ani")
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/transitions", headers=token("ani"),
                           json={"trigger": "submit_plan"})
    assert response.status_code == 422 and response.json["errors"][0]["message"] == "'version' is a required property"
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/transitions", headers=token("ani"),
                           data="{not json", content_type="application/json")
    assert response.status_code == 400 and "not valid JSON" in response.json["detail"]


@pytest.mark.parametrize(("body", "value", "where"), [
    ('{"indicator": "iki_1", "value": NaN}', "NaN", "value"),
    ('{"indicator": "iki_1", "value": Infinity}', "Infinity", "value"),
    ('{"indicator": "iki_1", "value": -Infinity, "note": "x"}', "-Infinity", "value"),
    ('{"indicator": "iki_1", "value": 1e400}', "1e400", "value"),
    ('{"indicator": "iki_1", "value": 1, "extra": [0, {"x": NaN}]}', "NaN", "extra/1/x"),
    ("NaN", "NaN", "body"),
])
def test_a_number_json_does_not_have_is_refused_naming_where_and_nothing_is_recorded(
        client, token, session, org, run, appraisal_of, body, value, where):
    """Python's JSON reads NaN and Infinity; RFC 8259 has neither, and a stored NaN poisons sums and hashes."""
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    appraisal = appraisal_of("ani")
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/realisations", headers=token("ani"),
                           data=body, content_type="application/json")
    assert response.status_code == 400, response.json
    assert response.json["code"] == "api.body_not_a_number"
    assert response.json["params"] == {"value": value, "where": where}
    assert f"memuat {value} di {where}" in response.json["text"]["id"]
    listed = client.get(f"/api/v1/appraisals/{appraisal.id}", headers=token("ani")).json
    assert all(i.get("realisation") is None for i in listed.get("indicators", []))


def test_realisation_and_targets_are_recorded_through_the_engine(client, token, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    appraisal = appraisal_of("ani")
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/realisations", headers=token("ani"),
                           json={"indicator": "iki_1", "value": 87.5, "note": "Triwulan I"})
    assert response.status_code == 201
    assert response.json["indicators"][0]["realisation"] == 87.5
    refused = client.post(f"/api/v1/appraisals/{appraisal.id}/realisations", headers=token("kabid"),
                          json={"indicator": "iki_1", "value": 90})
    assert refused.status_code == 403
    unknown = client.post(f"/api/v1/appraisals/{appraisal.id}/realisations", headers=token("ani"),
                          json={"indicator": "iki_2", "value": 90})
    assert unknown.status_code == 422 and "no indicator 'iki_2'" in unknown.json["detail"]
    targets = client.put(f"/api/v1/appraisals/{appraisal.id}/indicators", headers=token("ani"), json={"items": SKP})
    assert targets.status_code == 403  # the SKP is only edited while planning


def test_an_unknown_appraisal_is_a_404_problem(client, token, run):
    response = client.get("/api/v1/appraisals/999999", headers=token("hr"))
    assert response.status_code == 404 and response.content_type == PROBLEM


def test_feedback_outside_its_window_is_refused_with_a_reason(client, token, run, appraisal_of):
    appraisal = appraisal_of("ani")
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/feedback", headers=token("kabid"),
                           json={"window": "tidak-ada", "answers": {"q1": 4}})
    assert response.status_code == 404 and "no feedback window 'tidak-ada'" in response.json["detail"]


def test_hr_reads_the_audit_log_of_their_units_page_by_page_and_as_csv(client, token, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    hr = token("hr")
    page = client.get("/api/v1/audit/events?limit=2", headers=hr).json
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = client.get(f"/api/v1/audit/events?limit=500&cursor={page['next_cursor']}", headers=hr).json
    ids = [e["id"] for e in page["items"] + rest["items"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    only = client.get("/api/v1/audit/events?trigger=approve_plan", headers=hr).json["items"]
    assert [(e["trigger"], e["actor"]) for e in only] == [("approve_plan", "kabid")]
    csv = client.get("/api/v1/audit/events?format=csv&kind=transition", headers=hr)
    assert csv.content_type.startswith("text/csv")
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("id,stream,seq,occurred_at,kind") and len(lines) == 3  # header, submit, approve
    # HR of another dinas reads nothing of DINAS: only the grant that made them HR there, filed under LAIN.
    seen = client.get("/api/v1/audit/events", headers=token("hr_lain")).json["items"]
    assert [(e["kind"], e["payload"]["username"], e["payload"]["unit"]) for e in seen] == [
        ("role_grant", "hr_lain", "LAIN")]
    assert client.get("/api/v1/audit/events", headers=token("ani")).status_code == 403
    bad = client.get("/api/v1/audit/events?since=yesterday", headers=hr)
    assert bad.status_code == 400 and "'since'" in bad.json["detail"]


def test_the_public_gives_feedback_without_login_and_missing_elements_are_named(client, logins):
    answers = {f"U{i}": 4 for i in range(1, 10)}
    stored = client.post("/api/v1/public/units/dinas/feedback", json={"answers": answers, "complaint": "Antrean lama."})
    assert stored.status_code == 201
    incomplete = client.post("/api/v1/public/units/dinas/feedback", json={"answers": {"U1": 5}})
    assert incomplete.status_code == 422
    assert {"path": "U1", "message": "range"} in incomplete.json["errors"] and "U2" in incomplete.json["detail"]
    assert client.post("/api/v1/public/units/tidak-ada/feedback", json={"answers": answers}).status_code == 404


def test_targets_put_again_as_they_are_answer_200_with_no_new_history(client, token, run, appraisal_of):
    """Putting the SKP it already has changes nothing: the same answer, the same version, no "SKP diubah"."""
    appraisal = appraisal_of("ani")
    ani = token("ani")
    first = client.put(f"/api/v1/appraisals/{appraisal.id}/indicators", headers=ani,
                       json={"items": SKP, "version": appraisal.version})
    assert first.status_code == 200
    again = client.put(f"/api/v1/appraisals/{appraisal.id}/indicators", headers=ani,
                       json={"items": SKP, "version": first.json["version"]})
    assert again.status_code == 200
    assert again.json["version"] == first.json["version"]
    assert len(again.json["history"]) == len(first.json["history"])
    assert again.json["indicators"] == first.json["indicators"]
