"""weighted_sum and weighted_mean, with their weight checks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]


def test_weighted_sum_in_percent(evaluate: Evaluate) -> None:
    result = evaluate("weighted_sum", {"weights": {"results": 60, "feedback": 30, "self": 10}},
                      values={"results": 80, "feedback": 90, "self": 70})
    assert result.value == 82.0
    assert result.explanation["en"] == "Weighted sum = results 80 × 60% + feedback 90 × 30% + self 70 × 10% = 82."


def test_weighted_sum_in_fractions(evaluate: Evaluate) -> None:
    result = evaluate("weighted_sum", {"weights": {"a": 0.25, "b": 0.75}, "scale": "fraction"},
                      values={"a": 81, "b": 90})
    assert result.value == 87.75
    assert "a 81 × 0,25 + b 90 × 0,75 = 87,75" in result.explanation["id"]


def test_weighted_sum_rounds_half_up_to_the_configured_decimals(evaluate: Evaluate) -> None:
    params = {"weights": {"a": 50, "b": 50}, "decimals": 1}
    assert evaluate("weighted_sum", params, values={"a": 1, "b": 0.25}).value == 0.6  # 0.625 -> 0.6
    assert evaluate("weighted_sum", params | {"decimals": 2}, values={"a": 1, "b": 0.25}).value == 0.63


@pytest.mark.parametrize(
    "params, message",
    [
        ({"weights": {"a": 60, "b": 30}}, "the weights must total 100 (scale 'percent'); these total 90"),
        ({"weights": {"a": 0.6, "b": 0.3}, "scale": "fraction"},
         "the weights must total 1 (scale 'fraction'); these total 0.9"),
        ({"weights": {"a": 33.33, "b": 33.33, "c": 33.33}}, "these total 99.99"),
    ],
)
def test_weighted_sum_weights_must_total_the_scale(params: dict, message: str) -> None:
    problems = get_rule("weighted_sum").validate_params(params)
    assert [p.path for p in problems] == [("weights",)]
    assert message in problems[0].message


def test_weights_of_a_third_each_may_total_exactly_100() -> None:
    assert get_rule("weighted_sum").validate_params({"weights": {"a": 33.33, "b": 33.33, "c": 33.34}}) == []


def test_negative_weights_are_refused() -> None:
    problems = get_rule("weighted_mean").validate_params({"weights": {"a": -1, "b": 2}})
    assert [(p.path, p.message) for p in problems] == [(("weights", "a"), "must be at least 0, not -1")]


def test_weighted_mean_divides_by_the_total_weight(evaluate: Evaluate) -> None:
    result = evaluate("weighted_mean", {"weights": {"a": 2, "b": 1}}, values={"a": 80, "b": 90})
    assert result.value == 83.33
    assert result.explanation["id"] == "Rata-rata tertimbang = (a 80 × 2 + b 90 × 1) ÷ 3 = 83,33."


def test_weighted_mean_needs_one_positive_weight() -> None:
    problems = get_rule("weighted_mean").validate_params({"weights": {"a": 0, "b": 0}})
    assert [p.message for p in problems] == ["at least one weight must be above 0"]


@pytest.mark.parametrize("name", ["weighted_sum", "weighted_mean"])
def test_a_missing_component_waits_and_is_named(evaluate: Evaluate, name: str) -> None:
    result = evaluate(name, {"weights": {"a": 50, "b": 50}}, values={"a": 80, "b": None})
    assert result.missing == ("values[b]",)
    assert "component 'b'" in result.explanation["en"]


@pytest.mark.parametrize("name", ["weighted_sum", "weighted_mean"])
def test_a_component_that_is_not_a_number_is_an_input_error(name: str) -> None:
    with pytest.raises(RuleError, match=r"input 'values\[a\]' must be a number, not the text 'delapan puluh'"):
        get_rule(name).evaluate({"weights": {"a": 50, "b": 50}}, {"values": {"a": "delapan puluh", "b": 1}})


def test_values_must_be_a_mapping() -> None:
    with pytest.raises(RuleError, match="must be a mapping of component names to numbers"):
        get_rule("weighted_mean").evaluate({"weights": {"a": 1}}, {"values": [1]})
