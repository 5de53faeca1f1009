"""Binjai: every employee writes an annual work plan with targets and is rated against it; 360 by
the supervisor, at least three peers, and the public through the unit's IKM survey."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from engine.audit import verify_chain
from engine.models import FeedbackResponse
from tests.agencies.conftest import (
    ATAS,
    BAWAH,
    PDF,
    SESUAI,
    VALUES,
    Agency,
    Person,
    behaviour,
    build_agency,
    fresh,
    one_iki,
    plan_approved,
    publish_and_launch,
    section,
    stored_explanation,
    stored_results,
)

UNITS = [
    ("DINKES_BINJAI", "Dinas Kesehatan Kota Binjai", None),
    ("PUSKESMAS_BINJAI", "Puskesmas Binjai Kota", "DINKES_BINJAI"),
]
PEOPLE = [
    Person("kadis", "dr. Rahmat Ginting", "DINKES_BINJAI", None, "Kepala Dinas Kesehatan"),
    Person("kapus", "dr. Lestari Tarigan", "PUSKESMAS_BINJAI", "kadis", "Kepala Puskesmas"),
    Person("andi", "Andi Sembiring", "PUSKESMAS_BINJAI", "kapus", "Perawat Ahli Pertama", "Ahli Pertama"),
    Person("butet", "Butet Manurung", "PUSKESMAS_BINJAI", "kapus", "Bidan Terampil", "Terampil"),
    Person("citra", "Citra Barus", "PUSKESMAS_BINJAI", "kapus", "Perawat Terampil", "Terampil"),
    Person("dedi", "Dedi Purba", "PUSKESMAS_BINJAI", "kapus", "Sanitarian Ahli Pertama", "Ahli Pertama"),
]
HR = "sdm_binjai"
# Patients served against the plan's target of 1.200.
SERVED = {"andi": "1.440", "butet": "1.200", "citra": "960", "dedi": "1.320"}


@pytest.fixture
def binjai(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def _public_survey(client, slug: str) -> None:
    """Four residents answer the nine IKM elements on the unit's public page, no login."""
    for n, answer in enumerate(("4", "4", "3", "3"), start=1):
        response = client.post(f"/layanan/{slug}", data={**{f"U{i}": answer for i in range(1, 10)}, "pengaduan": ""},
                               headers={"User-Agent": f"ponsel-warga-{n}"})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]


