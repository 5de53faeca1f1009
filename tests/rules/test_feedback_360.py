"""feedback_360: weights per rater role, minimum respondents, renormalising, anonymity (REGULATION §9 defaults)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]


def answers(supervisor: list[float] = (), peers: list[float] = (), subordinates: list[float] = (),
            **others: list[float]) -> list[dict]:
    out = [{"role": "supervisor", "score": s} for s in supervisor]
    out += [{"role": "peers", "score": s} for s in peers]
    out += [{"role": "subordinates", "score": s} for s in subordinates]
    for role, scores in others.items():
        out += [{"role": role, "score": s} for s in scores]
    return out


def test_default_weights_are_supervisor_50_peers_30_subordinates_20(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4], [3, 3, 3], [5, 5, 5]), active_raters={"subordinates": 3})
    assert result.value == 3.9  # 4 × 0.5 + 3 × 0.3 + 5 × 0.2
    assert result.details["weights"] == {"supervisor": 50.0, "peers": 30.0, "subordinates": 20.0}
    assert result.details["role_means"] == {"supervisor": 4.0, "peers": 3.0, "subordinates": 5.0}
    assert "Skor = 4 × 50% + 3 × 30% + 5 × 20% = 3,9." in result.explanation["id"]


def test_without_subordinates_the_weights_are_50_50(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4], [3, 3, 3]))
    assert result.value == 3.5
    assert result.details["weights"] == {"supervisor": 50.0, "peers": 50.0}
    assert result.details["absent_roles"] == ["subordinates"]
    assert "With no subordinates, the weights follow the configured fallback" in result.explanation["en"]


def test_a_role_with_no_active_raters_is_left_out(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4], [3, 3, 3]), active_raters={"subordinates": 0})
    assert result.value == 3.5


def test_without_peers_the_remaining_weights_are_renormalised(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4], [], [2, 2, 2]), active_raters={"subordinates": 3})
    # 50 and 20 renormalise to 71.43% and 28.57%: (4 × 50 + 2 × 20) ÷ 70 = 3.43
    assert result.value == 3.43
    assert result.details["weights"] == {"supervisor": 71.43, "subordinates": 28.57}
    assert "are renormalised" in result.explanation["en"]


def test_fewer_than_three_peers_waits(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4], [3, 3]))
    assert result.value is None
    assert result.missing == ("responses[peers]",)
    assert "answers from peers: 2 of at least 3" in result.explanation["en"]


def test_every_active_subordinate_must_answer(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4], [3, 3, 3], [5, 5]), active_raters={"subordinates": 3})
    assert result.missing == ("responses[subordinates]",)
    assert "jawaban bawahan: 2 dari paling sedikit 3" in result.explanation["id"]


def test_all_subordinates_needs_to_know_how_many_are_active(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4], [3, 3, 3], [5]))
    assert result.missing == ("active_raters",)


def test_the_supervisor_is_required(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([], [3, 3, 3]))
    assert result.missing == ("responses[supervisor]",)


def test_waiting_never_shows_a_score(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4.5], [3.25, 1.75]))
    text = result.explanation["id"] + result.explanation["en"] + str(result.details)
    assert "4.5" not in text and "4,5" not in text and "3.25" not in text and "1.75" not in text


def test_no_single_answer_is_visible_below_the_anonymity_threshold(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4], [3, 3, 4], [4.75]), active_raters={"subordinates": 1})
    assert result.details["role_means"] is None
    text = result.explanation["id"] + result.explanation["en"]
    assert "4.75" not in text and "4,75" not in text
    assert ("withheld to protect the raters' anonymity (subordinates fewer than 3 respondents)"
            in result.explanation["en"])
    assert result.value == 3.95  # 4 × 0.5 + (10 ÷ 3) × 0.3 + 4.75 × 0.2


def test_individual_answers_never_appear_even_above_the_threshold(evaluate: Evaluate) -> None:
    result = evaluate("feedback_360", responses=answers([4], [1.11, 2.22, 3.33]))
    text = result.explanation["id"] + result.explanation["en"] + str(result.details)
    assert "1.11" not in text and "3.33" not in text and "2.22" in text  # only the peers' mean, which is 2.22


def test_custom_roles_such_as_the_public_renormalise(evaluate: Evaluate) -> None:
    params = {"roles": {"supervisor": {"weight": 60, "required": True, "anonymous": False},
                        "public": {"weight": 40, "min_respondents": 5}}}
    full = evaluate("feedback_360", params, responses=answers([4], public=[3, 3, 3, 3, 3]))
    assert full.value == 3.6
    assert "masyarakat 5" in full.explanation["id"]
    alone = evaluate("feedback_360", params, responses=answers([4]))
    assert alone.value == 4.0 and alone.details["absent_roles"] == ["public"]


def test_score_range_catches_answers_on_the_wrong_scale() -> None:
    with pytest.raises(RuleError, match="answer 2 in 'responses' has score 40, outside the range 1 to 5"):
        get_rule("feedback_360").evaluate({"score_range": [1, 5]}, {"responses": answers([4], [40])})


@pytest.mark.parametrize(
    "responses, active, message",
    [
        ([{"role": "peer", "score": 3}], None, "role 'peer', which is not configured \\(did you mean 'peers'\\?\\)"),
        ([{"role": "peers", "score": "tiga"}], None, "must have a number as its score"),
        ([{"role": "peers"}], None, "must be a mapping with 'role' and 'score'"),
        (answers([4], [3, 3, 3, 3]), {"peers": 3}, "4 answers from role 'peers' but only 3 active rater"),
        (answers([4]), {"peer": 3}, "names role 'peer', which is not configured"),
    ],
)
def test_bad_inputs(responses: list, active: dict | None, message: str) -> None:
    inputs = {"responses": responses} | ({"active_raters": active} if active else {})
    with pytest.raises(RuleError, match=message):
        get_rule("feedback_360").evaluate({}, inputs)


@pytest.mark.parametrize(
    "params, path, message",
    [
        ({"roles": {"supervisor": {"weight": 60}, "peers": {"weight": 30}}}, ("roles",),
         "must total 100; these total 90"),
        ({"fallback_weights": [{"absent": ["subordinate"], "weights": {"supervisor": 100}}]},
         ("fallback_weights", 0, "absent"), "unknown role 'subordinate' (did you mean 'subordinates'?)"),
        ({"fallback_weights": [{"absent": ["peers"], "weights": {"supervisor": 100}}]},
         ("fallback_weights", 0, "weights"), "exactly the roles still present: subordinates, supervisor"),
        ({"fallback_weights": [{"absent": ["peers"], "weights": {"supervisor": 50, "subordinates": 40}}]},
         ("fallback_weights", 0, "weights"), "must total 100; these total 90"),
        ({"roles": {"supervisor": {"weight": 100, "min_respondents": 0}}}, ("roles", "supervisor", "min_respondents"),
         ""),
        ({"score_range": [5, 1]}, ("score_range",), "lowest score must be below the highest"),
    ],
)
def test_parameter_problems(params: dict, path: tuple, message: str) -> None:
    problems = get_rule("feedback_360").validate_params(params)
    assert [p.path for p in problems] == [path]
    assert message in problems[0].message
