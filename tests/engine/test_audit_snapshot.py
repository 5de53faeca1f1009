"""A check of the audit log reads one state of the database. On a live system the public goes on answering and
staff go on firing transitions while HR presses the check or ``siklus audit verify`` runs for minutes. A check that
read the system chain before an answer was given, and the answers after, named that answer as written outside
Siklus and the chain as cut short after the fact: a false accusation of tampering, on every check of a busy day.
Each test lets someone write at the moment a check is between its reads, through a session of their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update

from engine import replay_live
from engine.access import require_hr
from engine.audit import SYSTEM_STREAM, appraisal_stream, verify_all, verify_chain
from engine.audit.page_walk import system_walk
from engine.audit.writer import CHECKPOINTS, EVENTS
from engine.audit_search import verify_scope
from engine.models import Appraisal, FeedbackResponse
from engine.public_feedback import submit_public_feedback, survey
from engine.public_verify import PublicAnswers
from engine.runs import find_unit, launch
from tests.support.forgery import forge, verified
from tests.support.states import drive


def _meanwhile(monkeypatch: pytest.MonkeyPatch, owner: type, name: str, write: Callable[[], None]) -> list[int]:
    """Run ``write`` (once) when a check calls ``owner.name``, before that reads; returns a list that counts it."""
    original = getattr(owner, name)
    done: list[int] = []

    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not done:
            done.append(1)
            write()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, wrapped)
    return done


def _answer(fresh_session, resident: str) -> Callable[[], None]:
    def write() -> None:
        submit_public_feedback(fresh_session(), "bidang", {key: 3 for key in survey().keys}, "", resident)
    return write


def _answers(session) -> int:
    return session.scalar(select(func.count(FeedbackResponse.id)))


def test_a_public_answer_given_while_the_whole_log_is_checked_is_not_taken_for_an_edit(
        session, org, fresh_session, monkeypatch):
    _answer(fresh_session, "warga-1")()
    landed = _meanwhile(monkeypatch, PublicAnswers, "differences", _answer(fresh_session, "warga-2"))
    report = verify_chain(fresh_session())
    assert landed and _answers(fresh_session()) == 2
    assert report.ok, report.problems
    # The next check reads the answer with its event.
    assert verified(fresh_session()) == (True, [])


def test_a_unit_hrs_check_reads_one_state_while_the_public_answers(session, org, fresh_session, monkeypatch):
    _answer(fresh_session, "warga-1")()
    landed = _meanwhile(monkeypatch, PublicAnswers, "differences", _answer(fresh_session, "warga-2"))
    reader = fresh_session()
    report = verify_scope(reader, require_hr(reader, org.actor("hr")))
    assert landed and report.ok, report.problems


def test_a_page_walk_to_the_head_holds_the_head_it_reads_to_the_checkpoint(session, org, fresh_session):
    """A walk made for a page that showed the head is checked after an answer came: it walks to the head as it reads
    it and holds that to the signed checkpoint (it stopped one past the head it was made with, and left a forged
    checkpoint unchecked)."""
    _answer(fresh_session, "warga-1")()
    head = session.scalar(select(func.max(EVENTS.c.seq)).where(EVENTS.c.stream == SYSTEM_STREAM))
    walk = system_walk(session, [head])
    assert walk is not None and walk.to_head
    _answer(fresh_session, "warga-2")()
    assert verify_chain(fresh_session(), [SYSTEM_STREAM], system=walk).ok
    forge(session, update(CHECKPOINTS).where(CHECKPOINTS.c.stream == SYSTEM_STREAM).values(signature="0" * 64))
    report = verify_chain(fresh_session(), [SYSTEM_STREAM], system=walk)
    assert not report.ok and any("checkpoint" in problem for problem in report.problems), report.problems


@pytest.fixture
def plans(session, org, national) -> dict[str, int]:
    """Ani's and Budi's appraisals of the national cycle, each still a plan to write."""
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    return {name: session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                           Appraisal.employee_id == org.people[name].id))
            for name in ("ani", "budi")}


def test_a_transition_fired_while_an_appraisal_is_checked_is_not_taken_for_an_edit(
        org, plans, fresh_session, monkeypatch):
    aid = plans["ani"]
    landed = _meanwhile(monkeypatch, replay_live.LiveReader, "read",
                        lambda: drive(fresh_session(), org, aid, "ani", "plan_review"))
    report = verify_chain(fresh_session(), [appraisal_stream(aid)])
    assert landed and report.ok, report.problems
    assert fresh_session().scalar(select(Appraisal.state).where(Appraisal.id == aid)) == "plan_review"
    assert verify_chain(fresh_session(), [appraisal_stream(aid)]).ok


def test_siklus_audit_verify_reads_each_range_in_one_state(db_url, org, plans, fresh_session, monkeypatch):
    landed = _meanwhile(monkeypatch, replay_live.LiveReader, "read",
                        lambda: drive(fresh_session(), org, plans["budi"], "budi", "plan_review"))
    report = verify_all(db_url, workers=1)
    assert landed and report.ok, report.problems
    # The transition is there for the next run, which walks the chain that moved and proves it.
    again = verify_all(db_url, workers=1)
    assert again.ok and again.rechecked >= 1, again
