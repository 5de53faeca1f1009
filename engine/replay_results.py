"""Outcomes that follow from recorded decisions: replay computes again the results the chain can prove.

The keyed hash proves Siklus wrote an event; it does not prove that the predicate an event carries is the
one the cycle's rule gives for the ratings recorded with it. Replay therefore computes again, at each event
that carries results, every result of the appraisal's cycle version that reads only what the chain holds:

- ``data.*``, the payloads transitions kept (the rater's ratings, the appeal decision, ...), as replayed up
  to and including the event;
- ``results.*``, the appraisal's other results as the chain recorded them (the work-results rating the
  event carries, say);
- constants.

The predicate (``predicate_matrix`` of the two ratings), the final predicate after an appeal, a behaviour
rating from the rater's scores, a discipline category: an event whose recorded value differs from what the
rule gives is reported (``audit.replay_result``), with both values. A result that reads anything else (IKI
achievements, feedback, the unit, history, checkpoints, the clock) is not computed again here: its inputs
are rows outside the chain or change without an event. A rule that is not installed where verify runs
cannot be judged and is left alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.audit_findings import Finding, finding
from engine.definition import CycleDefinition, ResultDef
from engine.facts import walk_path
from rules.base import RuleError
from rules.registry import UnknownRuleError, get_rule

#: The input roots whose every value the chain holds.
CHAIN_ROOTS = frozenset({"data", "results"})


def _paths(spec: Any) -> list[str]:
    if isinstance(spec, (int, float, bool)):
        return []
    return [p for p in (spec if isinstance(spec, list) else [spec]) if isinstance(p, str)]


def follows_from_chain(spec: ResultDef) -> bool:
    """Whether every input of ``spec`` is a constant or a path under :data:`CHAIN_ROOTS`."""
    for value in spec.inputs.values():
        if not isinstance(value, (int, float, bool, str, list)):
            return False
        for path in _paths(value):
            if path.partition(".")[0] not in CHAIN_ROOTS:
                return False
        if isinstance(value, list) and not all(isinstance(p, str) for p in value):
            return False
    return True


def _resolve(path: str, data: Mapping[str, Any], results: Mapping[str, Mapping[str, Any]],
             names: tuple[str, ...]) -> Any:
    """A chain path's value, as :class:`engine.facts.Facts` resolves it on the live rows."""
    head, _, rest = path.partition(".")
    parts = rest.split(".") if rest else []
    if head == "data":
        return walk_path(data, parts)
    if not parts:
        return {name: (results.get(name) or {}).get("value") for name in names}
    return walk_path((results.get(parts[0]) or {}).get("value"), parts[1:])


def _inputs(spec: ResultDef, data: Mapping[str, Any], results: Mapping[str, Mapping[str, Any]],
            names: tuple[str, ...]) -> dict[str, Any]:
    """The rule's inputs as :meth:`engine.facts.Facts.resolve_inputs` gives them: the first path with a value."""
    out: dict[str, Any] = {}
    for name, value in spec.inputs.items():
        if isinstance(value, (int, float, bool)):
            out[name] = value
            continue
        found = None
        for path in _paths(value):
            found = _resolve(path, data, results, names)
            if found is not None:
                break
        if found is not None:
            out[name] = found
    return out


def _same(recorded: Any, computed: Any) -> bool:
    """Equal as the chain stores values (JSON): 3 and 3.0 alike, a tuple as a list."""
    if isinstance(recorded, float) and isinstance(computed, float) and math.isnan(recorded) and math.isnan(computed):
        return True
    try:
        return bool(json.loads(json.dumps(recorded)) == json.loads(json.dumps(computed)))
    except (TypeError, ValueError):
        return False


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:80] + "…"


@dataclass
class ResultRecheck:
    """Computes again the chain-provable results an event carries, each cycle version's list found once."""

    _checkable: dict[str, tuple[tuple[str, ResultDef], ...]] = field(default_factory=dict)

    def _specs(self, content_hash: str, definition: CycleDefinition) -> tuple[tuple[str, ResultDef], ...]:
        found = self._checkable.get(content_hash)
        if found is None:
            found = self._checkable[content_hash] = tuple(
                (name, spec) for name, spec in definition.results.items() if follows_from_chain(spec))
        return found

    def check(self, definition: CycleDefinition | None, content_hash: str | None, seq: int,
              carried: Mapping[str, Any], data: Mapping[str, Any],
              results: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
        """Findings for the results of ``carried`` (an event's ``results``) that the rule, given ``data`` and
        ``results`` as the chain holds them after the event, does not give."""
        if definition is None or content_hash is None:
            return []
        problems: list[Finding] = []
        names = tuple(definition.results)
        for name, spec in self._specs(content_hash, definition):
            if name not in carried:
                continue
            recorded = carried[name]
            recorded_value = recorded.get("value") if isinstance(recorded, Mapping) else recorded
            try:
                rule = get_rule(spec.rule)
            except UnknownRuleError:
                continue
            present = {k: v for k, v in _inputs(spec, data, results, names).items() if v is not None}
            try:
                computed = rule.evaluate(spec.params, present).value
            except RuleError:
                computed = None  # as engine.facts.Facts.evaluate records a rule that cannot compute
            except Exception:  # noqa: BLE001 - inputs no firing could have passed: the rule gives nothing
                computed = None
            if not _same(recorded_value, computed):
                problems.append(finding("audit.replay_result", seq=seq, result=name, recorded=_shown(recorded_value),
                                        computed=_shown(computed)))
        return problems


__all__ = ["CHAIN_ROOTS", "ResultRecheck", "follows_from_chain"]
