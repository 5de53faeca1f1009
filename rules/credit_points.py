"""``credit_points``: angka kredit for functional positions (Peraturan BKN 3/2023).

AK = months ÷ 12 × percentage for the predicate × the position level's annual coefficient, rounded
half up to three decimals. Percentages: Sangat Baik 150%, Baik 100%, Butuh Perbaikan 75%,
Kurang/Misconduct 50%, Sangat Kurang 25%. Coefficients: Ahli Pertama 12,5, Ahli Muda 25, Ahli Madya
37,5, Ahli Utama 50; Pemula 3,75, Terampil 5, Mahir 12,5, Penyelia 25. Both tables are defaults
that a cycle may override. Worked example: Ahli Pertama, Baik, 12 months gives 12,5 AK; Sangat Baik
gives 18,75 AK.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import HUNDRED, fmt, number_input, round_half_up, to_decimal
from rules.terms import PREDICATES, parse_label, predicate
from rules.text import did_you_mean

DEFAULT_PERCENTAGES = {
    "Sangat Baik": 150,
    "Baik": 100,
    "Butuh Perbaikan": 75,
    "Kurang/Misconduct": 50,
    "Sangat Kurang": 25,
}
DEFAULT_COEFFICIENTS = {
    "Ahli Pertama": 12.5,
    "Ahli Muda": 25,
    "Ahli Madya": 37.5,
    "Ahli Utama": 50,
    "Pemula": 3.75,
    "Terampil": 5,
    "Mahir": 12.5,
    "Penyelia": 25,
}
TWELVE = Decimal(12)


class CreditPoints(Rule):
    name = "credit_points"
    title = {"id": "Angka kredit", "en": "Credit points"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "percentages": {
                "type": "object",
                "propertyNames": {"enum": list(PREDICATES)},
                "additionalProperties": {"type": "number", "minimum": 0},
                "default": DEFAULT_PERCENTAGES,
                "description": "Predicate -> percentage of the annual coefficient earned.",
            },
            "coefficients": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"type": "number", "exclusiveMinimum": 0},
                "default": DEFAULT_COEFFICIENTS,
                "description": "Position level (jenjang jabatan) -> annual credit-point coefficient.",
            },
            "decimals": {"type": "integer", "minimum": 0, "maximum": 6, "default": 3,
                         "description": "Decimals the result is rounded to (half up)."},
        },
        "additionalProperties": False,
    }
    inputs = {
        "predicate": InputSpec({"id": "predikat kinerja pegawai", "en": "the employee's performance predicate"}),
        "months": InputSpec({"id": "jumlah bulan yang dinilai (1-12)", "en": "months rated (1-12)"}),
        "level": InputSpec({"id": "jenjang jabatan fungsional", "en": "the functional position level"}),
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        if "percentages" in params:
            absent = [p for p in PREDICATES if p not in params["percentages"]]
            if absent:
                return [ParamProblem(("percentages",),
                                     f"needs a percentage for every predicate; missing: {', '.join(absent)}",
                                     "percentages", {"missing": list(absent)})]
        return []

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        label = parse_label(inputs["predicate"], PREDICATES, "input 'predicate'")
        months = number_input(inputs["months"], "months", above=0, maximum=12)
        coefficients: Mapping[str, float] = self.param(params, "coefficients")
        level = _level(inputs["level"], coefficients)
        percent = to_decimal(self.param(params, "percentages")[label])
        coefficient = to_decimal(coefficients[level])
        places = self.param(params, "decimals")
        points = round_half_up(months / TWELVE * percent / HUNDRED * coefficient, places)
        explanation = {
            "id": f"Angka kredit = {fmt(months, 'id')} ÷ 12 bulan × {fmt(percent, 'id')}% (persentase predikat "
                  f"{label}) × {fmt(coefficient, 'id')} (koefisien tahunan {level}) = {fmt(points, 'id', places)} AK.",
            "en": f"Credit points = {fmt(months, 'en')} ÷ 12 months × {fmt(percent, 'en')}% (the percentage for "
                  f"predicate {predicate(label, 'en')}) × {fmt(coefficient, 'en')} (the annual coefficient of {level}) "
                  f"= {fmt(points, 'en', places)} AK.",
        }
        return RuleResult(float(points), explanation, details={
            "level": level, "percentage": float(percent), "coefficient": float(coefficient),
        })


def _level(value: Any, coefficients: Mapping[str, Any]) -> str:
    """The configured level matching ``value``, case and spacing forgiven."""
    if isinstance(value, str):
        wanted = " ".join(value.split()).casefold()
        for level in coefficients:
            if level.casefold() == wanted:
                return level
        raise RuleError(f"input 'level' '{value}' is not a known position level{did_you_mean(value, coefficients)}; "
                        f"known levels: {', '.join(coefficients)}", input="level")
    raise RuleError(f"input 'level' must be the name of a position level such as 'Ahli Pertama', not {value!r}",
                    input="level")
