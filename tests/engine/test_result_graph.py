"""Which results read which inputs: built once per cycle version, it decides what a change recomputes."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.dependencies import DEVELOPMENT, INDICATORS, ResultGraph, data_input, feedback_input, inputs_of_path
from engine.runtime import compiled
from engine.validation import load_definition

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


def _graph(name: str) -> ResultGraph:
    path = WORKFLOWS / name
    return ResultGraph(load_definition(path.read_text(encoding="utf-8"), path.name))


@pytest.mark.parametrize(("path", "inputs"), [
    ("results.predikat", ("results.predikat",)),
    ("history.results.predikat_akhir", ("results.predikat_akhir",)),
    ("data.keputusan_keberatan.rating_hasil_kerja", ("data.keputusan_keberatan",)),
    ("indicators", (INDICATORS,)),
    ("weak_points", ("data", INDICATORS)),
    ("development.jp_done", (DEVELOPMENT,)),
    ("feedback.umpan_balik_360.scores", ("feedback.umpan_balik_360",)),
    ("unit.ikm", ()),
    ("employee.position_level", ()),
])
def test_each_input_path_reads_one_part_of_the_appraisal(path, inputs):
    assert inputs_of_path(path) == inputs


def test_results_come_after_the_results_they_read():
    order = _graph("permenpan-6-2022.yaml").order
    assert order.index("rating_hasil_kerja") < order.index("predikat") < order.index("predikat_akhir")
    assert order.index("rating_perilaku") < order.index("predikat")


def test_the_appeal_decision_refreshes_the_talent_box_and_its_group_in_gorontalo():
    graph = _graph("gorontalo.yaml")
    # predikat_akhir and the recommendation are computed on entering 'develop' anyway.
    assert graph.after_transition("keputusan_keberatan", "develop") == ("kotak_talenta", "kelompok_talenta")


def test_a_realisation_refreshes_everything_read_from_the_indicators_in_order():
    graph = _graph("permenpan-6-2022.yaml")
    assert graph.after_change(frozenset({INDICATORS})) == (
        "rating_hasil_kerja", "predikat", "predikat_akhir", "rekomendasi_pelatihan")
    assert graph.after_change(frozenset({DEVELOPMENT})) == ("rekomendasi_pelatihan",)
    assert graph.after_change(frozenset({feedback_input("umpan_balik_penilai")})) == ()


def test_the_binjai_360_score_follows_its_feedback_window():
    graph = _graph("binjai.yaml")
    assert graph.after_change(frozenset({feedback_input("umpan_balik_360")})) == ("skor_360",)


def test_an_entry_result_reading_a_refreshed_result_is_computed_again_after_it():
    source = (WORKFLOWS / "permenpan-6-2022.yaml").read_text(encoding="utf-8").replace(
        "      - compute: [predikat_akhir, rekomendasi_pelatihan]",
        "      - compute: [rekomendasi_pelatihan]")
    # 'develop' now computes only the recommendation; the final predicate it does not compute is
    # refreshed by the decision, and nothing computed on entry reads it.
    graph = ResultGraph(load_definition(source, "national.yaml"))
    assert graph.after_transition("keputusan_keberatan", "develop") == ("predikat_akhir",)
    # An entry result that reads a refreshed one is computed again, after it.
    source = source.replace("inputs: {weak: weak_points, jp_done: development.jp_done}",
                            "inputs: {weak: weak_points, jp_done: development.jp_done, predikat: "
                            "results.predikat_akhir}")
    graph = ResultGraph(load_definition(source, "national.yaml"))
    assert graph.after_transition("keputusan_keberatan", "develop") == ("predikat_akhir", "rekomendasi_pelatihan")


def test_transitions_that_change_nothing_read_have_nothing_to_refresh():
    """The common moves (plan, approval, monitoring) do no extra work when they fire."""
    path = WORKFLOWS / "permenpan-6-2022.yaml"
    cycle = compiled(load_definition(path.read_text(encoding="utf-8"), path.name))
    for transition in cycle.definition.transitions:
        if transition.trigger in ("submit_plan", "return_plan", "approve_plan", "close_monitoring",
                                  "complete_development", "decide_appeal"):
            assert cycle.results_graph.after_transition(transition.save_as, transition.dest) == ()
    assert data_input("penilaian") in cycle.results_graph.readers
