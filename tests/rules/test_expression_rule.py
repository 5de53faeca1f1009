"""expression: an agency's own formula over declared inputs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]

FORMULA = {"expr": "0.6*results + 0.3*feedback + 0.1*self", "inputs": ["results", "feedback", "self"]}


def test_the_formula_is_computed_and_explained_in_words_not_in_its_syntax(evaluate: Evaluate) -> None:
    result = evaluate("expression", FORMULA, results=80, feedback=90, self=70)
    assert result.value == 82.0
    assert result.explanation == {
        "id": "Dihitung dengan rumus instansi dari results = 80, feedback = 90 dan self = 70; hasilnya 82.",
        "en": "Worked out with the agency's formula from results = 80, feedback = 90 and self = 70; the result is 82.",
    }


def test_the_cycle_words_the_explanation_in_both_languages(evaluate: Evaluate) -> None:
    params = {"expr": "'Rencana suksesi' if kotak >= 7 else 'Pengembangan'", "inputs": ["kotak"],
              "explain": {"id": "Kotak {kotak} dari 9: {result}.", "en": "Box {kotak} of 9."}}
    assert get_rule("expression").validate_params(params) == []
    result = evaluate("expression", params, kotak=8)
    assert result.value == "Rencana suksesi"
    assert result.explanation == {"id": "Kotak 8 dari 9: Rencana suksesi.", "en": "Box 8 of 9."}
    numbers = evaluate("expression", {"expr": "a / 4", "inputs": ["a"],
                                      "explain": {"id": "Seperempat dari {a} ialah {result}.",
                                                  "en": "A quarter of {a} is {result}."}}, a=1234)
    assert numbers.explanation == {"id": "Seperempat dari 1.234 ialah 308,5.", "en": "A quarter of 1,234 is 308.5."}


def test_a_placeholder_that_names_no_input_is_found_when_the_cycle_loads() -> None:
    problems = get_rule("expression").validate_params(
        {"expr": "kotak", "inputs": ["kotak"], "explain": {"id": "Kotak {kotk}", "en": "Box {kotak}"}})
    assert [(p.path, p.message) for p in problems] == [
        (("explain", "id"), "'{kotk}' names no input of the formula; use {kotak}, {result}")]


def test_decimals_round_the_result_half_up(evaluate: Evaluate) -> None:
    assert evaluate("expression", {"expr": "a / 3", "inputs": ["a"], "decimals": 2}, a=2).value == 0.67


def test_a_formula_may_give_text_or_a_boolean(evaluate: Evaluate) -> None:
    params = {"expr": "'lulus' if a >= 70 else 'belum'", "inputs": ["a"]}
    assert evaluate("expression", params, a=71).value == "lulus"
    check = evaluate("expression", {"expr": "a >= 70", "inputs": ["a"]}, a=60)
    assert check.value is False and check.explanation["id"].endswith("hasilnya tidak.")


def test_missing_inputs_wait_and_are_named(evaluate: Evaluate) -> None:
    result = evaluate("expression", FORMULA, results=80)
    assert result.missing == ("feedback", "self")
    assert "the value of 'feedback' in the formula" in result.explanation["en"]


def test_declared_but_unused_inputs_are_not_waited_for(evaluate: Evaluate) -> None:
    result = evaluate("expression", {"expr": "a * 2", "inputs": ["a", "b"]}, a=2)
    assert result.value == 4


def test_inputs_follow_the_parameters() -> None:
    specs = get_rule("expression").inputs_for(FORMULA)
    assert list(specs) == ["results", "feedback", "self"]
    assert all(spec.required for spec in specs.values())


@pytest.mark.parametrize(
    "params, path, message",
    [
        ({"expr": "0.6*reslts", "inputs": ["results"]}, ("expr",),
         "column 5: unknown name 'reslts' (did you mean 'results'?)"),
        ({"expr": "results.real", "inputs": ["results"]}, ("expr",),
         "column 8: attribute access ('.real') is not allowed"),
        ({"expr": "__import__('os').system('id')", "inputs": []}, ("expr",), "not allowed"),
        ({"expr": "1 +", "inputs": []}, ("expr",), "syntax error"),
        ({"expr": "x", "inputs": ["x", "if"]}, ("inputs", 1), "'if' cannot be used as a name"),
        ({"expr": "x", "inputs": ["2x"]}, ("inputs", 0), "cannot be used as a name"),
        ({"expr": "x" * 1001, "inputs": ["x"]}, ("expr",), "at most 1000 characters long"),
        ({"expr": "x"}, (), "missing required parameter 'inputs'"),
    ],
)
def test_formula_problems_are_found_when_the_cycle_loads(params: dict, path: tuple, message: str) -> None:
    problems = get_rule("expression").validate_params(params)
    assert [p.path for p in problems] == [path]
    assert message in problems[0].message


@pytest.mark.parametrize(
    "params, inputs, message",
    [
        ({"expr": "a / b", "inputs": ["a", "b"]}, {"a": 1, "b": 0},
         "cannot be computed with these inputs: division by zero"),
        ({"expr": "a * 2", "inputs": ["a"]}, {"a": "dua"}, "'\\*' needs two numbers"),
    ],
)
def test_a_formula_that_fails_on_these_inputs_is_an_input_error(params: dict, inputs: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("expression").evaluate(params, inputs)
