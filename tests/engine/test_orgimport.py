"""Organisation import: an idempotent upsert of units and employees from CSV or XLSX, checked row by row,
with nothing written when the file is rejected."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from engine.errors import Forbidden, InvalidInput
from engine.models import AuditEvent, Employee, OrgUnit
from engine.org_export import export_org
from engine.orgimport import KNOWN, import_org
from engine.permissions import Actor
from web.messages import message_text

OPERATOR = Actor(user_id=None, username="cli:operator", grants=(("admin", None),))
HEAD = "NIP;Nama;Kode Unit;Nama Unit;Kode Unit Induk;Jabatan;NIP Atasan;Email"


def nip(n: int) -> str:
    """A NIP of the shape a PNS has (born 1990-01-01 or a few days on, appointed January 2015, gender 1 or 2)."""
    return f"199001{1 + n // 2000:02d}201501{1 + n // 1000 % 2}{n % 1000:03d}"


def csv_bytes(*lines: str, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode("utf-8")


def counts(session) -> tuple[int, int, int]:
    return (session.scalar(select(func.count()).select_from(OrgUnit)),
            session.scalar(select(func.count()).select_from(Employee)),
            session.scalar(select(func.count()).select_from(AuditEvent)))


def test_a_new_organisation_is_read_from_a_semicolon_csv_with_bom(session):
    data = csv_bytes(
        HEAD,
        ";;PROV;Pemerintah Provinsi;;;;",
        ";;BKD;Badan Kepegawaian Daerah;PROV;;;",
        f"{nip(1)};Rahmat Hidayat;BKD;;;Kepala Badan;;rahmat@bkd.go.id",
        f"{nip(2)};Sari Dewi;BKD;;;Analis SDM Aparatur;{nip(1)};sari@bkd.go.id",
        # The supervisor may come later in the file than the person they supervise.
        f"{nip(4)};Wulan Sari;SUBBAG;Subbagian Umum;BKD;Pengadministrasi Umum;{nip(3)};",
        f"{nip(3)};Joko Prasetyo;BKD;;;Kepala Subbagian;{nip(1)};joko@bkd.go.id",
    )
    report = import_org(session, data, "organisasi.csv", OPERATOR)
    assert report.ok, report.errors
    assert (report.units_created, report.employees_created, report.units_updated, report.employees_updated) == (
        3, 4, 0, 0)
    bkd = session.scalars(select(OrgUnit).where(OrgUnit.code == "BKD")).one()
    assert bkd.parent.code == "PROV" and bkd.name == "Badan Kepegawaian Daerah"
    wulan = session.scalars(select(Employee).where(Employee.nip == nip(4))).one()
    assert wulan.supervisor.nip == nip(3) and wulan.unit.code == "SUBBAG" and wulan.unit.parent.code == "BKD"
    assert wulan.email is None and wulan.position == "Pengadministrasi Umum"
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "import")).one()
    assert event.actor_name == "cli:operator" and event.stream == "system"
    assert event.payload["file"] == "organisasi.csv" and event.payload["employees_created"] == 4
    # The first chart event marks where recording of the public's survey answers began: none came before it.
    assert event.payload["public"] == {"below": 0, "count": 0, "seal": hashlib.sha256().hexdigest()[:32]}


def test_a_comma_csv_without_bom_and_english_headers_is_read_too(session):
    data = csv_bytes("NIP,Name,Unit,Unit Name,Position,Supervisor NIP,E-mail",
                     f"{nip(1)},Rahmat Hidayat,BKD,Badan Kepegawaian,Kepala,,rahmat@bkd.go.id", bom=False)
    report = import_org(session, data, "org.CSV", OPERATOR)
    assert report.ok and report.employees_created == 1 and report.units_created == 1


def test_a_rejected_file_names_each_row_and_column_and_writes_nothing(session, org):
    before = counts(session)
    data = csv_bytes(
        HEAD,
        f"{nip(1)};Rahmat Hidayat;DINAS;;;Analis;;rahmat@dinas.go.id",
        "19900101201501;Nip Pendek;DINAS;;;Analis;;",
        f"{nip(3)};;DINAS;;;Analis;;",
        f"{nip(4)};Atasan Tak Dikenal;DINAS;;;Analis;{nip(99)};",
        f"{nip(1)};Rahmat Lagi;DINAS;;;Analis;;",
        f"{nip(6)};Unit Tak Dikenal;ENTAH;;;Analis;;",
        f"{nip(7)};Surel Salah;DINAS;;;Analis;;bukan-surel",
        f"{nip(8)};Atasan Diri Sendiri;DINAS;;;Analis;{nip(8)};",
    )
    report = import_org(session, data, "salah.csv", OPERATOR)
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    # References are checked in the same pass as the rows themselves, so the file is corrected once.
    assert found == {(3, "NIP"), (4, "Nama"), (5, "NIP Atasan"), (6, "NIP"), (7, "Kode Unit"), (8, "Email"),
                     (9, "NIP Atasan")}, report.errors
    duplicate = next(e for e in report.errors if e.row == 6)
    assert "first in row 2" in duplicate.message
    assert "unknown supervisor NIP" in next(e for e in report.errors if e.row == 5).message
    assert "unknown unit 'ENTAH'" in next(e for e in report.errors if e.row == 7).message
    assert counts(session) == before


def test_a_supervisor_whose_own_row_is_refused_is_not_called_unknown(session, org):
    """The supervisor's row has a problem of its own; the row naming them is not refused as if they were
    missing from the file."""
    data = csv_bytes(HEAD, f"{nip(1)};Bawahan;DINAS;;;Analis;{nip(2)};", f"{nip(2)};Atasan;DINAS;;;Analis;;salah")
    report = import_org(session, data, "salah.csv", OPERATOR)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Email")]


def test_unknown_and_missing_columns_are_reported_on_the_header_row(session):
    report = import_org(session, csv_bytes("No;NIP;Nama;NIP Atsan", f"1;{nip(1)};Rahmat;"), "x.csv", OPERATOR)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(1, "Kode Unit"), (1, "NIP Atsan")]
    assert "did you mean 'NIP Atasan'" in report.errors[1].message


def test_a_supervisor_loop_within_the_file_is_an_error(session, org):
    data = csv_bytes(HEAD, f"{nip(1)};Satu;DINAS;;;;{nip(2)};", f"{nip(2)};Dua;DINAS;;;;{nip(3)};",
                     f"{nip(3)};Tiga;DINAS;;;;{nip(1)};")
    report = import_org(session, data, "loop.csv", OPERATOR)
    assert not report.ok and len(report.errors) == 1
    assert report.errors[0].column == "NIP Atasan" and "supervisors form a loop" in report.errors[0].message
    assert session.scalar(select(func.count()).select_from(Employee)
                          .where(Employee.nip.in_([nip(1), nip(2), nip(3)]))) == 0


def test_a_supervisor_loop_through_the_database_is_an_error(session, org):
    # ani reports to kabid, kabid to kadis (in the database); making ani kadis's supervisor closes a loop.
    kadis, ani = org.people["kadis"], org.people["ani"]
    data = csv_bytes(HEAD, f"{kadis.nip};{kadis.name};DINAS;;;Kepala Dinas;{ani.nip};")
    report = import_org(session, data, "loop.csv", OPERATOR)
    assert not report.ok
    assert "loop" in report.errors[0].message and ani.nip in report.errors[0].message
    session.refresh(kadis)
    assert kadis.supervisor_id == org.people["sekda"].id


def test_a_unit_loop_is_an_error(session, org):
    data = csv_bytes(HEAD, ";;DINAS;Dinas Kependudukan;BIDANG;;;")
    report = import_org(session, data, "units.csv", OPERATOR)
    assert not report.ok and "units form a loop" in report.errors[0].message


def test_existing_people_are_updated_and_columns_left_out_are_kept(session, org):
    ani = org.people["ani"]
    data = csv_bytes("NIP;Nama;Kode Unit;Jabatan", f"{ani.nip};Ani Lestari, S.E.;DINAS;Analis Kebijakan Ahli Muda")
    report = import_org(session, data, "ani.csv", OPERATOR)
    assert report.ok and report.employees_updated == 1 and report.employees_created == 0
    session.refresh(ani)
    assert (ani.name, ani.unit.code, ani.position) == ("Ani Lestari, S.E.", "DINAS", "Analis Kebijakan Ahli Muda")
    # No supervisor or e-mail column: both stay as they were.
    assert ani.supervisor_id == org.people["kabid"].id and ani.email == "ani@example.go.id"


def test_an_exported_organisation_reimports_with_no_changes(session, org):
    total = counts(session)
    for fmt in ("csv", "xlsx"):
        data = export_org(session, fmt)
        report = import_org(session, data, f"organisasi.{fmt}", OPERATOR)
        assert report.ok, report.errors
        assert report.changed == 0
        assert report.unchanged == total[0] + total[1]
    book = load_workbook(io.BytesIO(export_org(session, "xlsx")), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == KNOWN  # the organisation's columns, then the designation columns
    assert rows[1][2] == "PEMDA" and rows[-1][0] == max(e.nip for e in org.people.values())


def test_an_xlsx_with_a_nip_typed_as_a_number_is_refused_with_a_hint(session, org):
    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama", "Kode Unit"])
    sheet.append([nip(1), "Teks", "DINAS"])
    sheet.append([float(nip(2)), "Angka", "DINAS"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_org(session, buffer.getvalue(), "pegawai.xlsx", OPERATOR)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "NIP")]
    assert "format the column as Text" in report.errors[0].message


def test_a_dry_run_counts_but_writes_nothing(session, org):
    before = counts(session)
    report = import_org(session, csv_bytes(HEAD, f"{nip(1)};Baru;BARU;Unit Baru;DINAS;;;"), "baru.csv", OPERATOR,
                        dry_run=True)
    assert report.ok and report.employees_created == 1 and report.units_created == 1
    assert counts(session) == before


@pytest.mark.parametrize("name, data, message", [
    ("organisasi.txt", b"NIP;Nama", "unknown file type"),
    ("organisasi.xlsx", b"not a zip file", "not a readable Excel workbook"),
    ("organisasi.csv", "NIP;Nama;Kode Unit\n1;\xe9".encode("latin-1"), "not UTF-8"),
    ("organisasi.csv", b"", "empty"),
])
def test_a_file_that_cannot_be_read_is_a_clear_error(session, name, data, message):
    with pytest.raises(InvalidInput, match=message):
        import_org(session, data, name, OPERATOR)


def test_hr_of_part_of_the_agency_may_not_import(session, org):
    with pytest.raises(Forbidden):
        import_org(session, csv_bytes(HEAD), "x.csv", org.actor("hr"))


def test_thousands_of_rows_in_one_import(session, org):
    lines = [HEAD, ";;BESAR;Unit Besar;DINAS;;;"]
    lines += [f"{nip(n)};Pegawai {n};BESAR;;;Staf;{nip(1) if n > 1 else ''};p{n}@besar.go.id" for n in range(1, 3001)]
    report = import_org(session, csv_bytes(*lines), "besar.csv", OPERATOR)
    assert report.ok and report.employees_created == 3000 and report.rows == 3001
    staff = session.scalar(select(func.count()).select_from(Employee).where(Employee.supervisor.has(nip=nip(1))))
    assert staff == 2999
    again = import_org(session, csv_bytes(*lines), "besar.csv", OPERATOR)
    assert again.ok and again.changed == 0 and again.unchanged == 3001


@pytest.mark.parametrize(("cells", "column", "code"), [
    (f"{nip(1)};Ani\x00Lestari;BARU;;;Staf;;", "Nama", "U+0000"),  # PostgreSQL refused the row with an error
    (f"{nip(1)};\u202eirtseL inA;BARU;;;Staf;;", "Nama", "U+202E"),  # shown reversed from what is stored
    (f"{nip(1)};Ani;BARU;;;Staf\x1b[31m;;", "Jabatan", "U+001B"),
])
def test_a_cell_with_an_invisible_character_is_refused_naming_it_and_nothing_is_written(session, org, cells,
                                                                                          column, code):
    before = counts(session)
    report = import_org(session, csv_bytes(HEAD, ";;BARU;Unit Baru;DINAS;;;", cells), "o.csv", OPERATOR)
    assert not report.ok
    assert [(e.row, e.column, e.msg.code, e.msg.params["code"]) for e in report.errors] == [
        (3, column, "org.row.hidden", code)]
    assert counts(session) == before


def test_a_line_break_typed_in_a_cell_reads_as_a_space(session, org):
    report = import_org(session, csv_bytes(HEAD, ";;BARU;Unit Baru;DINAS;;;",
                                           f'{nip(1)};Ani;BARU;;;"Kepala Seksi\r\n  Pelayanan";;'), "o.csv", OPERATOR)
    assert report.ok
    assert session.scalars(select(Employee.position).where(Employee.nip == nip(1))).one() == "Kepala Seksi Pelayanan"


def test_a_nip_in_digits_of_another_script_is_not_a_nip(session, org):
    """Python's \\d matches ١٩٩٠…: such a NIP was stored and never matched the one people type. It is refused
    naming the first digit that is not 0-9 (engine.org_cells)."""
    arabic = "".join(chr(0x660 + int(d)) for d in nip(1))
    report = import_org(session, csv_bytes(HEAD, ";;BARU;Unit Baru;DINAS;;;", f"{arabic};Ani;BARU;;;Staf;;"),
                        "o.csv", OPERATOR)
    assert [(e.column, e.msg.code, e.msg.params["char"]) for e in report.errors] == [
        ("NIP", "org.row.script_digit", "\u0661")]


def test_a_refused_value_is_repeated_back_in_part(session, org):
    report = import_org(session, csv_bytes(HEAD, ";;BARU;Unit Baru;DINAS;;;", "9" * 5000 + ";Ani;BARU;;;Staf;;"),
                        "o.csv", OPERATOR)
    assert report.errors[0].msg.params["value"] == "9" * 40 + "…" and len(report.errors[0].message) < 100


def test_a_workbook_whose_sheet_breaks_off_is_a_clear_error(session, org):
    book = Workbook()
    book.active.append(HEAD.split(";"))
    book.active.append([nip(1), "Ani", "DINAS"])
    whole = io.BytesIO()
    book.save(whole)
    source, cut = zipfile.ZipFile(io.BytesIO(whole.getvalue())), io.BytesIO()
    with zipfile.ZipFile(cut, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(InvalidInput, match="not a readable Excel workbook") as refused:
        import_org(session, cut.getvalue(), "organisasi.xlsx", OPERATOR)
    assert refused.value.msg.code == "org.xlsx_unreadable"


def _workbook_refusal(session, cell: tuple[int, int, str], *rows: list[str]):  # type: ignore[no-untyped-def]
    """The refusal of a workbook of the heading, ``rows``, and one more ``cell`` (row, column, value)."""
    book = Workbook()
    book.active.append(HEAD.split(";"))
    for row in rows:
        book.active.append(row)
    book.active.cell(row=cell[0], column=cell[1], value=cell[2])
    data = io.BytesIO()
    book.save(data)
    with pytest.raises(InvalidInput) as refused:
        import_org(session, data.getvalue(), "organisasi.xlsx", OPERATOR)
    return refused.value.msg


def test_a_workbook_reaching_the_last_cell_is_refused_without_reading_a_billion_cells(session, org):
    """4 KB declared a cell at XFD1048576: openpyxl handed over every row up to it, padded to its column."""
    refusal = _workbook_refusal(session, (1_048_576, 16_384, "x"))
    assert refusal.code == "org.sheet_too_wide" and refusal.params["column"] == 16_384


def test_something_right_of_the_columns_read_is_refused_naming_where(session, org):
    refusal = _workbook_refusal(session, (2, 100, "lupa"), [nip(1), "Ani", "DINAS"])
    assert refusal.code == "org.sheet_too_wide" and refusal.params["column"] == 100


def test_a_workbook_reaching_far_down_is_refused_naming_the_row(session, org):
    refusal = _workbook_refusal(session, (1_048_576, 1, "x"))
    assert refusal.code == "org.too_many_rows" and refusal.params["row"] == 1_048_576


def test_blank_rows_formatted_far_down_a_sheet_are_passed_over(session, org):
    """Rows formatted down to the sheet's end, with nothing in them, are no rows of the table."""
    book = Workbook()
    book.active.append(HEAD.split(";"))
    book.active.append(["", "", "BARU", "Unit Baru", "DINAS"])
    for row in (3, 500_000, 1_048_576):
        book.active.row_dimensions[row].height = 30
        book.active.cell(row=row, column=2).number_format = "@"
    report = import_org(session, _with_dimension(book, "A1:H2"), "organisasi.xlsx", OPERATOR, dry_run=True)
    assert report.ok and report.units_created == 1, report.errors


