"""Gorontalo: competence, integrity and work results; supervisor rating plus anonymous peer feedback;
results placed on the nine-box talent grid: a shortlist for strategic posts and one for coaching;
training programmes for weak points."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.access import hr_scope
from engine.audit import verify_chain
from engine.export import results_rows
from engine.models import Appraisal, FeedbackResponse, Result
from engine.tokens import create_token
from tests.agencies.conftest import (
    ATAS,
    BAWAH,
    VALUES,
    Agency,
    Person,
    behaviour,
    build_agency,
    events,
    fresh,
    one_iki,
    plan_approved,
    publish_and_launch,
    section,
    stored_results,
)

UNITS = [
    ("BKPSDM_GTO", "Badan Kepegawaian dan Pengembangan SDM Provinsi Gorontalo", None),
    ("BIDANG_PKA", "Bidang Pengembangan Kompetensi Aparatur", "BKPSDM_GTO"),
]
PEOPLE = [
    Person("kaban", "Ismail Pakaya", "BKPSDM_GTO", None, "Kepala Badan"),
    Person("kabid", "Rosna Mohamad", "BIDANG_PKA", "kaban", "Kepala Bidang"),
    Person("fadli", "Fadli Hulopi", "BIDANG_PKA", "kabid", "Analis SDM Aparatur Ahli Muda", "Ahli Muda"),
    Person("gita", "Gita Lamusu", "BIDANG_PKA", "kabid", "Widyaiswara Ahli Pertama", "Ahli Pertama"),
    Person("hasan", "Hasan Daud", "BIDANG_PKA", "kabid", "Analis SDM Aparatur Ahli Pertama", "Ahli Pertama"),
    Person("indah", "Indah Katili", "BIDANG_PKA", "kabid", "Pengadministrasi Kepegawaian"),
]
HR = "sdm_gorontalo"
# (trained civil servants against the target of 100, behaviour fields, competence/potential level)
INPUTS = {
    "fadli": ("115", behaviour(default=ATAS), "Tinggi"),
    "gita": ("100", behaviour(), "Tinggi"),
    "hasan": ("100", behaviour(), "Menengah"),
    "indah": ("80", behaviour(("kompeten", BAWAH)), "Rendah"),
}


@pytest.fixture
def gorontalo(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def test_talent_grid_shortlists_and_training_from_the_whole_cycle(session, gorontalo, browser):
    publish_and_launch(session, gorontalo, "gorontalo.yaml", "BKPSDM_GTO")
    ids = gorontalo.appraisal_ids
    for who, (trained, _values, _potential) in INPUTS.items():
        plan_approved(browser, ids[who], who, "kabid", one_iki(
            "Jumlah ASN yang mengikuti pelatihan kompetensi", "100", "orang", "Pengembangan kompetensi ASN"))
        browser.login(who).realise(ids[who], "iki_1", trained)

    # Peer feedback on gita from her three peers, anonymous, through the feedback form.
    window = f"/penilaian/{ids['gita']}/umpan-balik/umpan_balik_rekan"
    for peer in ("fadli", "hasan", "indah"):
        response = browser.login(peer).client.post(window, data={f"q-{v}": "3" for v in VALUES})
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
    # The supervisor is not a peer: this window is the peers' alone.
    refused = browser.login("kabid").client.post(window, data={f"q-{v}": "4" for v in VALUES})
    assert refused.status_code in (403, 404)
    session.rollback()
    assert session.scalars(select(FeedbackResponse.role).where(
        FeedbackResponse.appraisal_id == ids["gita"],
        FeedbackResponse.window == "umpan_balik_rekan")).all() == ["rekan"] * 3

    for who, (_trained, values, potential) in INPUTS.items():
        browser.login("kabid").fire(ids[who], "close_monitoring")
        # The competence level is required: a rating without it is refused and nothing moves.
        if who == "indah":
            browser.fire(ids[who], "rate", values, expect=422)
            assert fresh(session, ids[who]).state == "rate"
        browser.fire(ids[who], "rate", {**values, "p-potensi": potential})
        browser.login("kaban").fire(ids[who], "confirm_rating")

    # Talent box, rows potential high/medium/low = [6 8 9] [3 5 7] [1 2 4], columns performance low/medium/high.
    # fadli: 115% >= 110 Di Atas (high) × Tinggi -> 9; behaviour above: Sangat Baik.
    # gita: 100% Sesuai (medium) × Tinggi -> 8.   hasan: Sesuai × Menengah -> 5.
    # indah: 80% < 90 Di Bawah (low) × Rendah -> 1; behaviour (6 × 2 + 1) ÷ 7 = 1,86 Sesuai: Butuh Perbaikan.
    boxes = {who: stored_results(session, ids[who])["kotak_talenta"] for who in INPUTS}
    assert boxes == {"fadli": 9, "gita": 8, "hasan": 5, "indah": 1}
    assert [stored_results(session, ids[w])["predikat"] for w in INPUTS] == [
        "Sangat Baik", "Baik", "Baik", "Butuh Perbaikan"]

    # HR's shortlists read straight from the stored talent group of the run.
    session.rollback()
    groups = dict(session.execute(
        select(Appraisal.id, Result.value).join(Result, Result.appraisal_id == Appraisal.id)
        .where(Appraisal.run_id == gorontalo.run.id, Result.name == "kelompok_talenta")).all())
    strategic = sorted(w for w in INPUTS if groups[ids[w]] == "Rencana suksesi (jabatan strategis)")
    coaching = sorted(w for w in INPUTS if groups[ids[w]] == "Pembinaan kinerja")
    assert (strategic, coaching) == (["fadli", "gita"], ["indah"])
    assert groups[ids["hasan"]] == "Pengembangan di jabatan saat ini"

    # The employee sees the box and the arithmetic behind it.
    page = browser.login("indah").page(ids["indah"])
    assert "Kotak 1" in section(page, "Kotak talenta")

    for who in INPUTS:
        browser.login(who).fire(ids[who], "accept_rating")
    # indah's weak core value Kompeten leads to the e-learning programme; her IKI has no course.
    recommended = stored_results(session, ids["indah"])["rekomendasi_pelatihan"]
    assert [c["id"] for c in recommended] == ["manajemen_waktu"]
    browser.login("kabid").develop(ids["indah"], "Manajemen Waktu dan Penyelesaian Masalah (e-learning)", "10",
                                   done=True)
    for who in INPUTS:
        browser.login("kabid").fire(ids[who], "complete_development")
        assert fresh(session, ids[who]).state == "closed"
    # The whole scenario left a log that proves every stored value.
    report = verify_chain(session)
    assert report.ok, report.problems


def test_an_appeal_that_raises_the_work_rating_moves_the_talent_box(session, gorontalo, browser):
    """The talent box reads the final work-results rating: the appeal decision moves it, and with it the
    talent group, on the page, in the API and in the results export."""
    publish_and_launch(session, gorontalo, "gorontalo.yaml", "BKPSDM_GTO")
    hasan = gorontalo.appraisal_ids["hasan"]
    plan_approved(browser, hasan, "hasan", "kabid", one_iki(
        "Jumlah ASN yang mengikuti pelatihan kompetensi", "100", "orang", "Pengembangan kompetensi ASN"))
    browser.login("hasan").realise(hasan, "iki_1", "100")
    browser.login("kabid").fire(hasan, "close_monitoring")
    browser.fire(hasan, "rate", {**behaviour(), "p-potensi": "Menengah"})
    browser.login("kaban").fire(hasan, "confirm_rating")
    # Sesuai (100%) × Menengah: box 5, developed in the current post.
    before = stored_results(session, hasan)
    assert (before["kotak_talenta"], before["kelompok_talenta"]) == (5, "Pengembangan di jabatan saat ini")
    browser.login("hasan").fire(hasan, "appeal",
                                {"p-alasan": "Pelatihan bulan Desember belum tercatat dalam realisasi."})

    # An upheld decision that names another rating contradicts itself: refused, and nothing moves.
    refused = browser.login("kaban").fire(hasan, "decide_appeal", {
        "p-keputusan": "tetap", "p-pertimbangan": "Rating penilai dipertahankan.", "p-rating_hasil_kerja": ATAS},
        expect=409)
    assert "mempertahankan rating dari penilai" in refused
    assert fresh(session, hasan).state == "appeal" and stored_results(session, hasan)["kotak_talenta"] == 5

    browser.fire(hasan, "decide_appeal", {
        "p-keputusan": "diubah", "p-pertimbangan": "Bukti pelatihan Desember sah dan lengkap.",
        "p-rating_hasil_kerja": ATAS})
    # Di Atas (decided on appeal) × Menengah: box 7, the succession pool.
    after = stored_results(session, hasan)
    assert (after["kotak_talenta"], after["kelompok_talenta"]) == (7, "Rencana suksesi (jabatan strategis)")
    decided = events(session, hasan, "transition")[-1]
    assert decided.trigger == "decide_appeal"
    assert (decided.results["kotak_talenta"]["value"], decided.results["kelompok_talenta"]["value"]) == (
        7, "Rencana suksesi (jabatan strategis)")

    page = browser.login("hasan").page(hasan)
    assert "Kotak 7" in section(page, "Kotak talenta")
    assert "Rencana suksesi (jabatan strategis)" in section(page, "Kelompok talenta")
    session.rollback()
    token = create_token(session, gorontalo.actor("hasan"), gorontalo.users["hasan"], "test").secret
    shown = browser.client.get(f"/api/v1/appraisals/{hasan}", headers={"Authorization": f"Bearer {token}"}).get_json()
    by_name = {r["name"]: r["value"] for r in shown["results"]}
    assert (by_name["kotak_talenta"], by_name["kelompok_talenta"]) == (7, "Rencana suksesi (jabatan strategis)")
    session.rollback()
    exported = results_rows(session, period="2026", scope=hr_scope(session, gorontalo.actor(gorontalo.hr)))
    row = next(r for r in exported if r["Nama"] == "Hasan Daud")
    assert row["Rating Hasil Kerja"] == ATAS
    # The recomputed talent box is what the chain says, too.
    report = verify_chain(session)
    assert report.ok, report.problems
