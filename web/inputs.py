"""Reading what a request carries, bounded: ids in URLs and query strings, query-string text, and the
file names of downloads. Screens and the API read through these, so a hostile value gets the same
404 or refusal everywhere and never reaches the database or a response header."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import IO, Any
from urllib.parse import quote

from flask import Flask, Request, request, send_file
from werkzeug.routing import BaseConverter, ValidationError
from werkzeug.wrappers import Response

from engine.errors import InvalidInput
from engine.evidence import EvidenceFile
from engine.limits import EVIDENCE_FILE, MAX_ID, ORG_IMPORT_FILE, QUERY_TEXT_CHARS, UNSHOWN, parse_id
from engine.messages import Message

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
                           msg=Message("query.too_long", name=name, limit=max_length))
    if control_characters(raw):
        raise InvalidInput(f"query parameter '{name}' contains a control character or a line break",
                           errors={name: "contains a control character or a line break"},
                           msg=Message("query.control", name=name))
    return raw.strip() or None


#: Characters that make a text show other than it is stored: the bidirectional embeddings, overrides and
#: isolates (U+202A-U+202E, U+2066-U+2069). "RLO" turns "gaji naik" into what reads as "kian ijag" on screen.
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Half of a UTF-16 pair, which a JSON text may escape (``"\\ud800"``): no character of its own, so UTF-8, and
#: with it every database, cannot store it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def refuse_nul(name: str, value: Any) -> None:
    """Refuse (``InvalidInput``) a NUL character anywhere in ``value`` (a text, or the texts and keys of a JSON
    value): no database stores one (PostgreSQL refuses the statement), and no person types one; nor half of a
    UTF-16 pair (:data:`_SURROGATE`, which only a JSON escape can carry). Likewise a character that reorders how a
    text is shown (:data:`_REORDERING`): a comment, a report or a name must read on every screen, export and PDF as
    it is stored."""
    if isinstance(value, str):
        found = "\x00" in value
        surrogate = _SURROGATE.search(value)
        if surrogate is not None and not found:
            shown = _SURROGATE.sub("", name) or "?"
            code = f"U+{ord(surrogate.group()):04X}"
            raise InvalidInput(f"'{shown}' contains {code}, half of a UTF-16 pair, which is no character and cannot "
                               "be stored", errors={shown: f"contains {code}"},
                               msg=Message("input.surrogate", name=shown, code=code))
        reordering = _REORDERING.search(value)
        if reordering is not None and not found:
            shown = _REORDERING.sub("", name) or "?"
            code = f"U+{ord(reordering.group()):04X}"
            raise InvalidInput(f"'{shown}' contains {code}, which makes a text show other than it is stored",
                               errors={shown: f"contains {code}"}, msg=Message("input.reordering", name=shown,
                                                                              code=code))
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(f"{name}/{key}" if name else str(key), key)
            refuse_nul(f"{name}/{key}" if name else str(key), item)
        return
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_nul(f"{name}/{index}" if name else str(index), item)
        return
    else:
        return
    if found:
        shown = name.replace("\x00", "") or "?"
        raise InvalidInput(f"'{shown}' contains a NUL character", errors={shown: "contains a NUL character"},
                           msg=Message("input.nul", name=shown))


def refuse_nul_in_request() -> None:
    """Before every request: a NUL in a query-string or form field (its name or value) is refused with a
    message, the same on every screen and the API, before a view can hand it to the database."""
    for source in (request.args, request.form):
        for name, values in source.lists():
            refuse_nul(name, name)
            for value in values:
                refuse_nul(name, value)


def content_disposition(filename: str, inline: bool = False) -> str:
    """A ``Content-Disposition`` header value for a download named ``filename`` (RFC 6266).

    ``filename=`` carries an ASCII-only name any browser reads (unsafe characters become ``_``);
    ``filename*=`` carries the full UTF-8 name, percent-encoded. Quotes, line breaks and control
    characters never reach the header.
    """
    cleaned = unicodedata.normalize("NFC", UNSHOWN.sub("", filename)).replace("/", "_").replace("\\", "_")
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


# -- uploads that are too large -------------------------------------------------------------------
# A file larger than its limit must not cost the person what they typed beside it: a form with a file
# is read whole up to UPLOAD_REQUEST_BYTES, each file kept only up to one byte past the largest file
# limit (the rest is read from the network and dropped). The view's own size check then refuses the
# file by name and shows the form again with every field kept. Beyond UPLOAD_REQUEST_BYTES the body
# is not read at all: the 413 page states the limits (see web/errors.py).
LARGEST_FILE = max(EVIDENCE_FILE.max_bytes, ORG_IMPORT_FILE.max_bytes)
UPLOAD_REQUEST_BYTES = 64 * 1024 * 1024


class CappedFile(io.BytesIO):
    """An uploaded file's bytes, kept up to ``cap``; what comes after is counted and dropped."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self.dropped = 0

    def write(self, data: Any) -> int:
        room = max(self.cap - self.tell(), 0)
        chunk = bytes(data)
        super().write(chunk[:room])
        self.dropped += max(len(chunk) - room, 0)
        return len(chunk)


class SiklusRequest(Request):
    """Flask's request, reading forms with files as described above."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self.mimetype == "multipart/form-data":
            return UPLOAD_REQUEST_BYTES
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None, content_length: int | None = None) -> IO[bytes]:
        return CappedFile(LARGEST_FILE + 1)


__all__ = ["CappedFile", "IdConverter", "MAX_ID", "SiklusRequest", "UPLOAD_REQUEST_BYTES", "content_disposition",
           "control_characters", "query_id", "query_text"]


def send_stored(found: EvidenceFile) -> Response:
    """A kept file (evidence, a report's evidence, a certificate) as a download: PDFs open in the browser,
    anything else is saved, under its own name."""
    response = send_file(found.path, mimetype=found.content_type)
    response.headers["Content-Disposition"] = content_disposition(
        found.name, inline=found.content_type != "application/pdf")
    return response


def init_app(app: Flask) -> None:
    """Refuse a NUL character in any query string or form before a view reads it."""
    app.before_request(refuse_nul_in_request)
