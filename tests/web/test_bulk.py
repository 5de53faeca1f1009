"""Tindakan massal: one trigger for many appraisals, each in its own transaction at the version it was
shown at, with a result per appraisal."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from engine.appraisals import fire_transition, set_skp
from engine.models import Appraisal, AuditEvent, Employee
from engine.permissions import Actor
from engine.runs import find_unit, launch
from tests.support.states import SKP, drive

STAFF = 118  # with ani and budi, 120 plans wait for kabid


@pytest.fixture
def many(session, logins, org, national):
    """120 submitted plans of kabid's team, and kadis's own plan (which kabid may not approve)."""
    for n in range(STAFF):
        session.add(Employee(nip=f"19900101201501{3000 + n:04d}", name=f"Staf {n:03d}", position="Pelaksana",
                             unit_id=org.bidang.id, supervisor_id=org.people["kabid"].id))
    session.commit()
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    team = session.scalars(select(Appraisal).join(Appraisal.employee).where(
        Appraisal.run_id == run.id, Employee.supervisor_id == org.people["kabid"].id).order_by(Appraisal.id)).all()
    for a in team:
        employee = as_employee(a.employee_id)
        set_skp(session, a.id, employee, SKP)
        fire_transition(session, a.id, "submit_plan", employee)
    kadis = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                    Appraisal.employee_id == org.people["kadis"].id)).one()
    drive(session, org, kadis.id, "kadis", "plan_review", rater="sekda", reviewer="sekda")
    return run, [a.id for a in team], kadis.id


def as_employee(employee_id: int) -> Actor:
    """The employee acting on their own appraisal (the staff made here have no login)."""
    return Actor(user_id=None, username=f"pegawai-{employee_id}", employee_id=employee_id)


def shown_items(page: str) -> dict[int, int]:
    return {int(a): int(v) for a, v in re.findall(r'name="pilih" value="(\d+):(\d+)"', page)}


def states(session, ids):
    session.rollback()
    return dict(session.execute(select(Appraisal.id, Appraisal.state).where(Appraisal.id.in_(ids))).all())


def test_bulk_approve_of_120_plans_with_stale_and_forbidden_ones_mixed_in(app, login, session, org, many):
    # The request itself fires a batch up to SIKLUS_BULK_INLINE_MAX (a larger one is a job: test_jobs_pages.py).
    app.config["SIKLUS_BULK_INLINE_MAX"] = 1000
    _run, ids, kadis_id = many
    client = login("kabid")
    page = client.get("/penilaian/massal?aksi=approve_plan").get_data(as_text=True)
    shown = shown_items(page)
    assert set(shown) == set(ids) and len(shown) == 120
    assert kadis_id not in shown
    # three plans change after the list was shown: returned and submitted again (a newer version)
    changed = ids[:3]
    for appraisal_id in changed:
        fire_transition(session, appraisal_id, "return_plan", org.actor("kabid"), {"komentar": "Perbaiki target."})
        fire_transition(session, appraisal_id, "submit_plan",
                        as_employee(session.get(Appraisal, appraisal_id).employee_id))
    events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    kadis_version = session.get(Appraisal, kadis_id).version
    selection = [f"{a}:{v}" for a, v in shown.items()] + [f"{kadis_id}:{kadis_version}"]
    response = client.post("/penilaian/massal", data={"aksi": "approve_plan", "pilih": selection, "jalankan": "1"})
    result = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "117 berhasil, 3 sudah berubah, 1 ditolak." in result
    assert result.count('class="outcome-ok"') == 117
    for appraisal_id in changed:
        assert re.search(rf'class="outcome-stale" data-appraisal="{appraisal_id}"', result)
    refused = result.split(f'class="outcome-refused" data-appraisal="{kadis_id}"', 1)[1].split("</tr>", 1)[0]
    # kabid may not open their own head's appraisal: it is answered as one that does not exist, without the
    # head's name, version or state (they were shown before).
    assert "Kartika Kusuma" not in result and f"Penilaian #{kadis_id} tidak ada." in refused
    now = states(session, ids + [kadis_id])
    assert [a for a in ids if now[a] == "monitor"] == [a for a in ids if a not in changed]
    assert all(now[a] == "plan_review" for a in changed) and now[kadis_id] == "plan_review"
    # one transition event per approved plan, nothing else
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 117
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.id > 0, AuditEvent.trigger == "approve_plan")) == 117


def test_select_all_checks_every_row_without_firing(login, session, org, many):
    _run, ids, _kadis = many
    client = login("kabid")
    page = client.post("/penilaian/massal", data={"aksi": "approve_plan", "pilih_semua": "1"}).get_data(as_text=True)
    assert page.count(" checked>") == 120
    assert set(states(session, ids).values()) == {"plan_review"}


def test_returning_in_bulk_needs_the_shared_comment_and_saves_it_for_each(login, session, org, many):
    _run, ids, _kadis = many
    client = login("kabid")
    page = client.get("/penilaian/massal?aksi=return_plan").get_data(as_text=True)
    assert 'name="komentar"' in page
    chosen = [f"{a}:{v}" for a, v in list(shown_items(page).items())[:4]]
    refused = client.post("/penilaian/massal", data={"aksi": "return_plan", "pilih": chosen, "jalankan": "1"})
    assert refused.status_code == 400 and "Komentar wajib diisi" in refused.get_data(as_text=True)
    assert set(states(session, ids).values()) == {"plan_review"}
    done = client.post("/penilaian/massal", data={"aksi": "return_plan", "pilih": chosen, "komentar": "Lengkapi RHK.",
                                                  "jalankan": "1"}).get_data(as_text=True)
    assert "4 berhasil, 0 sudah berubah, 0 ditolak." in done
    returned = [int(c.split(":")[0]) for c in chosen]
    assert all(states(session, returned)[a] == "plan" for a in returned)
    events = session.scalars(select(AuditEvent).where(AuditEvent.trigger == "return_plan")).all()
    assert sorted(e.appraisal_id for e in events) == sorted(returned)
    assert all(e.payload == {"komentar": "Lengkapi RHK."} for e in events)


def test_nothing_selected_is_refused_and_ratings_are_not_offered_in_bulk(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "rate")
    client = login("kabid")
    page = client.get("/penilaian/massal").get_data(as_text=True)
    assert "Perlu diisi satu per satu: Beri penilaian." in page
    # Reopening monitoring takes one comment for all and may be done in bulk; rating never.
    assert 'value="rate"' not in page and "Buka kembali pemantauan untuk yang dipilih" in page
    empty = client.post("/penilaian/massal", data={"aksi": "approve_plan", "jalankan": "1"})
    assert empty.status_code == 400 and "Pilih paling sedikit satu penilaian." in empty.get_data(as_text=True)
    direct = client.post("/penilaian/massal", data={"aksi": "rate", "pilih": f"{appraisal_of('ani').id}:1",
                                                    "jalankan": "1"})
    assert direct.status_code == 400 and "isian per penilaian" in direct.get_data(as_text=True)
    assert appraisal_of("ani").state == "rate"
