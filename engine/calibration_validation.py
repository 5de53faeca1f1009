"""What ``siklus validate`` checks of a ``calibration:`` guard beyond the JSON Schema.

A calibration guard holds a transition to the unit's organisation predicate (engine.calibration_guard).
It needs the employees' predicates, so the cycle either names the result holding them (``predicate``) or
declares a result whose rule computes an employee predicate (``predicate_matrix``); its ``limits``, when
given, must be limits the calibration rule accepts (rules are asked by what they declare, rules.base).
Reads the parsed YAML defensively (the schema reports wrong types) and imports no SQLAlchemy, like the
rest of engine.validation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from engine.messages import Message
from engine.rule_problems import coded
from rules import CALIBRATION, EMPLOYEE_PREDICATE, computes, rules_computing

#: A location in the cycle file (keys and list positions), a sentence for the author (English, for logs)
#: and the same as a coded message.
Located = tuple[tuple[str | int, ...], str, Message]

def calibration_guards(data: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    """(path of the ``calibration`` mapping, the mapping) of every calibration guard in the file."""
    transitions = data.get("transitions")
    for i, transition in enumerate(transitions if isinstance(transitions, list) else []):
        guards = transition.get("guards") if isinstance(transition, dict) else None
        for j, guard in enumerate(guards if isinstance(guards, list) else []):
            if isinstance(guard, dict) and isinstance(guard.get("calibration"), dict):
                yield ("transitions", i, "guards", j, "calibration"), guard["calibration"]


def calibration_guard_problems(data: Mapping[str, Any]) -> list[Located]:
    """Every problem with the file's calibration guards, located for the validator's report."""
    found = list(calibration_guards(data))
    if not found:
        return []
    raw = data.get("results")
    results: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    predicates = [name for name, spec in results.items()
                  if isinstance(spec, dict) and computes(str(spec.get("rule")), EMPLOYEE_PREDICATE)]
    problems: list[Located] = []
    for path, guard in found:
        name = guard.get("predicate")
        if name is None:
            if not predicates:
                problems.append((path, "a calibration guard needs the employees' predicates: declare a result with "
                                       "rule 'predicate_matrix' (or another rule that computes an employee "
                                       "predicate) or name the result that holds them in 'predicate'",
                                 Message("cycle.calibration_predicates")))
        elif isinstance(name, str) and name not in results:
            known = ", ".join(predicates or list(results)) or "none"
            problems.append((path + ("predicate",), f"calibration guard: unknown result '{name}' (results that hold a "
                                                   f"predicate: {known})",
                             Message("cycle.calibration_result", name=name,
                                     known=(predicates or list(results)) or Message("cycle.none"))))
        limits = guard.get("limits")
        if isinstance(limits, dict):
            problems.extend(_limit_problems(path + ("limits",), limits))
    return problems


def _limit_problems(path: tuple[str | int, ...], limits: Mapping[str, Any]) -> list[Located]:
    """The calibration rule's own complaints about ``limits``, at the place in the file they are about."""
    problems: list[Located] = []
    for problem in rules_computing(CALIBRATION)[0].validate_params({"limits": dict(limits)}):
        inner = tuple(getattr(problem, "path", ()) or ())
        where = inner[1:] if inner[:1] == ("limits",) else inner
        problems.append((path + where, f"calibration guard limits: {problem.message}",
                         Message("cycle.calibration_limits", detail=coded(problem.code, problem.params,
                                                                          problem.message))))
    return problems


__all__ = ["calibration_guard_problems", "calibration_guards"]
