"""A result that breaks an anonymous window's answers down per role may not score a role from fewer answers than
the anonymity asks (the rule's anonymity_threshold, the window's min_respondents, never one): the score, shown
with its weights beside the rater's own part, would give the few answers away. The validator refuses such a cycle
naming the window, the role and the numbers, in both languages."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.definition import RoleDef, Text
from engine.resolvers import RESOLVERS
from engine.validation import validate_file, validate_source
from engine.vocabulary import rater_role
from tests.engine.test_validation_languages import assert_in_one_language, message_text

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
CODE = "cycle.anonymous_role_minimum"


def cycle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def problems(data: dict[str, Any]) -> list[Any]:
    return [p for p in validate_source(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "siklus.yaml")
            if p.msg.code == CODE]


def test_a_peer_breakdown_counted_from_one_answer_under_a_threshold_of_three_is_refused():
    binjai = cycle("binjai.yaml")  # skor_360: feedback_360 over the anonymous window umpan_balik_360
    binjai["results"]["skor_360"]["params"]["roles"]["peers"]["min_respondents"] = 1
    found = problems(binjai)
    assert len(found) == 1
    problem = found[0]
    english, indonesian = message_text(problem.msg, "en"), message_text(problem.msg, "id")
    for text in (english, indonesian, problem.message):
        assert "skor_360" in text and "peers" in text and "umpan_balik_360" in text
        assert "min_respondents 1" in text and "3" in text
    assert "Set min_respondents of 'peers' to at least 3" in english
    assert "Naikkan min_respondents «peers» menjadi paling sedikit 3" in indonesian
    source = yaml.safe_dump(binjai, sort_keys=False, allow_unicode=True)
    assert source.splitlines()[problem.line - 1].strip().startswith("min_respondents: 1")
    assert_in_one_language(problem)


def test_the_windows_own_minimum_counts_when_it_is_above_the_rules_threshold():
    binjai = cycle("binjai.yaml")
    binjai["feedback"][0]["min_respondents"] = 5  # nothing but the count is shown below five answers
    found = problems(binjai)
    assert [(p.msg.params["role"], p.msg.params["needed"]) for p in found] == [("peers", 5)]


def test_a_behaviour_rating_weighed_with_two_subordinates_is_refused_in_an_upward_review():
    review = cycle("umpan-balik-pimpinan.yaml")
    review["results"]["rating_perilaku"]["params"]["roles"]["subordinates"]["min_respondents"] = 2
    found = problems(review)
    assert [(p.msg.params["result"], p.msg.params["role"], p.msg.params["minimum"], p.msg.params["needed"])
            for p in found] == [("rating_perilaku", "subordinates", 2, 3)]


def test_a_threshold_of_one_does_not_make_a_single_answer_anonymous():
    review = cycle("umpan-balik-pimpinan.yaml")
    review["feedback"][0]["min_respondents"] = 1
    params = review["results"]["rating_perilaku"]["params"]
    params["anonymity_threshold"] = 1
    params["roles"]["peers"]["min_respondents"] = 1
    found = problems(review)
    assert [(p.msg.params["role"], p.msg.params["needed"]) for p in found] == [("peers", 2)]


def test_what_does_not_weaken_anonymity_is_accepted():
    binjai = cycle("binjai.yaml")
    roles = binjai["results"]["skor_360"]["params"]["roles"]
    assert roles["supervisor"]["min_respondents"] == 1 and roles["supervisor"]["anonymous"] is False  # one person
    assert roles["public"]["min_respondents"] == 1  # the unit's public survey, not the window's colleagues
    assert problems(binjai) == []
    named = cycle("binjai.yaml")
    named["feedback"][0]["anonymous"] = False  # a named window shows who said what anyway
    named["results"]["skor_360"]["params"]["roles"]["peers"]["min_respondents"] = 1
    assert problems(named) == []


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_cycle_still_validates(path: Path):
    assert validate_file(str(path)) == []


def test_the_validator_counts_each_roles_answers_under_the_rater_role_scoring_counts_them_under():
    for name, resolver in RESOLVERS.items():
        role = RoleDef("panel_tpk", name, Text("Panel"), "tpk" if name == "group" else None)
        assert rater_role(role.id, name) == resolver.rater_role(role), name
