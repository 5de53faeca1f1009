"""trend: naik, turun or stabil across periods, by the least-squares slope or the last change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]
PREDICATES = ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]


def series(*pairs: tuple[str, Any]) -> list[dict[str, Any]]:
    return [{"period": period, "value": value} for period, value in pairs]


def test_a_rising_series_is_naik_with_its_least_squares_slope(evaluate: Evaluate) -> None:
    # Periods 1-3 (mean 2), values 95, 100, 110 (mean 101,67):
    # ((−1)(95 − 101,67) + 0 + (1)(110 − 101,67)) ÷ ((−1)² + 0 + 1²) = (110 − 95) ÷ 2 = 7,5.
    result = evaluate("trend", {}, series=series(("2024", 95), ("2025", 100), ("2026", 110)))
    assert result.value == "naik"
    assert (result.details["slope"], result.details["change"]) == (7.5, 10.0)
    assert result.explanation["id"] == (
        "Nilai per periode: 2024 = 95, 2025 = 100, 2026 = 110. Kemiringan garis tren (kuadrat terkecil, "
        "periode bernomor 1 sampai 3) = 7,5 per periode, di atas 0, jadi tren naik.")
    assert result.explanation["en"] == (
        "Values by period: 2024 = 95, 2025 = 100, 2026 = 110. The trend line's slope (least squares, "
        "periods numbered 1 to 3) = 7.5 per period, above 0, so the trend is rising (naik).")


def test_the_slope_weighs_every_period_not_only_the_last_step(evaluate: Evaluate) -> None:
    # 80, 90, 100, 95: the last step falls (−5) but the line rises:
    # Σ(x − 2,5)(y − 91,25) = (−1,5)(−11,25) + (−0,5)(−1,25) + (0,5)(8,75) + (1,5)(3,75) = 27,5;
    # Σ(x − 2,5)² = 5; slope = 5,5.
    values = series(("Q1", 80), ("Q2", 90), ("Q3", 100), ("Q4", 95))
    by_slope = evaluate("trend", {}, series=values)
    by_change = evaluate("trend", {"measure": "change"}, series=values)
    assert (by_slope.value, by_slope.details["slope"]) == ("naik", 5.5)
    assert (by_change.value, by_change.details["change"]) == ("turun", -5.0)
    assert "Perubahan dari Q3 ke Q4 = 95 − 100 = -5, di bawah 0, jadi tren turun." in by_change.explanation["id"]


def test_a_flat_series_is_stabil(evaluate: Evaluate) -> None:
    result = evaluate("trend", {}, series=series(("2025", 100), ("2026", 100)))
    assert (result.value, result.details["slope"]) == ("stabil", 0.0)
    assert "sama dengan 0, jadi tren stabil" in result.explanation["id"]


@pytest.mark.parametrize("last, direction", [(102, "stabil"), (102.01, "naik"), (98, "stabil"), (97.99, "turun")])
def test_stable_within_is_a_band_around_zero_edges_included(evaluate: Evaluate, last: float, direction: str) -> None:
    result = evaluate("trend", {"measure": "change", "stable_within": 2}, series=series(("2025", 100), ("2026", last)))
    assert result.value == direction


def test_the_direction_is_read_on_the_rounded_figure(evaluate: Evaluate) -> None:
    # 0,004 rounds to 0,00 at two decimals: stabil, as the employee reads it.
    assert evaluate("trend", {}, series=series(("a", 1), ("b", 1.004))).value == "stabil"
    assert evaluate("trend", {"decimals": 3}, series=series(("a", 1), ("b", 1.004))).value == "naik"


def test_the_slope_is_exact_for_any_number_of_periods(evaluate: Evaluate) -> None:
    # 1, 1, 2 (ȳ 4/3): (−1)(−1/3) + 0 + (1)(2/3) = 1; Σ(x − 2)² = 2; slope 0,5.
    assert evaluate("trend", {}, series=series(("a", 1), ("b", 1), ("c", 2))).details["slope"] == 0.5
    # 0, 1, 1, 1 (ȳ 0,75): (−1,5)(−0,75) + (−0,5)(0,25) + (0,5)(0,25) + (1,5)(0,25) = 1,5; Σ(x − 2,5)² = 5; 0,3.
    assert evaluate("trend", {}, series=series(("a", 0), ("b", 1), ("c", 1), ("d", 1))).details["slope"] == 0.3
    # 0, 1, 0, 0, 0 (ȳ 0,2): (−2)(−0,2) + (−1)(0,8) + 0 + (1)(−0,2) + (2)(−0,2) = −1; Σ(x − 3)² = 10; −0,1.
    five = series(("a", 0), ("b", 1), ("c", 0), ("d", 0), ("e", 0))
    assert evaluate("trend", {}, series=five).details["slope"] == -0.1


def test_predicates_are_read_on_the_scale(evaluate: Evaluate) -> None:
    result = evaluate("trend", {"scale": PREDICATES},
                      series=series(("2024", "Baik"), ("2025", "sangat  baik"), ("2026", "Butuh Perbaikan")))
    # 4, 5, 3: ((−1)(0) + 0 + (1)(−1)) ÷ 2 = −0,5.
    assert (result.value, result.details["slope"], result.details["values"]) == ("turun", -0.5, [4.0, 5.0, 3.0])
    assert "2025 = Sangat Baik (5)" in result.explanation["id"]


def test_fewer_periods_than_min_periods_waits_naming_them(evaluate: Evaluate) -> None:
    result = evaluate("trend", {"min_periods": 3}, series=series(("2025", 90), ("2026", 95)))
    assert result.value is None and result.missing == ("series",)
    assert result.explanation["id"] == ("Menunggu data untuk Tren antarperiode: nilai dari paling sedikit 3 periode; "
                                        "baru ada 2 (2025 dan 2026).")


def test_a_period_without_a_value_yet_waits_for_it(evaluate: Evaluate) -> None:
    result = evaluate("trend", {}, series=series(("2024", 90), ("2025", 95), ("2026", None)))
    assert result.value is None and result.missing == ("series[2026]",)
    assert "the value of period 2026" in result.explanation["en"]


def test_no_series_waits(evaluate: Evaluate) -> None:
    assert evaluate("trend", {}).missing == ("series",)


@pytest.mark.parametrize("params, bad, message", [
    ({}, "not a list", "input 'series' must be a list of periods with a value, not the text 'not a list'"),
    ({}, [1, 2], "item 1 of 'series' must be a mapping with 'period' and 'value', not the number 1"),
    ({}, series(("2025", "Baik"), ("2026", 3)),
     "the value of item 1 of 'series' must be a number, not the text 'Baik'; give params.scale to read text values"),
    ({"scale": PREDICATES}, series(("2025", "Sangat Bak"), ("2026", "Baik")),
     ("the value of item 1 of 'series', 'Sangat Bak', is not on the scale (did you mean 'Sangat Baik'?); the scale is "
      "Sangat Kurang, Kurang/Misconduct, Butuh Perbaikan, Baik, Sangat Baik")),
    ({"scale": PREDICATES}, series(("2025", "Baik"), ("2026", 4)),
     "the value of item 2 of 'series' must be one of the scale's labels, not the number 4"),
])
def test_inputs_of_the_wrong_kind_name_the_item(params: dict[str, Any], bad: Any, message: str) -> None:
    with pytest.raises(RuleError) as raised:
        get_rule("trend").evaluate(params, {"series": bad})
    assert raised.value.message == message and raised.value.input == "series"


@pytest.mark.parametrize("params, message", [
    ({"min_periods": 1}, "params.min_periods: must be at least 2, not 1"),
    ({"measure": "slop"},
     "params.measure: must be one of 'slope', 'change', not the text 'slop' (did you mean 'slope'?)"),
    ({"stable_within": -1}, "params.stable_within: must be at least 0, not -1"),
    ({"scale": ["Baik", "baik "]}, "params.scale: labels must differ in more than case and spacing"),
])
def test_bad_parameters_are_found_when_the_cycle_loads(params: dict[str, Any], message: str) -> None:
    assert [str(p) for p in get_rule("trend").validate_params(params)] == [message]
