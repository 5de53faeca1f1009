"""Indicator rules for Siklus: one plugin interface, the built-in rules, and safe expressions.

Rules are found through the ``siklus.rules`` entry-point group (see :mod:`rules.registry`); the
interface is in :mod:`rules.base`; expressions for agency formulas and transition guards are in
:mod:`rules.expression`. Nothing here imports the engine or the web layer.
"""

from rules.base import CALIBRATION, EMPLOYEE_PREDICATE, KINDS, InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.expression import Expression, ExpressionError, compile_expression
from rules.registry import (
    RuleRegistryError,
    UnknownRuleError,
    all_rules,
    computes,
    get_rule,
    labels_of,
    row_params_of,
    rules_computing,
)

__all__ = [
    "CALIBRATION",
    "EMPLOYEE_PREDICATE",
    "KINDS",
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
    "computes",
    "get_rule",
    "labels_of",
    "row_params_of",
    "rules_computing",
]
