"""Launching a cycle for a unit and a period."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from engine.access import hr_scope, waiting_for
from engine.appraisals import available_transitions, fire_transition, record_development, set_skp
from engine.audit import appraisal_stream, verify_chain
from engine.errors import Conflict, Forbidden, InvalidInput, TransitionNotAllowed
from engine.export import results_rows
from engine.feedback import give_feedback
from engine.models import Appraisal, AuditEvent, CycleRun, Employee, Indicator, utcnow
from engine.permissions import Actor
from engine.registry import save_draft
from engine.runs import (
    add_employee,
    close_appraisal,
    find_unit,
    launch,
    launch_cycle,
    period_bounds,
    period_timezone,
    transfer_employee,
)
from engine.users import seed_grant
from tests.support.factories import national_source, record_chart
from tests.support.messages import said
from tests.support.states import SKP


def test_launch_starts_one_appraisal_per_employee_of_the_unit_and_below(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    employees = session.scalars(select(Appraisal.employee_id).where(Appraisal.run_id == run.id)).all()
    assert sorted(employees) == sorted(org.people[k].id for k in ("kadis", "kabid", "ani", "budi"))
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "launch")).one()
    assert event.payload["appraisals"] == 4 and event.payload["period"] == "2026" and event.actor_name == "hr"


@pytest.mark.parametrize("again", [" 2026", "2026 ", "\t2026\n"])
def test_a_period_typed_with_spaces_is_the_same_period_not_a_second_run(session, org, national, again):
    """The stored period was the typed text: ' 2026' started a second run and a second appraisal of the year."""
    launch(session, national, find_unit(session, "DINAS"), again, org.actor("hr"))
    assert session.scalars(select(CycleRun.period)).all() == ["2026"]
    with pytest.raises(InvalidInput, match="already launched for DINAS in 2026"):
        launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    assert session.scalar(select(func.count()).select_from(Appraisal)) == 4


def test_a_unit_is_launched_once_per_period(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    with pytest.raises(InvalidInput, match="already launched for DINAS in 2026"):
        launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    assert session.scalar(select(func.count()).select_from(CycleRun)) == 1


@pytest.mark.parametrize("period", ["2026-Q1", "26", "2026-13", "tahun ini", "٢٠٢٦", "２０２６", "20 26"])
def test_a_period_that_does_not_fit_the_cycle_is_refused_with_an_example(session, org, national, period):
    with pytest.raises(InvalidInput, match="write it like 2026"):
        launch(session, national, find_unit(session, "DINAS"), period, org.actor("hr"))
    assert session.scalar(select(func.count()).select_from(Appraisal)) == 0


@pytest.mark.parametrize("period", ["0000", "9999", "1066"])
def test_a_year_no_appraisal_runs_in_is_refused_by_its_range_not_a_server_error(session, org, national, period):
    with pytest.raises(InvalidInput, match="the year must be between 1950 and 2999") as refused:
        launch(session, national, find_unit(session, "DINAS"), period, org.actor("hr"))
    assert said(refused.value)["id"] == f"Periode «{period}»: tahunnya harus antara 1950 dan 2999."
    assert session.scalar(select(func.count()).select_from(Appraisal)) == 0


def test_a_long_mistyped_period_is_repeated_back_only_in_part(session, org, national):
    with pytest.raises(InvalidInput) as refused:
        launch(session, national, find_unit(session, "DINAS"), "x" * 5000, org.actor("hr"))
    assert len(said(refused.value)["id"]) < 200 and "x" * 40 + "…" in said(refused.value)["id"]


def test_a_draft_cannot_be_launched(session, org):
    draft = save_draft(session, national_source(), "national.yaml", org.actor("hr"))
    with pytest.raises(InvalidInput, match="only a published definition can be launched"):
        launch(session, draft, find_unit(session, "DINAS"), "2026", org.actor("hr"))


@pytest.mark.parametrize("kind,period,start,end", [
    ("annual", "2026", "2026-01-01", "2026-12-31"),
    ("semester", "2026-S2", "2026-07-01", "2026-12-31"),
    ("quarterly", "2026-Q1", "2026-01-01", "2026-03-31"),
    ("monthly", "2026-02", "2026-02-01", "2026-02-28"),
])
def test_period_bounds_are_local_calendar_days(kind, period, start, end):
    first, last = period_bounds(kind, period)
    zone = period_timezone()
    assert (first.astimezone(zone).isoformat()[:19], last.astimezone(zone).isoformat()[:19]) == (
        f"{start}T00:00:00", f"{end}T23:59:59")


def test_the_year_ends_at_midnight_in_jakarta_not_in_greenwich(monkeypatch):
    monkeypatch.setenv("SIKLUS_TIMEZONE", "Asia/Jakarta")
    _, last = period_bounds("annual", "2026")
    assert last.utcoffset().total_seconds() == 7 * 3600 and (last.hour, last.minute) == (23, 59)


# -- one appraisal per employee per cycle and period -------------------------------------------

def _appraisals_of(session, employee):
    return session.scalars(select(Appraisal).where(Appraisal.employee_id == employee.id).order_by(Appraisal.id)).all()


def test_launching_a_sub_unit_of_a_launched_unit_creates_no_second_appraisal(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    with pytest.raises(InvalidInput, match="already has an appraisal of permenpan-6-2022 in 2026") as refused:
        launch(session, national, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
    skipped = refused.value.details["skipped"]
    assert sorted(s["nip"] for s in skipped) == sorted(org.people[k].nip for k in ("kabid", "ani", "budi"))
    assert {s["run_id"] for s in skipped} == {run.id} and {s["run_unit"] for s in skipped} == {"DINAS"}
    assert "Semua 3 pegawai aktif BIDANG" in said(refused.value)["id"]
    assert session.scalar(select(func.count()).select_from(CycleRun)) == 1
    assert session.scalar(select(func.count()).select_from(Appraisal)) == 4


def test_launching_the_parent_after_a_sub_unit_starts_only_those_without_one_and_lists_the_rest(session, org, national):
    first = launch(session, national, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
    outcome = launch_cycle(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    assert outcome.started == 1
    assert [a.employee_id for a in session.scalars(select(Appraisal).where(Appraisal.run_id == outcome.run.id))] == [
        org.people["kadis"].id]
    assert sorted((s.name, s.run_id, s.run_unit, s.state) for s in outcome.skipped) == [
        ("Ani Lestari", first.id, "BIDANG", "plan"), ("Budi Santoso", first.id, "BIDANG", "plan"),
        ("Hendra Wijaya", first.id, "BIDANG", "plan")]
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "launch")
                            .order_by(AuditEvent.id.desc())).first()
    assert event.payload["appraisals"] == 1 and len(event.payload["skipped"]) == 3
    for key in ("kabid", "ani", "budi", "kadis"):
        assert len(_appraisals_of(session, org.people[key])) == 1


def test_a_launch_in_blocks_starts_each_remaining_employee_once_with_a_verified_chain(session, org, national):
    """Blocks are ranges of employee ids: an employee skipped inside a range and an inactive one are left
    out, and every chain started verifies."""
    org.people["kabid"].active = org.people["budi"].active = False
    session.commit()
    record_chart(session)
    first = launch(session, national, find_unit(session, "BIDANG"), "2026", org.actor("admin"))  # Ani only
    org.people["budi"].active = True
    session.commit()
    record_chart(session)
    # Active ids in order: sekda, kadis, (kabid inactive), ani (skipped), budi, doni: the second block spans both.
    outcome = launch_cycle(session, national, find_unit(session, "PEMDA"), "2026", org.actor("admin"), chunk=2)
    started = session.scalars(select(Appraisal).where(Appraisal.run_id == outcome.run.id)).all()
    expected = sorted(org.people[k].id for k in ("sekda", "kadis", "budi", "doni"))
    assert sorted(a.employee_id for a in started) == expected
    assert outcome.started == 4 and [(s.name, s.run_id) for s in outcome.skipped] == [("Ani Lestari", first.id)]
    assert all(a.audit_seq == 1 for a in started)
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "create")) == 5
    report = verify_chain(session)
    assert report.ok, report.problems


def test_another_cycle_or_period_is_not_a_duplicate(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    outcome = launch_cycle(session, national, find_unit(session, "BIDANG"), "2027", org.actor("hr"))
    assert outcome.started == 3 and outcome.skipped == []


def test_the_database_refuses_a_second_open_appraisal_written_behind_the_services_back(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    now = utcnow()
    second = CycleRun(cycle_id=run.cycle_id, definition_id=national.id, unit_id=org.bidang.id, period="2026",
                      period_start=run.period_start, period_end=run.period_end, launched_at=now)
    session.add(second)
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(insert(Appraisal).values(
            run_id=second.id, definition_id=national.id, employee_id=org.people["ani"].id, cycle_id=run.cycle_id,
            period="2026", state="plan", version=1, entered_at=now, state_entries={}, data={}, audit_seq=0,
            audit_head="", created_at=now, updated_at=now))
        session.commit()
    session.rollback()
    assert len(_appraisals_of(session, org.people["ani"])) == 1


# -- joiners, leavers and transferees -----------------------------------------------------------

def _joiner(session, org, *, unit=None, active=True):
    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis SDM Aparatur",
                   unit_id=(unit or org.bidang).id, supervisor_id=org.people["kabid"].id, active=active)
    session.add(eko)
    session.commit()
    record_chart(session)
    return eko


def test_a_joiner_is_added_to_a_running_run_in_its_initial_state_and_audited(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    eko = _joiner(session, org)
    added = add_employee(session, run.id, eko.nip, org.actor("hr"), reason="CPNS formasi 2025, TMT 1 Maret 2026")
    assert (added.run_id, added.state, added.cycle_id, added.period, added.closed_at) == (run.id, "plan", run.cycle_id,
                                                                                        "2026", None)
    event = session.scalars(select(AuditEvent).where(AuditEvent.stream == appraisal_stream(added.id))).one()
    assert (event.kind, event.to_state, event.employee_id, event.actor_name) == ("enrol", "plan", eko.id, "hr")
    assert event.payload["run_id"] == run.id and event.payload["state"] == "plan"
    assert event.payload["how"] == "joined" and event.payload["reason"].startswith("CPNS")
    assert verify_chain(session).ok
    # The joiner's appraisal runs like any other: it waits for the employee's plan.
    eko_actor = Actor(user_id=None, username="eko", employee_id=eko.id)
    assert [a.transition.trigger for a in available_transitions(session, added, eko_actor)] == ["submit_plan"]


@pytest.mark.parametrize("case, refusal, words", [
    ("hr of another unit", Forbidden, "not HR of DINAS"),
    ("inactive", InvalidInput, "not an active employee"),
    ("outside the unit", InvalidInput, "outside DINAS"),
    ("already appraised", Conflict, "already has appraisal"),
])
def test_a_joiner_is_refused_clearly_and_nothing_is_written(session, org, national, case, refusal, words):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    actor = org.actor("hr_lain" if case == "hr of another unit" else "hr")
    employee = {"hr of another unit": lambda: _joiner(session, org),
                "inactive": lambda: _joiner(session, org, active=False),
                "outside the unit": lambda: org.people["doni"],
                "already appraised": lambda: org.people["ani"]}[case]()
    before = (session.scalar(select(func.count()).select_from(Appraisal)),
              session.scalar(select(func.count()).select_from(AuditEvent)))
    with pytest.raises(refusal, match=words) as refused:
        add_employee(session, run.id, employee.nip, actor, reason="SK pengangkatan")
    text = said(refused.value)  # what HR reads, in each language (no English in the Indonesian)
    assert text["id"] and text["en"] and text["id"] != text["en"]
    assert (session.scalar(select(func.count()).select_from(Appraisal)),
            session.scalar(select(func.count()).select_from(AuditEvent))) == before


def test_a_leaver_is_closed_with_a_reason_and_takes_no_more_actions(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                  Appraisal.employee_id == org.people["ani"].id)).one()
    closed = close_appraisal(session, ani.id, org.actor("hr"), kind="left", reason="Pensiun dini, SK 800/12/2026")
    assert (closed.state, closed.closed_kind, closed.closed_reason) == ("plan", "left", "Pensiun dini, SK 800/12/2026")
    assert closed.closed_at is not None and closed.due_at is None
    events = session.scalars(select(AuditEvent).where(AuditEvent.stream == appraisal_stream(ani.id))
                             .order_by(AuditEvent.seq)).all()
    assert [e.kind for e in events] == ["create", "close"]  # launched, then closed
    event = events[-1]
    assert (event.kind, event.payload["kind"], event.payload["state"]) == ("close", "left", "plan")
    assert verify_chain(session).ok
    with pytest.raises(TransitionNotAllowed, match="was closed"):
        fire_transition(session, ani.id, "submit_plan", org.actor("ani"))
    with pytest.raises(TransitionNotAllowed, match="was closed"):
        record_development(session, ani.id, org.actor("ani"), "Diklat", 10)
    with pytest.raises(TransitionNotAllowed, match="was closed"):
        give_feedback(session, ani.id, org.actor("kabid"), "umpan_balik_penilai", {"q1": 3})
    queue, _ = waiting_for(session, org.actor("kabid"))
    assert ani.id not in {w.appraisal.id for w in queue}
    rows = results_rows(session, period="2026", scope=hr_scope(session, org.actor("hr")))
    assert org.people["ani"].nip not in {r["NIP"] for r in rows}
    with pytest.raises(InvalidInput, match="already closed"):
        close_appraisal(session, ani.id, org.actor("hr"), reason="lagi")


@pytest.mark.parametrize("who, kind, reason, refusal", [
    ("hr_lain", "left", "Pensiun", Forbidden),
    ("hr", "left", "  ", InvalidInput),
    ("hr", "fired", "Pensiun", InvalidInput),
])
def test_closing_is_refused_without_rights_reason_or_a_known_kind(session, org, national, who, kind, reason, refusal):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                  Appraisal.employee_id == org.people["ani"].id)).one()
    with pytest.raises(refusal):
        close_appraisal(session, ani.id, org.actor(who), kind=kind, reason=reason)
    session.expire_all()
    # Nothing was closed, and the chain holds only the launch's create event.
    assert session.get(Appraisal, ani.id).closed_at is None and session.get(Appraisal, ani.id).audit_seq == 1


def test_a_transferee_continues_in_the_new_units_run_and_is_exported_once(session, org, national):
    dinas = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    lain = launch(session, national, find_unit(session, "LAIN"), "2026", org.actor("admin"))
    ani = session.scalars(select(Appraisal).where(Appraisal.run_id == dinas.id,
                                                  Appraisal.employee_id == org.people["ani"].id)).one()
    # Moving a person who still works in DINAS is refused: the organisation data records the move first.
    with pytest.raises(InvalidInput, match="outside LAIN"):
        transfer_employee(session, ani.id, lain.id, org.actor("admin"), reason="SK mutasi 821/45/2026")
    assert session.get(Appraisal, ani.id).closed_at is None
    org.people["ani"].unit_id = org.other.id
    session.commit()
    record_chart(session)
    # HR of DINAS alone cannot start an appraisal in LAIN's run.
    with pytest.raises(Forbidden, match="not HR of LAIN"):
        transfer_employee(session, ani.id, lain.id, org.actor("hr"), reason="SK mutasi 821/45/2026")
    old, new = transfer_employee(session, ani.id, lain.id, org.actor("admin"), reason="SK mutasi 821/45/2026")
    assert (old.closed_kind, old.run_id) == ("transferred", dinas.id)
    assert (new.run_id, new.state, new.closed_at) == (lain.id, "plan", None)
    enrol = session.scalars(select(AuditEvent).where(AuditEvent.stream == appraisal_stream(new.id))).one()
    assert (enrol.payload["how"], enrol.payload["from_appraisal"]) == ("transferred", old.id)
    assert verify_chain(session).ok
    rows = results_rows(session, period="2026", scope=hr_scope(session, org.actor("admin")))
    assert [r["Unit Kerja"] for r in rows if r["NIP"] == org.people["ani"].nip] == ["Dinas Lain"]
    # A later launch of LAIN's parent skips her and names the appraisal she has.
    with pytest.raises(InvalidInput, match="already launched"):
        launch(session, national, find_unit(session, "LAIN"), "2026", org.actor("admin"))


def test_an_employee_who_left_and_came_back_continues_the_appraisal_of_the_run(session, org, national):
    """A run holds one appraisal per employee: re-adding one whose appraisal was closed opens it again, as it was,
    instead of a conflict that no retry resolves (the employee would be left with no appraisal at all)."""
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                  Appraisal.employee_id == org.people["ani"].id)).one()
    set_skp(session, ani.id, org.actor("ani"), SKP)
    fire_transition(session, ani.id, "submit_plan", org.actor("ani"))
    close_appraisal(session, ani.id, org.actor("hr"), kind="left", reason="Cuti di luar tanggungan negara")
    back = add_employee(session, run.id, org.people["ani"].nip, org.actor("hr"), reason="Kembali bertugas, SK 12/2026")
    assert back.id == ani.id and (back.closed_at, back.closed_kind, back.state) == (None, None, "plan_review")
    kept = session.scalars(select(Indicator.key).where(Indicator.appraisal_id == back.id).order_by(Indicator.key))
    assert list(kept) == sorted(i["key"] for i in SKP)  # the plan she wrote is still hers
    assert back.due_at is not None and back.state_entries["plan_review"] == back.entered_at.isoformat()
    kinds = session.scalars(select(AuditEvent.kind).where(AuditEvent.stream == appraisal_stream(ani.id))
                            .order_by(AuditEvent.seq)).all()
    assert kinds[-2:] == ["close", "reopen"]
    assert [a.id for a in _appraisals_of(session, org.people["ani"])] == [ani.id]
    queue, _ = waiting_for(session, org.actor("kabid"))
    assert ani.id in {w.appraisal.id for w in queue}  # her rater sees her plan again
    report = verify_chain(session)
    assert report.ok, report.problems


def test_an_employee_moved_out_and_back_again_continues_the_first_appraisal(session, org, national):
    dinas = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    lain = launch(session, national, find_unit(session, "LAIN"), "2026", org.actor("admin"))
    first = session.scalars(select(Appraisal).where(Appraisal.run_id == dinas.id,
                                                    Appraisal.employee_id == org.people["ani"].id)).one()
    org.people["ani"].unit_id = org.other.id
    session.commit()
    record_chart(session)
    _, second = transfer_employee(session, first.id, lain.id, org.actor("admin"), reason="SK mutasi 821/45/2026")
    org.people["ani"].unit_id = org.bidang.id
    session.commit()
    record_chart(session)
    left, back = transfer_employee(session, second.id, dinas.id, org.actor("admin"), reason="SK mutasi batal")
    assert (left.id, left.closed_kind) == (second.id, "transferred")
    assert (back.id, back.closed_at) == (first.id, None)
    assert [a.closed_at is None for a in _appraisals_of(session, org.people["ani"])] == [True, False]
    rows = results_rows(session, period="2026", scope=hr_scope(session, org.actor("admin")))
    assert [r["Unit Kerja"] for r in rows if r["NIP"] == org.people["ani"].nip] == ["Bidang Pelayanan"]
    report = verify_chain(session)
    assert report.ok, report.problems


def test_an_hr_officer_does_not_close_or_reopen_their_own_appraisal(session, org, national):
    """kabid also holds HR over BIDANG's agency. Closing their own appraisal as a leaver would take it out of every
    queue, deadline and report, and adding it back would reopen it with its deadline started again: HR decides
    that about others, never about themselves (as nobody approves their own plan)."""
    seed_grant(session, user_id=org.users["kabid"].id, role="hr", unit_id=org.dinas.id)
    session.commit()
    session.refresh(org.users["kabid"])
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    own = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                  Appraisal.employee_id == org.people["kabid"].id)).one()
    with pytest.raises(Forbidden) as refused:
        close_appraisal(session, own.id, org.actor("kabid"), kind="left", reason="Pindah tugas")
    assert said(refused.value)["id"] == (
        f"Penilaian Hendra Wijaya (NIP {org.people['kabid'].nip}) adalah penilaian Anda sendiri; petugas SDM lain "
        "yang menutup, menambahkan, membuka kembali atau memindahkannya.")
    close_appraisal(session, own.id, org.actor("hr"), kind="left", reason="Cuti di luar tanggungan negara")
    with pytest.raises(Forbidden):
        add_employee(session, run.id, org.people["kabid"].nip, org.actor("kabid"), reason="Kembali bertugas")
    session.expire_all()
    assert session.get(Appraisal, own.id).closed_reason == "Cuti di luar tanggungan negara"
    # Their subordinates are theirs to close as HR.
    ani = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                  Appraisal.employee_id == org.people["ani"].id)).one()
    assert close_appraisal(session, ani.id, org.actor("kabid"), reason="Pensiun").closed_kind == "left"
