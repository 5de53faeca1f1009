"""The appeal (keberatan) window at its exact edge, in calendar days (the national default) and in working
days (REGULATION.md section 6: "within 14 days" of receiving the rating, calendar or working days
unverified, so a cycle chooses ``14d`` or ``14wd``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.appraisals import fire_transition
from engine.errors import TransitionNotAllowed
from engine.models import Appraisal
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.engine.test_national_cycle import _rated
from tests.support.factories import national_source

REASON = {"alasan": "Realisasi bulan Desember belum dihitung."}
WINDOW = "window: {since: rated, within: 14d}"


def test_an_appeal_at_the_last_moment_of_the_fourteenth_day_is_taken(session, org, national):
    """REGULATION.md section 6: filed exactly 14 days after the rating was received, the appeal is in time."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    rated_at = datetime(2026, 2, 2, 3, 0, tzinfo=UTC)
    aid = _rated(session, org, "budi", rated_at)
    outcome = fire_transition(session, aid, "appeal", org.actor("budi"), REASON, now=rated_at + timedelta(days=14))
    assert outcome.to_state == "appeal"


def test_an_appeal_a_moment_after_the_fourteenth_day_is_refused(session, org, national):
    """REGULATION.md section 6: one microsecond past 14 days the window is closed and says when it closed."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    rated_at = datetime(2026, 2, 2, 3, 0, tzinfo=UTC)
    aid = _rated(session, org, "budi", rated_at)
    with pytest.raises(TransitionNotAllowed, match="closed on 2026-02-16 03:00"):
        fire_transition(session, aid, "appeal", org.actor("budi"), REASON,
                        now=rated_at + timedelta(days=14, microseconds=1))
    assert session.get(Appraisal, aid).state == "rated"


@pytest.fixture
def working_days(session, org):
    """The national cycle with the appeal window and its deadline counted in working days."""
    source = national_source()
    assert WINDOW in source and "deadline: {within: 14d, then: {fire: accept_rating}}" in source
    source = source.replace(WINDOW, "window: {since: rated, within: 14wd}", 1).replace(
        "deadline: {within: 14d, then: {fire: accept_rating}}", "deadline: {within: 14wd, then: {fire: accept_rating}}")
    record = publish_source(session, source, "keberatan-hari-kerja.yaml", org.actor("admin"))
    launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    return record


def test_fourteen_working_days_skip_nyepi_lebaran_cuti_bersama_and_good_friday(session, org, working_days,
                                                                               monkeypatch):
    """REGULATION.md section 6 with ``14wd``: rated on Monday 16 March 2026 (WIB), the window skips Nyepi and
    Idul Fitri with their cuti bersama (18-24 March), Good Friday (3 April) and the weekends, and closes on
    Monday 13 April 2026 at the hour the rating was received."""
    monkeypatch.setenv("SIKLUS_TIMEZONE", "Asia/Jakarta")
    monkeypatch.delenv("SIKLUS_DAYS_OFF", raising=False)
    monkeypatch.delenv("SIKLUS_WORKDAYS", raising=False)
    rated_at = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # 09:00 WIB
    aid = _rated(session, org, "budi", rated_at)
    closes = datetime(2026, 4, 13, 2, 0, tzinfo=UTC)
    with pytest.raises(TransitionNotAllowed, match="closed on 2026-04-13 02:00"):
        fire_transition(session, aid, "appeal", org.actor("budi"), REASON, now=closes + timedelta(microseconds=1))
    assert fire_transition(session, aid, "appeal", org.actor("budi"), REASON, now=closes).to_state == "appeal"
