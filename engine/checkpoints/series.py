"""What rules read of the checkpoints: the ``checkpoints`` input root.

``checkpoints.SERIES[*].PART...`` reads every checkpoint of a series in order, as a list of
``{period, label, value}`` (the shape of ``history.results.NAME``, so the ``trend`` rule reads the
within-year trend); ``checkpoints.SERIES[N].PART...`` reads the N-th (counted from 1: ``triwulan[1]``
is Triwulan I) and ``checkpoints.SERIES[latest].PART...`` the last checkpoint that has a value there.
``PART`` is one of:

- ``results.NAME``: the checkpoint's periodic result (``checkpoints.triwulan[*].results.predikat``);
- ``rating.KEY...``: the rater's periodic rating (``checkpoints.triwulan[*].rating.rating_hasil_kerja``);
- ``realisations.IKI``: the realisation of an IKI recorded for the checkpoint (the latest one);
- ``self_assessment.QUESTION``: the employee's answer;
- ``report``: the employee's report text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.checkpoints.periods import Checkpoint, checkpoints_of
from engine.definition import CheckpointDef, CycleDefinition
from engine.models import Appraisal, CheckpointEntry, Realisation
from engine.vocabulary import CHECKPOINT_SERIES_PARTS, CHECKPOINTS_ROOT
from engine.vocabulary import parse_checkpoint_selector as parse_selector

ROOT = CHECKPOINTS_ROOT
#: What a checkpoint holds for rules, after its selector (declared in :mod:`engine.vocabulary`).
PARTS = CHECKPOINT_SERIES_PARTS


def result_name(checkpoint: str, name: str) -> str:
    """The stored result name of a checkpoint's periodic result: ``checkpoints.triwulan.2026-Q1.predikat``."""
    return f"{ROOT}.{checkpoint}.{name}"


def run_checkpoints(defn: CycleDefinition, appraisal: Appraisal) -> list[Checkpoint]:
    """Every checkpoint of every series of the appraisal's run, series by series, in order."""
    run = appraisal.run
    return [c for series in defn.checkpoints for c in checkpoints_of(series, run.period_start, run.period_end)]


@dataclass
class CheckpointReader:
    """Reads an appraisal's checkpoint entries, realisations and periodic results (each table once)."""

    session: Session
    defn: CycleDefinition
    appraisal: Appraisal
    result_value: Callable[[str], Any]
    _entries: dict[str, dict[str, Any]] | None = None
    _realised: dict[str, dict[str, float]] | None = None
    _series: dict[str, list[Checkpoint]] = field(default_factory=dict)

    def checkpoints(self, series: CheckpointDef) -> list[Checkpoint]:
        if series.id not in self._series:
            run = self.appraisal.run
            self._series[series.id] = checkpoints_of(series, run.period_start, run.period_end)
        return self._series[series.id]

    def entries(self) -> dict[str, dict[str, Any]]:
        """{checkpoint: {kind: answers or text}} of the single entries (report, rating, self-assessment)."""
        if self._entries is None:
            self._entries = {}
            rows = self.session.execute(
                select(CheckpointEntry.checkpoint, CheckpointEntry.kind, CheckpointEntry.text, CheckpointEntry.answers)
                .where(CheckpointEntry.appraisal_id == self.appraisal.id, CheckpointEntry.kind != "feedback")
                .order_by(CheckpointEntry.id))  # a later entry of the same kind is the one that counts
            self._entries = single_entries(rows)
        return self._entries

    def realised(self) -> dict[str, dict[str, float]]:
        """{checkpoint: {IKI: the latest realisation recorded for it}}."""
        if self._realised is None:
            latest = (select(func.max(Realisation.id).label("last"))
                      .where(Realisation.appraisal_id == self.appraisal.id, Realisation.checkpoint.is_not(None))
                      .group_by(Realisation.checkpoint, Realisation.indicator_key).subquery())
            self._realised = {}
            rows = self.session.execute(select(Realisation.checkpoint, Realisation.indicator_key, Realisation.value)
                                        .join(latest, Realisation.id == latest.c.last))
            for checkpoint, key, value in rows:
                if checkpoint is not None:  # always: only checkpoint rows are read
                    self._realised.setdefault(checkpoint, {})[key] = value
        return self._realised

    def part(self, checkpoint: Checkpoint, parts: list[str]) -> Any:
        """The value at ``parts`` (``results.predikat``...) of one checkpoint; None when there is none yet."""
        if not parts:
            return None
        head, rest = parts[0], parts[1:]
        if head == "results":
            return _walk(self.result_value(result_name(checkpoint.name, rest[0])), rest[1:]) if rest else None
        if head == "realisations":
            return _walk(self.realised().get(checkpoint.name, {}), rest)
        if head == "report":
            return self.entries().get(checkpoint.name, {}).get("report") or None
        if head in ("rating", "self_assessment"):
            return _walk(self.entries().get(checkpoint.name, {}).get(head), rest)
        return None

    def resolve(self, parts: list[str]) -> Any:
        """The value of ``checkpoints.<parts>``; None for a path that reads nothing (the validator names it)."""
        selector = parse_selector(parts[0]) if parts else None
        if selector is None:
            return None
        series = self.defn.checkpoint_series(selector[0])
        if series is None:
            return None
        found = self.checkpoints(series)
        which, rest = selector[1], parts[1:]
        if which == "*":
            return [{"period": c.key, "label": c.label.id, "value": self.part(c, rest)} for c in found]
        if which == "latest":
            for checkpoint in reversed(found):
                value = self.part(checkpoint, rest)
                if value is not None:
                    return value
            return None
        index = int(which) - 1
        return self.part(found[index], rest) if index < len(found) else None


def single_entries(rows: Iterable[tuple[Any, Any, Any, Any]]) -> dict[str, dict[str, Any]]:
    """{checkpoint: {kind: answers or text}} of (checkpoint, kind, text, answers) rows in the order written: the
    report's text, a rating's or self-assessment's answers, the latest of each kind; feedback is not single."""
    out: dict[str, dict[str, Any]] = {}
    for checkpoint, kind, text, answers in rows:
        if kind != "feedback":
            out.setdefault(str(checkpoint), {})[str(kind)] = text if kind == "report" else dict(answers or {})
    return out


def _walk(value: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value
