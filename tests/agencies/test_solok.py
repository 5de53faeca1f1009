"""Solok: work results, discipline and initiative; proven public complaints count as an indicator;
monthly online reports with the rater's feedback during monitoring."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.audit import verify_chain
from engine.models import Realisation
from engine.registry import publish_source
from engine.runs import launch
from tests.agencies.conftest import (
    ATAS,
    BAWAH,
    SESUAI,
    Agency,
    Browser,
    Person,
    appraisal_ids,
    behaviour,
    build_agency,
    cycle_source,
    events,
    fresh,
    one_iki,
    plan_approved,
    publish_and_launch,
    section,
    stored_explanation,
    stored_results,
)

UNITS = [
    ("PEMKO_SOLOK", "Pemerintah Kota Solok", None),
    ("DUKCAPIL_SOLOK", "Dinas Kependudukan dan Pencatatan Sipil Kota Solok", "PEMKO_SOLOK"),
]
PEOPLE = [
    Person("sekda", "Syaiful Chaniago", "PEMKO_SOLOK", None, "Sekretaris Daerah"),
    Person("kadis", "Yulia Piliang", "DUKCAPIL_SOLOK", "sekda", "Kepala Dinas"),
    Person("joko", "Joko Koto", "DUKCAPIL_SOLOK", "kadis", "Pengadministrasi Kependudukan"),
    Person("kiki", "Kiki Tanjung", "DUKCAPIL_SOLOK", "kadis", "Pengadministrasi Kependudukan"),
    Person("lina", "Lina Sikumbang", "DUKCAPIL_SOLOK", "kadis", "Pengadministrasi Kependudukan"),
]
HR = "sdm_solok"
# (documents issued against 1.000, proven complaints, days absent, minutes late, initiative, behaviour)
INPUTS = {
    "joko": ("1.100", "0", "0", "0", ATAS, behaviour(default=ATAS)),
    "kiki": ("1.000", "2", "2", "500", SESUAI, behaviour()),
    "lina": ("950", "4", "12", "0", BAWAH, behaviour()),
}


@pytest.fixture
def solok(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def test_monthly_reports_complaints_discipline_and_initiative(session, solok, browser):
    publish_and_launch(session, solok, "solok.yaml", "PEMKO_SOLOK")
    ids = solok.appraisal_ids
    for who in INPUTS:
        plan_approved(browser, ids[who], who, "kadis", one_iki(
            "Dokumen kependudukan terbit tepat waktu", "1.000", "dokumen", "Pelayanan adminduk"))

    # joko files two monthly reports online, each with the month's cumulative realisation; the rater answers.
    joko = ids["joko"]
    browser.login("joko").realise(joko, "iki_1", "80", "Januari")
    browser.fire(joko, "kirim_laporan_bulanan",
                 {"p-bulan": "Januari", "p-ringkasan": "80 dokumen terbit, antrean pagi lancar."})
    browser.login("kadis").fire(joko, "tanggapi_laporan", {"p-komentar": "Bagus, pertahankan layanan pagi."})
    browser.login("joko").realise(joko, "iki_1", "170", "Februari")
    browser.fire(joko, "kirim_laporan_bulanan",
                 {"p-bulan": "Februari", "p-ringkasan": "90 dokumen terbit, server sempat mati."})
    # A report without a summary is refused, with the field named.
    short = browser.fire(joko, "kirim_laporan_bulanan", {"p-bulan": "Maret", "p-ringkasan": "ok"}, expect=422)
    assert "paling sedikit 10 karakter" in short
    assert fresh(session, joko).state == "monitor"
    reports = [e.payload["bulan"] for e in events(session, joko, "transition") if e.trigger == "kirim_laporan_bulanan"]
    assert reports == ["Januari", "Februari"]
    history = browser.login("joko").page(joko).split("Riwayat", 1)[1]
    assert history.count("Kirim laporan bulanan") == 2 and "Bagus, pertahankan layanan pagi." in history

    for who, (issued, complaints, *_rest) in INPUTS.items():
        browser.login(who).realise(ids[who], "iki_1", issued, "Rekap akhir tahun")
        browser.login(HR).realise(ids[who], "pengaduan_masyarakat", complaints, "Kanal pengaduan terverifikasi")
    # The month-by-month realisations stay in the SKP's history (the employee's own trend).
    session.rollback()
    assert session.scalars(select(Realisation.value).where(Realisation.appraisal_id == joko,
                                                           Realisation.indicator_key == "iki_1")
                           .order_by(Realisation.id)).all() == [80, 170, 1100]

    for who, (_i, _c, absent, late, initiative, values) in INPUTS.items():
        browser.login("kadis").fire(ids[who], "close_monitoring")
        browser.fire(ids[who], "rate", {**values, "p-kehadiran-hari_tidak_masuk": absent,
                                        "p-kehadiran-menit_terlambat": late, "p-aspek_solok-inisiatif": initiative})
        browser.login("sekda").fire(ids[who], "confirm_rating")

    # Complaints, fewer is better, target 2: joko 0 -> (4 − 0) ÷ 2 = 200% capped 120; kiki 2 -> 100%; lina 4 -> 0%.
    # joko: 1.100 ÷ 1.000 = 110%; (110 × 100 + 120 × 25) ÷ 125 = 112 >= 110: Di Atas; behaviour above: Sangat Baik.
    joko_r = stored_results(session, joko)
    assert (joko_r["iki.pengaduan_masyarakat"], joko_r["rating_hasil_kerja"], joko_r["predikat"]) == (
        120, ATAS, "Sangat Baik")
    assert joko_r["kategori_disiplin"] == "Baik"  # 0 days
    # kiki: (100 × 100 + 100 × 25) ÷ 125 = 100: Sesuai; Baik. Discipline: 2 days + 500 min (= 1 day of 450) = 3: Cukup.
    kiki_r = stored_results(session, ids["kiki"])
    assert (kiki_r["rating_hasil_kerja"], kiki_r["predikat"], kiki_r["kategori_disiplin"]) == (SESUAI, "Baik", "Cukup")
    # lina: 95%; (95 × 100 + 0 × 25) ÷ 125 = 76 < 90: Di Bawah; Butuh Perbaikan. 12 days >= 11: Kurang.
    lina_r = stored_results(session, ids["lina"])
    assert (lina_r["iki.pengaduan_masyarakat"], lina_r["predikat"], lina_r["kategori_disiplin"]) == (
        0, "Butuh Perbaikan", "Kurang")
    page = browser.login("lina").page(ids["lina"])
    discipline = section(page, "Kategori disiplin kehadiran")
    assert "Kurang" in discipline and "12 hari" in discipline

    for who in INPUTS:
        browser.login(who).fire(ids[who], "accept_rating")
    # A first period has nothing to compare with: the trend waits, and the cycle goes on.
    assert stored_results(session, joko)["tren_kinerja"] is None
    assert "nilai dari paling sedikit 2 periode; baru ada 1 (2026)" in (
        stored_explanation(session, joko, "tren_kinerja")["id"])
    # lina's weak initiative and the complaint IKI lead to courses; her own IKI has none in the catalog.
    assert [c["id"] for c in stored_results(session, ids["lina"])["rekomendasi_pelatihan"]] == [
        "inovasi_pelayanan", "pelayanan_prima"]
    for who in INPUTS:
        browser.login("kadis").fire(ids[who], "complete_development")
        assert fresh(session, ids[who]).state == "closed"
    # The whole scenario left a log that proves every stored value.
    report = verify_chain(session)
    assert report.ok, report.problems


# The inputs (as in INPUTS) that lead to each final predicate.
LEADS_TO = {
    "Sangat Baik": ("1.100", "0", "0", "0", ATAS, behaviour(default=ATAS)),    # 112%, behaviour above
    "Baik": ("1.000", "2", "2", "500", SESUAI, behaviour()),                   # 100%, meets
    "Butuh Perbaikan": ("950", "4", "12", "0", BAWAH, behaviour()),            # 76%, meets
}


def _one_year(session, solok: Agency, browser: Browser, period: str, predicates: dict[str, str]) -> dict[str, int]:
    """Launch ``period`` and drive each employee over the screens to the final predicate given, up to development."""
    assert solok.record is not None
    run = launch(session, solok.record, solok.units["PEMKO_SOLOK"], period, solok.actor(HR))
    ids = appraisal_ids(session, run)
    for who, wanted in predicates.items():
        issued, complaints, absent, late, initiative, values = LEADS_TO[wanted]
        plan_approved(browser, ids[who], who, "kadis", one_iki(
            "Dokumen kependudukan terbit tepat waktu", "1.000", "dokumen", "Pelayanan adminduk"))
        browser.login(who).realise(ids[who], "iki_1", issued, f"Rekap {period}")
        browser.login(HR).realise(ids[who], "pengaduan_masyarakat", complaints, "Kanal pengaduan terverifikasi")
        browser.login("kadis").fire(ids[who], "close_monitoring")
        browser.fire(ids[who], "rate", {**values, "p-kehadiran-hari_tidak_masuk": absent,
                                        "p-kehadiran-menit_terlambat": late, "p-aspek_solok-inisiatif": initiative})
        browser.login("sekda").fire(ids[who], "confirm_rating")
        browser.login(who).fire(ids[who], "accept_rating")
        assert stored_results(session, ids[who])["predikat_akhir"] == wanted
    return ids


def test_the_performance_trend_reads_the_final_predicate_of_earlier_years(session, solok, browser):
    solok.record = publish_source(session, cycle_source("solok.yaml"), "solok.yaml", solok.actor(HR))
    first = _one_year(session, solok, browser, "2024", {"joko": "Butuh Perbaikan", "kiki": "Baik", "lina": "Baik"})
    assert stored_results(session, first["joko"])["tren_kinerja"] is None  # one period: waits
    second = _one_year(session, solok, browser, "2025", {"joko": "Baik", "kiki": "Baik", "lina": "Sangat Baik"})
    # 2025 against 2024, scale Sangat Kurang 1 ... Sangat Baik 5; with two periods the slope is the difference.
    # joko 3 -> 4: +1 naik; kiki 4 -> 4: 0 stabil; lina 4 -> 5: +1 naik.
    assert {who: stored_results(session, second[who])["tren_kinerja"] for who in INPUTS} == {
        "joko": "naik", "kiki": "stabil", "lina": "naik"}
    latest = _one_year(session, solok, browser, "2026",
                       {"joko": "Sangat Baik", "kiki": "Baik", "lina": "Butuh Perbaikan"})
    # Three periods, numbered 1-3 (mean 2); slope = Σ(x − 2)(y − ȳ) ÷ Σ(x − 2)² with Σ(x − 2)² = 2:
    # joko 3, 4, 5 (ȳ 4): (−1)(−1) + 0 + (1)(1) = 2 -> 2 ÷ 2 = 1: naik.
    # kiki 4, 4, 4: 0 ÷ 2 = 0: stabil.
    # lina 4, 5, 3 (ȳ 4): (−1)(0) + 0 + (1)(−1) = −1 -> −1 ÷ 2 = −0,5: turun.
    trend = {who: stored_results(session, latest[who])["tren_kinerja"] for who in INPUTS}
    assert trend == {"joko": "naik", "kiki": "stabil", "lina": "turun"}
    assert stored_explanation(session, latest["lina"], "tren_kinerja")["id"] == (
        "Nilai per periode: 2024 = Baik (4), 2025 = Sangat Baik (5), 2026 = Butuh Perbaikan (3). "
        "Kemiringan garis tren (kuadrat terkecil, periode bernomor 1 sampai 3) = -0,5 per periode, "
        "di bawah 0, jadi tren turun.")
    # The employee reads it on their own appraisal page.
    page = browser.login("joko").page(latest["joko"])
    assert "2024 = Butuh Perbaikan (3), 2025 = Baik (4), 2026 = Sangat Baik (5)" in (
        section(page, "Tren kinerja antarperiode"))
