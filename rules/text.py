"""Small helpers for the sentences rules write: values in error messages, lists, did-you-mean hints.

This module imports nothing from the rest of ``rules`` so that every other module may use it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Literal

Lang = Literal["id", "en"]
LANGS: tuple[Lang, Lang] = ("id", "en")


def describe_value(value: Any) -> str:
    """A short phrase for a value in an error message: "the text 'abc'", "a list", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a value of type {type(value).__name__}"


_CONJUNCTIONS = {("id", "and"): " dan ", ("en", "and"): " and ", ("id", "or"): " atau ", ("en", "or"): " or "}


def join(items: Sequence[str], lang: Lang, conjunction: Literal["and", "or"] = "and") -> str:
    """``a, b dan c`` / ``a, b and c`` (or ``atau`` / ``or``)."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + _CONJUNCTIONS[lang, conjunction] + items[-1]


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most likely meant by ``word``: the only one it starts or ends, else the nearest typo."""
    choices = list(choices)
    folded = word.casefold()
    # 'Kurang' (the 2019 name) means 'Kurang/Misconduct', not the spelling-wise nearer 'Sangat Kurang'.
    prefixed = [c for c in choices if c.casefold().startswith(folded) or folded.startswith(c.casefold())]
    if len(prefixed) == 1 and min(len(folded), len(prefixed[0])) >= 3:
        return prefixed[0]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str], lang: Lang = "en") -> str:
    """`` (did you mean 'x'?)`` / `` (maksud Anda 'x'?)`` when a close choice exists, else ``""``."""
    close = closest(word, choices)
    if close is None:
        return ""
    return f" (maksud Anda '{close}'?)" if lang == "id" else f" (did you mean '{close}'?)"


def quoted(choices: Iterable[str]) -> str:
    """``'a', 'b', 'c'``."""
    return ", ".join(f"'{c}'" for c in choices)
