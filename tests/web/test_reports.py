"""Reports for HR (charts, tables, CSV/XLSX), the service-unit page, and the evaluation PDF's permissions.

Known data: the national cycle for DINAS in 2026 (kadis, kabid, ani, budi) and 2025. In 2026 ani is
rated Baik (IKI met), budi Butuh Perbaikan (IKI at 60%), kabid and kadis have no predicate yet, and
kadis's plan is past its deadline.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from engine.appraisals import fire_transition, record_realisation
from engine.models import Appraisal, utcnow
from engine.public_feedback import submit_public_feedback, survey
from engine.runs import find_unit, launch
from tests.support.pdf import pdf_text
from tests.support.states import SESUAI, VALUES, drive

# The survey's element keys U1-U9, as the IKM rule declares its elements.
ELEMENT_KEYS = survey().keys

HEADERS = ["Unit", "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang",
           "Belum ada predikat", "Jumlah"]


@pytest.fixture
def known(session, org, run, national, appraisal_of):
    return known_data(session, org, national, appraisal_of)


def known_data(session, org, national, appraisal_of) -> dict[str, int]:
    """The data the module docstring describes, on top of DINAS's 2026 run; the appraisal ids by person."""
    ani, budi, kadis = appraisal_of("ani"), appraisal_of("budi"), appraisal_of("kadis")
    drive(session, org, ani.id, "ani", "rated")
    drive(session, org, budi.id, "budi", "monitor")
    record_realisation(session, budi.id, org.actor("budi"), "iki_1", 60)
    fire_transition(session, budi.id, "close_monitoring", org.actor("kabid"), {})
    fire_transition(session, budi.id, "rate", org.actor("kabid"), {"perilaku": {v: SESUAI for v in VALUES}})
    session.execute(update(Appraisal).where(Appraisal.id == kadis.id).values(due_at=utcnow() - timedelta(days=3)))
    session.commit()
    launch(session, national, find_unit(session, "DINAS"), "2025", org.actor("hr"))
    return {"ani": ani.id, "budi": budi.id, "kadis": kadis.id}


def rows_of_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_hr_sees_the_predicate_distribution_as_chart_and_table(login, known):
    html = login("hr").get("/laporan/").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert "Sebaran predikat per unit" in html and "Tren predikat antarperiode" in html
    row = re.search(r'<tr><th scope="row">Bidang Pelayanan</th>(.*?)</tr>', html).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["0", "1", "1", "0", "0", "1", "3"]
    assert "<title>Bidang Pelayanan: Baik 1</title>" in html
    assert "Indikator dengan capaian di bawah 100% dari target." in html
    assert "style=" not in html


def test_the_predicate_csv_matches_the_appraisals(login, known):
    rows = rows_of_csv(login("hr").get("/laporan/predikat.csv?period=2026"))
    assert rows == [HEADERS,
                    ["Bidang Pelayanan", "0", "1", "1", "0", "0", "1", "3"],
                    ["Dinas Kependudukan", "0", "0", "0", "0", "0", "1", "1"]]


def test_the_trend_covers_every_period(login, known):
    rows = rows_of_csv(login("hr").get("/laporan/tren.csv"))
    assert rows[0][0] == "Periode"
    assert rows[1:] == [["2025", "0", "0", "0", "0", "0", "4", "4"], ["2026", "0", "1", "1", "0", "0", "2", "4"]]


def test_the_missed_indicators_and_overdue_work(login, known):
    client = login("hr")
    missed = rows_of_csv(client.get("/laporan/indikator.csv?period=2026"))
    assert missed[1:] == [["Berkas terverifikasi", "iki_1", "1", "2", "50.0"]]
    overdue = rows_of_csv(client.get("/laporan/terlambat.csv?period=2026"))
    assert [r[:3] for r in overdue[1:]] == [["Dinas Kependudukan", "Penyusunan SKP", "1"]]


def test_the_xlsx_export_holds_the_same_table(login, known):
    response = login("hr").get("/laporan/predikat.xlsx?period=2026")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="laporan-predikat-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADERS
    assert values[1] == ["Bidang Pelayanan", 0, 1, 1, 0, 0, 1, 3]


def test_one_unit_only(login, known, org):
    rows = rows_of_csv(login("hr").get(f"/laporan/predikat.csv?period=2026&unit={org.bidang.id}"))
    assert [r[0] for r in rows[1:]] == ["Bidang Pelayanan"]


def test_hr_of_another_unit_sees_none_of_it(login, known, org):
    client = login("hr_lain")
    html = client.get("/laporan/").get_data(as_text=True)
    assert "Bidang Pelayanan" not in html and "Belum ada penilaian di unit Anda." in html
    assert client.get(f"/laporan/?unit={org.dinas.id}").status_code == 403
    assert client.get(f"/laporan/predikat.csv?unit={org.bidang.id}").status_code == 403


def test_an_unknown_period_or_report_is_not_found(login, known):
    client = login("hr")
    assert client.get("/laporan/?period=1999").status_code == 404
    assert client.get("/laporan/gaji.csv").status_code == 404
    assert client.get("/laporan/predikat.pdf").status_code == 404


def test_an_employee_gets_their_own_documents_not_the_reports(login, known):
    client = login("ani")
    html = client.get("/laporan/").get_data(as_text=True)
    assert f'/laporan/penilaian/{known["ani"]}.pdf' in html and "Sebaran predikat" not in html
    assert client.get("/laporan/predikat.csv").status_code == 403
    assert client.get("/laporan/layanan").status_code == 403


