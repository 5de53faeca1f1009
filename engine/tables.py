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
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

#: What a spreadsheet may read as the start of a formula: the ASCII signs, their full-width forms (which some
#: spreadsheets fold into them on input), and the control characters that move to a new cell.
FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\t", "\r", "\n")


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

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet")
    rows = [list(r) for r in rows]
    if widths and rows:
        _set_widths(sheet, rows)
    for number, row in enumerate(rows):
        sheet.append(_cells(sheet, row, header=number == 0, text_columns=text_columns))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_stream(rows: Iterable[Sequence[Any]], delimiter: str = ",", batch: int = 500) -> Iterator[bytes]:
    """:func:`table_csv` a few hundred lines at a time, for a response or a file that is written as the
    rows are read (the byte-order mark first)."""
    lines = ["\ufeff"]
    for row in rows:
        lines.append(csv_line(row, delimiter))
        if len(lines) >= batch:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


def xlsx_stream(rows: Iterable[Sequence[Any]], title: str, text_columns: tuple[int, ...] = (),
                widths: bool = False, chunk: int = 1 << 16) -> Iterator[bytes]:
    """:func:`table_xlsx` without holding the rows: openpyxl's write-only workbook keeps each row on disk
    as it is appended; the finished file is read back in chunks. Column widths (``widths``) follow the
    first rows only, so the rows need not be read twice."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet")
    iterator = iter(rows)
    head = [list(r) for r in itertools.islice(iterator, WIDTH_SAMPLE)]
    if widths and head:
        _set_widths(sheet, head)
    for number, row in enumerate(itertools.chain(head, iterator)):
        sheet.append(_cells(sheet, row, header=number == 0, text_columns=text_columns))
    with tempfile.TemporaryFile() as spool:
        book.save(spool)
        spool.seek(0)
        while data := spool.read(chunk):
            yield data


#: Rows read to size an XLSX export's columns.
WIDTH_SAMPLE = 200


def _set_widths(sheet: Any, rows: Sequence[Sequence[Any]]) -> None:
    for index in range(max(len(r) for r in rows)):
        widest = max(len(str(r[index])) if index < len(r) and r[index] is not None else 0 for r in rows)
        sheet.column_dimensions[_column_letter(index + 1)].width = min(max(widest + 2, 8), 60)
    sheet.freeze_panes = "A2"


def _cells(sheet: Any, row: Sequence[Any], *, header: bool, text_columns: tuple[int, ...]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for position, value in enumerate(row):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # openpyxl writes '=...' as a formula otherwise
        if header:
            cell.font = Font(bold=True)
        elif position in text_columns:
            cell.number_format = "@"
        cells.append(cell)
    return cells


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))
