"""Numbers for rules: reading numeric inputs, exact rounding, and writing numbers in explanations.

Rules compute with :class:`decimal.Decimal` so that the arithmetic shown to an employee is the
arithmetic done (``45 ÷ 50 × 100% = 90%``, never ``90.00000000000001``), and band edges such as
"at least 90%" are decided on the rounded figure the employee sees.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from rules.base import RuleError
from rules.text import Lang, describe_value

_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(0, 11)}
# Indonesian writes 1.234,5 where English writes 1,234.5.
_ID_SEPARATORS = str.maketrans({",": ".", ".": ","})
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def is_number(value: Any) -> bool:
    """True for finite int, float and Decimal values; never for bool."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return not isinstance(value, Decimal) or value.is_finite()


def to_decimal(value: int | float | Decimal | Fraction) -> Decimal:
    """Exact decimal of a number as written: 0.1 stays 0.1 (floats go through their shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def read_number(value: Any) -> Decimal | None:
    """The exact Decimal of a finite number, or None for anything else (bool, text, NaN...)."""
    kind = type(value)
    # Exact type checks first: this runs for every IKI of every appraisal.
    if kind is float:
        return Decimal(repr(value)) if math.isfinite(value) else None
    if kind is int:
        return Decimal(value)
    return to_decimal(value) if is_number(value) else None


def number_input(
    value: Any,
    name: str,
    *,
    minimum: int | float | None = None,
    maximum: int | float | None = None,
    above: int | float | None = None,
) -> Decimal:
    """Read a numeric input, or raise :class:`RuleError` naming the input and what is wrong.

    ``minimum``/``maximum`` are inclusive bounds; ``above`` is an exclusive lower bound.
    """
    number = read_number(value)
    if number is None:
        raise RuleError(f"input '{name}' must be a number, not {describe_value(value)}", input=name)
    if minimum is not None and number < minimum:
        raise RuleError(f"input '{name}' must be at least {minimum}, not {value}", input=name)
    if maximum is not None and number > maximum:
        raise RuleError(f"input '{name}' must be at most {maximum}, not {value}", input=name)
    if above is not None and number <= above:
        raise RuleError(f"input '{name}' must be greater than {above}, not {value}", input=name)
    return number


def round_half_up(value: Decimal | int | float | Fraction, places: int = 2) -> Decimal:
    """Round as people do on paper: 2.675 -> 2.68, -2.675 -> -2.68."""
    return to_decimal(value).quantize(_QUANTA[places], rounding=ROUND_HALF_UP)


def floor_decimal(value: Decimal) -> Decimal:
    """The whole number at or below ``value``."""
    return value.quantize(_QUANTA[0], rounding=ROUND_FLOOR)


def fmt(value: Decimal | int | float | Fraction, lang: Lang, places: int = 2) -> str:
    """Write a number for an explanation: at most ``places`` decimals, no trailing zeros.

    Indonesian uses a decimal comma and a thousands dot (``1.234,5``); English the reverse.
    """
    return fmt_both(value, places)[lang == "en"]


def fmt_both(value: Decimal | int | float | Fraction, places: int = 2) -> tuple[str, str]:
    """The number written both ways at once, ``(Indonesian, English)``; see :func:`fmt`."""
    plain = _plain(value, places)
    if plain is not None:
        return plain.replace(".", ","), plain
    # Keyed on the text of the number: hashing a fresh Decimal costs more than formatting it.
    return _spell(value if isinstance(value, Fraction) else str(value), places)


def _plain(value: Any, places: int) -> str | None:
    """The common case written directly: below 1000, no more decimals than ``places``; else None."""
    kind = type(value)
    if kind is int:
        return str(value) if -1000 < value < 1000 else None
    if kind is float:
        text = repr(value)
    elif kind is Decimal:
        text = str(value)
    else:
        return None
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) > places or len(whole) > 3 or not (whole.lstrip("-").isascii() and whole.lstrip("-").isdigit()):
        return None  # needs rounding or a thousands separator, or is 1e-07, inf, nan
    if whole == "-0" and not fraction:
        whole = "0"
    return f"{whole}.{fraction}" if fraction else whole


@lru_cache(maxsize=16384)
def _spell(value: str | Fraction, places: int) -> tuple[str, str]:
    # Explanations repeat the same figures (targets, weights, edges) thousands of times in a unit,
    # so both spellings are made once and kept.
    number = value if isinstance(value, Fraction) else Decimal(value)
    if isinstance(number, Decimal) and not number.is_finite():
        return str(number), str(number)
    text = f"{round_half_up(number, places):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text[0] == "-" and not text.strip("-0,"):
        text = text[1:]
    return text.translate(_ID_SEPARATORS), text


def fmt_pct(value: Decimal | int | float, lang: Lang, places: int = 2) -> str:
    """A percentage figure with its sign: ``87,5%`` / ``87.5%``."""
    return fmt(value, lang, places) + "%"