def test_a_row_number_past_the_last_a_sheet_has_is_refused(session, org):
    book = Workbook()
    book.active.append(HEAD.split(";"))
    whole = io.BytesIO()
    book.save(whole)
    source, forged = zipfile.ZipFile(io.BytesIO(whole.getvalue())), io.BytesIO()
    with zipfile.ZipFile(forged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="999999999"/></sheetData>')
            target.writestr(item, data)
    with pytest.raises(InvalidInput) as refused:
        import_org(session, forged.getvalue(), "organisasi.xlsx", OPERATOR)
    assert refused.value.msg.code == "org.too_many_rows" and refused.value.msg.params["row"] == 1_048_577


def test_a_csv_with_something_right_of_the_columns_read_is_refused_naming_where(session, org):
    with pytest.raises(InvalidInput) as refused:
        import_org(session, csv_bytes(HEAD, ";;BARU;Unit Baru;DINAS;;;" + ";" * 80 + "lupa"), "o.csv", OPERATOR)
    assert refused.value.msg.code == "org.too_many_columns"
    assert (refused.value.msg.params["row"], refused.value.msg.params["column"]) == (2, 88)


def test_empty_cells_right_of_the_table_are_no_problem(session, org):
    report = import_org(session, csv_bytes(HEAD + ";" * 100, ";;BARU;Unit Baru;DINAS;;;" + ";" * 100),
                        "o.csv", OPERATOR)
    assert report.ok and report.units_created == 1


def test_the_loop_check_walks_each_person_once_however_long_the_chain_of_supervisors():
    """Each person's supervisor is the row before: walking each to the top was quadratic (a 30,000-row file
    held a worker for four minutes). Each is now walked once; a loop is still named once, from its first row."""
    from engine.orgimport import _find_loops

    n = 20_000
    chain = [f"{i:018d}" for i in range(n)]
    boss = {nip: (chain[i - 1] if i else None) for i, nip in enumerate(chain)}
    calls = 0

    def boss_of(nip: str) -> str | None:
        nonlocal calls
        calls += 1
        return boss[nip]

    assert _find_loops(chain, boss_of) == [] and calls <= 2 * n
    boss[chain[0]] = chain[n // 2]  # the top now reports to someone halfway down: one loop of n/2 + 1 people
    calls = 0
    loops = _find_loops(chain, boss_of)
    assert calls <= 2 * n and len(loops) == 1
    assert loops[0][0] == loops[0][-1] == chain[0] and len(loops[0]) == n // 2 + 2


def test_a_new_unit_code_differing_only_in_case_from_an_existing_unit_is_refused_naming_it(session, org):
    """'dinas' beside DINAS was a second unit; a person's 'dinas' then found neither."""
    before = counts(session)
    report = import_org(session, csv_bytes(HEAD, ";;dinas;Dinas Kecil;PEMDA;;;"), "unit.csv", OPERATOR)
    assert [(e.row, e.column, e.msg.code, str(e)) for e in report.errors] == [
        (2, "Kode Unit", "org.row.unit_case", "2: Kode Unit: unit code 'dinas' differs only in case from the existing "
                                              "unit 'DINAS'; one code is not written two ways: write 'DINAS'")]
    assert counts(session) == before


def test_one_unit_code_written_in_two_cases_in_one_file_is_refused_on_the_later_row(session, org):
    report = import_org(session, csv_bytes(HEAD, ";;BARU;Unit Baru;DINAS;;;", ";;Baru;Unit Baru;DINAS;;;"),
                        "unit.csv", OPERATOR)
    assert [(e.row, e.column, e.msg.code, e.msg.params) for e in report.errors] == [
        (3, "Kode Unit", "org.row.unit_case_row", {"unit": "Baru", "code": "BARU", "row": "2"})]
    assert "differs only in case from 'BARU' in row 2" in report.errors[0].message


def test_a_unit_named_in_another_case_is_refused_with_the_code_to_write(session, org):
    before = counts(session)
    data = csv_bytes(HEAD, ";;BARU;Unit Baru;pemda;;;", f"{nip(1)};Ani Baru;dinas;;;Analis;;",
                     f"{nip(2)};Budi Baru;baru;;;Analis;;")
    report = import_org(session, data, "o.csv", OPERATOR)
    assert [(e.row, e.column, e.msg.params["code"]) for e in report.errors] == [
        (2, "Kode Unit Induk", "PEMDA"), (3, "Kode Unit", "DINAS"), (4, "Kode Unit", "BARU")]
    assert {e.msg.code for e in report.errors} == {"org.row.unit_spelt"}
    assert report.errors[1].message == ("unknown unit 'dinas' (did you mean 'DINAS'?); write a unit code exactly, "
                                        "capitals included")
    assert counts(session) == before


@pytest.mark.parametrize(("given", "code", "says"), [
    ("199013452015011001", "org.row.nip_birth", "19901345 is not a birth date"),          # month 13, day 45
    ("199002302015011001", "org.row.nip_birth", "19900230 is not a birth date"),          # 30 February
    ("000000000000000000", "org.row.nip_birth", "00000000 is not a birth date"),
    ("189912312015011001", "org.row.nip_birth", "18991231 is not a birth date"),          # before 1900
    ("199001011985011001", "org.row.nip_appointed", "1985 is not after the birth year 1990"),
    ("199001012015010001", "org.row.nip_gender", "gender digit, 1 (male) or 2 (female), not 0"),
    ("199001012015013001", "org.row.nip_gender", "gender digit, 1 (male) or 2 (female), not 3"),
])
def test_a_new_nip_whose_parts_do_not_hold_is_refused_saying_which_part(session, org, given, code, says):
    """Any 18 digits passed: a NIP is the birth date, the appointment year and month, a gender digit, a serial."""
    before = counts(session)
    report = import_org(session, csv_bytes(HEAD, f"{given};Ani Baru;DINAS;;;Analis;;"), "o.csv", OPERATOR)
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [(2, "NIP", code)]
    assert report.errors[0].message.startswith(f"NIP {given}: ") and says in report.errors[0].message
    assert counts(session) == before


def test_a_nip_refused_for_its_gender_digit_reads_in_indonesian(session, org):
    report = import_org(session, csv_bytes(HEAD, "199001012015010001;Ani Baru;DINAS;;;Analis;;"), "o.csv", OPERATOR)
    assert message_text(report.errors[0].msg, "id") == (
        "NIP 199001012015010001: angka ke-15 adalah kode jenis kelamin, 1 (laki-laki) atau 2 (perempuan), bukan 0.")


def test_a_pppk_nomor_induk_is_not_refused_for_digits_that_are_no_month(session, org):
    """A PPPK's NI has the appointment year and then not a month (e.g. 21): only what holds for both is checked."""
    report = import_org(session, csv_bytes(HEAD, "199001012021211001;Ani PPPK;DINAS;;;Analis;;"), "o.csv", OPERATOR)
    assert report.ok and report.employees_created == 1, report.errors


def test_someone_already_in_siklus_under_a_nip_of_another_shape_is_still_matched_and_updated(session, org):
    """A NIP stored before these checks (or by another system) keys its employee: refusing it would lock them out
    of every import, and the file cannot correct the NIP it is matched by."""
    session.add(Employee(nip="000000000000000042", name="Pegawai Lama", position="Analis", unit_id=org.dinas.id))
    session.commit()
    report = import_org(session, csv_bytes(HEAD, "000000000000000042;Pegawai Lama, S.E.;DINAS;;;Analis;;",
                                           f"{nip(1)};Ani Baru;DINAS;;;Analis;000000000000000042;"), "o.csv", OPERATOR)
    assert report.ok and (report.employees_updated, report.employees_created) == (1, 1), report.errors


def _with_dimension(book: Workbook, ref: str) -> bytes:
    """``book`` saved with its sheet's <dimension> (the used range a program records) set to ``ref``, as programs
    that write rows after the dimension, or never update it, leave it."""
    whole = io.BytesIO()
    book.save(whole)
    source, out = zipfile.ZipFile(io.BytesIO(whole.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, found = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
                assert found == 1
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("formula", [False, True])
def test_a_workbook_whose_recorded_used_range_is_stale_is_read_to_its_last_row(session, org, formula):
    """openpyxl stops at the row a sheet's <dimension> names: a workbook claiming A1 imported nothing and one
    claiming A1:H2 its first row only, each said to be a success."""
    book = Workbook()
    book.active.append(HEAD.split(";"))
    book.active.append(["", "", "BARU1", "Unit Baru Satu", "DINAS"])
    book.active.append(["", "", "BARU2", "=\"Unit Baru Dua\"" if formula else "Unit Baru Dua", "DINAS"])
    for ref in ("A1", "A1:H2"):
        report = import_org(session, _with_dimension(book, ref), "organisasi.xlsx", OPERATOR, dry_run=True)
        assert report.ok != formula, report.errors
        if formula:  # the formula left no value: refused on its own row, so the two readings stay in step
            assert [(e.row, e.column) for e in report.errors] == [(3, "Nama Unit")]
        else:
            assert report.units_created == 2


@pytest.mark.parametrize(("given", "known_as"), [
    ("\u202evsc.laporan.csv", "vsc.laporan.csv"),  # shown reversed: "vsc.laporan.csv" read as "csv.naropal.csv"
    ("organisasi\x00\x1b[2J.csv", "organisasi[2J.csv"),
    ("\ufeff\u200borganisasi.csv", "organisasi.csv"),
    ("o" * 400 + ".csv", "o" * 251 + ".csv"),
])
def test_a_file_name_enters_the_report_and_the_audit_log_without_what_does_not_show(session, org, given, known_as):
    """A browser or an API client sends whatever name the file had: a right-to-left override, control characters
    or 400 characters went into the report, the page and the import's audit event as they were."""
    report = import_org(session, csv_bytes(HEAD, ";;BARU;Unit Baru;DINAS;;;"), given, OPERATOR)
    assert report.ok and report.filename == known_as
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "import")).one()
    assert event.payload["file"] == known_as
