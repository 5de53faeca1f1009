"""Verifying the whole audit log at scale: in ranges, in parallel processes, incrementally and resumably,
without a verified head ever hiding a tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from engine.appraisals import fire_transition
from engine.audit import verify_all, verify_chain
from engine.audit.scale import FULL_PASS
from engine.models import Appraisal, AuditCheckpoint, AuditEvent, SweepCursor
from engine.runs import find_unit, launch
from tests.engine.test_audit import TAMPERINGS, _closed
from tests.support.states import drive


def _every_appraisal_driven(session, org, national) -> list[int]:
    """Every appraisal of the unit moved on a few steps, so each has a chain of several events."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ids = []
    for who in ("ani", "budi"):
        aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people[who].id)).one()
        drive(session, org, aid, who, "review")
        ids.append(aid)
    return ids


def _edit_event(session, aid: int, seq: int) -> int:
    """Change a recorded event's payload in place, as someone with write access to the database could."""
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid, AuditEvent.seq == seq)).one()
    with session.bind.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.id == event.id).values(payload={"catatan": "diubah"}))
    session.expire_all()
    return event.id


def test_a_second_run_confirms_unchanged_chains_without_walking_them(session, org, national, db_url):
    _every_appraisal_driven(session, org, national)
    first = verify_all(db_url, workers=1)
    assert first.ok, first.problems
    assert first.appraisals == 4 and first.rechecked == 4 and first.confirmed == 0
    again = verify_all(db_url, workers=1)
    assert again.ok, again.problems
    assert (again.rechecked, again.confirmed) == (0, 4)
    assert again.events == first.events


def test_only_the_chain_that_moved_is_walked_again(session, org, national, db_url):
    ani, _ = _every_appraisal_driven(session, org, national)
    assert verify_all(db_url, workers=1).ok
    fire_transition(session, ani, "return_rating", org.actor("kadis"), {"komentar": "Periksa lagi IKI 2"})
    report = verify_all(db_url, workers=1)
    assert report.ok, report.problems
    assert (report.rechecked, report.confirmed) == (1, 3)


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_each_tampering_after_a_verified_run_is_still_named(session, org, national, db_url, tampering):
    aid = _closed(session, org, national)
    assert verify_all(db_url, workers=1).ok
    with session.bind.begin() as conn:
        expected = TAMPERINGS[tampering](conn, aid)
    session.expire_all()
    report = verify_all(db_url, workers=1)
    assert not report.ok
    assert any(expected in problem for problem in report.problems), report.problems


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_a_full_run_names_each_tampering_as_the_one_pass_walk_does(session, org, national, db_url, tampering):
    """The full run reads events straight from the driver and hashes them in its own loop; it finds and
    names exactly what the one-pass walk (``verify_chain``, event by event through ``check_link``) does."""
    aid = _closed(session, org, national)
    with session.bind.begin() as conn:
        TAMPERINGS[tampering](conn, aid)
    session.expire_all()
    walked = verify_chain(session)
    session.commit()
    report = verify_all(db_url, workers=1, full=True)
    assert not walked.ok
    assert (sorted(report.problems), report.events) == (sorted(walked.problems), walked.events)


def test_an_edited_last_verified_event_is_found_by_the_nightly_run(session, org, national, db_url):
    ani, _ = _every_appraisal_driven(session, org, national)
    assert verify_all(db_url, workers=1).ok
    last = session.get(Appraisal, ani).audit_seq
    event_id = _edit_event(session, ani, last)
    report = verify_all(db_url, workers=1)
    assert any(f"event #{event_id}" in p and "no longer matches its hash" in p for p in report.problems), \
        report.problems


def test_an_edited_earlier_event_is_found_by_a_full_run(session, org, national, db_url):
    """The nightly run re-hashes each chain's last verified event only; a full run re-hashes them all."""
    ani, _ = _every_appraisal_driven(session, org, national)
    assert verify_all(db_url, workers=1).ok
    event_id = _edit_event(session, ani, 2)
    report = verify_all(db_url, workers=1, full=True)
    assert any(f"event #{event_id}" in p and "no longer matches its hash" in p for p in report.problems), \
        report.problems


def test_a_verified_head_moved_by_hand_does_not_hide_a_tampered_new_event(session, org, national, db_url):
    ani, _ = _every_appraisal_driven(session, org, national)
    assert verify_all(db_url, workers=1).ok
    fire_transition(session, ani, "return_rating", org.actor("kadis"), {"komentar": "Periksa lagi IKI 2"})
    head = session.get(Appraisal, ani)
    event_id = _edit_event(session, ani, head.audit_seq)
    # Someone who can write the database marks the new head as verified; they cannot sign it.
    with session.bind.begin() as conn:
        conn.execute(update(AuditCheckpoint).where(AuditCheckpoint.appraisal_id == ani).values(
            verified_seq=head.audit_seq, verified_hash=head.audit_head))
    report = verify_all(db_url, workers=1)
    assert any(f"event #{event_id}" in p for p in report.problems), report.problems


def test_verifying_in_parallel_processes_finds_a_forged_event(session, org, national, db_url):
    ani, budi = _every_appraisal_driven(session, org, national)
    event_id = _edit_event(session, budi, 3)
    # One appraisal per range: the four chains are checked by two worker processes.
    report = verify_all(db_url, workers=2, full=True, range_size=1)
    assert report.rechecked == 4 and report.count == 1
    assert f"event #{event_id}" in report.broken and "no longer matches its hash" in report.broken


def test_an_interrupted_full_run_resumes_where_it_stopped(session, org, national, db_url):
    _every_appraisal_driven(session, org, national)

    class Stop(Exception):
        pass

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        verify_all(db_url, workers=1, full=True, range_size=1, progress=stop_after_two)
    session.expire_all()
    assert session.get(SweepCursor, FULL_PASS) is not None
    resumed = verify_all(db_url, workers=1, full=True, range_size=1)
    assert resumed.ok and resumed.resumed, resumed.problems
    assert (resumed.confirmed, resumed.rechecked) == (2, 2)
    session.expire_all()
    assert session.get(SweepCursor, FULL_PASS) is None
    # The next full run starts over and walks every chain.
    assert verify_all(db_url, workers=1, full=True, range_size=1).rechecked == 4
