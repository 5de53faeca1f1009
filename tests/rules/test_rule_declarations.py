"""What the engine and the screens need from a rule is declared by the rule itself: what its value is,
the labels it takes, the survey elements and scale of an input, and what it reads from an SKP row.

A rule shipped by an agency declares the same things and is found by them, never by its name."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from rules import (
    CALIBRATION,
    EMPLOYEE_PREDICATE,
    RuleRegistryError,
    all_rules,
    computes,
    get_rule,
    labels_of,
    row_params_of,
    rules_computing,
)
from rules import registry as rule_registry
from rules.registry import GROUP, load_rules

PREDICATES = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang")


def test_the_predicate_matrix_declares_that_it_gives_the_regulations_employee_predicates_best_first() -> None:
    matrix = get_rule("predicate_matrix")
    assert matrix.computes == EMPLOYEE_PREDICATE
    assert matrix.labels == PREDICATES
    assert [rule.name for rule in rules_computing(EMPLOYEE_PREDICATE)][0] == "predicate_matrix"
    assert labels_of(EMPLOYEE_PREDICATE)[:5] == PREDICATES
    assert computes("predicate_matrix", EMPLOYEE_PREDICATE) and not computes("work_results_rating", EMPLOYEE_PREDICATE)


def test_the_ratings_declare_the_three_rating_labels() -> None:
    labels = ("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")
    assert get_rule("work_results_rating").labels == labels
    assert get_rule("behaviour_rating").labels == labels
    assert get_rule("predicate_matrix").inputs["behaviour"].labels == labels


def test_calibration_declares_the_unit_predicates_it_reads_and_the_employee_predicates_it_counts() -> None:
    calibration = get_rule("calibration")
    assert calibration.computes == CALIBRATION
    assert rules_computing(CALIBRATION)[0] is calibration
    assert calibration.inputs["unit_predicate"].labels == ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang",
                                                           "Sangat Kurang")
    assert calibration.inputs["predicates"].labels == PREDICATES


def test_the_ikm_rule_declares_the_nine_service_elements_and_the_four_point_scale() -> None:
    answers = get_rule("ikm").inputs["responses"]
    assert len(answers.elements) == 9
    assert answers.elements[0] == {"id": "Persyaratan", "en": "requirements"}
    assert answers.elements[8]["id"] == "Sarana dan prasarana"
    assert answers.scale == (1, 2, 3, 4)


def test_target_achievement_takes_the_iki_aspect_from_the_indicator_row() -> None:
    assert row_params_of("target_achievement") == ("aspect",)
    assert row_params_of("weighted_sum") == ()
    assert row_params_of("not_installed") == ()
    assert not computes("not_installed", EMPLOYEE_PREDICATE)


PLUGIN = '''
from rules import EMPLOYEE_PREDICATE, InputSpec, Rule, RuleResult

class PpkPredicate(Rule):
    """An agency's own predicate, with a label of its own after the regulation's."""
    name = "ppk_predicate"
    title = {"id": "Predikat PPK", "en": "PPK predicate"}
    params_schema = {"type": "object", "properties": {"aspect": {"type": "string"}}}
    inputs = {"score": InputSpec({"id": "nilai", "en": "score"})}
    computes = EMPLOYEE_PREDICATE
    labels = ("Sangat Baik", "Baik", "Istimewa Khusus")
    row_params = ("aspect",)
    def compute(self, params, inputs):
        return RuleResult("Baik", {"id": "Baik", "en": "Good"})

class Unknowable(PpkPredicate):
    name = "unknowable"
    computes = "employee_predikat"

class AspectMissing(PpkPredicate):
    name = "aspect_missing"
    params_schema = {"type": "object"}

class SurveyWithoutScale(PpkPredicate):
    name = "survey_without_scale"
    inputs = {"answers": InputSpec({"id": "jawaban", "en": "answers"}, elements=({"id": "Unsur 1"},))}
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    module = f"declaring_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(PLUGIN))
    monkeypatch.syspath_prepend(str(tmp_path))
    return module


@pytest.fixture
def installed(plugin: str) -> Iterator[None]:
    """The agency's predicate rule installed beside the built-ins, as its package's entry point would."""
    built_in = dict(all_rules())
    origins = dict(rule_registry._origins)
    rules, found = load_rules([EntryPoint(name="ppk", value=f"{plugin}:PpkPredicate", group=GROUP)])
    rule_registry._rules = {**built_in, **rules}
    rule_registry._origins.update(found)
    yield
    rule_registry._rules = None
    rule_registry._origins.clear()
    rule_registry._origins.update(origins)


def test_an_agency_rule_giving_a_predicate_is_found_by_what_it_declares(installed: None) -> None:
    assert [rule.name for rule in rules_computing(EMPLOYEE_PREDICATE)] == ["predicate_matrix", "ppk_predicate"]
    assert computes("ppk_predicate", EMPLOYEE_PREDICATE)
    # The regulation's predicates first, then the agency's own label.
    assert labels_of(EMPLOYEE_PREDICATE) == (*PREDICATES, "Istimewa Khusus")
    assert row_params_of("ppk_predicate") == ("aspect",)


@pytest.mark.parametrize(("attribute", "message"), [
    ("Unknowable", r"computes 'employee_predikat', which is not one of calibration, employee_predicate "
                   r"\(did you mean 'employee_predicate'\?\)"),
    ("AspectMissing", "takes 'aspect' from the indicator row but has no such parameter"),
    ("SurveyWithoutScale", "input 'answers': survey elements need a scale"),
])
def test_a_rule_declaring_what_the_engine_cannot_use_is_refused_when_it_registers(plugin: str, attribute: str,
                                                                                 message: str) -> None:
    with pytest.raises(RuleRegistryError, match=message):
        load_rules([EntryPoint(name="bad", value=f"{plugin}:{attribute}", group=GROUP)])
