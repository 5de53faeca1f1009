"""A checkpoint's IKI targets as the series declares them: the annual one, an even share, or the share to date.

docs/checkpoints.md, engine/checkpoints/targets.py. The web test beside (tests/web/test_checkpoint_target_pages.py)
shows Bungo's employee reading it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import select, update

from engine.appraisals import fire_transition, set_skp
from engine.audit import verify_chain
from engine.calendar import local_zone
from engine.checkpoints.periods import Checkpoint
from engine.checkpoints.service import record_checkpoint_realisation
from engine.checkpoints.targets import period_share, period_target
from engine.models import Appraisal, Result
from engine.registry import publish_source
from engine.runs import find_unit, launch
from engine.validation import load_definition, validate_source
from tests.engine.test_audit_outcomes import _rewrite_with_the_server_key

SKP = [{"key": "iki_1", "rhk": "Pelaporan keuangan", "label": "Laporan keuangan bulanan", "target": 12,
        "weight": 100}]


def _source(name: str) -> str:
    return resources.files("workflows").joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("name", ["bungo-v3", "bungo-v4"])
def test_bungo_validates_clean(name):
    assert validate_source(_source(name), f"{name}.yaml") == []


def test_published_versions_keep_judging_against_the_annual_target():
    for name in ("bungo", "bungo-v2", "bungo-v3", "solok-v4", "permenpan-6-2022-v3"):
        assert "targets:" not in _source(name)


def test_a_split_over_a_lower_is_better_iki_is_refused_at_its_line_in_both_languages():
    """Solok's proven complaints (lower is better, 2 a year) cannot be shared out: 0,5 a quarter means nothing."""
    text = _source("solok-v4").replace("    realisation: true\n", "    realisation: true\n    targets: even\n", 1)
    problems = validate_source(text, "solok.yaml")
    found = [p for p in problems if p.msg.code == "cycle.targets_iki"]
    assert [p.line for p in found] == [_line_of(text, "    targets: even")]
    assert "IKI 'pengaduan_masyarakat' (direction 'lower') is not counted up over the year" in found[0].message
    assert "tidak dihitung bertambah sepanjang tahun" in found[0].msg.text.id


def test_a_split_without_realisations_and_an_unknown_split_are_refused():
    text = _source("bungo-v4").replace("    realisation: true\n", "", 1)
    assert [p.msg.code for p in validate_source(text, "bungo.yaml")] == ["cycle.targets_no_realisation"]
    text = _source("bungo-v4").replace("    targets: cumulative\n", "    targets: weekly\n", 1)
    problems = validate_source(text, "bungo.yaml")
    assert problems and problems[0].line == _line_of(text, "targets: weekly")


def _checkpoint(series, start: tuple[int, int, int], end: tuple[int, int, int]) -> Checkpoint:
    zone = local_zone()
    first = datetime(*start, tzinfo=zone).astimezone(UTC)
    last = datetime(*end, 23, 59, 59, 999999, tzinfo=zone).astimezone(UTC)
    return Checkpoint(series, "k", series.label, 1, first, last)


def test_shares_count_whole_months_and_fall_back_to_days():
    series = load_definition(_source("bungo-v4"), "bungo-v4.yaml").checkpoints[0]
    zone = local_zone()
    year_start = datetime(2026, 1, 1, tzinfo=zone).astimezone(UTC)
    year_end = _checkpoint(series, (2026, 12, 1), (2026, 12, 31)).end
    q2 = _checkpoint(series, (2026, 4, 1), (2026, 6, 30))
    even, to_date = period_share("even", q2, year_start, year_end), period_share("cumulative", q2, year_start,
                                                                                  year_end)
    assert (even.part, even.whole, even.months) == (3, 12, True)
    assert (to_date.part, to_date.whole, to_date.months) == (6, 12, True)
    assert period_share("annual", q2, year_start, year_end) is None
    # A checkpoint ending mid-month counts days: 1 January to 15 February is 46 of 365.
    odd = period_share("cumulative", _checkpoint(series, (2026, 1, 1), (2026, 2, 15)), year_start, year_end)
    assert (odd.part, odd.whole, odd.months) == (46, 365, False)
    assert period_target(1000, even) == 250 and period_target([8, 12], to_date) == [4, 6]
    assert period_target(1000, period_share("even", _checkpoint(series, (2026, 3, 1), (2026, 3, 31)),
                                            year_start, year_end)) == 83.3333


def test_an_even_split_judges_each_quarter_on_its_own_realisation(session, org):
    source = _source("bungo-v4").replace("    targets: cumulative\n", "    targets: even\n", 1)
    run = launch(session, publish_source(session, source, "bungo.yaml", org.actor("admin")),
                 find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                             Appraisal.employee_id == org.people["ani"].id))
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(session, appraisal_id, org.actor("ani"), SKP, now=start)
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"), now=start)
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"), now=start)
    record_checkpoint_realisation(session, appraisal_id, org.actor("ani"), "evaluasi.2026-Q2", "iki_1", 2,
                                  now=datetime(2026, 6, 20, 3, tzinfo=UTC))
    session.expire_all()
    row = session.scalar(select(Result).where(Result.appraisal_id == appraisal_id,
                                              Result.name == "checkpoints.evaluasi.2026-Q2.iki.iki_1"))
    assert row.value == 66.67 and row.details["target"] == 3
    assert row.explanation["id"].startswith("Realisasi periode ini dibandingkan dengan target periode ini 3 = "
                                            "target tahunan 12 × 3/12 bulan")


