"""credit_points (angka kredit): months ÷ 12 × percentage × annual coefficient (REGULATION §7)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]

PERCENTAGES = {"Sangat Baik": 150, "Baik": 100, "Butuh Perbaikan": 75, "Kurang/Misconduct": 50, "Sangat Kurang": 25}
COEFFICIENTS = {
    "Ahli Pertama": 12.5, "Ahli Muda": 25, "Ahli Madya": 37.5, "Ahli Utama": 50,
    "Pemula": 3.75, "Terampil": 5, "Mahir": 12.5, "Penyelia": 25,
}


def test_the_worked_example_ahli_pertama_baik_twelve_months_is_12_5(evaluate: Evaluate) -> None:
    result = evaluate("credit_points", predicate="Baik", months=12, level="Ahli Pertama")
    assert result.value == 12.5
    assert result.explanation["id"] == (
        "Angka kredit = 12 ÷ 12 bulan × 100% (persentase predikat Baik) × 12,5 "
        "(koefisien tahunan Ahli Pertama) = 12,5 AK."
    )


def test_the_worked_example_ahli_pertama_sangat_baik_twelve_months_is_18_75(evaluate: Evaluate) -> None:
    assert evaluate("credit_points", predicate="Sangat Baik", months=12, level="Ahli Pertama").value == 18.75


@pytest.mark.parametrize("predicate, percent", PERCENTAGES.items())
@pytest.mark.parametrize("level, coefficient", COEFFICIENTS.items())
def test_every_predicate_at_every_level_for_a_full_year(evaluate: Evaluate, predicate: str, percent: int, level: str,
                                                        coefficient: float) -> None:
    result = evaluate("credit_points", predicate=predicate, months=12, level=level)
    exact = Decimal(str(coefficient)) * percent / 100
    assert result.value == float(exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))  # Pemula BP: 2.8125 -> 2.813
    assert result.details == {"level": level, "percentage": float(percent), "coefficient": float(coefficient)}


@pytest.mark.parametrize("months, expected", [(1, 1.042), (6, 6.25), (7, 7.292), (0.5, 0.521)])
def test_part_years_are_prorated_and_rounded_half_up_to_three_decimals(evaluate: Evaluate, months: float,
                                                                       expected: float) -> None:
    assert evaluate("credit_points", predicate="Baik", months=months, level="Ahli Pertama").value == expected


def test_level_names_forgive_case(evaluate: Evaluate) -> None:
    assert evaluate("credit_points", predicate="Baik", months=12, level="ahli  muda").value == 25


def test_tables_can_be_overridden(evaluate: Evaluate) -> None:
    params = {"coefficients": {"Ahli Pertama": 10}, "percentages": PERCENTAGES | {"Baik": 90}}
    assert evaluate("credit_points", params, predicate="Baik", months=12, level="Ahli Pertama").value == 9


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"predicate": "Baik", "months": 13, "level": "Ahli Muda"}, "input 'months' must be at most 12"),
        ({"predicate": "Baik", "months": 0, "level": "Ahli Muda"}, "input 'months' must be greater than 0"),
        ({"predicate": "Baik", "months": 12, "level": "Ahli Mudah"}, "did you mean 'Ahli Muda'"),
        ({"predicate": "Cukup", "months": 12, "level": "Ahli Muda"}, "input 'predicate' must be one of"),
        ({"predicate": "Kurang", "months": 12, "level": "Ahli Muda"}, "did you mean 'Kurang/Misconduct'"),
    ],
)
def test_bad_inputs(inputs: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("credit_points").evaluate({}, inputs)


def test_overridden_percentages_must_cover_every_predicate() -> None:
    problems = get_rule("credit_points").validate_params({"percentages": {"Baik": 100}})
    assert problems[0].path == ("percentages",)
    assert "missing: Sangat Baik, Butuh Perbaikan, Kurang/Misconduct, Sangat Kurang" in problems[0].message
