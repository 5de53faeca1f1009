"""Home: 'Penilaian saya' and 'Menunggu tindakan saya' for each kind of user."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from engine.appraisals import fire_transition, set_skp
from engine.models import Appraisal, Employee
from engine.runs import find_unit, launch
from tests.support.states import SKP, drive
from web.extensions import db


def test_employee_sees_own_appraisal_with_state_deadline_and_action(login, run):
    page = login("ani").get("/").get_data(as_text=True)
    assert "Penilaian saya" in page
    assert "Siklus Kinerja ASN Nasional (PermenPAN-RB 6/2022)" in page
    assert "2026" in page and "Penyusunan SKP" in page
    assert "hari lagi" in page or "terlambat" in page
    assert "Ajukan SKP" in page and "menyusun SKP" in page and "#skp-editor" in page
    # Her own SKP waits for her: the page says so instead of "nothing waits for you" above an action.
    assert "Tidak ada penilaian pegawai lain yang menunggu tindakan Anda." in page
    assert "Tidak ada penilaian yang menunggu tindakan Anda." not in page


def test_rater_sees_submitted_plans_oldest_deadline_first(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("budi").id, "budi", "monitor")
    set_skp(session, appraisal_of("ani").id, org.actor("ani"), SKP)
    fire_transition(session, appraisal_of("ani").id, "submit_plan", org.actor("ani"))
    page = login("kabid").get("/").get_data(as_text=True)
    waiting = page.split("Menunggu tindakan saya", 1)[1]
    assert "Ani Lestari" in waiting and "Setujui SKP" in waiting and "Kembalikan SKP" in waiting
    assert "Budi Santoso" in waiting and "Tutup pemantauan" in waiting
    # ani's plan review is due within 7 days, budi's monitoring only at the end of the period
    assert waiting.index("Ani Lestari") < waiting.index("Budi Santoso")
    assert "Penilaian saya" in page  # kabid is appraised too


def test_reviewer_sees_ratings_to_confirm(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("budi").id, "budi", "review")
    waiting = login("kadis").get("/").get_data(as_text=True).split("Menunggu tindakan saya", 1)[1]
    assert "Budi Santoso" in waiting and "Tetapkan hasil penilaian" in waiting
    assert "Ani Lestari" not in waiting  # nothing for the reviewer to do in 'plan'


def test_hr_sees_work_in_their_unit_and_has_no_own_appraisals(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    page = login("hr").get("/").get_data(as_text=True)
    assert "Penilaian saya" not in page
    waiting = page.split("Menunggu tindakan saya", 1)[1]
    assert "Ani Lestari" in waiting and "Tutup pemantauan" in waiting


def test_hr_of_another_unit_sees_nothing_of_dinas(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    page = login("hr_lain").get("/").get_data(as_text=True)
    assert "Ani Lestari" not in page
    assert "Tidak ada penilaian yang menunggu tindakan Anda." in page


def test_home_queries_do_not_grow_with_the_number_of_waiting_appraisals(app, login, session, org, national):
    for n in range(6):
        session.add(Employee(nip=f"19900101201501{2000 + n:04d}", name=f"Staf {n}", position="Pelaksana",
                             unit_id=org.bidang.id, supervisor_id=org.people["kabid"].id))
    session.commit()
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    staff = session.scalars(select(Appraisal).join(Appraisal.employee)
                            .where(Appraisal.run_id == run.id, Employee.supervisor_id == org.people["kabid"].id)).all()
    client = login("kabid")

    def statements_for_home() -> int:
        seen: list[str] = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    def move_to_plan_review(appraisals: list[Appraisal]) -> None:
        # Set directly: only the listing is under test here, not the way into the state.
        for a in appraisals:
            session.execute(Appraisal.__table__.update().where(Appraisal.id == a.id).values(state="plan_review"))
        session.commit()

    move_to_plan_review(staff[:2])
    few = statements_for_home()
    move_to_plan_review(staff[2:])
    many = statements_for_home()
    page = client.get("/").get_data(as_text=True).split("Menunggu tindakan saya", 1)[1]
    assert page.count("Setujui SKP") == len(staff) == 8
    assert many == few


def test_hr_sees_how_many_appraisals_of_their_units_are_in_each_state(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    page = login("hr").get("/").get_data(as_text=True)
    summary = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split("Ringkasan unit saya", 1)[1]))
    assert "Penyusunan SKP 3 0" in summary  # kadis, kabid and budi, none overdue
    assert "Pelaksanaan dan pemantauan 1 0" in summary  # ani
    other = login("hr_lain").get("/").get_data(as_text=True)
    assert "Belum ada penilaian di unit Anda." in other
    assert "Ringkasan unit saya" not in login("ani").get("/").get_data(as_text=True)
