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
rule gives is reported (``audit.replay_result``), with both values.

The work side follows the same way, one step at a time: each IKI's achievement (``iki.<id>``) from the
latest realisation and the target the chain records (an IKI the cycle fixes with no inputs of its own, or
one of the employee's SKP), and the work-results rating from the recorded achievements and the weights
(for :data:`ACHIEVEMENT_RULES`, which read nothing of an IKI but those).

Checkpoints too are read from the chain (their entries, realisations and periodic results; the series'
periods follow from the run's bounds), so an annual rating from the rater's quarterly ratings is judged.

A result that reads anything else (feedback, the unit, history, a value the system feeds, the clock) is not
computed again here: its inputs are rows outside the chain or change without an event. A rule that is not
installed where verify runs cannot be judged and is left alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.audit_findings import Finding, finding
from engine.checkpoints.periods import find_checkpoint
from engine.checkpoints.series import ROOT as CHECKPOINTS_ROOT
from engine.checkpoints.series import CheckpointReader, single_entries
from engine.checkpoints.targets import period_share, period_target
from engine.definition import CycleDefinition, ResultDef
from engine.facts import resolve_inputs, walk_path, with_row_params
from engine.provenance import system_source
from rules.base import RuleError
from rules.registry import UnknownRuleError, get_rule

#: The input roots whose every value the chain holds: saved payloads, recorded results, and the checkpoints'
#: entries, realisations and periodic results (the series' periods follow from the run's bounds).
CHAIN_ROOTS = frozenset({"data", "results", CHECKPOINTS_ROOT})
#: The path of every IKI with its achievement, and the rules that read of it only each IKI's id, achievement and
#: weight (recorded results and the SKP the chain holds).
INDICATORS = "indicators"
ACHIEVEMENT_RULES = frozenset({"work_results_rating"})
#: The prefix of an IKI's achievement among the results (engine.facts).
IKI_PREFIX = "iki."


def _paths(spec: Any) -> list[str]:
    if isinstance(spec, (int, float, bool)):
        return []
    return [p for p in (spec if isinstance(spec, list) else [spec]) if isinstance(p, str)]


def follows_from_chain(spec: ResultDef) -> bool:
    """Whether every input of ``spec`` is a constant or a path under :data:`CHAIN_ROOTS` (or the IKI list, for a
    rule of :data:`ACHIEVEMENT_RULES`)."""
    for value in spec.inputs.values():
        if not isinstance(value, (int, float, bool, str, list)):
            return False
        for path in _paths(value):
            if path == INDICATORS and spec.rule in ACHIEVEMENT_RULES:
                continue
            if path.partition(".")[0] not in CHAIN_ROOTS:
                return False
        if isinstance(value, list) and not all(isinstance(p, str) for p in value):
            return False
    return True


@dataclass(frozen=True)
class ChainView:
    """What the chain says of an appraisal just after one of its events: its saved payloads, results, own SKP
    indicators (by key), realisations and checkpoint entries (in order), and its run's bounds (None: unknown)."""

    data: Mapping[str, Any]
    results: Mapping[str, Mapping[str, Any]]
    indicators: Mapping[str, Mapping[str, Any]]
    realisations: Sequence[Mapping[str, Any]]
    entries: Sequence[Mapping[str, Any]] = ()
    bounds: tuple[datetime, datetime] | None = None

    def value(self, name: str) -> Any:
        return (self.results.get(name) or {}).get("value")

    def latest_realisation(self, key: str) -> Any:
        """The value of the IKI's last realisation, as engine.facts reads the latest row."""
        for row in reversed(self.realisations):
            if row.get("indicator_key") == key:
                return row.get("value")
        return None


def _achievements(definition: CycleDefinition, chain: ChainView) -> list[dict[str, Any]]:
    """Every IKI with its recorded achievement and weight: the cycle's fixed ones, then the employee's own."""
    rows = [{"id": ind.id, "weight": ind.weight, "achievement": chain.value(IKI_PREFIX + ind.id)}
            for ind in definition.indicators]
    if definition.skp.employee_indicators:
        own = sorted(chain.indicators.items(), key=lambda item: (item[1].get("position") or 0))
        rows += [{"id": key, "weight": fields.get("weight"), "achievement": chain.value(IKI_PREFIX + key)}
                 for key, fields in own]
    return rows


@dataclass(frozen=True)
class _Run:
    period_start: datetime
    period_end: datetime


@dataclass(frozen=True)
class _Bounded:
    run: _Run


class _ChainCheckpoints(CheckpointReader):
    """The checkpoint reader of :mod:`engine.checkpoints.series`, reading the chain instead of the tables."""

    def __init__(self, definition: CycleDefinition, chain: ChainView, bounds: tuple[datetime, datetime]) -> None:
        super().__init__(None, definition, _Bounded(_Run(*bounds)), chain.value)  # type: ignore[arg-type]
        self.chain = chain

    def entries(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = single_entries((row.get("checkpoint"), row.get("kind"), row.get("text"), row.get("answers"))
                                           for row in self.chain.entries)
        return self._entries

    def realised(self) -> dict[str, dict[str, float]]:
        if self._realised is None:
            self._realised = {}
            for row in self.chain.realisations:
                if row.get("checkpoint") is not None:
                    self._realised.setdefault(str(row["checkpoint"]), {})[str(row.get("indicator_key"))] = \
                        row.get("value")  # type: ignore[assignment]
        return self._realised


class _Unprovable(Exception):
    """A path the chain view cannot read here (a checkpoint series of a run whose bounds are unknown)."""


def _resolve(path: str, definition: CycleDefinition, chain: ChainView) -> Any:
    """A chain path's value, as :class:`engine.facts.Facts` resolves it on the live rows."""
    if path == INDICATORS:
        return _achievements(definition, chain)
    head, _, rest = path.partition(".")
    parts = rest.split(".") if rest else []
    if head == CHECKPOINTS_ROOT:
        if chain.bounds is None:
            raise _Unprovable(path)
        return _ChainCheckpoints(definition, chain, chain.bounds).resolve(parts)
    if head == "data":
        return walk_path(chain.data, parts)
    if not parts:
        return {name: chain.value(name) for name in definition.results}
    return walk_path(chain.value(parts[0]), parts[1:])


def _inputs(spec: ResultDef, definition: CycleDefinition, chain: ChainView) -> dict[str, Any]:
    """The rule's inputs as the engine resolves them, read from the chain."""
    return resolve_inputs(spec.inputs, lambda path: _resolve(path, definition, chain))


def _achievement_rule(definition: CycleDefinition, key: str,
                      chain: ChainView) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """The rule, parameters and inputs of IKI ``key``'s achievement as :class:`engine.facts.Facts` builds them, or
    None when the chain does not hold them (an IKI the system feeds, or with inputs of its own, or unknown)."""
    fixed = next((ind for ind in definition.indicators if ind.id == key), None)
    if fixed is not None:
        if system_source(fixed) is not None or fixed.inputs:
            return None
        rule_name, params, row = fixed.rule, dict(fixed.params), {"aspect": fixed.aspect, "target": fixed.target}
    elif definition.skp.employee_indicators and key in chain.indicators:
        own = chain.indicators[key]
        rule_name, params, row = definition.skp.rule, dict(definition.skp.params), dict(own)
    else:
        return None
    return (rule_name, with_row_params(rule_name, params, row),
            {"realisation": chain.latest_realisation(key), "target": row.get("target")})


def _period_achievement_rule(definition: CycleDefinition, name: str,
                             chain: ChainView) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """A checkpoint's IKI achievement (``checkpoints.SERIES.KEY.iki.ID``) as the checkpoint's facts build it: the
    realisation recorded for the checkpoint against the target its series declares (the annual one, or the period's
    share of it, engine.checkpoints.targets); None when the chain does not hold what it reads."""
    head, _, rest = name.partition(".")
    series_id, _, rest = rest.partition(".")
    key, marker, indicator = rest.partition("." + IKI_PREFIX)
    series = definition.checkpoint_series(series_id) if head == CHECKPOINTS_ROOT and marker else None
    if series is None or chain.bounds is None:
        return None
    checkpoint = find_checkpoint(series, *chain.bounds, key)
    built = _achievement_rule(definition, indicator, chain)
    if checkpoint is None or built is None:
        return None
    rule_name, params, inputs = built
    realised = [row.get("value") for row in chain.realisations
                if row.get("checkpoint") == checkpoint.name and row.get("indicator_key") == indicator]
    share = period_share(series.targets, checkpoint, *chain.bounds)
    target = period_target(inputs["target"], share) if share is not None else inputs["target"]
    return rule_name, params, {"realisation": realised[-1] if realised else None, "target": target}


def _same(recorded: Any, computed: Any) -> bool:
    """Equal as the chain stores values (JSON): 3 and 3.0 alike, a tuple as a list."""
    if recorded == computed and type(recorded) is type(computed) or recorded is None and computed is None:
        return True
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
    # What each rule gave for inputs already seen (the same achievement is carried by every later realisation
    # event, the same matrix by thousands of appraisals); cleared when it grows past MEMO_LIMIT.
    _memo: dict[str, Any] = field(default_factory=dict)

    def _specs(self, content_hash: str, definition: CycleDefinition) -> tuple[tuple[str, ResultDef], ...]:
        found = self._checkable.get(content_hash)
        if found is None:
            found = self._checkable[content_hash] = tuple(
                (name, spec) for name, spec in definition.results.items() if follows_from_chain(spec))
        return found

    def check(self, definition: CycleDefinition | None, content_hash: str | None, seq: int,
              carried: Mapping[str, Any], chain: ChainView) -> list[Finding]:
        """Findings for the results of ``carried`` (an event's ``results``) that the rule, given what ``chain``
        holds just after the event, does not give."""
        if definition is None or content_hash is None:
            return []
        problems: list[Finding] = []
        for name in carried:
            if name.startswith(IKI_PREFIX):
                built = _achievement_rule(definition, name[len(IKI_PREFIX):], chain)
                if built is not None:
                    problems += self._judged(seq, name, carried[name], *built)
            elif name.startswith(CHECKPOINTS_ROOT + ".") and "." + IKI_PREFIX in name:
                built = _period_achievement_rule(definition, name, chain)
                if built is not None:
                    problems += self._judged(seq, name, carried[name], *built)
        for name, spec in self._specs(content_hash, definition):
            if name in carried:
                try:
                    inputs = _inputs(spec, definition, chain)
                except _Unprovable:
                    continue
                problems += self._judged(seq, name, carried[name], spec.rule, dict(spec.params), inputs)
        return problems

    def _judged(self, seq: int, name: str, recorded: Any, rule_name: str, params: dict[str, Any],
                inputs: Mapping[str, Any]) -> list[Finding]:
        """A finding when rule ``rule_name`` does not give the ``recorded`` result from ``inputs``; none when it
        does or when the rule is not installed here."""
        recorded_value = recorded.get("value") if isinstance(recorded, Mapping) else recorded
        present = {k: v for k, v in inputs.items() if v is not None}
        # The inputs are built the same way each time (definition order), so their text is a fair key.
        key = repr((rule_name, params, present))
        if key in self._memo:
            computed = self._memo[key]
        else:
            try:
                rule = get_rule(rule_name)
            except UnknownRuleError:
                return []
            computed = _computed(rule, params, present)
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = computed
        if _same(recorded_value, computed):
            return []
        return [finding("audit.replay_result", seq=seq, result=name, recorded=_shown(recorded_value),
                        computed=_shown(computed))]


#: How many rule outcomes :class:`ResultRecheck` keeps at most.
MEMO_LIMIT = 20_000


def _computed(rule: Any, params: Mapping[str, Any], present: Mapping[str, Any]) -> Any:
    """The value ``rule`` gives, as engine.facts.Facts.evaluate records it: None when it cannot compute."""
    try:
        return rule.evaluate(params, present).value
    except RuleError:
        return None
    except Exception:  # noqa: BLE001 - inputs no firing could have passed: the rule gives nothing
        return None


__all__ = ["ACHIEVEMENT_RULES", "CHAIN_ROOTS", "ChainView", "ResultRecheck", "follows_from_chain"]
