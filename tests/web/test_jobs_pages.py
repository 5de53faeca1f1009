"""Long work leaves the request: a bulk action above the threshold, a launch of many employees, answered at
once with a job whose page (and API resource) shows the progress and each item's result once the worker
has done it; below the threshold the request does the work itself as before."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from engine.appraisals import fire_transition, set_skp
from engine.jobs import Job
from engine.jobs.worker import work_round
from engine.models import Appraisal, AuditEvent, CycleRun, Employee
from engine.permissions import Actor
from engine.runs import find_unit, launch
from tests.support.states import SKP, drive

STAFF = 10  # with ani and budi, 12 plans wait for kabid


def as_employee(employee_id: int) -> Actor:
    return Actor(user_id=None, username=f"pegawai-{employee_id}", employee_id=employee_id)


@pytest.fixture
def plans(session, logins, org, national) -> list[int]:
    for n in range(STAFF):
        session.add(Employee(nip=f"19900101201501{6000 + n:04d}", name=f"Staf {n:02d}", position="Pelaksana",
                             unit_id=org.bidang.id, supervisor_id=org.people["kabid"].id))
    session.commit()
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    team = session.scalars(select(Appraisal).join(Appraisal.employee).where(
        Appraisal.run_id == run.id, Employee.supervisor_id == org.people["kabid"].id).order_by(Appraisal.id)).all()
    for a in team:
        set_skp(session, a.id, as_employee(a.employee_id), SKP)
        fire_transition(session, a.id, "submit_plan", as_employee(a.employee_id))
    return [a.id for a in team]


def selection(session, ids: list[int]) -> list[str]:
    session.rollback()
    return [f"{a}:{session.get(Appraisal, a).version}" for a in ids]


def states(session, ids: list[int]) -> set[str]:
    session.rollback()
    return set(session.scalars(select(Appraisal.state).where(Appraisal.id.in_(ids))))


def test_a_bulk_action_at_the_threshold_is_done_in_the_request(app, login, session, plans):
    app.config["SIKLUS_BULK_INLINE_MAX"] = len(plans)
    response = login("kabid").post("/penilaian/massal", data={"aksi": "approve_plan",
                                                              "pilih": selection(session, plans)})
    assert response.status_code == 200
    assert f"{len(plans)} berhasil, 0 sudah berubah, 0 ditolak." in response.get_data(as_text=True)
    assert states(session, plans) == {"monitor"}
    assert session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_bulk_action_above_the_threshold_becomes_a_job_with_progress_and_a_result_per_item(
        app, login, session, org, plans):
    app.config["SIKLUS_BULK_INLINE_MAX"] = 5
    kadis = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["kadis"].id)).one()
    drive(session, org, kadis, "kadis", "plan_review", rater="sekda", reviewer="sekda")  # not kabid's to approve
    chosen = selection(session, plans + [kadis])
    stale = plans[0]
    fire_transition(session, stale, "return_plan", org.actor("kabid"), {"komentar": "Perbaiki target."})
    client = login("kabid")
    events_before = session.scalar(select(func.count()).select_from(AuditEvent))

    response = client.post("/penilaian/massal", data={"aksi": "approve_plan", "pilih": chosen})
    assert response.status_code == 303 and re.search(r"/pekerjaan/\d+$", response.headers["Location"])
    assert states(session, plans[1:]) == {"plan_review"}  # nothing fired inside the request
    waiting = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tindakan massal: Setujui SKP" in waiting and "Menunggu giliran dikerjakan." in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert waiting.count('class="outcome-pending"') == len(chosen)

    assert work_round(session, worker="test").jobs == 1  # what `siklus worker` does

    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Selesai: {len(chosen)} dari {len(chosen)}." in done and 'http-equiv="refresh"' not in done
    assert f"{len(plans) - 1} berhasil, 1 sudah berubah, 1 ditolak, 0 gagal." in done
    assert done.count('class="outcome-ok"') == len(plans) - 1
    assert re.search(rf'class="outcome-stale" data-appraisal="{stale}"', done)
    refused = done.split(f'class="outcome-refused" data-appraisal="{kadis}"', 1)[1].split("</tr>", 1)[0]
    # kabid may not open their head's appraisal: answered as none, without the head's name (shown before).
    assert "Kartika Kusuma" not in done and f"Penilaian #{kadis} tidak ada." in refused
    assert "Kini pada tahap «Pelaksanaan dan pemantauan»." in done
    assert states(session, plans[1:]) == {"monitor"}
    # One transition event per approved plan, as the synchronous path writes (and the return before).
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + len(plans) - 1
    # Only the person who asked (or an administrator) opens the job.
    assert login("ani").get(response.headers["Location"]).status_code == 404
    assert login("admin").get(response.headers["Location"]).status_code == 200


def test_the_job_page_speaks_english_too(app, login, session, org, plans):
    app.config["SIKLUS_BULK_INLINE_MAX"] = 1
    org.users["kabid"].locale = "en"
    session.commit()
    client = login("kabid")
    response = client.post("/penilaian/massal", data={"aksi": "approve_plan", "pilih": selection(session, plans[:2])})
    assert "Waiting for its turn." in client.get(response.headers["Location"]).get_data(as_text=True)
    work_round(session)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bulk action: Approve the SKP" in page and "Done: 2 of 2." in page
    assert "2 succeeded, 0 already changed, 0 refused, 0 failed." in page and "Now in stage «Monitoring»." in page


def test_a_launch_of_more_employees_than_the_threshold_runs_in_the_background(app, login, session, logins, national):
    app.config["SIKLUS_LAUNCH_INLINE_MAX"] = 3
    client = login("hr")
    unit = find_unit(session, "DINAS")
    response = client.post("/sdm/peluncuran", data={"definisi": national.id, "unit": unit.id, "periode": "2026",
                                                    "sub": "1"})
    assert response.status_code == 303 and "/pekerjaan/" in response.headers["Location"]
    assert session.scalar(select(func.count()).select_from(CycleRun)) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Peluncuran untuk 4 pegawai dikerjakan di latar belakang" in page and "Menunggu giliran" in page
    work_round(session)
    run = session.scalars(select(CycleRun)).one()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Putaran #{run.id} dimulai: 4 penilaian dibuat, 0 pegawai dilewati." in page
    assert f'href="/sdm/putaran/{run.id}"' in page


def test_a_small_launch_is_still_done_in_the_request(app, login, session, logins, national):
    app.config["SIKLUS_LAUNCH_INLINE_MAX"] = 4
    unit = find_unit(session, "DINAS")
    response = login("hr").post("/sdm/peluncuran", data={"definisi": national.id, "unit": unit.id,
                                                         "periode": "2026", "sub": "1"})
    assert response.status_code == 302 and "/sdm/putaran/" in response.headers["Location"]
    assert session.scalar(select(func.count()).select_from(Job)) == 0
