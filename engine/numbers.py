"""Reading a number a person typed: Indonesian (1.234,5) or English (1,234.5) writing, and only
sensible values: infinity, not-a-number, overflow (``1e400``) and, where refused, negatives are
refused with the field's name.

The decimal separator is the last of ``,`` and ``.`` when both appear. With one kind of separator,
a comma is decimal (``70,5``); dots that group thousands (``1.234.567``, ``12.500``) group thousands,
as Indonesian writes them, and a single dot otherwise is decimal (``70.5``). JSON numbers pass as they are.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from engine.errors import InvalidInput
from engine.messages import Message

#: Larger than any target, realisation, weight or JP a cycle needs; beyond it a value is a typo.
MAX_NUMBER = 1e12
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+")
_PLAIN = re.compile(r"[+-]?(\d+([.]\d*)?|[.]\d+)([eE][+-]?\d+)?")


def _normalised(text: str) -> str | None:
    """``text`` in Python's writing (``1234.5``), or None when it is not a written number."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, fraction = cleaned.rpartition(decimal)
        if not re.fullmatch(rf"[+-]?[1-9]\d{{0,2}}(\{group}\d{{3}})*", whole) or not fraction.isdigit():
            return None
        cleaned = whole.replace(group, "") + "." + fraction
    elif "," in cleaned:
        if cleaned.count(",") > 1:
            return None
        cleaned = cleaned.replace(",", ".")
    elif _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    return cleaned if _PLAIN.fullmatch(cleaned) else None


def parse_number(value: Any, field: Message, *, minimum: float | None = None, above: float | None = None,
                 maximum: float = MAX_NUMBER) -> float:
    """``value`` (a typed text or a JSON number) as a finite float, or ``InvalidInput`` naming ``field``.

    ``minimum`` refuses smaller values (0: no negatives); ``above`` refuses values not above it;
    ``maximum`` bounds the size (``1e400`` is refused, not stored as infinity).
    """
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput(Message("number.missing", field=field))
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
    elif isinstance(value, str):
        written = _normalised(value)
        if written is None:
            raise InvalidInput(Message("number.not_a_number", field=field, value=value[:40]))
        number = float(written)
    else:
        raise InvalidInput(Message("number.not_a_number", field=field, value=str(value)[:40]))
    if not math.isfinite(number):
        raise InvalidInput(Message("number.not_finite", field=field, value=str(value)[:40]))
    if abs(number) > maximum:
        raise InvalidInput(Message("number.too_large", field=field, maximum=maximum))
    if minimum is not None and number < minimum:
        raise InvalidInput(Message("number.negative", field=field) if minimum == 0
                           else Message("number.below", field=field, minimum=minimum))
    if above is not None and number <= above:
        raise InvalidInput(Message("number.not_above", field=field, minimum=above))
    return number
