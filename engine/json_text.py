"""JSON text from outside (API bodies, CLI options, files named by them) read one way: RFC 8259 only.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``-Infinity``, and reads ``1e400`` as an infinite
float. None is a JSON number: once stored they poison sums, the audit chain's hashes and every
export. :func:`parse_json` refuses them, naming where in the document they stand.
"""

from __future__ import annotations

import json
import math
from typing import Any


class NotANumber(ValueError):
    """A value JSON has no number for (``NaN``, ``Infinity``, or a number too large for a float).

    ``where`` is the path to it, keys and indexes joined by ``/`` (empty for the whole document),
    the way the API names a body's problems; ``value`` is the text as written, cut to 40 characters.
    """

    def __init__(self, where: str, value: str) -> None:
        super().__init__(f"{value} at {where or 'the top level'} is not a JSON number")
        self.where = where
        self.value = value


class _Marker:
    """Where the decoder met a non-number; found again by walking the decoded value."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _finite_float(text: str) -> float | _Marker:
    value = float(text)
    return value if math.isfinite(value) else _Marker(_shown(text))


def _float_sized_int(text: str) -> int | _Marker:
    """A whole number a float can hold (any sum or average of it stays finite)."""
    value = int(text)  # past 4300 digits Python refuses with a ValueError: not JSON it reads
    try:
        float(value)
    except OverflowError:
        return _Marker(_shown(text))
    return value


def _first_marker(value: Any) -> tuple[str, str] | None:
    """(path, text) of the first non-number in document order, walked without recursion."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, _Marker):
            return path, item.text
        if isinstance(item, dict):
            children = [(v, f"{path}/{k}" if path else str(k)) for k, v in item.items()]
        elif isinstance(item, list):
            children = [(v, f"{path}/{i}" if path else str(i)) for i, v in enumerate(item)]
        else:
            continue
        stack.extend(reversed(children))
    return None


def parse_json(text: str | bytes) -> Any:
    """The value of JSON ``text``, refusing what RFC 8259 does not allow.

    Raises ``json.JSONDecodeError`` (a ``ValueError``) for text that is not JSON, ``UnicodeDecodeError``
    for bytes that are not UTF-8, ``RecursionError`` past the decoder's depth, and :class:`NotANumber`
    for ``NaN``, ``Infinity``, ``-Infinity`` or a number beyond a float's range (about 1.8e308).
    """
    found = False

    def constant(name: str) -> _Marker:
        nonlocal found
        found = True
        return _Marker(name)

    def number(text: str) -> float | _Marker:
        nonlocal found
        value = _finite_float(text)
        found = found or isinstance(value, _Marker)
        return value

    def whole(text: str) -> int | _Marker:
        nonlocal found
        value = _float_sized_int(text)
        found = found or isinstance(value, _Marker)
        return value

    value = json.loads(text, parse_constant=constant, parse_float=number, parse_int=whole)
    if found:
        where = _first_marker(value)
        assert where is not None
        raise NotANumber(*where)
    return value

