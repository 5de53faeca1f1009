"""Who may open the HR screens (/sdm): HR and admin grants only; everyone else is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.development.models import TrainingCourse
from engine.models import CycleDefinitionRecord
from engine.users import seed_grant
from web.hr import AREAS

PAGES = ["/sdm/", "/sdm/siklus", "/sdm/siklus/baru", "/sdm/peluncuran", "/sdm/putaran"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_is_sent_to_the_login_page(client, logins, path):
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/masuk")


@pytest.mark.parametrize("username", ["ani", "kabid", "kadis"])  # pegawai, penilai, atasan penilai
@pytest.mark.parametrize("path", PAGES)
def test_people_without_an_hr_grant_are_refused(login, username, path):
    response = login(username).get(path)
    assert response.status_code == 403 and "Akses ditolak" in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["ani", "kabid"])
def test_people_without_an_hr_grant_cannot_write(login, national, org, session, username):
    client = login(username)
    assert client.post("/sdm/siklus/baru", data={"sumber": "id: x\n"}).status_code == 403
    assert client.post("/sdm/peluncuran", data={"definisi": str(national.id), "unit": str(org.dinas.id),
                                                 "periode": "2026"}).status_code == 403
    assert client.post(f"/sdm/siklus/{national.id}/pensiunkan").status_code == 403
    session.rollback()
    session.refresh(national)
    assert national.status == "published"


@pytest.mark.parametrize("username", ["hr", "hr_lain", "admin"])
@pytest.mark.parametrize("path", PAGES)
def test_hr_and_admin_open_every_page(login, username, path):
    assert login(username).get(path).status_code == 200


def test_dashboard_links_every_hr_area_that_exists(login, app):
    page = login("hr").get("/sdm/").get_data(as_text=True)
    with app.test_request_context():
        from flask import url_for

        for endpoint, title, _about in AREAS:
            if endpoint in app.view_functions:
                assert f'href="{url_for(endpoint)}"' in page and str(title) in page
            else:
                assert str(title) not in page
    assert "/sdm/siklus" in page and "/sdm/peluncuran" in page and "/sdm/putaran" in page


def test_main_menu_shows_hr_to_hr_only(login):
    assert 'href="/sdm/"' in login("hr").get("/").get_data(as_text=True)
    assert 'href="/sdm/"' not in login("ani").get("/").get_data(as_text=True)


def test_writes_need_the_csrf_token(login, app, national, session):
    client = login("hr")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/sdm/siklus/{national.id}/pensiunkan")
    assert response.status_code == 400 and "Formulir sudah kedaluwarsa" in response.get_data(as_text=True)
    session.refresh(national)
    assert national.status == "published"


def test_the_shared_training_catalogue_is_changed_only_by_hr_over_the_whole_organisation(login, session, org):
    # The catalogue is one for every unit: a course's JP counts in every unit's development report, so HR of
    # one dinas reads it but may not add or change a course.
    course = {"code": "public_speaking", "title": "Public Speaking ASN", "jp": "20", "kind": "teknis",
              "certificate_required": "1"}
    dinas_hr = login("hr")
    page = dinas_hr.get("/sdm/pelatihan").get_data(as_text=True)
    assert 'id="katalog-baca-saja"' in page and 'id="tambah-kursus"' not in page
    refused = dinas_hr.post("/sdm/pelatihan", data=course)
    assert refused.status_code == 403
    assert "hanya petugas SDM yang membawahi seluruh organisasi" in refused.get_data(as_text=True)
    session.rollback()
    assert session.scalars(select(TrainingCourse)).all() == []

    admin = login("admin")  # the same test client, now logged in as admin
    assert 'id="tambah-kursus"' in admin.get("/sdm/pelatihan").get_data(as_text=True)
    assert admin.post("/sdm/pelatihan", data=course).status_code == 302
    session.rollback()
    added = session.scalars(select(TrainingCourse)).one()
    refused = login("hr").post(f"/sdm/pelatihan/{added.id}", data={**course, "jp": "2", "active": "1"})
    assert refused.status_code == 403
    session.rollback()
    session.expire_all()
    assert session.get(TrainingCourse, added.id).jp == 20


def test_hr_of_a_dinas_cannot_retire_the_organisations_cycle_and_is_told_who_can(login, session, org, national):
    client = login("hr")
    page = client.get(f"/sdm/siklus/{national.id}").get_data(as_text=True)
    assert 'id="siklus-milik-lain"' in page and "Pensiunkan versi ini" not in page
    assert "Luncurkan" in page  # a dinas still launches the organisation's cycle for its units
    response = client.post(f"/sdm/siklus/{national.id}/pensiunkan", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "dipakai seluruh organisasi" in page and "hanya petugas SDM yang membawahi seluruh organisasi" in page
    session.rollback()
    session.refresh(national)
    assert national.status == "published"


def test_a_new_version_of_the_organisations_cycle_from_a_dinas_is_refused_keeping_the_text(login, session, national):
    from tests.engine.test_versions import version_two

    source = version_two()
    response = login("hr").post("/sdm/siklus/baru", data={"sumber": source})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "hanya petugas SDM yang membawahi seluruh organisasi" in page
    assert "version: 2" in page  # what was pasted is still in the form
    session.rollback()
    assert session.query(CycleDefinitionRecord).filter_by(cycle_id=national.cycle_id).count() == 1


def test_hr_of_another_agency_reads_nothing_of_a_runs_development_and_talent(login, session, org, run, password):
    """The run's page is refused to HR who oversees none of its units; so are its JP report and talent grid, which
    showed the run's period, cycle and unit (with no rows) to HR of any agency who guessed its id."""
    from tests.web.test_feedback_form import api

    client = login("hr_lain")
    assert client.get(f"/sdm/putaran/{run.id}").status_code == 403
    assert client.get(f"/sdm/jp/{run.id}").status_code == 403
    assert client.get(f"/sdm/jp/{run.id}/ekspor.csv").status_code == 403
    header = api(session, org, "hr_lain")
    for path in (f"/api/v1/runs/{run.id}/jp", f"/api/v1/runs/{run.id}/talent"):
        refused = client.get(path, headers=header)
        assert refused.status_code == 403 and refused.json["code"] == "progress.not_hr", path
    # HR of a unit below the run's reads its own people's JP.
    seed_grant(session, user_id=org.users["kabid"].id, role="hr", unit_id=org.bidang.id)
    session.commit()
    rows = login("kabid").get(f"/api/v1/runs/{run.id}/jp", headers=api(session, org, "kabid")).json["items"]
    assert sorted(r["name"] for r in rows) == ["Ani Lestari", "Budi Santoso", "Hendra Wijaya"]
    assert len(login("hr").get(f"/api/v1/runs/{run.id}/jp", headers=api(session, org, "hr")).json["items"]) == 4
