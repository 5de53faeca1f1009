"""Bungo: fair and transparent periodic supervisor evaluation of results, attitude and team
contribution; the employee sees scores at once; weak communication leads to public speaking."""

from __future__ import annotations

import pytest

from engine.audit import verify_chain
from tests.agencies.conftest import (
    ATAS,
    BAWAH,
    SESUAI,
    Agency,
    Person,
    behaviour,
    build_agency,
    fresh,
    one_iki,
    plan_approved,
    publish_and_launch,
    section,
    stored_results,
)

UNITS = [
    ("PEMKAB_BUNGO", "Pemerintah Kabupaten Bungo", None),
    ("BAPPEDA_BUNGO", "Badan Perencanaan Pembangunan Daerah Kabupaten Bungo", "PEMKAB_BUNGO"),
]
PEOPLE = [
    Person("sekda", "Hasbi Rahman", "PEMKAB_BUNGO", None, "Sekretaris Daerah"),
    Person("kaban", "Erlina Putri", "BAPPEDA_BUNGO", "sekda", "Kepala Badan"),
    Person("mira", "Mira Yusnita", "BAPPEDA_BUNGO", "kaban", "Perencana Ahli Pertama", "Ahli Pertama"),
    Person("nanda", "Nanda Saputra", "BAPPEDA_BUNGO", "kaban", "Perencana Ahli Pertama", "Ahli Pertama"),
    Person("oki", "Oki Firmansyah", "BAPPEDA_BUNGO", "kaban", "Perencana Ahli Muda", "Ahli Muda"),
]
HR = "sdm_bungo"


def team(cooperation: str, communication: str, sharing: str) -> dict[str, str]:
    return {"p-kontribusi_tim-kerja_sama": cooperation, "p-kontribusi_tim-komunikasi": communication,
            "p-kontribusi_tim-berbagi_pengetahuan": sharing}


# (planning documents against 12, behaviour, team contribution)
INPUTS = {
    "mira": ("12", behaviour(), team(SESUAI, BAWAH, SESUAI)),
    "nanda": ("14", behaviour(default=ATAS), team(ATAS, ATAS, ATAS)),
    "oki": ("12", behaviour(), team(ATAS, SESUAI, SESUAI)),
}


@pytest.fixture
def bungo(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def test_periodic_evaluation_scores_at_once_and_matching_training(session, bungo, browser):
    publish_and_launch(session, bungo, "bungo.yaml", "PEMKAB_BUNGO")
    ids = bungo.appraisal_ids
    for who in INPUTS:
        plan_approved(browser, ids[who], who, "kaban", one_iki(
            "Dokumen perencanaan tersusun", "12", "dokumen", "Perencanaan pembangunan daerah"))

    # Mid-year: mira has 6 of 12 documents; the periodic evaluation computes her interim score,
    # which she sees on her page at once: 6 ÷ 12 = 50% < 90: Di Bawah Ekspektasi for now.
    mira = ids["mira"]
    browser.login("mira").realise(mira, "iki_1", "6", "Semester I")
    browser.login("kaban").fire(mira, "evaluasi_berkala", {"p-catatan": "Separuh dokumen selesai; percepat RKPD."})
    assert fresh(session, mira).state == "monitor"
    page = browser.login("mira").page(mira)
    interim = section(page, "Rating hasil kerja")
    assert "Di Bawah Ekspektasi" in interim and "50%" in interim
    assert "Separuh dokumen selesai; percepat RKPD." in page.split("Riwayat", 1)[1]
    # The evaluation is the supervisor's: the employee cannot fire it.
    assert "aksi-evaluasi_berkala" not in page

    for who, (documents, _values, _team) in INPUTS.items():
        browser.login(who).realise(ids[who], "iki_1", documents, "Akhir tahun")
    for who, (_d, values, contribution) in INPUTS.items():
        browser.login("kaban").fire(ids[who], "close_monitoring")
        browser.fire(ids[who], "rate", {**values, **contribution})

    # Visible at once: before the reviewer confirms, mira already sees her ratings and predicate.
    assert fresh(session, mira).state == "review"
    page = browser.login("mira").page(mira)
    assert "Baik" in section(page, "Predikat kinerja")
    assert "Di Bawah Ekspektasi" in section(page, "Rating kontribusi dalam tim")
    # mira: 12 ÷ 12 = 100% Sesuai; behaviour Sesuai: Baik. Team: communication below -> the weakest decides: Di Bawah.
    assert stored_results(session, mira)["rating_hasil_kerja"] == SESUAI
    # nanda: 14 ÷ 12 = 116,67% Di Atas; behaviour above: Sangat Baik; team all above: Di Atas.
    nanda = stored_results(session, ids["nanda"])
    assert (nanda["predikat"], nanda["rating_kontribusi_tim"]) == ("Sangat Baik", ATAS)
    # oki: cooperation above but communication only meets: Sesuai; predicate Baik.
    oki = stored_results(session, ids["oki"])
    assert (oki["predikat"], oki["rating_kontribusi_tim"]) == ("Baik", SESUAI)

    for who in INPUTS:
        browser.login("sekda").fire(ids[who], "confirm_rating")
        browser.login(who).fire(ids[who], "accept_rating")
    # Weak communication leads to public speaking; nobody else needs a course.
    recommended = stored_results(session, mira)["rekomendasi_pelatihan"]
    assert [(c["id"], c["title"], c["jp"]) for c in recommended] == [("public_speaking", "Public Speaking", 16)]
    assert stored_results(session, ids["nanda"])["rekomendasi_pelatihan"] == []

    # The supervisor enrols mira in the course; she records it done; the JP count follows.
    browser.login("kaban").develop(mira, "Public Speaking", "16")
    browser.login("mira").develop(mira, "Public Speaking", "16", done=True)
    page = browser.page(mira)
    assert "JP selesai: 16 dari target 20 JP" in page
    for who in INPUTS:
        browser.login("kaban").fire(ids[who], "complete_development")
        assert fresh(session, ids[who]).state == "closed"
    # The whole scenario left a log that proves every stored value.
    report = verify_chain(session)
    assert report.ok, report.problems
