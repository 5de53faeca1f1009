"""Cycle-file validation: every problem at once, located, in words an HR officer understands.

The corpus in ``tests/data/broken`` holds one small file per mistake; each starts with comment lines
``# expect: LINE:COL: message`` (a message ending in ``...`` is a prefix) and must report exactly
those problems, no more. Property tests make sure nothing a user uploads turns into a traceback.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import validation
from engine.errors import DefinitionError, Problem
from engine.validation import load_definition, validate_file, validate_source

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "data" / "broken"
CORPUS = sorted(BROKEN.glob("*.yaml"))
WORKFLOWS = sorted((ROOT / "workflows").glob("*.yaml"))
NATIONAL_PATH = ROOT / "workflows" / "permenpan-6-2022.yaml"
NATIONAL = NATIONAL_PATH.read_text(encoding="utf-8")
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.+)$")

# Bounded property tests: fast enough for every run, and no example database left in the tree.
FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def expectations(path: Path) -> list[tuple[int, int, str]]:
    """The ``# expect:`` lines from the comment block that opens a corpus file."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = EXPECT.match(line)
        if match:
            found.append((int(match.group(1)), int(match.group(2)), match.group(3)))
    return found


def matches(problem: Problem, expected: tuple[int, int, str]) -> bool:
    line, col, message = expected
    if (problem.line, problem.col) != (line, col):
        return False
    if message.endswith("..."):
        return problem.message.startswith(message[:-3])
    return problem.message == message


def assert_no_internal_error(problems: list[Problem]) -> None:
    assert all(isinstance(p, Problem) for p in problems)
    assert not [p for p in problems if p.message.startswith("internal error")], problems


def assert_valid_means_loadable(source: str, problems: list[Problem]) -> None:
    """What the validator accepts, the definition builder must be able to build."""
    if not problems:
        load_definition(source, "accepted.yaml")


# -- the corpus of broken files -----------------------------------------------------------------


def test_the_corpus_covers_many_mistakes() -> None:
    assert len(CORPUS) >= 30
    for path in CORPUS:
        assert expectations(path), f"{path.name} states no '# expect:' line"
    assert sum(len(expectations(p)) > 1 for p in CORPUS) >= 2, "a couple of files should hold several mistakes"


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_broken_file_reports_exactly_the_expected_problems(path: Path) -> None:
    expected = expectations(path)
    problems = validate_file(str(path))
    shown = "\n".join(f"  {p.line}:{p.col}: {p.message}" for p in problems)
    wanted = "\n".join(f"  {line}:{col}: {message}" for line, col, message in expected)
    assert len(problems) == len(expected) and all(map(matches, problems, expected)), (
        f"\nreported:\n{shown}\nexpected:\n{wanted}"
    )
    assert all(p.file == str(path) for p in problems)


# -- valid files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_every_shipped_workflow_is_valid(path: Path) -> None:
    assert validate_file(str(path)) == []


def test_the_national_cycle_loads_as_a_definition() -> None:
    defn = load_definition(NATIONAL, "permenpan-6-2022.yaml")
    assert defn.initial_state == "plan"


def test_a_window_may_count_from_a_state_after_the_source() -> None:
    # 'since' names a state the source is reached from or not: that is not the validator's business
    source = NATIONAL.replace("window: {since: rated, within: 14d}", "window: {since: develop, within: 14d}")
    assert source != NATIONAL
    assert validate_source(source, "cycle.yaml") == []


def test_load_definition_raises_with_every_problem() -> None:
    source = (BROKEN / "several_mistakes.yaml").read_text(encoding="utf-8")
    with pytest.raises(DefinitionError) as raised:
        load_definition(source, "cycle.yaml")
    assert len(raised.value.problems) == len(expectations(BROKEN / "several_mistakes.yaml"))
    assert str(raised.value).startswith("cycle.yaml:")


# -- problems as values -------------------------------------------------------------------------


def test_a_problem_reads_file_line_column_message() -> None:
    line = NATIONAL.splitlines().index("    dest: review") + 1
    problems = validate_source(NATIONAL.replace("    dest: review\n", "    dest: reveiw\n"), "cycle.yaml")
    assert [str(p) for p in problems] == [f"cycle.yaml:{line}:11: unknown state 'reveiw' (did you mean 'review'?)"]


def test_problems_are_sorted_by_position() -> None:
    problems = validate_file(str(BROKEN / "several_mistakes_schema_and_semantics.yaml"))
    assert problems == sorted(problems)
    assert len(problems) > 3


