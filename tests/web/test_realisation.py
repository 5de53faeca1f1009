"""Realisation with evidence (PDF, JPEG or PNG up to 5 MB, checked by content), and development."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.models import DevelopmentActivity, Realisation
from tests.support.states import drive

# A real, minimal one-page PDF.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _monitoring(session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    return appraisal_of("ani")


def _post(client, appraisal, content: bytes | None, filename: str = "laporan.pdf", value: str = "87,5"):
    data = {"indicator": "iki_1", "value": value, "note": "Triwulan I", "version": str(appraisal.version)}
    if content is not None:
        data["evidence"] = (io.BytesIO(content), filename)
    return client.post(f"/penilaian/{appraisal.id}/realisasi", data=data, content_type="multipart/form-data")


def test_a_pdf_is_accepted_stored_by_its_hash_and_listed(login, run, appraisal_of, session, org, app):
    appraisal = _monitoring(session, org, appraisal_of)
    client = login("ani")
    response = _post(client, appraisal, PDF)
    assert response.status_code == 302
    row = session.scalars(select(Realisation).where(Realisation.appraisal_id == appraisal.id)
                          .order_by(Realisation.id.desc())).first()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (row.value, row.note, row.evidence_sha256, row.evidence_type) == (
        87.5, "Triwulan I", digest, "application/pdf")
    stored = Path(app.config["UPLOAD_FOLDER"]) / str(appraisal.id) / f"{digest}.pdf"
    assert row.evidence_path == f"{appraisal.id}/{digest}.pdf" and stored.read_bytes() == PDF
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "Realisasi dicatat." in page and "laporan.pdf" in page and "87,5" in page
    download = login("kabid").get(f"/penilaian/{appraisal.id}/bukti/{row.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
    assert login("doni").get(f"/penilaian/{appraisal.id}/bukti/{row.id}").status_code == 403


def test_an_exe_renamed_pdf_is_refused(login, run, appraisal_of, session, org, app):
    appraisal = _monitoring(session, org, appraisal_of)
    before = session.scalars(select(Realisation.id).where(Realisation.appraisal_id == appraisal.id)).all()
    response = _post(login("ani"), appraisal, EXE, "laporan.pdf")
    assert response.status_code == 422
    form = response.get_data(as_text=True).split('id="realisasi"', 1)[1]
    assert "Bukti harus berupa berkas PDF, JPEG, atau PNG" in form
    assert 'value="87,5"' in form  # the input is kept
    assert session.scalars(select(Realisation.id).where(Realisation.appraisal_id == appraisal.id)).all() == before
    assert not (Path(app.config["UPLOAD_FOLDER"]) / str(appraisal.id)).exists() or not any(
        (Path(app.config["UPLOAD_FOLDER"]) / str(appraisal.id)).iterdir())


def test_a_png_named_pdf_is_refused(login, run, appraisal_of, session, org):
    appraisal = _monitoring(session, org, appraisal_of)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    assert _post(login("ani"), appraisal, png, "foto.pdf").status_code == 422


def test_a_file_over_5_mb_is_refused(login, run, appraisal_of, session, org):
    appraisal = _monitoring(session, org, appraisal_of)
    big = PDF + b"0" * (5 * 1024 * 1024)
    response = _post(login("ani"), appraisal, big)
    assert response.status_code == 422
    assert "Berkas bukti terlalu besar: paling besar 5 MB." in response.get_data(as_text=True)
    assert session.scalars(select(Realisation.id).where(Realisation.appraisal_id == appraisal.id)
                           .where(Realisation.evidence_sha256.is_not(None))).all() == []


def test_a_value_that_is_no_number_is_named_in_the_page_language(login, run, appraisal_of, session, org):
    appraisal = _monitoring(session, org, appraisal_of)
    response = _post(login("ani"), appraisal, PDF, value="delapan puluh")
    assert response.status_code == 422
    assert "Nilai realisasi harus berupa angka." in response.get_data(as_text=True)
    assert session.scalars(select(Realisation.id).where(Realisation.appraisal_id == appraisal.id)
                           .where(Realisation.evidence_sha256.is_not(None))).all() == []


@pytest.mark.parametrize(("typed", "said"), [
    ("", "Angkanya belum diisi; tulis angkanya, misalnya 1.234,5."),
    ("1e999", "«1e999» terlalu besar untuk disimpan; tulis angka biasa, misalnya 1.234,5.")])
def test_an_empty_or_endless_value_is_named_as_what_was_typed(login, run, appraisal_of, session, org, typed, said):
    """An empty value read 'must be a number'; 1e999 read 'not a sensible number («inf»)', echoing what the
    machine made of it, not what was typed."""
    appraisal = _monitoring(session, org, appraisal_of)
    response = _post(login("ani"), appraisal, PDF, value=typed)
    assert response.status_code == 422
    assert said in response.get_data(as_text=True)
    assert session.scalars(select(Realisation.id).where(Realisation.appraisal_id == appraisal.id)).all() == []


def test_the_history_shows_the_value_recorded_and_its_evidence(login, run, appraisal_of, session, org):
    appraisal = _monitoring(session, org, appraisal_of)
    client = login("ani")
    _post(client, appraisal, PDF, value="1.250,5")
    history = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True).split("Riwayat", 1)[1]
    assert "Berkas terverifikasi: 1.250,5 · laporan.pdf · Triwulan I" in history and "iki_1" not in history


def test_the_rater_cannot_record_the_employee_realisation(login, run, appraisal_of, session, org):
    appraisal = _monitoring(session, org, appraisal_of)
    assert _post(login("kabid"), appraisal, None).status_code == 403


def test_development_counts_jp_against_the_target(login, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "develop")
    appraisal = appraisal_of("ani")
    client = login("ani")
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "JP selesai: 0 dari target 20 JP" in page
    response = client.post(f"/penilaian/{appraisal.id}/pengembangan",
                           data={"title": "Pelayanan Prima", "jp": "12", "done": "1"})
    assert response.status_code == 302
    client.post(f"/penilaian/{appraisal.id}/pengembangan", data={"title": "Coaching", "jp": "8"})
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "JP selesai: 12 dari target 20 JP" in page
    assert "Pelayanan Prima · 12 JP · selesai" in page and "Coaching · 8 JP · direncanakan" in page
    refused = client.post(f"/penilaian/{appraisal.id}/pengembangan", data={"title": "Kosong", "jp": "0"})
    assert refused.status_code == 422 and "JP harus lebih dari 0." in refused.get_data(as_text=True)
    assert len(session.scalars(select(DevelopmentActivity).where(
        DevelopmentActivity.appraisal_id == appraisal.id)).all()) == 2


def test_a_file_far_over_every_limit_keeps_what_was_typed_beside_it(login, run, appraisal_of, session, org):
    """A 50 MB upload is refused by the evidence's own limit on the form itself, with the value and the
    note still filled in: not a bare 413 page."""
    appraisal = _monitoring(session, org, appraisal_of)
    response = _post(login("ani"), appraisal, PDF + b"0" * (50 * 1024 * 1024), value="1.234,5")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Berkas bukti terlalu besar: paling besar 5 MB." in page
    assert 'value="Triwulan I"' in page or ">Triwulan I<" in page
    assert "1.234,5" in page


def test_the_evidence_limit_is_stated_before_the_upload(login, run, appraisal_of, session, org):
    appraisal = _monitoring(session, org, appraisal_of)
    page = login("ani").get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "5 MB" in page.split('name="evidence"', 1)[0][-600:] + page.split('name="evidence"', 1)[1][:600]
