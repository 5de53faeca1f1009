"""Reading an uploaded organisation table (CSV or XLSX) into numbered rows of text cells, bounded.

The checks of what the rows say are :mod:`engine.orgimport`'s; here a file becomes rows, or a coded refusal
naming why it cannot (not UTF-8, not a workbook, a sheet that breaks off or reaches too far). A workbook cell
holding a formula reads as the value the spreadsheet stored for it; one with no value stored, or an error, reads
as a :class:`Formula` for the import to refuse by row and column.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from itertools import zip_longest
from typing import Any

from engine.errors import InvalidInput
from engine.limits import UNSHOWN, short_name
from engine.messages import Message
from engine.tables import unescape_cell

# How far a table is read. A few kilobytes of workbook can declare a cell at XFD1048576, and openpyxl would hand
# over every row up to it padded to its column: billions of empty cells. Far beyond any organisation's file.
TABLE_ROWS = 200_000
# Blank rows past TABLE_ROWS are passed over (a sheet whose rows were formatted far down) up to the last row a
# spreadsheet has; a row number past it is no sheet's, whatever a forged <row r="..."> claims.
SHEET_ROWS = 1_048_576
TABLE_COLUMNS = 64
# The values a spreadsheet stores for a formula it could not compute.
FORMULA_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                            "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")  # <f>, <f t="shared" .../>, <x:f>
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
FORMULA_SCAN = 64 << 20
_MERGE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref=\""
                        rb"([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)\"")  # <mergeCell ref="A2:A6"/>


class Formula(str):
    """A workbook cell whose formula left nothing to read: no value stored (the program that wrote the file
    never computed it) or an error value such as ``#N/A`` (kept in ``error``). It reads as an empty cell so that
    nothing takes it for data; :mod:`engine.org_cells` refuses it by row and column."""

    error: str

    def __new__(cls, error: str = "") -> Formula:
        cell = super().__new__(cls, "")
        cell.error = error
        return cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # A NIP typed as a number: Excel keeps 15 significant digits, so an 18-digit NIP is already damaged.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


def _computed(value: Any, written: Any) -> str:
    """A workbook cell from its stored value and what it reads as without the values (its formula, if it has one)."""
    if written is not None and written != value:  # a formula: only the two readings of a formula cell differ
        if value is None:
            return Formula()
        if isinstance(value, str) and value in FORMULA_ERRORS:
            return Formula(value)
    return _cell(value)


def _may_hold_formulas(data: bytes) -> bool:
    """Whether a sheet of the workbook may hold a formula: a workbook without one (every file Siklus exports, most
    typed by hand) is read once, not twice. Past :data:`FORMULA_SCAN` bytes of sheets the answer is yes, so that a
    small file that unpacks to gigabytes is not read through here."""
    budget = FORMULA_SCAN
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if not _WORKSHEET.match(name):
                    continue
                with archive.open(name) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 20):
                        budget -= len(chunk)
                        if budget < 0 or _FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-32:]
    except Exception:  # a damaged archive: openpyxl names what is wrong with it
        return True
    return False


def _read_csv(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{filename}: not UTF-8 text (byte {exc.start + 1}); save the file as "
                           "'CSV UTF-8' or as an Excel workbook (.xlsx)",
                           msg=Message("org.not_utf8", file=filename, byte=exc.start + 1)) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            # A cell Siklus exported with a protective apostrophe reads back as it was.
            yield number, [unescape_cell(c.strip()) for c in row]
    except csv.Error as exc:
        raise InvalidInput(f"{filename}: line {reader.line_num}: not readable as CSV: {exc}",
                           msg=Message("org.csv_unreadable", file=filename, line=reader.line_num)) from None


def _read_xlsx(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(f"{filename}: not a readable Excel workbook (.xlsx): {exc}",
                           msg=Message("org.xlsx_unreadable", file=filename)) from None
    formulas = None
    try:
        # The same sheet read for its formulas, beside its values, to tell a formula with no value from a blank.
        formulas = load_workbook(io.BytesIO(data), read_only=True) if _may_hold_formulas(data) else None
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise InvalidInput(f"{filename}: the workbook has no sheet", msg=Message("org.no_sheet", file=filename))
        declared = sheet.max_column  # the sheet's own <dimension>, None when it has none
        if declared is not None and declared > TABLE_COLUMNS:
            raise InvalidInput(f"{filename}: the sheet reaches column {declared}; one import holds at most "
                               f"{TABLE_COLUMNS} columns",
                               msg=Message("org.sheet_too_wide", file=filename, column=declared, limit=TABLE_COLUMNS))
        # Every row there is, whatever the <dimension> says: openpyxl stops at its last row, and a program that
        # never updates it (or writes rows after it) would have the rows past it left out without a word. The
        # rows read stay bounded by _bounded; the columns by max_col.
        sheet.reset_dimensions()
        if formulas is not None and formulas.worksheets:
            formulas.worksheets[0].reset_dimensions()
        # Never more than one column past the limit (to tell it is used), whatever a sheet without a
        # <dimension> holds: openpyxl pads every row to the last column it reads.
        rows = sheet.iter_rows(values_only=True, max_col=TABLE_COLUMNS + 1)
        written = (formulas.worksheets[0].iter_rows(values_only=True, max_col=TABLE_COLUMNS + 1)
                   if formulas is not None and formulas.worksheets else None)
        number = 0
        filled: dict[int, int] = {}  # row -> a bit for each column holding something: where a merge loses values
        while True:
            try:
                row = next(rows)
                as_written = next(written, ()) if written is not None else ()
            except StopIteration:
                _refuse_merged(data, getattr(sheet, "_worksheet_path", ""), filled, filename)
                break
            except Exception as exc:  # whatever openpyxl's XML parser or zip reader raises: a sheet it cannot read
                raise InvalidInput(f"{filename}: not a readable Excel workbook (.xlsx): row {number + 1}: "
                                   f"{type(exc).__name__}",
                                   msg=Message("org.xlsx_unreadable", file=filename)) from None
            number += 1
            if all(v is None for v in row) and all(w is None for w in as_written):
                yield number, []  # a blank row (a formatted one, or a gap): nothing to read, and cheap to pass
                continue
            filled[number] = sum(1 << i for i, v in enumerate(row) if v is not None and v != "")
            yield number, ([_computed(v, w) for v, w in zip_longest(row, as_written)] if as_written
                           else [_cell(v) for v in row])
    finally:
        book.close()
        if formulas is not None:
            formulas.close()


def _merged_ranges(data: bytes, path: str) -> Iterator[str]:
    """The ``ref`` of each merged range (``A2:A6``) the sheet at ``path`` in the workbook declares. They follow its
    rows, so the whole sheet is read, as openpyxl has just read it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path.lstrip("/")) as stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                text = tail + chunk
                end = 0
                for match in _MERGE_TAG.finditer(text):
                    end = match.end()
                    yield match.group(1).decode("ascii")
                tail = text[max(end, len(text) - 512):]
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):  # a sheet openpyxl read but not found here: no merges
        return


