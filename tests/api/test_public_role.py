"""A cycle with a public role (masyarakat) gives no stranger anything on an appraisal: a logged-in user of
another agency, of another government or HR of another unit can neither open an appraisal of the cycle,
nor rewrite its SKP, nor answer its feedback window, on the screens or through the API.

Two cycles: one as ``siklus validate`` accepts it today (the public role only declared), and one stored
before the validator refused a public role in ``edit`` and in feedback windows.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine.definition import content_hash
from engine.models import Appraisal, CycleDefinitionRecord, Employee, FeedbackResponse, Indicator, OrgUnit, User
from engine.registry import publish_source
from engine.runs import launch
from engine.validation import validate_source
from tests.web.conftest import PASSWORD

CYCLE = """
id: layanan-publik
version: 1
title: {id: Siklus layanan publik, en: Public service cycle}
period: annual
roles:
  pegawai: {resolver: self}
  penilai: {resolver: supervisor}
  masyarakat: {resolver: public}
skp:
  employee_indicators: true
  min_indicators: 1
states:
  plan:
    label: {id: Penyusunan SKP, en: Drafting the SKP}
    initial: true
    edit: {pegawai: [skp]}
  review:
    label: {id: Persetujuan SKP, en: SKP review}
  closed:
    label: {id: Selesai, en: Closed}
    final: true
transitions:
  - {trigger: submit_plan, source: plan, dest: review, roles: [pegawai]}
  - {trigger: approve_plan, source: review, dest: closed, roles: [penilai]}
feedback:
  - id: umpan_balik
    states: [plan]
    roles: [penilai]
    questions: berakhlak
"""
# The same cycle as it could be stored before: the public edits the SKP and answers the window.
LEGACY = (CYCLE.replace("id: layanan-publik", "id: layanan-lama")
          .replace("edit: {pegawai: [skp]}", "edit: {pegawai: [skp], masyarakat: [skp]}")
          .replace("roles: [penilai]\n    questions", "roles: [penilai, masyarakat]\n    questions"))
STRANGERS = ["doni", "hr_lain", "luar"]


@pytest.fixture
def luar(session, logins):
    """An employee of another government (another root unit) who can log in."""
    elsewhere = OrgUnit(code="PEMKAB-LAIN", name="Pemerintah Kabupaten Lain")
    session.add(elsewhere)
    session.flush()
    employee = Employee(nip="198001012005011098", name="Pegawai Luar", position="Analis", unit_id=elsewhere.id)
    session.add(employee)
    session.flush()
    user = User(username="luar", display_name="Pegawai Luar", employee_id=employee.id,
                password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
    session.add(user)
    session.commit()
    logins.users["luar"] = user
    return user


@pytest.fixture(params=["valid today", "stored before the validator refused it"])
def public_appraisal(request, session, org, logins, luar) -> int:
    """Ani's appraisal of a cycle with a public role, in the state where the SKP is drafted."""
    if request.param == "valid today":
        assert validate_source(CYCLE, "layanan-publik.yaml") == []
        record = publish_source(session, CYCLE, "layanan-publik.yaml", org.actor("admin"))
    else:
        assert validate_source(LEGACY, "layanan-lama.yaml") != []
        record = CycleDefinitionRecord(cycle_id="layanan-lama", version=1, title="Lama", status="published",
                                       source=LEGACY, content_hash=content_hash(LEGACY))
        session.add(record)
        session.commit()
    run = launch(session, record, org.root, "2026", org.actor("admin"))
    return session.scalars(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                      Appraisal.employee_id == org.people["ani"].id)).one()


@pytest.mark.parametrize("stranger", STRANGERS)
def test_a_stranger_cannot_open_the_appraisal_on_the_screen_or_the_api(login, token, public_appraisal, stranger):
    client = login(stranger)
    assert client.get(f"/penilaian/{public_appraisal}").status_code in (403, 404)
    assert client.get(f"/laporan/penilaian/{public_appraisal}.pdf").status_code in (403, 404)
    headers = token(stranger)
    assert client.get(f"/api/v1/appraisals/{public_appraisal}", headers=headers).status_code in (403, 404)
    listed = client.get("/api/v1/appraisals", headers=headers).json["items"]
    assert public_appraisal not in [item["id"] for item in listed]


@pytest.mark.parametrize("stranger", STRANGERS)
def test_a_stranger_cannot_rewrite_the_skp_on_the_screen_or_the_api(session, login, token, public_appraisal,
                                                                     stranger):
    client = login(stranger)
    version = session.get(Appraisal, public_appraisal).version
    screen = client.post(f"/penilaian/{public_appraisal}/skp", data={
        "version": version, "iki-0-label": "Semua laporan selesai", "iki-0-target": "1", "iki-0-weight": "100"})
    api = client.put(f"/api/v1/appraisals/{public_appraisal}/indicators", headers=token(stranger),
                     json={"items": [], "version": version})
    assert screen.status_code in (403, 404)
    assert api.status_code in (403, 404)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Indicator)
                          .where(Indicator.appraisal_id == public_appraisal)) == 0
    assert session.get(Appraisal, public_appraisal).version == version


@pytest.mark.parametrize("stranger", STRANGERS)
def test_a_stranger_cannot_give_feedback_on_the_screen_or_the_api(session, login, token, public_appraisal,
                                                                  stranger):
    client = login(stranger)
    assert client.get(f"/penilaian/{public_appraisal}/umpan-balik/umpan_balik").status_code in (403, 404)
    screen = client.post(f"/penilaian/{public_appraisal}/umpan-balik/umpan_balik",
                         data={"berorientasi_pelayanan": "4"})
    api = client.post(f"/api/v1/appraisals/{public_appraisal}/feedback", headers=token(stranger),
                      json={"window": "umpan_balik", "answers": {"berorientasi_pelayanan": 4}})
    assert screen.status_code in (403, 404)
    assert api.status_code in (403, 404)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(FeedbackResponse)
                          .where(FeedbackResponse.appraisal_id == public_appraisal)) == 0


def test_the_employee_and_the_rater_still_work_on_it(session, login, token, public_appraisal):
    assert login("ani").get(f"/penilaian/{public_appraisal}").status_code == 200
    assert login("kabid").get(f"/penilaian/{public_appraisal}/umpan-balik/umpan_balik").status_code == 200
    assert login("hr").get(f"/api/v1/appraisals/{public_appraisal}", headers=token("hr")).status_code == 200
