"""Indicator rules for Siklus: one plugin interface, the built-in rules, and safe expressions.

Rules are found through the ``siklus.rules`` entry-point group (see :mod:`rules.registry`); the
interface is in :mod:`rules.base`; expressions for agency formulas and transition guards are in
:mod:`rules.expression`. Nothing here imports the engine or the web layer.
"""

from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.expression import Expression, ExpressionError, compile_expression
from rules.registry import RuleRegistryError, UnknownRuleError, all_rules, get_rule

__all__ = [
    "Expression",
    "ExpressionError",
    "InputSpec",
    "ParamProblem",
    "Rule",
    "RuleError",
    "RuleRegistryError",
    "RuleResult",
    "UnknownRuleError",
    "all_rules",
    "compile_expression",
    "get_rule",
]
