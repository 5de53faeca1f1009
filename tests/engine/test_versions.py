"""Published definitions are immutable; appraisals stay on their version until HR migrates them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition
from engine.audit import verify_chain
from engine.errors import InvalidInput
from engine.migration import migrate_appraisals
from engine.models import Appraisal, AuditEvent
from engine.registry import ImmutableDefinitionError, find_record, publish_source, save_draft
from engine.runs import find_unit, launch
from tests.support.factories import national_source
from tests.support.states import drive


def version_two() -> str:
    """The national cycle with 'plan_review' renamed to 'plan_approval'."""
    text = national_source().replace("version: 1", "version: 2", 1)
    return re.sub(r"\bplan_review\b", "plan_approval", text)


def test_a_published_version_cannot_change(session, org, national):
    changed = national_source().replace("minLength: 10, title: Alasan keberatan", "minLength: 20, title: Alasan keberatan")
    with pytest.raises(ImmutableDefinitionError, match="raise 'version' to 2"):
        save_draft(session, changed, "national.yaml", org.actor("hr"))
    national.source = changed
    with pytest.raises(ImmutableDefinitionError):
        session.commit()
    session.rollback()


def test_publishing_the_same_text_again_is_the_same_definition(session, org, national):
    again = publish_source(session, national_source(), "again.yaml", org.actor("hr"))
    assert again.id == national.id


def test_a_new_version_leaves_running_appraisals_alone_until_migrated(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalars(select(Appraisal).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, ani.id, "ani", "plan_review")
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("hr"))
    session.expire_all()
    assert session.get(Appraisal, ani.id).definition_id == national.id
    fire_transition(session, ani.id, "return_plan", org.actor("kabid"), {"komentar": "Masih pakai versi 1"})
    drive_back = session.get(Appraisal, ani.id)
    assert drive_back.state == "plan"
    fire_transition(session, ani.id, "submit_plan", org.actor("ani"))

    with pytest.raises(InvalidInput, match=r"plan_review .* not mapped \(1 appraisals\)"):
        migrate_appraisals(session, national, v2, {}, org.actor("hr"))
    session.expire_all()
    assert session.get(Appraisal, ani.id).definition_id == national.id

    report = migrate_appraisals(session, national, v2, {"plan_review": "plan_approval"}, org.actor("hr"))
    assert report.moved == 4 and report.by_state == {"plan_review": 1, "plan": 3}
    session.expire_all()
    moved = session.get(Appraisal, ani.id)
    assert (moved.definition_id, moved.state) == (v2.id, "plan_approval")
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == ani.id, AuditEvent.kind == "migrate")).one()
    assert (event.from_state, event.to_state, event.payload["from_version"], event.payload["to_version"]) == (
        "plan_review", "plan_approval", 1, 2)
    fire_transition(session, ani.id, "approve_plan", org.actor("kabid"))
    assert verify_chain(session).ok


def test_migration_to_a_state_that_does_not_exist_is_refused(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("hr"))
    with pytest.raises(InvalidInput, match="not in version 2: nowhere"):
        migrate_appraisals(session, national, v2, {"plan": "nowhere"}, org.actor("hr"))
    assert find_record(session, "permenpan-6-2022", 2).status == "published"