def test_a_schema_error_does_not_hide_a_semantic_error_elsewhere() -> None:
    source = NATIONAL.replace("    stage: plan\n    initial: true", "    stage: planning\n    initial: true")
    source = source.replace("dest: plan_review", "dest: plan_reveiw")
    messages = [p.message for p in validate_source(source, "cycle.yaml")]
    assert any(m.startswith("'planning' is not a stage") for m in messages)
    assert "unknown state 'plan_reveiw' (did you mean 'plan_review'?)" in messages


def test_a_broken_check_becomes_a_problem_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(file: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(validation, "CHECKS", tuple(
        (what, broken if what == "indicator weights" else check) for what, check in validation.CHECKS))
    problems = validate_file(str(BROKEN / "unknown_state_dest.yaml"))
    messages = [p.message for p in problems]
    assert any(m.startswith("internal error while checking indicator weights (RuntimeError: boom)") for m in messages)
    assert "unknown state 'reveiw' (did you mean 'review'?)" in messages


# -- files that cannot be read ------------------------------------------------------------------


def test_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    problems = validate_file(str(path))
    assert len(problems) == 1
    assert (problems[0].line, problems[0].col) == (1, 1)
    assert problems[0].message.startswith("cannot read the file: No such file")


def test_a_file_that_is_not_utf8_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: contoh\ntitle: Penilaian \u00e9\n".encode("latin-1"))
    problems = validate_file(str(path))
    assert [(p.line, p.col) for p in problems] == [(1, 1)]
    assert problems[0].message == ("the file is not UTF-8 text (invalid byte 0xe9 on line 2); "
                                   "save it with UTF-8 encoding")


def test_a_directory_is_one_problem(tmp_path: Path) -> None:
    problems = validate_file(str(tmp_path))
    assert len(problems) == 1 and problems[0].message.startswith("cannot read the file")


# -- never a traceback --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\n\n",
        "[]",
        "- a\n- b\n",
        "42",
        "~",
        "states: !!python/object:os.system {}\n",
        "a: &x [*x]\n",
        "a: " + "[" * 1200 + "]" * 1200 + "\n",
        "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
        "? [a, b]\n: c\n",
        "states:\n  <<: 5\n",
        "id: \x00\x01\x02",
        "id: contoh\ud800\n",
        "version: 2024-02-30\n",
        "states: {plan: {label: x, initial: true}, 1: {label: y}, null: {label: z}, yes: {label: w}}\n",
        "transitions: [{source: [[a]], dest: {}, roles: [{}], trigger: []}]\n",
        "roles: {a: {resolver: public}}\ntransitions: [{trigger: t, source: s, dest: s, roles: [a]}]\n",
        "indicators: [{weight: .nan}, {weight: .inf, id: x}]\n",
        "transitions: [{payload: {1: x, a: y}}]\n",
    ],
    ids=lambda s: repr(s[:24]),
)
def test_odd_input_gives_problems_not_tracebacks(source: str) -> None:
    problems = validate_source(source, "odd.yaml")
    assert problems, "odd input should not pass as a cycle"
    assert_no_internal_error(problems)
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


@FUZZ
@given(st.text(max_size=400))
def test_validate_never_raises_on_any_text(source: str) -> None:
    assert_no_internal_error(validate_source(source, "fuzz.yaml"))


@FUZZ
@given(st.binary(max_size=300))
def test_validate_never_raises_on_binary_junk(raw: bytes) -> None:
    assert_no_internal_error(validate_source(raw.decode("utf-8", "surrogateescape"), "junk.yaml"))
    assert_no_internal_error(validate_source(raw.decode("latin-1"), "junk.yaml"))


YAMLISH = st.text(alphabet=list("abcdefgimnoprstuv_ :-[]{},'\"#&*!|>?\n\n\n    0123456789."), max_size=300)


@FUZZ
@given(YAMLISH)
def test_validate_never_raises_on_yaml_like_text(source: str) -> None:
    assert_no_internal_error(validate_source(source, "fuzz.yaml"))


