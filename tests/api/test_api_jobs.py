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
