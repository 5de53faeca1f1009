"""behaviour_rating (rating perilaku kerja) from the seven BerAKHLAK core values.

Default (documented): Di Atas = 3, Sesuai = 2, Di Bawah = 1; the mean rounded to the nearest label,
with 2,5 and 1,5 as the edges. ``lowest`` lets the weakest value decide.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule
from rules.terms import ABOVE, BELOW, BERAKHLAK_KEYS, MEETS

Evaluate = Callable[..., RuleResult]


def values(above: int = 0, below: int = 0) -> dict[str, str]:
    """Seven values: the first ``above`` above, the last ``below`` below, the rest meeting."""
    labels = [ABOVE] * above + [MEETS] * (7 - above - below) + [BELOW] * below
    return dict(zip(BERAKHLAK_KEYS, labels, strict=True))


@pytest.mark.parametrize(
    "above, below, label, mean",
    [
        (7, 0, ABOVE, 3.0),
        (4, 0, ABOVE, 2.57),
        (3, 0, MEETS, 2.43),
        (0, 0, MEETS, 2.0),
        (4, 3, MEETS, 2.14),
        (0, 3, MEETS, 1.57),
        (0, 4, BELOW, 1.43),
        (0, 7, BELOW, 1.0),
        (5, 1, ABOVE, 2.57),
    ],
)
def test_the_mean_score_is_read_to_the_nearest_label(evaluate: Evaluate, above: int, below: int, label: str,
                                                      mean: float) -> None:
    result = evaluate("behaviour_rating", values=values(above, below))
    assert (result.value, result.details["mean"]) == (label, mean)


@pytest.mark.parametrize("total, label", [(14, ABOVE), (13, MEETS), (10, MEETS), (9, BELOW)])
def test_configured_thresholds_are_inclusive(evaluate: Evaluate, total: int, label: str) -> None:
    # Mean = total ÷ 7, rounded to 2 decimals: 14 ÷ 7 = 2 is exactly "above"; 10 ÷ 7 = 1,43 exactly "meets".
    scores = {3: ABOVE, 2: MEETS, 1: BELOW}
    picked = [1] * 7
    for i in range(7):
        while sum(picked) < total and picked[i] < 3:
            picked[i] += 1
    given = dict(zip(BERAKHLAK_KEYS, (scores[s] for s in picked), strict=True))
    result = evaluate("behaviour_rating", {"thresholds": {"above": 2, "meets": 1.43}}, values=given)
    assert result.value == label


def test_lowest_aggregation_lets_the_weakest_value_decide(evaluate: Evaluate) -> None:
    result = evaluate("behaviour_rating", {"aggregation": "lowest"}, values=values(above=6, below=1))
    assert result.value == BELOW
    assert "Yang terlemah menentukan: Kolaboratif Di Bawah Ekspektasi" in result.explanation["id"]


def test_the_explanation_lists_every_value_and_the_arithmetic(evaluate: Evaluate) -> None:
    result = evaluate("behaviour_rating", values=values(above=4))
    assert result.explanation["id"].startswith("Nilai BerAKHLAK: Berorientasi Pelayanan Di Atas Ekspektasi; ")
    assert "(3 + 3 + 3 + 3 + 2 + 2 + 2) ÷ 7 = 2,57" in result.explanation["id"]
    assert "Akuntabel (accountable) Di Atas Ekspektasi" in result.explanation["en"]
    assert result.explanation["en"].endswith("the work-behaviour rating is Di Atas Ekspektasi (above expectations).")


def test_a_missing_value_waits_and_names_it(evaluate: Evaluate) -> None:
    given = values()
    del given["loyal"]
    given["adaptif"] = None  # type: ignore[assignment]
    result = evaluate("behaviour_rating", values=given)
    assert result.missing == ("values[loyal]", "values[adaptif]")
    assert "rating nilai Loyal" in result.explanation["id"]


def test_labels_are_forgiving_about_case(evaluate: Evaluate) -> None:
    given = {key: "sesuai ekspektasi" for key in BERAKHLAK_KEYS}
    assert evaluate("behaviour_rating", values=given).value == MEETS


@pytest.mark.parametrize(
    "given, message",
    [
        (values() | {"loyalitas": ABOVE}, "unknown BerAKHLAK value 'loyalitas' \\(did you mean 'loyal'\\?\\)"),
        (values() | {"loyal": "Baik"}, "input 'values\\[loyal\\]' must be one of"),
        (values() | {"loyal": 3}, "not the number 3"),
        ([ABOVE] * 7, "must be a mapping of the seven BerAKHLAK values"),
    ],
)
def test_bad_values_are_input_errors(given: object, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("behaviour_rating").evaluate({}, {"values": given})


def test_a_wrong_label_is_reported_even_while_other_values_are_missing() -> None:
    with pytest.raises(RuleError, match="values\\[akuntabel\\]"):
        get_rule("behaviour_rating").evaluate({}, {"values": {"akuntabel": "Bagus"}})