def test_reports_need_a_login(client, known):
    for path in ("/laporan/", "/laporan/predikat.csv", "/laporan/layanan", f"/laporan/penilaian/{known['ani']}.pdf"):
        response = client.get(path)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("user, status", [("ani", 200), ("kabid", 200), ("kadis", 200), ("hr", 200), ("admin", 200),
                                          ("budi", 403), ("doni", 403), ("hr_lain", 403)])
def test_who_may_print_ani_s_evaluation_document(login, known, user, status):
    response = login(user).get(f"/laporan/penilaian/{known['ani']}.pdf")
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "application/pdf" and response.get_data().startswith(b"%PDF")


def test_the_evaluation_document_names_the_employee_and_the_predicate(login, known):
    content = login("ani").get(f"/laporan/penilaian/{known['ani']}.pdf").get_data()
    text = pdf_text(content)
    for expected in ("Ani Lestari", "DOKUMEN EVALUASI KINERJA PEGAWAI", "Hendra Wijaya", "Kartika Kusuma",
                     "Berkas terverifikasi", "Predikat kinerja pegawai: Baik", "Rating perilaku kerja",
                     "PEMERINTAH DAERAH", "Bidang Pelayanan", "19800101200501"):
        assert expected in text, expected
    assert content.rstrip().endswith(b"%%EOF")


def test_the_evaluation_document_carries_the_head_of_the_audit_chain(login, known, session):
    text = pdf_text(login("ani").get(f"/laporan/penilaian/{known['ani']}.pdf").get_data())
    appraisal = session.get(Appraisal, known["ani"])
    assert f"penilaian #{appraisal.id}, urutan {appraisal.audit_seq}, hash {appraisal.audit_head}" in text
    assert f"siklus audit verify --appraisal {appraisal.id} --head" in text


def test_the_evaluation_document_in_english(login, known):
    client = login("ani")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    text = pdf_text(client.get(f"/laporan/penilaian/{known['ani']}.pdf").get_data())
    assert "EMPLOYEE PERFORMANCE EVALUATION DOCUMENT" in text and "Work-behaviour rating" in text


def test_the_service_units_page_lists_links_qr_codes_and_ikm(login, known, session, org):
    for key in ("a", "b"):
        submit_public_feedback(session, "bidang", {k: 4 if key == "a" else 3 for k in ELEMENT_KEYS}, "", key)
    client = login("hr")
    html = client.get("/laporan/layanan").get_data(as_text=True)
    assert "http://localhost/layanan/bidang" in html and 'src="/layanan/bidang/qr.svg"' in html
    assert "http://localhost/layanan/dinas" in html and "/layanan/lain" not in html
    assert "87,5 (B, Baik)" in html
    assert login("hr_lain").get("/laporan/layanan").get_data(as_text=True).count("/layanan/lain/qr.svg") == 2


@pytest.fixture
def hostile(session, org, known):
    """A unit, an employee and an indicator whose names a spreadsheet would run as formulas."""
    from engine.models import Employee, Indicator, OrgUnit

    session.execute(update(OrgUnit).where(OrgUnit.id == org.bidang.id).values(name="+SUM(1)"))
    session.execute(update(Employee).where(Employee.id == org.people["budi"].id).values(name='=HYPERLINK("x")'))
    session.execute(update(Indicator).where(Indicator.label == "Berkas terverifikasi").values(label="=1+2"))
    session.commit()


@pytest.mark.parametrize("report", ["predikat", "indikator"])
def test_report_csv_cells_never_run_as_formulas(login, hostile, report):
    rows = rows_of_csv(login("hr").get(f"/laporan/{report}.csv?period=2026"))
    cells = [c for r in rows for c in r]
    assert ("'+SUM(1)" if report == "predikat" else "'=1+2") in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not c[1:].replace(".", "").isdigit())]


@pytest.mark.parametrize("report", ["predikat", "indikator"])
def test_report_xlsx_cells_are_text_never_formulas(login, hostile, report):
    response = login("hr").get(f"/laporan/{report}.xlsx?period=2026")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    cells = [c for row in sheet.iter_rows() for c in row]
    hostile_cells = [c for c in cells if isinstance(c.value, str) and c.value[:1] in ("=", "+")]
    assert hostile_cells, "the hostile names are in the workbook"
    assert all(c.data_type == "s" for c in hostile_cells)


def test_the_results_export_escapes_names_on_every_channel(login, hostile, runner, org):
    client = login("hr")
    text = client.get("/api/v1/results?period=2026&format=csv").get_data(as_text=True)
    assert "'=HYPERLINK(\"\"x\"\")" in text and "'+SUM(1)" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text and ",+SUM" not in text
    book = load_workbook(io.BytesIO(client.get("/api/v1/results?period=2026&format=xlsx").get_data())).active
    names = [c for row in book.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert names and all(c.data_type == "s" for c in names)
    from web.cli import cli as siklus

    cli = runner.invoke(siklus, ["export-results", "--period", "2026"])
    assert cli.exit_code == 0, cli.output
    assert "'=HYPERLINK" in cli.output and ",=HYPERLINK" not in cli.output


def test_the_organisation_export_escapes_and_reimports_unchanged(hostile, runner, session, org, tmp_path):
    from engine.orgimport import import_org
    from engine.permissions import Actor
    from web.cli import cli as siklus

    exported = runner.invoke(siklus, ["export-org"])
    assert exported.exit_code == 0, exported.output
    assert "'=HYPERLINK" in exported.output and "'+SUM(1)" in exported.output
    target = tmp_path / "org.xlsx"
    assert runner.invoke(siklus, ["export-org", "-o", str(target)]).exit_code == 0
    sheet = load_workbook(target).active
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")')
    for name, data in (("org.csv", exported.output.encode("utf-8")), ("org.xlsx", target.read_bytes())):
        report = import_org(session, data, name, Actor.system(), dry_run=True)
        assert report.ok and report.changed == 0, (name, report)
