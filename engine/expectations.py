"""Ekspektasi khusus pimpinan: the leader's specific behaviour expectations, per BerAKHLAK value.

At planning the rater (the employee's direct supervisor) writes what they expect of the employee for
each of the seven core values; the behaviour rating is later given against it (PermenPAN-RB 6/2022,
REGULATION.md section 3). The expectations are kept with the appraisal's saved data under
``ekspektasi_pimpinan`` (so rules could read ``data.ekspektasi_pimpinan.<value>``) and every change is
an ``expectation`` audit event that replay re-derives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.appraisals import edit_appraisal
from engine.definition import CycleDefinition, TransitionDef
from engine.errors import InvalidInput
from engine.messages import Message
from engine.models import Appraisal
from engine.permissions import Actor
from engine.policy import Policy
from engine.replay import EXPECTATIONS_KEY
from rules.terms import BERAKHLAK, BERAKHLAK_KEYS, BERAKHLAK_NAMES

#: The longest expectation kept for one value (characters).
MAX_EXPECTATION = 2000


@dataclass(frozen=True)
class Expectation:
    """One core value with the leader's expectation for it ('' when none was written)."""

    value: str
    name: str
    gloss: str
    text: str


def set_expectations(session: Session, appraisal_id: int, actor: Actor, expectations: Mapping[str, Any],
                     expected_version: int | None = None, now: datetime | None = None) -> Appraisal:
    """Record the rater's expectations, replacing the earlier ones; a value left empty has none.

    Only the rater, at planning (see :meth:`engine.policy.Policy.editors`); an unknown value or a text
    too long is refused whole, nothing is written.
    """
    unknown = [str(k) for k in expectations if k not in BERAKHLAK_NAMES]
    if unknown:
        raise InvalidInput(
            f"unknown BerAKHLAK value(s) {', '.join(unknown)}; the seven are {', '.join(BERAKHLAK_KEYS)}",
            values=unknown,
            msg=Message("expectation.unknown", values=unknown, known=[name for _k, name, _g in BERAKHLAK]))
    cleaned: dict[str, str] = {}
    for key in BERAKHLAK_KEYS:
        raw = expectations.get(key)
        if raw is not None and not isinstance(raw, str):
            raise InvalidInput(f"the expectation for {key} must be text", values=[key],
                               msg=Message("expectation.text", value=BERAKHLAK_NAMES[key][0]))
        text = (raw or "").strip()
        if len(text) > MAX_EXPECTATION:
            raise InvalidInput(f"the expectation for {key} is longer than {MAX_EXPECTATION} characters", values=[key],
                               msg=Message("expectation.long", value=BERAKHLAK_NAMES[key][0], limit=MAX_EXPECTATION))

        if text:
            cleaned[key] = text

    def change(appraisal: Appraisal, defn: CycleDefinition, policy: Policy, role: str | None) -> dict[str, Any] | None:
        data = dict(appraisal.data or {})
        if (data.get(EXPECTATIONS_KEY) or {}) == cleaned:
            return None  # the expectations as they are: nothing to record
        if cleaned:
            data[EXPECTATIONS_KEY] = cleaned
        else:
            data.pop(EXPECTATIONS_KEY, None)
        appraisal.data = data
        return {"ekspektasi": cleaned}

    return edit_appraisal(session, appraisal_id, actor, "expectation", expected_version, change, now)


def expectations_of(appraisal: Appraisal) -> list[Expectation]:
    """The seven values in their fixed order, each with the leader's expectation ('' when none)."""
    kept = (appraisal.data or {}).get(EXPECTATIONS_KEY) or {}
    return [Expectation(key, name, gloss, str(kept.get(key) or "")) for key, name, gloss in BERAKHLAK]


def rates_behaviour(transition: TransitionDef) -> bool:
    """Whether the transition's form rates the BerAKHLAK values (the expectations are shown beside it)."""
    return _names_values(transition.payload_schema or {})


def _names_values(schema: Any) -> bool:
    if not isinstance(schema, Mapping):
        return False
    named = set(schema.get("required") or []) | set((schema.get("properties") or {}).keys())
    if named & set(BERAKHLAK_KEYS):
        return True
    return any(_names_values(sub) for sub in (schema.get("properties") or {}).values())


__all__ = ["MAX_EXPECTATION", "Expectation", "expectations_of", "rates_behaviour", "set_expectations"]
