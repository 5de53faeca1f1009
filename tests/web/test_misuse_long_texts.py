"""Texts of an SKP pasted far past any sensible length: an IKI's text or RHK, its unit and a realisation's note
were stored whatever their size (a 10,000-character IKI went onto the rater's page, the PDF and the audit log).
Each is refused with its limit and its length, the form keeps what was typed, and nothing is stored."""

from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import Indicator, Realisation
from tests.support.states import drive


def _skp(client, appraisal, **override: str):
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    data = {"version": version, "iki-1-key": "", "iki-1-rhk": "Layanan kesehatan", "iki-1-label": "Dokumen selesai",
            "iki-1-aspect": "kuantitas", "iki-1-target": "10", "iki-1-unit": "dokumen", "iki-1-weight": "100",
            **{f"iki-1-{k}": v for k, v in override.items()}}
    return client.post(f"/penilaian/{appraisal.id}/skp", data=data)


def _labels(session, appraisal_id: int) -> list[str]:
    session.rollback()
    return list(session.scalars(select(Indicator.label).where(Indicator.appraisal_id == appraisal_id)))


def test_an_iki_text_over_4000_characters_is_refused_naming_its_length(login, session, appraisal_of, run):
    ani = appraisal_of("ani")
    before = _labels(session, ani.id)
    response = _skp(login("ani"), ani, label="x" * 10000)
    assert response.status_code == 422
    assert "IKI 1: teks indikator lebih dari 4.000 karakter (10.000); persingkat lalu simpan lagi." \
        in response.get_data(as_text=True)
    assert _labels(session, ani.id) == before
    assert _skp(login("ani"), ani, rhk="r" * 4001).status_code == 422
    unit = _skp(login("ani"), ani, unit="satuan-" * 10)
    assert "IKI 1: satuan lebih dari 32 karakter (70)" in unit.get_data(as_text=True)
    assert _skp(login("ani"), ani, label="x" * 4000).status_code == 302  # at the limit is fine


def test_a_realisation_note_over_4000_characters_is_refused_and_the_form_keeps_the_value(login, session, org,
                                                                                          appraisal_of, run):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    ani = appraisal_of("ani")
    client = login("ani")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    response = client.post(f"/penilaian/{ani.id}/realisasi", data={
        "indicator": "iki_1", "value": "12", "note": "n" * 5000, "version": str(ani.version)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The realisation&#39;s note is longer than 4,000 characters (5,000); shorten it and save again." in page
    assert 'value="12"' in page.split('id="realisasi"', 1)[1]
    session.rollback()
    assert session.scalars(select(Realisation.id).where(Realisation.appraisal_id == ani.id)).all() == []


def test_an_appeal_reason_over_4000_characters_is_refused_naming_the_limit(login, session, org, appraisal_of, run):
    """A transition's free text had no limit: 10,000 characters went into the appeal and the audit chain."""
    ani = appraisal_of("ani")
    drive(session, org, ani.id, "ani", "rated")
    ani = appraisal_of("ani")
    response = login("ani").post(f"/penilaian/{ani.id}/aksi/appeal", data={
        "p-alasan": "x" * 10000, "konfirmasi": "1", "version": str(ani.version)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Terlalu panjang: paling banyak 4000 karakter, tertulis 10000." in page
    assert "x" * 4001 in page  # the form keeps what was typed
    assert appraisal_of("ani").state == "rated"
    at_limit = login("ani").post(f"/penilaian/{ani.id}/aksi/appeal", data={
        "p-alasan": "x" * 4000, "konfirmasi": "1", "version": str(ani.version)})
    assert at_limit.status_code == 302 and appraisal_of("ani").state == "appeal"

