"""The commands that landed for national scale and background jobs, as a confused operator runs them:
every --help answers, a bad argument gets one clear line and a non-zero exit code, never a traceback."""

from __future__ import annotations

import os

import pytest

from web.cli import cli


def invoke(runner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", [("worker",), ("audit", "verify")])
def test_help_answers(runner, command):
    result = invoke(runner, *command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize(("args", "expected"), [
    (("worker", "--interval", "0"), "--interval"),
    (("worker", "--interval", "abc"), "--interval"),
    (("worker", "--interval", "-1"), "--interval"),
    (("worker", "--bogus"), "--bogus"),
    (("audit", "verify", "--workers", "0"), "--workers"),
    (("audit", "verify", "--workers", "many"), "--workers"),
    (("audit", "verify", "--workers", "100000"), "--workers"),
    (("audit", "verify", "--restart"), "--restart goes with --full"),
    (("audit", "verify", "--head", "abc"), "--head needs --appraisal"),
    (("audit", "verify", "--appraisal", "abc"), "--appraisal"),
    (("audit", "verify", "--appraisal", "-1"), "--appraisal"),
    (("audit", "verify", "--appraisal", "9223372036854775808"), "--appraisal"),
    (("audit", "verify", "--appraisal", "999999"), "no appraisal #999999"),
    (("audit", "verify", "--appraisal", "1", "--full"), "--full"),
    (("audit", "verify", "--appraisal", "1", "--workers", "2"), "--workers"),
    # Year 1 at +14:00 is before the first moment a datetime holds in UTC: the deadline query failed.
    (("tick", "--now", "0001-01-01T00:00:00+14:00"), "is outside the years 1 to 9999 in UTC"),
    (("tick", "--now", "9999-12-31T23:59:59-12:00"), "is outside the years 1 to 9999 in UTC"),
    (("tick", "--now", "x" * 5000), "error: --now '" + "x" * 40 + "…' is not an ISO time"),
    (("export-results", "--period", "x" * 5000), "error: no run for period '" + "x" * 40 + "…'"),
])
def test_a_bad_argument_is_one_clear_line_and_a_non_zero_exit(runner, org, args, expected):
    result = invoke(runner, *args)
    assert result.exit_code != 0, result.output
    assert expected in result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output
    assert len(result.output) < 400


def test_audit_verify_passes_on_a_fresh_database_whatever_the_options(runner, org):
    for args in ((), ("--full",), ("--full", "--restart"), ("--workers", "1"), ("--chain-only",)):
        result = invoke(runner, "audit", "verify", *args)
        assert result.exit_code == 0, (args, result.output)
        assert "audit chain intact" in result.output


@pytest.mark.parametrize("command", [("export-results", "--period", "2026"), ("export-org",)])
def test_an_output_file_in_a_missing_folder_is_named_with_what_to_check(runner, org, national, tmp_path, command):
    """Writing into a folder that does not exist says which file and why, exit 1: it was reported as an
    'unexpected FileNotFoundError' with exit 2, as if Siklus had failed."""
    assert invoke(runner, "launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026").exit_code == 0
    target = tmp_path / "tidak-ada" / "hasil.csv"
    result = invoke(runner, *command, "-o", str(target))
    assert result.exit_code == 1, result.output
    assert f"error: cannot open {target}: no such folder or file; check the path" in result.output
    assert "unexpected" not in result.output and "Traceback" not in result.output
    indonesian = invoke(runner, "--lang", "id", *command, "-o", str(target))
    assert f"kesalahan: tidak dapat membuka {target}: folder atau berkas itu tidak ada; periksa jalurnya" \
        in indonesian.output


def test_exporting_the_results_of_an_unknown_cycle_names_the_known_ones(runner, org, national):
    """A mistyped --cycle exported an empty list with exit 0, as if the cycle had no results."""
    result = invoke(runner, "export-results", "--period", "2026", "--cycle", "permenpan-6-2O22")
    assert result.exit_code == 1, result.output
    assert "no cycle definition permenpan-6-2O22; known cycles: permenpan-6-2022" in result.output
    assert "NIP," not in result.output


def test_exporting_the_results_of_a_period_no_run_has_names_the_periods_there_are(runner, org, national):
    """A period no run was launched for wrote an empty list with exit 0, as if nobody had results yet."""
    assert invoke(runner, "launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026").exit_code == 0
    result = invoke(runner, "export-results", "--period", "2062")
    assert result.exit_code == 1, result.output
    assert "no run for period '2062'; the periods there are: 2026" in result.output
    assert "NIP," not in result.output
    indonesian = invoke(runner, "--lang", "id", "export-results", "--period", "; drop")
    assert indonesian.exit_code == 1
    assert "tidak ada putaran untuk periode «; drop»; periode yang ada: 2026" in indonesian.output


@pytest.mark.parametrize("command", [("export-results", "--period", "2026"), ("export-org",)])
def test_an_output_name_of_another_format_is_refused_before_anything_is_written(runner, org, national, tmp_path,
                                                                                 command):
    """hasil.pdf got CSV written under its name, exit 0: a file that opens as broken in any PDF reader."""
    assert invoke(runner, "launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026").exit_code == 0
    target = tmp_path / "hasil.pdf"
    result = invoke(runner, *command, "-o", str(target))
    assert result.exit_code == 2, result.output
    assert "unknown file format .pdf; name it .csv or .xlsx, or choose --format" in result.output
    assert not target.exists()
    assert invoke(runner, *command, "-o", str(target), "--format", "csv").exit_code == 0


@pytest.mark.parametrize(("args", "said"), [
    (("audit", "verify"), "error: the database is not set up yet (no such table: "),
    (("launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026"),
     "error: the database is not set up yet (no such table: "),
    (("--lang", "id", "demo", "--if-empty"), "kesalahan: basis data belum disiapkan (no such table: "),
])
def test_a_command_before_db_upgrade_says_to_run_it(tmp_path, monkeypatch, args, said):
    """A first run on a new database printed an 'unexpected OperationalError' with its SQL over several lines."""
    from web import create_app

    monkeypatch.setenv("SIKLUS_LANG", "en")
    empty = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'baru.db'}", "TESTING": True,
                        "SECRET_KEY": "test"})
    result = empty.test_cli_runner().invoke(cli, list(args))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(said) and "siklus db upgrade" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "SELECT" not in result.output


