"""Every kind of cycle-file problem has a code, and reads in one language: Bahasa Indonesia on an
Indonesian screen, English on an English one, each at its file:line:col.

The corpus below holds one broken cycle per kind of problem (most are the national cycle with one
mistake made in it); each names the code it must produce. A test checks that the corpus reaches
every code a problem can carry, so a new kind of problem without a broken cycle here fails, and a
problem without a code cannot be made at all (``Problem`` refuses it).
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from engine.errors import DefinitionError, Problem
from engine.messages import Message
from engine.messages.registry import TEXTS
from engine.validation import CHECKS, load_definition, validate_file, validate_source
from engine.validation.context import CycleFile
from engine.validation.positions import read_yaml
from engine.validation.schema_messages import explain
from tests.web.test_languages import ENGLISH, INDONESIAN
from web.cli import cli
from web.messages import message_text

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / "workflows"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


NATIONAL = _load("permenpan-6-2022.yaml")
QUARTERLY = _load("permenpan-6-2022-v2.yaml")  # with checkpoints
TALENT = _load("gorontalo.yaml")  # with a talent grid
FEEDBACK = _load("binjai.yaml")  # with feedback windows
WEIGHTED = _load("amplas.yaml")  # with fixed, weighted indicators and one fed by the system

Mutation = Callable[[dict[str, Any]], None]


def mutated(base: dict[str, Any], change: Mutation) -> str:
    data = copy.deepcopy(base)
    try:
        change(data)
    except (KeyError, IndexError, TypeError, StopIteration) as exc:  # a stale mutation fails its own test
        return f"# the mutation no longer applies: {exc!r}\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _step(target: Any, part: Any) -> Any:
    """One step down a path; ``@approve_plan`` is the transition with that trigger."""
    if isinstance(part, str) and part.startswith("@"):
        return next(t for t in target if t["trigger"] == part[1:])
    return target[part]


def setting(path: tuple[Any, ...], value: Any) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            target = _step(target, part)
        target[path[-1]] = value
    return change


def removing(path: tuple[Any, ...]) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            target = _step(target, part)
        del target[path[-1]]
    return change


def each(*changes: Mutation) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        for one in changes:
            one(data)
    return change


def guard(trigger: str, spec: Any) -> Mutation:
    return setting(("transitions", f"@{trigger}", "guards"), [spec])


def result(name: str, spec: dict[str, Any]) -> Mutation:
    return setting(("results", name), spec)


def series(key: str, value: Any) -> Mutation:
    return setting(("checkpoints", 0, key), value)


NATIONAL_TEXT = (WORKFLOWS / "permenpan-6-2022.yaml").read_text(encoding="utf-8")


def text_swap(old: str, new: str) -> str:
    assert old in NATIONAL_TEXT, old
    return NATIONAL_TEXT.replace(old, new, 1)


# code -> the broken cycle that must report it
CORPUS: dict[str, str | bytes] = {
    # reading the file
    "cycle.not_text": b"\xff\xfe",
    "cycle.bad_character": "id: x\x07\n",
    "cycle.too_deep": "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "cycle.empty": "# nothing\n",
    "cycle.top_level": "- a\n- b\n",
    "cycle.yaml": "states: [\n",
    "cycle.yaml_tab": "id: x\n\tversion: 1\n",
    "cycle.yaml_unclosed": "id: 'x\nversion: 1\n",
    "cycle.yaml_colon": "id: x\nversion: 1: 2\n",
    "cycle.yaml_no_colon": "id: x\nversion\n  x: 1\n",
    "cycle.yaml_indent": "states:\n    plan: 1\n  monitor: 2\n",
    "cycle.yaml_alias": "id: *nowhere\n",
    "cycle.yaml_documents": "id: x\n---\nid: y\n",
    "cycle.yaml_start": "id: `x`\n",
    "cycle.alias_bomb": "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdef", "bcdefg", strict=True)),
    "cycle.alias_recursive": "a: &a [*a]\n",
    "cycle.nested_here": "a: " + "[" * 80 + "]" * 80 + "\n",
    "cycle.yaml_tag": "id: !!set {a: null}\n",
    "cycle.unreadable_scalar": "id: x\nversion: 2024-13-45\n",
    "cycle.not_finite": text_swap("version: 1", "version: .nan"),
    "cycle.merge": "id: x\nstates:\n  <<: 5\n",
    "cycle.complex_key": "? [a, b]\n: 1\n",
    # the schema
    "cycle.unknown_key": mutated(NATIONAL, setting(("states", "plan", "zzz_qqq"), 1)),
    "cycle.unknown_key_hint": mutated(NATIONAL, setting(("states", "plan", "lable"), "x")),
    "cycle.missing_key": mutated(NATIONAL, removing(("transitions", "@approve_plan", "dest"))),
    "cycle.missing_group": mutated(NATIONAL, setting(("roles", "sdm"), {"resolver": "group"})),
    "cycle.type": mutated(NATIONAL, setting(("transitions", "@approve_plan", "roles"), "penilai")),
    "cycle.enum_noun": mutated(NATIONAL, setting(("period",), "annualy")),
    "cycle.enum": mutated(NATIONAL, setting(("development",), {"below_target": "refuze"})),
    "cycle.bad_cycle_id": mutated(NATIONAL, setting(("id",), "Bad Id!")),
    "cycle.bad_name": mutated(NATIONAL, setting(("transitions", "@approve_plan", "trigger"), "Approve Plan")),
    "cycle.key_not_name": "id: x\nroles:\n  12: {resolver: self}\n",
    "cycle.min_roles": mutated(NATIONAL, setting(("roles",), {})),
    "cycle.min_states": mutated(NATIONAL, setting(("states",), {"plan": {"initial": True, "final": True}})),
    "cycle.exact_items": mutated(WEIGHTED, setting(("indicators", 0, "target"), [1, 2, 3])),
    "cycle.min_one_item": mutated(NATIONAL, setting(("transitions", "@approve_plan", "roles"), [])),
    "cycle.empty_text": mutated(NATIONAL, setting(("title",), "")),
    "cycle.max_length": mutated(NATIONAL, setting(("title",), "T" * 300)),
    "cycle.minimum": mutated(NATIONAL, setting(("version",), 0)),
    "cycle.maximum": mutated(WEIGHTED, setting(("indicators", 0, "weight"), 500)),
    "cycle.exclusiveMinimum": mutated(WEIGHTED, setting(("indicators", 0, "weight"), 0)),
    "cycle.unique_items": mutated(TALENT, setting(("talent", "shortlists", 0, "boxes"), [7, 7])),
    "cycle.deadline_both": mutated(NATIONAL, setting(("states", "plan", "deadline"),
                                                     {"within": "3d", "at": "period_end", "then": "remind"})),
    "cycle.deadline_needs": mutated(NATIONAL, setting(("states", "plan", "deadline"), {"then": "remind"})),
    "cycle.guard_both": mutated(NATIONAL, guard("submit_plan", {"rule": "x", "expr": "1 > 0"})),
    "cycle.guard_needs": mutated(NATIONAL, guard("submit_plan", {"message": "x"})),
    "cycle.payload_schema": mutated(NATIONAL, setting(("transitions", "@return_plan", "payload", "type"), "objekt")),
    # references between the parts
    "cycle.unknown_name_hint": mutated(NATIONAL, setting(("transitions", "@approve_plan", "dest"), "monitr")),
    "cycle.unknown_name_known": mutated(NATIONAL, setting(("transitions", "@approve_plan", "roles"), ["zzzqq"])),
    "cycle.unknown_name": mutated(NATIONAL, setting(("transitions", "@approve_plan", "dest"), "qqqqqqqqq")),
    "cycle.duplicate": mutated(WEIGHTED, lambda d: d["indicators"].append(copy.deepcopy(d["indicators"][0]))),
    "cycle.duplicate_role": NATIONAL_TEXT.replace("  sdm:\n", "  penilai:\n    resolver: self\n  sdm:\n", 1),
    "cycle.duplicate_state": text_swap("  closed:\n", "  plan:\n    stage: plan\n  closed:\n"),
    "cycle.duplicate_result": text_swap("  predikat_akhir:\n", "  predikat:\n    rule: predicate_matrix\n"
                                                             "  predikat_akhir:\n"),
    "cycle.duplicate_key": text_swap("    stage: plan\n    initial: true\n",
                                     "    stage: plan\n    stage: plan\n    initial: true\n"),
    "cycle.no_initial": mutated(NATIONAL, removing(("states", "plan", "initial"))),
    "cycle.two_initial": mutated(NATIONAL, setting(("states", "monitor", "initial"), True)),
    "cycle.public_role": mutated(NATIONAL, each(setting(("roles", "warga"), {"resolver": "public"}),
                                                setting(("transitions", "@approve_plan", "roles"), ["warga"]))),
    "cycle.path_malformed": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"), "data..x")),
    "cycle.path_root": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"), "dta.x")),
    "cycle.data_key_hint": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"),
                                                     "data.penilain.perilaku")),
    "cycle.data_key": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"),
                                                "data.zzzzzzzz.perilaku")),
    "cycle.data_key_none": mutated(NATIONAL, each(
        lambda d: [t.pop("save_as", None) for t in d["transitions"]],
        setting(("results", "rating_perilaku", "inputs", "values"), "data.penilaian.perilaku"))),
    "cycle.employee_field": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"),
                                                      "employee.zzzzzz")),
    "cycle.path_history_part": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"),
                                                         "history.reslts.predikat")),
    "cycle.path_history": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"),
                                                    "history.results")),
    "cycle.path_no_part": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"), "unit")),
    "cycle.path_part": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"), "unit.zzzz")),
    "cycle.path_results": mutated(NATIONAL, setting(("results", "rating_perilaku", "inputs", "values"),
                                                    "unit.results")),
    "cycle.path_past": mutated(FEEDBACK, lambda d: d["results"][next(
        n for n, r in d["results"].items() if any(str(v).startswith("feedback.") for v in r.get("inputs", {}).values())
    )]["inputs"].update({k: f"feedback.{d['feedback'][0]['id']}.scores.x" for k, v in next(
        r for r in d["results"].values() if any(str(v).startswith("feedback.") for v in r.get("inputs", {}).values())
    )["inputs"].items() if str(v).startswith("feedback.")})),
    "cycle.path_feedback_part": mutated(FEEDBACK, lambda d: next(
        r for r in d["results"].values() if any(str(v).startswith("feedback.") for v in r.get("inputs", {}).values())
    )["inputs"].update(x=f"feedback.{d['feedback'][0]['id']}.zzzzzz")),
    "cycle.system_fed": mutated(WEIGHTED, lambda d: next(
        i for i in d["indicators"] if "realisation" in i.get("inputs", {})).update(supplied_by="pegawai")),
    "cycle.no_weight": mutated(WEIGHTED, lambda d: d["indicators"][0].pop("weight")),
    "cycle.weights_total": mutated(WEIGHTED, lambda d: d["indicators"][0].update(weight=1)),
    # the state graph, triggers, deadlines
    "cycle.leaves_final": mutated(NATIONAL, setting(("transitions", "@approve_plan", "source"),
                                                    ["plan_review", "closed"])),
    "cycle.no_way_out": mutated(NATIONAL, setting(("states", "limbo"), {"stage": "plan"})),
    "cycle.unreachable": mutated(NATIONAL, each(
        setting(("states", "limbo"), {"stage": "plan"}),
        lambda d: d["transitions"].append({"trigger": "leave_limbo", "source": "limbo", "dest": "closed",
                                           "roles": ["sdm"]}))),
    "cycle.source_twice": mutated(NATIONAL, setting(("transitions", "@close_monitoring", "source"),
                                                    ["monitor", "monitor"])),
    "cycle.trigger_twice": mutated(NATIONAL, lambda d: d["transitions"].append(
        {"trigger": "approve_plan", "source": "plan_review", "dest": "plan", "roles": ["penilai"]})),
    "cycle.deadline_trigger": mutated(NATIONAL, setting(("states", "plan", "deadline"),
                                                        {"within": "3d", "then": {"fire": "approve_plan"}})),
    "cycle.vacant_idle": mutated(NATIONAL, setting(("states", "review", "vacant"),
                                                   {"pegawai": {"fire": "confirm_rating"}})),
    "cycle.vacant_trigger": mutated(NATIONAL, setting(("states", "review", "vacant"),
                                                      {"atasan_penilai": {"fire": "accept_rating"}})),
    "cycle.vacant_payload": mutated(NATIONAL, setting(("states", "review", "vacant"),
                                                      {"atasan_penilai": {"fire": "return_rating"}})),
    "cycle.vacant_saves": mutated(NATIONAL, lambda d: (
        d["states"]["rated"].update(vacant={"pegawai": {"fire": "appeal"}}),
        next(t for t in d["transitions"] if t["trigger"] == "appeal")["payload"].pop("required"))),
    "cycle.duration": mutated(NATIONAL, setting(("states", "plan", "deadline", "within"), "30 days")),
    "cycle.stranding": mutated(NATIONAL, lambda d: [s.get("edit", {}).pop("pegawai", None)
                                                    for s in d["states"].values()
                                                    if "realisation" in s.get("edit", {}).get("pegawai", [])]),
    # rules and guard expressions
    "rule.unknown_hint": mutated(NATIONAL, setting(("results", "predikat", "rule"), "predicate_matrx")),
    "rule.unknown": mutated(NATIONAL, setting(("results", "predikat", "rule"), "qqqqqqqqqq")),
    "cycle.guard_expression": mutated(NATIONAL, guard("submit_plan", {"expr": "indicator_cont >= 1"})),
    "cycle.payload_key": mutated(NATIONAL, guard("return_plan", {"expr": "len(payload['komentr']) > 3"})),
    "cycle.calibration_predicates": mutated(NATIONAL, each(
        lambda d: [d["results"].pop(n) for n in ("predikat", "predikat_akhir")],
        lambda d: [s.pop("on_enter", None) for s in d["states"].values()],
        guard("approve_plan", {"calibration": {"on_breach": "block"}}))),
    "cycle.calibration_result": mutated(NATIONAL, guard("approve_plan", {"calibration": {
        "on_breach": "block", "predicate": "predikat_final"}})),
    "cycle.calibration_limits": mutated(NATIONAL, guard("approve_plan", {"calibration": {
        "on_breach": "block", "limits": {"Baik": [{"predicates": ["Baik"], "at_most_percent": 70,
                                                   "at_least_count": 1}]}}})),
    # checkpoints
    "cycle.series_twice": mutated(QUARTERLY, lambda d: d["checkpoints"].append(copy.deepcopy(d["checkpoints"][0]))),
    "cycle.series_too_long": mutated(QUARTERLY, each(setting(("period",), "quarterly"), series("every", "semester"))),
    "cycle.series_state": mutated(QUARTERLY, series("states", ["monitor", "zzzz"])),
    "cycle.series_role": mutated(QUARTERLY, series("feedback", {"roles": ["zzzz"]})),
    "cycle.targets_no_realisation": mutated(QUARTERLY, each(series("targets", "even"),
                                                            removing(("checkpoints", 0, "realisation")))),
    "cycle.targets_iki": mutated(QUARTERLY, each(series("targets", "cumulative"),
                                                 setting(("skp", "params"), {"direction": "lower"}))),
    "cycle.checkpoint_twice": mutated(QUARTERLY, each(removing(("checkpoints", 0, "every")), series(
        "dates", [{"id": "a", "end": "03-31"}, {"id": "a", "end": "06-30"}]))),
    "cycle.checkpoint_day": mutated(QUARTERLY, each(removing(("checkpoints", 0, "every")),
                                                    series("dates", [{"id": "a", "end": "02-31"}]))),
    "cycle.bad_month_day": mutated(QUARTERLY, each(removing(("checkpoints", 0, "every")),
                                                   series("dates", [{"id": "a", "end": "6-30"}]))),
    "cycle.checkpoint_leap": mutated(QUARTERLY, each(removing(("checkpoints", 0, "every")),
                                                     series("dates", [{"id": "a", "end": "02-29"}]))),
    "cycle.checkpoint_dates_annual": mutated(QUARTERLY, each(setting(("period",), "semester"),
                                                             removing(("checkpoints", 0, "every")),
                                                             series("dates", [{"id": "a", "end": "03-31"}]))),
    "cycle.checkpoint_order": mutated(QUARTERLY, each(removing(("checkpoints", 0, "every")), series(
        "dates", [{"id": "a", "end": "06-30"}, {"id": "b", "end": "03-31"}]))),
    "cycle.checkpoint_part": mutated(QUARTERLY, setting(("checkpoints", 0, "results", "predikat", "inputs",
                                                         "work_results"), "checkpoint.zzzz.x")),
    "cycle.checkpoint_result": mutated(QUARTERLY, setting(("checkpoints", 0, "results", "predikat", "inputs",
                                                           "work_results"), "checkpoint.results.zzzz")),
    "cycle.checkpoint_question": mutated(QUARTERLY, setting(("checkpoints", 0, "results", "predikat", "inputs",
                                                             "work_results"), "checkpoint.self_assessment.zzzz")),
    "cycle.series_path": mutated(QUARTERLY, setting(("results", "rating_perilaku", "inputs", "values"),
                                                    "checkpoints")),
    "cycle.series_unknown": mutated(QUARTERLY, setting(("results", "rating_perilaku", "inputs", "values"),
                                                       "checkpoints.zzzz[*].results.predikat")),
    "cycle.series_part": mutated(QUARTERLY, setting(("results", "rating_perilaku", "inputs", "values"),
                                                    "checkpoints.triwulan[*].zzzz")),
    "cycle.series_result": mutated(QUARTERLY, setting(("results", "rating_perilaku", "inputs", "values"),
                                                      "checkpoints.triwulan[*].results.zzzz")),
    # the talent grid
    "cycle.talent_result": mutated(TALENT, setting(("talent", "box"), "kotak_talentaa")),
    "cycle.talent_rule": mutated(TALENT, setting(("talent", "box"), next(
        n for n, r in TALENT["results"].items() if r.get("rule") == "predicate_matrix"))),
    "cycle.talent_box": mutated(TALENT, setting(("talent", "shortlists", 0, "boxes"), [7, 8, 12])),
    "cycle.anonymous_role_minimum": mutated(FEEDBACK, setting(
        ("results", "skor_360", "params", "roles", "peers", "min_respondents"), 1)),
}

# Rules' own words about their parameters and guard expressions: each arrives inside a cycle
# problem (rule.param_problem, cycle.guard_expression) and must be coded too.
RULE_CORPUS: dict[str, str] = {
    "rule.param_problem": mutated(NATIONAL, setting(("skp", "params", "cap"), -5)),
    "rule.unknown_parameter": mutated(NATIONAL, setting(("skp", "params", "capp"), 120)),
    "rule.missing_parameter": mutated(NATIONAL, result("x", {"rule": "weighted_sum", "params": {},
                                                             "inputs": {}})),
    "rule.enum": mutated(NATIONAL, setting(("skp", "params", "direction"), "upward")),
    "rule.type": mutated(NATIONAL, setting(("skp", "params", "cap"), "banyak")),
    "rule.exclusiveMinimum": mutated(NATIONAL, setting(("skp", "params", "cap"), -5)),
    "rule.minimum": mutated(NATIONAL, setting(("results", "rekomendasi_pelatihan", "params", "jp_target"), -5)),
    "rule.expr.unknown_name": mutated(NATIONAL, guard("submit_plan", {"expr": "indicator_cont >= 1"})),
    "rule.expr.syntax": mutated(NATIONAL, guard("submit_plan", {"expr": "indicator_count >= "})),
    "rule.expr.attribute_hint": mutated(NATIONAL, guard("submit_plan", {"expr": "predikat.label == 'Baik'"})),
    "rule.expr.call": mutated(NATIONAL, guard("submit_plan", {"expr": "open('x') == 1"})),
    "rule.expr.forbidden": mutated(NATIONAL, guard("submit_plan", {"expr": "[x for x in [1]] == [1]"})),
    "rule.expr.operator": mutated(NATIONAL, guard("submit_plan", {"expr": "indicator_count | 1"})),
    "rule.expr.is_only": mutated(NATIONAL, guard("submit_plan", {"expr": "indicator_count is 1"})),
    "rule.expr.function": mutated(NATIONAL, guard("submit_plan", {"expr": "len == 1"})),
    "rule.expr.dunder": mutated(NATIONAL, guard("submit_plan", {"expr": "__x == 1"})),
    "rule.expr.keywords": mutated(NATIONAL, guard("submit_plan", {"expr": "round(1, ndigits=2) == 1"})),
    "rule.expr.no_args": mutated(NATIONAL, guard("submit_plan", {"expr": "max() == 1"})),
    "rule.expr.number": mutated(NATIONAL, guard("submit_plan", {"expr": "indicator_count > 10**30 + 1e300"})),
    "rule.limit_bounds": CORPUS["cycle.calibration_limits"],  # type: ignore[dict-item]
}

# Codes that are phrases inside a problem (where in the cycle, a kind of value), not problems.
PHRASES = ("cycle.at.", "cycle.type.", "cycle.value.", "cycle.name.", "cycle.noun.", "cycle.enum.", "cycle.alt.",
           "cycle.public.", "cycle.every.", "cycle.strand.", "cycle.meta.", "rule.expr.")
PHRASE_CODES = {"cycle.did_you_mean", "cycle.either", "cycle.phrase", "cycle.none", "cycle.options",
                "cycle.options_then", "cycle.name_too_long", "rule.own_words"}
# Problems a file cannot cause by what it says; each has its own test below.
ELSEWHERE = {"cycle.too_large", "cycle.unreadable", "cycle.not_utf8", "cycle.not_source", "cycle.internal",
             "rule.package", "rule.broken", "rule.expression_broken", "cycle.problems"}
# What a schema keyword or alternative the cycle language does not use today would say (tested below).
FALLBACKS = {"cycle.schema_other", "cycle.alt_invalid", "cycle.invalid_value", "cycle.bad_key_name"}


def nested(message: Message) -> Iterator[Message]:
    """``message`` and every message among its parameters."""
    yield message
    for value in message.params.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Message):
                yield from nested(item)


def codes_of(problems: list[Problem]) -> set[str]:
    return {m.code for p in problems for m in nested(p.msg)}


def problems_of(source: str | bytes) -> list[Problem]:
    return validate_source(source, "siklus.yaml")  # type: ignore[arg-type]  # bytes too: the file as uploaded


# Text quoted from the file ('plan_reveiw', «plan_reveiw»), keys and paths of the cycle language, and
# terms both languages keep, are not words of either language.
_QUOTED = re.compile(r"«[^»]*»|'[^']*'|\{[^}]*\}|\S*[._\[\]=<>]\S*")
_KEPT = {"id", "en", "true", "false", "iki", "skp", "ikm", "json", "schema", "yaml", "iso", "utf-8", "nip"}


def words(text: str, names: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return {w for w in re.findall(r"[a-zA-Z]+", _QUOTED.sub(" ", text).lower()) if w not in _KEPT}


def names_in(message: Message) -> set[str]:
    """The texts a message quotes (names from the file and the cycle language): neither language's words."""
    found: set[str] = set()
    for inner in nested(message):
        for value in inner.params.values():
            found |= {v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v}
    return found


