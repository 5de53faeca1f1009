"""An SKP row's key and leader link forged past what the tables hold: a 200-character key was a server error on
PostgreSQL (the column holds 64) and stored whole on SQLite; a link to IKI #99999999999999999999999 was a server
error on SQLite. Each is refused on the form with what to do, and nothing is stored."""

from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import Indicator
from tests.web.test_misuse_long_texts import _skp


def _keys(session, appraisal_id: int) -> list[str]:
    session.rollback()
    return list(session.scalars(select(Indicator.key).where(Indicator.appraisal_id == appraisal_id)))


def test_a_key_longer_than_the_table_holds_is_refused_naming_its_length(login, session, appraisal_of, run):
    ani = appraisal_of("ani")
    before = _keys(session, ani.id)
    response = _skp(login("ani"), ani, key="k" * 200)
    assert response.status_code == 422
    assert "IKI 1: kunci lebih dari 64 karakter (200); persingkat lalu simpan lagi." in response.get_data(as_text=True)
    assert _keys(session, ani.id) == before
    assert _skp(login("ani"), ani, key="k" * 64).status_code == 302
    assert _keys(session, ani.id) == ["k" * 64]


def test_a_leader_rhk_id_no_row_can_have_is_refused_as_unknown(login, session, appraisal_of, run):
    ani = appraisal_of("ani")
    before = _keys(session, ani.id)
    for forged in ("99999999999999999999999", "-5", "0", "2147483648"):
        response = _skp(login("ani"), ani, key="iki_1", parent_id=forged)
        assert response.status_code == 422, forged
        assert "IKI 1: RHK atasan yang didukung tidak dikenal." in response.get_data(as_text=True)
        assert _keys(session, ani.id) == before


def test_a_forged_row_number_is_no_server_error_and_no_row(login, session, appraisal_of, run):
    """Row numbers are read from the field names: iki-<5,000 digits>- failed int() with a server error."""
    ani = appraisal_of("ani")
    client = login("ani")
    page = client.get(f"/penilaian/{ani.id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    data = {"version": version, "iki-1-rhk": "Layanan kesehatan", "iki-1-label": "Dokumen selesai",
            "iki-1-aspect": "kuantitas", "iki-1-target": "10", "iki-1-unit": "dokumen", "iki-1-weight": "100",
            f"iki-{'9' * 5000}-label": "Palsu", "iki-٣-label": "Palsu juga"}
    response = client.post(f"/penilaian/{ani.id}/skp", data=data)
    assert response.status_code == 302
    session.rollback()
    assert list(session.scalars(select(Indicator.label).where(Indicator.appraisal_id == ani.id))) == [
        "Dokumen selesai"]
