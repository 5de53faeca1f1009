"""Every CSV and XLSX file Siklus writes goes through here, so no cell can become a live formula.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula: an employee's indicator label ``=1+2`` or an imported
name ``=HYPERLINK(...)`` would run on the HR officer's machine. In CSV such text gets a leading
apostrophe (the convention spreadsheet programs show as text, and the organisation import removes
again); in XLSX the cell is written as a text cell. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def safe_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def unescape_cell(text: str) -> str:
    """Undo :func:`safe_cell` on a cell read back from a CSV Siklus wrote."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


def csv_line(values: Iterable[Any], delimiter: str = ",") -> str:
    """One CSV line (CRLF) of safe cells; for streamed exports."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow([
        "" if v is None else safe_cell(v) for v in values])
    return buffer.getvalue()


def table_csv(rows: Iterable[Sequence[Any]], delimiter: str = ",") -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the letters right), safe cells."""
    return ("\ufeff" + "".join(csv_line(row, delimiter) for row in rows)).encode("utf-8")


def table_xlsx(rows: Iterable[Sequence[Any]], title: str, text_columns: tuple[int, ...] = (),
               widths: bool = False) -> bytes:
    """One sheet with a bold header; text is stored as text (never a formula); ``text_columns`` as
    text even when it looks like a number (a NIP must never become a number)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet")
    bold = Font(bold=True)
    rows = [list(r) for r in rows]
    if widths and rows:
        for index in range(max(len(r) for r in rows)):
            widest = max(len(str(r[index])) if index < len(r) and r[index] is not None else 0 for r in rows)
            letter = _column_letter(index + 1)
            sheet.column_dimensions[letter].width = min(max(widest + 2, 8), 60)
        sheet.freeze_panes = "A2"
    for number, row in enumerate(rows):
        cells = []
        for position, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # openpyxl writes '=...' as a formula otherwise
            if number == 0:
                cell.font = bold
            elif position in text_columns:
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))
