"""behaviour_360: the rater's behaviour rating weighed with the 360, as the cycle declares."""

from __future__ import annotations

import pytest

from rules import RuleError, get_rule

RULE = get_rule("behaviour_360")
ABOVE, MEETS, BELOW = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"
UPWARD = {"supervisor_weight": 50, "roles": {"peers": {"weight": 30, "min_respondents": 3},
                                             "subordinates": {"weight": 20, "min_respondents": 2}}}


def answers(role: str, *scores: float) -> list[dict[str, object]]:
    return [{"role": role, "score": s} for s in scores]


def test_peers_who_see_more_raise_a_meets_rating_to_above():
    # 3 × 50% + 4 × 50% = 3,5: Di Atas.
    result = RULE.evaluate({"supervisor_weight": 50, "roles": {"peers": {"weight": 50}}},
                           {"rating": MEETS, "responses": answers("peers", 4, 4, 4)})
    assert (result.value, result.details["score"]) == (ABOVE, 3.5)


def test_with_two_peers_and_a_minimum_of_three_the_raters_rating_stands_alone_and_says_so():
    result = RULE.evaluate({}, {"rating": BELOW, "responses": answers("peers", 4, 4)})
    assert result.value == BELOW and result.details["fallback"] == "supervisor_only"
    assert "Baru 2 rekan kerja (minimum 3) yang menjawab" in result.explanation["id"]


def test_renormalise_leaves_out_a_short_role_and_shares_its_weight():
    # One subordinate where two are needed: rater 50 and peers 30 share 100: 4 × 62,5% + 2 × 37,5% = 3,25.
    params = {**UPWARD, "fallback": "renormalise"}
    result = RULE.evaluate(params, {"rating": ABOVE, "responses": answers("peers", 2, 2, 2) + answers(
        "subordinates", 1)})
    assert (result.value, result.details["score"], result.details["weights"]) == (
        MEETS, 3.25, {"supervisor": 62.5, "peers": 37.5})
    assert "tidak dihitung, bobotnya dibagi ulang" in result.explanation["id"]


def test_subordinates_rate_upward_with_their_own_weight():
    # 3 × 50% + 4 × 30% + 1 × 20% = 2,9: Sesuai.
    result = RULE.evaluate(UPWARD, {"rating": MEETS, "responses": answers("peers", 4, 4, 4) + answers(
        "subordinates", 1, 1)})
    assert (result.value, result.details["score"]) == (MEETS, 2.9)
    # Two subordinates are fewer than the anonymity threshold: no role's mean is shown.
    assert "× 20%" not in result.explanation["id"] and "bawahan 20%" in result.explanation["id"]


def test_the_raters_own_answers_in_the_window_are_not_counted():
    result = RULE.evaluate({}, {"rating": MEETS, "responses": answers("peers", 3, 3, 3) + answers("supervisor", 1)})
    assert result.details["respondents"] == {"peers": 3} and result.details["score"] == 3.0


def test_weights_that_do_not_total_100_are_refused():
    problems = RULE.validate_params({"supervisor_weight": 60, "roles": {"peers": {"weight": 30}}})
    assert any("must total 100; these total 90" in str(p) for p in problems)


def test_a_rating_that_is_not_a_rating_is_refused():
    with pytest.raises(RuleError):
        RULE.evaluate({}, {"rating": "Luar Biasa", "responses": []})


def test_without_the_raters_rating_the_result_waits():
    assert RULE.evaluate({}, {"responses": answers("peers", 4, 4, 4)}).value is None
