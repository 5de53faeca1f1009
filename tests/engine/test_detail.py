"""The appraisal read model: what one person may see of one appraisal and what they may do with it now,
decided once for the page, the printable document and the API."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from engine.appraisals import record_realisation
from engine.detail import appraisal_detail
from engine.errors import Forbidden, NotFound
from engine.models import Appraisal
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.factories import national_source
from tests.support.states import drive


def _appraisal(session, org, run, person: str) -> Appraisal:
    return session.scalars(select(Appraisal).where(
        Appraisal.run_id == run.id, Appraisal.employee_id == org.people[person].id)).one()


@pytest.fixture
def run(session, org, national):
    return launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))


@pytest.fixture
def hidden_behaviour(session, org):
    """The national cycle with the behaviour rating hidden from the appraised employee, launched for DINAS."""
    source = national_source().replace(
        "    rule: behaviour_rating\n", "    rule: behaviour_rating\n    visible_to_employee: false\n", 1)
    assert "visible_to_employee: false" in source
    record = publish_source(session, source, "permenpan-6-2022.yaml", org.actor("admin"))
    return launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))


def test_the_employee_may_submit_the_plan_and_edit_the_skp_in_planning(session, org, run):
    ani = _appraisal(session, org, run, "ani")
    detail = appraisal_detail(session, org.actor("ani"), ani.id)
    assert detail.fireable == {"submit_plan"}
    assert detail.can_edit["skp"] and not detail.can_edit["development"]
    assert detail.roles == ("pegawai",) and not detail.is_hr


def test_hr_sees_the_appraisal_and_may_fire_nothing_a_role_fires(session, org, run):
    ani = _appraisal(session, org, run, "ani")
    detail = appraisal_detail(session, org.actor("hr"), ani.id)
    assert detail.is_hr and "submit_plan" not in detail.fireable


def test_someone_without_a_role_is_refused_and_no_such_appraisal_is_not_found(session, org, run):
    ani = _appraisal(session, org, run, "ani")
    with pytest.raises(Forbidden):
        appraisal_detail(session, org.actor("doni"), ani.id)
    with pytest.raises(NotFound):
        appraisal_detail(session, org.actor("ani"), ani.id + 10_000)


def test_the_skp_says_who_set_each_target_and_who_recorded_each_realisation(session, org, run):
    ani = _appraisal(session, org, run, "ani")
    drive(session, org, ani.id, "ani", "rate")
    row = next(r for r in appraisal_detail(session, org.actor("kabid"), ani.id).skp if r.key == "iki_1")
    assert not row.fixed and row.target == 100
    assert row.target_by is not None and row.target_by.name == "Ani Lestari"
    assert row.realisation == 100 and row.realisation_by is not None and row.realisation_by.name == "Ani Lestari"
    assert row.achievement is None and row.live_achievement is not None  # not rated yet: the rule applied now


def test_the_history_names_the_transition_and_the_role_of_each_step(session, org, run):
    ani = _appraisal(session, org, run, "ani")
    drive(session, org, ani.id, "ani", "monitor")
    history = appraisal_detail(session, org.actor("ani"), ani.id).history
    approved = next(e for e in history if e.trigger == "approve_plan")
    assert approved.transition_label is not None and approved.transition_label.id == "Setujui SKP"
    assert approved.role == "penilai"
    assert approved.role_label is not None and approved.role_label.id == "Pejabat Penilai Kinerja"
    assert (approved.from_state, approved.to_state) == ("plan_review", "monitor")
    assert [e.seq for e in history] == sorted(e.seq for e in history)


def test_a_result_hidden_from_the_employee_is_hidden_everywhere_the_detail_shows_it(session, org, hidden_behaviour):
    ani = _appraisal(session, org, hidden_behaviour, "ani")
    drive(session, org, ani.id, "ani", "appeal")
    mine = appraisal_detail(session, org.actor("ani"), ani.id)
    rater = appraisal_detail(session, org.actor("kabid"), ani.id)
    assert "rating_perilaku" not in {r.name for r in mine.results}
    assert "rating_perilaku" in {r.name for r in rater.results}
    assert mine.appeal is not None and rater.appeal is not None
    assert "rating_perilaku" not in {r.name for r in mine.appeal.results}
    assert "rating_perilaku" in {r.name for r in rater.appeal.results}


def test_the_appeal_shows_the_employee_s_statement_beside_the_rating(session, org, run):
    ani = _appraisal(session, org, run, "ani")
    drive(session, org, ani.id, "ani", "appeal")
    appeal = appraisal_detail(session, org.actor("kadis"), ani.id).appeal
    assert appeal is not None
    assert appeal.employee.payload["alasan"] == "Realisasi belum lengkap dihitung."
    assert [p.payload.get("perilaku") is not None for p in appeal.rater] == [True]
    assert {r.name for r in appeal.results} >= {"predikat"}


def test_the_detail_costs_the_same_statements_however_long_the_history(session, org, run, db_engine):
    ani = _appraisal(session, org, run, "ani")
    drive(session, org, ani.id, "ani", "monitor")
    record_realisation(session, ani.id, org.actor("ani"), "iki_1", 25)

    def statements() -> int:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        session.rollback()
        event.listen(db_engine, "before_cursor_execute", listener)
        try:
            appraisal_detail(session, org.actor("kabid"), ani.id)
        finally:
            event.remove(db_engine, "before_cursor_execute", listener)
        return len(seen)

    few = statements()
    for value in (40, 55, 70, 85, 100):  # five more realisations, five more events in the history
        record_realisation(session, ani.id, org.actor("ani"), "iki_1", value)
    assert statements() == few
