"""The command line speaks one language: with ``--lang id`` (or SIKLUS_LANG=id) what it prints, refusals
and bad input included, is Bahasa Indonesia with states and steps by their labels; in English (the
default) the lines stay word for word what operators' scripts read. Bad input ends with one line and a
non-zero exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine.models import Appraisal
from tests.support.states import drive
from tests.web.test_languages import ENGLISH, cycle_keys, leaks, raw_keys
from web.cli import cli

NATIONAL = Path(__file__).resolve().parent.parent / "workflows" / "permenpan-6-2022.yaml"


@pytest.fixture
def launched(runner, app, session, org, monkeypatch):
    monkeypatch.setenv("SIKLUS_LANG", "en")
    assert runner.invoke(cli, ["publish", str(NATIONAL)]).exit_code == 0
    assert runner.invoke(cli, ["launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026"]).exit_code == 0
    return session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()


def _indonesian(result, code: int) -> str:
    output = result.output
    assert result.exit_code == code, output
    assert "Traceback" not in output
    assert leaks(output, ENGLISH) == [], output
    assert raw_keys(output, cycle_keys()) == [], output
    return output


def test_a_step_fired_in_indonesian_names_states_and_roles_by_their_labels(runner, session, org, launched):
    drive(session, org, launched, "ani", "plan")
    result = runner.invoke(cli, ["--lang", "id", "fire", str(launched), "submit_plan", "--as", "ani"])
    output = _indonesian(result, 0)
    assert f"penilaian #{launched}: Penyusunan SKP -> Persetujuan SKP oleh ani sebagai Pegawai" in output


def test_the_same_step_in_english_keeps_the_keys_scripts_read(runner, session, org, launched):
    drive(session, org, launched, "ani", "plan")
    result = runner.invoke(cli, ["fire", str(launched), "submit_plan", "--as", "ani"])
    assert result.exit_code == 0
    assert f"appraisal #{launched}: plan -> plan_review by ani as pegawai" in result.output


@pytest.mark.parametrize(("args", "says"), [
    (["fire", "{id}", "approve_plan", "--as", "ani"], "tidak dapat dilakukan pada tahap «Penyusunan SKP»"),
    (["fire", "{id}", "submit_plan", "--as", "ani", "--data", "{{oops"], "--data bukan JSON yang sah"),
    (["fire", "{id}", "submit_plan", "--as", "siapa-saja"], "tidak ada pengguna «siapa-saja»"),
    (["fire", "{id}", "lompat", "--as", "ani"], "tidak dikenal dalam siklus ini"),
    (["tick", "--now", "besok"], "bukan waktu ISO"),
    (["add-employee", "1", "000", "--reason", "SK pengangkatan"], "Tidak ada pegawai dengan NIP «000»"),
    (["close-appraisal", "{id}", "--reason", " "], "Isi alasannya"),
    (["launch", "permenpan-6-2022", "--unit", "TIDAK-ADA", "--period", "2026"], "Tidak ada unit «TIDAK-ADA»"),
    (["launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026-S1"], "tidak cocok dengan jenis periode"),
    (["migrate-appraisals", "permenpan-6-2022", "--from", "1", "--to", "1", "--map", "rusak"],
     "harus berbentuk LAMA=BARU"),
    (["demo", "--agency", "tidak-ada"], "tidak ada siklus instansi «tidak-ada»"),
])
def test_bad_input_is_one_indonesian_line_and_exit_1(runner, monkeypatch, launched, args, says):
    monkeypatch.setenv("SIKLUS_LANG", "id")
    result = runner.invoke(cli, [a.format(id=launched) for a in args])
    lines = _indonesian(result, 1).strip().splitlines()
    refusals = [line for line in lines if line.startswith("kesalahan: ")]
    assert refusals == [lines[-1]] and says in lines[-1], lines  # one line, the last (after a progress label)


def test_a_launch_and_a_publish_report_in_indonesian(runner, app, session, org, monkeypatch):
    monkeypatch.setenv("SIKLUS_LANG", "id")
    published = runner.invoke(cli, ["publish", str(NATIONAL)])
    assert "permenpan-6-2022 versi 1 diterbitkan" in _indonesian(published, 0)
    launched = runner.invoke(cli, ["launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026"])
    assert "4 penilaian dimulai pada permenpan-6-2022 v1, 2026" in _indonesian(launched, 0)
    again = runner.invoke(cli, ["launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026"])
    assert "sudah diluncurkan untuk DINAS periode 2026" in _indonesian(again, 1)


def _stranding_version_two(session) -> None:
    """Version 2 adds an indicator and reopens monitoring only from review: in 'rate' nobody may record the
    new realisation (a version published before ``siklus publish`` refused such a file)."""
    from engine.permissions import Actor
    from engine.registry import publish_source

    attendance = ("indicators:\n  - id: kehadiran\n    label: {id: Persentase kehadiran, en: Attendance}\n"
                  "    rule: target_achievement\n    target: 95\n    supplied_by: pegawai\n\nresults:\n")
    v2 = (NATIONAL.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1)
          .replace("\nresults:\n", "\n" + attendance, 1)
          .replace("    source: rate\n    dest: monitor_reopened", "    source: review\n    dest: monitor_reopened", 1))
    assert "source: review\n    dest: monitor_reopened" in v2
    publish_source(session, v2, "v2.yaml", Actor.system(), dead_ends=False)


def test_a_migration_that_would_strand_says_who_why_and_what_to_do_in_indonesian(runner, session, org, launched,
                                                                                  monkeypatch):
    drive(session, org, launched, "ani", "rate")
    budi = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    drive(session, org, budi, "budi", "closed")
    _stranding_version_two(session)
    monkeypatch.setenv("SIKLUS_LANG", "id")
    result = runner.invoke(cli, ["migrate-appraisals", "permenpan-6-2022", "--from", "1", "--to", "2", "--dry-run"])
    output = _indonesian(result, 1)
    assert f"#{budi} Budi Santoso" in output and "adalah tahap akhir: penilaian sudah ditutup" in output
    assert f"penilaian #{launched} (Ani Lestari" in output and "pada tahap «Penilaian" in output
    assert "belum ada realisasi untuk kehadiran" in output and "tertahan: " in output
    assert "--leave-stranded" in output and "tidak ada yang dipindah" in output


def test_the_same_refusal_in_english_keeps_its_words(runner, session, org, launched):
    drive(session, org, launched, "ani", "rate")
    _stranding_version_two(session)
    result = runner.invoke(cli, ["migrate-appraisals", "permenpan-6-2022", "--from", "1", "--to", "2", "--dry-run"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"appraisal #{launched} (Ani Lestari" in result.output and "in 'rate' of version 2" in result.output
    assert "no realisation for kehadiran, and nobody may record one in 'rate'" in result.output
    assert "stranded: " in result.output and "(--leave-stranded)" in result.output
