"""``siklus validate`` knows the ``calibration:`` guard: what it accepts, and each mistake named at its line."""

from __future__ import annotations

import pytest

from engine.validation import load_definition, validate_source
from tests.support.factories import national_source

CONFIRM = "    dest: rated\n    roles: [atasan_penilai]\n"


def with_guard(guard: str) -> str:
    """The national cycle with ``guard`` (YAML lines at the guard's indentation) on confirm_rating."""
    source = national_source()
    assert CONFIRM in source
    return source.replace(CONFIRM, CONFIRM + "    guards:\n" + guard, 1)


def line_of(source: str, text: str) -> int:
    return next(i for i, line in enumerate(source.splitlines(), start=1) if text in line)


@pytest.mark.parametrize("on_breach", ["block", "warn"])
def test_a_calibration_guard_blocks_or_warns_as_the_cycle_declares(on_breach):
    defn = load_definition(with_guard(f"      - calibration: {{on_breach: {on_breach}}}\n"), "cycle.yaml")
    guard = defn.transition("confirm_rating", "review").guards[0]
    assert guard.calibration is not None and guard.calibration.on_breach == on_breach
    assert guard.calibration.predicate is None and guard.calibration.limits is None


def test_it_may_name_the_predicate_result_and_its_own_limits():
    source = with_guard("      - calibration:\n          on_breach: warn\n          predicate: predikat\n"
                        "          limits:\n            Baik:\n"
                        "              - {predicates: [Baik], at_most_percent: 80}\n")
    guard = load_definition(source, "cycle.yaml").transition("confirm_rating", "review").guards[0]
    assert guard.calibration.predicate == "predikat"
    assert dict(guard.calibration.limits)["Baik"] == [{"predicates": ["Baik"], "at_most_percent": 80}]


@pytest.mark.parametrize(("guard", "marker", "words"), [
    ("      - calibration: {on_breach: sometimes}\n", "sometimes", "sometimes"),
    ("      - calibration: {on_breach: block, predicate: predikat_final}\n", "predikat_final",
     "calibration guard: unknown result 'predikat_final'"),
    ("      - calibration:\n          on_breach: block\n          limits:\n            Baik:\n"
     "              - {predicates: [Baik], at_most_percent: 70, at_least_count: 1}\n", "at_least_count",
     "each limit needs exactly one of"),
    ("      - calibration: {on_breach: block}\n        expr: indicator_count >= 1\n", "calibration",
     "has both 'expr' and 'calibration'"),
])
def test_a_mistake_in_a_calibration_guard_is_named_at_its_line(guard, marker, words):
    source = with_guard(guard)
    problems = validate_source(source, "cycle.yaml")
    assert problems, "the mistake was not found"
    found = [p for p in problems if words in p.message]
    assert found, [str(p) for p in problems]
    assert found[0].line == line_of(source, marker)


def test_a_calibration_guard_needs_a_predicate_to_count():
    assert validate_source(with_guard("      - calibration: {on_breach: block}\n"), "cycle.yaml") == []
    without = """id: tiny
version: 1
title: Tiny
period: annual
roles:
  pegawai: {resolver: self}
  sdm: {resolver: unit_hr}
states:
  draft: {initial: true}
  done: {final: true}
transitions:
  - trigger: finish
    source: draft
    dest: done
    roles: [sdm]
    guards:
      - calibration: {on_breach: warn}
"""
    problems = validate_source(without, "tiny.yaml")
    assert any("needs the employees' predicates" in p.message and p.line == 17 for p in problems), \
        [str(p) for p in problems]
