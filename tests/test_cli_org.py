"""``siklus import``, ``export-org``, ``export-results``, ``notify`` and the notices ``siklus tick`` sends."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from engine.models import Appraisal, AuditEvent, Employee, Notification, OrgUnit
from web.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "organisasi.csv"


def invoke(runner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_the_shipped_example_imports_and_then_changes_nothing(runner, session):
    dry = invoke(runner, "import", str(EXAMPLE), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "units 4 created" in dry.output and "employees 5 created" in dry.output and "dry run" in dry.output
    assert count(session, Employee) == 0
    done = invoke(runner, "import", str(EXAMPLE))
    assert done.exit_code == 0 and "employees 5 created" in done.output
    assert count(session, Employee) == 5 and count(session, OrgUnit) == 4
    again = invoke(runner, "import", str(EXAMPLE))
    assert again.exit_code == 0 and "employees 0 created, 0 updated; 9 unchanged" in again.output
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "import")) == 2


def test_a_rejected_file_prints_file_row_column_and_exits_1(runner, session, tmp_path):
    bad = tmp_path / "salah.csv"
    bad.write_text("NIP;Nama;Kode Unit\n123;Pendek;BKD\n199207212019031003;;BKD\n", encoding="utf-8")
    result = invoke(runner, "import", str(bad))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{bad}:2: NIP: '123' is not an 18-digit NIP" in lines
    assert f"{bad}:3: Nama: missing" in lines
    assert "nothing was written" in result.output and count(session, Employee) == 0


def test_a_rejected_file_reads_in_indonesian_with_lang_id(runner, session, tmp_path, monkeypatch):
    monkeypatch.setenv("SIKLUS_LANG", "en")  # restored afterwards: --lang sets it for the whole process
    bad = tmp_path / "salah.csv"
    bad.write_text("NIP;Nama;Kode Unit;Email\n123;Pendek;BKD;\n199207212019031003;;BKD;bukan-surel\n",
                   encoding="utf-8")
    result = runner.invoke(cli, ["--lang", "id", "import", str(bad)], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{bad}:2: NIP: «123» bukan NIP 18 angka." in lines
    assert f"{bad}:3: Nama: Nama pegawai kosong." in lines
    assert f"{bad}:3: Email: «bukan-surel» bukan alamat surel." in lines
    assert f"{bad}: ditolak, 3 masalah; tidak ada yang disimpan" in lines
    assert "is not" not in result.output and "missing" not in result.output
    assert count(session, Employee) == 0


def test_an_unknown_file_type_is_one_line(runner, tmp_path):
    odd = tmp_path / "organisasi.ods"
    odd.write_bytes(b"PK")
    result = invoke(runner, "import", str(odd))
    assert result.exit_code == 1 and "unknown file type" in result.output and "Traceback" not in result.output


def test_export_org_round_trips_through_import(runner, session, org, tmp_path):
    for name in ("organisasi.csv", "organisasi.xlsx"):
        path = tmp_path / name
        assert invoke(runner, "export-org", "-o", str(path)).exit_code == 0
        result = invoke(runner, "import", str(path))
        assert result.exit_code == 0 and "units 0 created, 0 updated; employees 0 created, 0 updated" in result.output


def test_export_results_for_a_unit(runner, session, org, national, tmp_path):
    assert invoke(runner, "launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026").exit_code == 0
    result = invoke(runner, "export-results", "--period", "2026", "--unit", "BIDANG")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0] == ["NIP", "Nama", "Unit Kerja", "Periode", "Rating Hasil Kerja", "Rating Perilaku Kerja",
                       "Predikat Kinerja", "ID Penilaian", "Urutan Audit", "Hash Audit"]
    assert sorted(r[1] for r in rows[1:]) == ["Ani Lestari", "Budi Santoso", "Hendra Wijaya"]
    out = tmp_path / "predikat.xlsx"
    assert invoke(runner, "export-results", "--period", "2026", "-o", str(out)).exit_code == 0
    sheet = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(sheet) == 5
    unknown = invoke(runner, "export-results", "--period", "2026", "--unit", "ENTAH")
    assert unknown.exit_code == 1 and "no unit 'ENTAH'" in unknown.output
    # A code in another case names no unit; the refusal names the one meant, in the operator's language.
    lower = invoke(runner, "export-results", "--period", "2026", "--unit", "bidang")
    assert lower.exit_code == 1 and "no unit 'bidang'; did you mean 'BIDANG'?" in lower.output
    indonesian = invoke(runner, "--lang", "id", "launch", "permenpan-6-2022", "--unit", "dinas", "--period", "2027")
    assert indonesian.exit_code == 1 and "Tidak ada unit «dinas»" in indonesian.output
    assert "Maksud Anda «DINAS»?" in indonesian.output


def test_tick_sends_each_reminder_once(runner, session, org, national, monkeypatch):
    monkeypatch.delenv("SIKLUS_SMTP_HOST", raising=False)
    assert invoke(runner, "launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026").exit_code == 0
    due = session.scalar(select(func.min(Appraisal.due_at)))
    moment = (due + timedelta(hours=1)).isoformat()
    first = invoke(runner, "tick", "--now", moment)
    assert first.exit_code == 0 and "reminded 4" in first.output
    # Four reminders, and the launch's four calls to draft the SKP that no sweep had sent yet.
    assert "notifications: 8 new" in first.output and "SMTP not configured" in first.output
    assert invoke(runner, "tick", "--now", moment).exit_code == 0
    assert invoke(runner, "tick", "--now", (due + timedelta(days=2)).isoformat()).exit_code == 0
    assert invoke(runner, "notify").exit_code == 0
    reminders = session.scalars(select(Notification).where(Notification.kind == "reminder")).all()
    assert len(reminders) == 4
    assert {n.user_id for n in reminders} == {org.users[p].id for p in ("kadis", "kabid", "ani", "budi")}
    assert {n.email_status for n in reminders} == {"outbox"}


def test_a_rejected_file_is_named_on_each_line_with_its_hidden_characters_shown_as_codes(runner, session, org,
                                                                                         tmp_path):
    """Each problem line began with the path as typed: an escape sequence in it reached the terminal."""
    bad = tmp_path / "org\x1b[2J.csv"
    bad.write_text("NIP;Nama;Kode Unit\n123;Pendek;DINAS\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(bad)], color=True)
    assert result.exit_code == 1, result.output
    assert f"{tmp_path}/org\\x1b[2J.csv:2: NIP: '123' is not an 18-digit NIP" in result.output
    assert "\x1b[2J" not in result.output