NATIONAL_LINES = NATIONAL.splitlines(keepends=True)
NATIONAL_WORDS = sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*|\d+[a-z]*|[\[\]{}:,\-]", NATIONAL)))
LINE = st.integers(0, len(NATIONAL_LINES) - 1)
MUTATION = st.one_of(
    st.tuples(st.just("delete"), LINE),
    st.tuples(st.just("duplicate"), LINE),
    st.tuples(st.just("swap"), LINE, LINE),
    st.tuples(st.just("indent"), LINE, st.integers(-4, 4)),
    st.tuples(st.just("word"), LINE, st.sampled_from(NATIONAL_WORDS)),
    st.tuples(st.just("insert"), LINE, st.text(max_size=12)),
)


def mutate(lines: list[str], mutation: tuple[Any, ...]) -> None:
    kind, index = mutation[0], mutation[1] % max(len(lines), 1)
    if not lines:
        return
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "swap":
        other = mutation[2] % len(lines)
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "indent":
        shift = mutation[2]
        lines[index] = " " * shift + lines[index] if shift > 0 else lines[index][-shift:]
    elif kind == "word":
        words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", lines[index])
        if words:
            lines[index] = lines[index].replace(words[len(words) // 2], mutation[2], 1)
    else:
        cut = len(lines[index]) // 2
        lines[index] = lines[index][:cut] + mutation[2] + lines[index][cut:]


@FUZZ
@given(st.lists(MUTATION, min_size=1, max_size=6))
def test_validate_never_raises_on_a_mutated_national_file(mutations: list[tuple[Any, ...]]) -> None:
    lines = list(NATIONAL_LINES)
    for mutation in mutations:
        mutate(lines, mutation)
    source = "".join(lines)
    problems = validate_source(source, "mutated.yaml")
    assert_no_internal_error(problems)
    assert_valid_means_loadable(source, problems)


NATIONAL_DATA = yaml.safe_load(NATIONAL)
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12) | st.sampled_from(NATIONAL_WORDS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10) | st.sampled_from(NATIONAL_WORDS),
                                                                inner, max_size=3),
    max_leaves=8,
)


@settings(FUZZ, max_examples=80)
@given(st.data())
def test_validate_never_raises_when_a_value_has_the_wrong_kind(data: st.DataObject) -> None:
    document = copy.deepcopy(NATIONAL_DATA)
    for _ in range(data.draw(st.integers(1, 3), label="replacements")):
        container: Any = document
        key: Any = None
        # walk down a random path, then replace what is there
        for _ in range(data.draw(st.integers(0, 6), label="depth")):
            keys = list(container) if isinstance(container, dict) else list(range(len(container)))
            if not keys:
                break
            key = data.draw(st.sampled_from(keys), label="key")
            if not isinstance(container[key], (dict, list)):
                break
            container = container[key]
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        if keys:
            container[data.draw(st.sampled_from(keys), label="target")] = data.draw(ANY_VALUE, label="value")
    source = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    problems = validate_source(source, "wrong-kinds.yaml")
    assert_no_internal_error(problems)
    assert_valid_means_loadable(source, problems)


# -- scale ----------------------------------------------------------------------------------------


def generated_cycle(states: int) -> str:
    """A chain of ``states`` states with deadlines, forward and backward transitions and payloads."""
    out = ["id: besar", "version: 1", "title: Siklus besar", "period: annual", "roles:",
           "  pegawai: {resolver: self}", "  penilai: {resolver: supervisor}", "states:"]
    for i in range(states):
        out += [f"  s{i}:", f"    label: {{id: Tahap {i}, en: Step {i}}}"]
        if i == 0:
            out.append("    initial: true")
        if i == states - 1:
            out.append("    final: true")
        else:
            out.append(f"    deadline: {{within: 14d, then: {{fire: next_{i}}}}}")
    out.append("transitions:")
    for i in range(states - 1):
        out += [f"  - trigger: next_{i}", f"    source: s{i}", f"    dest: s{i + 1}", "    roles: [pegawai]"]
        if i:
            out += [f"  - trigger: back_{i}", f"    source: s{i}", f"    dest: s{i - 1}", "    roles: [penilai]",
                    "    payload: {type: object, required: [komentar]}"]
    return "\n".join(out) + "\n"


def test_a_2000_state_cycle_validates() -> None:
    source = generated_cycle(2000)
    assert source.count("\n") > 10_000
    assert validate_source(source, "big.yaml") == []


def test_a_mistake_in_a_large_cycle_is_found_alone() -> None:
    source = generated_cycle(300).replace("    dest: s123\n", "    dest: s123x\n", 1)
    problems = validate_source(source, "big.yaml")
    assert len(problems) == 1
    assert problems[0].message.startswith("unknown state 's123x' (did you mean 's")
