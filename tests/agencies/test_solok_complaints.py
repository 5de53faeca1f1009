"""Solok, version 3: a citizen's complaint becomes a case HR triages, and a verified complaint changes
the employee's complaint indicator with nobody typing the number; the public sees the unit's IKM,
grade, trend and how many complaints were resolved, and nothing personal."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engine.audit import verify_chain
from engine.citizen_models import Complaint
from engine.models import AuditEvent, FeedbackResponse
from engine.public_feedback import submit_public_feedback
from tests.agencies.conftest import (
    ATAS,
    SESUAI,
    Agency,
    behaviour,
    build_agency,
    events,
    one_iki,
    plan_approved,
    publish_and_launch,
    stored_explanation,
    stored_results,
)
from tests.agencies.test_solok import HR, PEOPLE, UNITS

SLUG = "dukcapil-solok"
YEAR = datetime.now(UTC).year
SLOW = "Petugas loket 2 sangat lambat, saya antre tiga jam untuk KTP elektronik."


@pytest.fixture
def solok(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def _citizen(client, n: int, answer: str, complaint: str = "") -> None:
    """One resident answers the nine elements on the unit's public page (no login), maybe with a complaint."""
    response = client.post(f"/layanan/{SLUG}", data={**{f"U{i}": answer for i in range(1, 10)}, "pengaduan": complaint,
                                                     "profil-usia": "30_39", "profil-pekerjaan": "wiraswasta"},
                           headers={"User-Agent": f"ponsel-warga-{n}"})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def _case_ids(session) -> list[int]:
    session.rollback()
    return list(session.scalars(select(Complaint.id).order_by(Complaint.id)))


def _triage(client, case: int, status: str, expect: int = 302, **fields: str) -> str:
    response = client.post(f"/sdm/pengaduan/{case}/pilah", data={"status": status, **fields})
    assert response.status_code == expect, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_a_verified_complaint_changes_the_complaint_indicator_with_nobody_typing_it(session, solok, browser, client):
    publish_and_launch(session, solok, "solok-v3.yaml", "PEMKO_SOLOK", period=str(YEAR))
    ids = solok.appraisal_ids
    for who in ("joko", "kiki"):
        plan_approved(browser, ids[who], who, "kadis", one_iki(
            "Dokumen kependudukan terbit tepat waktu", "1.000", "dokumen", "Pelayanan adminduk"))
        browser.login(who).realise(ids[who], "iki_1", "1.000", "Rekap akhir tahun")

    # Four residents answer the survey; three write a complaint, one of them twice the same story.
    browser.client.post("/keluar")
    browser.who = None
    _citizen(client, 1, "3", SLOW)
    _citizen(client, 2, "3", "Loket 2 lambat, antre tiga jam (sama seperti pengaduan sebelumnya).")
    _citizen(client, 3, "4", "Katanya blangko habis, padahal tidak ada pengumuman.")
    _citizen(client, 4, "4")
    first, repeat, rumour = _case_ids(session)
    session.rollback()
    # The profile is kept as codes, without a name; the complaint text stays with the answer.
    assert session.scalars(select(FeedbackResponse.profile).where(FeedbackResponse.unit_id.is_not(None))).first() == {
        "usia": "30_39", "pekerjaan": "wiraswasta"}

    # Nobody types the count: the employee is refused naming where the number comes from, and HR
    # (who typed it in versions 1 and 2) no longer records realisations at all.
    refused = browser.login("joko").realise(ids["joko"], "pengaduan_masyarakat", "0", "", expect=403)
    assert "diisi oleh sistem dari pengaduan masyarakat yang diverifikasi SDM;" in refused
    browser.login(HR).realise(ids["joko"], "pengaduan_masyarakat", "0", "", expect=403)

    # HR's desk lists the cases with their text.
    desk = client.get("/sdm/pengaduan").get_data(as_text=True)
    assert SLOW in desk and f'id="pengaduan-{rumour}"' in desk
    # A verified complaint must name the employee concerned, who works in the unit.
    assert "harus menyebut pegawai yang bersangkutan" in _triage(client, first, "verified", expect=422)
    sekda = str(solok.people["sekda"].id)
    assert "tidak bekerja di unit yang diadukan" in _triage(client, first, "verified", expect=422, pegawai=sekda)
    _triage(client, first, "verified", pegawai=str(solok.people["joko"].id), catatan="Rekaman CCTV loket 2.")
    _triage(client, repeat, "duplicate", duplikat_dari=str(first))
    _triage(client, rumour, "unfounded", catatan="Blangko tersedia; pengumuman ada di papan.")

    # joko's indicator now reads one verified complaint: the page shows it, supplied by the system.
    page = browser.login("joko").page(ids["joko"])
    assert "pengaduan masyarakat yang diverifikasi SDM" in page
    for who, values in (("joko", behaviour(default=ATAS)), ("kiki", behaviour())):
        browser.login("kadis").fire(ids[who], "close_monitoring")
        browser.fire(ids[who], "rate", {**values, "p-kehadiran-hari_tidak_masuk": "0",
                                        "p-kehadiran-menit_terlambat": "0", "p-aspek_solok-inisiatif": SESUAI})
    # Fewer is better, target 2: 1 complaint -> (4 − 1) ÷ 2 = 150% capped 120; kiki 0 -> 120.
    joko = stored_results(session, ids["joko"])
    assert joko["iki.pengaduan_masyarakat"] == 120
    assert stored_results(session, ids["kiki"])["iki.pengaduan_masyarakat"] == 120

    # A second verified complaint against joko, while his rating is under review: recomputed at once.
    browser.client.post("/keluar")
    browser.who = None
    _citizen(client, 5, "2", "Petugas loket 2 membentak warga lansia.")
    late = _case_ids(session)[-1]
    browser.login(HR)
    _triage(client, late, "verified", pegawai=str(solok.people["joko"].id))
    # 2 complaints -> (4 − 2) ÷ 2 = 100%; the work-results rating reads it: (100 × 100 + 100 × 25) ÷ 125 = 100.
    joko = stored_results(session, ids["joko"])
    assert (joko["iki.pengaduan_masyarakat"], joko["rating_hasil_kerja"]) == (100, SESUAI)
    assert "2" in stored_explanation(session, ids["joko"], "iki.pengaduan_masyarakat")["id"]
    counted = [e for e in events(session, ids["joko"], "complaint")]
    assert [e.payload["complaint"] for e in counted] == [first, late]
    assert counted[-1].actor_name == HR and counted[-1].results["iki.pengaduan_masyarakat"]["value"] == 100
    # kiki was never named: her appraisal's chain has no complaint event.
    assert events(session, ids["kiki"], "complaint") == []

    # HR answers two cases; an answered case is closed, and a case is triaged before it is answered.
    client.post(f"/sdm/pengaduan/{first}/jawab", data={"jawaban": "Petugas sudah ditegur; loket 2 ditambah."})
    client.post(f"/sdm/pengaduan/{rumour}/jawab", data={"jawaban": "Blangko tersedia setiap hari kerja."})
    again = _triage(client, first, "unfounded", expect=409)
    assert "sudah dijawab dan ditutup" in again
    session.rollback()
    assert session.get(Complaint, first).resolved
    # Every step HR took is in the system chain, without the complaint's text.
    steps = session.scalars(select(AuditEvent).where(AuditEvent.kind == "complaint", AuditEvent.appraisal_id.is_(None))
                            .order_by(AuditEvent.id)).all()
    assert [(e.payload["complaint"], e.payload["status"]) for e in steps] == [
        (first, "verified"), (repeat, "duplicate"), (rumour, "unfounded"), (late, "verified"), (first, "verified"),
        (rumour, "unfounded")]
    assert all(SLOW not in str(e.payload) for e in steps)
    report = verify_chain(session)
    assert report.ok, report.problems

    # Once joko's appraisal is closed its rating stands: a complaint about that year verified later is counted
    # on the case, but his closed appraisal is not recomputed and its chain gets no event.
    browser.login("sekda").fire(ids["joko"], "confirm_rating")
    browser.login("joko").fire(ids["joko"], "accept_rating")
    browser.login("kadis").fire(ids["joko"], "complete_development")
    settled = stored_results(session, ids["joko"])
    browser.client.post("/keluar")
    browser.who = None
    _citizen(client, 6, "2", "Petugas loket 2 tidak memakai seragam.")
    after_close = _case_ids(session)[-1]
    browser.login(HR)
    _triage(client, after_close, "verified", pegawai=str(solok.people["joko"].id))
    assert stored_results(session, ids["joko"]) == settled
    assert [e.payload["complaint"] for e in events(session, ids["joko"], "complaint")] == [first, late]
    assert verify_chain(session).ok


