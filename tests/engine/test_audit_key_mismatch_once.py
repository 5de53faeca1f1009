"""A log verified with a key other than the one that signed it says so once: the appraisal chains signed with the
same key fail for the same reason, and are counted in one line rather than each called edited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from engine import keys
from engine.audit import appraisal_stream, verify_all, verify_chain
from engine.models import Appraisal, AuditEvent
from engine.runs import find_unit, launch
from web.cli import cli
from web.messages import finding_text


@pytest.fixture(autouse=True)
def _suite_keys_back() -> Iterator[None]:
    ring = keys.keyring()
    yield
    keys.use(ring)


def _launched(session, org, national) -> list[int]:
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    session.commit()
    return list(session.scalars(select(Appraisal.id).order_by(Appraisal.id)))


def _wrong_key() -> None:
    keys.use(keys.KeyRing({keys.keyring().current_audit_key_id: b"n" * 40}, keys.keyring().current_audit_key_id,
                          keys.keyring().respondent_secret))


def _edited(problems) -> list[str]:
    return [p for p in problems if "edited after the fact" in p]


def test_a_wrong_key_is_said_once_not_as_an_edit_of_every_appraisal_chain(session, org, national) -> None:
    ids = _launched(session, org, national)
    assert len(ids) >= 4 and verify_chain(session).ok
    _wrong_key()
    report = verify_chain(session)
    assert not report.ok
    assert _edited(report.problems) == []
    assert "most likely the key is not the one that signed the log" in report.problems[0]
    assert list(report.problems[1:]) == [
        f"{len(ids)} appraisal chains signed with key 'k1' do not match their hashes under the configured key "
        "either, for the same reason; they are not listed one by one. Put the original key back and verify again"]
    assert finding_text(report.problems[1], "id").startswith(f"{len(ids)} rantai penilaian yang ditandatangani "
                                                             "dengan kunci 'k1'")


def test_the_whole_run_in_ranges_says_it_once_too(session, org, national, db_url) -> None:
    ids = _launched(session, org, national)
    assert verify_all(db_url, workers=1).ok
    _wrong_key()
    report = verify_all(db_url, workers=1, range_size=2)
    assert not report.ok and _edited(report.problems) == []
    assert len(report.problems) == 2 and report.unlisted == 0
    assert "most likely the key is not the one that signed the log" in report.problems[0]
    assert report.problems[1].startswith(f"{len(ids)} appraisal chains signed with key 'k1'")


def test_one_appraisals_page_says_the_key_not_an_edit(session, org, national) -> None:
    """The HR audit screen and ``--appraisal`` check one chain: the system chain's first event tells why."""
    ids = _launched(session, org, national)
    _wrong_key()
    report = verify_chain(session, [appraisal_stream(ids[0])])
    assert not report.ok and _edited(report.problems) == []
    assert report.broken is not None and "most likely the key is not the one that signed the log" in report.broken


def test_a_real_edit_under_the_right_key_is_still_an_edit(session, org, national) -> None:
    ids = _launched(session, org, national)
    event = session.scalars(select(AuditEvent.id).where(AuditEvent.appraisal_id == ids[0])).first()
    with session.bind.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.id == event).values(actor_name="orang lain"))
    session.expire_all()
    report = verify_chain(session)
    assert len(_edited(report.problems)) == 1 and "key" not in report.problems[0]


def test_the_command_says_the_key_once_and_fails(session, org, national, runner) -> None:
    ids = _launched(session, org, national)
    _wrong_key()
    result = runner.invoke(cli, ["audit", "verify", "--workers", "1"], catch_exceptions=False)
    assert result.exit_code == 1
    said = [line for line in result.output.splitlines() if line.startswith("BROKEN") or line.startswith("RUSAK")]
    assert len(said) == 2, result.output
    assert "edited after the fact" not in result.output and "diubah setelah dicatat" not in result.output
    assert f"{len(ids)} " in said[1]


def test_edits_of_the_first_system_event_and_a_chain_are_edits_when_the_key_holds_elsewhere(session, org, national,
                                                                                           db_url) -> None:
    """Editing the system chain's first event must not make real edits of appraisal chains read as a wrong key:
    the other chains hold under the key, so it is the right one."""
    ids = _launched(session, org, national)
    first = session.scalars(select(AuditEvent.id).where(AuditEvent.stream == "system", AuditEvent.seq == 1)).one()
    edited = session.scalars(select(AuditEvent.id).where(AuditEvent.appraisal_id == ids[0], AuditEvent.seq == 1)).one()
    with session.bind.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.id.in_((first, edited))).values(actor_name="orang lain"))
    session.expire_all()
    for report in (verify_chain(session), verify_all(db_url, workers=1, range_size=2)):
        assert not report.ok
        assert [p for p in report.problems if "key" in p] == []
        assert any(f"event #{first} (system, seq 1)" in p and "edited after the fact" in p for p in report.problems)
        assert any(f"event #{edited} (appraisal:{ids[0]}, seq 1)" in p and "edited after the fact" in p
                   for p in report.problems)


def test_chains_confirmed_by_their_verified_heads_show_the_key_holds(session, org, national, db_url) -> None:
    """The nightly run confirms unchanged chains without walking them: they prove the key as well as a walk."""
    ids = _launched(session, org, national)
    assert verify_all(db_url, workers=1).ok
    first = session.scalars(select(AuditEvent.id).where(AuditEvent.stream == "system", AuditEvent.seq == 1)).one()
    edited = session.scalars(select(AuditEvent.id).where(AuditEvent.appraisal_id == ids[0], AuditEvent.seq == 1)).one()
    with session.bind.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.id.in_((first, edited))).values(actor_name="orang lain"))
    session.expire_all()
    report = verify_all(db_url, workers=1)
    assert report.confirmed >= 1 and [p for p in report.problems if "key" in p] == []
    assert any(f"event #{edited} (appraisal:{ids[0]}, seq 1)" in p for p in report.problems)
