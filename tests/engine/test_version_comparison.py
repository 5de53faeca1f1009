"""Comparing two versions of a cycle, as HR reads it before publishing or migrating: what changed in
meaning, part by part, and the line diff of the two files."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import NotFound
from engine.registry import save_draft
from engine.versions import compare_versions
from tests.support.messages import said

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


@pytest.fixture
def amplas(session, org):
    """Both versions of the Amplas cycle, stored as drafts."""
    for name in ("amplas.yaml", "amplas-v2.yaml"):
        save_draft(session, (WORKFLOWS / name).read_text(encoding="utf-8"), name, org.actor("admin"))


def test_by_default_the_newest_version_is_compared_with_the_one_before(session, amplas):
    found = compare_versions(session, "amplas")
    assert (found.old.version, found.new.version) == (1, 2) and not found.same
    assert [r.version for r in found.versions] == [2, 1]


def test_the_summary_names_what_was_added_removed_and_changed_in_each_part(session, amplas):
    found = compare_versions(session, "amplas", 1, 2)
    assert found.top == ["title"]
    parts = {key: {(c.kind, c.name, tuple(c.fields)) for c in changes} for key, changes in found.parts}
    assert parts["indicators"] == {("added", "penyelesaian_kasus", ()), ("removed", "kasus_selesai", ())}
    assert parts["results"] == {("changed", "rekomendasi_pelatihan", ("params",))}
    assert "roles" not in parts and "states" not in parts  # parts without a change are left out


def test_the_line_diff_marks_added_and_removed_lines(session, amplas):
    diff = compare_versions(session, "amplas", 1, 2).diff
    assert diff[0] == ("head", "--- amplas v1") and diff[1] == ("head", "+++ amplas v2")
    assert ("del", "-version: 1") in diff and ("add", "+version: 2") in diff


def test_a_version_compared_with_itself_is_the_same(session, amplas):
    found = compare_versions(session, "amplas", 2, 2)
    assert found.same and found.parts == [] and found.diff == []


@pytest.mark.parametrize(("cycle_id", "old", "new"), [("tidak-ada", None, None), ("amplas", 1, 7)])
def test_an_unknown_cycle_or_version_is_not_found_in_both_languages(session, amplas, cycle_id, old, new):
    with pytest.raises(NotFound) as refused:
        compare_versions(session, cycle_id, old, new)
    text = said(refused.value)
    assert text["id"].startswith("Siklus «amplas» tidak punya versi" if old else "Tidak ada siklus «tidak-ada»")
    assert text["en"].startswith("Cycle «amplas» has no version" if old else "There is no cycle «tidak-ada»")
