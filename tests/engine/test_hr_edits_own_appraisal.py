"""An HR officer appraised in their own unit does not edit their own appraisal as HR: where a cycle opens an
edit to HR and not to the employee (HR corrects the SKP while it awaits approval), the appraised HR officer is
refused as any employee is, the screens offer no form, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.appraisals import set_skp
from engine.errors import Forbidden
from engine.loaded import definition_of
from engine.models import Appraisal, AuditEvent, Indicator
from engine.policy import Policy
from engine.registry import publish_source
from engine.runs import find_unit, launch
from engine.users import seed_grant
from tests.support.factories import national_source
from tests.support.messages import said
from tests.support.states import SKP, drive

HR_CORRECTS = ("    stage: plan\n    deadline: {within: 7d, then: escalate}",
               "    stage: plan\n    edit: {sdm: [skp]}\n    deadline: {within: 7d, then: escalate}")


@pytest.fixture
def ani_in_review(session, org) -> int:
    source = national_source().replace("version: 1", "version: 9", 1).replace(*HR_CORRECTS, 1)
    assert "edit: {sdm: [skp]}" in source
    record = publish_source(session, source, "sdm-koreksi.yaml", org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                             Appraisal.employee_id == org.people["ani"].id))
    drive(session, org, appraisal_id, "ani", "plan_review")
    seed_grant(session, user_id=org.users["ani"].id, role="hr", unit_id=org.dinas.id)  # ani joins HR of DINAS
    session.commit()
    session.expire_all()
    assert ("hr", org.dinas.id) in org.actor("ani").grants
    return appraisal_id


def test_the_appraised_hr_officer_does_not_correct_their_own_skp_as_hr(session, org, ani_in_review):
    events = session.scalar(select(func.count()).select_from(AuditEvent)
                            .where(AuditEvent.appraisal_id == ani_in_review))
    changed = [{**SKP[0], "target": 1}]
    with pytest.raises(Forbidden) as refused:
        set_skp(session, ani_in_review, org.actor("ani"), changed)
    words = said(refused.value)
    assert "SKP penilaian Anda sendiri tidak dapat Anda ubah" in words["id"]
    assert "you cannot change the SKP of your own appraisal" in words["en"]
    session.expire_all()
    assert session.scalar(select(Indicator.target).where(Indicator.appraisal_id == ani_in_review)) == 100
    assert session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.appraisal_id == ani_in_review)) == events
    appraisal = session.get(Appraisal, ani_in_review)
    assert not Policy(session, org.actor("ani")).can_edit(definition_of(appraisal.definition), appraisal, "skp")


def test_another_hr_officer_corrects_it(session, org, ani_in_review):
    set_skp(session, ani_in_review, org.actor("hr"), [{**SKP[0], "target": 90}])
    session.expire_all()
    assert session.scalar(select(Indicator.target).where(Indicator.appraisal_id == ani_in_review)) == 90
