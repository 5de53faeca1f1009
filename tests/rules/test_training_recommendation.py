"""training_recommendation: courses for weak points from a catalog, and JP done against the yearly 20 JP."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult, get_rule

Evaluate = Callable[..., RuleResult]

CATALOG = {
    "harmonis": [{"id": "KOM-1", "title": "Komunikasi Efektif", "jp": 16}],
    "IKI-2": [{"id": "PS-1", "title": "Public Speaking", "jp": 8},
              {"id": "KOM-1", "title": "Komunikasi Efektif", "jp": 16}],
    "adaptif": [{"id": "INO-1", "title": "Inovasi Pelayanan Publik", "jp": 20}],
}


def test_weak_points_map_to_courses_once_each(evaluate: Evaluate) -> None:
    result = evaluate("training_recommendation", {"catalog": CATALOG}, weak=["harmonis", "IKI-2", "harmonis"],
                      jp_done=12)
    assert result.value == [
        {"id": "KOM-1", "title": "Komunikasi Efektif", "jp": 16, "for": ["harmonis", "IKI-2"]},
        {"id": "PS-1", "title": "Public Speaking", "jp": 8, "for": ["IKI-2"]},
    ]
    assert result.details == {"jp_target": 20.0, "jp_recommended": 24.0, "unmatched": [], "jp_done": 12.0,
                              "jp_remaining": 8.0}
    assert result.explanation["id"] == (
        "Kursus yang disarankan: Komunikasi Efektif (KOM-1, 16 JP) untuk Harmonis dan IKI-2; Public Speaking "
        "(PS-1, 8 JP) untuk IKI-2; jumlah 24 JP. JP tahun ini 12 dari target 20 JP: kurang 8 JP."
    )


def test_a_weak_point_without_a_course_is_named_with_a_hint(evaluate: Evaluate) -> None:
    result = evaluate("training_recommendation", {"catalog": CATALOG}, weak=["harmonsi", "loyal"])
    assert result.value == []
    assert result.details["unmatched"] == ["harmonsi", "loyal"]
    assert ("No course in the catalog for: harmonsi (did you mean 'harmonis'?) and Loyal (loyal)."
            in result.explanation["en"])
    assert "harmonsi (maksud Anda 'harmonis'?)" in result.explanation["id"]


@pytest.mark.parametrize("jp_done, remaining", [(0, 20), (19.5, 0.5), (20, 0), (32, 0)])
def test_jp_done_against_the_yearly_twenty(evaluate: Evaluate, jp_done: float, remaining: float) -> None:
    result = evaluate("training_recommendation", {"catalog": CATALOG}, weak=[], jp_done=jp_done)
    assert result.details["jp_remaining"] == remaining
    if remaining == 0:
        assert "target is met" in result.explanation["en"]


def test_the_jp_target_is_configurable(evaluate: Evaluate) -> None:
    result = evaluate("training_recommendation", {"catalog": {}, "jp_target": 40}, weak=[], jp_done=24)
    assert result.details["jp_remaining"] == 16


def test_unrecorded_jp_is_said_not_taken_as_zero(evaluate: Evaluate) -> None:
    result = evaluate("training_recommendation", {"catalog": CATALOG}, weak=["adaptif"])
    assert "jp_done" not in result.details
    assert "No JP recorded yet this year; the target is 20 JP." in result.explanation["en"]


def test_the_weak_list_is_required(evaluate: Evaluate) -> None:
    assert evaluate("training_recommendation", {"catalog": CATALOG}, jp_done=3).missing == ("weak",)


@pytest.mark.parametrize(
    "inputs, message",
    [({"weak": "harmonis"}, "must be a list of IKI ids"),
     ({"weak": [], "jp_done": -2}, "input 'jp_done' must be at least 0")],
)
def test_bad_inputs(inputs: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        get_rule("training_recommendation").evaluate({"catalog": CATALOG}, inputs)


def test_courses_need_id_title_and_jp() -> None:
    problems = get_rule("training_recommendation").validate_params(
        {"catalog": {"harmonis": [{"id": "X", "title": "Y"}]}})
    assert [(p.path, p.message) for p in problems] == [(("catalog", "harmonis", 0), "missing required key 'jp'")]
