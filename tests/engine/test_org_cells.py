"""The organisation import, cell by cell: a workbook formula reads as the value the spreadsheet computed, and a
cell no one can read as it is stored is refused by row and column, with nothing written."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from engine.models import Employee
from engine.org_cells import nip_problem
from engine.orgimport import import_org
from tests.engine.test_orgimport import OPERATOR, counts, csv_bytes
from web.messages import message_text

ANI = "199001012015012001"


def workbook(*rows: list[object], stored: dict[str, str] | None = None) -> bytes:
    """A workbook of ``rows`` as openpyxl writes it (a formula with no value: nothing computed it), with the cells
    in ``stored`` (coordinate -> the cell's XML inside ``<c>``) as a spreadsheet program writes them."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    if not stored:
        return data.getvalue()
    source, out = zipfile.ZipFile(io.BytesIO(data.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            text = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = text.decode()
                for where, cell in stored.items():
                    xml = re.sub(rf'<c r="{where}"[^>]*?(/>|>.*?</c>)', f'<c r="{where}"{cell}</c>', xml)
                text = xml.encode()
            target.writestr(item, text)
    return out.getvalue()


def test_a_formula_reads_as_the_value_the_spreadsheet_computed(session, org):
    data = workbook(["NIP", "Nama", "Kode Unit"], [ANI, '=PROPER("ani lestari")', "DINAS"],
                    stored={"B2": ' t="str"><f>PROPER("ani lestari")</f><v>Ani Lestari</v>'})
    report = import_org(session, data, "pegawai.xlsx", OPERATOR)
    assert report.ok, report.errors
    assert session.scalars(select(Employee.name).where(Employee.nip == ANI)).one() == "Ani Lestari"


def test_a_formula_nothing_computed_is_refused_naming_row_and_column_and_nothing_is_written(session, org):
    """openpyxl and other programs write a formula without its value: it read as an empty cell, 'missing'."""
    before = counts(session)
    data = workbook(["NIP", "Nama", "Kode Unit"], [ANI, '=PROPER("ani lestari")', "DINAS"])
    report = import_org(session, data, "pegawai.xlsx", OPERATOR)
    assert not report.ok
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [(2, "Nama", "org.row.formula")]
    assert str(report.errors[0]) == ("2: Nama: holds a formula without a computed value; type the value, or open "
                                     "the file in a spreadsheet program and save it again")
    assert message_text(report.errors[0].msg, "id") == (
        "Sel ini memuat rumus tanpa nilai hasil hitungan; ketik nilainya, atau buka berkas di program lembar kerja "
        "lalu simpan lagi.")
    assert counts(session) == before


def test_a_formula_whose_result_is_an_error_is_refused_not_read_as_its_error_text(session, org):
    before = counts(session)
    data = workbook(["NIP", "Nama", "Kode Unit"], [ANI, "Ani Lestari", "=VLOOKUP(A2,Unit!A:B,2,0)"],
                    stored={"C2": ' t="e"><f>VLOOKUP(A2,Unit!A:B,2,0)</f><v>#N/A</v>'})
    report = import_org(session, data, "pegawai.xlsx", OPERATOR)
    assert [(e.row, e.column, str(e)) for e in report.errors] == [
        (2, "Kode Unit", "2: Kode Unit: holds a formula whose result is the error #N/A; correct the formula or type "
                         "the value")]
    assert counts(session) == before


def test_a_row_of_formulas_nothing_computed_is_not_taken_for_a_blank_row(session, org):
    data = workbook(["NIP", "Nama", "Kode Unit"], ['=TEXT(1,"0")', '=PROPER("x")', '=UPPER("dinas")'])
    report = import_org(session, data, "pegawai.xlsx", OPERATOR, dry_run=True)
    assert sorted((e.row, e.column, e.msg.code) for e in report.errors) == [
        (2, "Kode Unit", "org.row.formula"), (2, "NIP", "org.row.formula"), (2, "Nama", "org.row.formula")]


def test_a_running_number_by_formula_in_the_no_column_is_no_problem(session, org):
    data = workbook(["No", "NIP", "Nama", "Kode Unit"], ["=ROW()-1", ANI, "Ani Lestari", "DINAS"])
    report = import_org(session, data, "pegawai.xlsx", OPERATOR)
    assert report.ok and report.employees_created == 1, report.errors


HEAD = "NIP;Nama;Kode Unit;Nama Unit;Kode Unit Induk;Jabatan;NIP Atasan;Email"


@pytest.mark.parametrize(("cells", "column", "code"), [
    (f"{ANI};Ani\u200bLestari;BIDANG;;;Analis;;", "Nama", "U+200B"),            # zero-width space (Cf)
    (f"{ANI};Ani Les\u2060tari;BIDANG;;;Analis;;", "Nama", "U+2060"),          # word joiner (Cf) inside a word
    (f"{ANI};Ani Les\u00adtari;BIDANG;;;Analis;;", "Nama", "U+00AD"),          # soft hyphen (Cf)
    (f"{ANI};Ani Lestari;BIDANG;;;Ana\ufefflis;;", "Jabatan", "U+FEFF"),        # byte-order mark (Cf)
    (f"{ANI};Ani Lestari;BID\u200dANG;;;Analis;;", "Kode Unit", "U+200D"),      # zero-width joiner (Cf)
    (f"{ANI[:9]}\u200c{ANI[9:]};Ani Lestari;BIDANG;;;Analis;;", "NIP", "U+200C"),  # and not 'not 18 digits'
    (f"{ANI};Ani Lestari\ue000;BIDANG;;;Analis;;", "Nama", "U+E000"),          # private use (Co)
    (f"{ANI};Ani\u3164Lestari;BIDANG;;;Analis;;", "Nama", "U+3164"),           # Hangul filler (draws nothing)
    (f"{ANI};Ani\u2028Lestari;BIDANG;;;Analis;;", "Nama", "U+2028"),           # line separator (Zl)
    (f"{ANI};Ani\x85Lestari;BIDANG;;;Analis;;", "Nama", "U+0085"),             # next line (Cc)
])
def test_a_name_with_a_character_that_does_not_show_is_refused_so_no_one_reads_as_someone_else(session, org, cells,
                                                                                                 column, code):
    """'Ani\\u200bLestari' shows as Ani Lestari, who is already on staff: a second Ani Lestari nobody can tell apart."""
    before = counts(session)
    report = import_org(session, csv_bytes(HEAD, cells), "pegawai.csv", OPERATOR)
    assert not report.ok
    assert [(e.row, e.column, e.msg.code, e.msg.params) for e in report.errors] == [
        (2, column, "org.row.hidden", {"code": code})]
    assert str(report.errors[0]) == (f"2: {column}: holds the character {code}, which does not show on screen; a "
                                     "name that looks like another must not be another: type the cell again")
    assert message_text(report.errors[0].msg, "id").startswith(f"Sel ini memuat karakter {code} yang tidak tampak")
    assert counts(session) == before


def test_a_no_break_space_reads_as_a_space_and_a_name_is_kept_in_its_composed_form(session, org):
    composed, decomposed = "Andr\u00e9 Lestari", "Andre\u0301 Lestari"  # the same name, typed two ways
    report = import_org(session, csv_bytes(HEAD, f"{ANI};{decomposed};BIDANG;;;Analis\u00a0Kebijakan\u3000;;"),
                        "pegawai.csv", OPERATOR)
    assert report.ok, report.errors
    stored = session.execute(select(Employee.name, Employee.position).where(Employee.nip == ANI)).one()
    assert tuple(stored) == (composed, "Analis Kebijakan")
    again = import_org(session, csv_bytes(HEAD, f"{ANI};{composed};BIDANG;;;Analis Kebijakan;;"), "p.csv", OPERATOR)
    assert again.ok and again.changed == 0


def test_a_birth_date_still_to_come_is_no_birth_date():
    assert nip_problem("203001012050011001", today=date(2026, 12, 3)).msg.code == "org.row.nip_birth"
    assert nip_problem("202612032050011001", today=date(2026, 12, 3)) is None


NUMBERED = "No;NIP;Nama;Kode Unit;Nama Unit;Kode Unit Induk;Jabatan;NIP Atasan;Email"


def test_rows_of_a_numbered_template_that_hold_only_their_number_or_spaces_are_skipped(session, org):
    """A template numbered down its 'No' column to row 100, filled in to row 3: the rest are empty, not problems."""
    data = csv_bytes(NUMBERED, f"1;{ANI};Ani Lestari;BIDANG;;;Analis;;", "2; ;  ;;\u00a0;;;;", "3;;;;;;;;",
                     "4", "5;\u3000;;;;;;;", ";;;;;;;;")
    report = import_org(session, data, "templat.csv", OPERATOR, dry_run=True)
    assert report.ok, report.errors
    assert (report.rows, report.employees_created) == (1, 1)


def test_a_numbered_workbook_row_holding_only_its_number_is_skipped(session, org):
    data = workbook(["No.", "NIP", "Nama", "Kode Unit"], [1, ANI, "Ani Lestari", "BIDANG"], [2, None, " ", None],
                    [3, "", None, "   "])
    report = import_org(session, data, "templat.xlsx", OPERATOR, dry_run=True)
    assert report.ok, report.errors
    assert report.rows == 1


def test_a_numbered_row_with_some_data_but_a_required_cell_missing_is_still_named_by_row_and_column(session, org):
    data = csv_bytes(NUMBERED, f"1;{ANI};Ani Lestari;BIDANG;;;Analis;;", "2;;;;;;Analis;;", "3; ;Budi Santoso;;;;;;")
    report = import_org(session, data, "templat.csv", OPERATOR, dry_run=True)
    assert not report.ok
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [
        (3, "Kode Unit", "org.row.unit_missing"), (4, "Kode Unit", "org.row.unit_missing"),
        (4, "NIP", "org.row.nip_missing")]


def test_spaces_are_collapsed_and_zero_width_characters_at_the_edge_of_a_word_dropped(session, org):
    """What reads the same is stored the same: doubled spaces, a no-break space, a zero-width space or a byte-order
    mark before or after the words (pasted from a web page or a document) leave no near-duplicate behind."""
    cells = (f"\u200b{ANI}\ufeff;  Ani\u00a0\u00a0Lestari \u200b;\ufeffBIDANG\u2060;;;Analis   Kebijakan\u200d ;;"
             "ani@example.go.id\u200b")
    report = import_org(session, csv_bytes(HEAD, cells), "pegawai.csv", OPERATOR)
    assert report.ok, report.errors
    stored = session.execute(select(Employee.name, Employee.position, Employee.email)
                             .where(Employee.nip == ANI)).one()
    assert tuple(stored) == ("Ani Lestari", "Analis Kebijakan", "ani@example.go.id")


def test_fullwidth_letters_and_digits_read_as_the_letters_they_stand_for(session, org):
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in ANI)
    report = import_org(session, csv_bytes(HEAD, f"{fullwidth};\uff21\uff4e\uff49 Lestari;\uff22\uff29\uff24ANG;;;"
                                                 "Analis;;"), "pegawai.csv", OPERATOR)
    assert report.ok, report.errors
    stored = session.execute(select(Employee.nip, Employee.name).where(Employee.nip == ANI)).one()
    assert tuple(stored) == (ANI, "Ani Lestari")


@pytest.mark.parametrize(("cells", "column", "code", "params", "text"), [
    # A Cyrillic 'а' in a unit code: reads as BIDANG, is not BIDANG.
    (f"{ANI};Ani Lestari;BID\u0410NG;;;Analis;;", "Kode Unit", "org.row.script_letter",
     {"char": "\u0410", "code": "U+0410"}, "Huruf «\u0410» (Sirilik, U+0410) bukan huruf Latin"),
    (f"{ANI};Ani Lestari;BIDANG;;;Analis;1980010120050110\u041e1;", "NIP Atasan", "org.row.script_letter",
     {"char": "\u041e", "code": "U+041E"}, "Huruf «\u041e» (Sirilik, U+041E) bukan huruf Latin"),
    (f"{''.join(chr(0x660 + int(d)) for d in ANI)};Ani Lestari;BIDANG;;;Analis;;", "NIP", "org.row.script_digit",
     {"char": "\u0661", "code": "U+0661"}, "Angka «\u0661» (Arab, U+0661) bukan angka 0-9"),
    # A Greek omicron in a Latin name: 'Dοni' looks like Doni and is someone else.
    (f"{ANI};D\u03bfni Harahap;BIDANG;;;Analis;;", "Nama", "org.row.script_mixed",
     {"char": "\u03bf", "code": "U+03BF", "word": "D\u03bfni"}, "Huruf «\u03bf» (Yunani, U+03BF) pada «D\u03bfni»"),
])
def test_a_lookalike_letter_from_another_script_is_refused_naming_it(session, org, cells, column, code, params, text):
    before = counts(session)
    report = import_org(session, csv_bytes(HEAD, cells), "pegawai.csv", OPERATOR)
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [(2, column, code)]
    assert {k: report.errors[0].msg.params[k] for k in params} == params
    assert message_text(report.errors[0].msg, "id").startswith(text)
    assert counts(session) == before


def test_a_name_wholly_in_another_script_is_no_lookalike(session, org):
    report = import_org(session, csv_bytes(HEAD, f"{ANI};Ани Лестари;BIDANG;;;Analis;;"), "pegawai.csv", OPERATOR,
                        dry_run=True)
    assert report.ok, report.errors
