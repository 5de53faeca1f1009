"""A rule's complaints about a cycle file, as coded messages: its parameters (:class:`rules.ParamProblem`),
an unknown rule name and a guard expression that does not compile (:class:`rules.ExpressionError`).

Rules import nothing from the engine, so they name a problem by a plain code and parameters; this module
turns it into ``Message("rule.<code>", ...)`` with the parameters written for people (a value as
``the text 'x'``, a type as ``a list``, a close name as ``(did you mean 'x'?)``). A rule from outside
Siklus that gives no code, or a code Siklus does not declare, is shown with its own sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.messages import Message
from engine.messages.registry import TEXTS
from engine.validation.words import type_message, value_message


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in params.items():
        if name == "actual":
            out[name] = value_message(value)
        elif name == "types":
            out[name] = type_message(list(value) if isinstance(value, (list, tuple)) else value)
        elif name == "hint":
            out[name] = Message("cycle.did_you_mean", name=str(value)) if value else ""
        elif isinstance(value, (str, int, float, list, tuple)) and not isinstance(value, bool):
            out[name] = list(value) if isinstance(value, tuple) else value
        else:
            out[name] = str(value)
    return out


def coded(code: str, params: Mapping[str, Any], english: str) -> Message:
    """``rule.<code>`` with its parameters, or the rule's own sentence when the code is not declared."""
    full = f"rule.{code}"
    if code and full in TEXTS:
        try:
            return Message(full, **_params(params))
        except (TypeError, ValueError):  # a plugin's odd parameter: its sentence still says it
            pass
    return Message("rule.own_words", text=english)


def param_message(rule: str, where: str, problem: Any) -> Message:
    """A problem with ``rule``'s params at ``where`` (``params.weights``), for every reader."""
    detail = coded(str(getattr(problem, "code", "") or ""), getattr(problem, "params", None) or {},
                   str(getattr(problem, "message", problem)))
    return Message("rule.param_problem", rule=rule, where=where, detail=detail)


def unknown_rule_message(name: str, known: list[str]) -> Message:
    """``unknown rule 'x' (did you mean 'y'?)`` or the list of known rules."""
    from rules.text import closest

    close = closest(name, known)
    if close:
        return Message("rule.unknown_hint", rule=name, hint=close)
    return Message("rule.unknown", rule=name, known=known)


def expression_message(exc: Any) -> Message:
    """A guard expression the compiler refused, for every reader."""
    return coded(str(getattr(exc, "code", "") or ""), getattr(exc, "params", None) or {},
                 str(exc.args[0]) if getattr(exc, "args", None) else str(exc))
