"""The public survey's IKM (indeks kepuasan masyarakat) of a service unit, from its stored answers.

The survey's elements and scale are the ``ikm`` rule's (PermenPAN-RB 14/2017); :func:`unit_ikm` gathers the answers
of a unit over a period and asks the rule. Cycles read it through the input path ``unit.ikm`` (see
:mod:`engine.facts`). Storing an answer is :mod:`engine.public_feedback`'s, which re-exports these names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import FeedbackResponse
from rules import get_rule

WINDOW = "ikm"
ROLE = "masyarakat"
#: The rule that computes the index from the answers; it declares the survey's elements and scale.
IKM_RULE = "ikm"
#: The input of :data:`IKM_RULE` that takes the answers.
IKM_INPUT = "responses"


@dataclass(frozen=True)
class Survey:
    """The public survey as the IKM rule declares it: element keys U1... in the regulation's order
    (U1 Persyaratan ... U9 Sarana dan prasarana), each element's name, and the answers, worst first."""

    keys: tuple[str, ...]
    names: tuple[Mapping[str, str], ...]
    scale: tuple[int, ...]
    #: Per element, the words of each answer on the scale, worst first (PermenPAN-RB 14/2017).
    answer_words: tuple[tuple[Mapping[str, str], ...], ...] = ()


@cache
def survey() -> Survey:
    """The survey's elements, scale and answer words, read once from the IKM rule's declared input."""
    spec = get_rule(IKM_RULE).inputs[IKM_INPUT]
    return Survey(tuple(f"U{i}" for i in range(1, len(spec.elements) + 1)), spec.elements, spec.scale,
                  spec.answer_words)


@dataclass(frozen=True)
class UnitIkm:
    """The ``ikm`` rule's result for one unit over one period."""

    unit_id: int
    respondents: int
    ikm: float | None                      # None while the rule waits for respondents
    grade: str | None                      # A-D
    performance: str | None                # Sangat Baik ... Tidak Baik
    element_means: tuple[float, ...] = ()  # U1..U9
    explanation: Mapping[str, str] = field(default_factory=dict)


def _answer_lists(rows: Iterable[tuple[int, Any]]) -> dict[int, list[list[int]]]:
    """Answers per unit as the rule takes them (nine numbers in element order); malformed rows are skipped."""
    by_unit: dict[int, list[list[int]]] = {}
    for unit_id, answers in rows:
        if isinstance(answers, Mapping):
            values = [answers.get(k) for k in survey().keys]
            if all(isinstance(v, int) and not isinstance(v, bool) and v in survey().scale for v in values):
                by_unit.setdefault(unit_id, []).append(values)  # type: ignore[arg-type]
    return by_unit


def units_ikm(session: Session, unit_ids: Iterable[int], period_start: datetime, period_end: datetime,
              *, min_respondents: int = 1) -> dict[int, UnitIkm]:
    """The IKM of each unit from public answers given from period_start to period_end (both included).

    One query for all units.
    """
    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    rows = session.execute(select(FeedbackResponse.unit_id, FeedbackResponse.answers).where(
        FeedbackResponse.unit_id.in_(ids), FeedbackResponse.appraisal_id.is_(None),
        FeedbackResponse.window == WINDOW, FeedbackResponse.role == ROLE,
        FeedbackResponse.created_at >= period_start, FeedbackResponse.created_at <= period_end))
    by_unit = _answer_lists(rows)
    rule = get_rule(IKM_RULE)
    out: dict[int, UnitIkm] = {}
    for unit_id in ids:
        responses = by_unit.get(unit_id, [])
        result = rule.evaluate({"min_respondents": min_respondents}, {IKM_INPUT: responses})
        details = result.details
        out[unit_id] = UnitIkm(
            unit_id=unit_id, respondents=len(responses), ikm=result.value,
            grade=details.get("grade"), performance=details.get("performance"),
            element_means=tuple(details.get("element_means") or ()), explanation=dict(result.explanation),
        )
    return out


def unit_ikm(session: Session, unit_id: int, period_start: datetime, period_end: datetime,
             *, min_respondents: int = 1) -> UnitIkm:
    """The IKM of one unit from the public answers given from period_start to period_end (both included)."""
    return units_ikm(session, [unit_id], period_start, period_end, min_respondents=min_respondents)[unit_id]
