"""The leader's rolled-up achievement (matriks peran hasil, REGULATION.md section 1: cascading) is the mean
of the supporting IKI rounded half up to two decimals, as every other figure in Siklus is (rules.numbers):
what the leader reads must be the arithmetic done on paper, not a binary float's banker's rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.cascade import Supporter, combine
from rules.numbers import round_half_up


def _supporters(*achievements: float | None) -> list[Supporter]:
    return [Supporter(number, 100 + number, f"Pegawai {number}", f"iki_{number}", "RHK", f"IKI {number}", value)
            for number, value in enumerate(achievements, start=1)]


@pytest.mark.parametrize(("achievements", "mean"), [
    ((100, 100.01), 100.01),   # 100,005 rounds up, not to 100
    ((80, 80.01), 80.01),      # 80,005
    ((89.99, 90), 90.0),       # 89,995: exactly on the edge of Sesuai Ekspektasi, rounded up
    ((110, 109.99), 110.0),    # 109,995: on the edge of Di Atas Ekspektasi
    ((100, 100, 100.01), 100.0),  # 100,00333...
    ((90, 95, None), 92.5),    # a supporter without an achievement waits and is left out
])
def test_the_rolled_up_achievement_is_rounded_half_up(achievements: tuple[float | None, ...], mean: float) -> None:
    """REGULATION.md section 1 (cascading): the leader's RHK shows the mean of the supporting IKI, rounded half up."""
    rolled = combine(1, "iki_1", _supporters(*achievements))
    assert rolled.achievement == mean
    assert rolled.waiting == sum(a is None for a in achievements)


@given(st.lists(st.integers(min_value=0, max_value=20000).map(lambda cents: Decimal(cents) / 100),
                min_size=1, max_size=12))
def test_the_roll_up_is_the_exact_mean_rounded_half_up(values: list[Decimal]) -> None:
    """The roll-up equals the mean of the achievements as written, rounded half up to two decimals."""
    rolled = combine(1, "iki_1", _supporters(*(float(v) for v in values)))
    assert rolled.achievement == float(round_half_up(sum(values, Decimal(0)) / len(values), 2))


def test_no_achievement_yet_rolls_up_to_nothing() -> None:
    rolled = combine(1, "iki_1", _supporters(None, None))
    assert rolled.achievement is None and rolled.waiting == 2
