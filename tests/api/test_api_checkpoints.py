"""Checkpoints through the API: the same services and refusals as the screens, as problem+json."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

from sqlalchemy import func, select

from engine.appraisals import fire_transition, set_skp
from engine.calendar import local_zone
from engine.models import Appraisal, CheckpointEntry
from engine.registry import publish_source
from engine.runs import find_unit, launch

SKP = [{"key": "iki_1", "rhk": "Layanan KTP-el", "label": "Berkas terverifikasi", "target": 1200, "weight": 100}]


def _quarterly(session, org) -> int:
    source = resources.files("workflows").joinpath("permenpan-6-2022-v2.yaml").read_text(encoding="utf-8")
    record = publish_source(session, source, "permenpan-6-2022-v2.yaml", org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                             Appraisal.employee_id == org.people["ani"].id))
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(session, appraisal_id, org.actor("ani"), SKP, now=start)
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"), now=start)
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"), now=start)
    return appraisal_id


def _this_quarter() -> str:
    now = datetime.now(UTC).astimezone(local_zone())
    return f"triwulan.{now.year}-Q{(now.month - 1) // 3 + 1}"


def test_the_employee_reports_and_the_rater_rates_the_current_quarter(client, session, org, token):
    appraisal_id = _quarterly(session, org)
    name = _this_quarter()
    if not name.startswith("triwulan.2026"):
        return  # the run's period is 2026
    filed = client.post(f"/api/v1/appraisals/{appraisal_id}/checkpoints/{name}/entries", headers=token("ani"),
                        json={"kind": "report", "text": "Laporan triwulan lewat API."})
    assert filed.status_code == 201 and filed.json["kind"] == "report"
    rated = client.post(f"/api/v1/appraisals/{appraisal_id}/checkpoints/{name}/entries", headers=token("kabid"),
                        json={"kind": "rating", "answers": {"rating_hasil_kerja": "Di Atas Ekspektasi",
                                                            "rating_perilaku": "Di Atas Ekspektasi"}})
    assert rated.status_code == 201
    assert rated.json["results"][f"checkpoints.{name}.predikat"]["value"] == "Sangat Baik"
    shown = client.get(f"/api/v1/appraisals/{appraisal_id}", headers=token("ani")).json
    quarter = next(c for c in shown["checkpoints"][0]["checkpoints"] if c["name"] == name)
    assert quarter["report"]["text"] == "Laporan triwulan lewat API."
    assert quarter["results"][0]["value"] == "Sangat Baik"


def test_a_second_report_and_an_outside_quarter_are_refused_as_problems(client, session, org, token):
    appraisal_id = _quarterly(session, org)
    outside = client.post(f"/api/v1/appraisals/{appraisal_id}/checkpoints/triwulan.2027-Q1/entries",
                          headers=token("ani"), json={"kind": "report", "text": "Laporan tahun depan."})
    assert outside.status_code == 422 and outside.mimetype == "application/problem+json"
    assert "'2027-Q1' is not a checkpoint of series 'triwulan' in period 2026" in outside.json["detail"]
    not_rater = client.post(f"/api/v1/appraisals/{appraisal_id}/checkpoints/{_this_quarter()}/entries",
                               headers=token("budi"), json={"kind": "feedback", "text": "Bukan penilai."})
    assert not_rater.status_code == 403  # a colleague is not the rater
    assert session.scalar(select(func.count()).select_from(CheckpointEntry)) == 0


def test_a_rating_before_the_quarters_work_is_reported_is_a_problem_saying_from_when(client, session, org, token,
                                                                                      monkeypatch):
    appraisal_id = _quarterly(session, org)
    first_day = datetime(2026, 4, 1, 2, tzinfo=UTC)  # 1 April, 09.00 WIB
    monkeypatch.setattr("engine.checkpoints.service.utcnow", lambda: first_day)
    monkeypatch.setattr("engine.checkpoints.timeline.utcnow", lambda: first_day)
    early = client.post(f"/api/v1/appraisals/{appraisal_id}/checkpoints/triwulan.2026-Q2/entries",
                        headers=token("kabid"), json={"kind": "rating", "answers": {
                            "rating_hasil_kerja": "Di Atas Ekspektasi", "rating_perilaku": "Di Atas Ekspektasi"}})
    assert early.status_code == 409 and early.json["code"] == "checkpoint.rating_after_report"
    assert "or from 1 Jul 2026, 00.00 WIB when the period is over" in early.json["text"]["en"]
    assert session.scalar(select(func.count()).select_from(CheckpointEntry)) == 0
    shown = client.get(f"/api/v1/appraisals/{appraisal_id}", headers=token("kabid")).json
    quarter = next(c for c in shown["checkpoints"][0]["checkpoints"] if c["name"] == "triwulan.2026-Q2")
    assert "rating" not in quarter["can"] and quarter["rating_from"].startswith("2026-06-30T17:00:00")
