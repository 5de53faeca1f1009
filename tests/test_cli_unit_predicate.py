"""``siklus unit-predicate``: recording the organisation's predicate with its penetapan from the command line;
help on every command, exit 1 and one line for a refusal, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.audit import verify_chain
from engine.models import UnitPredicate
from engine.runs import find_unit, launch
from tests.support.factories import add_pemda_hr
from web.cli import cli

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def invoke(runner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def run(app, session, org, national, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "bukti")
    add_pemda_hr(session, org)  # HR of the pemda, above DINAS: who records DINAS's predicate
    return launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))


@pytest.fixture
def penetapan(tmp_path: Path) -> Path:
    path = tmp_path / "penetapan-2026.pdf"
    path.write_bytes(PDF)
    return path


@pytest.mark.parametrize("command", [["unit-predicate"], ["unit-predicate", "record"], ["unit-predicate", "list"]])
def test_every_command_has_help(runner, command):
    result = invoke(runner, *command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_hr_records_and_lists_the_unit_predicate(runner, session, org, run, penetapan, tmp_path):
    result = invoke(runner, "unit-predicate", "record", str(run.id), "--predicate", "Istimewa", "--date", "2026-10-15",
                    "--decided-by", "Bupati Contoh", "--penetapan", str(penetapan), "--unit", "BIDANG",
                    "--period", "2026-Q4", "--as", "hr")
    assert result.exit_code == 0, result.output
    assert "Bidang Pelayanan 2026-Q4 is Istimewa (decided 2026-10-15 by Bupati Contoh" in result.output
    listed = invoke(runner, "unit-predicate", "list", str(run.id), "--as", "hr")
    assert listed.exit_code == 0 and "BIDANG\t2026-Q4\tIstimewa\t2026-10-15\tBupati Contoh\tstanding" in listed.output
    session.rollback()
    stored = session.scalars(select(UnitPredicate)).one()
    assert (tmp_path / "bukti" / stored.document_path).read_bytes() == PDF
    assert verify_chain(session).ok


@pytest.mark.parametrize(("args", "message"), [
    (["--predicate", "Sangat Baik"], "'Sangat Baik' is not an organisation predicate"),
    (["--period", "2027"], "period 2027 is outside run"),
    (["--as", "hr_lain"], "hr_lain may not record the organisation predicate of Dinas Kependudukan"),
    # HR of DINAS itself: the organisation above a unit sets its predicate.
    (["--as", "hr"], "hr may not record the organisation predicate of Dinas Kependudukan: the organisation above it "
                     "sets it, so only HR of Pemerintah Daerah"),
    (["--as", "nobody"], "no user 'nobody'"),
    (["--unit", "LAIN"], "is not the unit of run"),
])
def test_a_refusal_is_one_line_exit_1_and_nothing_written(runner, session, org, run, penetapan, args, message):
    given = {"--predicate": "Baik", "--date": "2026-01-15", "--decided-by": "Bupati", "--penetapan": str(penetapan),
             "--as": "bkpsdm"}
    given.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = invoke(runner, "unit-predicate", "record", str(run.id), *[x for pair in given.items() for x in pair])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    session.rollback()
    assert session.scalar(select(func.count()).select_from(UnitPredicate)) == 0


def test_a_file_that_is_not_a_pdf_is_refused(runner, session, run, tmp_path):
    fake = tmp_path / "penetapan.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    result = invoke(runner, "unit-predicate", "record", str(run.id), "--predicate", "Baik", "--date", "2026-01-15",
                    "--decided-by", "Bupati", "--penetapan", str(fake), "--as", "bkpsdm")
    assert result.exit_code == 1 and "the penetapan must be a PDF file" in result.output


def _record(runner, run, document: Path | str):
    return runner.invoke(cli, ["unit-predicate", "record", str(run.id), "--predicate", "Baik", "--date", "2026-01-15",
                               "--decided-by", "Bupati", "--penetapan", str(document), "--as", "bkpsdm"],
                         catch_exceptions=False)


def _nothing_written(session, tmp_path: Path) -> None:
    session.rollback()
    assert session.scalar(select(func.count()).select_from(UnitPredicate)) == 0
    assert not [p for p in (tmp_path / "bukti").rglob("*") if p.is_file()]


def test_an_empty_penetapan_is_named_as_empty_and_nothing_is_written(runner, session, run, tmp_path):
    """An empty file (saved before it was written) was refused as 'must be a PDF file', naming no file."""
    empty = tmp_path / "penetapan.pdf"
    empty.write_bytes(b"")
    result = _record(runner, run, empty)
    assert result.exit_code == 1, result.output
    assert "error: The penetapan file penetapan.pdf is empty (0 bytes); choose the right file" in result.output
    _nothing_written(session, tmp_path)


def test_a_penetapan_over_the_limit_is_named_with_its_own_size(runner, session, run, tmp_path):
    """A 12 MiB file was reported as 10,485,761 bytes, the part of it that was read."""
    huge = tmp_path / "penetapan.pdf"
    with huge.open("wb") as f:
        f.write(PDF)
        f.truncate(12 * 1024 * 1024)
    result = _record(runner, run, huge)
    assert result.exit_code == 1, result.output
    assert "The penetapan file penetapan.pdf is 12,582,912 bytes; at most 10 MiB" in result.output
    _nothing_written(session, tmp_path)


@pytest.mark.parametrize(("where", "said"), [("folder", "is a directory"), ("missing.pdf", "does not exist")])
def test_a_folder_or_a_missing_path_is_a_usage_error(runner, session, run, tmp_path, where, said):
    (tmp_path / "folder").mkdir()
    result = _record(runner, run, tmp_path / where)
    assert result.exit_code == 2 and said in result.output and "Traceback" not in result.output
    _nothing_written(session, tmp_path)


def test_a_penetapan_name_keeps_no_direction_mark(runner, session, run, tmp_path):
    """A name with a right-to-left override showed reversed on the HR page: 'sk\u202efdp.exe.pdf' reads as
    'skfdp.exe' backwards, hiding what it is."""
    named = tmp_path / "sk\u202efdp.exe\u200b.pdf"
    named.write_bytes(PDF)
    result = _record(runner, run, named)
    assert result.exit_code == 0, result.output
    session.rollback()
    assert session.scalars(select(UnitPredicate.document_name)).one() == "skfdp.exe.pdf"
