"""Ordered bands that turn a number into a label, shared by every rule that reads a table of edges.

A band is a label with an inclusive lower edge (``min``). Bands are listed best or highest first,
edges strictly decreasing, so a list reads like the regulation's table; the last band may leave out
``min`` and then takes every lower number. A number takes the first band whose edge it reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rules.base import ParamProblem
from rules.numbers import fmt, to_decimal
from rules.text import Lang

BANDS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {
            "label": {"type": "string", "minLength": 1, "description": "The label given to numbers in this band."},
            "min": {"type": "number",
                    "description": "Inclusive lower edge; leave out on the last band to catch the rest."},
        },
        "required": ["label"],
        "additionalProperties": False,
    },
}


@dataclass(frozen=True)
class Band:
    """One row of a banding table."""

    label: str
    min: Decimal | None


class Bands:
    """An ordered banding table, highest edge first."""

    def __init__(self, bands: Iterable[Band]) -> None:
        self.bands = tuple(bands)
        self._edges: dict[tuple[int, str, str], str] = {}

    @classmethod
    def from_param(cls, raw: Sequence[Mapping[str, Any]]) -> Bands:
        """Bands from a validated ``bands`` parameter."""
        return cls(Band(b["label"], to_decimal(b["min"]) if "min" in b else None) for b in raw)

    def find(self, value: Decimal) -> int | None:
        """Index of the band ``value`` falls in, or None when it is below every edge."""
        for index, band in enumerate(self.bands):
            if band.min is None or value >= band.min:
                return index
        return None

    def upper(self, index: int) -> Decimal | None:
        """The exclusive upper edge of a band: the edge of the band above it."""
        return self.bands[index - 1].min if index > 0 else None

    def edges(self, index: int, lang: Lang, suffix: str = "") -> str:
        """The band's range as people read it: ``≥ 90 dan < 110``, ``≥ 110``, ``< 90``."""
        key = (index, lang, suffix)
        if key not in self._edges:
            self._edges[key] = self._write_edges(index, lang, suffix)
        return self._edges[key]

    def _write_edges(self, index: int, lang: Lang, suffix: str) -> str:
        low, high = self.bands[index].min, self.upper(index)
        parts = []
        if low is not None:
            parts.append(f"≥ {fmt(low, lang, 4)}{suffix}")
        if high is not None:
            parts.append(f"< {fmt(high, lang, 4)}{suffix}")
        if not parts:
            return "semua nilai" if lang == "id" else "every value"
        return (" dan " if lang == "id" else " and ").join(parts)

    def row(self, index: int) -> dict[str, Any]:
        """The table row used, for a result's details."""
        band = self.bands[index]
        high = self.upper(index)
        row: dict[str, Any] = {"label": band.label}
        if band.min is not None:
            row["min"] = float(band.min)
        if high is not None:
            row["below"] = float(high)
        return row

    def describe(self, lang: Lang, suffix: str = "") -> str:
        """The whole table in one line: ``A ≥ 88,31; B ≥ 76,61 dan < 88,31; ...``."""
        return "; ".join(f"{b.label} {self.edges(i, lang, suffix)}" for i, b in enumerate(self.bands))


def check_bands(raw: Sequence[Mapping[str, Any]], path: tuple[str | int, ...]) -> list[ParamProblem]:
    """Edges must decrease down the list and only the last band may leave out ``min``."""
    problems: list[ParamProblem] = []
    previous: float | None = None
    for index, band in enumerate(raw):
        if "min" not in band:
            if index != len(raw) - 1:
                problems.append(ParamProblem(path + (index,), "only the last band may leave out 'min'", "band_min"))
            continue
        if previous is not None and not band["min"] < previous:
            problems.append(ParamProblem(
                path + (index, "min"),
                f"edges must decrease down the list: {band['min']} is not below {previous} of the band above",
                "band_order", {"edge": str(band["min"]), "above": str(previous)},
            ))
        previous = band["min"]
    return problems


@lru_cache(maxsize=256)
def three_bands(top: float, middle: float, labels: tuple[str, str, str]) -> Bands:
    """Two thresholds as a three-row table (``top`` and above, ``middle`` and above, the rest)."""
    return Bands((Band(labels[0], to_decimal(top)), Band(labels[1], to_decimal(middle)), Band(labels[2], None)))
