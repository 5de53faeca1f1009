"""A launch too large for one request answers 202 with its job; the job resource tells its progress and
outcome to the person who asked for it."""

from __future__ import annotations

from sqlalchemy import select

from engine.jobs.worker import work_round
from engine.models import CycleRun, RoleGrant
from engine.users import revoke_role, seed_grant


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


def test_an_export_is_no_longer_downloaded_by_its_requester_once_their_hr_grant_no_longer_covers_it(
        app, client, token, login, session, org, run, tmp_path):
    """The file holds the ratings of the units the requester oversaw when it was written: someone moved off HR of
    those units (the grant revoked, or narrowed to a unit below) reads it no more, on the API or the screen."""
    app.config["SIKLUS_EXPORT_FOLDER"] = str(tmp_path / "ekspor")
    hr = token("hr")
    job = client.post("/api/v1/results/exports", headers=hr, json={"period": "2026"}).json["job"]
    work_round(session)
    assert client.get(f"{job['url']}/file", headers=hr).status_code == 200
    [grant] = session.scalars(select(RoleGrant).where(RoleGrant.user_id == org.users["hr"].id)).all()
    revoke_role(session, org.actor("admin"), grant.id)
    seed_grant(session, user_id=org.users["hr"].id, role="hr", unit_id=org.bidang.id)
    session.commit()
    refused = client.get(f"{job['url']}/file", headers=hr)
    assert refused.status_code == 403 and refused.json["code"] == "export.scope"
    assert login("hr").get(f"{job['page']}/berkas").status_code == 403
    # Given back, the grant on DINAS covers the file again.
    seed_grant(session, user_id=org.users["hr"].id, role="hr", unit_id=org.dinas.id)
    session.commit()
    assert client.get(f"{job['url']}/file", headers=hr).status_code == 200
