"""What a checkpoint's periodic results read: its entries, and the IKI with the realisations recorded for it.

``checkpoint.indicators`` judge each IKI's realisation for the checkpoint against the target the series
declares (``targets``: the annual one, or the period's share of it, :mod:`engine.checkpoints.targets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.checkpoints.periods import Checkpoint, checkpoints_of
from engine.checkpoints.series import ROOT, result_name
from engine.checkpoints.targets import explanation, period_share, period_target
from engine.definition import CycleDefinition
from engine.facts import Computed, Facts
from engine.models import Appraisal, CheckpointEntry, Realisation, Result


@dataclass
class CheckpointFacts(Facts):
    """What a checkpoint's periodic results read: ``checkpoint.*`` paths, and the appraisal's own.

    ``checkpoint.indicators`` are the IKI with the realisations recorded for this checkpoint (their
    achievements are stored as the checkpoint's ``iki.KEY``); periodic results are stored under the
    checkpoint's name (:func:`engine.checkpoints.series.result_name`).
    """

    checkpoint: Checkpoint | None = None
    entries: dict[str, Any] = field(default_factory=dict)
    _scoped: Facts | None = None

    def prefixed(self, name: str) -> str:
        assert self.checkpoint is not None
        return result_name(self.checkpoint.name, name)

    def scoped_indicators(self) -> list[dict[str, Any]]:
        if self._scoped is None:
            self._scoped = _ScopedFacts(self.session, self.defn, self.appraisal, self.now, self.data,
                                        checkpoint=self.checkpoint)
        rows = self._scoped.indicators_with_achievements()
        self.computed.update(self._scoped.computed)
        return rows

    def resolve(self, path: str) -> Any:
        head, _, rest = path.partition(".")
        if head != "checkpoint":
            return super().resolve(path)
        parts = rest.split(".") if rest else []
        if not parts:
            return None
        if parts[0] == "indicators":
            return self.scoped_indicators()
        if parts[0] == "results":
            return self.result_value(self.prefixed(parts[1])) if len(parts) > 1 else None
        if parts[0] == "report":
            return self.entries.get("report") or None
        value: Any = self.entries.get(parts[0])
        for part in parts[1:]:
            value = value.get(part) if isinstance(value, Mapping) else None
        return value

    def compute_periodic(self) -> None:
        """Compute every periodic result of the checkpoint in declaration order (a missing input waits)."""
        assert self.checkpoint is not None
        for name, spec in self.checkpoint.series.results.items():
            self.evaluate(self.prefixed(name), spec.rule, spec.params, self.resolve_inputs(spec.inputs))


@dataclass
class _ScopedFacts(Facts):
    """The appraisal with only one checkpoint's realisations: achievements named under the checkpoint."""

    checkpoint: Checkpoint | None = None

    def _latest_realisations(self) -> dict[str, float]:
        assert self.checkpoint is not None
        rows = self.session.execute(select(Realisation.indicator_key, Realisation.value).where(
            Realisation.appraisal_id == self.appraisal.id, Realisation.checkpoint == self.checkpoint.name)
            .order_by(Realisation.id))
        return {key: value for key, value in rows}

    def indicator_rows(self) -> list[dict[str, Any]]:
        """The IKI, each with the period's target when the series declares a split (the annual one kept beside)."""
        rows = super().indicator_rows()
        assert self.checkpoint is not None
        run = self.appraisal.run
        share = period_share(self.checkpoint.series.targets, self.checkpoint, run.period_start, run.period_end)
        if share is None:
            return rows
        for row in rows:
            if "annual_target" not in row:
                row["annual_target"], row["target"] = row["target"], period_target(row["target"], share)
                row["_share"] = share
        return rows

    def indicators_with_achievements(self) -> list[dict[str, Any]]:
        """Every IKI's achievement for the checkpoint; against a period target, its explanation says which and why."""
        fresh = "achievements" not in self._cache
        out = super().indicators_with_achievements()
        assert self.checkpoint is not None
        for row in out if fresh else ():
            share = row.pop("_share", None)
            computed = self.computed.get(result_name(self.checkpoint.name, f"iki.{row['id']}"))
            if share is None or computed is None:
                continue
            why = explanation(self.checkpoint.series.targets, row["annual_target"], row["target"], share,
                              self.checkpoint)
            computed.explanation = {lang: f"{why[lang][0].upper()}{why[lang][1:]}. {text}"
                                    for lang, text in computed.explanation.items() if lang in why}
            computed.details = {**computed.details, "annual_target": row["annual_target"],
                                "period_share": [share.part, share.whole, "months" if share.months else "days"],
                                "targets": self.checkpoint.series.targets}
        return out

    def evaluate(self, name: str, rule_name: str, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> Computed:
        assert self.checkpoint is not None
        return super().evaluate(result_name(self.checkpoint.name, name), rule_name, params, inputs)


def entries_of(session: Session, appraisal_id: int, name: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, text, answers in session.execute(
            select(CheckpointEntry.kind, CheckpointEntry.text, CheckpointEntry.answers).where(
                CheckpointEntry.appraisal_id == appraisal_id, CheckpointEntry.checkpoint == name,
                CheckpointEntry.kind != "feedback")):
        out[kind] = text if kind == "report" else dict(answers or {})
    return out


def targets_changed(old: CycleDefinition, new: CycleDefinition) -> list[str]:
    """The series both versions have whose checkpoints read another target in ``new`` (its ``targets`` changed)."""
    return [s.id for s in new.checkpoints
            if (before := old.checkpoint_series(s.id)) is not None and before.targets != s.targets]


def recompute_checkpoints(session: Session, defn: CycleDefinition, appraisal: Appraisal, series_ids: list[str],
                          now: datetime) -> dict[str, Computed]:
    """The periodic results (and IKI achievements) of every checkpoint of the named series that has results stored,
    as ``defn`` computes them now; writes nothing. A move to a version that sets a period against another target
    judges the periods already rated again (engine.migration)."""
    stored = set(session.scalars(select(Result.name).where(Result.appraisal_id == appraisal.id,
                                                           Result.name.like(f"{ROOT}.%"))))
    out: dict[str, Computed] = {}
    run = appraisal.run
    for series_id in series_ids:
        series = defn.checkpoint_series(series_id)
        if series is None:
            continue
        for checkpoint in checkpoints_of(series, run.period_start, run.period_end):
            if not any(name.startswith(result_name(checkpoint.name, "")) for name in stored):
                continue
            facts = CheckpointFacts(session, defn, appraisal, now, dict(appraisal.data or {}), checkpoint=checkpoint,
                                    entries=entries_of(session, appraisal.id, checkpoint.name))
            if series.realisation:
                facts.scoped_indicators()
            facts.compute_periodic()
            out.update(facts.computed)
    return out
