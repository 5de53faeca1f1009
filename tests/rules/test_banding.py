"""banding: a number to a label by a configurable table of lower edges."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]

GRADES = {"bands": [{"label": "Sangat Baik", "min": 90}, {"label": "Baik", "min": 70}, {"label": "Kurang"}]}


@pytest.mark.parametrize(
    "value, label",
    [(100, "Sangat Baik"), (90, "Sangat Baik"), (89.99, "Baik"), (70, "Baik"), (69.999, "Kurang"), (-5, "Kurang")],
)
def test_a_number_takes_the_first_band_whose_edge_it_reaches(evaluate: Evaluate, value: float, label: str) -> None:
    assert evaluate("banding", GRADES, value=value).value == label


def test_the_explanation_names_the_value_the_band_and_the_table(evaluate: Evaluate) -> None:
    result = evaluate("banding", GRADES | {"unit": "%"}, value=72.5)
    assert result.explanation["id"] == (
        "Nilai 72,5% berada pada pita Baik (≥ 70% dan < 90%). "
        "Tabel: Sangat Baik ≥ 90%; Baik ≥ 70% dan < 90%; Kurang < 70%."
    )
    assert result.explanation["en"].startswith("The value 72.5% falls in the band Baik (≥ 70% and < 90%).")
    assert result.details == {"band": {"label": "Baik", "min": 70.0, "below": 90.0}}


def test_a_number_below_every_edge_is_an_input_error_not_a_silent_label(evaluate: Evaluate) -> None:
    with pytest.raises(RuleError, match="below the lowest band's edge 0"):
        evaluate("banding", {"bands": [{"label": "Ada", "min": 0}]}, value=-1)


@pytest.mark.parametrize(
    "bands, path, message",
    [
        ([{"label": "A", "min": 70}, {"label": "B", "min": 90}], ("bands", 1, "min"), "edges must decrease"),
        ([{"label": "A", "min": 70}, {"label": "B", "min": 70}], ("bands", 1, "min"), "70 is not below 70"),
        ([{"label": "A"}, {"label": "B", "min": 1}], ("bands", 0), "only the last band may leave out 'min'"),
        ([], ("bands",), "needs at least 1 item"),
        ([{"label": "", "min": 1}], ("bands", 0, "label"), "must not be empty"),
        ([{"label": "A", "mn": 1}], ("bands", 0, "mn"), "unknown key 'mn' (did you mean 'min'?)"),
    ],
)
def test_bad_tables_are_reported_at_the_row(bands: list, path: tuple, message: str) -> None:
    problems = get_rule("banding").validate_params({"bands": bands})
    assert [p.path for p in problems] == [path]
    assert message in problems[0].message


def test_bands_are_required() -> None:
    problems = get_rule("banding").validate_params({})
    assert [(p.path, p.message) for p in problems] == [((), "missing required parameter 'bands'")]
