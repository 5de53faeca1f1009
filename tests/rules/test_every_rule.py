"""What every installed rule promises, built-in or plug-in: the contract the engine relies on."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from rules import RuleError, all_rules, get_rule
from rules.base import SNAKE_CASE

NAMES = sorted(all_rules())
Required = Callable[[str], dict[str, Any]]


@pytest.mark.parametrize("name", NAMES)
def test_the_rule_describes_itself_in_both_languages(name: str) -> None:
    rule = get_rule(name)
    assert SNAKE_CASE.match(rule.name)
    assert rule.title["id"] and rule.title["en"]
    Draft202012Validator.check_schema(dict(rule.params_schema))
    assert rule.params_schema.get("type") == "object"
    for spec in rule.inputs.values():
        assert spec.description["id"] and spec.description["en"]


@pytest.mark.parametrize("name", NAMES)
def test_every_schema_default_is_itself_valid(name: str, required_params: Required) -> None:
    rule = get_rule(name)
    defaults = {key: spec["default"] for key, spec in rule.params_schema.get("properties", {}).items()
                if "default" in spec}
    assert all(not problem for problem in rule.validate_params(defaults | required_params(name)))


@pytest.mark.parametrize("name", NAMES)
def test_no_inputs_at_all_waits_and_never_crashes(name: str, required_params: Required) -> None:
    rule = get_rule(name)
    params = required_params(name)
    result = rule.evaluate(params, {})
    required = [n for n, spec in rule.inputs_for(params).items() if spec.required]
    assert result.value is None
    assert list(result.missing) == required
    assert result.explanation["id"].startswith("Menunggu data untuk ")
    assert result.explanation["en"].startswith("Waiting for data for ")
    json.dumps(result.to_json())


@pytest.mark.parametrize("name", NAMES)
def test_inputs_of_the_wrong_kind_raise_rule_error_only(name: str, required_params: Required) -> None:
    rule = get_rule(name)
    params = required_params(name)
    for wrong in ("not a number", -1, [None], {"x": "y"}, True, 10**6):
        inputs = {n: wrong for n in rule.inputs_for(params)}
        try:
            result = rule.evaluate(params, inputs)
        except RuleError as exc:
            assert str(exc)
        else:
            json.dumps(result.to_json())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=25, deadline=None)
@given(params=st.dictionaries(st.text(max_size=12), json_values, max_size=3) | json_values)
@pytest.mark.parametrize("name", NAMES)
def test_validate_params_never_raises(name: str, params: Any) -> None:
    problems = get_rule(name).validate_params(params)
    assert all(p.message for p in problems)

