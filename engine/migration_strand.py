"""Stranding: whether an appraisal moved to a state of another cycle version can still leave it, and if not,
why (as messages a person reads in their language: each way out and what it lacks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.definition import CycleDefinition
from engine.messages import Label, Message, one_of
from rules import RuleError, get_rule


@dataclass
class Holdings:
    """What an appraisal has that a rule may need: saved data, stored results, realised indicators."""

    data: set[str]
    results: set[str]
    unrealised: list[str]


def _needs_met(rule_name: str, params: Mapping[str, Any], inputs: Mapping[str, Any], data: set[str],
               results: set[str], indicators_ready: bool, labels: Mapping[str, Any]) -> list[Any]:
    """The required inputs of a rule the appraisal cannot give it (as paths); empty when all can be."""
    try:
        specs = get_rule(rule_name).inputs_for(params)
    except (RuleError, KeyError, LookupError):
        return []
    unmet = []
    for name, spec in specs.items():
        if not spec.required or name not in inputs:
            continue
        given = inputs[name]
        paths = [p for p in (given if isinstance(given, list) else [given])]
        if any(not isinstance(p, str) or _path_available(p, data, results, indicators_ready) for p in paths):
            continue
        unmet.append(one_of([_path_label(str(p), labels) for p in paths]))
    return unmet


# What a rule input path names, for people (English keeps the path, as the cycle file writes it).
_INDICATORS = {"id": "realisasi IKI", "en": "indicator realisations"}


def _path_label(path: str, labels: Mapping[str, Any]) -> Label:
    head, _, rest = path.partition(".")
    key = rest.split(".")[0]
    if head == "results" and key in labels:
        return Label(path, labels[key])
    if head == "indicators":
        return Label(path, _INDICATORS)
    if head == "data":
        return Label(path, {"id": f"data tersimpan {key}", "en": f"saved data {key}"})
    return Label(path, None)


def _path_available(path: str, data: set[str], results: set[str], indicators_ready: bool) -> bool:
    head, _, rest = path.partition(".")
    key = rest.split(".")[0]
    if head == "data":
        return key in data
    if head == "results":
        return key in results
    if head == "indicators":
        return indicators_ready
    return True  # payload, employee, feedback, unit, history...: supplied by the firer or the system


def strand_reasons(defn: CycleDefinition, state: str, have: Holdings) -> tuple[Message, ...]:
    """Why none of the ways out of ``state`` can be taken with what the appraisal has; empty if one can."""
    spec = defn.states[state]
    exits = defn.transitions_from(state)
    if spec.final or not exits:
        return ()
    recordable = any("realisation" in kinds for kinds in spec.edit.values())
    indicators_ready = not have.unrealised or recordable
    result_labels = {n: r.label for n, r in defn.results.items()}
    reasons = []
    for t in exits:
        data = have.data | ({t.save_as} if t.save_as else set())
        results = set(have.results)
        problems = []
        for g in t.guards:
            if g.rule:
                problems += [Message("migration.needs_condition", needs=u)
                             for u in _needs_met(g.rule, g.params, g.inputs, data, results, indicators_ready,
                                        result_labels)]
        for action in defn.states[t.dest].on_enter:
            for name in action.names:
                result = defn.results[name]
                unmet = _needs_met(result.rule, result.params, result.inputs, data, results, indicators_ready,
                                   result_labels)
                if not unmet:
                    results.add(name)
                elif action.require:
                    problems.append(Message("migration.needs_result", result=Label(name, result.label), needs=unmet))
        if not problems:
            return ()
        reasons.append(Message("migration.exit_blocked", trigger=Label(t.trigger, t.label),
                               problems=semicolons(problems)))
    if have.unrealised and not recordable:
        reasons.append(Message("migration.unrecordable", indicators=list(have.unrealised),
                               state=Label(state, spec.label)))
    return tuple(reasons)


def semicolons(parts: Sequence[Message]) -> Message:
    """Phrases as one message, joined with semicolons (a list parameter is joined with commas)."""
    joined = parts[-1]
    for part in reversed(parts[:-1]):
        joined = Message("migration.and", first=part, rest=joined)
    return joined
