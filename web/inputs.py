"""Reading what a request carries, bounded: ids in URLs and query strings, query-string text, and the
file names of downloads. Screens and the API read through these, so a hostile value gets the same
404 or refusal everywhere and never reaches the database or a response header."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from werkzeug.routing import BaseConverter, ValidationError

from engine.errors import InvalidInput
from engine.limits import MAX_ID, QUERY_TEXT_CHARS, parse_id

# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_FILENAME = 120


class IdConverter(BaseConverter):
    """``<id:name>``: a database id in a URL, 1 to 2^31-1 in ASCII digits; anything else is a 404."""

    regex = r"[0-9]{1,12}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        found = parse_id(value)
        if found is None:
            raise ValidationError()
        return found

    def to_url(self, value: Any) -> str:
        return str(int(value))


def query_id(args: Any, name: str) -> int | None:
    """The id in query-string or form field ``name`` (``request.args`` or ``request.form``); None when
    absent or not an id (not ASCII digits, or outside 1 to 2^31-1)."""
    return parse_id(args.get(name) or "")


def control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character or a line break."""
    return _CONTROL.search(text) is not None


def query_text(args: Any, name: str, max_length: int = QUERY_TEXT_CHARS) -> str | None:
    """Query-string text parameter ``name``, stripped; None when absent or empty.

    Refuses (``InvalidInput``: 422 on the API, a message on a screen) a value with a control character
    or longer than ``max_length`` characters: no search or file name needs either.
    """
    raw = args.get(name)
    if raw is None:
        return None
    if len(raw) > max_length:
        raise InvalidInput(f"query parameter '{name}' is longer than {max_length} characters",
                           errors={name: f"longer than {max_length} characters"},
                           text={"id": f"Isian «{name}» lebih dari {max_length} karakter.",
                                 "en": f"The value of «{name}» is longer than {max_length} characters."})
    if control_characters(raw):
        raise InvalidInput(f"query parameter '{name}' contains a control character or a line break",
                           errors={name: "contains a control character or a line break"},
                           text={"id": f"Isian «{name}» memuat karakter kendali atau baris baru.",
                                 "en": f"The value of «{name}» contains a control character or a line break."})
    return raw.strip() or None


def content_disposition(filename: str, inline: bool = False) -> str:
    """A ``Content-Disposition`` header value for a download named ``filename`` (RFC 6266).

    ``filename=`` carries an ASCII-only name any browser reads (unsafe characters become ``_``);
    ``filename*=`` carries the full UTF-8 name, percent-encoded. Quotes, line breaks and control
    characters never reach the header.
    """
    cleaned = unicodedata.normalize("NFC", _CONTROL.sub("", filename)).replace("/", "_").replace("\\", "_")
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    ascii_stem = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode())
    ascii_extension = _UNSAFE_NAME.sub("", extension)
    ascii_name = (ascii_stem.strip("._") or "unduhan")[:MAX_FILENAME]
    if ascii_extension:
        ascii_name = f"{ascii_name}.{ascii_extension[:16]}"
    value = f'{"inline" if inline else "attachment"}; filename="{ascii_name}"'
    full = cleaned[:MAX_FILENAME * 2].replace('"', "")
    if full and full != ascii_name:
        value += f"; filename*=UTF-8''{quote(full, safe='')}"
    return value


__all__ = ["IdConverter", "MAX_ID", "content_disposition", "control_characters", "query_id", "query_text"]
