"""discipline: unexcused absence and lateness to a rating, PP 94/2021's steps as the default bands."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]


@pytest.mark.parametrize(
    "days, label",
    [(0, "Baik"), (2, "Baik"), (3, "Cukup"), (10, "Cukup"), (11, "Kurang"), (20, "Kurang"), (21, "Sangat Kurang"),
     (40, "Sangat Kurang")],
)
def test_default_band_edges_in_days_of_unexcused_absence(evaluate: Evaluate, days: int, label: str) -> None:
    assert evaluate("discipline", absent_days=days, late_minutes=0).value == label


@pytest.mark.parametrize("minutes, late_days", [(0, 0), (449, 0), (450, 1), (899, 1), (900, 2)])
def test_lateness_counts_in_whole_days_of_seven_and_a_half_hours(evaluate: Evaluate, minutes: int,
                                                                 late_days: int) -> None:
    result = evaluate("discipline", absent_days=2, late_minutes=minutes)
    assert result.details["late_days"] == late_days
    assert result.details["days"] == 2 + late_days


def test_lateness_can_tip_the_rating(evaluate: Evaluate) -> None:
    result = evaluate("discipline", absent_days=2, late_minutes=450)
    assert result.value == "Cukup"
    assert result.explanation["id"] == (
        "Tidak masuk kerja tanpa keterangan 2 hari; terlambat masuk atau pulang cepat 450 menit = 1 hari "
        "(setiap 450 menit dihitung 1 hari, sisanya tidak dihitung); jumlah 3 hari. Karena 3 hari berada pada "
        "rentang ≥ 3 dan < 11, kategori disiplin adalah Cukup."
    )


def test_unrecorded_lateness_is_said_not_silently_zero(evaluate: Evaluate) -> None:
    result = evaluate("discipline", absent_days=1)
    assert result.value == "Baik"
    assert "no lateness recorded" in result.explanation["en"]
    assert result.details["late_recorded"] is False


def test_bands_and_minutes_are_configurable(evaluate: Evaluate) -> None:
    params = {"bands": [{"min": 5, "label": "Perlu pembinaan"}, {"label": "Tertib"}], "minutes_per_day": 60}
    assert evaluate("discipline", params, absent_days=4, late_minutes=59).value == "Tertib"
    assert evaluate("discipline", params, absent_days=4, late_minutes=60).value == "Perlu pembinaan"


def test_absent_days_are_required(evaluate: Evaluate) -> None:
    assert evaluate("discipline", late_minutes=30).missing == ("absent_days",)


@pytest.mark.parametrize(
    "inputs, message",
    [({"absent_days": -1}, "at least 0"),
     ({"absent_days": 1, "late_minutes": "lima"}, "input 'late_minutes' must be a number")],
)
def test_bad_inputs(inputs: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("discipline").evaluate({}, inputs)


def test_band_order_is_checked() -> None:
    problems = get_rule("discipline").validate_params({"bands": [{"min": 3, "label": "Cukup"},
                                                                 {"min": 11, "label": "Kurang"}]})
    assert problems[0].path == ("bands", 1, "min")
