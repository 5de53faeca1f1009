"""The one writer of CSV and XLSX cells: text a spreadsheet would run as a formula is kept as text."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from engine.tables import csv_line, safe_cell, table_csv, table_xlsx, unescape_cell


@pytest.mark.parametrize("text", ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")',
                                  "\uff1dcmd|' /C calc'!A0", "\uff0b1", "\uff0d1", "\uff20SUM(A1)"])
def test_formula_like_text_gets_a_leading_apostrophe_and_reads_back(text):
    assert safe_cell(text) == "'" + text
    assert unescape_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", ["Ani", "'quoted", "1.5", 12, -5, 2.5, None, "Rp 5.000"])
def test_plain_values_and_numbers_are_left_alone(value):
    assert safe_cell(value) == value


def test_an_apostrophe_that_protects_nothing_survives_the_round_trip():
    assert unescape_cell("'Ani") == "'Ani"


def test_csv_rows_are_crlf_with_a_bom_and_safe_cells():
    data = table_csv([["Nama", "Nilai"], ["=1+2", -5]])
    assert data.startswith("\ufeff".encode("utf-8"))
    assert data.decode("utf-8-sig") == "Nama,Nilai\r\n'=1+2,-5\r\n"
    assert csv_line(["@x", None], ";") == "'@x;\r\n"


def test_xlsx_text_cells_are_never_formulas_and_numbers_stay_numbers():
    sheet = load_workbook(io.BytesIO(table_xlsx([["a", "b"], ["=1+2", -5], ["198001012005011001", 3]], "T",
                                                text_columns=(0,)))).active
    rows = list(sheet.iter_rows())
    assert (rows[1][0].value, rows[1][0].data_type) == ("=1+2", "s")
    assert (rows[1][1].value, rows[1][1].data_type) == (-5, "n")
    assert rows[2][0].value == "198001012005011001"