@pytest.mark.parametrize("command", [("publish",), ("graph",)])
def test_a_cycle_file_that_is_not_utf8_text_is_named_as_validate_names_it(runner, org, tmp_path, command):
    """A cycle saved as UTF-16 (or any binary file) was an 'unexpected UnicodeDecodeError' with exit 2 on publish
    and graph, while validate named the file, its line and what to do."""
    cycle = tmp_path / "siklus.yaml"
    cycle.write_bytes("id: contoh\n".encode("utf-16"))
    result = invoke(runner, "--lang", "en", *command, str(cycle))
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (f"{cycle}:1:1: the file is not UTF-8 text (invalid byte 0xff on line 1); "
                                     "save it with UTF-8 encoding")
    indonesian = invoke(runner, "--lang", "id", *command, str(cycle))
    assert indonesian.exit_code == 1 and "bukan teks UTF-8" in indonesian.output
    assert "unexpected" not in result.output + indonesian.output


def test_rule_parameters_read_from_a_file_that_is_not_utf8_name_the_file(runner, tmp_path):
    params = tmp_path / "params.json"
    params.write_bytes(b"\xff\xfe{\x00}\x00")
    result = invoke(runner, "rules", "eval", "ikm", "--params", f"@{params}", "--inputs", "{}")
    assert result.exit_code == 1, result.output
    assert f"--params ({params}) is not UTF-8 text; save it with UTF-8 encoding" in result.output
    assert "unexpected" not in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("url", "said"), [
    ("bogus://x", "DATABASE_URL names a database of kind «bogus»; Siklus runs on postgresql://… or sqlite:///…"),
    ("mysql://siklus:rahasia@db/siklus", "DATABASE_URL names a database of kind «mysql»; Siklus runs on"),
    ("siklus:rahasia@db/siklus", "DATABASE_URL is not a database URL; write it like "
                                 "postgresql://user:password@host/name or sqlite:////path/to/siklus.db"),
])
def test_a_database_url_siklus_cannot_use_is_one_line_from_the_real_command(tmp_path, url, said):
    """An unknown kind or a string that is no URL was an 'unexpected NoSuchModuleError' or 'ArgumentError' (a
    missing MySQL driver an 'unexpected ModuleNotFoundError'), exit 2, as if Siklus had failed."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    siklus = Path(sys.executable).with_name("siklus")
    env = {**os.environ, "DATABASE_URL": url, "SIKLUS_INSTANCE_PATH": str(tmp_path), "SIKLUS_LANG": "en",
           "SIKLUS_SECRET_KEY": "k" * 40}
    done = subprocess.run([str(siklus), "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {said}"), done.stderr
    assert "rahasia" not in done.stderr and "unexpected" not in done.stderr and "Traceback" not in done.stderr
    indonesian = subprocess.run([str(siklus), "--lang", "id", "audit", "verify"], env=env, capture_output=True,
                                text=True, timeout=120)
    assert indonesian.returncode == 1 and "DATABASE_URL" in indonesian.stderr and "kesalahan:" in indonesian.stderr


@pytest.mark.parametrize(("environ", "key_file", "said"), [
    ({"SIKLUS_AUDIT_KEY": "pendek"}, None, "SIKLUS_AUDIT_KEY: each key must be at least 32 characters"),
    ({"SIKLUS_RESPONDENT_SECRET": "pendek"}, None, "SIKLUS_RESPONDENT_SECRET must be at least 32 characters"),
    ({}, b"pendek\n", "audit.key: the key must be at least 32 characters"),
    ({}, b"\xff\xfe" + "k".encode("utf-16-le") * 40, "audit.key: the key is not UTF-8 text"),
])
def test_an_unusable_audit_key_is_one_line_from_the_real_command(tmp_path, environ, key_file, said):
    """A key too short, or a key file that is not text, was an 'unexpected KeyError_' or 'UnicodeDecodeError'
    with exit 2 on every command."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    if key_file is not None:
        (tmp_path / "audit.key").write_bytes(key_file)
    env = {**os.environ, "SIKLUS_INSTANCE_PATH": str(tmp_path), "SIKLUS_LANG": "en", "SIKLUS_SECRET_KEY": "k" * 40,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'siklus.db'}", **environ}
    for name in ("SIKLUS_AUDIT_KEY", "SIKLUS_RESPONDENT_SECRET"):
        if name not in environ:
            env.pop(name, None)
    done = subprocess.run([str(Path(sys.executable).with_name("siklus")), "audit", "verify"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and said in lines[0], done.stderr
    assert "unexpected" not in done.stderr and "pendek" not in done.stderr


@pytest.mark.parametrize(("args", "shown", "raw"), [
    (("export-results", "--period", "20\x1b[2J26"), "no run for period '20\\x1b[2J26'", "\x1b[2J"),
    (("export-results", "--period", "2026\nerror: all clear"), "'2026\\x0aerror: all clear'", "\nerror: all"),
    (("export-results", "--period", "\u202e6202"), "no run for period '\\u202e6202'", "\u202e"),
    (("export-results", "--period", "20\x0026"), "no run for period '20\\x0026'", "\x00"),
    (("export-results", "--period", "2026", "--cycle", "\x1b[2J" + "c" * 3000), "no cycle definition \\x1b[2J" +
     "c" * 60 + "…;", "c" * 70),
    (("launch", "permenpan-6-2022", "--period", "2026", "--unit", "\x07" + "u" * 3000),
     "no unit '\\x07" + "u" * 63 + "…'", "u" * 70),
    (("migrate-appraisals", "\u202e" + "q" * 3000, "--from", "1", "--to", "2"), "no cycle definition \\u202e" +
     "q" * 63 + "… version 1", "q" * 70),
    (("migrate-appraisals", "permenpan-6-2022", "--from", "1", "--to", "2", "--map", "\r" + "m" * 3000),
     "--map '\\x0d" + "m" * 39 + "…' must look like OLD=NEW", "m" * 50),
    (("tick", "--now", "2026\x1b]0;owned\x07"), "--now '2026\\x1b]0;owned\\x07' is not an ISO time", "\x1b]"),
])
def test_a_typed_value_is_echoed_short_and_with_its_hidden_characters_shown_as_codes(runner, org, national, args,
                                                                                      shown, raw):
    """A value repeated back in an error line came out as typed: an escape sequence cleared or retitled the
    operator's terminal, a line break forged a second line, a direction mark reversed the line, and a pasted
    page filled the screen."""
    result = runner.invoke(cli, list(args), catch_exceptions=False, color=True)
    assert result.exit_code == 1, result.output
    assert shown in result.output
    assert raw not in result.output
    assert len(result.output) < 400 and "Traceback" not in result.output


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", [("export-results", "--period", "2026"), ("export-org",)])
def test_an_export_to_a_full_disk_says_so(runner, org, national, command):
    """A write that ran out of space was an 'unexpected OSError' with exit 2, as if Siklus had failed."""
    assert invoke(runner, "launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026").exit_code == 0
    result = runner.invoke(cli, [*command, "-o", "/dev/full", "--format", "csv"])
    assert result.exit_code == 1, result.output
    assert "error: cannot open /dev/full: the disk is full; free some space or choose another disk" in result.output
    assert "unexpected" not in result.output


def test_an_export_that_fails_half_way_leaves_the_earlier_file_and_no_part(runner, org, national, tmp_path,
                                                                             monkeypatch):
    """The export streamed into its file as it went: a failure half-way left a truncated list where the earlier,
    whole export had been."""
    import engine.export
    from engine.errors import InvalidInput
    from engine.messages import Message

    assert invoke(runner, "launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026").exit_code == 0
    (tmp_path / "ekspor").mkdir()
    target = tmp_path / "ekspor" / "hasil.csv"
    target.write_text("the export of yesterday\n", encoding="utf-8")
    whole = engine.export.iter_results

    def breaking(*args, **kwargs):
        rows = whole(*args, **kwargs)
        yield next(rows)
        raise InvalidInput("no run #7", msg=Message("run.not_found", id="7"))

    monkeypatch.setattr(engine.export, "iter_results", breaking)
    result = invoke(runner, "export-results", "--period", "2026", "-o", str(target))
    assert result.exit_code == 1 and "no run #7" in result.output, result.output
    assert target.read_text(encoding="utf-8") == "the export of yesterday\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["hasil.csv"]
