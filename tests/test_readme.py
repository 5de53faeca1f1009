"""The README's cycle example is a whole cycle, not a fragment: it validates, and a dry run takes an
appraisal through it to its final state, so a reader who copies it starts from something that works."""

from __future__ import annotations

import re
from pathlib import Path

from engine.simulate import simulate
from engine.validation import validate_source

README = Path(__file__).resolve().parents[1] / "README.md"


def _cycle_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Writing a cycle", 1)[1]
    found = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert found is not None, "the README has no cycle example under 'Writing a cycle'"
    return found.group(1)


def test_the_readme_cycle_example_validates():
    source = _cycle_example()
    assert source.startswith("id: ") and "transitions:" in source
    assert validate_source(source, "README.md") == []


def test_the_readme_cycle_example_runs_from_planning_to_its_final_state():
    report = simulate(_cycle_example(), "README.md", period="2026")
    assert {"plan", "review", "closed"} <= set(report.reached)
    assert report.findings == []


def test_the_readme_lists_the_demo_logins_and_the_nip_login():
    text = README.read_text(encoding="utf-8")
    for login in ("`pegawai`", "`penilai`", "`atasan`", "`sdm`", "`admin`"):
        assert login in text
    assert "NIP as user name" in text
