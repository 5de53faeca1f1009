"""A top official's appraisal is not stranded for want of a rater: HR of their unit names the regional head's
account as their pejabat penilai (and the atasan pejabat penilai of the officials they rate), on the record.

In the test organisation sekda heads PEMDA and has no superior in Siklus (the regent is no employee);
kadis and doni report to sekda; hr is HR of DINAS only; hr_pemda is HR of the whole government.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.access import waiting_for
from engine.appraisals import fire_transition, set_skp
from engine.audit import verify_chain
from engine.errors import Forbidden, InvalidInput, NotFound, SiklusError
from engine.models import Appraisal, AuditEvent, Employee, Notification
from engine.notifications import dispatch
from engine.permissions import Actor
from engine.policy import Policy
from engine.raters import (
    clear_rater,
    designate_rater,
    designation_of,
    top_officials,
    without_rater,
    without_rater_in_run,
    without_reviewer,
    without_reviewer_in_run,
)
from engine.registry import definition_of
from engine.runs import find_unit, launch
from engine.users import seed_grant
from tests.support.factories import add_regent
from tests.support.states import SKP, drive
from web.messages import message_text


@pytest.fixture
def regent(session, org) -> dict[str, Actor]:
    """The regent's account (no employee record) and an HR officer of the whole government."""
    add_regent(session, org)
    return {name: org.actor(name) for name in ("bupati", "hr_pemda")}


@pytest.fixture
def run(session, org, national, regent):
    return launch(session, national, find_unit(session, "PEMDA"), "2026", org.actor("admin"))


def appraisal_of(session, org, run, who: str) -> int:
    return session.scalars(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                      Appraisal.employee_id == org.people[who].id)).one()


def designate(session, org, rater: str = "bupati", reviewer: str = "", by: str = "hr_pemda") -> None:
    designate_rater(session, org.actor(by), org.people["sekda"].id, rater, reviewer, basis="SK Bupati 800/12/2026")


def test_without_a_designation_nobody_can_approve_the_sekdas_plan_and_hr_is_told_who_lacks_a_rater(
        session, org, run):
    sekda = appraisal_of(session, org, run, "sekda")
    set_skp(session, sekda, org.actor("sekda"), SKP)
    fire_transition(session, sekda, "submit_plan", org.actor("sekda"))
    for someone in ("bupati", "hr_pemda", "admin", "kadis"):
        with pytest.raises(Forbidden):
            fire_transition(session, sekda, "approve_plan", org.actor(someone))
    assert [e.name for e in without_rater(session, Policy(session, org.actor("hr_pemda")).hr_scope())] == [
        "Sekretaris Daerah"]
    assert without_rater(session, Policy(session, org.actor("hr")).hr_scope()) == []  # DINAS: everyone has one
    assert [e.name for e in without_rater_in_run(session, run.id)] == ["Sekretaris Daerah"]


def test_the_designated_regent_approves_the_sekdas_plan_from_their_queue(session, org, run):
    sekda = appraisal_of(session, org, run, "sekda")
    designate(session, org)
    set_skp(session, sekda, org.actor("sekda"), SKP)
    fire_transition(session, sekda, "submit_plan", org.actor("sekda"))

    waiting, _more = waiting_for(session, org.actor("bupati"))
    assert [(w.appraisal.id, sorted(a.transition.trigger for a in w.actions)) for w in waiting] == [
        (sekda, ["approve_plan", "return_plan"])]
    fire_transition(session, sekda, "approve_plan", org.actor("bupati"))
    assert session.get(Appraisal, sekda).state == "monitor"
    assert without_rater_in_run(session, run.id) == []


def test_the_designated_rater_is_told_the_plan_waits_for_their_approval(session, org, run):
    sekda = appraisal_of(session, org, run, "sekda")
    designate(session, org)
    set_skp(session, sekda, org.actor("sekda"), SKP)
    fire_transition(session, sekda, "submit_plan", org.actor("sekda"))
    dispatch(session)
    told = session.scalars(select(Notification).where(Notification.user_id == org.users["bupati"].id,
                                                      Notification.dedupe_key.not_like("launch:%"))).all()
    assert [n.code for n in told] == ["notice.action_needed"]
    assert told[0].params["employee"] == "Sekretaris Daerah"


