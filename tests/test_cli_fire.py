"""Mistakes in ``siklus fire`` arguments: each is one line naming what to change, exit 1, in the CLI's
language, and nothing is fired."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import Appraisal
from tests.support.states import drive
from tests.test_cli_languages import launched  # noqa: F401  (the fixture: ani's appraisal, national cycle, DINAS 2026)
from web.cli import cli


def _state(session, appraisal_id: int) -> tuple[str, int]:
    session.rollback()
    return session.execute(select(Appraisal.state, Appraisal.version).where(Appraisal.id == appraisal_id)).one()


def _refused(runner, session, appraisal_id: int, args: list[str]) -> str:
    before = _state(session, appraisal_id)
    result = runner.invoke(cli, ["fire", str(appraisal_id), *args])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert _state(session, appraisal_id) == before
    return result.output.strip()


@pytest.fixture
def in_plan(session, org, launched):  # noqa: F811  (the fixture imported above)
    drive(session, org, launched, "ani", "plan")
    return launched


def test_a_role_the_step_does_not_have_is_named_with_the_steps_roles(runner, session, in_plan):
    said = _refused(runner, session, in_plan, ["submit_plan", "--as", "ani", "--role", "bogus"])
    assert said == "error: Role 'bogus' is not a role of 'submit_plan'; its roles are: pegawai."


def test_a_role_of_the_cycle_but_not_of_the_step_is_named_too(runner, session, in_plan):
    said = _refused(runner, session, in_plan, ["submit_plan", "--as", "ani", "--role", "penilai"])
    assert said == "error: Role 'penilai' is not a role of 'submit_plan'; its roles are: pegawai."


def test_the_role_refusal_in_indonesian_names_roles_and_step_by_their_labels(runner, session, monkeypatch, in_plan):
    monkeypatch.setenv("SIKLUS_LANG", "id")
    said = _refused(runner, session, in_plan, ["submit_plan", "--as", "ani", "--role", "bogus"])
    assert said == "kesalahan: Peran «bogus» bukan peran untuk «Ajukan SKP»; yang dapat melakukannya: Pegawai."


def test_a_role_of_the_step_the_person_does_not_hold_says_so(runner, session, org, in_plan):
    drive(session, org, in_plan, "ani", "plan_review")
    said = _refused(runner, session, in_plan, ["approve_plan", "--as", "budi", "--role", "penilai"])
    assert said == "error: You do not hold the role penilai on this appraisal, so you cannot fire 'approve_plan' as it."


def test_a_held_role_of_the_step_fires(runner, session, org, in_plan):
    drive(session, org, in_plan, "ani", "plan_review")
    result = runner.invoke(cli, ["fire", str(in_plan), "approve_plan", "--as", "kabid", "--role", "penilai"])
    assert result.exit_code == 0 and "plan_review -> " in result.output and "as penilai" in result.output


def test_a_long_role_is_shortened_in_the_refusal(runner, session, in_plan):
    said = _refused(runner, session, in_plan, ["submit_plan", "--as", "ani", "--role", "x" * 3000])
    assert f"Role '{'x' * 63}…' is not a role" in said


@pytest.mark.parametrize("data", ["[1]", '"x"', "null", "3"])
def test_data_that_is_not_a_json_object_is_refused(runner, session, in_plan, data):
    said = _refused(runner, session, in_plan, ["submit_plan", "--as", "ani", "--data", data])
    assert said.startswith("error: --data must be a JSON object, e.g. '{}'")


@pytest.mark.parametrize(("data", "where"), [
    ('{"catatan": NaN}', "NaN at catatan"), ('{"a": [1, -Infinity]}', "-Infinity at a/1"),
    ("Infinity", "Infinity at --data"),
])
def test_data_with_a_number_json_does_not_have_is_refused_naming_where(runner, session, in_plan, data, where):
    said = _refused(runner, session, in_plan, ["submit_plan", "--as", "ani", "--data", data])
    assert said.startswith(f"error: --data holds {where}: JSON has no NaN, Infinity")


def test_data_with_a_non_number_is_refused_in_indonesian_too(runner, session, monkeypatch, in_plan):
    monkeypatch.setenv("SIKLUS_LANG", "id")
    said = _refused(runner, session, in_plan, ["submit_plan", "--as", "ani", "--data", '{"x": NaN}'])
    assert said.startswith("kesalahan: --data memuat NaN di x: JSON tidak punya NaN")


@pytest.mark.parametrize(("args", "says"), [
    (["submit_plan", "--as", "ani", "--version", "99"], "is now at version"),
    (["submit_plan", "--as", "nobody"], "no user 'nobody'"),
    (["", "--as", "ani"], "unknown trigger ''"),
    (["approve_plan", "--as", "ani"], "cannot fire from state 'plan'"),
])
def test_other_argument_mistakes_are_one_line(runner, session, in_plan, args, says):
    assert says in _refused(runner, session, in_plan, args)


def test_an_unknown_appraisal_is_named(runner, session, in_plan):
    result = runner.invoke(cli, ["fire", "999999", "submit_plan", "--as", "ani"])
    assert result.exit_code == 1 and result.output.strip() == "error: There is no appraisal #999999."
