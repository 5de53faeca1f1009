"""Rules are found through the ``siklus.rules`` entry points, built-ins and agency packages alike."""

from __future__ import annotations

import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from rules import RuleRegistryError, UnknownRuleError, all_rules, get_rule
from rules.registry import GROUP, load_rules, rule_origin

BUILT_IN = {
    "target_achievement", "banding", "work_results_rating", "behaviour_rating", "predicate_matrix", "pp30_score",
    "weighted_sum", "weighted_mean", "feedback_360", "ikm", "calibration", "credit_points",
    "training_recommendation", "talent_box", "discipline", "expression",
}


def test_every_built_in_rule_is_registered_through_the_entry_point() -> None:
    rules = all_rules()
    assert set(rules) >= BUILT_IN
    for name in BUILT_IN:
        assert rules[name].name == name
        assert "rules.builtin:RULES" in rule_origin(name)


def test_rules_are_loaded_once() -> None:
    assert all_rules() is all_rules()


def test_the_example_agency_package_is_found() -> None:
    assert "complaint_response_time" in all_rules(), (
        "the example plug-in is not installed: run .venv/bin/pip install -e tests/rule_plugin"
    )
    assert "siklus-rules-example" in rule_origin("complaint_response_time")
    result = get_rule("complaint_response_time").evaluate({"within_hours": 24}, {"response_hours": [2, 30, 20, 5]})
    assert result.value == 75.0
    assert "3 dari 4 pengaduan" in result.explanation["id"]


def test_an_unknown_rule_suggests_a_close_name() -> None:
    with pytest.raises(UnknownRuleError,
                       match=r"unknown rule 'target_achievment' \(did you mean 'target_achievement'\?\)"):
        get_rule("target_achievment")
    with pytest.raises(UnknownRuleError, match=r"did you mean 'ikm'\?"):
        get_rule("ikm_score")


def test_an_unknown_rule_without_a_close_name_lists_the_rules() -> None:
    with pytest.raises(UnknownRuleError, match="unknown rule 'zzz'; known rules: banding, "):
        get_rule("zzz")


def test_unknown_rule_error_is_a_lookup_error() -> None:
    assert issubclass(UnknownRuleError, LookupError)


# -- loading from entry points, with a plug-in module written for each test ------------------

PLUGIN = '''
from rules import Rule, RuleResult

class Shout(Rule):
    name = "shout"
    title = {"id": "Teriak", "en": "Shout"}
    params_schema = {"type": "object"}
    def compute(self, params, inputs):
        return RuleResult("!", {"id": "!", "en": "!"})

class ShoutAgain(Shout):
    pass

class Nameless(Shout):
    name = "Not Snake"

class Untitled(Shout):
    name = "untitled"
    title = {"id": "Tanpa judul"}

class BadSchema(Shout):
    name = "bad_schema"
    params_schema = {"type": "objekt"}

SHOUT = Shout()
RULES = [Shout(), ShoutAgain]
NOT_A_RULE = 42
MIXED = [Shout(), "shout"]
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    module = f"plugin_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(PLUGIN))
    monkeypatch.syspath_prepend(str(tmp_path))
    return module


def point(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=GROUP)


def test_an_entry_point_may_give_one_rule(plugin: str) -> None:
    rules, origins = load_rules([point("one", f"{plugin}:SHOUT")])
    assert list(rules) == ["shout"]
    assert origins["shout"] == f"entry point 'one' ({plugin}:SHOUT)"


def test_an_entry_point_may_give_a_rule_class(plugin: str) -> None:
    rules, _ = load_rules([point("cls", f"{plugin}:Shout")])
    assert rules["shout"].evaluate({}, {}).value == "!"


def test_the_same_name_from_two_packages_is_an_error_naming_both(plugin: str) -> None:
    with pytest.raises(RuleRegistryError) as caught:
        load_rules([point("first", f"{plugin}:SHOUT"), point("second", f"{plugin}:Shout")])
    message = str(caught.value)
    assert message.startswith("rule 'shout' is registered twice: by entry point 'first'")
    assert f"and by entry point 'second' ({plugin}:Shout)" in message


def test_the_same_name_twice_in_one_list_is_an_error(plugin: str) -> None:
    with pytest.raises(RuleRegistryError, match="rule 'shout' is registered twice"):
        load_rules([point("list", f"{plugin}:RULES")])


def test_a_clash_with_a_built_in_is_an_error(plugin: str, tmp_path: Path) -> None:
    (tmp_path / f"{plugin}_ikm.py").write_text(textwrap.dedent(f"""
        from {plugin} import Shout
        class Ikm(Shout):
            name = "ikm"
        RULES = [Ikm()]
    """))
    with pytest.raises(RuleRegistryError, match="rule 'ikm' is registered twice: by entry point 'builtin'"):
        load_rules([point("builtin", "rules.builtin:RULES"), point("local", f"{plugin}_ikm:RULES")])


@pytest.mark.parametrize(
    "target, message",
    [
        ("NOT_A_RULE", "gives 42, which is not a rule or a list of rules"),
        ("MIXED", "lists 'shout', which is not a rule"),
        ("Nameless", "needs a snake_case name, not 'Not Snake'"),
        ("Untitled", "rule 'untitled' needs a title with 'id' and 'en' texts"),
        ("BadSchema", "rule 'bad_schema' has an invalid params_schema"),
        ("MISSING", "cannot load rules from entry point 'bad'"),
    ],
)
def test_broken_packages_are_named(plugin: str, target: str, message: str) -> None:
    with pytest.raises(RuleRegistryError, match=message):
        load_rules([point("bad", f"{plugin}:{target}")])


def test_a_package_that_fails_to_import_is_named(tmp_path: Path) -> None:
    with pytest.raises(RuleRegistryError,
                       match="cannot load rules from entry point 'gone' \\(no_such_module_xyz:RULES\\): "
                                                 "ModuleNotFoundError"):
        load_rules([point("gone", "no_such_module_xyz:RULES")])
