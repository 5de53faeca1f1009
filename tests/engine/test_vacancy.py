"""A state's ``vacant`` clause: when nobody holds a role that acts there, the system fires what the cycle says.

In the test organisation sekda heads PEMDA and has no superior in Siklus; HR designates the regent's account
(``bupati``) as sekda's rater. Nobody reviews sekda unless HR also designates a reviewer. kadis reports to sekda,
so kadis's reviewer is whoever rates sekda.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition
from engine.audit import verify_chain
from engine.deadlines import tick
from engine.errors import Forbidden
from engine.models import Appraisal, AuditEvent, Notification
from engine.notifications import dispatch
from engine.raters import clear_rater, designate_rater
from engine.registry import publish_source
from engine.runs import find_unit, launch
from engine.validation import validate_source
from tests.support.factories import add_regent, national_source
from tests.support.states import SESUAI, VALUES, drive

REVIEW = """    deadline: {within: 14d, then: escalate}
  rated:"""
#: The national cycle whose rating stands without review where nobody reviews.
STANDS = national_source().replace(
    REVIEW, "    deadline: {within: 14d, then: escalate}\n    vacant:\n      atasan_penilai: {fire: confirm_rating}\n"
            "  rated:", 1)


@pytest.fixture
def regent(session, org):
    add_regent(session, org)


def _run(session, org, source: str):
    record = publish_source(session, source, "siklus.yaml", org.actor("admin"))
    return launch(session, record, find_unit(session, "PEMDA"), "2026", org.actor("admin"))


def _appraisal(session, org, run, who: str) -> int:
    return session.scalars(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                      Appraisal.employee_id == org.people[who].id)).one()


def _designate(session, org, reviewer: str = "") -> None:
    designate_rater(session, org.actor("hr_pemda"), org.people["sekda"].id, "bupati", reviewer,
                    basis="SK Bupati 800/12/2026")


def _events(session, appraisal_id: int) -> list[tuple[str | None, str | None, dict]]:
    return [(e.trigger, e.role, e.payload) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.appraisal_id == appraisal_id, AuditEvent.kind == "transition")
        .order_by(AuditEvent.seq))]


def test_the_sekdas_rating_stands_without_review_on_the_record_when_nobody_reviews(session, org, regent):
    run = _run(session, org, STANDS)
    sekda = _appraisal(session, org, run, "sekda")
    _designate(session, org)
    drive(session, org, sekda, "sekda", "rate", rater="bupati", reviewer="nobody")

    outcome = fire_transition(session, sekda, "rate", org.actor("bupati"), {"perilaku": {v: SESUAI for v in VALUES}})

    assert (outcome.to_state, outcome.state) == ("review", "rated")
    assert [(f.trigger, f.role, f.vacant_role) for f in outcome.followed] == [
        ("confirm_rating", "system", "atasan_penilai")]
    appraisal = session.get(Appraisal, sekda)
    assert (appraisal.state, appraisal.version) == ("rated", outcome.current_version)
    assert _events(session, sekda)[-1] == ("confirm_rating", "system", {"vacant_role": "atasan_penilai"})
    assert verify_chain(session).ok
    # The employee may still accept the rating (or appeal it) as the cycle says.
    fire_transition(session, sekda, "accept_rating", org.actor("sekda"))
    assert session.get(Appraisal, sekda).state == "develop"


def test_without_the_clause_the_rating_waits_at_review(session, org, regent, national):
    run = launch(session, national, find_unit(session, "PEMDA"), "2026", org.actor("admin"))
    sekda = _appraisal(session, org, run, "sekda")
    _designate(session, org)
    drive(session, org, sekda, "sekda", "review", rater="bupati", reviewer="nobody")
    assert tick(session).vacancies_filled == 0
    assert session.get(Appraisal, sekda).state == "review"


def test_a_designated_reviewer_holds_the_role_and_reviews(session, org, regent):
    run = _run(session, org, STANDS)
    sekda = _appraisal(session, org, run, "sekda")
    _designate(session, org, reviewer="admin")
    drive(session, org, sekda, "sekda", "review", rater="bupati", reviewer="admin")
    assert session.get(Appraisal, sekda).state == "review"
    assert tick(session).vacancies_filled == 0
    fire_transition(session, sekda, "confirm_rating", org.actor("admin"))
    assert _events(session, sekda)[-1][:2] == ("confirm_rating", "atasan_penilai")


def test_the_org_chart_reviewer_holds_the_role(session, org, regent):
    run = _run(session, org, STANDS)
    budi = _appraisal(session, org, run, "budi")  # budi -> kabid -> kadis: kadis reviews
    drive(session, org, budi, "budi", "review")
    assert session.get(Appraisal, budi).state == "review"
    assert tick(session).vacancies_filled == 0


def test_the_heads_under_the_sekda_are_reviewed_by_the_sekdas_rater_and_else_stand(session, org, regent):
    run = _run(session, org, STANDS)
    kadis = _appraisal(session, org, run, "kadis")
    _designate(session, org)
    drive(session, org, kadis, "kadis", "review", rater="sekda", reviewer="bupati")
    assert session.get(Appraisal, kadis).state == "review"  # the regent reviews what the sekda rates

    clear_rater(session, org.actor("hr_pemda"), org.people["sekda"].id)
    report = tick(session)
    assert report.vacancies_filled == 1 and report.failed == []
    assert session.get(Appraisal, kadis).state == "rated"
    assert _events(session, kadis)[-1] == ("confirm_rating", "system", {"vacant_role": "atasan_penilai"})
    assert tick(session).vacancies_filled == 0  # handled once
    assert verify_chain(session).ok


def test_nobody_but_the_system_records_a_vacant_role(session, org, regent):
    run = _run(session, org, STANDS)
    sekda = _appraisal(session, org, run, "sekda")
    _designate(session, org, reviewer="admin")
    drive(session, org, sekda, "sekda", "review", rater="bupati", reviewer="admin")
    with pytest.raises(Forbidden):
        fire_transition(session, sekda, "confirm_rating", org.actor("admin"), vacant_role="atasan_penilai")
    assert session.get(Appraisal, sekda).state == "review"


@pytest.mark.parametrize(("clause", "code", "where"), [
    ("      pegawai: {fire: confirm_rating}", "cycle.vacant_idle", "pegawai"),
    ("      kepala: {fire: confirm_rating}", "cycle.unknown_name_known", "kepala"),
    ("      atasan_penilai: {fire: accept_rating}", "cycle.vacant_trigger", "accept_rating"),
    ("      atasan_penilai: {fire: return_rating}", "cycle.vacant_payload", "komentar"),
])
def test_a_clause_that_cannot_work_is_refused_at_its_line(clause, code, where):
    source = national_source().replace(
        REVIEW, "    deadline: {within: 14d, then: escalate}\n    vacant:\n" + clause + "\n  rated:", 1)
    line = source.splitlines().index(clause) + 1
    problems = validate_source(source, "siklus.yaml")
    assert [(p.line, p.msg.code) for p in problems] == [(line, code)], [p.message for p in problems]
    assert where in problems[0].message


def test_a_clause_that_would_record_a_decision_nobody_made_is_refused():
    source = national_source().replace(
        "  appeal:\n    label:", "  appeal:\n    vacant:\n      atasan_penilai: {fire: decide_appeal}\n    label:", 1)
    problems = validate_source(source, "siklus.yaml")
    assert [p.msg.code for p in problems] in (["cycle.vacant_payload"], ["cycle.vacant_saves"])


def test_the_shipped_clause_is_valid():
    assert validate_source(STANDS, "siklus.yaml") == []


def _told(session, org, who: str) -> list[tuple[str, dict]]:
    return [(n.code, n.params) for n in session.scalars(
        select(Notification).where(Notification.user_id == org.users[who].id,
                                   Notification.dedupe_key.not_like("launch:%")).order_by(Notification.id))]


def test_an_appeal_nobody_can_decide_is_filed_and_hr_of_the_unit_is_told(session, org, regent):
    run = _run(session, org, STANDS)
    sekda = _appraisal(session, org, run, "sekda")
    _designate(session, org)
    drive(session, org, sekda, "sekda", "review", rater="bupati", reviewer="nobody")
    assert session.get(Appraisal, sekda).state == "rated"
    dispatch(session)
    assert [code for code, _ in _told(session, org, "hr_pemda")] == []  # the review was the cycle's to settle

    fire_transition(session, sekda, "appeal", org.actor("sekda"), {"alasan": "Realisasi belum lengkap dihitung."})
    assert session.get(Appraisal, sekda).state == "appeal"  # the right to appeal stands
    dispatch(session)
    told = _told(session, org, "hr_pemda")
    assert [code for code, _ in told] == ["notice.nobody_holds"]
    assert told[0][1]["employee"] == "Sekretaris Daerah"
    notice = session.scalars(select(Notification).where(Notification.user_id == org.users["hr_pemda"].id)
                             .where(Notification.code == "notice.nobody_holds")).one()
    assert "Atasan Pejabat Penilai" in notice.body and "Pejabat penilai pejabat puncak" in notice.body

    # Once HR designates a reviewer, they decide it.
    _designate(session, org, reviewer="admin")
    fire_transition(session, sekda, "decide_appeal", org.actor("admin"),
                    {"keputusan": "tetap", "pertimbangan": "Rating sudah sesuai bukti."})
    assert session.get(Appraisal, sekda).state == "develop"
    assert verify_chain(session).ok


def test_without_the_clause_hr_is_told_that_nobody_reviews(session, org, regent, national):
    run = launch(session, national, find_unit(session, "PEMDA"), "2026", org.actor("admin"))
    sekda = _appraisal(session, org, run, "sekda")
    _designate(session, org)
    drive(session, org, sekda, "sekda", "review", rater="bupati", reviewer="nobody")
    dispatch(session)
    assert [code for code, _ in _told(session, org, "hr_pemda")] == ["notice.nobody_holds"]


def _record_step(session, appraisal_id: int, trigger: str, source: str, dest: str, role: str,
                 payload: dict | None = None) -> None:
    """A transition event written as the engine writes one (signed, in the chain), with the live row moved to
    match: what an engine defect or a holder of the audit key could record."""
    from engine.audit import EventInfo, append_appraisal_event

    appraisal = session.get(Appraisal, appraisal_id)
    appraisal.state = dest
    appraisal.version += 1
    append_appraisal_event(session, appraisal, EventInfo(
        kind="transition", actor_user_id=None, actor_name="system" if role == "system" else "x", role=role,
        trigger=trigger, from_state=source, to_state=dest, payload=payload or {},
        employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id))
    session.commit()


@pytest.mark.parametrize(("step", "code"), [
    (("confirm_rating", "review", "rated", "pegawai"), "audit.replay_role"),
    (("confirm_rating", "review", "rated", "system", {"vacant_role": "atasan_penilai"}), "audit.replay_system"),
    (("confirm_rating", "review", "rated", "system"), "audit.replay_system"),
    (("confirm_rating", "review", "develop", "atasan_penilai"), "audit.replay_step"),
    (("lompat", "review", "closed", "atasan_penilai"), "audit.replay_step"),
])
def test_verification_names_a_step_the_cycle_does_not_let_that_role_take(session, org, regent, national, step, code):
    """On the national cycle (no ``vacant`` clause, no deadline that confirms a rating)."""
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("admin"))
    budi = _appraisal(session, org, run, "budi")
    drive(session, org, budi, "budi", "review")
    assert verify_chain(session).ok
    _record_step(session, budi, *step)
    problems = verify_chain(session).problems
    # The first problem is the step; the row's entry time and deadline, which this test leaves as they were,
    # follow it.
    assert problems[0].message.params["problem"].code == code, problems
    assert f"'{step[0]}'" in problems[0]


def test_a_step_the_vacant_clause_fires_is_a_step_of_the_cycle_for_the_system(session, org, regent):
    run = _run(session, org, STANDS)
    budi = _appraisal(session, org, run, "budi")
    drive(session, org, budi, "budi", "review")
    _record_step(session, budi, "confirm_rating", "review", "rated", "system", {"vacant_role": "atasan_penilai"})
    codes = [p.message.params["problem"].code for p in verify_chain(session).problems]
    assert codes and not any(c.startswith("audit.replay_") for c in codes), codes


def test_a_refused_fire_leaves_the_appraisal_where_it_is_and_tick_reports_it(session, org, regent):
    guarded = STANDS.replace(
        "    source: review\n    dest: rated\n    roles: [atasan_penilai]\n",
        "    source: review\n    dest: rated\n    roles: [atasan_penilai]\n"
        "    guards: [{expr: indicator_count >= 99, message: {id: Belum lengkap, en: Not complete}}]\n", 1)
    assert guarded != STANDS
    run = _run(session, org, guarded)
    sekda = _appraisal(session, org, run, "sekda")
    _designate(session, org)
    drive(session, org, sekda, "sekda", "rate", rater="bupati", reviewer="nobody")

    outcome = fire_transition(session, sekda, "rate", org.actor("bupati"), {"perilaku": {v: SESUAI for v in VALUES}})
    assert (outcome.state, outcome.followed) == ("review", ())  # the rating itself stands
    assert session.get(Appraisal, sekda).state == "review"
    report = tick(session)
    assert report.vacancies_filled == 0
    assert len(report.failed) == 1 and "confirm_rating" in report.failed[0] and "atasan_penilai" in report.failed[0]
    assert verify_chain(session).ok
