"""Totals of lesson hours (JP) as people add them up on paper.

JP are stored as floats, and floats add 0,7 twenty times and 6 to 19.999999999999993, which is
"20 of the 20 JP target, 0 JP short" on screen and a target missed (REGULATION.md section 7: at
least 20 JP a year). A total is rounded half up to the two decimals every page shows, so the target
is judged on the figure the person reads.
"""

from __future__ import annotations

from decimal import Decimal

from rules.numbers import round_half_up

#: Decimals a JP total is kept to: the figures on every page and in every report have at most two.
JP_PLACES = 2


def jp_total(value: float | int | Decimal | None) -> float:
    """A sum of JP as a person would write it: ``19.999999999999993`` is 20.0; None (no activity) is 0.0."""
    if value is None:
        return 0.0
    return float(round_half_up(value, JP_PLACES))
