"""Cycle diagrams: Mermaid source and a self-contained SVG, in the reader's language."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.definition import CycleDefinition, build_definition
from engine.graph import state_depths, to_mermaid, to_svg
from engine.validation import load_definition, load_definition_file

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def national() -> CycleDefinition:
    return load_definition_file(ROOT / "workflows" / "permenpan-6-2022.yaml")


@pytest.fixture(scope="module")
def awkward() -> CycleDefinition:
    """Every kind of edge the layout draws: a self loop, a shared source list, two edges between one
    pair of states, a jump over a column, a step within a column, and labels that need escaping."""
    return load_definition(
        """
id: awkward
version: 1
title: {id: "Siklus <uji> & \\"coba\\"", en: "Test <cycle> & 'friends'"}
period: quarterly
roles:
  pegawai: {resolver: self, label: {id: Pegawai, en: Employee}}
  penilai: {resolver: supervisor, label: {id: "Penilai <A&B>", en: "Rater <A&B>"}}
states:
  draft:
    label: {id: "Draf <SKP> & \\"catatan\\"", en: "Draft <SKP> & notes"}
    initial: true
  check:
    label: {id: Pemeriksaan yang sangat panjang sekali sehingga harus dibungkus beberapa baris, en: Check}
  second_check:
    label: {id: Pemeriksaan kedua, en: Second check}
  done:
    label: {id: Selesai, en: Done}
    final: true
transitions:
  - {trigger: submit, label: {id: "Ajukan & kirim", en: "Submit & send"}, source: draft, dest: check, roles: [pegawai]}
  - {trigger: comment, label: {id: Komentari, en: Comment}, source: check, dest: check, roles: [penilai]}
  - {trigger: escalate, source: check, dest: second_check, roles: [penilai]}
  - {trigger: reject, label: {id: Tolak, en: Reject}, source: [check, second_check], dest: draft, roles: [penilai]}
  - {trigger: send_back, label: {id: Kembalikan, en: Send back}, source: check, dest: draft, roles: [penilai]}
  - {trigger: accept, label: {id: Terima, en: Accept}, source: [check, second_check], dest: done, roles: [penilai]}
  - {trigger: fast_track, label: {id: Jalur cepat, en: Fast track}, source: draft, dest: done, roles: [penilai]}
