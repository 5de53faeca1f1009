"""A save that changes nothing records nothing: the SKP saved as it is (or empty when it was empty), the
leader's expectations saved as they are, a development activity given the title and JP it has. The history
said "SKP diubah" for such a save and the version moved on, so a colleague's open form went stale for
nothing. A change that does change something is still recorded, and a refusal still comes first."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.appraisals import record_development, set_skp, set_team_skp
from engine.audit import verify_chain
from engine.development.activities import update_activity
from engine.errors import Forbidden
from engine.expectations import set_expectations
from engine.models import Appraisal, AuditEvent, DevelopmentActivity
from engine.runs import find_unit, launch
from tests.support.states import drive

TWO_IKI = [
    {"key": "iki_1", "rhk": "Layanan KTP-el", "label": "Berkas terverifikasi", "target": 100, "weight": 60,
     "aspect": "kuantitas", "unit": "berkas"},
    {"key": "iki_2", "label": "Laporan tepat waktu", "target": [10, 12], "weight": 40, "aspect": "waktu"},
]


def appraisal_id(session, org, who: str) -> int:
    return session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people[who].id)).one()


def seen(session, aid: int) -> tuple[int, int]:
    """The appraisal's version and the number of events in its history, as the database holds them now."""
    session.expire_all()
    events = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.appraisal_id == aid))
    return session.get(Appraisal, aid).version, events or 0


@pytest.fixture
def planning(session, org, national):
    """The dinas launched: every appraisal is at planning."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    return org


def test_saving_the_skp_as_it_is_records_no_event_and_keeps_the_version(session, planning):
    org = planning
    ani = appraisal_id(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), TWO_IKI)
    before = seen(session, ani)
    # The same IKI as typed on a form again: numbers as text, the range written highest first.
    again = [{**TWO_IKI[0], "target": "100", "weight": "60"}, {**TWO_IKI[1], "target": ["12", "10"]}]
    saved = set_skp(session, ani, org.actor("ani"), again, expected_version=before[0])
    assert saved.version == before[0]
    assert seen(session, ani) == before
    assert verify_chain(session).ok


def test_saving_an_empty_skp_that_was_empty_records_nothing(session, planning):
    org = planning
    ani = appraisal_id(session, org, "ani")
    before = seen(session, ani)
    set_skp(session, ani, org.actor("ani"), [])
    assert seen(session, ani) == before


def test_a_real_change_is_still_recorded_reordering_included(session, planning):
    org = planning
    ani = appraisal_id(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), TWO_IKI)
    version, events = seen(session, ani)
    set_skp(session, ani, org.actor("ani"), list(reversed(TWO_IKI)))
    assert seen(session, ani) == (version + 1, events + 1)
    set_skp(session, ani, org.actor("ani"), [{**TWO_IKI[0], "weight": None}, {**TWO_IKI[1], "weight": None}])
    assert seen(session, ani) == (version + 2, events + 2)
    set_skp(session, ani, org.actor("ani"), [])
    assert seen(session, ani) == (version + 3, events + 3)
    kinds = session.scalars(select(AuditEvent.kind).where(AuditEvent.appraisal_id == ani)
                            .order_by(AuditEvent.seq)).all()
    assert kinds[-4:] == ["skp"] * 4


def test_the_leader_saving_the_team_skp_as_it_is_records_nothing(session, planning):
    org = planning
    ani = appraisal_id(session, org, "ani")
    set_team_skp(session, ani, org.actor("kabid"), TWO_IKI)
    before = seen(session, ani)
    set_team_skp(session, ani, org.actor("kabid"), TWO_IKI)
    assert seen(session, ani) == before


def test_someone_who_may_not_edit_is_refused_even_when_nothing_would_change(session, planning):
    org = planning
    ani = appraisal_id(session, org, "ani")
    before = seen(session, ani)
    with pytest.raises(Forbidden):
        set_skp(session, ani, org.actor("hr"), [])
    assert seen(session, ani) == before


def test_expectations_saved_as_they_are_record_nothing(session, planning):
    org = planning
    ani = appraisal_id(session, org, "ani")
    before = seen(session, ani)
    set_expectations(session, ani, org.actor("kabid"), {"akuntabel": ""})
    assert seen(session, ani) == before
    set_expectations(session, ani, org.actor("kabid"), {"akuntabel": "Tepat waktu."})
    version, events = seen(session, ani)
    assert (version, events) == (before[0] + 1, before[1] + 1)
    set_expectations(session, ani, org.actor("kabid"), {"akuntabel": " Tepat waktu. ", "loyal": ""})
    assert seen(session, ani) == (version, events)


def test_an_activity_given_the_title_and_jp_it_has_records_nothing(session, fresh_session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = appraisal_id(session, org, "ani")
    drive(session, org, ani, "ani", "develop")
    record_development(fresh_session(), ani, org.actor("ani"), "Pelayanan Prima", 8)
    activity = fresh_session().scalar(select(DevelopmentActivity.id).where(DevelopmentActivity.appraisal_id == ani))
    before = seen(session, ani)
    update_activity(fresh_session(), ani, activity, org.actor("ani"), " Pelayanan  Prima ", "8")
    assert seen(session, ani) == before
    update_activity(fresh_session(), ani, activity, org.actor("ani"), "Pelayanan Prima", 12)
    assert seen(session, ani) == (before[0] + 1, before[1] + 1)
