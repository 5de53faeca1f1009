"""talent_box: performance × potential on the nine-box grid (PermenPAN-RB 3/2020 numbering by default)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule
from rules.terms import ABOVE, BELOW, MEETS

Evaluate = Callable[..., RuleResult]


@pytest.mark.parametrize(
    "performance, potential, box",
    [
        (BELOW, "Rendah", 1), (MEETS, "Rendah", 2), (ABOVE, "Rendah", 4),
        (BELOW, "Menengah", 3), (MEETS, "Menengah", 5), (ABOVE, "Menengah", 7),
        (BELOW, "Tinggi", 6), (MEETS, "Tinggi", 8), (ABOVE, "Tinggi", 9),
    ],
)
def test_every_box_of_the_grid(evaluate: Evaluate, performance: str, potential: str, box: int) -> None:
    assert evaluate("talent_box", performance=performance, potential=potential).value == box


def test_performance_may_be_a_level_or_a_number(evaluate: Evaluate) -> None:
    assert evaluate("talent_box", performance="tinggi", potential="Tinggi").value == 9
    assert evaluate("talent_box", performance=110, potential="Tinggi").value == 9
    assert evaluate("talent_box", performance=109.99, potential="Tinggi").value == 8
    assert evaluate("talent_box", performance=89.99, potential="Tinggi").value == 6


def test_a_numeric_potential_needs_configured_thresholds(evaluate: Evaluate) -> None:
    params = {"potential_thresholds": {"high": 80, "medium": 65}}
    result = evaluate("talent_box", params, performance=95, potential=82)
    assert result.value == 8
    assert result.details == {"performance_level": "Menengah", "potential_level": "Tinggi"}
    assert result.explanation["en"] == (
        "Performance 95 (≥ 90 and < 110: medium) and potential 82 (≥ 80: high) place the employee in box 8 "
        "(potential row high, performance column medium)."
    )
    with pytest.raises(RuleError, match="no potential_thresholds are configured"):
        get_rule("talent_box").evaluate({}, {"performance": 95, "potential": 82})


def test_the_numbering_is_configurable(evaluate: Evaluate) -> None:
    params = {"boxes": [[7, 8, 9], [4, 5, 6], [1, 2, 3]]}
    assert evaluate("talent_box", params, performance=ABOVE, potential="Rendah").value == 3


@pytest.mark.parametrize(
    "params, path",
    [
        ({"boxes": [[1, 1, 1], [2, 2, 2], [3, 3, 3]]}, ("boxes",)),
        ({"boxes": [[1, 2], [3, 4, 5], [6, 7, 8]]}, ("boxes", 0)),
        ({"performance_thresholds": {"high": 90, "medium": 110}}, ("performance_thresholds", "high")),
    ],
)
def test_parameter_problems(params: dict, path: tuple) -> None:
    assert [p.path for p in get_rule("talent_box").validate_params(params)] == [path]


def test_an_unknown_level_is_an_input_error() -> None:
    with pytest.raises(RuleError, match="input 'potential' must be one of 'Tinggi', 'Menengah', 'Rendah'"):
        get_rule("talent_box").evaluate({}, {"performance": ABOVE, "potential": "Sedang"})
