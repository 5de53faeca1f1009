"""``talent_box``: performance × potential on the nine-box grid of ASN talent management.

The default numbering is the one PermenPAN-RB 3/2020 (Manajemen Talenta ASN) draws and agencies use
(secondary source, configurable through ``boxes``): boxes 7, 8 and 9 are the talent pool.

=================  =========  =========  =========
potential \\ perf.  low        medium     high
=================  =========  =========  =========
high               6          8          9
medium             3          5          7
low                1          2          4
=================  =========  =========  =========

Performance may be a rating label (Di Bawah / Sesuai / Di Atas Ekspektasi), a level (Rendah /
Menengah / Tinggi) or a number read against ``performance_thresholds`` (default 110 and 90, the
work-results edges). Potential may be a level or a number read against ``potential_thresholds``,
which has no default: an assessment's scale is the agency's to state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules.bands import three_bands
from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import fmt, is_number, to_decimal
from rules.terms import ABOVE, BELOW, MEETS, RATING_GLOSS, RATING_LABELS, parse_label
from rules.text import describe_value

LEVELS = ("Tinggi", "Menengah", "Rendah")
LEVEL_GLOSS = {"Tinggi": "high", "Menengah": "medium", "Rendah": "low"}
_FROM_RATING = {ABOVE: "Tinggi", MEETS: "Menengah", BELOW: "Rendah"}
DEFAULT_BOXES = [[6, 8, 9], [3, 5, 7], [1, 2, 4]]


def _thresholds(description: str, default: Mapping[str, float] | None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {"high": {"type": "number"}, "medium": {"type": "number"}},
        "required": ["high", "medium"],
        "additionalProperties": False,
        "description": description,
    }
    if default is not None:
        schema["default"] = dict(default)
    return schema


class TalentBox(Rule):
    name = "talent_box"
    title = {"id": "Kotak talenta (nine box)", "en": "Talent box (nine box)"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "performance_thresholds": _thresholds(
                "For a numeric performance: at least 'high' is Tinggi, at least 'medium' is Menengah.",
                {"high": 110, "medium": 90}),
            "potential_thresholds": _thresholds(
                "For a numeric potential: at least 'high' is Tinggi, at least 'medium' is Menengah. No default.",
                None),
            "boxes": {
                "type": "array",
                "minItems": 3,
                "maxItems": 3,
                "items": {"type": "array", "minItems": 3, "maxItems": 3, "items": {"type": "integer", "minimum": 1}},
                "default": DEFAULT_BOXES,
                "description": "Box numbers: rows potential high, medium, low; columns performance low, medium, high.",
            },
        },
        "additionalProperties": False,
    }
    inputs = {
        "performance": InputSpec({"id": "kinerja (rating, tingkat, atau angka)",
                                  "en": "performance (a rating, a level or a number)"}),
        "potential": InputSpec({"id": "potensial (tingkat atau angka)", "en": "potential (a level or a number)"}),
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        problems = []
        for key in ("performance_thresholds", "potential_thresholds"):
            t = params.get(key)
            if t is not None and not t["high"] > t["medium"]:
                problems.append(ParamProblem((key, "high"),
                                             f"must be greater than 'medium' ({t['medium']}), not {t['high']}",
                                             "high_medium", {"medium": str(t["medium"]), "value": str(t["high"])}))
        boxes = params.get("boxes")
        if boxes is not None:
            numbers = [n for row in boxes for n in row]
            if len(set(numbers)) != 9:
                problems.append(ParamProblem(("boxes",), "the nine boxes need nine different numbers", "boxes"))
        return problems

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        perf, perf_how = _level(inputs["performance"], "performance", self.param(params, "performance_thresholds"),
                                True)
        pot, pot_how = _level(inputs["potential"], "potential", params.get("potential_thresholds"), False)
        row, column = LEVELS.index(pot), 2 - LEVELS.index(perf)
        box = self.param(params, "boxes")[row][column]
        explanation = {
            "id": f"Kinerja {perf_how['id']} dan potensial {pot_how['id']} menempatkan pegawai di Kotak {box} "
                  f"(baris potensial {pot.lower()}, kolom kinerja {perf.lower()}).",
            "en": f"Performance {perf_how['en']} and potential {pot_how['en']} place the employee in box {box} "
                  f"(potential row {LEVEL_GLOSS[pot]}, performance column {LEVEL_GLOSS[perf]}).",
        }
        return RuleResult(box, explanation, details={"performance_level": perf, "potential_level": pot})


def _level(value: Any, name: str, thresholds: Mapping[str, float] | None, ratings: bool) -> tuple[str, dict[str, str]]:
    """The level (Tinggi/Menengah/Rendah) of one axis and how it was read, in both languages."""
    if is_number(value):
        if thresholds is None:
            raise RuleError(f"input '{name}' is a number but no {name}_thresholds are configured; give a level "
                            f"(Tinggi, Menengah, Rendah) or set {name}_thresholds", input=name)
        bands = three_bands(thresholds["high"], thresholds["medium"], LEVELS)
        index = bands.find(to_decimal(value))
        assert index is not None
        level = LEVELS[index]
        return level, {
            lang: f"{fmt(value, lang)} ({bands.edges(index, lang)}: {level if lang == 'id' else LEVEL_GLOSS[level]})"
            for lang in ("id", "en")
        }
    if not isinstance(value, str):
        raise RuleError(f"input '{name}' must be a level (Tinggi, Menengah, Rendah) or a number, not "
                        f"{describe_value(value)}", input=name)
    if ratings and " ".join(value.split()).casefold() in {r.casefold() for r in RATING_LABELS}:
        label = parse_label(value, RATING_LABELS, f"input '{name}'")
        level = _FROM_RATING[label]
        return level, {"id": f"{label} ({level.lower()})",
                       "en": f"{label} ({RATING_GLOSS[label]}; {LEVEL_GLOSS[level]})"}
    choices = LEVELS + (RATING_LABELS if ratings else ())
    level = parse_label(value, choices, f"input '{name}'")
    return level, {"id": level.lower(), "en": f"{level} ({LEVEL_GLOSS[level]})"}
