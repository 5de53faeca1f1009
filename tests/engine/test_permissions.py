"""Who may fire each transition of the national cycle: one row per (trigger, person, expected)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.errors import Forbidden
from engine.models import Appraisal
from engine.permissions import Actor
from engine.policy import Policy
from engine.registry import definition_of
from engine.runs import find_unit, launch
from engine.users import seed_grant
from tests.support.states import SKP, drive

# The appraised employee is ani; kabid is her rater (pejabat penilai), kadis the rater's supervisor
# (atasan pejabat penilai), budi her peer, hr the HR officer of her agency, hr_lain the HR officer of
# another agency, doni works elsewhere, admin administers everything.
PEOPLE = ["ani", "kabid", "kadis", "budi", "hr", "hr_lain", "doni", "admin", "sekda"]
MAY_FIRE = {
    "submit_plan": {"ani"},
    "return_plan": {"kabid"},
    "approve_plan": {"kabid"},
    "close_monitoring": {"kabid", "hr", "admin"},
    "reopen_monitoring": {"kabid", "hr", "admin"},
    "rate": {"kabid"},
    "return_rating": {"kadis"},
    "confirm_rating": {"kadis"},
    "appeal": {"ani"},
    "accept_rating": {"ani"},
    "decide_appeal": {"kadis"},
    "complete_development": {"kabid", "hr", "admin"},
}
ROWS = [(trigger, person, person in allowed) for trigger, allowed in MAY_FIRE.items() for person in PEOPLE]


@pytest.fixture
def ani_appraisal(session, org, national) -> Appraisal:
    launch(session, national, find_unit(session, "PEMDA"), "2026", org.actor("admin"))
    return session.scalars(select(Appraisal).where(Appraisal.employee_id == org.people["ani"].id)).one()


def test_the_table_names_every_transition_of_the_national_cycle(national):
    assert set(MAY_FIRE) == {t.trigger for t in definition_of(national).transitions}


@pytest.mark.parametrize("trigger,person,allowed", ROWS, ids=[f"{t}-{p}-{'yes' if a else 'no'}" for t, p, a in ROWS])
def test_who_may_fire(session, org, ani_appraisal, trigger, person, allowed):
    defn = definition_of(ani_appraisal.definition)
    transition = next(t for t in defn.transitions if t.trigger == trigger)
    role, reason = Policy(session, org.actor(person)).firing_role(defn, transition, ani_appraisal.employee)
    assert (role is not None) == allowed, reason


def test_a_refused_person_is_told_who_may_fire_and_nothing_changes(session, org, ani_appraisal):
    set_skp(session, ani_appraisal.id, org.actor("ani"), SKP)
    version = session.get(Appraisal, ani_appraisal.id).version
    with pytest.raises(Forbidden, match="only pegawai may fire 'submit_plan'"):
        fire_transition(session, ani_appraisal.id, "submit_plan", org.actor("budi"))
    session.expire_all()
    assert session.get(Appraisal, ani_appraisal.id).version == version


def test_an_hr_officer_cannot_approve_their_own_appraisal(session, org, ani_appraisal):
    seed_grant(session, user_id=org.users["ani"].id, role="hr", unit_id=org.dinas.id)
    session.commit()
    session.refresh(org.users["ani"])
    drive(session, org, ani_appraisal.id, "ani", "monitor")
    record_realisation(session, ani_appraisal.id, org.actor("ani"), "iki_1", 100)
    with pytest.raises(Forbidden, match="self-approval"):
        fire_transition(session, ani_appraisal.id, "close_monitoring", org.actor("ani"))


def test_an_hr_officer_of_another_agency_may_not_close_monitoring(session, org, ani_appraisal):
    drive(session, org, ani_appraisal.id, "ani", "monitor")
    with pytest.raises(Forbidden):
        fire_transition(session, ani_appraisal.id, "close_monitoring", org.actor("hr_lain"))
    fire_transition(session, ani_appraisal.id, "close_monitoring", org.actor("hr"))


def test_only_the_employee_edits_the_skp_while_planning(session, org, ani_appraisal):
    with pytest.raises(Forbidden, match="only pegawai may edit the skp"):
        set_skp(session, ani_appraisal.id, org.actor("kabid"), SKP)
    set_skp(session, ani_appraisal.id, org.actor("ani"), SKP)


def test_the_system_actor_fires_as_system(session, org, ani_appraisal):
    defn = definition_of(ani_appraisal.definition)
    transition = defn.transition("submit_plan", "plan")
    assert Policy(session, Actor.system()).firing_role(defn, transition, ani_appraisal.employee) == ("system", None)
