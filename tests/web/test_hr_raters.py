"""HR names who rates the Sekretaris Daerah (no superior in Siklus) on the page of top officials, and the
regent's account then finds the Sekda's plan on their home page and approves it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.appraisals import fire_transition, set_skp
from engine.audit import verify_chain
from engine.models import Appraisal, AuditEvent
from engine.runs import find_unit, launch
from tests.support.factories import add_regent
from tests.support.states import SKP
from tests.web.conftest import PASSWORD


@pytest.fixture
def pemda(session, logins, national):
    """The regent's account, an HR officer of the whole government, and the cycle launched for PEMDA."""
    add_regent(session, logins, generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
    run = launch(session, national, find_unit(session, "PEMDA"), "2026", logins.actor("admin"))
    sekda = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                    Appraisal.employee_id == logins.people["sekda"].id)).one()
    return run, sekda.id


def test_hr_designates_the_regent_and_the_regent_approves_the_sekdas_plan(client, login, session, org, pemda):
    run, sekda = pemda
    set_skp(session, sekda, org.actor("sekda"), SKP)
    fire_transition(session, sekda, "submit_plan", org.actor("sekda"))
    login("hr_pemda")
    progress = client.get(f"/sdm/putaran/{run.id}").get_data(as_text=True)
    assert "Pegawai tanpa pejabat penilai" in progress and "Sekretaris Daerah" in progress
    assert "Pegawai tanpa pejabat penilai" in client.get("/sdm/peluncuran").get_data(as_text=True)
    page = client.get("/sdm/penilai").get_data(as_text=True)
    assert "belum ditunjuk: tidak ada yang dapat menyetujui SKP-nya" in page
    assert "Kartika Kusuma" not in page  # kadis has a superior: the org chart rates her

    saved = client.post(f"/sdm/penilai/{org.people['sekda'].id}",
                        data={"penilai": "bupati", "atasan": "", "dasar": "SK Bupati 800/12/2026"})
    assert saved.status_code == 302
    page = client.get("/sdm/penilai").get_data(as_text=True)
    assert "Bupati Siklus Raya" in page and "SK Bupati 800/12/2026" in page
    progress = client.get(f"/sdm/putaran/{run.id}").get_data(as_text=True)
    assert "Pegawai tanpa pejabat penilai" not in progress
    # Designated without a reviewer: once rated, nobody could review it, and the pages say so.
    assert "Pegawai tanpa atasan pejabat penilai" in progress
    assert "Pegawai tanpa atasan pejabat penilai" in client.get("/sdm/peluncuran").get_data(as_text=True)
    assert "Pejabat penilai ditunjuk" in client.get("/sdm/audit").get_data(as_text=True)

    login("bupati")
    home = client.get("/").get_data(as_text=True)
    assert f"/penilaian/{sekda}" in home
    version = session.get(Appraisal, sekda).version
    fired = client.post(f"/penilaian/{sekda}/aksi/approve_plan", data={"version": version})
    assert fired.status_code in (302, 303), fired.get_data(as_text=True)[:500]
    session.expire_all()
    assert session.get(Appraisal, sekda).state == "monitor"
    assert verify_chain(session).ok


@pytest.mark.parametrize("who", ["hr", "hr_lain"])
def test_hr_of_another_unit_neither_sees_nor_designates_the_sekdas_rater(client, login, session, org, pemda, who):
    login(who)
    assert f'id="pegawai-{org.people["sekda"].id}"' not in client.get("/sdm/penilai").get_data(as_text=True)
    refused = client.post(f"/sdm/penilai/{org.people['sekda'].id}", data={"penilai": "bupati"})
    assert refused.status_code == 403
    assert "bukan petugas SDM unit Sekretaris Daerah" in refused.get_data(as_text=True)
    session.rollback()
    assert session.scalars(select(AuditEvent).where(AuditEvent.kind == "rater_designate")).all() == []


def test_a_refused_designation_keeps_what_hr_typed_and_says_why_in_english_too(client, login, org, pemda):
    login("hr_pemda")
    refused = client.post(f"/sdm/penilai/{org.people['sekda'].id}",
                          data={"penilai": "kadis", "dasar": "SK 1/2026"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "pejabat penilai adalah atasan, bukan bawahan" in body and 'value="kadis"' in body
    with client.session_transaction() as state:
        state["lang"] = "en"
    refused = client.post(f"/sdm/penilai/{org.people['sekda'].id}", data={"penilai": "sekda"})
    assert "an employee does not rate themself" in refused.get_data(as_text=True)
    assert "Raters of top officials" in client.get("/sdm/penilai").get_data(as_text=True)


def test_someone_without_hr_cannot_open_the_page(client, login, pemda):
    login("bupati")
    assert client.get("/sdm/penilai").status_code == 403
    login("sekda")
    assert client.post("/sdm/penilai/1", data={"penilai": "bupati"}).status_code == 403


def test_hr_clears_the_designation(client, login, session, org, pemda):
    login("hr_pemda")
    client.post(f"/sdm/penilai/{org.people['sekda'].id}", data={"penilai": "bupati"})
    cleared = client.post(f"/sdm/penilai/{org.people['sekda'].id}/hapus")
    assert cleared.status_code == 302
    assert "belum ditunjuk" in client.get("/sdm/penilai").get_data(as_text=True)
    again = client.post(f"/sdm/penilai/{org.people['sekda'].id}/hapus")
    assert again.status_code == 404 and "tidak mempunyai pejabat penilai yang ditunjuk" in again.get_data(as_text=True)
