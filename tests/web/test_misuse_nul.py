"""A NUL character typed or forged into any text: no database stores one (PostgreSQL refuses the statement, which
ended as a server error), so every screen and the API refuse it first, naming the field and what to do."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.models import Indicator

NUL_REFUSED = "memuat karakter kendali NUL (kode 0), yang tidak dapat disimpan"


def _version(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the page offers no form with a version"
    return found.group(1)


def _indicators(session, appraisal_id: int) -> list[tuple[str, str]]:
    session.rollback()
    return [(i.key, i.label) for i in session.scalars(select(Indicator).where(Indicator.appraisal_id == appraisal_id)
                                                      .order_by(Indicator.id))]


def test_an_iki_with_a_nul_in_its_text_is_refused_and_the_skp_keeps_its_indicators(login, session, appraisal_of, run):
    ani = appraisal_of("ani")
    client = login("ani")
    before = _indicators(session, ani.id)
    version = _version(client.get(f"/penilaian/{ani.id}").get_data(as_text=True))
    response = client.post(f"/penilaian/{ani.id}/skp", data={
        "version": version, "iki-1-key": "", "iki-1-rhk": "Layanan", "iki-1-label": "Dokumen\x00 selesai",
        "iki-1-aspect": "kuantitas", "iki-1-target": "10", "iki-1-unit": "dokumen", "iki-1-weight": "100"})
    assert response.status_code == 422
    assert f"Isian «iki-1-label» {NUL_REFUSED}" in response.get_data(as_text=True)
    assert _indicators(session, ani.id) == before


@pytest.mark.parametrize(("path", "data"), [
    ("/token/", {"name": "skrip\x00", "days": "30"}),
    ("/sdm/pengguna", {"nip": "1\x002", "username": "baru"}),
    ("/laporan/?period=20%0026", None),
    ("/sdm/putaran?cari%00=x", None),
])
def test_a_nul_in_any_field_or_query_is_refused_with_what_to_do(login, run, path, data):
    client = login("hr")
    response = client.get(path) if data is None else client.post(path, data=data)
    assert response.status_code == 422, response.status_code
    page = response.get_data(as_text=True)
    assert NUL_REFUSED in page and "lalu kirim lagi" in page
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    english = client.get(path) if data is None else client.post(path, data=data)
    assert "contains the control character NUL (code 0), which cannot be stored" in english.get_data(as_text=True)


REORDERING_REFUSED = "yang membalik atau menyusun ulang urutan tampilan teks"


@pytest.mark.parametrize("character", ["\u202e", "\u202d", "\u2066", "\u2069"])
def test_a_character_that_reorders_how_a_text_shows_is_refused_and_nothing_is_kept(login, session, appraisal_of, run,
                                                                                    character):
    """A right-to-left override makes "Dokumen selesai" show reversed on every screen, export and PDF while the
    stored text says otherwise: a comment or an IKI must read as it is stored."""
    ani = appraisal_of("ani")
    client = login("ani")
    before = _indicators(session, ani.id)
    version = _version(client.get(f"/penilaian/{ani.id}").get_data(as_text=True))
    response = client.post(f"/penilaian/{ani.id}/skp", data={
        "version": version, "iki-1-key": "", "iki-1-rhk": "Layanan", "iki-1-label": f"Dokumen {character}selesai",
        "iki-1-aspect": "kuantitas", "iki-1-target": "10", "iki-1-unit": "dokumen", "iki-1-weight": "100"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Isian «iki-1-label» memuat karakter tersembunyi U+{ord(character):04X} {REORDERING_REFUSED}" in page
    assert _indicators(session, ani.id) == before


def test_the_api_refuses_a_reordering_character_in_a_json_text_naming_where(login, app, session, org, appraisal_of,
                                                                           run):
    from engine.tokens import create_token

    ani = appraisal_of("ani")
    secret = create_token(session, org.actor("kabid"), org.users["kabid"], "test").secret
    response = app.test_client().post(
        f"/api/v1/appraisals/{ani.id}/transitions", headers={"Authorization": f"Bearer {secret}"},
        json={"trigger": "return_plan", "version": ani.version, "payload": {"komentar": "Target \u202ebelum terukur"}})
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "input.reordering" and "payload/komentar" in problem["detail"]
    assert "U+202E" in problem["detail"]
    assert appraisal_of("ani").version == ani.version


@pytest.mark.parametrize("surrogate", ["\\ud800", "\\udfff", "x\\udc00y"])
def test_the_public_api_refuses_a_lone_surrogate_in_a_complaint_and_stores_nothing(client, session, org, surrogate):
    """JSON may escape half of a UTF-16 pair; no database can store it (UTF-8 has no such character), and the
    public answer ended as a server error after its rate-limit count."""
    from engine.models import FeedbackResponse
    from engine.public_feedback import survey

    answers = ", ".join(f'"{key}": 4' for key in survey().keys)
    body = f'{{"answers": {{{answers}}}, "complaint": "Antrean {surrogate} lama"}}'.encode()
    response = client.post("/api/v1/public/units/bidang/feedback", data=body, content_type="application/json")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "input.surrogate" and "complaint" in problem["detail"]
    assert problem["text"]["id"].startswith("Isian «complaint» memuat karakter yang tidak sah")
    session.rollback()
    assert session.scalars(select(FeedbackResponse)).all() == []
