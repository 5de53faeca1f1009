"""How large each kind of input may be, and which numbers can name a database row.

One limit per kind of input, the same on every channel: the screens, the API and the CLI read these
constants and refuse through :func:`check_size`, so a cycle file too big for the form is too big for
``POST /api/v1/definitions`` and ``siklus validate`` as well. The OpenAPI document declares the same
numbers (a test holds them together).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from engine.errors import InvalidInput, SiklusError
from engine.messages import Message

# Ids are INTEGER columns: 32-bit on PostgreSQL. A larger number names no row; it must not reach the
# database, which would refuse it with an error instead of "not found".
MAX_ID = 2**31 - 1
_MAX_ID_DIGITS = len(str(MAX_ID))


@dataclass(frozen=True)
class SizeLimit:
    """The largest accepted size of one kind of input, with its name for people in both languages."""

    kind: str
    max_bytes: int
    name_id: str
    name_en: str

    @property
    def shown(self) -> str:
        """The limit as people read it: 256 KiB, 5 MiB."""
        if self.max_bytes % (1024 * 1024) == 0:
            return f"{self.max_bytes // (1024 * 1024)} MiB"
        return f"{self.max_bytes // 1024} KiB"


CYCLE_FILE = SizeLimit("cycle-file", 256 * 1024, "Berkas siklus", "The cycle file")  # a national cycle is ~10 KiB
EVIDENCE_FILE = SizeLimit("evidence-file", 5 * 1024 * 1024, "Berkas bukti", "The evidence file")
ORG_IMPORT_FILE = SizeLimit("org-import-file", 10 * 1024 * 1024, "Berkas impor organisasi",
                            "The organisation import file")  # ~100,000 employees as CSV
JSON_BODY = SizeLimit("json-body", 1024 * 1024, "Isi permintaan JSON", "The JSON request body")
# Text typed into one field.
COMMENT_CHARS = 4000          # a feedback comment, a transition's free-text note, a realisation's note,
                              # an IKI's text and its RHK
IKI_UNIT_CHARS = 32           # an IKI's unit of measure (dokumen, persen, hari)
COMPLAINT_CHARS = 2000        # a citizen's complaint in the public survey
FORM_FIELD_BYTES = 1024 * 1024  # one text field of a form: a pasted cycle file is the largest
QUERY_TEXT_CHARS = 200        # one text parameter of a query string (a period, a unit code, a search)
JSON_DEPTH = 32               # arrays and objects inside one another in a JSON body (a cycle payload uses 3)
# The whole request, whatever it carries: the largest file plus room for the form around it. Anything
# larger is cut off by the server before Siklus reads it.
MAX_REQUEST_BYTES = ORG_IMPORT_FILE.max_bytes + 1024 * 1024


class TooLarge(SiklusError):
    """An input over its kind's size limit."""

    code = "too-large"
    http_status = 413


def check_size(limit: SizeLimit, size: int, name: str | None = None) -> None:
    """Refuse an input of ``size`` bytes over ``limit``; ``name`` (a file name) is named in the message."""
    if size <= limit.max_bytes:
        return
    what_en = f"{limit.name_en} {name}" if name else limit.name_en
    raise TooLarge(f"{what_en} is {size:,} bytes; at most {limit.shown} ({limit.max_bytes:,} bytes) is accepted",
                   limit=limit.kind, max_bytes=limit.max_bytes,
                   msg=Message("file.over_limit", limit=limit.shown,
                               what=Message("file.named", what={"id": limit.name_id, "en": limit.name_en}, name=name)
                               if name else {"id": limit.name_id, "en": limit.name_en}))


def check_not_empty(limit: SizeLimit, size: int, name: str | None = None) -> None:
    """Refuse an empty file of ``limit``'s kind (a file saved before it was written, a link to nothing): it is
    named as empty, not as a file of the wrong kind."""
    if size:
        return
    what_en = f"{limit.name_en} {name}" if name else limit.name_en
    raise InvalidInput(f"{what_en} is empty (0 bytes); choose the right file",
                       msg=Message("file.empty", what=Message("file.named", what={"id": limit.name_id,
                                                                                    "en": limit.name_en}, name=name)
                                   if name else {"id": limit.name_id, "en": limit.name_en}))


def check_cycle_size(source: str, filename: str | None = None) -> None:
    """Refuse a cycle file text over :data:`CYCLE_FILE` (counted in UTF-8 bytes, as the file on disk)."""
    check_size(CYCLE_FILE, len(source.encode("utf-8", "surrogatepass")), filename)


def ascii_digits(text: str) -> bool:
    """Whether ``text`` is one or more of the digits 0-9 (``str.isdigit`` also accepts "³" and "١")."""
    return bool(text) and text.isascii() and text.isdigit()


def parse_id(text: object) -> int | None:
    """The database id ``text`` names (1 to :data:`MAX_ID`, written in ASCII digits), else None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 1 <= text <= MAX_ID else None
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not ascii_digits(text) or len(text.lstrip("0")) > _MAX_ID_DIGITS:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


#: Characters that do not show as themselves: control characters (C0 with NUL and the line breaks, DEL, C1: an
#: escape sequence recolours or clears a terminal), characters that do not show (zero-width, byte-order mark) and
#: those that reorder how a text shows ("\u202evsc.xlsx" reads as "xslx.csv"), and lone surrogates.
UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
#: Characters of a typed value repeated back in a message.
ECHOED_CHARS = 40


def _code(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with each character :data:`UNSHOWN` holds, except those in ``keep``, written as its code (``\\x00``,
    ``\\x1b``, ``\\u202e``): it shows what was there, and moves no cursor and reorders no line."""
    if text.isprintable() and text.isascii():
        return text
    return UNSHOWN.sub(lambda m: m.group() if m.group() in keep else _code(m), text)


def echoed(typed: object, limit: int = ECHOED_CHARS) -> str:
    """A value someone typed, repeated back in a message: its first ``limit`` characters (then "…", so a pasted
    page does not fill the screen), the ones that do not show written as their code (:func:`visible`)."""
    text = str(typed)
    return visible(text if len(text) <= limit else text[:limit] + "…")


def short_name(name: str, limit: int) -> str:
    """A file name cut to ``limit`` characters, keeping its start and its extension (what people recognise)."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) >= limit // 2:
        return name[:limit]
    return f"{stem[:limit - len(extension) - 1]}.{extension}"


def upload_name(typed: str, fallback: str, limit: int = 255) -> str:
    """The name an uploaded file is known by, shown and offered for download as its uploader meant it: the last
    part of a path (``../`` and folders dropped), without what :data:`UNSHOWN` holds (a direction mark would show
    "\u202efdp.exe" as "exe.pdf"; zero-width and control characters hide what the name is), spaces run together,
    in Unicode's composed form, cut to ``limit`` characters keeping its extension (:func:`short_name`). Letters of
    any script are kept. A name that is only an extension (".pdf") or nothing at all is ``fallback`` with it."""
    base = re.split(r"[/\\]", typed or "")[-1]
    name = " ".join(unicodedata.normalize("NFC", UNSHOWN.sub("", base)).split())
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.strip(" .")
    extension = extension.strip()
    name = f"{stem or fallback}.{extension}" if extension else (stem or fallback)
    return short_name(name, limit)