def _refuse_merged(data: bytes, path: str, filled: dict[int, int], filename: str) -> None:
    """Refuse a sheet with a merged range whose value (held by its top-left cell only) the cells below or beside it
    would read as blank. A merged range holding nothing loses nothing and passes. Nothing is filled in: a blank cell
    clears its field (a supervisor, an e-mail), and which rows a merged value was meant for is the file's to say."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    found: list[tuple[int, int, str]] = []
    for ref in _merged_ranges(data, path) if path else ():
        try:
            first_col, first_row, last_col, last_row = range_boundaries(ref)
        except ValueError:
            continue
        if first_col is None or first_row is None or first_col > TABLE_COLUMNS + 1:
            continue
        if (first_col, first_row) == (last_col, last_row) or not filled.get(first_row, 0) >> (first_col - 1) & 1:
            continue
        found.append((first_row, first_col, ref))
    if not found:
        return
    row, column, ref = min(found)
    cell = f"{get_column_letter(column)}{row}"
    raise InvalidInput(f"{filename}: the cells {ref} are merged, so only {cell} holds their value and the others read "
                       f"as blank ({len(found)} merged range(s) with a value); unmerge them and type the value in each "
                       "cell (select the range, turn off Merge & Center, then fill down)",
                       msg=Message("org.merged", file=filename, range=ref, cell=cell, count=len(found)))


def _bounded(rows: Iterator[tuple[int, list[str]]], filename: str) -> Iterator[tuple[int, list[str]]]:
    """``rows`` up to :data:`TABLE_ROWS` rows and :data:`TABLE_COLUMNS` columns; a row or a cell past them
    is refused, naming where, so nothing is left unread without a word. Blank rows past the last row read are
    passed over up to :data:`SHEET_ROWS`."""
    for number, cells in rows:
        blank = not any(cells) and not any(isinstance(cell, Formula) for cell in cells)
        if number > TABLE_ROWS and (not blank or number > SHEET_ROWS):
            raise InvalidInput(f"{filename}: the sheet reaches row {number}; one import holds at most {TABLE_ROWS} "
                               "rows", msg=Message("org.too_many_rows", file=filename, row=number, limit=TABLE_ROWS))
        if len(cells) > TABLE_COLUMNS:
            beyond = next((i for i, cell in enumerate(cells[TABLE_COLUMNS:], start=TABLE_COLUMNS + 1) if cell), None)
            if beyond is not None:
                raise InvalidInput(f"{filename}: row {number} holds something in column {beyond}; one import holds "
                                   f"at most {TABLE_COLUMNS} columns",
                                   msg=Message("org.too_many_columns", file=filename, row=number, column=beyond,
                                               limit=TABLE_COLUMNS))
            cells = cells[:TABLE_COLUMNS]
        if number <= TABLE_ROWS:
            yield number, cells


#: The longest file name an import is known by (the tables keep 255 characters of a file name).
MAX_FILE_LABEL = 255


def file_label(filename: str) -> str:
    """The name an import is known by in its report, its messages and the audit log: ``filename`` without what
    :data:`engine.limits.UNSHOWN` holds (what does not show or reorders the text), cut to :data:`MAX_FILE_LABEL`
    characters keeping its start and extension."""
    return short_name(UNSHOWN.sub("", filename).strip(), MAX_FILE_LABEL)


def read_table(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a CSV (UTF-8, comma or semicolon) or XLSX file, by extension, at most
    :data:`TABLE_ROWS` rows of :data:`TABLE_COLUMNS` columns."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        return _bounded(_read_csv(data, filename), filename)
    if lower.endswith(".xlsx"):
        return _bounded(_read_xlsx(data, filename), filename)
    raise InvalidInput(f"{filename}: unknown file type; give a .csv (UTF-8, comma or semicolon) or an .xlsx file",
                       msg=Message("org.file_type", file=filename))