def test_the_regent_reviews_the_officials_the_sekda_rates_and_lists_them(session, org, run):
    designate(session, org)
    kadis = appraisal_of(session, org, run, "kadis")
    drive(session, org, kadis, "kadis", "review", rater="sekda", reviewer="bupati")
    fire_transition(session, kadis, "confirm_rating", org.actor("bupati"))
    assert session.get(Appraisal, kadis).state == "rated"
    policy = Policy(session, org.actor("bupati"))
    listed = set(session.scalars(select(Appraisal.employee_id).where(Appraisal.id.in_(policy.listable_ids()))))
    assert listed == {org.people[p].id for p in ("sekda", "kadis", "doni")}


def test_a_designated_reviewer_reviews_the_sekda_and_may_not_approve_the_plan(session, org, run, regent):
    designate(session, org, reviewer="admin")
    sekda = appraisal_of(session, org, run, "sekda")
    drive(session, org, sekda, "sekda", "rated", rater="bupati", reviewer="admin")
    assert session.get(Appraisal, sekda).state == "rated"
    defn = definition_of(session.get(Appraisal, sekda).definition)
    employee = session.get(Employee, org.people["sekda"].id)
    assert Policy(session, org.actor("admin")).roles(defn, employee, ["atasan_penilai", "penilai"]) == [
        "atasan_penilai"]


def test_the_org_chart_stays_the_normal_path(session, org, run):
    """A designation is refused for someone with a superior, and stops counting once they get one."""
    with pytest.raises(InvalidInput) as refused:
        designate_rater(session, org.actor("hr_pemda"), org.people["kadis"].id, "bupati")
    assert refused.value.msg.code == "rater.has_supervisor"
    designate(session, org)
    sekda = session.get(Employee, org.people["sekda"].id)
    sekda.supervisor_id = org.people["doni"].id
    session.commit()
    defn = definition_of(session.get(Appraisal, appraisal_of(session, org, run, "sekda")).definition)
    assert not Policy(session, org.actor("bupati")).holds(defn, "penilai", sekda)
    assert Policy(session, org.actor("doni")).holds(defn, "penilai", sekda)


@pytest.mark.parametrize("by,rater,reviewer,code,kind", [
    ("hr", "bupati", "", "rater.not_hr", Forbidden),              # HR of another unit (DINAS)
    ("hr_lain", "bupati", "", "rater.not_hr", Forbidden),
    ("bupati", "bupati", "", "rater.not_hr", Forbidden),          # a stranger to HR
    ("sekda", "bupati", "", "rater.not_hr", Forbidden),           # the employee themself
    ("hr_pemda", "sekda", "", "rater.self", InvalidInput),         # their own account as rater
    ("hr_pemda", "hr_pemda", "", "rater.own_account", Forbidden),  # HR does not make itself the rater
    ("hr_pemda", "tidak-ada", "", "rater.no_user", NotFound),
    ("hr_pemda", "kadis", "", "rater.subordinate", InvalidInput),  # a subordinate does not rate their superior
    ("hr_pemda", "budi", "", "rater.subordinate", InvalidInput),
    ("hr_pemda", "bupati", "bupati", "rater.reviewer_same", InvalidInput),
    ("hr_pemda", "", "", "rater.user_required", InvalidInput),
], ids=lambda v: v if isinstance(v, str) else None)
def test_who_may_not_designate_and_who_may_not_be_designated(session, org, run, by, rater, reviewer, code, kind):
    with pytest.raises(kind) as refused:
        designate(session, org, rater, reviewer, by=by)
    assert refused.value.msg.code == code
    assert session.scalars(select(AuditEvent).where(AuditEvent.kind.like("rater_%"))).all() == []
    assert top_officials(session, Policy(session, org.actor("admin")).hr_scope())[0].designation is None


