"""``siklus rules list`` and ``siklus rules eval``, driven through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rules import all_rules
from web.cli_rules import rules_group


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


def test_list_shows_every_rule_with_its_parameters_and_inputs(cli: CliRunner) -> None:
    result = cli.invoke(rules_group, ["list"])
    assert result.exit_code == 0, result.output
    for name in all_rules():
        assert f"\n{name}: " in "\n" + result.output
    assert "    direction  one of \"higher\", \"lower\", \"range\", default \"higher\"." in result.output
    assert "    realisation  required: the IKI's realisation" in result.output
    assert "inputs: the names listed in params.inputs" in result.output
    assert "from: entry point 'builtin' (rules.builtin:RULES)" in result.output


def test_list_as_json(cli: CliRunner) -> None:
    result = cli.invoke(rules_group, ["list", "--json"])
    listed = json.loads(result.output)
    assert set(listed) == set(all_rules())
    assert listed["ikm"]["inputs"]["responses"]["required"] is True
    assert listed["expression"]["inputs_from_params"] is True
    assert listed["calibration"]["params_schema"]["properties"]["limits"]["default"]["Baik"][0]["at_most_percent"] == 70


def test_eval_prints_value_and_explanation(cli: CliRunner) -> None:
    result = cli.invoke(rules_group, ["eval", "target_achievement", "--params", '{"direction": "lower"}',
                                      "--inputs", '{"realisation": 30, "target": 24}'])
    assert result.exit_code == 0
    output = json.loads(result.output)
    assert output["value"] == 75.0
    assert output["explanation"]["id"].endswith("= 75%.")
    assert "missing" not in output


def test_eval_with_missing_inputs_prints_missing_and_succeeds(cli: CliRunner) -> None:
    result = cli.invoke(rules_group, ["eval", "predicate_matrix", "--inputs", '{"work_results": "Sesuai Ekspektasi"}'])
    assert result.exit_code == 0
    output = json.loads(result.output)
    assert output["value"] is None and output["missing"] == ["behaviour"]


def test_eval_reads_json_from_a_file(cli: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "ikm.json"
    answers.write_text(json.dumps({"responses": [[4] * 9, [3] * 9]}))
    result = cli.invoke(rules_group, ["eval", "ikm", "--inputs", f"@{answers}"])
    assert json.loads(result.output)["value"] == 87.5


@pytest.mark.parametrize(
    "args, message",
    [
        (["eval", "target_achievement", "--params", "{direction: 1}"],
         "Error: --params is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
        (["eval", "target_achievement", "--inputs", "[1, 2]"], "Error: --inputs must be a JSON object"),
        (["eval", "target_achievement", "--inputs", '{"realisation": NaN, "target": 5}'],
         "Error: --inputs holds NaN at realisation: JSON has no NaN"),
        (["eval", "target_achievement", "--inputs", '{"realisation": 1e400, "target": 5}'],
         "Error: --inputs holds 1e400 at realisation: JSON has no NaN"),
        (["eval", "target_achievement", "--inputs", "@/no/such/file.json"],
         "Error: --inputs: cannot read /no/such/file.json"),
        (["eval", "target_achievment"], "Error: unknown rule 'target_achievment' (did you mean 'target_achievement'?)"),
        (["eval", "target_achievement", "--params", '{"dirction": "lower"}'],
         "Error: bad parameters for rule 'target_achievement':\n  params.dirction: unknown parameter 'dirction' "
         "(did you mean 'direction'?)"),
        (["eval", "target_achievement", "--inputs", '{"realisation": "tiga", "target": 5}'],
         "Error: bad inputs for rule 'target_achievement': input 'realisation' must be a number, not the text 'tiga'"),
        (["eval", "banding", "--params", '{"bands": [{"label": "A"}, {"label": "B", "min": 1}]}', "--inputs",
          '{"value": 1}'],
         "params.bands[0]: only the last band may leave out 'min'"),
    ],
)
def test_mistakes_exit_1_with_a_message_and_no_traceback(cli: CliRunner, args: list[str], message: str) -> None:
    result = cli.invoke(rules_group, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
