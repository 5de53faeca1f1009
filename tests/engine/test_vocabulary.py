"""One vocabulary for the cycle language: what the engine resolves, what the validator accepts, what the
schema and docs/rules.md describe, and which resolvers are registered are the names engine/vocabulary.py
declares, no more and no fewer."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import vocabulary
from engine.dependencies import inputs_of_path
from engine.facts import ROOTS
from engine.resolvers import RESOLVERS
from engine.validation import validate_source
from engine.vocabulary import (
    CHECKPOINT_INPUTS,
    EDIT_KINDS,
    GUARD_NAMES,
    INPUT_ROOTS,
    RESOLVER_NAMES,
    ROOT_NAMES,
    doc_with_vocabulary,
    input_forms,
    schema_with_vocabulary,
)

ROOT = Path(__file__).resolve().parents[2]
FIX = "run `python -m engine.vocabulary` to render them from engine/vocabulary.py"

CYCLE = """
id: uji-kosakata
version: 1
title: Uji kosakata
period: annual
roles:
  pegawai: {resolver: self}
  penilai: {resolver: supervisor}
  rekan: {resolver: peers}
indicators:
  - {id: layanan, label: Layanan, rule: target_achievement, target: 100, supplied_by: pegawai}
results:
  nilai:
    label: Nilai
    rule: expression
    params: {expr: "x", inputs: [x]}
    inputs: {x: "PATH"}
states:
  draft: {label: Draf, initial: true, edit: {pegawai: [skp, realisation]}}
  done: {label: Selesai, final: true, on_enter: [{compute: [nilai]}]}
feedback:
  - {id: umpan, roles: [penilai, rekan]}
checkpoints:
  - id: triwulan
    label: Triwulan
    every: quarterly
    states: [draft]
    realisation: true
    report: {roles: [pegawai]}
    self_assessment:
      roles: [pegawai]
      questions: [{id: capaian, label: Capaian}]
    rating:
      roles: [penilai]
      payload: {type: object, properties: {hasil: {type: string}}}
    results:
      nilai:
        label: Nilai triwulan
        rule: expression
        params: {expr: "x", inputs: [x]}
        inputs: {x: "CHECKPOINT_PATH"}
transitions:
  - trigger: finish
    source: draft
    dest: done
    roles: [penilai]
    save_as: catatan
    payload: {type: object, properties: {isi: {type: string}}}
    guards: [{expr: "GUARD"}]
"""

# A concrete path for each form the vocabulary documents (its capitals are placeholders).
CONCRETE = {"KEY": "catatan", "NAME": "nilai", "ID": "layanan", "WINDOW": "umpan", "FIELD": "position_level",
            "SERIES": "triwulan", "N": "2", "IKI": "layanan", "QUESTION": "capaian"}
# Inside a checkpoint's own results, KEY is a key of its rating.
IN_CHECKPOINT = {**CONCRETE, "KEY": "hasil"}


def concrete(form: str, names: dict[str, str] = CONCRETE) -> str:
    return re.sub(r"\b[A-Z]+\b", lambda m: names.get(m.group(), m.group()), form)


def cycle(path: str = "results.nilai", guard: str = "indicator_count >= 0",
          checkpoint_path: str = "checkpoint.report") -> str:
    return (CYCLE.replace("CHECKPOINT_PATH", checkpoint_path).replace("PATH", path)
            .replace("GUARD", guard))


def test_every_declared_root_is_resolved_and_every_resolved_root_is_declared() -> None:
    assert set(ROOTS) == set(ROOT_NAMES)


def test_days_in_state_is_a_root_like_every_name_a_guard_may_use() -> None:
    assert "days_in_state" in ROOT_NAMES
    assert set(GUARD_NAMES) <= set(ROOT_NAMES)


@pytest.mark.parametrize("form", [form.name for form in input_forms()])
def test_every_documented_path_validates(form: str) -> None:
    assert validate_source(cycle(concrete(form)), "uji.yaml") == []


@pytest.mark.parametrize("form", [term.name for term in CHECKPOINT_INPUTS])
def test_every_documented_path_of_a_checkpoint_result_validates(form: str) -> None:
    assert validate_source(cycle(checkpoint_path=concrete(form, IN_CHECKPOINT)), "uji.yaml") == []


@pytest.mark.parametrize("root, form", [(root, form.name) for root in INPUT_ROOTS for form in root.forms])
def test_a_change_to_a_value_in_the_appraisal_recomputes_what_reads_it_and_only_those_are_followed(
        root: vocabulary.InputRoot, form: str) -> None:
    assert bool(inputs_of_path(concrete(form))) is root.in_appraisal


@pytest.mark.parametrize("name", GUARD_NAMES)
def test_every_guard_name_validates(name: str) -> None:
    assert validate_source(cycle(guard=f"{name} is not None"), "uji.yaml") == []


@pytest.mark.parametrize("path, message", [
    ("unit.ikn", "unknown part 'ikn' in 'unit.ikn' (did you mean 'ikm'?); use unit.results.NAME or unit.ikm"),
    ("unit", "input path 'unit' names no part of 'unit'; use unit.results.NAME or unit.ikm"),
    ("unit.results.nilia", "unknown result 'nilia' (did you mean 'nilai'?)"),
    ("development.jp_dne", "unknown part 'jp_dne' in 'development.jp_dne' (did you mean 'jp_done'?); "
                           "use development.jp_done or development.jp_target"),
    ("employee.positon_level", "unknown employee field 'positon_level' (did you mean 'position_level'?); "
                               "the fields are id, nip, name, position, position_level, unit_id"),
    ("days_in_stat", "unknown input path root 'days_in_stat' (did you mean 'days_in_state'?)"),
])
def test_a_path_the_engine_would_read_as_nothing_is_refused(path: str, message: str) -> None:
    assert [p.message for p in validate_source(cycle(path), "uji.yaml")] == [message]


def test_the_schema_describes_inputs_guards_and_resolvers_from_the_vocabulary() -> None:
    text = (ROOT / "engine" / "schema" / "cycle.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema == schema_with_vocabulary(json.loads(text)), f"the schema's vocabulary texts differ: {FIX}"
    assert schema["$defs"]["role"]["properties"]["resolver"]["enum"] == list(RESOLVER_NAMES)
    edit = schema["$defs"]["state"]["properties"]["edit"]["additionalProperties"]["items"]["enum"]
    assert edit == list(EDIT_KINDS)


def test_docs_rules_md_carries_the_vocabulary_table() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == doc_with_vocabulary(text), f"docs/rules.md's vocabulary table differs: {FIX}"
    for form in input_forms():
        assert f"`{form.name}`" in text


def test_the_registered_resolvers_are_the_declared_ones() -> None:
    assert set(RESOLVERS) == set(RESOLVER_NAMES)
    assert {name for name, r in RESOLVERS.items() if not r.opens} == vocabulary.PUBLIC_ROLE_RESOLVERS


@pytest.mark.parametrize("module", ["engine.vocabulary", "engine.validation"])
def test_the_static_checker_loads_no_database_code(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith('sqlalchemy')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_vocabulary_imports_nothing_of_the_engine() -> None:
    code = "import sys, engine.vocabulary; print(sorted(m for m in sys.modules if m.startswith('engine.')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['engine.vocabulary']"
