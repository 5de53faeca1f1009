"""``target_achievement``: an IKI's achievement percent from its realisation and target.

Directions (PermenPAN-RB 6/2022 guidance and the SAKIP convention for "lower is better"):

- ``higher``: realisation ÷ target × 100.
- ``lower`` (response time, complaints): (2 × target − realisation) ÷ target × 100, that is
  ``(1 + (1 − realisation ÷ target)) × 100``, never below 0. A zero target ("none at all") is met
  (100%) only by a zero realisation, else 0%.
- ``range``: a band to stay inside, ``[min, max]``: inside is 100%; below ``min`` counts as higher is
  better against ``min``; above ``max`` counts as lower is better against ``max``.

``higher`` and ``lower`` also accept a ``[min, max]`` target: inside is 100%, outside the nearest
edge is the target, as in the ministry's worked examples (target 80-90%, realisation 92% gives
92 ÷ 90; target 7-8 months, realisation 6,5 gives (1 + (1 − 6,5 ÷ 7)) × 100 = 107,14%).

The value is the percent rounded half up to two decimals, after the optional ``cap``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rules.base import InputSpec, Rule, RuleError, RuleResult
from rules.numbers import HUNDRED, ZERO, fmt_both, is_number, number_input, round_half_up, to_decimal
from rules.terms import ASPECTS
from rules.text import describe_value

TWO = Decimal(2)


class TargetAchievement(Rule):
    name = "target_achievement"
    title = {"id": "Capaian IKI", "en": "IKI achievement"}
    row_params = ("aspect",)
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "direction": {
                "enum": ["higher", "lower", "range"],
                "default": "higher",
                "description": "higher: more is better; lower: less is better (e.g. response time); "
                               "range: stay inside a [min, max] target.",
            },
            "cap": {
                "type": "number",
                "exclusiveMinimum": 0,
                "description": "Highest achievement percent counted, e.g. 120.",
            },
            "aspect": {
                "enum": list(ASPECTS),
                "description": "The IKI's aspect (kuantitas, kualitas or waktu), shown in the explanation.",
            },
        },
        "additionalProperties": False,
    }
    inputs = {
        "realisation": InputSpec({"id": "realisasi IKI", "en": "the IKI's realisation"}),
        "target": InputSpec({"id": "target IKI (angka, atau [min, maks] untuk rentang)",
                             "en": "the IKI's target (a number, or [min, max] for a range)"}),
    }

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        direction: str = self.param(params, "direction")
        realisation = number_input(inputs["realisation"], "realisation", minimum=0)
        low, high = _target(inputs["target"], direction)
        value, how_id, how_en = _achievement(direction, realisation, low, high)
        details: dict[str, Any] = {
            "direction": direction,
            "target": float(low) if low == high else [float(low), float(high)],
        }
        cap = params.get("cap")
        if cap is not None and value > to_decimal(cap):
            details["uncapped"] = float(value)
            value = round_half_up(cap, 2)
            cap_id, cap_en = fmt_both(value)
            how_id += f", dibatasi paling tinggi {cap_id}%, jadi capaian {cap_id}%"
            how_en += f", capped at {cap_en}%, so the achievement is {cap_en}%"
        aspect = params.get("aspect")
        if aspect:
            details["aspect"] = aspect
        head_id, head_en = _heading(direction, aspect)
        return RuleResult(float(value), {"id": f"{head_id}: {how_id}.", "en": f"{head_en}: {how_en}."}, details=details)


def _target(value: Any, direction: str) -> tuple[Decimal, Decimal]:
    """The target as (min, max); a single number is (t, t)."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2 or not all(is_number(v) for v in value):
            raise RuleError(f"input 'target' as a range must be a list of two numbers [min, max], not {value!r}",
                            input="target")
        low = number_input(value[0], "target", minimum=0)
        high = number_input(value[1], "target", minimum=0)
        if low > high:
            raise RuleError(f"input 'target' range [{value[0]}, {value[1]}] has its minimum above its maximum",
                            input="target")
        if high == 0:
            raise RuleError("input 'target' range must have a maximum above 0", input="target")
        return low, high
    if direction == "range":
        raise RuleError(f"input 'target' must be a list [min, max] for direction 'range', not {describe_value(value)}",
                        input="target")
    if direction == "higher":
        number = number_input(value, "target", above=0)
    else:
        number = number_input(value, "target", minimum=0)
    return number, number


