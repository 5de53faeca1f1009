"""A number on a page is written as the explanation beside it writes it (rules.numbers.fmt): at most two
decimals, rounded half up as on paper, never Babel's default half-to-even (REGULATION.md: the figures a
rating is read from, e.g. an IKI's achievement or credit points, must read the same everywhere)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.numbers import fmt
from web.messages import number_text


@pytest.mark.parametrize(("value", "lang", "written"), [
    (100.005, "id", "100,01"),   # half to even wrote 100
    (0.625, "en", "0.63"),       # credit points of 3 decimals: half to even wrote 0.62
    (2.665, "id", "2,67"),
    (89.995, "en", "90"),
    (-0.005, "en", "-0.01"),
    (1234.5, "id", "1.234,5"),
    (20, "en", "20"),
])
def test_numbers_on_pages_are_rounded_half_up(value: float, lang: str, written: str) -> None:
    assert number_text(value, lang) == written


@given(st.integers(min_value=-10**9, max_value=10**9).map(lambda n: Decimal(n) / 1000), st.sampled_from(["id", "en"]))
def test_a_page_writes_a_number_as_the_explanation_does(value: Decimal, lang: str) -> None:
    assert number_text(float(value), lang) == fmt(value, lang)
