"""A lost key file is not made again: a database that already holds what the key signed stops the start.

A new ``audit.key`` would sign new events while ``siklus audit verify`` called every older one edited; a new
``respondent.key`` would let a respondent answer an anonymous window twice. On a database that holds nothing
signed (a first run, a fresh clone, a database not migrated yet) the files are still made.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from engine import keys
from engine.models import AuditEvent, FeedbackResponse
from web import create_app

SIKLUS = Path(sys.executable).with_name("siklus")


@pytest.fixture(autouse=True)
def instance(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """An instance folder without key files, no key in the environment; the suite's keys back afterwards."""
    ring = keys.keyring()
    folder = tmp_path / "instance"
    monkeypatch.delenv("SIKLUS_AUDIT_KEY", raising=False)
    monkeypatch.delenv("SIKLUS_RESPONDENT_SECRET", raising=False)
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(folder))
    yield folder
    keys.use(ring)


def _start(db_url: str) -> None:
    from web.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    with app.app_context():
        db.engine.dispose()


def _signed_event(session: Session, key_id: str | None = keys.DEFAULT_KEY_ID) -> None:
    session.add(AuditEvent(stream="system", seq=1, occurred_at=datetime.now(UTC), kind="publish", actor_name="hr",
                           payload={}, results={}, prev_hash="", hash="0" * 64, key_id=key_id))
    session.commit()


def _keyed_answer(session: Session, legacy: bool = False) -> None:
    session.add(FeedbackResponse(window="rekan", role="peer", respondent_key="a" * 64, legacy_key=legacy,
                                 answers={}, comment=""))
    session.commit()


def test_a_first_start_on_an_empty_database_makes_both_keys(db_url: str, instance: Path) -> None:
    _start(db_url)
    assert len((instance / "audit.key").read_text().strip()) >= 32
    assert (instance / "respondent.key").stat().st_mode & 0o777 == 0o600


def test_a_database_not_migrated_yet_holds_nothing_signed(tmp_path: Path, instance: Path) -> None:
    _start(f"sqlite:///{tmp_path / 'new.db'}")
    assert (instance / "audit.key").exists() and (instance / "respondent.key").exists()