def test_annual_plan_with_360_and_the_public_survey(session, binjai, browser, client):
    # The public part counts answers given within the run's period: the current year.
    publish_and_launch(session, binjai, "binjai.yaml", "DINKES_BINJAI", period=str(datetime.now().year))
    ids = binjai.appraisal_ids
    # A plan without any target of one's own is refused with the cycle's message.
    browser.login("citra")
    refused = browser.fire(ids["citra"], "submit_plan", expect=409)
    assert "Rencana kerja tahunan harus memuat paling sedikit satu target." in refused
    for who in SERVED:
        plan_approved(browser, ids[who], who, "kapus", one_iki(
            "Jumlah pasien terlayani sesuai standar", "1.200", "pasien", "Pelayanan kesehatan dasar"))
        browser.login(who).realise(ids[who], "iki_1", SERVED[who], "Rekap SIMPUS", evidence=("simpus.pdf", PDF))

    # 360: the supervisor and three peers answer the seven core values on the feedback form.
    window = f"/penilaian/{ids['andi']}/umpan-balik/umpan_balik_360"
    for giver, score in (("kapus", "4"), ("butet", "4"), ("citra", "3"), ("dedi", "3")):
        browser.login(giver)
        response = browser.client.post(window, data={f"q-{v}": score for v in VALUES})
        assert response.status_code == 302, (giver, response.get_data(as_text=True)[:800])
    # Someone who is neither supervisor nor peer (the head of the agency) cannot answer.
    browser.login("kadis")
    outsider = browser.client.post(window, data={f"q-{v}": "1" for v in VALUES})
    assert outsider.status_code in (403, 404)
    session.rollback()
    roles = sorted(session.scalars(select(FeedbackResponse.role).where(
        FeedbackResponse.appraisal_id == ids["andi"], FeedbackResponse.window == "umpan_balik_360")))
    assert roles == ["penilai", "rekan", "rekan", "rekan"]
    # Anonymous window: no answer names its respondent.
    assert session.scalars(select(FeedbackResponse.respondent_user_id).where(
        FeedbackResponse.appraisal_id == ids["andi"])).all() == [None] * 4

    # The public answers the unit's IKM survey: two residents all 4, two all 3.
    _public_survey(client, "puskesmas-binjai")

    for who in SERVED:
        browser.login("kapus").fire(ids[who], "close_monitoring")
        browser.fire(ids[who], "rate", behaviour(default=ATAS if who == "andi" else SESUAI))
        browser.login("kadis").fire(ids[who], "confirm_rating")

    # IKM: mean answer (4 + 4 + 3 + 3) ÷ 4 = 3,5 on every element; 3,5 × 25 = 87,5 (grade B).
    # Public IKI: 87,5 ÷ 76,61 × 100 = 114,21%.
    # andi: 1.440 ÷ 1.200 = 120%; (120 × 100 + 114,21 × 25) ÷ 125 = 118,84 >= 110: Di Atas; behaviour Di Atas.
    andi = stored_results(session, ids["andi"])
    assert (andi["iki.kepuasan_masyarakat"], andi["iki.iki_1"]) == (114.21, 120)
    assert (andi["rating_hasil_kerja"], andi["predikat"]) == (ATAS, "Sangat Baik")
    # butet: 100%; (10.000 + 2.855,25) ÷ 125 = 102,84: Sesuai; behaviour Sesuai: Baik.
    assert stored_results(session, ids["butet"])["predikat"] == "Baik"
    # citra: 960 ÷ 1.200 = 80%; (8.000 + 2.855,25) ÷ 125 = 86,84 < 90: Di Bawah; with Sesuai: Butuh Perbaikan.
    citra = stored_results(session, ids["citra"])
    assert (citra["rating_hasil_kerja"], citra["predikat"]) == (BAWAH, "Butuh Perbaikan")
    # dedi: 110%; (11.000 + 2.855,25) ÷ 125 = 110,84 >= 110: Di Atas; with Sesuai: Baik.
    dedi = stored_results(session, ids["dedi"])
    assert (dedi["rating_hasil_kerja"], dedi["predikat"]) == (ATAS, "Baik")

    # One 360 score from the window and the public survey (feedback.umpan_balik_360.scores_with_public),
    # one score per respondent, the mean of their answers:
    # supervisor (kapus): 4; peers: butet 4, citra 3, dedi 3 -> (4 + 3 + 3) ÷ 3 = 3,333...;
    # public: four residents, means 4, 4, 3, 3 -> 3,5 (= IKM 87,5 ÷ 25).
    # Score = 4 × 50% + 3,333... × 30% + 3,5 × 20% = 2 + 1 + 0,7 = 3,7.
    assert andi["skor_360"] == 3.7
    explained = stored_explanation(session, ids["andi"], "skor_360")
    assert explained["id"] == (
        "Umpan balik 360 dari 8 responden (atasan 1, rekan kerja 3, masyarakat 4). "
        "Bobot: atasan 50%, rekan kerja 30% dan masyarakat 20%. "
        "Rata-rata per peran: atasan 4, rekan kerja 3,33 dan masyarakat 3,5. "
        "Skor = 4 × 50% + 3,33 × 30% + 3,5 × 20% = 3,7.")
    assert "3,7" in section(browser.login("andi").page(ids["andi"]), "Skor umpan balik 360")
    # Nobody answered the window about butet: the score waits for the supervisor, and the rating went on.
    assert stored_results(session, ids["butet"])["skor_360"] is None
    assert "jawaban dari atasan (wajib ada)" in stored_explanation(session, ids["butet"], "skor_360")["id"]

    # The employee reads the public part in the explanation of the work-results rating.
    page = browser.login("citra").page(ids["citra"])
    assert "Butuh Perbaikan" in section(page, "Predikat kinerja")
    assert "114,21" in section(page, "Rating hasil kerja")

    for who in SERVED:
        browser.login(who).fire(ids[who], "accept_rating")
        browser.login("kapus").fire(ids[who], "complete_development")
        assert fresh(session, ids[who]).state == "closed"
    # citra's weak point is her own IKI (no course for it) and none of the values; the explanation says so.
    assert stored_results(session, ids["citra"])["rekomendasi_pelatihan"] == []
    # The whole scenario left a log that proves every stored value.
    report = verify_chain(session)
    assert report.ok, report.problems
