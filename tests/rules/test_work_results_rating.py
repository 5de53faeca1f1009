"""work_results_rating (rating hasil kerja) from the IKI achievements.

Defaults (not in the regulation, documented in docs/rules.md): the weighted mean achievement,
at least 110% is Di Atas Ekspektasi, at least 90% Sesuai, below that Di Bawah Ekspektasi.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule
from rules.terms import ABOVE, BELOW, MEETS

Evaluate = Callable[..., RuleResult]


def iki(key: str, achievement: float | None, weight: float | None = None, **extra: object) -> dict:
    return {"id": key, "achievement": achievement, "weight": weight, **extra}


@pytest.mark.parametrize(
    "achievement, label",
    [(120, ABOVE), (110, ABOVE), (109.99, MEETS), (100, MEETS), (90, MEETS), (89.99, BELOW), (0, BELOW)],
)
def test_default_band_edges(evaluate: Evaluate, achievement: float, label: str) -> None:
    assert evaluate("work_results_rating", achievements=[iki("IKI-1", achievement)]).value == label


def test_the_weighted_mean_uses_the_weights(evaluate: Evaluate) -> None:
    result = evaluate("work_results_rating", achievements=[
        iki("iki_1", 95, 40, name="IKI 1", label="Jumlah laporan"),
        iki("iki_2", 110, 60, name="IKI 2", label="Ketepatan waktu"),
    ])
    assert result.value == MEETS
    assert result.details["score"] == 104.0
    assert result.explanation["id"] == (
        "Capaian IKI: IKI 1 (Jumlah laporan) 95% bobot 40; IKI 2 (Ketepatan waktu) 110% bobot 60. "
        "Rata-rata tertimbang = (95 × 40 + 110 × 60) ÷ 100 = 104%. Karena 104% berada pada rentang "
        "≥ 90% dan < 110%, rating hasil kerja adalah Sesuai Ekspektasi."
    )
    assert result.explanation["en"].endswith("the work-results rating is Sesuai Ekspektasi (meets expectations).")
    assert "iki_1" not in result.explanation["id"]  # an IKI is named, never shown by its key


def test_without_weights_every_iki_counts_the_same(evaluate: Evaluate) -> None:
    result = evaluate("work_results_rating", achievements=[iki("A", 120), iki("B", 100), iki("C", 110)])
    assert result.details["score"] == 110.0
    assert result.value == ABOVE
    assert "(120 + 100 + 110) ÷ 3 = 110%" in result.explanation["en"]


def test_the_mean_is_rounded_half_up_before_banding(evaluate: Evaluate) -> None:
    # (89.99 + 90) ÷ 2 = 89.995, shown and banded as 90%.
    result = evaluate("work_results_rating", achievements=[iki("A", 89.99), iki("B", 90)])
    assert result.details["score"] == 90.0
    assert result.value == MEETS


def test_a_heavier_weak_indicator_pulls_the_rating_down(evaluate: Evaluate) -> None:
    result = evaluate("work_results_rating", achievements=[iki("A", 120, 1), iki("B", 60, 3)])
    assert result.details["score"] == 75.0
    assert result.value == BELOW


def test_lowest_aggregation_lets_the_weakest_indicator_decide(evaluate: Evaluate) -> None:
    result = evaluate("work_results_rating", {"aggregation": "lowest"},
                      achievements=[iki("A", 130), iki("B", 89), iki("C", 120)])
    assert result.value == BELOW
    assert "The lowest decides: B with 89%" in result.explanation["en"]


def test_thresholds_are_configurable_and_inclusive(evaluate: Evaluate) -> None:
    params = {"thresholds": {"above": 100, "meets": 80}}
    assert evaluate("work_results_rating", params, achievements=[iki("A", 100)]).value == ABOVE
    assert evaluate("work_results_rating", params, achievements=[iki("A", 80)]).value == MEETS
    assert evaluate("work_results_rating", params, achievements=[iki("A", 79.99)]).value == BELOW


def test_a_null_achievement_waits_and_names_the_indicator(evaluate: Evaluate) -> None:
    result = evaluate("work_results_rating", achievements=[
        iki("IKI-1", 95), iki("IKI-2", None, label="Waktu layanan"), iki("IKI-3", None),
    ])
    assert result.value is None
    assert result.missing == ("achievements[IKI-2]", "achievements[IKI-3]")
    assert "capaian indikator Waktu layanan" in result.explanation["id"]


def test_a_missing_list_waits(evaluate: Evaluate) -> None:
    assert evaluate("work_results_rating").missing == ("achievements",)


def test_the_engines_indicator_rows_are_accepted() -> None:
    row = {"id": "k1", "label": "Laporan", "label_en": "Reports", "target": 10, "unit": "dok", "weight": None,
           "aspect": "kuantitas", "realisation": 10, "achievement": 100.0, "rhk": "RHK 1"}
    result = get_rule("work_results_rating").evaluate({}, {"achievements": [row]})
    assert result.value == MEETS
    assert "Reports 100%" in result.explanation["en"] and "Laporan 100%" in result.explanation["id"]
    assert "k1" not in result.explanation["id"]  # the label, not the key


@pytest.mark.parametrize(
    "achievements, message",
    [
        ([], "is empty: an SKP needs at least one IKI"),
        ("IKI-1", "must be a list of IKI"),
        ([{"achievement": 90}], "IKI number 1 in 'achievements' must be a mapping with an 'id'"),
        ([iki("A", "90")], r"input 'achievements\[A\].achievement' must be a number"),
        ([iki("A", 90, -1)], r"input 'achievements\[A\].weight' must be at least 0"),
        ([iki("A", 90, 1), iki("B", 90)], "give every IKI a weight or none at all; these have none: B"),
        ([iki("A", 90, 0), iki("B", 90, 0)], "the IKI weights add up to 0"),
    ],
)
def test_bad_achievements_are_input_errors(achievements: object, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("work_results_rating").evaluate({}, {"achievements": achievements})


def test_thresholds_must_be_ordered() -> None:
    problems = get_rule("work_results_rating").validate_params({"thresholds": {"above": 90, "meets": 90}})
    assert [(p.path, p.message) for p in problems] == [
        (("thresholds", "above"), "must be greater than 'meets' (90), not 90"),
    ]