def assert_in_one_language(problem: Problem) -> None:
    names = names_in(problem.msg)
    indonesian = message_text(problem.msg, "id")
    english = message_text(problem.msg, "en")
    assert not words(indonesian, names) & ENGLISH, (problem.msg, indonesian, words(indonesian, names) & ENGLISH)
    assert not words(english, names) & INDONESIAN, (problem.msg, english, words(english, names) & INDONESIAN)
    assert indonesian != english or not words(indonesian, names), problem.msg



@pytest.mark.parametrize("code", sorted({**CORPUS, **RULE_CORPUS}))
def test_each_broken_cycle_reports_its_kind_of_problem_in_both_languages(code: str) -> None:
    source = {**CORPUS, **RULE_CORPUS}[code]
    problems = problems_of(source)
    assert code in codes_of(problems), [(p.message, p.msg) for p in problems]
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1
        assert_in_one_language(problem)


def test_the_corpus_reaches_every_kind_of_problem_a_cycle_file_can_have() -> None:
    declared = {code for code in TEXTS if code.startswith(("cycle.", "rule."))}
    problems = {code for code in declared if not code.startswith(PHRASES) and code not in PHRASE_CODES}
    rule_words = {code for code in declared if code.startswith("rule.") and code not in ELSEWHERE}
    missing = problems - set(CORPUS) - set(RULE_CORPUS) - ELSEWHERE - FALLBACKS - rule_words
    assert missing == set(), f"no broken cycle in the corpus reports {sorted(missing)}"


