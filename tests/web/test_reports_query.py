"""What the report pages say for a query string they cannot answer: an unknown period names the periods
there are (keeping the unit), and no value in any parameter gives a server error."""

from __future__ import annotations

import pytest

from tests.web.test_reports import known_data


@pytest.fixture
def known(session, org, run, national, appraisal_of):
    return known_data(session, org, national, appraisal_of)


def test_an_unknown_period_says_so_and_links_the_periods_there_are(login, known):
    response = login("hr").get("/laporan/?period=1999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Tidak ada penilaian pada periode «1999»." in page
    assert '<li><a href="/laporan/?period=2026">2026</a></li><li><a href="/laporan/?period=2025">2025</a></li>' in page


def test_the_periods_offered_keep_the_unit_and_the_search(login, known, org):
    page = login("hr").get(f"/laporan/?period=2O26&unit={org.bidang.id}&cari=pel").get_data(as_text=True)
    assert "Tidak ada penilaian pada periode «2O26»." in page
    assert f'href="/laporan/?period=2025&amp;unit={org.bidang.id}&amp;cari=pel"' in page


def test_an_export_of_an_unknown_period_says_the_same(login, known):
    response = login("hr").get("/laporan/predikat.csv?period=2062")
    assert response.status_code == 404 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Tidak ada penilaian pada periode «2062»." in page and 'href="/laporan/?period=2026"' in page


def test_the_unknown_period_page_speaks_english_when_asked(login, known):
    client = login("hr")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    page = client.get("/laporan/?period=1999").get_data(as_text=True)
    assert "There are no appraisals in period «1999»." in page and "Choose one of the periods there are:" in page


def test_a_long_period_is_shown_shortened(login, known):
    response = login("hr").get("/laporan/?period=" + "9" * 5000)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<p>Tidak ada penilaian pada periode «" + "9" * 39 + "…».</p>" in page


def test_an_unknown_period_where_nothing_is_appraised_says_there_is_nothing_yet(login, known):
    page = login("hr_lain").get("/laporan/?period=2026").get_data(as_text=True)
    assert "Tidak ada penilaian pada periode «2026»." in page and "Belum ada penilaian di unit Anda." in page


JUNK = ["period=", "period=%01", "period=%E2%80%A8", "period=%ff", "period=" + "9" * 5000, "unit=abc", "unit=-1",
        "unit=0", "unit=99999999999", "hal=-1", "hal=abc", "hal=99999999999999", "page=-1", "period[]=x",
        "cari=" + "x" * 5000, "cari=%01", "year=abc", "year=0000", "year=9999", "year=99999", "year=" + "1" * 5000,
        "format=pdf", "period=2026&period=1999"]


@pytest.mark.parametrize("path", ["/laporan/", "/laporan/predikat.csv", "/laporan/tren.xlsx", "/laporan/layanan"])
def test_no_query_string_gives_a_server_error(login, known, path):
    client = login("hr")
    for query in JUNK:
        response = client.get(f"{path}?{query}")
        response.get_data()  # a streamed export runs to its end
        assert response.status_code in (200, 404, 422), (query[:40], response.status_code)


@pytest.mark.parametrize("year", ["0000", "9999", "abc", "20266"])
def test_the_service_units_say_which_year_they_cannot_read(login, known, year):
    response = login("hr").get(f"/laporan/layanan?year={year}")
    assert response.status_code == 404
    assert f"Tahun «{year}» tidak dapat dibaca. Tulis tahun dengan empat angka" in response.get_data(as_text=True)


def test_the_service_units_of_a_readable_year(login, known):
    assert login("hr").get("/laporan/layanan?year=2025").status_code == 200
