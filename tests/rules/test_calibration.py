"""calibration: a unit's predicates against its organisation predicate (REGULATION §4 as the default)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]

SB, B, BP, KM, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"


def unit(**counts: int) -> list[str]:
    names = {"sb": SB, "b": B, "bp": BP, "km": KM, "sk": SK}
    return [names[key] for key, n in counts.items() for _ in range(n)]


def broken(result: RuleResult) -> list[tuple[tuple[str, ...], str]]:
    return [(tuple(v["predicates"]), v["limit"]) for v in result.details["violations"]]


# (unit predicate, employees, compliant?, broken limits) — each row of the §4 table, at and just past its edges.
CASES = [
    # Istimewa: at most 70% Sangat Baik
    ("Istimewa", unit(sb=7, b=3), True, []),
    ("Istimewa", unit(sb=8, b=2), False, [((SB,), "at_most_percent")]),
    ("Istimewa", unit(sb=2, b=1), True, []),  # 66,67% of 3
    ("Istimewa", unit(sb=3), False, [((SB,), "at_most_percent")]),
    # Baik: at most 70% Baik; at least one Butuh Perbaikan or Kurang/Misconduct
    ("Baik", unit(b=7, bp=1, sb=2), True, []),
    ("Baik", unit(b=7, km=1, sb=2), True, []),
    ("Baik", unit(b=8, bp=2), False, [((B,), "at_most_percent")]),
    ("Baik", unit(b=7, sb=3), False, [((BP, KM), "at_least_count")]),
    ("Baik", unit(b=8, sb=2), False, [((B,), "at_most_percent"), ((BP, KM), "at_least_count")]),
    # Butuh Perbaikan: at least 60% Butuh Perbaikan; at most 10% Sangat Baik
    ("Butuh Perbaikan", unit(bp=6, b=3, sb=1), True, []),
    ("Butuh Perbaikan", unit(bp=5, b=4, sb=1), False, [((BP,), "at_least_percent")]),
    ("Butuh Perbaikan", unit(bp=6, b=2, sb=2), False, [((SB,), "at_most_percent")]),
    # Kurang: at least 60% Kurang/Misconduct; at least 10% Butuh Perbaikan; at most 10% Sangat Baik
    ("Kurang", unit(km=6, bp=1, b=2, sb=1), True, []),
    ("Kurang", unit(km=5, bp=2, b=2, sb=1), False, [((KM,), "at_least_percent")]),
    ("Kurang", unit(km=6, b=3, sb=1), False, [((BP,), "at_least_percent")]),
    ("Kurang", unit(km=6, bp=1, b=1, sb=2), False, [((SB,), "at_most_percent")]),
    # Sangat Kurang: at least 60% Sangat Kurang; at least 10% Kurang/Misconduct or Butuh Perbaikan; no Sangat Baik
    ("Sangat Kurang", unit(sk=6, km=1, b=3), True, []),
    ("Sangat Kurang", unit(sk=6, bp=1, b=3), True, []),
    ("Sangat Kurang", unit(sk=5, km=1, b=4), False, [((SK,), "at_least_percent")]),
    ("Sangat Kurang", unit(sk=6, b=4), False, [((KM, BP), "at_least_percent")]),
    ("Sangat Kurang", unit(sk=6, km=1, b=2, sb=1), False, [((SB,), "at_most_count")]),
]


@pytest.mark.parametrize("unit_predicate, predicates, complies, violations", CASES)
def test_the_distribution_table(evaluate: Evaluate, unit_predicate: str, predicates: list[str], complies: bool,
                                violations: list) -> None:
    result = evaluate("calibration", unit_predicate=unit_predicate, predicates=predicates)
    assert result.value is complies
    assert broken(result) == violations


def test_a_breach_is_listed_in_both_languages_and_ratings_are_untouched(evaluate: Evaluate) -> None:
    predicates = unit(b=8, sb=2)
    before = list(predicates)
    result = evaluate("calibration", unit_predicate="Baik", predicates=predicates)
    assert predicates == before
    assert result.explanation["id"] == (
        "Unit berpredikat Baik dengan 10 pegawai dinilai: 2 Sangat Baik dan 8 Baik. Batas kurva distribusi: "
        "paling banyak 70% Baik: 8 dari 10 pegawai (80%), dilanggar; paling sedikit 1 orang Butuh Perbaikan "
        "atau Kurang/Misconduct: 0 dari 10 pegawai (0%), dilanggar. Unit ini melanggar 2 batas; kalibrasi tidak "
        "mengubah predikat pegawai."
    )
    assert "calibration never changes an employee's predicate" in result.explanation["en"]
    assert result.details["counts"] == {SB: 2, B: 8, BP: 0, KM: 0, SK: 0}
    first = result.details["violations"][0]
    assert (first["count"], first["share"], first["bound"]) == (8, 80.0, 70)


def test_shares_are_compared_exactly_not_rounded(evaluate: Evaluate) -> None:
    # 7 of 10 is exactly 70%; 70 of 100 too; 71 of 100 is over.
    assert evaluate("calibration", unit_predicate="Istimewa", predicates=unit(sb=70, b=30)).value is True
    assert evaluate("calibration", unit_predicate="Istimewa", predicates=unit(sb=71, b=29)).value is False
    # at least 60%: 3 of 5 is enough, 2 of 3 (66,67%) too, 1 of 2 is not.
    assert evaluate("calibration", unit_predicate="Butuh Perbaikan", predicates=unit(bp=3, b=2)).value is True
    assert evaluate("calibration", unit_predicate="Butuh Perbaikan", predicates=unit(bp=2, b=1)).value is True
    assert evaluate("calibration", unit_predicate="Butuh Perbaikan", predicates=unit(bp=1, b=1)).value is False


def test_employees_may_be_given_by_id_and_the_missing_are_named(evaluate: Evaluate) -> None:
    result = evaluate("calibration", unit_predicate="Baik",
                      predicates={"199001012020011001": B, "199001012020011002": None})
    assert result.missing == ("predicates[199001012020011002]",)
    assert "the predicate of employee 199001012020011002" in result.explanation["en"]


def test_an_empty_unit_waits(evaluate: Evaluate) -> None:
    assert evaluate("calibration", unit_predicate="Baik", predicates=[]).missing == ("predicates",)


def test_limits_are_configurable(evaluate: Evaluate) -> None:
    params = {"limits": {"Baik": [{"predicates": [SB], "at_most_percent": 20}]}}
    assert evaluate("calibration", params, unit_predicate="Baik", predicates=unit(sb=3, b=7)).value is False
    unlimited = evaluate("calibration", params, unit_predicate="Istimewa", predicates=unit(sb=10))
    assert unlimited.value is True
    assert "No distribution limits are set for Istimewa units" in unlimited.explanation["en"]


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"unit_predicate": "Bagus", "predicates": [B]}, "input 'unit_predicate' must be one of"),
        ({"unit_predicate": "Baik", "predicates": ["Kurang"]}, "did you mean 'Kurang/Misconduct'"),
        ({"unit_predicate": "Baik", "predicates": "Baik"}, "must be a list of predicates or a mapping"),
    ],
)
def test_bad_inputs(inputs: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("calibration").evaluate({}, inputs)


@pytest.mark.parametrize(
    "limits, path, message",
    [
        ({"Baik": [{"predicates": [B]}]}, ("limits", "Baik", 0), "exactly one of at_most_percent"),
        ({"Baik": [{"predicates": [B], "at_most_percent": 70, "at_least_count": 1}]}, ("limits", "Baik", 0),
         "this one has at_most_percent, at_least_count"),
        ({"Bagus": []}, ("limits", "Bagus"), "unknown key 'Bagus'"),
        ({"Baik": [{"predicates": ["Hebat"], "at_most_count": 1}]}, ("limits", "Baik", 0, "predicates", 0),
         "must be one of"),
        ({"Baik": [{"predicates": [B], "at_most_percent": 170}]}, ("limits", "Baik", 0, "at_most_percent"),
         "at most 100"),
    ],
)
def test_limit_problems_are_located(limits: dict, path: tuple, message: str) -> None:
    problems = get_rule("calibration").validate_params({"limits": limits})
    assert [p.path for p in problems] == [path]
    assert message in problems[0].message