def _bungo_v4_quarters(session, org, to_date: list[float]) -> int:
    run = launch(session, publish_source(session, _source("bungo-v4"), "bungo-v4.yaml", org.actor("admin")),
                 find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                             Appraisal.employee_id == org.people["ani"].id))
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(session, appraisal_id, org.actor("ani"), SKP, now=start)
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"), now=start)
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"), now=start)
    for quarter, value in enumerate(to_date, start=1):
        record_checkpoint_realisation(session, appraisal_id, org.actor("ani"), f"evaluasi.2026-Q{quarter}", "iki_1",
                                      value, now=datetime(2026, 3 * quarter, 20, 3, tzinfo=UTC))
    return appraisal_id


def test_verify_proves_each_quarters_achievement_against_its_target_to_date(session, org):
    """The period target is arithmetic on the annual target the chain records (the skp event), so verify computes
    each quarter's achievement again; one rewritten to the annual-target reading (25%) and re-signed is found."""
    aid = _bungo_v4_quarters(session, org, [3, 6])
    session.commit()
    session.expire_all()
    assert verify_chain(session).ok
    name = "checkpoints.evaluasi.2026-Q1.iki.iki_1"

    def as_against_the_year(fields: dict[str, Any]) -> None:
        if name in (fields["results"] or {}):
            fields["results"] = {**fields["results"], name: {**fields["results"][name], "value": 25.0}}

    _rewrite_with_the_server_key(session, aid, as_against_the_year)
    session.execute(update(Result).where(Result.appraisal_id == aid, Result.name == name).values(value=25.0))
    session.commit()
    session.expire_all()
    problems = [p for p in verify_chain(session).problems if "records the result" in p]
    assert problems and all(f"'{name}' = 25.0, but the cycle's rule gives 100.0" in p for p in problems), problems


def test_moving_a_running_appraisal_from_v3_to_v4_judges_its_past_quarters_again(session, org):
    """HR moves a running Bungo appraisal to version 4 mid-year: the first quarter, rated and closed to new
    entries, would have kept reading 25% had the move left its periodic results as version 3 computed them."""
    from engine.migration import migrate_appraisals
    v3 = publish_source(session, _source("bungo-v3"), "bungo-v3.yaml", org.actor("admin"))
    run = launch(session, v3, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                    Appraisal.employee_id == org.people["ani"].id))
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(session, aid, org.actor("ani"), SKP, now=start)
    fire_transition(session, aid, "submit_plan", org.actor("ani"), now=start)
    fire_transition(session, aid, "approve_plan", org.actor("kabid"), now=start)
    record_checkpoint_realisation(session, aid, org.actor("ani"), "evaluasi.2026-Q1", "iki_1", 3,
                                  now=datetime(2026, 3, 20, 3, tzinfo=UTC))
    v4 = publish_source(session, _source("bungo-v4"), "bungo-v4.yaml", org.actor("admin"))

    def stored(name: str) -> Any:
        session.expire_all()
        return session.scalar(select(Result.value).where(Result.appraisal_id == aid, Result.name == name))

    assert stored("checkpoints.evaluasi.2026-Q1.capaian") == "Di Bawah Ekspektasi"
    migrate_appraisals(session, v3, v4, {}, org.actor("hr"), now=datetime(2026, 5, 2, 3, tzinfo=UTC))
    assert stored("checkpoints.evaluasi.2026-Q1.iki.iki_1") == 100
    assert stored("checkpoints.evaluasi.2026-Q1.capaian") == "Sesuai Ekspektasi"
    assert stored("iki.iki_1") == 25  # the annual achievement keeps the annual target: 3 of 12 so far
    session.commit()
    session.expire_all()
    assert verify_chain(session).ok


def test_a_split_over_an_iki_the_system_feeds_is_refused():
    """The unit's survey score (IKM) is the year's value whenever it is read: set against a quarter of the year's
    target it would read four times too high."""
    fed = ("indicators:\n  - id: kepuasan\n    label: Kepuasan masyarakat\n    rule: target_achievement\n"
           "    target: 80\n    weight: 10\n    inputs: {realisation: unit.ikm}\n\nresults:\n")
    text = _source("bungo-v4").replace("\nresults:\n", "\n" + fed, 1)
    found = [p for p in validate_source(text, "bungo.yaml") if p.msg.code == "cycle.targets_iki"]
    assert [p.line for p in found] == [_line_of(text, "    targets: cumulative")]
    assert "IKI 'kepuasan' (inputs 'realisation')" in found[0].message
