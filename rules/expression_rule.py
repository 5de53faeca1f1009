"""``expression``: an agency's own formula, e.g. ``0.6*results + 0.3*feedback + 0.1*self``.

The formula may use only the input names it declares (``inputs``); see :mod:`rules.expression` for
what an expression may contain and why it is safe. Problems in the formula are reported when the
cycle loads (as parameter problems on ``expr`` with their column), not when an employee is scored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.expression import MAX_SOURCE_LENGTH, Expression, ExpressionError, compile_expression, is_identifier
from rules.numbers import fmt, round_half_up
from rules.text import Lang


@lru_cache(maxsize=512)
def _compiled(source: str, names: tuple[str, ...]) -> Expression:
    return compile_expression(source, names)


class ExpressionRule(Rule):
    name = "expression"
    title = {"id": "Rumus instansi", "en": "Agency formula"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "expr": {"type": "string", "minLength": 1, "maxLength": MAX_SOURCE_LENGTH,
                     "description": "The formula, e.g. 0.6*results + 0.3*feedback + 0.1*self."},
            "inputs": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True,
                       "description": "The input names the formula may use."},
            "decimals": {"type": "integer", "minimum": 0, "maximum": 10,
                         "description": "Round a numeric result half up to this many decimals (default: no rounding)."},
        },
        "required": ["expr", "inputs"],
        "additionalProperties": False,
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        bad = [(i, n) for i, n in enumerate(params["inputs"]) if not is_identifier(n)]
        if bad:
            return [ParamProblem(("inputs", i), f"'{n}' cannot be used as a name in a formula: use letters, digits "
                                                f"and _, not starting with a digit, and not a Python keyword")
                    for i, n in bad]
        try:
            _compiled(params["expr"], tuple(params["inputs"]))
        except ExpressionError as exc:
            return [ParamProblem(("expr",), str(exc))]
        return []

    def inputs_for(self, params: Mapping[str, Any]) -> Mapping[str, InputSpec]:
        used = _compiled(params["expr"], tuple(params["inputs"])).names_used
        return {
            name: InputSpec({"id": f"nilai '{name}' dalam rumus", "en": f"the value of '{name}' in the formula"},
                            required=name in used)
            for name in params["inputs"]
        }

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        expression = _compiled(params["expr"], tuple(params["inputs"]))
        values = {name: inputs.get(name) for name in params["inputs"]}
        try:
            value = expression.evaluate(values)
        except ExpressionError as exc:
            raise RuleError(f"the formula {params['expr']!r} cannot be computed with these inputs: {exc}") from None
        places = params.get("decimals")
        if places is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = float(round_half_up(value, places))
        if not _json_ready(value):
            raise RuleError(f"the formula {params['expr']!r} gave a value that cannot be stored: {value!r}")
        shown = {lang: "; ".join(f"{n} = {_show(values[n], lang)}" for n in params["inputs"]
                                 if n in expression.names_used)
                 for lang in ("id", "en")}
        explanation = {
            "id": f"Rumus instansi: {params['expr'].strip()}, dengan {shown['id']}, menghasilkan {_show(value, 'id')}.",
            "en": f"Agency formula: {params['expr'].strip()}, with {shown['en']}, gives {_show(value, 'en')}.",
        }
        if not expression.names_used:
            explanation = {
                "id": f"Rumus instansi: {params['expr'].strip()} menghasilkan {_show(value, 'id')}.",
                "en": f"Agency formula: {params['expr'].strip()} gives {_show(value, 'en')}.",
            }
        return RuleResult(value, explanation)


def _show(value: Any, lang: Lang) -> str:
    if isinstance(value, bool):
        return ("benar" if value else "salah") if lang == "id" else ("true" if value else "false")
    if isinstance(value, (int, float)):
        return fmt(value, lang, 6)
    if isinstance(value, str):
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False, default=str)


def _json_ready(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True
