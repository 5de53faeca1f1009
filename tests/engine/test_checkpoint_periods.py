"""Checkpoint boundaries are local midnights where the agency works (SIKLUS_TIMEZONE), stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engine.checkpoints.periods import checkpoint_label, checkpoints_of
from engine.runs import period_bounds
from engine.validation import load_definition
from tests.engine.test_checkpoints import national_v2


def _series():
    return load_definition(national_v2(), "permenpan-6-2022-v2.yaml").checkpoints[0]


@pytest.mark.parametrize("zone, first_end", [("Asia/Jakarta", datetime(2026, 3, 31, 17, tzinfo=UTC)),
                                             ("Asia/Jayapura", datetime(2026, 3, 31, 15, tzinfo=UTC))])
def test_triwulan_i_ends_at_midnight_in_the_agencys_time_zone(monkeypatch, zone, first_end):
    monkeypatch.setenv("SIKLUS_TIMEZONE", zone)
    quarters = checkpoints_of(_series(), *period_bounds("annual", "2026"))
    assert [q.key for q in quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [q.label.id for q in quarters] == ["Triwulan I 2026", "Triwulan II 2026", "Triwulan III 2026",
                                              "Triwulan IV 2026"]
    assert (first_end - quarters[0].end).total_seconds() < 1e-3  # the last microsecond before local midnight
    assert quarters[1].start == first_end
    # The employee's entries close 10 days after the quarter, the rater's 20 days after.
    assert quarters[0].report_closes.astimezone(UTC).date().isoformat() == "2026-04-10"
    assert quarters[0].rating_closes.astimezone(UTC).date().isoformat() == "2026-04-20"


def test_a_semester_run_has_the_two_quarters_inside_it(monkeypatch):
    monkeypatch.setenv("SIKLUS_TIMEZONE", "Asia/Jakarta")
    assert [q.key for q in checkpoints_of(_series(), *period_bounds("semester", "2026-S2"))] == ["2026-Q3", "2026-Q4"]
    assert checkpoint_label(_series(), "2026-Q4").en == "Quarter IV 2026"
