"""``expression``: an agency's own formula, e.g. ``0.6*results + 0.3*feedback + 0.1*self``.

The formula may use only the input names it declares (``inputs``); see :mod:`rules.expression` for
what an expression may contain and why it is safe. Problems in the formula are reported when the
cycle loads (as parameter problems on ``expr`` with their column), not when an employee is scored.

A person reads the result's explanation, never the formula: the cycle may word it in both languages
(``explain: {id: ..., en: ...}``, with ``{name}`` for an input's value and ``{result}`` for the
result); without it the explanation names each input's value and the result in plain words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.expression import MAX_SOURCE_LENGTH, Expression, ExpressionError, compile_expression, is_identifier
from rules.numbers import fmt, round_half_up
from rules.text import Lang

#: A placeholder of the cycle's explanation: ``{kotak}``, ``{result}``.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: The placeholder that stands for the result.
RESULT = "result"


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
            # Its texts are checked by the cycle file's schema (engine/schema/cycle.schema.json,
            # ``explanation``), so that a cycle author is told once; here only their placeholders.
            "explain": {"type": "object",
                        "description": "The explanation a person reads, in Bahasa Indonesia (id) and English (en); "
                                       "{name} is an input's value, {result} the result."},
        },
        "required": ["expr", "inputs"],
        "additionalProperties": False,
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        bad = [(i, n) for i, n in enumerate(params["inputs"]) if not is_identifier(n)]
        if bad:
            return [ParamProblem(("inputs", i), f"'{n}' cannot be used as a name in a formula: use letters, digits "
                                                f"and _, not starting with a digit, and not a Python keyword",
                                 "formula_name", {"name": n})
                    for i, n in bad]
        try:
            _compiled(params["expr"], tuple(params["inputs"]))
        except ExpressionError as exc:
            return [ParamProblem(("expr",), str(exc), exc.code, exc.params)]
        return list(_explain_problems(params))

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
        used = [n for n in params["inputs"] if n in expression.names_used]
        explain = _texts(params)
        if len(explain) == 2:
            explanation = {lang: _fill(explain[lang], values, value, lang) for lang in ("id", "en")}
        elif used:
            explanation = {
                "id": f"Dihitung dengan rumus instansi dari {_listed(used, values, 'id')}; hasilnya "
                      f"{_show(value, 'id')}.",
                "en": f"Worked out with the agency's formula from {_listed(used, values, 'en')}; the result is "
                      f"{_show(value, 'en')}.",
            }
        else:
            explanation = {"id": f"Nilai tetap dari rumus instansi: {_show(value, 'id')}.",
                           "en": f"A fixed value of the agency's formula: {_show(value, 'en')}."}
        return RuleResult(value, explanation)


def _texts(params: Mapping[str, Any]) -> dict[Lang, str]:
    """The cycle's explanation texts by language (both are required where a cycle declares them)."""
    explain = params.get("explain")
    if not isinstance(explain, Mapping):
        return {}
    return {lang: text for lang in ("id", "en") if isinstance(text := explain.get(lang), str) and text.strip()}


def _explain_problems(params: Mapping[str, Any]) -> Iterator[ParamProblem]:
    """Each placeholder of the cycle's explanation names a declared input or the result."""
    known = [*params["inputs"], RESULT]
    for lang, text in _texts(params).items():
        for name in dict.fromkeys(PLACEHOLDER.findall(text)):
            if name not in known:
                yield ParamProblem(("explain", lang), f"'{{{name}}}' names no input of the formula; use "
                                                      + ", ".join(f"{{{n}}}" for n in known),
                                   "explain_placeholder", {"name": f"{{{name}}}", "known": [f"{{{n}}}" for n in known]})


def _fill(template: str, values: Mapping[str, Any], result: Any, lang: Lang) -> str:
    """The cycle's explanation with each placeholder replaced by its value, written for ``lang``."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return _show(result if name == RESULT else values.get(name), lang, quoted=False)
    return PLACEHOLDER.sub(value, template)


def _listed(names: list[str], values: Mapping[str, Any], lang: Lang) -> str:
    """``kotak = 8`` for each input, joined as the language joins a list."""
    parts = [f"{n} = {_show(values[n], lang)}" for n in names]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + (" dan " if lang == "id" else " and ") + parts[-1]


def _show(value: Any, lang: Lang, *, quoted: bool = True) -> str:
    if value is None:
        return "tidak ada" if lang == "id" else "none"
    if isinstance(value, bool):
        return ("ya" if value else "tidak") if lang == "id" else ("yes" if value else "no")
    if isinstance(value, (int, float)):
        return fmt(value, lang, 6)
    if isinstance(value, str):
        return f"«{value}»" if quoted else value
    if isinstance(value, list):
        return ", ".join(_show(v, lang, quoted=quoted) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _json_ready(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True
