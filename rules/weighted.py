"""``weighted_sum`` and ``weighted_mean``: combine named component values with weights.

``weighted_sum`` needs weights that total 100 (scale ``percent``) or 1 (scale ``fraction``) and adds
value × weight; a typo in a weight is caught when the cycle loads rather than skewing every score.
``weighted_mean`` takes any non-negative weights and divides by their total.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import HUNDRED, fmt, number_input, round_half_up, to_decimal
from rules.text import describe_value

_WEIGHTS = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {"type": "number", "minimum": 0},
    "description": "Component name -> weight; the values input must give each component.",
}
_DECIMALS = {"type": "integer", "minimum": 0, "maximum": 6, "default": 2,
             "description": "Decimals the result is rounded to (half up)."}
_VALUES = {"values": InputSpec({"id": "nilai setiap komponen (nama -> angka)",
                                "en": "each component's value (name -> number)"})}


def _component_values(rule: Rule, weights: Mapping[str, Any],
                      inputs: Mapping[str, Any]) -> dict[str, Decimal] | RuleResult:
    """The numbers named by the weights, or a waiting result naming the components still missing."""
    values = inputs["values"]
    if not isinstance(values, Mapping):
        raise RuleError(f"input 'values' must be a mapping of component names to numbers, not {describe_value(values)}",
                        input="values")
    missing = [(f"values[{k}]", {"id": f"nilai komponen '{k}'", "en": f"the value of component '{k}'"})
               for k in weights if values.get(k) is None]
    numbers = {k: number_input(values[k], f"values[{k}]") for k in weights if values.get(k) is not None}
    if missing:
        return rule.waiting(missing)
    return numbers


class WeightedSum(Rule):
    name = "weighted_sum"
    title = {"id": "Jumlah tertimbang", "en": "Weighted sum"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "weights": _WEIGHTS,
            "scale": {"enum": ["percent", "fraction"], "default": "percent",
                      "description": "percent: weights total 100; fraction: weights total 1."},
            "decimals": _DECIMALS,
        },
        "required": ["weights"],
        "additionalProperties": False,
    }
    inputs = _VALUES

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        scale = self.param(params, "scale")
        expected = Decimal(100) if scale == "percent" else Decimal(1)
        total = sum((to_decimal(w) for w in params["weights"].values()), Decimal(0))
        if total != expected:
            return [ParamProblem(("weights",), f"the weights must total {expected} (scale '{scale}'); "
                                               f"these total {fmt(total, 'en', 6)}", "weights_scale",
                                 {"expected": expected, "scale": scale, "total": float(total)})]
        return []

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        weights = {k: to_decimal(w) for k, w in params["weights"].items()}
        numbers = _component_values(self, weights, inputs)
        if isinstance(numbers, RuleResult):
            return numbers
        percent = self.param(params, "scale") == "percent"
        divisor = HUNDRED if percent else Decimal(1)
        total = sum(numbers[k] * w / divisor for k, w in weights.items())
        result = round_half_up(total, self.param(params, "decimals"))
        terms = {
            lang: " + ".join(
                f"{k} {fmt(numbers[k], lang, 4)} × {fmt(w, lang, 4)}{'%' if percent else ''}"
                for k, w in weights.items()
            )
            for lang in ("id", "en")
        }
        places = self.param(params, "decimals")
        explanation = {
            "id": f"Jumlah tertimbang = {terms['id']} = {fmt(result, 'id', places)}.",
            "en": f"Weighted sum = {terms['en']} = {fmt(result, 'en', places)}.",
        }
        return RuleResult(float(result), explanation)


class WeightedMean(Rule):
    name = "weighted_mean"
    title = {"id": "Rata-rata tertimbang", "en": "Weighted mean"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"weights": _WEIGHTS, "decimals": _DECIMALS},
        "required": ["weights"],
        "additionalProperties": False,
    }
    inputs = _VALUES

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        if not any(w > 0 for w in params["weights"].values()):
            return [ParamProblem(("weights",), "at least one weight must be above 0", "weight_positive")]
        return []

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        weights = {k: to_decimal(w) for k, w in params["weights"].items()}
        numbers = _component_values(self, weights, inputs)
        if isinstance(numbers, RuleResult):
            return numbers
        weight_total = sum(weights.values())
        places = self.param(params, "decimals")
        result = round_half_up(sum(numbers[k] * w for k, w in weights.items()) / weight_total, places)
        terms = {
            lang: " + ".join(f"{k} {fmt(numbers[k], lang, 4)} × {fmt(w, lang, 4)}" for k, w in weights.items())
            for lang in ("id", "en")
        }
        explanation = {
            "id": f"Rata-rata tertimbang = ({terms['id']}) ÷ {fmt(weight_total, 'id', 4)} = "
                  f"{fmt(result, 'id', places)}.",
            "en": f"Weighted mean = ({terms['en']}) ÷ {fmt(weight_total, 'en', 4)} = {fmt(result, 'en', places)}.",
        }
        return RuleResult(float(result), explanation)