def test_the_public_unit_page_shows_the_ikm_grade_trend_and_resolved_complaints(session, solok, client):
    # Last year two residents answered 3 on every element: IKM 75 (C); this year 4, 4, 3, 3: 87,5 (B).
    for n, answer in enumerate(("3", "3")):
        submit_public_feedback(session, SLUG, {f"U{i}": answer for i in range(1, 10)}, "", f"warga-lalu-{n}",
                               now=datetime(YEAR - 1, 6, 1, 3, tzinfo=UTC))
    for n, answer in enumerate(("4", "4", "3", "3"), start=1):
        _citizen(client, n, answer, "Antrean panjang di loket 2." if n == 1 else "")
    page = client.get(f"/layanan/{SLUG}/kinerja").get_data(as_text=True)
    assert re.search(r'class="ikm-value">87,5<', page) and "Mutu pelayanan B" in page and "Kinerja unit: Baik" in page
    assert "Tren: naik 12,5 poin dibanding tahun sebelumnya." in page
    this_year = page.split(f'data-year="{YEAR}"', 1)[1].split("</tr>", 1)[0]
    assert [c for c in re.findall(r"<td>([^<]*)</td>", this_year)] == [str(YEAR), "87,5", "B", "4", "1", "0"]
    last_year = page.split(f'data-year="{YEAR - 1}"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>([^<]*)</td>", last_year) == [str(YEAR - 1), "75", "C", "2", "0", "0"]
    # Each element's mean answer this year: (4 + 4 + 3 + 3) ÷ 4 = 3,5 on every element.
    by_element = page.split('id="ikm-per-unsur"', 1)[1].split("</table>", 1)[0]
    assert "U3 Waktu penyelesaian</td><td>3,5</td>" in by_element and by_element.count("<td>3,5</td>") == 9
    # Numbers only: no complaint text, no employee.
    assert "Antrean panjang" not in page and "Joko" not in page
    english = client.get(f"/layanan/{SLUG}/kinerja", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Service grade B" in english and "Trend: up 12.5 points on the year before." in english
