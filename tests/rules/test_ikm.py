"""ikm: the public satisfaction index of PermenPAN-RB 14/2017, every edge of both table columns (REGULATION §8)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import RuleError, RuleResult, get_rule
from rules.ikm import ikm_from_mean, ikm_grade

Evaluate = Callable[..., RuleResult]

# (mean answer, IKM, grade, unit performance): both ends of every row of the table.
TABLE = [
    ("1.00", "25.00", "D", "Tidak Baik"),
    ("2.5996", "64.99", "D", "Tidak Baik"),
    ("2.60", "65.00", "C", "Kurang Baik"),
    ("3.064", "76.60", "C", "Kurang Baik"),
    ("3.0644", "76.61", "B", "Baik"),
    ("3.532", "88.30", "B", "Baik"),
    ("3.5324", "88.31", "A", "Sangat Baik"),
    ("4.00", "100.00", "A", "Sangat Baik"),
]


@pytest.mark.parametrize("mean, ikm, grade, performance", TABLE)
def test_the_mean_answer_column(mean: str, ikm: str, grade: str, performance: str) -> None:
    value = ikm_from_mean(Decimal(mean))
    assert value == Decimal(ikm)
    assert ikm_grade(value) == (grade, performance)


@pytest.mark.parametrize("mean, ikm, grade, performance", TABLE)
def test_the_ikm_column(mean: str, ikm: str, grade: str, performance: str) -> None:
    assert ikm_grade(Decimal(ikm)) == (grade, performance)


def test_everyone_answering_4_is_100_and_a(evaluate: Evaluate) -> None:
    result = evaluate("ikm", responses=[[4] * 9] * 5)
    assert result.value == 100.0
    assert result.details["grade"] == "A" and result.details["performance"] == "Sangat Baik"


def test_everyone_answering_1_is_25_and_d(evaluate: Evaluate) -> None:
    result = evaluate("ikm", responses=[[1] * 9] * 5)
    assert (result.value, result.details["grade"]) == (25.0, "D")


def test_an_exact_edge_reached_by_real_answers(evaluate: Evaluate) -> None:
    # 2500 respondents and 8831 points on every element: mean exactly 3,5324, IKM 88,31, grade A.
    total = 8831
    fours = total - 3 * 2500  # everyone answers 3 or 4, so the points are 3 × 2500 plus one per 4
    responses = [[4] * 9] * fours + [[3] * 9] * (2500 - fours)
    result = evaluate("ikm", responses=responses)
    assert result.details["mean"] == 3.5324
    assert (result.value, result.details["grade"]) == (88.31, "A")
    one_less = [[3] + [4] * 8] + responses[1:]  # one answer a point lower: mean 3,532355..., IKM 88,3089 -> 88,31
    assert evaluate("ikm", responses=one_less).details["grade"] == "A"


def test_the_explanation_gives_each_element_and_the_arithmetic(evaluate: Evaluate) -> None:
    result = evaluate("ikm",
                      responses=[[4, 3, 3, 4, 3, 3, 4, 3, 3], [3, 3, 4, 4, 3, 3, 3, 3, 4], [4, 4, 3, 3, 3, 4, 3, 3, 3]])
    assert result.value == 83.33
    assert "U1 Persyaratan 3,67" in result.explanation["id"]
    assert "U9 facilities 3.33" in result.explanation["en"]
    assert "3,3333 × 25 = 83,33" in result.explanation["id"]
    assert "mutu pelayanan B dan kinerja unit Baik" in result.explanation["id"]


def test_too_few_respondents_waits(evaluate: Evaluate) -> None:
    result = evaluate("ikm", {"min_respondents": 10}, responses=[[4] * 9] * 3)
    assert result.missing == ("responses",)
    assert "at least 10 respondents (3 so far)" in result.explanation["en"]


@pytest.mark.parametrize(
    "responses, message",
    [
        ([[4] * 8], "respondent 1 in 'responses' must give a list of exactly 9 answers"),
        ([[4] * 9, [4] * 8 + [5]],
         "respondent 2, element U9 \\(Sarana dan prasarana\\): the answer must be a whole number from 1 to 4"),
        ([[4] * 8 + [0]], "from 1 to 4, not the number 0"),
        ([[4] * 8 + [3.5]], "not the number 3.5"),
        ([[4] * 8 + [True]], "not true"),
        ({"u1": 4}, "must be a list of respondents' answers"),
    ],
)
def test_bad_answers_are_input_errors(responses: object, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("ikm").evaluate({}, {"responses": responses})


answer_rows = st.lists(st.lists(st.integers(min_value=1, max_value=4), min_size=9, max_size=9), min_size=1, max_size=30)


@given(answer_rows)
def test_the_index_runs_from_25_to_100(responses: list[list[int]]) -> None:
    result = get_rule("ikm").evaluate({}, {"responses": responses})
    assert 25 <= result.value <= 100


@given(st.fractions(min_value=1, max_value=4), st.fractions(min_value=1, max_value=4))
def test_a_higher_mean_never_gets_a_lower_grade(a: Fraction, b: Fraction) -> None:
    low, high = sorted((a, b))
    grade_low, _ = ikm_grade(ikm_from_mean(low))
    grade_high, _ = ikm_grade(ikm_from_mean(high))
    assert grade_high <= grade_low  # "A" < "B" < "C" < "D"
