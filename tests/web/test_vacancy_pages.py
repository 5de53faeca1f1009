"""What people read when nobody reviews the Sekretaris Daerah and the cycle lets the rating stand: the
appraisal's history names the system and why, the run page says what the cycle does, and the API answer of
the rating lists what followed."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.models import Appraisal
from engine.raters import designate_rater
from engine.registry import publish_source
from engine.runs import find_unit, launch
from engine.tokens import create_token
from tests.engine.test_vacancy import STANDS
from tests.support.factories import add_regent
from tests.support.states import SESUAI, VALUES, drive
from tests.web.conftest import PASSWORD


@pytest.fixture
def stands(session, logins):
    """The regent rates the Sekda, nobody reviews them, on a cycle whose rating then stands."""
    add_regent(session, logins, generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
    record = publish_source(session, STANDS, "siklus.yaml", logins.actor("admin"))
    run = launch(session, record, find_unit(session, "PEMDA"), "2026", logins.actor("admin"))
    designate_rater(session, logins.actor("hr_pemda"), logins.people["sekda"].id, "bupati", "",
                    basis="SK Bupati 800/12/2026")
    sekda = session.scalars(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                       Appraisal.employee_id == logins.people["sekda"].id)).one()
    drive(session, logins, sekda, "sekda", "rate", rater="bupati", reviewer="nobody")
    return run, sekda


def test_the_regents_rating_stands_and_the_history_says_why(login, session, stands):
    run, sekda = stands
    version = session.get(Appraisal, sekda).version
    data = {"version": version, **{f"p-perilaku-{v}": SESUAI for v in VALUES}}
    fired = login("bupati").post(f"/penilaian/{sekda}/aksi/rate", data=data)
    assert fired.status_code in (302, 303), fired.get_data(as_text=True)[:800]
    session.expire_all()
    assert session.get(Appraisal, sekda).state == "rated"

    client = login("sekda")
    page = client.get(f"/penilaian/{sekda}").get_data(as_text=True)
    assert "Sistem (peran kosong)" in page
    assert "tidak seorang pun memegang peran Atasan Pejabat Penilai" in page
    client.post("/bahasa", data={"lang": "en", "next": f"/penilaian/{sekda}"})
    page = client.get(f"/penilaian/{sekda}").get_data(as_text=True)
    assert "System (vacant role)" in page and "nobody holds the role" in page

    progress = login("hr_pemda").get(f"/sdm/putaran/{run.id}").get_data(as_text=True)
    assert "lets their rating stand without review" in progress and "Sekretaris Daerah" in progress


def test_the_api_answer_lists_what_the_system_fired_next(app, logins, session, stands):
    _run, sekda = stands
    version = session.get(Appraisal, sekda).version
    secret = create_token(session, logins.actor("bupati"), logins.users["bupati"], "test").secret
    answer = app.test_client().post(f"/api/v1/appraisals/{sekda}/transitions", headers={
        "Authorization": f"Bearer {secret}"}, json={
        "trigger": "rate", "version": version, "payload": {"perilaku": {v: SESUAI for v in VALUES}}})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["to_state"] == "review"
    assert [(t["trigger"], t["to_state"], t["role"], t["vacant_role"]) for t in body["then"]] == [
        ("confirm_rating", "rated", "system", "atasan_penilai")]
    assert body["then"][-1]["version"] == session.get(Appraisal, sekda).version == version + 2


def test_before_appealing_the_sekda_reads_that_nobody_would_decide_it(login, session, stands):
    _run, sekda = stands
    version = session.get(Appraisal, sekda).version
    login("bupati").post(f"/penilaian/{sekda}/aksi/rate",
                         data={"version": version, **{f"p-perilaku-{v}": SESUAI for v in VALUES}})
    session.expire_all()
    assert session.get(Appraisal, sekda).state == "rated"
    page = login("sekda").get(f"/penilaian/{sekda}").get_data(as_text=True)
    assert ("Setelah langkah ini penilaian menunggu Atasan Pejabat Penilai Kinerja, tetapi peran itu belum dipegang "
            "siapa pun") in page
    assert page.count("Setelah langkah ini penilaian menunggu") == 1  # the appeal; accepting leads on to others
