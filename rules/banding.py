"""``banding``: a number to a label by a configurable table of edges (see :mod:`rules.bands`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules.bands import BANDS_SCHEMA, Bands, check_bands
from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import fmt, number_input


class Banding(Rule):
    name = "banding"
    title = {"id": "Pita nilai", "en": "Banding"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "bands": {
                **BANDS_SCHEMA,
                "description": "Rows highest first: {label, min}; a number takes the first row whose min it "
                               "reaches; the last row may leave out min to catch every lower number.",
            },
            "unit": {
                "type": "string",
                "maxLength": 20,
                "default": "",
                "description": "Written after numbers in the explanation, e.g. '%' or ' hari'.",
            },
        },
        "required": ["bands"],
        "additionalProperties": False,
    }
    inputs = {"value": InputSpec({"id": "nilai yang dipetakan", "en": "the number to band"})}

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        return check_bands(params["bands"], ("bands",))

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        value = number_input(inputs["value"], "value")
        bands = Bands.from_param(params["bands"])
        unit = self.param(params, "unit")
        index = bands.find(value)
        if index is None:
            lowest = bands.bands[-1].min
            raise RuleError(f"input 'value' ({inputs['value']}) is below the lowest band's edge {lowest}; "
                            "add a last band without 'min' to catch lower numbers", input="value")
        label = bands.bands[index].label
        explanation = {
            lang: (f"Nilai {fmt(value, lang, 4)}{unit} berada pada pita {label} ({bands.edges(index, lang, unit)}). "
                   f"Tabel: {bands.describe(lang, unit)}." if lang == "id" else
                   f"The value {fmt(value, lang, 4)}{unit} falls in the band {label} "
                   f"({bands.edges(index, lang, unit)}). Table: {bands.describe(lang, unit)}.")
            for lang in ("id", "en")
        }
        return RuleResult(label, explanation, details={"band": bands.row(index)})
