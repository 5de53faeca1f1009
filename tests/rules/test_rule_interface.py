"""The plugin interface: results, parameter problems, waiting results and defaults, on a small custom rule."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest

from rules import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.base import format_path
from rules.numbers import fmt, number_input, round_half_up


class Ratio(Rule):
    """A rule as an agency would write one: a name, a title, a schema, inputs and compute()."""

    name = "ratio"
    title = {"id": "Rasio", "en": "Ratio"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "scale": {"type": "number", "exclusiveMinimum": 0, "default": 100},
            "mode": {"enum": ["plain", "capped"], "default": "plain"},
            "parts": {"type": "object", "additionalProperties": {"type": "integer"},
                      "propertyNames": {"enum": ["a", "b"]}},
        },
        "additionalProperties": False,
    }
    inputs = {
        "done": InputSpec({"id": "jumlah selesai", "en": "number done"}),
        "planned": InputSpec({"id": "jumlah rencana", "en": "number planned"}),
        "note": InputSpec({"id": "catatan", "en": "a note"}, required=False),
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        if params.get("scale") == 13:
            return [ParamProblem(("scale",), "13 is unlucky")]
        return []

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        value = number_input(inputs["done"], "done") / number_input(inputs["planned"], "planned", above=0)
        scaled = round_half_up(value * Decimal(self.param(params, "scale")), 2)
        return RuleResult(float(scaled), {"id": f"Rasio {fmt(scaled, 'id')}.", "en": f"Ratio {fmt(scaled, 'en')}."})


def test_a_result_serialises_to_json_without_empty_parts() -> None:
    assert RuleResult(1.5, {"id": "a", "en": "b"}).to_json() == {"value": 1.5, "explanation": {"id": "a", "en": "b"}}
    full = RuleResult(None, {"id": "a", "en": "b"}, ("x",), {"k": [1]}).to_json()
    assert full == {"value": None, "explanation": {"id": "a", "en": "b"}, "missing": ["x"], "details": {"k": [1]}}
    json.dumps(full)


def test_results_are_immutable() -> None:
    result = RuleResult(1, {"id": "a", "en": "b"})
    with pytest.raises(AttributeError):
        result.value = 2  # type: ignore[misc]


def test_defaults_come_from_the_schema() -> None:
    assert Ratio().evaluate({}, {"done": 1, "planned": 4}).value == 25.0
    assert Ratio().evaluate({"scale": 1000}, {"done": 1, "planned": 4}).value == 250.0


def test_missing_required_inputs_give_a_waiting_result_in_both_languages() -> None:
    result = Ratio().evaluate({}, {"done": None})
    assert result.value is None
    assert result.missing == ("done", "planned")
    assert result.explanation == {
        "id": "Menunggu data untuk Rasio: jumlah selesai dan jumlah rencana.",
        "en": "Waiting for data for Ratio: number done and number planned.",
    }


def test_optional_inputs_are_not_waited_for() -> None:
    assert Ratio().evaluate({}, {"done": 1, "planned": 2}).missing == ()


def test_inputs_that_are_not_a_mapping_are_an_input_error() -> None:
    with pytest.raises(RuleError, match="inputs must be a mapping of input names to values, not a list"):
        Ratio().evaluate({}, [1, 2])  # type: ignore[arg-type]


def test_rule_errors_name_the_input() -> None:
    with pytest.raises(RuleError) as caught:
        Ratio().evaluate({}, {"done": 1, "planned": 0})
    assert caught.value.input == "planned"
    assert str(caught.value) == "input 'planned' must be greater than 0, not 0"


@pytest.mark.parametrize(
    "params, problems",
    [
        ({}, []),
        ({"scale": 13}, [(("scale",), "13 is unlucky")]),
        ({"scale": "10"}, [(("scale",), "must be a number, not the text '10'")]),
        ({"scale": 0}, [(("scale",), "must be greater than 0, not 0")]),
        ({"mode": "capt"},
         [(("mode",), "must be one of 'plain', 'capped', not the text 'capt' (did you mean 'capped'?)")]),
        ({"scael": 1}, [(("scael",), "unknown parameter 'scael' (did you mean 'scale'?)")]),
        ({"parts": {"a": 1.5}}, [(("parts", "a"), "must be a whole number, not the number 1.5")]),
        ({"parts": {"c": 1}}, [(("parts", "c"), "unknown key 'c'; allowed: a, b")]),
        ({"scale": "x", "mode": "y"}, [(("mode",), "must be one of 'plain', 'capped', not the text 'y'"),
                                       (("scale",), "must be a number, not the text 'x'")]),
        ([1, 2], [((), "parameters must be a mapping of names to values, not a list")]),
    ],
)
def test_parameter_problems_have_a_path_and_a_sentence(params: Any, problems: list) -> None:
    found = Ratio().validate_params(params)
    assert [(p.path, p.message) for p in found] == problems


def test_semantic_checks_run_only_once_the_schema_passes() -> None:
    assert [p.message for p in Ratio().validate_params({"scale": 13, "mode": "?"})] == [
        "must be one of 'plain', 'capped', not the text '?'",
    ]


def test_a_problem_reads_with_its_location() -> None:
    assert str(ParamProblem(("weights", "peers"), "must be a number")) == "params.weights.peers: must be a number"
    assert format_path(("bands", 2, "min")) == "params.bands[2].min"
    assert format_path(()) == "params"


@pytest.mark.parametrize(
    "value, places, indonesian, english",
    [
        (90, 2, "90", "90"),
        (Decimal("90.00"), 2, "90", "90"),
        (87.5, 2, "87,5", "87.5"),
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
        (2.675, 2, "2,68", "2.68"),
        (-2.675, 2, "-2,68", "-2.68"),
        (-0.001, 2, "0", "0"),
        (Decimal("3.0644"), 4, "3,0644", "3.0644"),
        (Decimal("1E+3"), 2, "1.000", "1,000"),
    ],
)
def test_numbers_are_written_in_each_language_and_rounded_half_up(value: Any, places: int, indonesian: str,
                                                                  english: str) -> None:
    assert (fmt(value, "id", places), fmt(value, "en", places)) == (indonesian, english)


@pytest.mark.parametrize("value", [True, "5", None, float("inf"), float("nan"), Decimal("NaN"), [5]])
def test_only_finite_numbers_are_numbers(value: Any) -> None:
    with pytest.raises(RuleError, match="input 'x' must be a number"):
        number_input(value, "x")


def test_numbers_keep_their_written_decimal_value() -> None:
    assert number_input(0.1, "x") == Decimal("0.1")
    assert number_input(Decimal("2.50"), "x") == Decimal("2.5")
