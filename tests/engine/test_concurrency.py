"""Two processes fire the same transition on the same appraisal at once: exactly one wins, the
other gets a conflict, and the audit chain has one event, never a lost update."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import func, select

from engine.appraisals import fire_transition, set_skp
from engine.audit import verify_chain
from engine.errors import Conflict
from engine.models import Appraisal, AuditEvent
from engine.runs import find_unit, launch
from tests.support.race import fire_in_child
from tests.support.states import SKP


@pytest.mark.parametrize("attempt", range(3))
def test_two_processes_firing_at_once_exactly_one_succeeds(db_url, session, org, national, attempt):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    set_skp(session, aid, org.actor("ani"), SKP)
    fire_transition(session, aid, "submit_plan", org.actor("ani"))
    version = session.get(Appraisal, aid).version
    seq_before = session.get(Appraisal, aid).audit_seq
    session.close()

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [ctx.Process(target=fire_in_child, args=(db_url, aid, "approve_plan", "kabid", version, barrier, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["conflict", "ok"], outcomes
    session.expire_all()
    a = session.get(Appraisal, aid)
    assert a.state == "monitor" and a.version == version + 1 and a.audit_seq == seq_before + 1
    approvals = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.appraisal_id == aid, AuditEvent.trigger == "approve_plan"))
    assert approvals == 1
    assert verify_chain(session).ok


def test_a_stale_version_is_refused_and_names_the_current_one(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    seen = session.get(Appraisal, aid).version
    set_skp(session, aid, org.actor("ani"), SKP)
    with pytest.raises(Conflict, match=f"now at version {seen + 1}, not {seen}"):
        fire_transition(session, aid, "submit_plan", org.actor("ani"), expected_version=seen)
    assert session.get(Appraisal, aid).state == "plan"