""",
        "awkward.yaml",
    )


def svg_root(text: str) -> ET.Element:
    return ET.fromstring(text)


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]


def all_text(root: ET.Element) -> str:
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


# -- Mermaid ---------------------------------------------------------------------------------------


def test_mermaid_mentions_every_state_and_trigger(national: CycleDefinition) -> None:
    source = to_mermaid(national)
    assert source.startswith("stateDiagram-v2\n")
    for name, state in national.states.items():
        assert f'state "{state.label.get("id")}" as {name}' in source
    for transition in national.transitions:
        assert transition.trigger in source
        for origin in transition.sources:
            assert f"{origin} --> {transition.dest} : {transition.label.get('id')}" in source


def test_mermaid_marks_initial_and_final_states(national: CycleDefinition) -> None:
    lines = to_mermaid(national).splitlines()
    assert "    [*] --> plan" in lines
    assert "    closed --> [*]" in lines


def test_mermaid_labels_transitions_with_the_roles_that_fire_them(national: CycleDefinition) -> None:
    source = to_mermaid(national, "en")
    assert "rated --> appeal : File an appeal \u2014 Employee" in source
    assert "monitor --> rate : Close monitoring \u2014 Rater (direct supervisor), HR officer" in source


def test_mermaid_speaks_the_requested_language(national: CycleDefinition) -> None:
    indonesian, english = to_mermaid(national, "id"), to_mermaid(national, "en")
    assert "Penyusunan SKP" in indonesian and "Drafting the SKP" not in indonesian
    assert "Drafting the SKP" in english and "Penyusunan SKP" not in english


def test_mermaid_keeps_labels_inside_its_grammar(awkward: CycleDefinition) -> None:
    source = to_mermaid(awkward)
    for line in source.splitlines():
        if line.strip().startswith("state "):
            assert line.count('"') == 2, line
        if " --> " in line and " : " in line:
            assert ":" not in line.split(" : ", 1)[1] and ";" not in line, line
    assert "check --> check : Komentari" in source
    assert "second_check --> draft : Tolak" in source


# -- SVG -------------------------------------------------------------------------------------------


def test_svg_parses_with_one_node_per_state_and_one_edge_per_source_and_trigger(national: CycleDefinition) -> None:
    root = svg_root(to_svg(national))
    assert root.tag == f"{SVG}svg"
    states = [g.get("data-state") for g in groups(root, "state")]
    assert sorted(states) == sorted(national.states)
    edges = [(g.get("data-source"), g.get("data-trigger")) for g in groups(root, "edge")]
    expected = [(origin, t.trigger) for t in national.transitions for origin in t.sources]
    assert sorted(edges) == sorted(expected)


def test_svg_labels_are_in_the_requested_language(national: CycleDefinition) -> None:
    indonesian = all_text(svg_root(to_svg(national, "id")))
    english = all_text(svg_root(to_svg(national, "en")))
    assert "Penyusunan SKP" in indonesian and "Ajukan SKP" in indonesian
    assert "Drafting the SKP" in english and "Submit the SKP" in english
    assert "Drafting" not in indonesian and "Penyusunan" not in english


def test_svg_is_self_contained_and_scales(national: CycleDefinition) -> None:
    text = to_svg(national)
    root = svg_root(text)
    assert root.get("viewBox", "").startswith("0 0 ")
    assert "<script" not in text and "@import" not in text and "@font-face" not in text
    assert "href" not in text
    assert text.count("http") == 1  # the SVG namespace, nothing fetched
    assert re.findall(r"url\((?!#)", text) == []  # only references to its own markers


def test_svg_puts_states_in_columns_by_distance_from_the_initial_state(national: CycleDefinition) -> None:
    depths = state_depths(national)
    assert depths["plan"] == 0 and depths["plan_review"] == 1 and depths["closed"] == max(depths.values())
    assert depths["appeal"] == depths["develop"]
    root = svg_root(to_svg(national))
    left = {g.get("data-state"): float(g.find(f"{SVG}rect").get("x")) for g in groups(root, "state")}
    assert left["plan"] < left["plan_review"] < left["monitor"] < left["rate"] < left["review"] < left["rated"]
    assert left["appeal"] == left["develop"] < left["closed"]


def test_svg_draws_backward_transitions_as_arcs(national: CycleDefinition) -> None:
    root = svg_root(to_svg(national))
    back = {(g.get("data-source"), g.get("data-trigger")) for g in groups(root, "back")}
    # Reopened monitoring sits beside monitoring, before rating: closing it again leads back up.
    assert back == {("plan_review", "return_plan"), ("review", "return_rating"),
                    ("monitor_reopened", "close_monitoring")}
    for g in groups(root, "edge"):
        path = g.find(f"{SVG}path")
        assert path.get("marker-end", "").startswith("url(#")


def test_svg_escapes_text_and_draws_every_kind_of_edge(awkward: CycleDefinition) -> None:
    text = to_svg(awkward, "id")
    root = svg_root(text)  # would fail on an unescaped '<' or '&'
    assert root.find(f"{SVG}title").text == 'Siklus <uji> & "coba"'
    assert "Draf <SKP> &" in all_text(root)
    edges = sorted((g.get("data-source"), g.get("data-trigger")) for g in groups(root, "edge"))
    assert edges == sorted([
        ("draft", "submit"), ("check", "comment"), ("check", "escalate"), ("check", "reject"),
        ("second_check", "reject"), ("check", "send_back"), ("check", "accept"), ("second_check", "accept"),
        ("draft", "fast_track"),
    ])
    assert sorted(g.get("data-state") for g in groups(root, "state")) == ["check", "done", "draft", "second_check"]
    # a long label wraps onto several lines instead of stretching its box
    check = next(g for g in groups(root, "state") if g.get("data-state") == "check")
    assert len(check.find(f"{SVG}text").findall(f"{SVG}tspan")) > 1


def test_svg_paths_stay_inside_the_view_box(awkward: CycleDefinition, national: CycleDefinition) -> None:
    for defn in (awkward, national):
        root = svg_root(to_svg(defn))
        _, _, width, height = (float(v) for v in root.get("viewBox").split())
        for path in root.iter(f"{SVG}path"):
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
            xs, ys = numbers[0::2], numbers[1::2]
            assert all(0 <= x <= width for x in xs) and all(0 <= y <= height for y in ys), path.get("d")


@settings(max_examples=60, deadline=None, database=None)
@given(
    st.integers(2, 9).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True),
                               st.integers(0, n - 1)), min_size=1, max_size=14),
        )
    )
)
def test_any_state_machine_draws_as_valid_svg(shape: tuple[int, list[tuple[list[int], int]]]) -> None:
    count, arrows = shape
    data = {
        "id": "acak", "version": 1, "title": "Acak", "period": "annual",
        "roles": {"pegawai": {"resolver": "self"}},
        "states": {f"s{i}": {"label": f"Tahap {i} " * (i % 4 + 1), "initial": i == 0, "final": i == count - 1}
                   for i in range(count)},
        "transitions": [{"trigger": f"t{k}", "source": [f"s{i}" for i in sources], "dest": f"s{dest}",
                         "roles": ["pegawai"]} for k, (sources, dest) in enumerate(arrows)],
    }
    defn = build_definition(data)
    root = svg_root(to_svg(defn, "en"))
    assert len(groups(root, "state")) == count
    assert len(groups(root, "edge")) == sum(len(sources) for sources, _ in arrows)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    for path in root.iter(f"{SVG}path"):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
        assert all(0 <= x <= width for x in numbers[0::2]) and all(0 <= y <= height for y in numbers[1::2])
    assert "[*] --> s0" in to_mermaid(defn)
