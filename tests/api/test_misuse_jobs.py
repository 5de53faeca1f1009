"""Background jobs and the results export under misuse: another person's job and file, ids that do not
exist or cannot, a file name smuggled in, and API bodies that are not what the export takes. Every
refusal is a problem document with a clear detail (never a 500), and nothing is queued after one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.jobs import Job
from engine.jobs.worker import work_round
from engine.runs import find_unit

ODD_IDS = ["0", "-1", "9223372036854775808", "abc", "1.5", "%2e%2e", "99999"]


@pytest.fixture
def export_job(app, client, token, session, run, tmp_path) -> int:
    """A finished results export asked for by HR."""
    app.config["SIKLUS_EXPORT_FOLDER"] = str(tmp_path / "ekspor")
    accepted = client.post("/api/v1/results/exports", headers=token("hr"), json={"period": "2026"})
    assert accepted.status_code == 202
    work_round(session)
    return int(accepted.json["job"]["id"])


def jobs(session) -> int:
    session.rollback()
    return int(session.scalar(select(func.count()).select_from(Job)))


@pytest.mark.parametrize("who", ["ani", "kabid"])
def test_someone_elses_job_and_its_file_are_not_found_on_the_page_and_in_the_api(client, token, login, export_job,
                                                                                  who):
    for path in (f"/pekerjaan/{export_job}", f"/pekerjaan/{export_job}/berkas"):
        response = login(who).get(path)
        assert response.status_code == 404
        assert "hasil-kinerja" not in response.get_data(as_text=True)
    for path in (f"/api/v1/jobs/{export_job}", f"/api/v1/jobs/{export_job}/file"):
        response = client.get(path, headers=token(who))
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
        assert response.json["detail"]


@pytest.mark.parametrize("odd", ODD_IDS)
def test_odd_job_ids_are_not_found(client, token, login, export_job, odd):
    for path in (f"/pekerjaan/{odd}", f"/pekerjaan/{odd}/berkas"):
        assert login("hr").get(path).status_code == 404
    for path in (f"/api/v1/jobs/{odd}", f"/api/v1/jobs/{odd}/file"):
        response = client.get(path, headers=token("hr"))
        assert response.status_code == 404 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9223372036854775808", ""])
def test_an_odd_page_of_items_shows_the_first(client, token, login, export_job, page):
    assert login("hr").get(f"/pekerjaan/{export_job}?halaman={page}").status_code == 200
    response = client.get(f"/api/v1/jobs/{export_job}?page={page}", headers=token("hr"))
    assert response.status_code == 200 and response.json["items_page"] == 1


@pytest.mark.parametrize("traversal", ["../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e/berkas"])
def test_no_file_outside_the_export_is_reachable(client, token, login, export_job, traversal):
    assert login("hr").get(f"/pekerjaan/{export_job}/berkas/{traversal}").status_code == 404
    assert client.get(f"/api/v1/jobs/{export_job}/file/{traversal}", headers=token("hr")).status_code == 404


@pytest.mark.parametrize(("body", "content_type", "status", "detail"), [
    ("{", "application/json", 400, "not valid JSON"),
    ("", "application/json", 400, "JSON body"),
    ("[]", "application/json", 422, "not valid"),
    ('{"period": 2026}', "application/json", 422, "period"),
    ('{"period": ""}', "application/json", 422, "period"),
    ('{"period": "   "}', "application/json", 422, "period"),
    ('{"period": "2026", "format": "pdf"}', "application/json", 422, "format"),
    ('{"period": "2026", "folder": "/etc"}', "application/json", 422, "folder"),
    ('{"period": "2026", "cycle_id": null}', "application/json", 422, "cycle_id"),
    ('{"period": "' + "9" * 100 + '"}', "application/json", 422, "period"),
])
def test_a_bad_export_request_is_a_problem_with_a_clear_detail_and_queues_nothing(
        client, token, session, run, body, content_type, status, detail):
    response = client.post("/api/v1/results/exports", headers=token("hr"), data=body, content_type=content_type)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert detail in response.json["detail"]
    assert jobs(session) == 0


def test_an_export_is_asked_for_with_json_not_a_form(client, token, session, run):
    response = client.post("/api/v1/results/exports", headers=token("hr"), data={"period": "2026"})
    assert response.status_code in (400, 415) and response.mimetype == "application/problem+json"
    assert response.json["detail"]
    assert jobs(session) == 0


def test_the_export_from_a_browser_session_needs_the_csrf_token(app, login, session, run):
    browser = login("hr")
    app.config["WTF_CSRF_ENABLED"] = True
    response = browser.post("/api/v1/results/exports", json={"period": "2026"})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert jobs(session) == 0


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_launch_jobs_page_names_the_cycle_by_its_title_not_its_id(app, login, session, logins, national, lang):
    app.config["SIKLUS_LAUNCH_INLINE_MAX"] = 1
    client = login("hr")
    unit = find_unit(session, "DINAS")
    response = client.post("/sdm/peluncuran", data={"definisi": national.id, "unit": unit.id, "periode": "2026",
                                                    "sub": "1"})
    assert response.status_code == 303
    client.post("/bahasa", data={"lang": lang, "next": "/"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    title = {"id": "Siklus Kinerja ASN Nasional (PermenPAN-RB 6/2022)",
             "en": "National ASN performance cycle (PermenPAN-RB 6/2022)"}[lang]
    assert title in page
    assert national.cycle_id not in page.split("<main", 1)[1]
