"""target_achievement: an IKI's achievement percent from realisation and target."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]


@pytest.mark.parametrize(
    "params, realisation, target, expected",
    [
        # higher is better: realisation ÷ target × 100
        ({}, 45, 50, 90.0),
        ({}, 50, 50, 100.0),
        ({}, 60, 50, 120.0),
        ({}, 0, 50, 0.0),
        ({}, 1, 3, 33.33),
        ({}, 2, 3, 66.67),
        ({}, 0.12345, 1, 12.35),  # 12.345 rounds half up, decimal-exact
        ({"direction": "higher"}, 92, [80, 90], 102.22),  # above the range: against its upper edge
        ({"direction": "higher"}, 70, [80, 90], 87.5),  # below the range: against its lower edge
        ({"direction": "higher"}, 85, [80, 90], 100.0),
        # lower is better: (2 × target − realisation) ÷ target × 100, never below 0
        ({"direction": "lower"}, 24, 24, 100.0),
        ({"direction": "lower"}, 12, 24, 150.0),
        ({"direction": "lower"}, 30, 24, 75.0),
        ({"direction": "lower"}, 48, 24, 0.0),
        ({"direction": "lower"}, 60, 24, 0.0),
        ({"direction": "lower"}, 0, 24, 200.0),
        ({"direction": "lower"}, 0, 0, 100.0),  # "none at all" met
        ({"direction": "lower"}, 1, 0, 0.0),  # "none at all" missed
        ({"direction": "lower"}, 6.5, [7, 8], 107.14),  # the ministry's worked example
        ({"direction": "lower"}, 9, [7, 8], 87.5),  # and its second half
        ({"direction": "lower"}, 7.5, [7, 8], 100.0),
        # range: inside is 100; short of it counts up to min, beyond it down from max
        ({"direction": "range"}, 95, [90, 100], 100.0),
        ({"direction": "range"}, 90, [90, 100], 100.0),
        ({"direction": "range"}, 100, [90, 100], 100.0),
        ({"direction": "range"}, 81, [90, 100], 90.0),
        ({"direction": "range"}, 105, [90, 100], 95.0),
        # cap
        ({"cap": 120}, 140, 100, 120.0),
        ({"cap": 120}, 120, 100, 120.0),
        ({"cap": 120}, 119, 100, 119.0),
        ({"cap": 110, "direction": "lower"}, 12, 24, 110.0),
    ],
)
def test_achievement_table(evaluate: Evaluate, params: dict, realisation: float, target: object,
                           expected: float) -> None:
    result = evaluate("target_achievement", params, realisation=realisation, target=target)
    assert result.value == expected


def test_the_explanation_shows_inputs_arithmetic_and_aspect(evaluate: Evaluate) -> None:
    result = evaluate("target_achievement", {"aspect": "kuantitas"}, realisation=45, target=50)
    assert result.explanation == {
        "id": "Capaian IKI aspek kuantitas (semakin tinggi semakin baik): realisasi 45 ÷ target 50 × 100% = 90%.",
        "en": "IKI achievement, aspect kuantitas (quantity; higher is better): "
              "realisation 45 ÷ target 50 × 100% = 90%.",
    }
    assert result.details == {"direction": "higher", "target": 50.0, "aspect": "kuantitas"}


def test_indonesian_explanations_use_a_decimal_comma(evaluate: Evaluate) -> None:
    result = evaluate("target_achievement", {"direction": "lower", "aspect": "waktu"}, realisation=6.5, target=[7, 8])
    assert "realisasi 6,5" in result.explanation["id"] and "107,14%" in result.explanation["id"]
    assert "realisation 6.5" in result.explanation["en"] and "107.14%" in result.explanation["en"]


def test_a_capped_achievement_says_so_and_keeps_the_uncapped_figure(evaluate: Evaluate) -> None:
    result = evaluate("target_achievement", {"cap": 120}, realisation=130, target=100)
    assert result.value == 120.0
    assert result.details["uncapped"] == 130.0
    assert "dibatasi paling tinggi 120%" in result.explanation["id"]
    assert "capped at 120%" in result.explanation["en"]


def test_a_negative_lower_is_better_result_is_raised_to_zero_and_said_so(evaluate: Evaluate) -> None:
    result = evaluate("target_achievement", {"direction": "lower"}, realisation=60, target=24)
    assert result.value == 0.0
    assert "cannot be negative" in result.explanation["en"]


@pytest.mark.parametrize("missing", ["realisation", "target"])
def test_a_missing_input_waits_never_a_silent_zero(evaluate: Evaluate, missing: str) -> None:
    inputs = {"realisation": 45, "target": 50}
    del inputs[missing]
    result = evaluate("target_achievement", **inputs)
    assert result.value is None
    assert result.missing == (missing,)
    assert missing in result.explanation["en"] and f"({missing})" not in result.explanation["en"]  # described


@pytest.mark.parametrize(
    "params, inputs, message",
    [
        ({}, {"realisation": "45", "target": 50}, "input 'realisation' must be a number, not the text '45'"),
        ({}, {"realisation": True, "target": 50}, "input 'realisation' must be a number, not true"),
        ({}, {"realisation": float("nan"), "target": 50}, "input 'realisation' must be a number"),
        ({}, {"realisation": -1, "target": 50}, "input 'realisation' must be at least 0"),
        ({}, {"realisation": 1, "target": 0}, "input 'target' must be greater than 0"),
        ({"direction": "range"}, {"realisation": 1, "target": 5},
         "must be a list \\[min, max\\] for direction 'range'"),
        ({"direction": "range"}, {"realisation": 1, "target": [5]}, "list of two numbers"),
        ({"direction": "range"}, {"realisation": 1, "target": [9, 5]}, "minimum above its maximum"),
        ({"direction": "range"}, {"realisation": 1, "target": [0, 0]}, "maximum above 0"),
    ],
)
def test_bad_inputs_raise_a_rule_error_naming_the_input(params: dict, inputs: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("target_achievement").evaluate(params, inputs)


@pytest.mark.parametrize(
    "params, path, message",
    [
        ({"direction": "hihger"}, ("direction",), "did you mean 'higher'?"),
        ({"cap": 0}, ("cap",), "must be greater than 0"),
        ({"aspect": "kuantitatif"}, ("aspect",), "did you mean 'kuantitas'?"),
        ({"capp": 120}, ("capp",), "unknown parameter 'capp' (did you mean 'cap'?)"),
    ],
)
def test_bad_parameters_are_located_and_explained(params: dict, path: tuple, message: str) -> None:
    problems = get_rule("target_achievement").validate_params(params)
    assert len(problems) == 1
    assert problems[0].path == path
    assert message in problems[0].message


numbers = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False).map(float)
targets = st.decimals(min_value="0.01", max_value=10_000, places=2).map(float)


@given(a=numbers, b=numbers, target=targets)
def test_higher_is_better_never_falls_as_realisation_rises(a: float, b: float, target: float) -> None:
    rule = get_rule("target_achievement")
    low, high = sorted((a, b))
    assert rule.evaluate({}, {"realisation": low, "target": target}).value <= \
        rule.evaluate({}, {"realisation": high, "target": target}).value


@given(a=numbers, b=numbers, target=targets)
def test_lower_is_better_never_rises_as_realisation_rises(a: float, b: float, target: float) -> None:
    rule = get_rule("target_achievement")
    low, high = sorted((a, b))
    params = {"direction": "lower"}
    first = rule.evaluate(params, {"realisation": low, "target": target}).value
    second = rule.evaluate(params, {"realisation": high, "target": target}).value
    assert first >= second >= 0


@given(realisation=numbers, edges=st.tuples(targets, targets), cap=st.sampled_from([None, 100, 120]))
def test_a_range_target_peaks_at_100_inside_the_band(realisation: float, edges: tuple[float, float],
                                                     cap: int | None) -> None:
    low, high = sorted(edges)
    params = {"direction": "range"} | ({"cap": cap} if cap else {})
    value = get_rule("target_achievement").evaluate(params, {"realisation": realisation, "target": [low, high]}).value
    if low <= realisation <= high:
        assert value == 100.0
    else:
        assert 0 <= value <= 100.0


@given(realisation=numbers, target=targets, cap=st.integers(min_value=1, max_value=300))
def test_the_cap_is_never_exceeded(realisation: float, target: float, cap: int) -> None:
    value = get_rule("target_achievement").evaluate({"cap": cap}, {"realisation": realisation, "target": target}).value
    assert value <= cap
