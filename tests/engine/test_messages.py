"""Every message a person can meet has a code with an Indonesian and an English text, and is written in
one language only: labels for the cycle's things, the reader's number format, the agency's time zone."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.definition import Text
from engine.errors import Forbidden, SiklusError
from engine.messages import Label, Message, UnknownMessage
from engine.messages.registry import TEXTS
from engine.validation import validate_source
from web.cli import cli
from web.messages import catalogue, local_time, message_text

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_every_engine_message_code_has_an_indonesian_and_an_english_text():
    missing = [code for code, text in TEXTS.items() if not text.id.strip() or not text.en.strip()]
    assert missing == [], f"message codes without an Indonesian or an English text: {missing}"


def test_every_engine_message_is_translated_in_the_compiled_english_catalogue():
    english = catalogue("en")
    untranslated = [code for code, text in TEXTS.items() if english.ugettext(text.id) != text.en]
    assert untranslated == [], (f"run `python web/translations/merge.py`: the English catalogue lacks "
                                f"{untranslated}")


def test_both_texts_of_a_message_take_the_same_parameters():
    differ = [code for code, text in TEXTS.items()
              if set(PLACEHOLDER.findall(text.id)) != set(PLACEHOLDER.findall(text.en))]
    assert differ == []


def test_no_two_codes_share_an_indonesian_text_that_would_translate_one_way():
    seen: dict[str, str] = {}
    shared = []
    for code, text in TEXTS.items():
        if text.id in seen and TEXTS[seen[text.id]].en != text.en:
            shared.append((seen[text.id], code))
        seen.setdefault(text.id, code)
    assert shared == []


def _codes_used_in_the_source() -> set[str]:
    used = set()
    for package in ("engine", "web", "rules"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Message"
                        and node.args and isinstance(node.args[0], ast.Constant)):
                    used.add(node.args[0].value)
    return used


def test_every_code_the_source_raises_is_declared():
    assert _codes_used_in_the_source() - set(TEXTS) == set()


def test_an_undeclared_code_is_refused_when_raised():
    with pytest.raises(UnknownMessage):
        Message("no.such.code")


RATER = Label("penilai", Text("Pejabat Penilai", "Rater"))
APPROVE = Label("approve_plan", Text("Setujui SKP", "Approve SKP"))


def test_a_refusal_names_roles_and_steps_by_their_labels_in_the_readers_language():
    refusal = Message("access.fire_role", roles=[RATER], trigger=APPROVE)
    assert message_text(refusal, "id") == ("Anda tidak berwenang: hanya Pejabat Penilai yang dapat melakukan "
                                           "«Setujui SKP» pada penilaian ini.")
    assert message_text(refusal, "en") == "You are not allowed: only Rater may fire 'Approve SKP' on this appraisal."


def test_the_log_sentence_keeps_the_keys_an_operator_greps_for():
    error = Forbidden(Message("access.fire_role", roles=[RATER], trigger=APPROVE))
    assert error.message == "You are not allowed: only penilai may fire 'approve_plan' on this appraisal."
    assert error.msg is not None and error.msg.code == "access.fire_role"


def test_numbers_in_a_message_are_written_as_the_reader_writes_them():
    total = Message("skp.weights_total", total=1234.5)
    assert message_text(total, "id").endswith("kini berjumlah 1.234,5.")
    assert message_text(total, "en").endswith("they total 1,234.5.")
    assert total.english().endswith("they total 1234.5.")


@pytest.mark.parametrize(("zone", "shown"), [("Asia/Jakarta", "3 Mar 2026, 10.00 WIB"),
                                             ("Asia/Makassar", "3 Mar 2026, 11.00 WITA"),
                                             ("Asia/Jayapura", "3 Mar 2026, 12.00 WIT")])
def test_times_are_shown_in_the_agencys_zone_with_its_local_name(monkeypatch, zone, shown):
    monkeypatch.setenv("SIKLUS_TIMEZONE", zone)
    assert local_time(datetime(2026, 3, 3, 3, 0, tzinfo=UTC), "id") == shown


def test_an_error_raised_with_a_message_keeps_the_english_for_logs_and_the_code_for_apis():
    error = SiklusError(Message("skp.target_required", n=2))
    assert error.message == "IKI 2: a target is required."
    assert error.msg is not None and error.msg.as_json() == {"code": "skp.target_required", "params": {"n": 2}}


NATIONAL = ROOT / "workflows" / "permenpan-6-2022.yaml"


def _misspelt_national() -> str:
    source = NATIONAL.read_text(encoding="utf-8")
    assert "dest: plan_review" in source
    return source.replace("dest: plan_review", "dest: plan_reveiw", 1)


def test_a_cycle_file_problem_reads_in_the_readers_language_with_the_english_kept_for_the_cli():
    problems = validate_source(_misspelt_national(), "siklus.yaml")
    found = [p for p in problems if p.msg is not None and p.msg.code == "cycle.unknown_name_hint"]
    assert found, [p.message for p in problems]
    assert message_text(found[0].msg, "id") == "Nama tahap «plan_reveiw» tidak dikenal (maksudnya «plan_review»?)."
    assert "unknown state 'plan_reveiw' (did you mean 'plan_review'?)" in found[0].message


def test_a_file_yaml_cannot_read_is_one_coded_problem():
    (problem,) = validate_source("states: [\n", "rusak.yaml")
    assert message_text(problem.msg, "id").startswith("Berkas tidak dapat dibaca sebagai YAML di sini")
    assert message_text(problem.msg, "en").startswith("The file cannot be read as YAML here")


def test_siklus_validate_speaks_indonesian_when_asked(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("SIKLUS_LANG", raising=False)
    bad = tmp_path / "siklus.yaml"
    bad.write_text(_misspelt_national(), encoding="utf-8")
    result = runner.invoke(cli, ["--lang", "id", "validate", str(bad)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "Nama tahap «plan_reveiw» tidak dikenal (maksudnya «plan_review»?)." in result.output
    assert "1 dari 1 berkas bermasalah" in result.output
    english = runner.invoke(cli, ["--lang", "en", "validate", str(bad)], catch_exceptions=False)
    assert "unknown state 'plan_reveiw'" in english.output and "1 of 1 file(s) have problems" in english.output
