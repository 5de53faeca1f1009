"""A moment given in local time (WIB, as the calendar computes period ends) is the same instant in the chain
and in the table: an SKP set at 23:59 WIB verifies clean, as the agency demos' closed periods are written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from engine.appraisals import set_skp
from engine.audit import verify_chain
from engine.models import Appraisal, Indicator
from engine.runs import find_unit, launch

WIB = timezone(timedelta(hours=7))
SKP = [{"key": "iki_1", "rhk": "Layanan KTP-el", "label": "Berkas terverifikasi", "target": 1200, "weight": 100}]


def test_an_skp_set_at_a_moment_in_wib_verifies_clean(session, fresh_session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = fresh_session().scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                                     Appraisal.employee_id == org.people["ani"].id))
    end_of_day = datetime(2026, 10, 17, 23, 59, 59, 999999, tzinfo=WIB)
    set_skp(fresh_session(), appraisal_id, org.actor("ani"), SKP, now=end_of_day)
    stored = fresh_session().scalar(select(Indicator.set_at).where(Indicator.appraisal_id == appraisal_id))
    assert stored == end_of_day and stored.tzinfo == UTC
    report = verify_chain(fresh_session())
    assert report.ok, report
