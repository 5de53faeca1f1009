"""Every cycle shipped in workflows/ against REGULATION.md, rule by rule, read from the cycle files themselves:
the predicate off the matrix, the appeal (keberatan) filed by the employee within 14 days and decided, finally,
by the rater's own supervisor with no default deadline, the review by that supervisor, and the 20 JP target.
A new agency cycle (or a new version) that drifts from the regulation fails here by name."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from rules import get_rule
from rules.calibration import DEFAULT_LIMITS
from rules.terms import BERAKHLAK, PREDICATES, RATING_LABELS, UNIT_PREDICATES

WORKFLOWS = Path(__file__).resolve().parent.parent / "workflows"
APPRAISAL_CYCLES = sorted(p for p in WORKFLOWS.glob("*.yaml") if "appeal" in yaml.safe_load(p.read_text())["states"])


def _cycle(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _transitions(cycle: dict[str, Any], trigger: str) -> list[dict[str, Any]]:
    return [t for t in cycle["transitions"] if t["trigger"] == trigger]


def test_every_agency_and_the_national_cycle_are_checked() -> None:
    names = {p.name.split("-v")[0].removesuffix(".yaml") for p in APPRAISAL_CYCLES}
    assert names >= {"permenpan-6-2022", "amplas", "binjai", "gorontalo", "solok", "bungo"}


@pytest.mark.parametrize("path", APPRAISAL_CYCLES, ids=lambda p: p.stem)
def test_the_appeal_follows_section_6(path: Path) -> None:
    """REGULATION.md section 6: the employee files the keberatan within 14 days (calendar or working days) of
    receiving the rating; the rater's supervisor decides it, and that decision is final; no default deadline
    for the decision."""
    cycle = _cycle(path)
    assert cycle["roles"]["atasan_penilai"]["resolver"] == "supervisor_of_supervisor"
    (appeal,) = _transitions(cycle, "appeal")
    assert appeal["roles"] == ["pegawai"] and appeal["source"] == "rated"
    assert appeal["window"] == {"since": "rated", "within": "14d"} or appeal["window"]["within"] == "14wd"
    # The rating stands when the 14 days pass without an appeal, and not before.
    assert cycle["states"]["rated"]["deadline"] == {"within": appeal["window"]["within"],
                                                    "then": {"fire": "accept_rating"}}
    (decide,) = _transitions(cycle, "decide_appeal")
    assert decide["roles"] == ["atasan_penilai"] and decide["source"] == "appeal"
    # Final: nothing leads back to an appeal or to another rating once it is decided.
    assert [t["trigger"] for t in cycle["transitions"] if t["dest"] == "appeal"] == ["appeal"]
    after = {decide["dest"]}
    for _ in range(len(cycle["states"])):
        after |= {t["dest"] for t in cycle["transitions"]
                  if (set(t["source"]) if isinstance(t["source"], list) else {t["source"]}) & after}
    assert not after & {"appeal", "rated", "rate", "review"}
    assert "deadline" not in cycle["states"]["appeal"]


@pytest.mark.parametrize("path", APPRAISAL_CYCLES, ids=lambda p: p.stem)
def test_the_rating_is_reviewed_by_the_raters_supervisor(path: Path) -> None:
    """REGULATION.md sections 1 and 2: the rater (the direct supervisor) rates; the rater's own supervisor
    reviews and confirms or returns it."""
    cycle = _cycle(path)
    assert cycle["roles"]["penilai"]["resolver"] == "supervisor"
    (rate,) = _transitions(cycle, "rate")
    assert rate["roles"] == ["penilai"]
    for trigger in ("confirm_rating", "return_rating"):
        (step,) = _transitions(cycle, trigger)
        assert step["roles"] == ["atasan_penilai"] and step["source"] == "review"


@pytest.mark.parametrize("path", APPRAISAL_CYCLES, ids=lambda p: p.stem)
def test_the_predicate_is_read_off_the_matrix_from_the_two_ratings(path: Path) -> None:
    """REGULATION.md section 2: the predicate (and the final one after an appeal) is the predicate_matrix of the
    work-results rating and the behaviour rating, the latter from the rater's rating of the seven BerAKHLAK values
    (Binjai blends its peers' 360 feedback into it, its write-up's raters; the rater's own rating stays the base)."""
    results = _cycle(path)["results"]
    for name in ("predikat", "predikat_akhir"):
        assert results[name]["rule"] == "predicate_matrix"
        assert set(results[name]["inputs"]) == {"work_results", "behaviour"}
    behaviour = results["rating_perilaku"]
    if behaviour["rule"] == "behaviour_360":
        behaviour = results[behaviour["inputs"]["rating"].removeprefix("results.")]
    assert behaviour["rule"] == "behaviour_rating" and behaviour["inputs"] == {"values": "data.penilaian.perilaku"}
    assert results["rating_hasil_kerja"]["rule"] == "work_results_rating"


@pytest.mark.parametrize("path", APPRAISAL_CYCLES, ids=lambda p: p.stem)
def test_competence_development_targets_20_jp_a_year(path: Path) -> None:
    """REGULATION.md section 7: at least 20 JP per civil servant per year."""
    cycle = _cycle(path)
    assert cycle["development"]["jp_target"] == 20
    assert all(spec["params"]["jp_target"] == 20 for spec in cycle["results"].values()
               if spec["rule"] == "training_recommendation")


def test_the_seven_berakhlak_values_in_their_fixed_order() -> None:
    """REGULATION.md section 3: order and names are fixed."""
    assert [name for _, name, _ in BERAKHLAK] == ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis",
                                                  "Loyal", "Adaptif", "Kolaboratif"]


def test_the_labels_and_their_order() -> None:
    """REGULATION.md sections 2 and 4: three ratings; five employee predicates and five organisation predicates,
    best first."""
    assert RATING_LABELS == ("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")
    assert PREDICATES == ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang")
    assert UNIT_PREDICATES == ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")


def _exactly(bound: str, n: int | float, count: int, total: int) -> bool:
    share = Fraction(count, total)
    return {"at_most_percent": share <= Fraction(str(n)) / 100, "at_least_percent": share >= Fraction(str(n)) / 100,
            "at_most_count": count <= n, "at_least_count": count >= n}[bound]


@given(st.sampled_from(UNIT_PREDICATES), st.lists(st.sampled_from(PREDICATES), min_size=1, max_size=40))
def test_calibration_holds_every_limit_of_section_4_exactly(unit_predicate: str, predicates: list[str]) -> None:
    """REGULATION.md section 4: every default limit is judged on the exact share, never a rounded one (with 3
    employees "at most 70%" allows 2, with 9 "at least 10%" needs 1)."""
    result = get_rule("calibration").evaluate({}, {"unit_predicate": unit_predicate, "predicates": predicates})
    expected = []
    for limit in DEFAULT_LIMITS[unit_predicate]:
        bound = next(b for b in limit if b != "predicates")
        count = sum(p in limit["predicates"] for p in predicates)
        if not _exactly(bound, limit[bound], count, len(predicates)):
            expected.append((limit["predicates"], bound))
    assert [(v["predicates"], v["limit"]) for v in result.details["violations"]] == expected
    assert result.value is (not expected)
