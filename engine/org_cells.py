"""The cells of an organisation file, one at a time: what any cell may hold, whatever its column.

:mod:`engine.orgimport` reads each row's cells through :func:`read_row`, which gives the text each field holds
and the cells refused outright, each with an English sentence for logs and a coded message for people
(``engine/messages/org.py``): a workbook formula that left no value, or a character no one can see. The
checks that need the row, the file or the database stay in :mod:`engine.orgimport`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from engine.messages import Message
from engine.org_table import Formula

# Spaces other than the space bar's (a no-break space pasted from a web page or a document, an ideographic space),
# a line break or a tab typed in a cell (Alt+Enter in Excel for a long position): each run reads as one space.
_SPACES = "\t\r\n\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
BREAKS = re.compile(f" *[{_SPACES}][ {_SPACES}]*")
# Letters and marks that draw nothing though Unicode files them as neither control nor format characters (Hangul
# fillers, variation selectors, the combining grapheme joiner): default-ignorable code points outside Cf.
_BLANK = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]")
# Zero-width characters (space, non-joiner, joiner, word joiner, byte-order mark) at either end of a word: they join
# or part nothing there, so they are dropped. Inside a word they are refused (:func:`invisible`): which name was meant?
_ZERO = "\u200b\u200c\u200d\u2060\ufeff"
_EDGE_ZERO = re.compile(f"(?:^|(?<= ))[{_ZERO}]+|[{_ZERO}]+(?= |$)")
_RUNS = re.compile(" {2,}")
# The fields that name something by code or number: their letters are Latin and their digits 0-9.
IDENTIFIERS = frozenset({"nip", "supervisor", "unit", "parent"})
# Scripts whose letters pass for Latin ones, and Arabic's digits, by the first word of a character's Unicode name;
# another script is named as Unicode names it.
_SCRIPTS = {"CYRILLIC": "cyrillic", "GREEK": "greek", "ARMENIAN": "armenian", "CHEROKEE": "cherokee",
            "COPTIC": "coptic", "ARABIC": "arabic", "ARABIC-INDIC": "arabic", "EXTENDED": "arabic"}


def invisible(text: str) -> str | None:
    """The first character of ``text`` that does not show as itself, else None: a control character (C0 with NUL,
    DEL, C1), a format character (zero-width space and joiners, soft hyphen, byte-order mark, the direction marks
    and overrides that show a name reversed), a private-use or surrogate code point, a line or paragraph
    separator, or a blank letter. A name holding one looks like another name and is not it."""
    if text.isprintable() and (text.isascii() or not _BLANK.search(text)):  # the fast answer for nearly every cell
        return None
    return next((c for c in text if not c.isprintable() or _BLANK.match(c)), None)


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

    A refused cell reads as empty. Spaces, line breaks and tabs read as in :data:`BREAKS`, a run of spaces as one,
    zero-width characters at the edge of a word are dropped, the ends are trimmed and the text is kept in Unicode's
    compatibility composed form (NFKC: é typed as e and an accent, fullwidth Ｂ and Ｂ's other compatibility forms read
    as é and B). A cell holding a character that does not show, a code or NIP holding a letter of another script or
    a digit other than 0-9, and a word mixing Latin letters with another script's are refused (:func:`_foreign`)."""
    values: dict[str, str] = {}
    refused: dict[str, Problem] = {}
    for name, position in index.items():
        cell = cells[position] if position < len(cells) else ""
        if isinstance(cell, Formula):
            refused[name] = _formula(cell)
            values[name] = ""
            continue
        text = _RUNS.sub(" ", _EDGE_ZERO.sub("", BREAKS.sub(" ", cell).strip(" "))).strip()
        hidden = invisible(text)  # named as typed, before NFKC turns a Hangul filler into another
        if hidden is None and not text.isascii():
            text = _RUNS.sub(" ", unicodedata.normalize("NFKC", text)).strip()
        if hidden is not None:
            code = f"U+{ord(hidden):04X}"
            refused[name] = Problem(f"holds the character {code}, which does not show on screen; a name that looks "
                                    "like another must not be another: type the cell again",
                                    Message("org.row.hidden", code=code))
        elif not text.isascii():
            foreign = _foreign(text, name in IDENTIFIERS)
            if foreign is not None:
                refused[name] = foreign
        values[name] = text
    return values, refused


