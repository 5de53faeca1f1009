"""Reports one level of the organisation at a time: the country (every unit's HR) opens on its top units,
an agency's HR on their agency; each row is a sub-unit with everything below it, with a link down and
breadcrumbs up; a search by name or code stands in for a list of every unit; the per-unit table is paged.

Known data as in test_reports.py: DINAS's 2026 run, ani Baik, budi Butuh Perbaikan, kabid and kadis
without a predicate yet; the 2025 run has no predicate at all.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

import web.reports
from engine.models import Result
from tests.web.test_reports import HEADERS, known_data


@pytest.fixture
def known(session, org, run, national, appraisal_of) -> dict[str, int]:
    return known_data(session, org, national, appraisal_of)


def rows_of_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_every_units_hr_sees_each_agency_as_one_row_with_everything_below_it(login, known):
    rows = rows_of_csv(login("admin").get("/laporan/predikat.csv?period=2026"))
    assert rows == [HEADERS, ["Dinas Kependudukan", "0", "1", "1", "0", "0", "2", "4"]]


def test_a_row_opens_its_unit_one_level_down(login, known, org):
    client = login("admin")
    html = client.get("/laporan/?period=2026").get_data(as_text=True)
    assert f'href="/laporan/?unit={org.dinas.id}&amp;period=2026"' in html
    down = client.get(f"/laporan/?unit={org.dinas.id}&period=2026").get_data(as_text=True)
    row = re.search(r'<tr><th scope="row">Bidang Pelayanan</th>(.*?)</tr>', down).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["0", "1", "1", "0", "0", "1", "3"]
    assert f'href="/laporan/?unit={org.bidang.id}&amp;period=2026"' in down


def test_breadcrumbs_lead_back_up_to_the_top_of_the_scope(login, known, org):
    html = login("admin").get(f"/laporan/?unit={org.bidang.id}").get_data(as_text=True)
    crumbs = re.search(r'<p class="crumbs">(.*?)</p>', html, re.S).group(1)
    assert f'<a href="/laporan/?unit={org.root.id}&amp;period=2026">Pemerintah Daerah</a>' in crumbs
    assert f'<a href="/laporan/?unit={org.dinas.id}&amp;period=2026">Dinas Kependudukan</a>' in crumbs
    assert '<strong aria-current="page">Bidang Pelayanan</strong>' in crumbs


def test_an_agency_hr_starts_on_their_agency_and_sees_nothing_above_it(login, known, org):
    html = login("hr").get("/laporan/").get_data(as_text=True)
    crumbs = re.search(r'<p class="crumbs">(.*?)</p>', html, re.S).group(1)
    assert "Dinas Kependudukan" in crumbs and "Pemerintah Daerah" not in html


def test_the_unit_search_answers_within_the_scope_only(login, known, org):
    found = login("hr").get("/laporan/?cari=bidang").get_data(as_text=True)
    assert f'<li><a href="/laporan/?unit={org.bidang.id}&amp;period=2026">Bidang Pelayanan</a>' in found
    elsewhere = login("hr_lain").get("/laporan/?cari=bidang").get_data(as_text=True)
    assert "Bidang Pelayanan" not in elsewhere and "Tidak ada unit yang cocok." in elsewhere


def test_the_page_lists_no_select_of_every_unit(login, known):
    html = login("admin").get("/laporan/").get_data(as_text=True)
    assert '<select id="unit"' not in html and "Dinas Lain" in html  # a sub-unit link, not an option


def test_the_final_predicate_after_an_appeal_is_the_one_counted(login, known, session):
    session.add(Result(appraisal_id=known["budi"], name="predikat_akhir", value="Baik"))
    session.commit()
    rows = rows_of_csv(login("hr").get("/laporan/predikat.csv?period=2026"))
    assert rows[1] == ["Bidang Pelayanan", "0", "2", "0", "0", "0", "1", "3"]


def test_a_predicate_that_is_no_text_counts_as_none_yet(login, known, session):
    session.add(Result(appraisal_id=known["kadis"], name="predikat", value=3))
    session.commit()
    rows = rows_of_csv(login("hr").get("/laporan/predikat.csv?period=2026"))
    assert rows[2] == ["Dinas Kependudukan", "0", "0", "0", "0", "0", "1", "1"]


def test_the_unit_table_is_paged_and_the_export_holds_every_row(login, known, monkeypatch):
    monkeypatch.setattr(web.reports, "ROWS_PER_PAGE", 1)
    client = login("hr")
    first = client.get("/laporan/?period=2026").get_data(as_text=True)
    second = client.get("/laporan/?period=2026&hal=2").get_data(as_text=True)
    table = 'id="tabel-predikat"'
    assert "Bidang Pelayanan</th>" in first.split(table)[1].split("</table>")[0]
    assert "Dinas Kependudukan</th>" in second.split(table)[1].split("</table>")[0]
    assert "Halaman 1 dari 2" in first and 'rel="next" href="/laporan/?hal=2&amp;period=2026"' in first
    assert [r[0] for r in rows_of_csv(client.get("/laporan/predikat.csv?period=2026"))[1:]] == [
        "Bidang Pelayanan", "Dinas Kependudukan"]


@pytest.mark.parametrize("page", ["0", "99", "x"])
def test_a_page_out_of_range_shows_a_page_that_exists(login, known, page):
    assert login("hr").get(f"/laporan/?period=2026&hal={page}").status_code == 200
