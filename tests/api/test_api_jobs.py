"""A launch too large for one request answers 202 with its job; the job resource tells its progress and
outcome to the person who asked for it."""

from __future__ import annotations

from sqlalchemy import select

from engine.jobs.worker import work_round
from engine.models import CycleRun


def test_the_api_answers_202_with_the_job_and_the_job_tells_its_outcome(app, client, token, session, logins,
                                                                        national):
    app.config["SIKLUS_LAUNCH_INLINE_MAX"] = 3
    hr = token("hr")
    accepted = client.post("/api/v1/runs", headers=hr, json={"definition_id": national.id, "unit": "DINAS",
                                                             "period": "2026"})
    assert accepted.status_code == 202
    job = accepted.json["job"]
    assert (job["kind"], job["status"], job["total"], job["done"]) == ("launch", "queued", 1, 0)
    assert accepted.headers["Location"] == job["url"] == f"/api/v1/jobs/{job['id']}"
    assert client.get(job["url"], headers=token("ani")).status_code == 404
    work_round(session)
    polled = client.get(job["url"], headers=hr)
    run = session.scalars(select(CycleRun)).one()
    assert polled.status_code == 200 and polled.json["status"] == "done"
    assert polled.json["result"] == {"run_id": run.id, "started": 4, "skipped": 0}
    assert polled.json["counts"] == {"ok": 1} and polled.json["items"][0]["status"] == "ok"


def test_a_results_export_is_written_by_the_worker_and_downloaded_by_whoever_asked(app, client, token, login, session,
                                                                                   run, tmp_path):
    app.config["SIKLUS_EXPORT_FOLDER"] = str(tmp_path / "ekspor")
    hr = token("hr")
    assert client.post("/api/v1/results/exports", headers=token("ani"), json={"period": "2026"}).status_code == 403
    accepted = client.post("/api/v1/results/exports", headers=hr, json={"period": "2026", "format": "csv"})
    assert accepted.status_code == 202
    job = accepted.json["job"]
    assert client.get(f"{job['url']}/file", headers=hr).status_code == 404  # not written yet
    work_round(session)
    polled = client.get(job["url"], headers=hr).json
    assert polled["status"] == "done" and polled["result"]["rows"] == 4
    exported = client.get(f"{job['url']}/file", headers=hr)
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert 'filename="hasil-kinerja-2026.csv"' in exported.headers["Content-Disposition"]
    text = exported.get_data().decode("utf-8-sig")
    assert text.startswith("NIP,Nama,Unit Kerja,Periode") and "Ani Lestari" in text and text.count("\n") == 5
    assert client.get(f"{job['url']}/file", headers=token("ani")).status_code == 404
    page = login("hr").get(job["page"]).get_data(as_text=True)
    assert "Ekspor hasil kinerja periode 2026" in page and "Berkas siap: 4 baris." in page
    assert login("hr").get(f"{job['page']}/berkas").get_data() == exported.get_data()
