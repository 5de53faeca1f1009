"""The upward-review example cycle (workflows/umpan-balik-pimpinan.yaml): subordinates rate their leader,
the leader nominates peers of the same agency and the rater approves them, and the behaviour rating
counts the 360 as the cycle declares (a role short of its minimum is left out, said so)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.audit import verify_chain
from engine.citizen_models import FeedbackNomination
from engine.feedback import feedback_to_give
from engine.models import FeedbackResponse
from tests.agencies.conftest import (
    ATAS,
    SESUAI,
    VALUES,
    Agency,
    Person,
    behaviour,
    build_agency,
    events,
    publish_and_launch,
    stored_explanation,
    stored_results,
)

UNITS = [
    ("PEMKOT_CONTOH", "Pemerintah Kota Contoh", None),
    ("DINAS_CONTOH", "Dinas Pelayanan Terpadu Kota Contoh", "PEMKOT_CONTOH"),
    ("PEMKAB_LAIN", "Pemerintah Kabupaten Lain", None),
]
PEOPLE = [
    Person("kadis", "Hendra Saputra", "DINAS_CONTOH", None, "Kepala Dinas"),
    Person("kabid", "Ratna Dewi", "DINAS_CONTOH", "kadis", "Kepala Bidang Pelayanan"),
    Person("kabid2", "Agus Salim", "DINAS_CONTOH", "kadis", "Kepala Bidang Perizinan"),
    Person("kabid3", "Sari Wulandari", "DINAS_CONTOH", "kadis", "Kepala Bidang Pengaduan"),
    Person("staf1", "Budi Santoso", "DINAS_CONTOH", "kabid", "Analis Pelayanan"),
    Person("staf2", "Citra Lestari", "DINAS_CONTOH", "kabid", "Analis Pelayanan"),
    Person("staf3", "Dodi Firmansyah", "DINAS_CONTOH", "kabid", "Pengadministrasi Umum"),
    Person("luar", "Eko Prasetyo", "PEMKAB_LAIN", None, "Kepala Bidang di kabupaten lain"),
]
HR = "sdm_contoh"


@pytest.fixture
def contoh(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def _propose(browser, appraisal_id: int, nip: str, expect: int = 302) -> str:
    response = browser.client.post(f"/penilaian/{appraisal_id}/responden", data={"peran": "rekan", "nip": nip})
    assert response.status_code == expect, response.get_data(as_text=True)[:1500]
    return response.get_data(as_text=True)


def _answer(browser, appraisal_id: int, giver: str, score: str, expect: int = 302) -> None:
    browser.login(giver)
    response = browser.client.post(f"/penilaian/{appraisal_id}/umpan-balik/umpan_balik_pimpinan",
                                   data={f"q-{v}": score for v in VALUES})
    assert response.status_code == expect, (giver, response.get_data(as_text=True)[:800])


def test_subordinates_rate_their_leader_and_nominated_peers_count_once_approved(session, contoh, browser):
    publish_and_launch(session, contoh, "umpan-balik-pimpinan.yaml", "DINAS_CONTOH")
    kabid = contoh.appraisal_ids["kabid"]
    nip = {key: person.nip for key, person in contoh.people.items()}

    # The leader nominates two peers of the agency, from a link on the appraisal page; someone of
    # another agency is refused by name.
    assert f'href="/penilaian/{kabid}/responden"' in browser.login("kabid").page(kabid)
    _propose(browser, kabid, nip["kabid2"])
    _propose(browser, kabid, nip["kabid3"])
    refused = _propose(browser, kabid, nip["luar"], expect=422)
    assert "Eko Prasetyo bekerja di luar instansi" in refused
    assert "sudah diusulkan" in _propose(browser, kabid, nip["kabid2"], expect=409)
    # Only the leader proposes, and only the rater decides.
    browser.login("staf1")
    assert browser.client.post(f"/penilaian/{kabid}/responden",
                               data={"peran": "rekan", "nip": nip["staf2"]}).status_code == 403
    session.rollback()
    first, second = session.scalars(select(FeedbackNomination.id).order_by(FeedbackNomination.id)).all()
    browser.login("kabid")
    assert browser.client.post(f"/penilaian/{kabid}/responden/{first}", data={"keputusan": "setuju"}).status_code == 403
    browser.login("kadis")
    page = browser.client.get(f"/penilaian/{kabid}/responden").get_data(as_text=True)
    assert "Agus Salim" in page and "Sari Wulandari" in page and "<td>Rekan yang diusulkan</td>" in page
    # Read in English, each nomination names its role by the cycle's English label.
    english = browser.client.get(f"/penilaian/{kabid}/responden",
                                 headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<td>Nominated peer</td>" in english and "<td>Rekan yang diusulkan</td>" not in english
    assert browser.client.post(f"/penilaian/{kabid}/responden/{first}", data={"keputusan": "setuju"}).status_code == 302
    assert browser.client.post(f"/penilaian/{kabid}/responden/{second}", data={"keputusan": "tolak"}).status_code == 302
    browser.fire(kabid, "open_feedback")
    # The approved peer finds the window among the feedback they have to give; the declined one does not.
    session.rollback()
    assert [(f.appraisal.id, f.window.id) for f in feedback_to_give(session, contoh.actor("kabid2"))] == [
        (kabid, "umpan_balik_pimpinan")]
    assert feedback_to_give(session, contoh.actor("kabid3")) == []

    # The three direct reports rate upward (2 on every value) and the approved peer answers (4);
    # the declined one cannot answer.
    for staff in ("staf1", "staf2", "staf3"):
        _answer(browser, kabid, staff, "2")
    _answer(browser, kabid, "kabid2", "4")
    _answer(browser, kabid, "kabid3", "4", expect=403)
    session.rollback()
    assert session.scalars(select(FeedbackResponse.respondent_user_id).where(
        FeedbackResponse.appraisal_id == kabid)).all() == [None] * 4

    browser.login("kadis").fire(kabid, "close_feedback")
    browser.fire(kabid, "rate", behaviour(default=ATAS))
    # One approved peer where three are needed: peers are left out, the rater's 50 and the
    # subordinates' 30 are shared out: 4 × 62,5% + 2 × 37,5% = 3,25: Sesuai Ekspektasi.
    results = stored_results(session, kabid)
    assert (results["rating_perilaku_penilai"], results["rating_perilaku"]) == (ATAS, SESUAI)
    explained = stored_explanation(session, kabid, "rating_perilaku")["id"]
    assert "Responden 360: bawahan 3 dan rekan kerja 1" in explained
    assert "Baru 1 rekan kerja (minimum 3) yang menjawab, kurang dari minimum: tidak dihitung" in explained
    assert "Skor = 4 × 62,5% + 2 × 37,5% = 3,25" in explained
    # Each proposal and decision is in the appraisal's audit chain.
    assert [e.payload["status"] for e in events(session, kabid, "nomination")] == [
        "proposed", "proposed", "approved", "declined"]
    report = verify_chain(session)
    assert report.ok, report.problems
