"""An evidence file whose name is longer than the 255 characters the tables keep (a phone's share sheet names
files after the whole message): the realisation's upload was a server error on PostgreSQL. The name is
shortened to fit, keeping its start and its extension, and the file is stored and downloadable."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from engine.errors import InvalidInput
from engine.evidence import MAX_EVIDENCE_NAME, EvidenceStore, Upload
from engine.models import Realisation
from tests.web.test_realisation import PDF, _monitoring, _post
from web.messages import message_text


def test_a_long_file_name_is_shortened_to_fit_and_keeps_its_extension(login, run, appraisal_of, session, org):
    appraisal = _monitoring(session, org, appraisal_of)
    client = login("ani")
    response = _post(client, appraisal, PDF, filename="laporan_" + "a" * 400 + ".pdf")
    assert response.status_code == 302
    session.rollback()
    name = session.scalar(select(Realisation.evidence_name).where(Realisation.appraisal_id == appraisal.id))
    assert MAX_EVIDENCE_NAME == 255
    assert len(name) == 255 and name.startswith("laporan_aaaa") and name.endswith(".pdf")


@pytest.mark.parametrize(("sent", "kept"), [
    ("Laporan Kegiatan Triwulan I.pdf", "Laporan Kegiatan Triwulan I.pdf"),
    ("Bukti Ülkü Ñoño.pdf", "Bukti Ülkü Ñoño.pdf"),                # letters with marks kept, not dropped
    ("报告.pdf", "报告.pdf"),                                          # a name wholly in another script: a PDF still
    ("laporan\u202efdp.exe.pdf", "laporanfdp.exe.pdf"),              # no direction override to show it reversed
    ("lap\u200b\u200dor\u2066an\u200f.pdf", "laporan.pdf"),          # zero-width and isolate marks dropped
    ("lap\x1b[2Jor\x07an.pdf", "lap[2Joran.pdf"),                    # control characters dropped
    (".pdf", "bukti.pdf"),                                           # only an extension
    ("....pdf", "bukti.pdf"),
    ("../../etc/laporan.pdf", "laporan.pdf"),                        # a path: its last part
])
def test_an_evidence_name_is_kept_as_its_uploader_meant_it_without_hidden_characters(login, run, appraisal_of,
                                                                                     session, org, sent, kept):
    """A name went through secure_filename: letters with marks and names in other scripts were dropped (a PDF
    named 报告.pdf, or only .pdf, was refused as not a PDF), while the unit's penetapan kept direction marks."""
    appraisal = _monitoring(session, org, appraisal_of)
    client = login("ani")
    response = _post(client, appraisal, PDF, filename=sent)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    session.rollback()
    name = session.scalar(select(Realisation.evidence_name).where(Realisation.appraisal_id == appraisal.id))
    assert name == kept
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert f"<bdi>{html.escape(kept, quote=False)}</bdi>" in page


def test_an_empty_evidence_file_is_named_as_empty_not_as_the_wrong_kind(tmp_path):
    with pytest.raises(InvalidInput) as refused:
        EvidenceStore(tmp_path).store(7, Upload("laporan.pdf", b""))
    assert "The evidence file laporan.pdf is empty (0 bytes)" in str(refused.value)
    assert message_text(refused.value.msg, "id") == "Berkas bukti laporan.pdf kosong (0 bita); pilih berkas yang benar."
    assert not any(tmp_path.rglob("*.*"))


def test_a_name_sent_as_a_windows_path_is_its_last_part(tmp_path):
    evidence, _created = EvidenceStore(tmp_path).store(7, Upload("C:\\Users\\ani\\laporan.pdf", PDF))
    assert evidence.name == "laporan.pdf"
