"""Read-only views of an appraisal computed by its rules before anything is stored.

The employee and the rater see each IKI's achievement (realisation against target, by the indicator's
rule) as soon as a realisation exists, long before the rating stores it as result ``iki.<id>``. The
numbers come from the same :class:`engine.facts.Facts` path a transition uses, so the screen and the
rating can never disagree about a rule. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.facts import Facts
from engine.models import Appraisal, utcnow
from engine.registry import definition_of


@dataclass(frozen=True)
class IndicatorAchievement:
    """One IKI with its latest realisation and the achievement its rule gives now."""

    key: str
    target: Any
    realisation: float | None
    achievement: float | None
    explanation: dict[str, str] = field(default_factory=dict)
    missing: list[Any] = field(default_factory=list)


def indicator_achievements(session: Session, appraisal: Appraisal,
                           now: datetime | None = None) -> list[IndicatorAchievement]:
    """Every IKI of the appraisal (fixed ones first, then the SKP's own) with its live achievement.

    An IKI without a realisation has ``achievement`` None and says what its rule waits for.
    """
    defn = definition_of(appraisal.definition)
    facts = Facts(session, defn, appraisal, now or utcnow(), dict(appraisal.data or {}))
    out = []
    for row in facts.indicators_with_achievements():
        computed = facts.computed.get(f"iki.{row['id']}")
        out.append(IndicatorAchievement(
            key=row["id"], target=row["target"], realisation=row["realisation"],
            achievement=row["achievement"] if row["realisation"] is not None else None,
            explanation=dict(computed.explanation) if computed else {},
            missing=list(computed.missing) if computed else [],
        ))
    return out
