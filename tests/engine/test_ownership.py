"""Who changes what every unit shares: a cycle belongs to the unit whose HR saved it first (or to the whole
organisation), and only its HR saves, publishes or retires a version; any HR may launch it for their units.
The training catalogue is the whole organisation's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import Forbidden
from engine.messages import Message
from engine.models import AuditEvent, CycleDefinitionRecord
from engine.ownership import cycle_owner, is_whole_organisation_hr
from engine.registry import publish, publish_source, retire, save_draft
from engine.runs import find_unit, launch
from tests.engine.test_versions import version_two
from tests.support.factories import national_source


def _own_cycle(version: int = 1) -> str:
    return (national_source().replace("id: permenpan-6-2022", "id: kinerja-dinas", 1)
            .replace("version: 1", f"version: {version}", 1))


def test_hr_of_the_whole_organisation_is_told_from_hr_of_a_part(session, org):
    assert is_whole_organisation_hr(session, org.actor("admin"))
    assert not is_whole_organisation_hr(session, org.actor("hr"))  # HR of DINAS only
    assert not is_whole_organisation_hr(session, org.actor("ani"))


def test_a_cycle_hr_of_a_dinas_saves_belongs_to_that_dinas_and_only_its_hr_changes_it(session, org):
    v1 = publish_source(session, _own_cycle(), "dinas.yaml", org.actor("hr"))
    assert v1.owner_unit_id == org.dinas.id and cycle_owner(session, "kinerja-dinas") == org.dinas.id

    with pytest.raises(Forbidden) as refused:
        save_draft(session, _own_cycle(2), "dinas-v2.yaml", org.actor("hr_lain"))
    assert refused.value.msg == Message("access.cycle_owner", cycle="kinerja-dinas", unit=org.dinas.name)
    assert "Dinas Kependudukan" in refused.value.msg.english()
    with pytest.raises(Forbidden):
        retire(session, v1, org.actor("hr_lain"))
    session.rollback()
    assert session.get(CycleDefinitionRecord, v1.id).status == "published"
    assert session.scalars(select(CycleDefinitionRecord.version).where(
        CycleDefinitionRecord.cycle_id == "kinerja-dinas")).all() == [1]

    # HR of another dinas may still run it for their own units.
    run = launch(session, v1, find_unit(session, "LAIN"), "2026", org.actor("hr_lain"))
    assert run.unit_id == org.other.id

    # Its own HR, and HR of the whole organisation, change it; every version keeps the owner.
    v2 = publish_source(session, _own_cycle(2), "dinas-v2.yaml", org.actor("hr"))
    assert v2.owner_unit_id == org.dinas.id
    retire(session, v1, org.actor("admin"))
    assert v1.status == "retired"


def test_a_cycle_of_the_whole_organisation_is_changed_only_by_hr_over_it(session, org, national):
    assert national.owner_unit_id is None  # published by admin
    for change in (lambda: publish_source(session, version_two(), "v2.yaml", org.actor("hr")),
                   lambda: retire(session, national, org.actor("hr"))):
        with pytest.raises(Forbidden) as refused:
            change()
        assert refused.value.msg.code == "access.hr_whole_only"
        session.rollback()
    session.refresh(national)
    assert national.status == "published"
    assert session.scalars(select(AuditEvent.kind).where(AuditEvent.kind == "retire")).all() == []
    # Not HR at all: refused too, as before.
    with pytest.raises(Forbidden):
        save_draft(session, version_two(), "v2.yaml", org.actor("ani"))
    session.rollback()
    # A draft saved by the organisation's HR is published only by it.
    draft = save_draft(session, version_two(), "v2.yaml", org.actor("admin"))
    with pytest.raises(Forbidden):
        publish(session, draft, org.actor("hr"))
    session.rollback()
    assert publish(session, draft, org.actor("admin")).status == "published"
