"""Replay's own problems (a step that leaves another state than the chain is in, a step the cycle does not have,
one taken by a role that may not take it) name states, steps and roles to the HR officer by the cycle's labels, as
every other finding does; the log keeps the cycle's keys, as scripts read them."""

from __future__ import annotations

from sqlalchemy import select

from engine.audit import EventInfo, append_appraisal_event, verify_chain
from engine.models import Appraisal
from engine.runs import find_unit, launch
from tests.support.states import drive
from web.cli import cli
from web.messages import finding_text


def _in_review(session, org, national) -> int:
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    drive(session, org, aid, "budi", "review")
    assert verify_chain(session).ok
    return aid


def _record_step(session, aid: int, trigger: str, source: str, dest: str, role: str) -> None:
    """A transition event written as the engine writes one (signed, in the chain), the row moved to match: what an
    engine defect or a holder of the audit key could record."""
    appraisal = session.get(Appraisal, aid)
    appraisal.state = dest
    appraisal.version += 1
    append_appraisal_event(session, appraisal, EventInfo(
        kind="transition", actor_user_id=None, actor_name="x", role=role, trigger=trigger, from_state=source,
        to_state=dest, payload={}, employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id))
    session.commit()


def _replay_problem(session, code: str) -> str:
    session.expire_all()
    found = [p for p in verify_chain(session).problems if p.message.params["problem"].code == code]
    assert len(found) == 1, verify_chain(session).problems
    return found[0]


def test_a_step_leaving_another_state_names_both_states_by_their_labels(session, org, national):
    aid = _in_review(session, org, national)
    _record_step(session, aid, "rate", "rate", "review", "penilai")  # a step of the cycle, but from 'rate'
    problem = _replay_problem(session, "audit.replay_leaves")
    assert problem.endswith("leaves state 'rate' but the chain was in 'review'")  # the log keeps the keys
    shown = {lang: finding_text(problem, lang) for lang in ("id", "en")}
    assert shown["id"].endswith("meninggalkan tahap 'Penilaian oleh pejabat penilai', padahal rantai berada di "
                                "'Pemeriksaan atasan pejabat penilai'")
    assert shown["en"].endswith("leaves state 'Rating by the rater' but the chain was in "
                                "'Review by the rater's supervisor'")


def test_a_step_the_cycle_does_not_have_names_it_and_its_states_by_their_labels(session, org, national):
    aid = _in_review(session, org, national)
    _record_step(session, aid, "confirm_rating", "review", "develop", "atasan_penilai")
    problem = _replay_problem(session, "audit.replay_step")
    assert "records the step 'confirm_rating' from 'review' to 'develop'" in problem
    shown = {lang: finding_text(problem, lang) for lang in ("id", "en")}
    assert ("mencatat langkah 'Tetapkan hasil penilaian' dari 'Pemeriksaan atasan pejabat penilai' ke "
            "'Pengembangan kompetensi'") in shown["id"]
    assert ("records the step 'Confirm the rating' from 'Review by the rater's supervisor' to "
            "'Competence development'") in shown["en"]


def test_a_step_no_step_of_the_cycle_bears_reads_by_its_key(session, org, national):
    aid = _in_review(session, org, national)
    _record_step(session, aid, "lompat", "review", "closed", "atasan_penilai")
    shown = finding_text(_replay_problem(session, "audit.replay_step"), "id")
    assert "mencatat langkah 'lompat' dari 'Pemeriksaan atasan pejabat penilai' ke 'Selesai'" in shown


def test_a_step_by_a_role_that_may_not_take_it_names_the_step_and_roles_by_their_labels(session, org, national):
    aid = _in_review(session, org, national)
    _record_step(session, aid, "confirm_rating", "review", "rated", "pegawai")
    problem = _replay_problem(session, "audit.replay_role")
    assert "records the step 'confirm_rating' by the role 'pegawai', but only atasan_penilai may take it" in problem
    shown = finding_text(problem, "en")
    assert "records the step 'Confirm the rating' by the role 'Employee', but only Reviewer (the rater's " \
           "supervisor) may take it" in shown


def test_audit_verify_prints_a_replay_problem_by_labels(runner, app, session, org, national):
    aid = _in_review(session, org, national)
    _record_step(session, aid, "rate", "rate", "review", "penilai")
    result = runner.invoke(cli, ["--lang", "id", "audit", "verify"], catch_exceptions=False)
    assert result.exit_code == 1
    assert ("meninggalkan tahap 'Penilaian oleh pejabat penilai', padahal rantai berada di "
            "'Pemeriksaan atasan pejabat penilai'") in result.output
    assert "'rate'" not in result.output