def _codes_rules_give() -> set[str]:
    """``ParamProblem(path, english, "code", ...)``, ``ExpressionError(..., code="expr.x")`` and
    ``self.fail(node, english, "code", ...)`` in the rules package, as the engine's codes."""
    used: set[str] = set()
    for path in (ROOT / "rules").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            code = node.args[2] if name in ("ParamProblem", "fail") and len(node.args) > 2 else next(
                (k.value for k in node.keywords if k.arg == "code"), None) if name == "ExpressionError" else None
            choices = [code.body, code.orelse] if isinstance(code, ast.IfExp) else [code]
            for choice in choices:
                if isinstance(choice, ast.Constant) and isinstance(choice.value, str):
                    used.add(f"rule.expr.{choice.value}" if name == "fail" else f"rule.{choice.value}")
            if isinstance(code, ast.JoinedStr) and name == "ParamProblem":  # f"unknown_{word}", f"missing_{word}"
                prefix = code.values[0].value if isinstance(code.values[0], ast.Constant) else ""
                used |= {f"rule.{prefix}{word}" for word in ("parameter", "key")}
    return used | {f"rule.{kind}" for kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")}


def test_every_code_a_rule_gives_is_declared() -> None:
    # A rule names its problems by code (rules import nothing from the engine): the engine declares each.
    used = _codes_rules_give()
    assert {"rule.enum", "rule.expr.unknown_name", "rule.weights_scale"} <= used
    assert used - set(TEXTS) == set()


def _file(source: str) -> CycleFile:
    document = read_yaml(source, "siklus.yaml")
    return CycleFile("siklus.yaml", source, document)


@pytest.mark.parametrize(("schema", "source", "code"), [
    ({"properties": {"title": {"const": "x"}}}, "title: y\n", "cycle.schema_other"),
    ({"properties": {"target": {"oneOf": [{"type": "number"}, {"type": "integer"}]}}}, "target: 1\n",
     "cycle.alt_invalid"),
    ({"properties": {"size": {"oneOf": [{"type": "number"}, {"type": "integer"}]}}}, "size: 1\n",
     "cycle.invalid_value"),
    ({"propertyNames": {"maxLength": 2}}, "abc: 1\n", "cycle.bad_key_name"),
])
def test_a_schema_rule_the_cycle_language_may_add_later_is_still_coded(schema, source, code) -> None:
    # The cycle schema uses none of these today; a keyword or alternative added to it is still said in words.
    file = _file(source)
    for error in Draft202012Validator(schema).iter_errors(file.data):
        explain(file, error)
    assert code in codes_of(file.problems), [(p.message, p.msg) for p in file.problems]
    for problem in file.problems:
        assert_in_one_language(problem)


@pytest.mark.parametrize(("rule", "params", "code"), [
    ("banding", {"bands": [{"label": "A"}, {"label": "B", "min": 1}]}, "rule.band_min"),
    ("banding", {"bands": [{"label": "A", "min": 1}, {"label": "B", "min": 2}]}, "rule.band_order"),
    ("behaviour_360", {"supervisor_weight": 50, "roles": {"peers": {"weight": 10}}}, "rule.role_weights_rater"),
    ("behaviour_360", {"thresholds": {"above": 1, "meets": 2}}, "rule.above_meets"),
    ("work_results_rating", {"thresholds": {"above": 90, "meets": 100}}, "rule.above_meets_value"),
    ("talent_box", {"performance_thresholds": {"medium": 80, "high": 70}}, "rule.high_medium"),
    ("talent_box", {"boxes": [[1, 1, 1], [1, 1, 1], [1, 1, 1]]}, "rule.boxes"),
    ("calibration", {"limits": {"Baik": [{"predicates": ["Baik"], "at_most_percent": 70, "at_least_count": 1}]}},
     "rule.limit_bounds"),
    ("credit_points", {"percentages": {"Baik": 100}}, "rule.percentages"),
    ("expression", {"expr": "1 + ", "inputs": ["a"]}, "rule.expr.syntax"),
    ("expression", {"expr": "a", "inputs": ["1a"]}, "rule.formula_name"),
    ("feedback_360", {"roles": {"rekan": {"weight": 50}}}, "rule.role_weights"),
    ("feedback_360", {"roles": {"rekan": {"weight": 100}}, "fallback_weights": [{"absent": ["rekn"], "weights": {}}]},
     "rule.unknown_role"),
    ("feedback_360", {"roles": {"rekan": {"weight": 50}, "bawahan": {"weight": 50}},
                      "fallback_weights": [{"absent": ["rekan"], "weights": {"rekan": 100}}]}, "rule.fallback_roles"),
    ("feedback_360", {"roles": {"rekan": {"weight": 50}, "bawahan": {"weight": 50}},
                      "fallback_weights": [{"absent": ["rekan"], "weights": {"bawahan": 60}}]}, "rule.weights_total"),
    ("feedback_360", {"roles": {"rekan": {"weight": 100}}, "score_range": [5, 1]}, "rule.score_range"),
    ("periodic_rating", {"scale": ["Baik", "baik "]}, "rule.labels_differ"),
    ("trend", {"scale": ["Baik", "baik "]}, "rule.labels_differ"),
    ("weighted_sum", {"weights": {"a": 50, "b": 20}}, "rule.weights_scale"),
    ("weighted_mean", {"weights": {"a": 0, "b": 0}}, "rule.weight_positive"),
    ("weighted_sum", {"weights": {"a": 100}, "zzz": 1}, "rule.unknown_parameter"),
    ("banding", {"bands": [{"label": "A", "min": 1, "zzz": 1}]}, "rule.unknown_key"),
    ("weighted_sum", {"weights": {"a": "banyak"}}, "rule.type"),
    ("weighted_sum", "banyak", "rule.params_mapping"),
])
def test_a_rules_complaint_about_its_params_reads_in_both_languages(rule: str, params: Any, code: str) -> None:
    from engine.rule_problems import param_message
    from rules import get_rule
    from rules.base import format_path

    problems = get_rule(rule).validate_params(params)
    messages = [param_message(rule, format_path(p.path), p) for p in problems]
    assert code in {m.code for message in messages for m in nested(message)}, [str(p) for p in problems]
    for message in messages:
        assert_in_one_language(Problem("siklus.yaml", 1, 1, "", message))


def test_a_problem_without_a_code_cannot_be_made() -> None:
    with pytest.raises(TypeError, match="coded message"):
        Problem("siklus.yaml", 1, 1, "unknown state 'x'", None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Problem("siklus.yaml", 1, 1, "unknown state 'x'")  # type: ignore[call-arg]


def test_a_file_too_large_unreadable_or_not_utf8_is_one_coded_problem(tmp_path: Path) -> None:
    large = tmp_path / "besar.yaml"
    large.write_bytes(b"#" * (300 * 1024))
    garbled = tmp_path / "rusak.yaml"
    garbled.write_bytes(b"id: x\n\xff\n")
    for path, code in ((large, "cycle.too_large"), (tmp_path, "cycle.unreadable"), (garbled, "cycle.not_utf8")):
        (problem,) = validate_file(str(path))
        assert problem.msg.code == code
        assert_in_one_language(problem)
    (problem,) = validate_source(12, "siklus.yaml")  # type: ignore[arg-type]
    assert problem.msg.code == "cycle.not_source"


def test_a_cycle_that_does_not_load_is_refused_in_the_readers_language_with_its_first_problem() -> None:
    with pytest.raises(DefinitionError) as refused:
        load_definition(text_swap("dest: plan_review", "dest: plan_reveiw"), "siklus.yaml")
    assert refused.value.msg is not None and refused.value.msg.code == "cycle.problems"
    assert message_text(refused.value.msg, "id").startswith("Berkas siklus mempunyai 1 masalah; yang pertama di baris ")
    assert message_text(refused.value.msg, "id").endswith(
        ": Nama tahap «plan_reveiw» tidak dikenal (maksudnya «plan_review»?).")
    assert message_text(refused.value.msg, "en").startswith("The cycle file has 1 problem(s); the first is on line ")
    assert "siklus.yaml:" in refused.value.message  # the log keeps every problem, as siklus validate prints it


def test_a_bug_in_a_check_is_a_coded_problem_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_file: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("engine.validation.CHECKS", ((CHECKS[0][0], broken), *CHECKS[1:]))
    problems = problems_of(mutated(NATIONAL, setting(("transitions", "@approve_plan", "dest"), "monitr")))
    assert {"cycle.internal", "cycle.unknown_name_hint"} <= codes_of(problems)
    assert message_text(next(p.msg for p in problems if p.msg.code == "cycle.internal"), "id").startswith(
        "Pemeriksaan berkas ini gagal karena kesalahan dalam Siklus sendiri")


def test_a_rule_that_breaks_while_checking_its_params_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from rules import get_rule

    rule = get_rule("predicate_matrix")

    def boom(_params: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(type(rule), "validate_params", lambda self, params: boom(params))
    problems = problems_of(NATIONAL_TEXT)
    assert "rule.broken" in codes_of(problems)
    assert message_text(next(p.msg for p in problems if p.msg.code == "rule.broken"), "id").startswith(
        "Aturan «predicate_matrix» gagal")


def test_a_plugin_rule_without_codes_is_shown_in_its_own_words() -> None:
    from engine.rule_problems import param_message
    from rules import ParamProblem

    message = param_message("plugin_rule", "params.x", ParamProblem(("x",), "must be blue"))
    assert message_text(message, "id") == "Aturan «plugin_rule», params.x: must be blue."


def test_the_location_and_the_suggestion_survive_in_both_languages() -> None:
    source = text_swap("dest: plan_review", "dest: plan_reveiw")
    (problem,) = [p for p in problems_of(source) if p.msg.code == "cycle.unknown_name_hint"]
    line = next(i for i, text in enumerate(source.splitlines(), 1) if "plan_reveiw" in text)
    assert (problem.line, problem.col) == (line, source.splitlines()[line - 1].index("plan_reveiw") + 1)
    assert message_text(problem.msg, "id") == "Nama tahap «plan_reveiw» tidak dikenal (maksudnya «plan_review»?)."
    assert message_text(problem.msg, "en") == "Unknown state name 'plan_reveiw' (did you mean 'plan_review'?)."


def test_a_schema_problem_names_where_it_is_in_the_readers_language() -> None:
    source = mutated(NATIONAL, setting(("transitions", "@approve_plan", "roles"), "penilai"))
    (problem,) = [p for p in problems_of(source) if p.msg.code == "cycle.type"]
    assert message_text(problem.msg, "id") == ("Nilai «roles» pada transisi «approve_plan» harus berupa daftar, "
                                               "bukan teks «penilai».")
    assert message_text(problem.msg, "en") == ("'roles' of transition 'approve_plan' must be a list, "
                                               "not the text 'penilai'.")
    assert problem.message == "'roles' of transition 'approve_plan' must be a list, not the text 'penilai'"


def test_siklus_validate_in_indonesian_prints_file_line_col_and_no_english(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SIKLUS_LANG", "en")  # and back as it was afterwards: --lang sets it for the process
    bad = tmp_path / "siklus.yaml"
    bad.write_text(mutated(NATIONAL, each(setting(("period",), "annualy"),
                                          setting(("transitions", "@approve_plan", "roles"), "penilai"),
                                          setting(("states", "limbo"), {"stage": "plan"}))), encoding="utf-8")
    result = runner.invoke(cli, ["--lang", "id", "validate", str(bad)], catch_exceptions=False)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(bad))]
    assert len(lines) == 5, result.output
    for line in lines:
        assert re.match(rf"{re.escape(str(bad))}:\d+:\d+: \S", line), line
        assert not words(line.split(": ", 1)[1]) & ENGLISH, line
    assert any("«annualy» bukan jenis periode; gunakan salah satu dari" in line for line in lines)
    monkeypatch.setenv("SIKLUS_LANG", "id")
    again = runner.invoke(cli, ["validate", str(bad)], catch_exceptions=False)
    assert [line for line in again.output.splitlines() if line.startswith(str(bad))] == lines
