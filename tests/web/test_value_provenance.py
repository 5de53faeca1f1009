"""On the screens every value says who supplied it, and only its supplier is offered the form.

Solok's cycle: the employee writes her own IKI; the number of proven public complaints
(``pengaduan_masyarakat``) is recorded by HR (``supplied_by: sdm``).
"""

from __future__ import annotations

import re
from importlib import resources

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.models import Appraisal, Realisation
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.pdf import pdf_text

OWN_IKI = [{"key": "iki_1", "label": "Berkas terverifikasi", "target": 100, "weight": 60, "aspect": "kuantitas"},
           {"key": "iki_2", "label": "Laporan tepat waktu", "target": 12, "weight": 40, "aspect": "waktu"}]
REFUSAL = "Realisasi «Jumlah pengaduan masyarakat yang terbukti» hanya dapat dicatat oleh Pengelola Kinerja (SDM)."


@pytest.fixture
def solok(session, logins) -> int:
    """ani's Solok appraisal in monitoring, her plan approved by kabid."""
    source = resources.files("workflows").joinpath("solok.yaml").read_text(encoding="utf-8")
    record = publish_source(session, source, "solok.yaml", logins.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", logins.actor("hr"))
    appraisal_id = session.scalars(select(Appraisal.id).where(
        Appraisal.run_id == run.id, Appraisal.employee_id == logins.people["ani"].id)).one()
    set_skp(session, appraisal_id, logins.actor("ani"), OWN_IKI)
    fire_transition(session, appraisal_id, "submit_plan", logins.actor("ani"), {})
    fire_transition(session, appraisal_id, "approve_plan", logins.actor("kabid"), {})
    return appraisal_id


def _version(client, appraisal_id: int) -> str:
    page = client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def _options(page: str) -> list[str]:
    form = page[page.index('id="r-indicator"'):]
    return re.findall(r'<option value="([^"]+)"', form[:form.index("</select>")])


def _skp_table(page: str) -> str:
    start = page.index('id="skp"')
    return page[start:page.index("</table>", start)]


def test_the_employee_is_offered_her_own_iki_only_and_hr_the_complaints(login, solok):
    assert _options(login("ani").get(f"/penilaian/{solok}").get_data(as_text=True)) == ["iki_1", "iki_2"]
    assert _options(login("hr").get(f"/penilaian/{solok}").get_data(as_text=True)) == ["pengaduan_masyarakat"]


def test_an_employee_typing_her_own_complaint_count_is_refused_in_indonesian(login, solok, session):
    client = login("ani")
    response = client.post(f"/penilaian/{solok}/realisasi", data={
        "version": _version(client, solok), "indicator": "pengaduan_masyarakat", "value": "0"})
    assert response.status_code == 403
    assert REFUSAL in response.get_data(as_text=True)
    session.rollback()
    assert session.scalars(select(Realisation)).all() == []


def test_the_refusal_in_english(login, solok):
    client = login("ani")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    response = client.post(f"/penilaian/{solok}/realisasi", data={
        "version": _version(client, solok), "indicator": "pengaduan_masyarakat", "value": "0"})
    assert response.status_code == 403
    assert "Only HR officer may record the realisation of «Number of proven public complaints»." in \
        response.get_data(as_text=True)


def test_the_skp_table_says_who_supplied_each_value(login, solok, session, logins):
    record_realisation(session, solok, logins.actor("ani"), "iki_1", 95)
    client = login("hr")
    response = client.post(f"/penilaian/{solok}/realisasi", data={
        "version": _version(client, solok), "indicator": "pengaduan_masyarakat", "value": "1",
        "note": "Kanal pengaduan terverifikasi"})
    assert response.status_code == 302
    table = _skp_table(login("kabid").get(f"/penilaian/{solok}").get_data(as_text=True))
    rows = {label: row for row in table.split("<tr>")[2:]
            for label in ("Jumlah pengaduan", "Berkas terverifikasi", "Laporan tepat waktu") if label in row}
    # The fixed indicator: target from the cycle file, realisation by HR as HR.
    assert "ditetapkan dalam berkas siklus" in rows["Jumlah pengaduan"]
    assert "oleh Pengelola Kinerja (Pengelola Kinerja (SDM))" in rows["Jumlah pengaduan"]
    # Her own IKI: target and realisation by ani as the employee; nothing recorded yet for the second.
    assert rows["Berkas terverifikasi"].count("oleh Ani Lestari (Pegawai)") == 2
    assert rows["Laporan tepat waktu"].count("oleh Ani Lestari (Pegawai)") == 1


def test_the_evaluation_document_says_who_supplied_each_value(login, solok, session, logins):
    record_realisation(session, solok, logins.actor("hr"), "pengaduan_masyarakat", 1)
    text = pdf_text(login("ani").get(f"/laporan/penilaian/{solok}.pdf").get_data())
    assert "Target ditetapkan dalam berkas siklus" in text
    assert "Realisasi oleh Pengelola Kinerja" in text