def test_a_schema_older_than_the_keys_holds_nothing_signed_and_still_starts(tmp_path: Path, instance: Path) -> None:
    """A database of a release before the keyed log and the respondent secret (no ``key_id``, no ``legacy_key``):
    the check failed on the missing column, so not even ``siklus db upgrade`` could run to add it."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE audit_event (id INTEGER PRIMARY KEY, stream TEXT, hash TEXT)")
        connection.exec_driver_sql("CREATE TABLE audit_checkpoint (stream TEXT PRIMARY KEY, hash TEXT)")
        connection.exec_driver_sql("CREATE TABLE feedback_response (id INTEGER PRIMARY KEY, respondent_key TEXT)")
        connection.exec_driver_sql("INSERT INTO audit_event VALUES (1, 'system', 'x')")
        connection.exec_driver_sql("INSERT INTO feedback_response VALUES (1, 'digest')")
    engine.dispose()
    _start(url)
    assert (instance / "audit.key").exists() and (instance / "respondent.key").exists()


def test_a_lost_audit_key_is_not_made_again_when_events_were_signed_with_it(db_url: str, session: Session,
                                                                          instance: Path) -> None:
    _signed_event(session)
    with pytest.raises(keys.KeyError_) as refused:
        _start(db_url)
    said = str(refused.value)
    assert f"{instance / 'audit.key'} is missing" in said and "restore the file from a backup" in said
    assert "SIKLUS_AUDIT_KEY" in said
    assert refused.value.msg is not None and refused.value.msg.code == "setting.audit_key_lost"
    assert not (instance / "audit.key").exists()


def test_events_signed_with_another_key_id_or_unkeyed_do_not_hold_the_files_key(db_url: str, session: Session,
                                                                               instance: Path) -> None:
    _signed_event(session, key_id=None)
    _start(db_url)
    assert (instance / "audit.key").exists()


def test_the_environments_key_replaces_a_lost_file(db_url: str, session: Session, instance: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _signed_event(session)
    _keyed_answer(session)
    monkeypatch.setenv("SIKLUS_AUDIT_KEY", "restored-audit-key-0123456789abcdef0123")
    monkeypatch.setenv("SIKLUS_RESPONDENT_SECRET", "restored-respondent-secret-0123456789ab")
    _start(db_url)
    assert not (instance / "audit.key").exists() and not (instance / "respondent.key").exists()


def test_a_restored_key_file_is_read_as_before(db_url: str, session: Session, instance: Path) -> None:
    _signed_event(session)
    _keyed_answer(session)
    instance.mkdir()
    (instance / "audit.key").write_text("restored-audit-key-0123456789abcdef0123\n")
    (instance / "respondent.key").write_text("restored-respondent-secret-0123456789ab\n")
    _start(db_url)
    assert keys.keyring().audit_key == b"restored-audit-key-0123456789abcdef0123"


def test_a_lost_respondent_secret_is_not_made_again_when_answers_carry_keys_made_with_it(
        db_url: str, session: Session, instance: Path) -> None:
    _keyed_answer(session)
    with pytest.raises(keys.KeyError_) as refused:
        _start(db_url)
    assert refused.value.msg is not None and refused.value.msg.code == "setting.respondent_key_lost"
    assert "respondent.key is missing" in str(refused.value) and "SIKLUS_RESPONDENT_SECRET" in str(refused.value)
    assert not (instance / "respondent.key").exists()


def test_answers_with_only_legacy_unkeyed_keys_do_not_hold_the_secret(db_url: str, session: Session,
                                                                     instance: Path) -> None:
    _keyed_answer(session, legacy=True)
    _start(db_url)
    assert (instance / "respondent.key").exists()


def test_a_key_file_another_process_wrote_first_is_used_not_an_error(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers starting at once both found the file missing; the second one's exclusive create failed with an
    unexpected FileExistsError."""
    real_open = os.open

    def beaten(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if str(path).endswith("audit.key") and not Path(path).exists():
            Path(path).write_text("the-other-workers-key-0123456789abcdef01\n")
        return real_open(path, flags, mode)

    monkeypatch.setattr(keys.os, "open", beaten)
    ring = keys.load_keyring(tmp_path, environ={})
    assert ring.audit_key == b"the-other-workers-key-0123456789abcdef01"


@pytest.mark.parametrize("command", [["audit", "verify"], ["worker", "--once"], ["serve", "--port", "5987"]])
def test_every_command_stops_with_one_line_naming_the_lost_file(db_url: str, session: Session, instance: Path,
                                                                command: list[str]) -> None:
    _signed_event(session)
    # The suite's app may have made the files in this folder when it first started (an empty database then):
    # the key is lost from here on.
    for name in ("audit.key", "respondent.key"):
        (instance / name).unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": db_url, "SIKLUS_LANG": "en"}
    done = subprocess.run([str(SIKLUS), *command], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "audit.key is missing" in lines[0] and "restore the file from a backup" in lines[0]
    assert "Traceback" not in done.stderr and not (instance / "audit.key").exists()
    indonesian = subprocess.run([str(SIKLUS), "--lang", "id", *command], env=env, capture_output=True, text=True,
                                timeout=120)
    assert indonesian.returncode == 1 and len(indonesian.stderr.strip().splitlines()) == 1, indonesian.stderr
    assert "audit.key tidak ada" in indonesian.stderr and "pulihkan berkas itu dari cadangan" in indonesian.stderr


def test_the_guard_reads_a_database_through_its_own_engine(db_url: str, session: Session) -> None:
    from engine.key_guard import signed_data

    engine = create_engine(db_url)
    try:
        holds = signed_data(engine)
        assert not holds(keys.AUDIT) and not holds(keys.RESPONDENT)
        _signed_event(session)
        assert holds(keys.AUDIT) and not holds(keys.RESPONDENT)
    finally:
        engine.dispose()


GUNICORN = Path(sys.executable).with_name("gunicorn")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("preload", [False, True])
def test_gunicorn_started_directly_stops_with_the_same_one_line(db_url: str, session: Session, instance: Path,
                                                                preload: bool) -> None:
    """``gunicorn 'web:create_app()'`` (docs/deploy.md) showed the refusal at the end of a Python traceback."""
    _signed_event(session)
    env = {**os.environ, "DATABASE_URL": db_url, "SIKLUS_LANG": "en", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([str(GUNICORN), "--bind", "127.0.0.1:0", "--workers", "1",
                           *(["--preload"] if preload else []), "web:create_app()"],
                          env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode != 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    said = [line for line in done.stderr.splitlines() if "audit.key" in line]
    assert len(said) == 1 and said[0].startswith("error: "), done.stderr
    assert "audit.key is missing" in said[0] and "restore the file from a backup" in said[0]
    assert not (instance / "audit.key").exists()


def test_a_schema_upgrade_runs_while_a_key_file_is_lost(db_url: str, session: Session, instance: Path) -> None:
    """No migration signs anything (they add tables, columns, indexes and triggers, and mark legacy respondent
    keys), so ``siklus db upgrade`` needs no key; the lost file is still not made again."""
    _signed_event(session)
    env = {**os.environ, "DATABASE_URL": db_url, "SIKLUS_LANG": "en"}
    done = subprocess.run([str(SIKLUS), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not (instance / "audit.key").exists() and not (instance / "respondent.key").exists()
    # Anything else still stops on the lost file.
    refused = subprocess.run([str(SIKLUS), "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "audit.key is missing" in refused.stderr
