"""The text a PDF draws, for tests: each string shown (Tj, TJ) decoded through its font's ToUnicode map, so
text drawn in an embedded Unicode font (glyph ids, not letters) reads as the letters a person sees.

Only what fpdf2 writes is understood: indirect objects, Flate streams, literal strings.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_LENGTH = re.compile(rb"/Length (\d+)")
_FONT_REF = re.compile(rb"/(F\d+) (\d+) 0 R")
_TO_UNICODE = re.compile(rb"/ToUnicode (\d+) 0 R")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _stream(body: bytes) -> bytes:
    """An object's stream, inflated. Its bytes are the ``/Length`` the dictionary gives: compressed data that
    happens to end in a carriage return (one stream in 256) would otherwise lose that byte to the line break
    before ``endstream`` and no longer inflate."""
    found = _STREAM.search(body)
    if found is None:
        return b""
    raw = found.group(1)
    length = _LENGTH.search(body, 0, found.start())
    if length is not None:
        raw = body[found.start(1):found.start(1) + int(length.group(1))]
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return raw


def _cmap(data: bytes) -> dict[bytes, str]:
    """A ToUnicode map: code bytes -> the text they stand for (bfchar entries, as fpdf2 writes them)."""
    out = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(section):
            out[bytes.fromhex(code.decode())] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return out


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """The literal string opening at ``data[start] == '('``, unescaped, and the index after it."""
    out, depth, i = bytearray(), 0, start
    while i < len(data):
        c = data[i]
        if c == ord("\\"):
            i += 1
            nxt = data[i]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
            elif ord("0") <= nxt <= ord("7"):
                digits = re.match(rb"[0-7]{1,3}", data[i:i + 3])
                assert digits is not None
                out.append(int(digits.group(0), 8) & 0xFF)
                i += len(digits.group(0)) - 1
            elif nxt in (ord("\r"), ord("\n")):
                pass  # a line continuation
            else:
                out.append(nxt)
        elif c == ord("("):
            if depth:
                out.append(c)
            depth += 1
        elif c == ord(")"):
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
            out.append(c)
        else:
            out.append(c)
        i += 1
    return bytes(out), i


def _decode(raw: bytes, cmap: dict[bytes, str] | None) -> str:
    if cmap is None:
        return raw.decode("latin-1")
    return "".join(cmap.get(raw[i:i + 2], "") for i in range(0, len(raw) - 1, 2))


def pdf_text(content: bytes) -> str:
    """Every string the PDF draws, in drawing order, as letters; strings are joined by a space and runs of
    spaces are one, so a sentence wrapped over two lines (multi_cell breaks at a space) reads as written."""
    objects = {int(number): body for number, body in _OBJECT.findall(content)}
    font_maps: dict[bytes, dict[bytes, str] | None] = {}
    for body in objects.values():
        for name, ref in _FONT_REF.findall(body):
            font = objects.get(int(ref), b"")
            to_unicode = _TO_UNICODE.search(font)
            font_maps[name] = _cmap(_stream(objects.get(int(to_unicode.group(1)), b""))) if to_unicode else None
    lines: list[str] = []
    pages = [int(n) for body in objects.values() for n in re.findall(rb"/Contents (\d+) 0 R", body)]
    for number in pages:
        data = _stream(objects.get(number, b""))
        font: dict[bytes, str] | None = None
        i = 0
        while i < len(data):
            if data.startswith(b"/F", i) and (chosen := re.match(rb"/(F\d+) [\d.]+ Tf", data[i:])):
                font = font_maps.get(chosen.group(1))
                i += chosen.end()
            elif data[i] == ord("("):
                raw, i = _literal(data, i)
                lines.append(_decode(raw, font))
            else:
                i += 1
    return re.sub(r"\s+", " ", " ".join(lines))