def test_an_inactive_account_is_not_designated(session, org, run):
    org.users["bupati"].is_active = False
    session.commit()
    with pytest.raises(NotFound):
        designate(session, org)


def test_designating_and_clearing_are_in_the_audit_chain_and_it_verifies(session, org, run):
    designate(session, org)
    designate(session, org)  # the same again changes nothing and records nothing
    designate(session, org, reviewer="admin")
    clear_rater(session, org.actor("admin"), org.people["sekda"].id)
    events = session.scalars(select(AuditEvent).where(AuditEvent.kind.like("rater_%")).order_by(AuditEvent.seq)).all()
    assert [(e.kind, e.actor_name, e.employee_id) for e in events] == [
        ("rater_designate", "hr_pemda", org.people["sekda"].id),
        ("rater_designate", "hr_pemda", org.people["sekda"].id),
        ("rater_clear", "admin", org.people["sekda"].id)]
    assert events[0].payload["rater"] == "bupati" and events[0].payload["before"] is None
    assert events[1].payload["reviewer"] == "admin" and events[1].payload["before"]["reviewer"] is None
    assert events[2].payload["before"]["rater"] == "bupati"
    assert events[0].unit_id == org.root.id
    assert verify_chain(session).ok
    with pytest.raises(NotFound) as refused:
        clear_rater(session, org.actor("admin"), org.people["sekda"].id)
    assert refused.value.msg.code == "rater.none"


def test_clearing_is_for_hr_of_the_unit_only(session, org, run):
    designate(session, org)
    with pytest.raises(Forbidden):
        clear_rater(session, org.actor("hr"), org.people["sekda"].id)
    with pytest.raises(SiklusError):
        clear_rater(session, org.actor("bupati"), org.people["sekda"].id)
    assert top_officials(session, Policy(session, org.actor("hr_pemda")).hr_scope())[0].rater.username == "bupati"


def test_hr_is_told_whose_designated_rater_has_no_reviewer_until_one_is_designated(session, org, run):
    """Once the regent rates the Sekda, the appraisal waits at review; with nobody designated to review it, nobody
    can, so the launch and run pages name the Sekda until HR designates a reviewer."""
    designate(session, org)
    scope = Policy(session, org.actor("hr_pemda")).hr_scope()
    assert [e.name for e in without_reviewer(session, scope)] == ["Sekretaris Daerah"]
    assert [e.name for e in without_reviewer_in_run(session, run.id)] == ["Sekretaris Daerah"]
    assert without_reviewer(session, Policy(session, org.actor("hr")).hr_scope()) == []  # not in DINAS
    designate(session, org, reviewer="admin")
    assert without_reviewer(session, scope) == [] and without_reviewer_in_run(session, run.id) == []


def test_an_hr_officer_does_not_designate_or_clear_the_rater_of_their_own_employee_record(session, org, run):
    """The Sekda also holds HR over the pemda: they may not pick who rates them, nor remove the rater another HR
    officer designated (their plan would wait for nobody); as HR does not make itself the rater."""
    seed_grant(session, user_id=org.users["sekda"].id, role="hr", unit_id=org.root.id)
    session.commit()
    session.refresh(org.users["sekda"])
    sekda = org.people["sekda"].id
    with pytest.raises(Forbidden) as refused:
        designate_rater(session, org.actor("sekda"), sekda, "hr_lain", basis="SK 1")
    assert refused.value.msg.code == "rater.own_employee"
    assert message_text(refused.value.msg, "id") == (
        "Sekretaris Daerah adalah data pegawai Anda sendiri; pejabat penilai Anda ditunjuk atau dihapus oleh "
        "petugas SDM lain.")
    assert designation_of(session, sekda) is None
    designate(session, org)
    with pytest.raises(Forbidden) as refused:
        clear_rater(session, org.actor("sekda"), sekda)
    assert refused.value.msg.code == "rater.own_employee"
    session.expire_all()
    assert designation_of(session, sekda).rater_user_id == org.users["bupati"].id
