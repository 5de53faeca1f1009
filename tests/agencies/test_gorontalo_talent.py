"""Gorontalo's talent decisions: the nine-box grid of a run from final, post-appeal results, and the
succession and coaching shortlists HR opens, filters and exports (screen, CSV, XLSX, API)."""

from __future__ import annotations

import csv
import io
from zipfile import ZipFile

import pytest

from engine.audit import verify_chain
from engine.tokens import create_token
from engine.validation import validate_source
from tests.agencies.conftest import (
    ATAS,
    BAWAH,
    Agency,
    behaviour,
    build_agency,
    cycle_source,
    fresh,
    one_iki,
    plan_approved,
    publish_and_launch,
    stored_results,
)
from tests.agencies.test_gorontalo import HR, PEOPLE, UNITS

IKI = one_iki("Jumlah ASN yang mengikuti pelatihan kompetensi", "100", "orang", "Pengembangan kompetensi ASN")


@pytest.fixture
def gorontalo(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def rated(browser, aid: int, who: str, trained: str, potential: str, **overrides: str) -> None:
    """Plan, realise, rate and confirm one employee through the screens."""
    plan_approved(browser, aid, who, "kabid", IKI)
    browser.login(who).realise(aid, "iki_1", trained)
    browser.login("kabid").fire(aid, "close_monitoring")
    browser.fire(aid, "rate", {**behaviour(*overrides.items()), "p-potensi": potential})
    browser.login("kaban").fire(aid, "confirm_rating")


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_an_appeal_that_raises_the_rating_moves_the_employee_onto_the_succession_shortlist_hr_exports(
        session, gorontalo, browser):
    run = publish_and_launch(session, gorontalo, "gorontalo.yaml", "BKPSDM_GTO")
    ids = gorontalo.appraisal_ids
    # hasan: 100% Sesuai × Menengah -> box 5; indah: 80% Di Bawah × Rendah -> box 1 (coaching).
    rated(browser, ids["hasan"], "hasan", "100", "Menengah")
    rated(browser, ids["indah"], "indah", "80", "Rendah", kompeten=BAWAH)
    browser.login("indah").fire(ids["indah"], "accept_rating")
    browser.login("hasan").fire(ids["hasan"], "appeal",
                                {"p-alasan": "Pelatihan bulan Desember belum tercatat dalam realisasi."})

    # While the appeal is open hasan's rating is not final: he is not on the grid yet, only counted as waiting.
    grid = browser.login(HR).client.get(f"/sdm/talenta/{run.id}")
    page = grid.get_data(as_text=True)
    assert grid.status_code == 200
    assert "Hasan Daud" not in page and "Indah Katili" in page
    # hasan in appeal; kaban, kabid, fadli and gita not rated yet.
    assert "5 penilaian belum final" in page

    browser.login("kaban").fire(ids["hasan"], "decide_appeal", {
        "p-keputusan": "diubah", "p-pertimbangan": "Bukti pelatihan Desember sah dan lengkap.",
        "p-rating_hasil_kerja": ATAS})
    assert fresh(session, ids["hasan"]).state == "develop"
    assert stored_results(session, ids["hasan"])["kotak_talenta"] == 7

    # HR opens the succession shortlist: hasan is on it (box 7), indah is not; the coaching one holds indah.
    client = browser.login(HR).client
    succession = client.get(f"/sdm/talenta/{run.id}?daftar=suksesi").get_data(as_text=True)
    listed = succession[succession.index('id="daftar-talenta"'):]
    assert "Hasan Daud" in listed and "Indah Katili" not in listed
    assert f'href="/penilaian/{ids["hasan"]}"' in listed  # each name opens the appraisal
    coaching = client.get(f"/sdm/talenta/{run.id}?daftar=pembinaan").get_data(as_text=True)
    listed = coaching[coaching.index('id="daftar-talenta"'):]
    assert "Indah Katili" in listed and "Hasan Daud" not in listed
    # Filters: by name, by box.
    assert "Hasan Daud" not in client.get(f"/sdm/talenta/{run.id}?cari=indah").get_data(as_text=True).split(
        'id="daftar-talenta"')[1]
    by_box = client.get(f"/sdm/talenta/{run.id}?kotak=1").get_data(as_text=True).split('id="daftar-talenta"')[1]
    assert "Indah Katili" in by_box and "Hasan Daud" not in by_box

    # The export HR takes to the talent committee: CSV and XLSX of the shortlist.
    rows = csv_rows(client.get(f"/sdm/talenta/{run.id}/ekspor.csv?daftar=suksesi"))
    assert [(r["Nama"], r["Kotak"], r["Daftar pendek"]) for r in rows] == [
        ("Hasan Daud", "7", "Rencana suksesi (jabatan strategis)")]
    assert rows[0]["NIP"] == gorontalo.people["hasan"].nip
    xlsx = client.get(f"/sdm/talenta/{run.id}/ekspor.xlsx?daftar=suksesi")
    assert xlsx.status_code == 200
    with ZipFile(io.BytesIO(xlsx.get_data())) as book:
        assert "Hasan Daud" in "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))

    # The same shortlist through the API.
    session.rollback()
    token = create_token(session, gorontalo.actor(HR), gorontalo.users[HR], "test").secret
    shown = client.get(f"/api/v1/runs/{run.id}/talent?shortlist=suksesi",
                       headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [(i["name"], i["box"], i["shortlists"]) for i in shown["items"]] == [("Hasan Daud", 7, ["suksesi"])]
    assert {c["box"]: c["count"] for c in shown["grid"]}[7] == 1
    assert shown["waiting"] == 4

    # The grid is HR's: the employee and the rater are refused.
    assert browser.login("hasan").client.get(f"/sdm/talenta/{run.id}").status_code == 403
    report = verify_chain(session)
    assert report.ok, report.problems


def test_a_talent_box_rule_naming_a_result_that_does_not_exist_is_refused_by_the_validator():
    source = cycle_source("gorontalo.yaml").replace("  box: kotak_talenta", "  box: kotak_talenat")
    problems = validate_source(source, "gorontalo.yaml")
    assert [p.message for p in problems] == [
        "unknown result 'kotak_talenat' (did you mean 'kotak_talenta'?): the talent grid reads the box each "
        "employee is placed in from a result of the cycle"]
    wrong_rule = cycle_source("gorontalo.yaml").replace("  box: kotak_talenta", "  box: kelompok_talenta")
    assert "computed by rule 'expression', not talent_box" in validate_source(wrong_rule, "g.yaml")[0].message
    off_grid = cycle_source("gorontalo.yaml").replace("boxes: [7, 8, 9]", "boxes: [7, 8, 10]")
    assert "box 10 is not on the grid of 'kotak_talenta'" in validate_source(off_grid, "g.yaml")[0].message
