"""The cells of an organisation file, one at a time: what any cell may hold, whatever its column.

:mod:`engine.orgimport` reads each row's cells through :func:`read_row`, which gives the text each field holds
and the cells refused outright, each with an English sentence for logs and a coded message for people
(``engine/messages/org.py``): a workbook formula that left no value, or a character no one can see. The
checks that need the row, the file or the database stay in :mod:`engine.orgimport`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.messages import Message
from engine.org_table import Formula

# Control characters (C0 with NUL, DEL, C1), line and paragraph separators and the bidirectional controls that
# make a name read differently from what is stored: no cell of an organisation holds one, and PostgreSQL
# refuses a NUL outright.
HIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A line break or tab typed in a cell (Alt+Enter in Excel for a long position) reads as one space.
BREAKS = re.compile(r"\s*[\t\r\n]+\s*")


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell: an English sentence (logs, ``siklus import``) and the coded message."""

    message: str
    msg: Message


def _formula(cell: Formula) -> Problem:
    if cell.error:
        return Problem(f"holds a formula whose result is the error {cell.error}; correct the formula or type the "
                       "value", Message("org.row.formula_error", error=cell.error))
    return Problem("holds a formula without a computed value; type the value, or open the file in a spreadsheet "
                   "program and save it again", Message("org.row.formula"))


def read_row(cells: list[str], index: dict[str, int]) -> tuple[dict[str, str], dict[str, Problem]]:
    """The text of each field (``index``: field -> position) and the fields whose cell is refused, by field.

    A refused cell reads as empty; a line break or tab reads as one space and the ends are trimmed."""
    values: dict[str, str] = {}
    refused: dict[str, Problem] = {}
    for name, position in index.items():
        cell = cells[position] if position < len(cells) else ""
        if isinstance(cell, Formula):
            refused[name] = _formula(cell)
            values[name] = ""
            continue
        text = BREAKS.sub(" ", cell).strip()
        hidden = HIDDEN.search(text)
        if hidden is not None:
            code = f"U+{ord(hidden.group()):04X}"
            refused[name] = Problem(f"holds the invisible character {code}; type the cell again",
                                    Message("org.row.hidden", code=code))
        values[name] = text
    return values, refused


def has_formula(cells: list[str], index: dict[str, int]) -> bool:
    """Whether a field's cell is a formula that left no value: such a row is not blank, whatever else it holds."""
    return any(isinstance(cells[position], Formula) for position in index.values() if position < len(cells))
