"""Public complaint cases and evaluation PDFs under misuse: HR of another unit, employees, odd ids, empty and
overlong fields, a second reply, markup in a complaint. Each refusal is in Bahasa Indonesia and changes
nothing; what HR typed comes back with the refusal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from engine.audit import verify_chain
from engine.citizen_models import Complaint
from engine.complaints import MAX_TEXT
from engine.models import AuditEvent
from engine.public_feedback import submit_public_feedback

WHEN = datetime(2026, 3, 2, 3, tzinfo=UTC)
ODD_IDS = ["0", "-1", "9223372036854775808", "abc", "99999"]


@pytest.fixture
def case(session, logins, org) -> int:
    submit_public_feedback(session, org.bidang.public_slug, {f"U{i}": 3 for i in range(1, 10)},
                           "Petugas loket <script>alert(1)</script> meminta uang tambahan.", "hp-1", now=WHEN)
    return int(session.scalars(select(Complaint.id)).one())


def _state(session, case_id: int) -> tuple[str, str | None, int]:
    session.rollback()
    complaint = session.get(Complaint, case_id)
    return complaint.status, complaint.reply, int(session.scalar(select(func.count()).select_from(AuditEvent)))


@pytest.mark.parametrize("who", ["hr_lain", "ani", "kabid"])
def test_only_hr_of_the_unit_touches_a_case(login, session, case, who):
    before = _state(session, case)
    client = login(who)
    desk = client.get("/sdm/pengaduan")
    assert desk.status_code == (200 if who == "hr_lain" else 403)  # HR elsewhere sees their own (empty) desk
    assert "Petugas loket" not in desk.get_data(as_text=True)
    for path, data in ((f"/sdm/pengaduan/{case}/pilah", {"status": "unfounded"}),
                       (f"/sdm/pengaduan/{case}/jawab", {"jawaban": "Terima kasih atas laporannya."})):
        response = client.post(path, data=data)
        assert response.status_code == 403
        assert "Petugas loket" not in response.get_data(as_text=True)
    assert _state(session, case) == before


@pytest.mark.parametrize("odd", ODD_IDS)
def test_odd_case_ids_are_not_found(login, session, case, odd):
    before = _state(session, case)
    client = login("hr")
    assert client.post(f"/sdm/pengaduan/{odd}/pilah", data={"status": "unfounded"}).status_code == 404
    assert client.post(f"/sdm/pengaduan/{odd}/jawab", data={"jawaban": "Sudah ditindaklanjuti."}).status_code == 404
    assert _state(session, case) == before


@pytest.mark.parametrize(("data", "expected"), [
    ({}, "Pilih hasil pemilahan"),
    ({"status": "terbukti"}, "Pilih hasil pemilahan"),
    ({"status": "verified"}, "harus menyebut pegawai"),
    ({"status": "verified", "pegawai": "abc"}, "harus menyebut pegawai"),
    ({"status": "verified", "pegawai": "9223372036854775808"}, "harus menyebut pegawai"),
    ({"status": "duplicate"}, "Duplikat harus menyebut pengaduan lain"),
    ({"status": "duplicate", "duplikat_dari": "-1"}, "Duplikat harus menyebut pengaduan lain"),
])
def test_a_triage_missing_what_it_needs_is_refused_in_indonesian(login, session, case, data, expected):
    before = _state(session, case)
    response = login("hr").post(f"/sdm/pengaduan/{case}/pilah", data=data)
    assert response.status_code == 422 and expected in response.get_data(as_text=True)
    assert _state(session, case) == before


def test_a_complaint_is_verified_only_against_someone_of_its_unit(login, session, org, case):
    before = _state(session, case)
    response = login("hr").post(f"/sdm/pengaduan/{case}/pilah",
                                data={"status": "verified", "pegawai": str(org.people["doni"].id)})
    assert response.status_code == 422
    assert "Pegawai itu tidak bekerja di unit yang diadukan." in response.get_data(as_text=True)
    assert _state(session, case) == before


def test_a_duplicate_of_a_duplicate_is_refused_on_the_desk_naming_the_original_in_both_languages(
        login, session, org, case):
    for n in (2, 3):
        submit_public_feedback(session, org.bidang.public_slug, {f"U{i}": 3 for i in range(1, 10)},
                               f"Petugas loket meminta uang tambahan lagi ({n}).", f"hp-{n}", now=WHEN)
    second, third = session.scalars(select(Complaint.id).where(Complaint.id != case).order_by(Complaint.id)).all()
    client = login("hr")
    assert client.post(f"/sdm/pengaduan/{second}/pilah",
                       data={"status": "duplicate", "duplikat_dari": str(case)}).status_code == 302
    before = _state(session, third)
    form = {"status": "duplicate", "duplikat_dari": str(second), "catatan": "Sama dengan pengaduan sebelumnya."}
    refused = client.post(f"/sdm/pengaduan/{third}/pilah", data=form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert (f"Pengaduan #{second} sendiri duplikat dari pengaduan #{case}; tandai pengaduan #{third} sebagai "
            f"duplikat dari #{case}.") in page
    assert ">Sama dengan pengaduan sebelumnya.</textarea>" in page  # what HR typed comes back
    english = client.post(f"/sdm/pengaduan/{third}/pilah", data=form, headers={"Accept-Language": "en"})
    assert (f"Complaint #{second} is itself a duplicate of complaint #{case}; mark complaint #{third} as a "
            f"duplicate of #{case}.") in english.get_data(as_text=True)
    assert _state(session, third) == before
    assert client.post(f"/sdm/pengaduan/{third}/pilah",
                       data={**form, "duplikat_dari": str(case)}).status_code == 302
    assert verify_chain(session).ok


def test_the_complaint_text_is_shown_as_text_never_as_markup(login, case):
    page = login("hr").get("/sdm/pengaduan").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)</script>" not in page


def test_an_overlong_reply_is_refused_by_its_length_and_comes_back_as_typed(login, session, case):
    client = login("hr")
    assert client.post(f"/sdm/pengaduan/{case}/pilah", data={"status": "unfounded"}).status_code == 302
    before = _state(session, case)
    typed = "Sudah kami periksa. " + "x" * MAX_TEXT
    response = client.post(f"/sdm/pengaduan/{case}/jawab", data={"jawaban": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and f"Teks paling panjang {MAX_TEXT} karakter" in page
    assert typed in page
    assert _state(session, case) == before


def test_a_short_reply_comes_back_as_typed(login, session, case):
    client = login("hr")
    client.post(f"/sdm/pengaduan/{case}/pilah", data={"status": "unfounded"})
    response = client.post(f"/sdm/pengaduan/{case}/jawab", data={"jawaban": "Oke."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Jawaban paling sedikit 10 karakter." in page and ">Oke.</textarea>" in page


def test_the_reply_field_takes_as_much_as_the_engine_accepts(login, case):
    client = login("hr")
    client.post(f"/sdm/pengaduan/{case}/pilah", data={"status": "unfounded"})
    page = client.get("/sdm/pengaduan").get_data(as_text=True)
    assert f'name="jawaban" rows="3" maxlength="{MAX_TEXT}"' in page
    assert f'name="catatan" rows="2" maxlength="{MAX_TEXT}"' in page


def test_a_second_reply_is_refused_and_the_first_stays(login, session, case):
    client = login("hr")
    client.post(f"/sdm/pengaduan/{case}/pilah", data={"status": "unfounded"})
    assert client.post(f"/sdm/pengaduan/{case}/jawab", data={"jawaban": "Sudah ditindaklanjuti."}).status_code == 302
    before = _state(session, case)
    again = client.post(f"/sdm/pengaduan/{case}/jawab", data={"jawaban": "Jawaban kedua yang berbeda."})
    assert again.status_code == 409 and "Pengaduan ini sudah dijawab." in again.get_data(as_text=True)
    assert _state(session, case) == before == ("unfounded", "Sudah ditindaklanjuti.", before[2])
    assert verify_chain(session).ok


@pytest.mark.parametrize("who", ["budi", "hr_lain", "doni"])
def test_someone_elses_evaluation_pdf_is_not_given(login, appraisal_of, who):
    response = login(who).get(f"/laporan/penilaian/{appraisal_of('ani').id}.pdf")
    assert response.status_code in (403, 404) and response.mimetype != "application/pdf"


@pytest.mark.parametrize("odd", ODD_IDS)
def test_odd_pdf_ids_are_not_found(login, run, odd):
    assert login("hr").get(f"/laporan/penilaian/{odd}.pdf").status_code == 404


def test_the_pdf_is_kept_by_no_browser_or_proxy(login, appraisal_of):
    response = login("ani").get(f"/laporan/penilaian/{appraisal_of('ani').id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_refused_triage_comes_back_with_the_choice_and_the_note_as_typed(login, session, case):
    response = login("hr").post(f"/sdm/pengaduan/{case}/pilah",
                                data={"status": "verified", "catatan": "Dicek ke loket 3 pada 2 Maret."})
    assert response.status_code == 422
    form = response.get_data(as_text=True).split(f'id="pengaduan-{case}"', 1)[1].split("</form>", 1)[0]
    assert 'value="verified" checked' in form and ">Dicek ke loket 3 pada 2 Maret.</textarea>" in form