def _achievement(direction: str, realisation: Decimal, low: Decimal, high: Decimal) -> tuple[Decimal, str, str]:
    """The percent, rounded half up to two decimals, and the arithmetic in Indonesian and English."""
    if low == high and direction != "range":
        return _formula(direction, realisation, low)
    r_id, r_en = fmt_both(realisation, 4)
    low_id, low_en = fmt_both(low, 4)
    high_id, high_en = fmt_both(high, 4)
    if low <= realisation <= high:
        return (HUNDRED,
                f"realisasi {r_id} berada dalam rentang target {low_id}–{high_id}, jadi capaian 100%",
                f"realisation {r_en} lies inside the target range {low_en}–{high_en}, so the achievement is 100%")
    below = realisation < low
    if below:
        side_id = f"realisasi {r_id} di bawah batas bawah target {low_id}"
        side_en = f"realisation {r_en} is below the target's lower edge {low_en}"
    else:
        side_id = f"realisasi {r_id} di atas batas atas target {high_id}"
        side_en = f"realisation {r_en} is above the target's upper edge {high_en}"
    # In a range, short of the band is a shortfall and beyond it an overshoot; both count against.
    formula = ("higher" if below else "lower") if direction == "range" else direction
    value, how_id, how_en = _formula(formula, realisation, low if below else high)
    return value, f"{side_id}: {how_id}", f"{side_en}: {how_en}"


def _formula(direction: str, realisation: Decimal, target: Decimal) -> tuple[Decimal, str, str]:
    r_id, r_en = fmt_both(realisation, 4)
    t_id, t_en = fmt_both(target, 4)
    if direction == "higher":
        value = round_half_up(realisation / target * HUNDRED, 2)
        v_id, v_en = fmt_both(value)
        return (value,
                f"realisasi {r_id} ÷ target {t_id} × 100% = {v_id}%",
                f"realisation {r_en} ÷ target {t_en} × 100% = {v_en}%")
    if target == 0:
        value = HUNDRED if realisation == 0 else ZERO
        v_id, v_en = fmt_both(value)
        return (value,
                f"target 0 hanya tercapai bila realisasi juga 0; realisasi {r_id}, jadi capaian {v_id}%",
                f"a target of 0 is met only by a realisation of 0; the realisation is {r_en}, so the achievement is "
                f"{v_en}%")
    value = round_half_up((TWO * target - realisation) / target * HUNDRED, 2)
    v_id, v_en = fmt_both(value)
    how_id = f"(2 × target {t_id} − realisasi {r_id}) ÷ target {t_id} × 100% = {v_id}%"
    how_en = f"(2 × target {t_en} − realisation {r_en}) ÷ target {t_en} × 100% = {v_en}%"
    if value < 0:
        return (ZERO,
                f"{how_id}, dinaikkan ke 0% karena capaian tidak bisa negatif",
                f"{how_en}, raised to 0% because an achievement cannot be negative")
    return value, how_id, how_en


@lru_cache(maxsize=32)
def _heading(direction: str, aspect: str | None) -> tuple[str, str]:
    sense_id, sense_en = {
        "higher": ("semakin tinggi semakin baik", "higher is better"),
        "lower": ("semakin rendah semakin baik", "lower is better"),
        "range": ("target berupa rentang", "a target range"),
    }[direction]
    if aspect:
        return (f"Capaian IKI aspek {aspect} ({sense_id})",
                f"IKI achievement, aspect {aspect} ({ASPECTS[aspect]}; {sense_en})")
    return f"Capaian IKI ({sense_id})", f"IKI achievement ({sense_en})"
