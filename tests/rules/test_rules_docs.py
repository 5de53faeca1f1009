"""Every worked example in docs/rules.md runs and prints exactly what the page shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from rules import all_rules
from web.cli_rules import rules_group

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
BLOCK = re.compile(r"```console\n\$ siklus rules (?P<command>[^\n]*)\n(?P<output>.*?)```", re.S)
EXAMPLES = [(m.group("command"), m.group("output")) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("command, output", EXAMPLES, ids=[c.split(" ")[1] for c, _ in EXAMPLES])
def test_the_documented_output_is_the_real_output(command: str, output: str) -> None:
    result = CliRunner().invoke(rules_group, shlex.split(command))
    assert result.output == output


def test_every_installed_rule_has_a_worked_example() -> None:
    shown = {shlex.split(command)[1] for command, _ in EXAMPLES if command.startswith("eval ")}
    assert set(all_rules()) <= shown


def test_every_built_in_rule_has_a_section() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in all_rules():
        assert f"`{name}`" in text or f"## {name}" in text, name
