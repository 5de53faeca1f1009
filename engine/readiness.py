"""What an appraisal still lacks to leave its state, and who can supply it.

The rating screen shows it before anyone presses a button that would be refused: which IKI has no
realisation, which feedback window has too few answers, which result waits for it, who may supply it
(on this page, or in an earlier state) and which way back leads there. It reads; it never writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.dead_ends import REALISATION, result_needs, supply_states
from engine.definition import CycleDefinition
from engine.facts import Computed, Facts
from engine.models import Appraisal, Result, utcnow
from engine.provenance import supply_of

__all__ = ["Gap", "MissingIndicator", "gaps"]


@dataclass(frozen=True)
class MissingIndicator:
    """An IKI without a realisation, and the roles that supply it when the cycle names them."""

    key: str
    label: str
    supplied_by: tuple[str, ...]


@dataclass(frozen=True)
class Gap:
    """One input the ways out of the current state wait for.

    ``input`` is ``realisation`` or ``feedback.<window>``. ``waiting`` holds the results that cannot be
    computed without it, each with its rule's explanation ({id, en}) of what exactly is missing.
    ``suppliers`` maps each state where the input can be supplied to the roles who may; ``here`` says
    whether the current state is one of them; ``ways_back`` are the triggers leading from the current
    state to one of them.
    """

    input: str
    waiting: tuple[tuple[str, dict[str, str]], ...]
    indicators: tuple[MissingIndicator, ...] = ()
    window: str | None = None
    answers: int = 0
    wanted: int = 0
    suppliers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    here: bool = False
    ways_back: tuple[str, ...] = ()


def gaps(session: Session, appraisal: Appraisal, defn: CycleDefinition) -> list[Gap]:
    """The inputs people supply that the ways out of the appraisal's state still wait for."""
    state = appraisal.state
    required = list(dict.fromkeys(
        name for t in defn.transitions_from(state) if t.dest in defn.states
        for action in defn.states[t.dest].on_enter if action.require for name in action.names
        if name in defn.results))
    if not required:
        return []
    stored = {name for name, value in session.execute(
        select(Result.name, Result.value).where(Result.appraisal_id == appraisal.id)) if value is not None}
    guaranteed = frozenset(f"results.{n}" for n in stored)
    facts = Facts(session, defn, appraisal, utcnow(), dict(appraisal.data or {}))
    waiting: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for name in required:
        computed: Computed = facts.compute(name)
        if computed.value is not None and not computed.missing:
            continue
        direct = result_needs(defn, name, guaranteed, follow_results=False)
        for item in sorted(result_needs(defn, name, guaranteed)):
            explanation = computed.explanation if item in direct else {}
            waiting.setdefault(item, []).append((name, dict(explanation)))
    found: list[Gap] = []
    for item, results in waiting.items():
        supplied = supply_states(defn, item)
        common = dict(
            waiting=tuple(results), suppliers=tuple(supplied.items()), here=state in supplied,
            ways_back=tuple(t.trigger for t in defn.transitions_from(state) if t.dest in supplied),
        )
        if item == REALISATION:
            missing = tuple(_missing_realisations(defn, facts))
            if missing:
                found.append(Gap(item, indicators=missing, **common))  # type: ignore[arg-type]
            continue
        window = defn.feedback_window(item.partition(".")[2])
        if window is not None:
            answers = sum(len(rows) for rows in facts.feedback(window.id).values())
            found.append(Gap(item, window=window.id, answers=answers, wanted=max(window.min_respondents, 1),
                             **common))  # type: ignore[arg-type]
    return found


def _missing_realisations(defn: CycleDefinition, facts: Facts) -> list[MissingIndicator]:
    """IKI a person records that have no realisation yet (system-fed ones excluded), with who records each."""
    out = []
    for row in facts.indicator_rows():
        supply = supply_of(defn, str(row["id"]), row.get("label"))
        if supply.typed and row["realisation"] is None:
            out.append(MissingIndicator(str(row["id"]), str(row.get("label") or row["id"]), supply.roles))
    return out
