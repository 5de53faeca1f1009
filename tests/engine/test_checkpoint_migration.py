"""Appraisals of the versions without checkpoints keep working, and HR can move them onto the new ones safely."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

from sqlalchemy import select

from engine.appraisals import fire_transition, set_skp
from engine.audit import verify_chain
from engine.checkpoints.service import file_report, rate_checkpoint
from engine.migration import migrate_appraisals
from engine.models import Appraisal, AuditEvent, Result
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.states import drive

SKP = [{"key": "iki_1", "rhk": "Layanan KTP-el", "label": "Berkas terverifikasi", "target": 1200, "weight": 100}]
SESUAI, DI_ATAS = "Sesuai Ekspektasi", "Di Atas Ekspektasi"


def _source(name: str) -> str:
    return resources.files("workflows").joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def test_a_national_appraisal_moves_from_version_1_to_the_quarterly_version_and_takes_quarters(session, org,
                                                                                               national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                    Appraisal.employee_id == org.people["ani"].id))
    budi = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                     Appraisal.employee_id == org.people["budi"].id))
    drive(session, org, ani, "ani", "monitor")
    drive(session, org, budi, "budi", "rated")
    predicate_before = session.scalar(select(Result.value).where(Result.appraisal_id == budi,
                                                                 Result.name == "predikat"))
    v2 = publish_source(session, _source("permenpan-6-2022-v2"), "permenpan-6-2022-v2.yaml", org.actor("admin"))

    report = migrate_appraisals(session, national, v2, {}, org.actor("hr"))
    assert report.moved >= 2 and not report.stranded_left
    session.expire_all()
    assert session.get(Appraisal, ani).definition_id == v2.id and session.get(Appraisal, ani).state == "monitor"
    # A rated appraisal keeps its predicate: without quarterly ratings the annual one reads the IKI as before.
    assert session.scalar(select(Result.value).where(Result.appraisal_id == budi,
                                                     Result.name == "predikat")) == predicate_before

    when = datetime(2026, 5, 10, 3, tzinfo=UTC)
    file_report(session, ani, org.actor("ani"), "triwulan.2026-Q2", "Laporan triwulan II setelah pindah versi.",
                now=when)
    outcome = rate_checkpoint(session, ani, org.actor("kabid"), "triwulan.2026-Q2",
                              {"rating_hasil_kerja": DI_ATAS, "rating_perilaku": SESUAI}, now=when)
    assert outcome.results["checkpoints.triwulan.2026-Q2.predikat"]["value"] == "Baik"
    assert verify_chain(session).ok


def test_solok_monthly_reports_of_version_1_stay_in_the_history_after_the_move(session, org):
    v1 = publish_source(session, _source("solok"), "solok.yaml", org.actor("admin"))
    run = launch(session, v1, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                    Appraisal.employee_id == org.people["ani"].id))
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(session, ani, org.actor("ani"), SKP, now=start)
    fire_transition(session, ani, "submit_plan", org.actor("ani"), now=start)
    fire_transition(session, ani, "approve_plan", org.actor("kabid"), now=start)
    fire_transition(session, ani, "kirim_laporan_bulanan", org.actor("ani"),
                    {"bulan": "Januari", "ringkasan": "Laporan Januari dari versi pertama."}, now=start)
    v2 = publish_source(session, _source("solok-v2"), "solok-v2.yaml", org.actor("admin"))

    migrate_appraisals(session, v1, v2, {}, org.actor("hr"))
    session.expire_all()
    assert session.get(Appraisal, ani).definition_id == v2.id
    old = session.scalars(select(AuditEvent.payload).where(AuditEvent.appraisal_id == ani,
                                                           AuditEvent.trigger == "kirim_laporan_bulanan")).one()
    assert old["ringkasan"] == "Laporan Januari dari versi pertama."
    file_report(session, ani, org.actor("ani"), "laporan_bulanan.2026-02", "Laporan Februari sebagai titik pantau.",
                now=datetime(2026, 2, 20, 3, tzinfo=UTC))
    assert verify_chain(session).ok
