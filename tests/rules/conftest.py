"""Fixtures for the rule tests: evaluate a rule by name with checked parameters."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from rules import RuleResult, get_rule

# Parameters a rule cannot do without; every other rule runs on its defaults.
REQUIRED_PARAMS: dict[str, dict[str, Any]] = {
    "banding": {"bands": [{"label": "Tinggi", "min": 80}, {"label": "Sedang", "min": 60}, {"label": "Rendah"}]},
    "weighted_sum": {"weights": {"results": 60, "feedback": 30, "self": 10}},
    "weighted_mean": {"weights": {"results": 2, "feedback": 1}},
    "training_recommendation": {"catalog": {"harmonis": [{"id": "KOM-1", "title": "Komunikasi Efektif", "jp": 16}]}},
    "expression": {"expr": "0.6*results + 0.3*feedback + 0.1*self", "inputs": ["results", "feedback", "self"]},
}

Evaluate = Callable[..., RuleResult]


def evaluate_rule(name: str, params: Mapping[str, Any] | None = None, **inputs: Any) -> RuleResult:
    """Validate ``params`` (they must be valid), evaluate, and check the result is well formed."""
    rule = get_rule(name)
    params = dict(params if params is not None else REQUIRED_PARAMS.get(name, {}))
    problems = rule.validate_params(params)
    assert problems == [], problems
    result = rule.evaluate(params, inputs)
    assert_well_formed(result)
    return result


def assert_well_formed(result: RuleResult) -> None:
    """Both languages present and non-empty, JSON-serialisable, and missing means no value."""
    assert set(result.explanation) == {"id", "en"}
    assert result.explanation["id"].strip() and result.explanation["en"].strip()
    json.dumps(result.to_json(), allow_nan=False)
    if result.missing:
        assert result.value is None
        assert result.explanation["id"].startswith("Menunggu ")
        assert result.explanation["en"].startswith("Waiting for ")


@pytest.fixture
def evaluate() -> Evaluate:
    """``evaluate(name, params=None, **inputs)``: evaluate a rule with checked parameters."""
    return evaluate_rule


@pytest.fixture(scope="session")
def required_params() -> Callable[[str], dict[str, Any]]:
    """The smallest valid parameters of a rule by name."""
    return lambda name: dict(REQUIRED_PARAMS.get(name, {}))