def _script(char: str) -> Message:
    word = unicodedata.name(char, "").split(" ")[0]
    known = _SCRIPTS.get(word)
    return Message(f"org.script.{known}") if known else Message("org.script.other", name=word.title())


def _foreign(text: str, identifier: bool) -> Problem | None:
    """A letter of another script that passes for a Latin one, or a digit other than 0-9, in a code or NIP
    (``identifier``); else a word of Latin letters holding a letter of another script (Cyrillic 'а' in 'Bаdan').
    A name written wholly in another script is no lookalike and passes."""
    for word in text.split(" ") if not identifier else (text,):
        latin = False
        odd: str | None = None
        for char in word:
            kind = unicodedata.category(char)
            if identifier and kind == "Nd" and not char.isascii():
                code = f"U+{ord(char):04X}"
                return Problem(f"the digit '{char}' ({code}) is not one of 0-9; codes and NIPs are written in Latin "
                               "letters and the digits 0-9", Message("org.row.script_digit", char=char, code=code,
                                                                     script=_script(char)))
            if kind in ("Lu", "Ll", "Lt", "Lo"):
                if unicodedata.name(char, "").startswith("LATIN "):
                    latin = True
                elif odd is None:
                    odd = char
        if odd is not None and (identifier or latin):
            code = f"U+{ord(odd):04X}"
            if identifier:
                return Problem(f"the letter '{odd}' ({code}) is not a Latin letter; codes and NIPs are written in "
                               "Latin letters and the digits 0-9",
                               Message("org.row.script_letter", char=odd, code=code, script=_script(odd)))
            return Problem(f"the letter '{odd}' ({code}) in '{word[:40]}' is not a Latin letter, though the word's "
                           "others are: a name that looks like another must not be another; type the word again",
                           Message("org.row.script_mixed", char=odd, code=code, word=word[:40], script=_script(odd)))
    return None


def has_formula(cells: list[str], index: dict[str, int]) -> bool:
    """Whether a field's cell is a formula that left no value: such a row is not blank, whatever else it holds."""
    return any(isinstance(cells[position], Formula) for position in index.values() if position < len(cells))


def nip_problem(nip: str, today: date | None = None) -> Problem | None:
    """What is certainly wrong with the parts of an 18-digit NIP, else None; for a NIP new to Siklus.

    A PNS's NIP is the birth date (YYYYMMDD), the year and month of appointment as CPNS, a gender digit (1 male,
    2 female) and a serial of three digits. A PPPK's Nomor Induk has the same length, birth date and gender digit,
    but its digits 13-14 are not a month, so the month is not checked: the birth date must be a date no later than
    ``today``, the year of appointment later than the year of birth, and the gender digit 1 or 2."""
    try:
        born = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > (today or date.today()):
        return Problem(f"NIP {nip}: its first 8 digits are the birth date (YYYYMMDD), and {nip[:8]} is not a birth "
                       "date", Message("org.row.nip_birth", nip=nip, part=nip[:8]))
    if int(nip[8:12]) <= born.year:
        return Problem(f"NIP {nip}: digits 9 to 12 are the year of appointment, and {nip[8:12]} is not after the "
                       f"birth year {nip[:4]}", Message("org.row.nip_appointed", nip=nip, year=nip[8:12], born=nip[:4]))
    if nip[14] not in "12":
        return Problem(f"NIP {nip}: digit 15 is the gender digit, 1 (male) or 2 (female), not {nip[14]}",
                       Message("org.row.nip_gender", nip=nip, digit=nip[14]))
    return None
