"""Binjai, version 2: the 360 changes the behaviour rating as the cycle declares (the rater 60%, peers
40%, at least three peers), and a team with two peers keeps the rater's rating alone, saying so."""

from __future__ import annotations

from datetime import datetime

import pytest

from engine.audit import verify_chain
from tests.agencies.conftest import (
    ATAS,
    SESUAI,
    VALUES,
    Agency,
    Person,
    behaviour,
    build_agency,
    one_iki,
    plan_approved,
    publish_and_launch,
    section,
    stored_explanation,
    stored_results,
)

UNITS = [
    ("DINKES_BINJAI", "Dinas Kesehatan Kota Binjai", None),
    ("PUSKESMAS_KOTA", "Puskesmas Binjai Kota", "DINKES_BINJAI"),
    ("PUSKESMAS_TIMUR", "Puskesmas Binjai Timur", "DINKES_BINJAI"),
]
PEOPLE = [
    Person("kadis", "dr. Rahmat Ginting", "DINKES_BINJAI", None, "Kepala Dinas Kesehatan"),
    Person("kapus", "dr. Lestari Tarigan", "PUSKESMAS_KOTA", "kadis", "Kepala Puskesmas"),
    Person("andi", "Andi Sembiring", "PUSKESMAS_KOTA", "kapus", "Perawat Ahli Pertama", "Ahli Pertama"),
    Person("butet", "Butet Manurung", "PUSKESMAS_KOTA", "kapus", "Bidan Terampil", "Terampil"),
    Person("citra", "Citra Barus", "PUSKESMAS_KOTA", "kapus", "Perawat Terampil", "Terampil"),
    Person("dedi", "Dedi Purba", "PUSKESMAS_KOTA", "kapus", "Sanitarian Ahli Pertama", "Ahli Pertama"),
    # A small team: each of its three staff has two peers.
    Person("kapus2", "dr. Maria Sitepu", "PUSKESMAS_TIMUR", "kadis", "Kepala Puskesmas"),
    Person("eka", "Eka Ginting", "PUSKESMAS_TIMUR", "kapus2", "Perawat Terampil", "Terampil"),
    Person("fajar", "Fajar Perangin-angin", "PUSKESMAS_TIMUR", "kapus2", "Bidan Terampil", "Terampil"),
    Person("gita", "Gita Sinulingga", "PUSKESMAS_TIMUR", "kapus2", "Perawat Terampil", "Terampil"),
]
HR = "sdm_binjai"
RATERS = {"andi": "kapus", "eka": "kapus2"}


@pytest.fixture
def binjai(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def _answer(browser, appraisal_id: int, giver: str, score: str) -> None:
    browser.login(giver)
    response = browser.client.post(f"/penilaian/{appraisal_id}/umpan-balik/umpan_balik_360",
                                   data={f"q-{v}": score for v in VALUES})
    assert response.status_code == 302, (giver, response.get_data(as_text=True)[:800])


def test_the_360_changes_the_behaviour_rating_and_a_small_team_keeps_the_raters(session, binjai, browser):
    publish_and_launch(session, binjai, "binjai-v2.yaml", "DINKES_BINJAI", period=str(datetime.now().year))
    ids = binjai.appraisal_ids
    for who, rater in RATERS.items():
        plan_approved(browser, ids[who], who, rater, one_iki(
            "Jumlah pasien terlayani sesuai standar", "1.200", "pasien", "Pelayanan kesehatan dasar"))
        browser.login(who).realise(ids[who], "iki_1", "1.200", "Rekap SIMPUS")
    # andi's three peers see his service as below what the rater saw: 2 on every value.
    for peer in ("butet", "citra", "dedi"):
        _answer(browser, ids["andi"], peer, "2")
    # eka has only two peers, who answer the same.
    for peer in ("fajar", "gita"):
        _answer(browser, ids["eka"], peer, "2")
    # Residents rate both health centres 4 on every element: IKM 100, public IKI 120% (capped).
    for slug in ("puskesmas-kota", "puskesmas-timur"):
        response = browser.client.post(f"/layanan/{slug}", data={f"U{i}": "4" for i in range(1, 10)},
                                       headers={"User-Agent": f"ponsel-{slug}"})
        assert response.status_code == 303
    for who, rater in RATERS.items():
        browser.login(rater).fire(ids[who], "close_monitoring")
        browser.fire(ids[who], "rate", behaviour(default=ATAS))
        browser.login("kadis").fire(ids[who], "confirm_rating")

    # andi: the rater's Di Atas (score 4) × 60% + the peers' mean 2 × 40% = 3,2: Sesuai Ekspektasi.
    andi = stored_results(session, ids["andi"])
    assert (andi["rating_perilaku_penilai"], andi["rating_perilaku"]) == (ATAS, SESUAI)
    # Work results (100 × 100 + 120 × 25) ÷ 125 = 104: Sesuai; the predicate reads the 360 behaviour rating.
    assert andi["predikat"] == "Baik"
    explained = stored_explanation(session, ids["andi"], "rating_perilaku")
    assert explained["id"] == (
        "Penilaian pejabat penilai: Di Atas Ekspektasi (skor 4). Responden 360: rekan kerja 3 (minimum rekan "
        "kerja 3). Skor = 4 × 60% + 2 × 40% = 3,2. Karena 3,2 berada pada rentang ≥ 2,5 dan < 3,5, rating "
        "perilaku kerja adalah Sesuai Ekspektasi.")

    # eka: two peers where three are needed: the rater's rating alone, and the explanation says so.
    eka = stored_results(session, ids["eka"])
    assert (eka["rating_perilaku_penilai"], eka["rating_perilaku"]) == (ATAS, ATAS)
    fallback = stored_explanation(session, ids["eka"], "rating_perilaku")
    assert "Baru 2 rekan kerja (minimum 3) yang menjawab, kurang dari minimum; sesuai aturan siklus, rating " \
           "perilaku memakai penilaian pejabat penilai saja: Di Atas Ekspektasi." in fallback["id"]
    assert "Only 2 peers (at least 3) answered, fewer than the minimum; as the cycle declares, the behaviour " \
           "rating is the rater's rating alone" in fallback["en"]
    # The employee reads it on the appraisal page; no peer's answer is shown.
    page = browser.login("eka").page(ids["eka"])
    assert "pejabat penilai saja" in section(page, "Rating perilaku kerja")
    report = verify_chain(session)
    assert report.ok, report.problems
