"""pp30_score: the PP 30/2019 numeric score, its weights, bands and the "new idea" condition (REGULATION §5)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]


def scored(evaluate: Evaluate, score: float, new_idea: bool | None = False, **params: str) -> RuleResult:
    # With both scores equal the weighted score is that number, whatever the weights.
    inputs = {"skp_score": score, "behaviour_score": score}
    if new_idea is not None:
        inputs["new_idea"] = new_idea
    return evaluate("pp30_score", params, **inputs)


@pytest.mark.parametrize(
    "score, new_idea, predicate",
    [
        (120, True, "Sangat Baik"),
        (110, True, "Sangat Baik"),
        (109.99, True, "Baik"),
        (120, False, "Baik"),
        (110, False, "Baik"),
        (90, False, "Baik"),
        (89.99, False, "Butuh Perbaikan"),
        (70, False, "Butuh Perbaikan"),
        (69.99, False, "Kurang/Misconduct"),
        (50, False, "Kurang/Misconduct"),
        (49.99, False, "Sangat Kurang"),
        (0, False, "Sangat Kurang"),
    ],
)
def test_every_band_edge_of_the_pp30_table(evaluate: Evaluate, score: float, new_idea: bool, predicate: str) -> None:
    assert scored(evaluate, score, new_idea).value == {"score": score, "predicate": predicate}


@pytest.mark.parametrize(
    "score, predicate",
    [(110, "Baik"), (89.99, "Cukup"), (70, "Cukup"), (69.99, "Kurang"), (49.99, "Sangat Kurang")],
)
def test_the_2019_names_are_available(evaluate: Evaluate, score: float, predicate: str) -> None:
    assert scored(evaluate, score, naming="2019").value["predicate"] == predicate


def test_seventy_thirty_weights_by_default(evaluate: Evaluate) -> None:
    result = evaluate("pp30_score", skp_score=100, behaviour_score=80)
    assert result.value == {"score": 94.0, "predicate": "Baik"}
    assert result.explanation["id"] == (
        "Nilai kinerja = nilai SKP 100 × 70% + nilai perilaku 80 × 30% = 94. "
        "Baris tabel PP 30/2019: 90 ≤ x ≤ 120, jadi predikatnya Baik."
    )


def test_sixty_forty_when_peers_and_subordinates_rate_behaviour(evaluate: Evaluate) -> None:
    result = evaluate("pp30_score", {"weighting": "60/40"}, skp_score=100, behaviour_score=80)
    assert result.value == {"score": 92.0, "predicate": "Baik"}
    assert "× 60%" in result.explanation["en"] and "× 40%" in result.explanation["en"]


def test_the_score_is_rounded_half_up_before_banding(evaluate: Evaluate) -> None:
    # 89.99 × 0.7 + 90.01 × 0.3 = 89.996, shown and banded as 90.00: Baik.
    result = evaluate("pp30_score", skp_score=89.99, behaviour_score=90.01)
    assert result.value == {"score": 90.0, "predicate": "Baik"}


def test_without_a_new_idea_a_high_score_is_baik_and_the_explanation_says_why(evaluate: Evaluate) -> None:
    result = scored(evaluate, 115, False)
    assert result.value["predicate"] == "Baik"
    assert "Sangat Baik needs a new idea, and there is none" in result.explanation["en"]


def test_the_new_idea_is_asked_for_only_when_it_can_change_the_predicate(evaluate: Evaluate) -> None:
    waiting = scored(evaluate, 110, None)
    assert waiting.missing == ("new_idea",)
    assert waiting.details == {"score": 110.0}
    assert scored(evaluate, 109.99, None).value == {"score": 109.99, "predicate": "Baik"}


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"skp_score": 121, "behaviour_score": 100}, "input 'skp_score' must be at most 120"),
        ({"skp_score": 100, "behaviour_score": -1}, "input 'behaviour_score' must be at least 0"),
        ({"skp_score": 115, "behaviour_score": 115, "new_idea": "ya"}, "input 'new_idea' must be true or false"),
    ],
)
def test_bad_inputs(inputs: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("pp30_score").evaluate({}, inputs)


def test_only_the_two_regulation_weightings_exist() -> None:
    problems = get_rule("pp30_score").validate_params({"weighting": "50/50"})
    assert problems[0].path == ("weighting",) and "'70/30', '60/40'" in problems[0].message
