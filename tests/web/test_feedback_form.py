"""Feedback windows: the 360 form for peers (anonymous, one answer each, shown only in aggregate once
enough have answered) and the rater's continuous feedback on the national cycle."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine.appraisals import fire_transition
from engine.models import Appraisal, Employee, FeedbackResponse, User
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.states import drive
from tests.web.conftest import PASSWORD

CYCLE = Path(__file__).resolve().parents[1] / "data" / "cycles" / "uji-360.yaml"
VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
WINDOW = "rekan_360"


def answers(score: int | str, comment: str = "", **extra: str) -> dict[str, str]:
    return {**{f"q-{v}": str(score) for v in VALUES}, "comment": comment, **extra}


@pytest.fixture
def peer_cycle(session, logins, org):
    """uji-360 launched for DINAS, with a third member of kabid's team (citra) so two peers can answer."""
    citra = Employee(nip="199001012015012999", name="Citra Maharani", position="Analis SDM", unit_id=org.bidang.id,
                     supervisor_id=org.people["kabid"].id)
    session.add(citra)
    session.flush()
    session.add(User(username="citra", display_name=citra.name, employee_id=citra.id,
                     password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")))
    session.commit()
    record = publish_source(session, CYCLE.read_text(encoding="utf-8"), "uji-360.yaml", org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                  Appraisal.employee_id == org.people["ani"].id)).one()
    return ani.id


def start(session, org, appraisal_id):
    fire_transition(session, appraisal_id, "start", org.actor("kabid"))


def stored(session, appraisal_id):
    session.rollback()
    return session.scalars(select(FeedbackResponse).where(FeedbackResponse.appraisal_id == appraisal_id,
                                                          FeedbackResponse.window == WINDOW)).all()


def test_a_peer_answers_the_seven_values_and_it_is_stored_anonymously(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    client = login("budi")
    form = client.get(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}").get_data(as_text=True)
    assert "Umpan balik rekan kerja" in form and "Ani Lestari" in form
    for label in ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"]:
        assert label in form
    assert form.count('type="radio" name="q-akuntabel"') == 4  # the BerAKHLAK scale is 1 to 4
    assert "anonim" in form
    response = client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(3, "Sigap membantu."))
    assert response.status_code == 302
    [answer] = stored(session, peer_cycle)
    assert answer.answers == {v: 3 for v in VALUES} and answer.comment == "Sigap membantu."
    assert answer.role == "rekan" and answer.respondent_user_id is None


def test_home_lists_the_feedback_a_peer_can_give(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    page = login("budi").get("/").get_data(as_text=True)
    section = page.split("Umpan balik yang dapat Anda berikan", 1)[1]
    assert f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}" in section and "Ani Lestari" in section
    assert "Umpan balik yang dapat Anda berikan" not in login("kadis").get("/").get_data(as_text=True)


def test_someone_who_is_not_a_peer_is_refused(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    # kadis holds no role of this cycle on ani's appraisal: the page is closed to him
    assert login("kadis").post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(4)).status_code == 403
    # kabid is ani's rater, not her peer: the window is for peers only
    client = login("kabid")
    assert "tidak dapat memberi umpan balik ini" in client.get(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}").get_data(as_text=True)
    response = client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(4))
    assert response.status_code == 403
    assert "rekan" in response.get_data(as_text=True)
    # ani cannot rate herself as her own peer
    assert login("ani").post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(4)).status_code == 403
    assert stored(session, peer_cycle) == []


def test_answers_are_refused_outside_the_window(login, session, org, peer_cycle):
    client = login("budi")
    before = client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(4))  # still in 'plan'
    assert before.status_code == 409 and "tidak dapat memberi umpan balik ini" in before.get_data(as_text=True)
    start(session, org, peer_cycle)
    fire_transition(session, peer_cycle, "close", org.actor("kabid"))
    after = client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(4))
    assert after.status_code == 409 and "Pemantauan" in after.get_data(as_text=True)  # says when it is open
    assert stored(session, peer_cycle) == []


def test_an_incomplete_or_off_scale_answer_is_refused_naming_the_question(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    client = login("budi")
    missing = answers(3, "Baik sekali")
    del missing["q-loyal"]
    response = client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=missing)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "periksa kolom yang ditandai" in page
    assert 'id="fb-rekan_360-loyal-err"' in page and 'id="fb-rekan_360-akuntabel-err"' not in page
    assert "Baik sekali" in page and 'value="3" checked' in page  # what was typed is kept
    off_scale = client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(5))
    assert off_scale.status_code == 422
    assert stored(session, peer_cycle) == []


def test_answering_again_replaces_the_earlier_answer(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    client = login("budi")
    client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(2, "Pertama"))
    again = client.get(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}").get_data(as_text=True)
    assert "menggantikan jawaban sebelumnya" in again and 'value="2" checked' in again and "Pertama" in again
    client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(4, "Kedua"))
    [answer] = stored(session, peer_cycle)
    assert answer.answers["akuntabel"] == 4 and answer.comment == "Kedua"


def test_the_employee_sees_the_aggregate_only_once_enough_peers_answered_and_never_who(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    login("budi").post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(4, "Selalu tepat waktu."))
    client = login("ani")
    one = client.get(f"/penilaian/{peer_cycle}").get_data(as_text=True)
    assert "1 responden" in one and "paling sedikit 2 responden" in one
    assert "Selalu tepat waktu." not in one and "Rata-rata keseluruhan" not in one
    login("citra").post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(2, "Perlu lebih teliti."))
    two = login("ani").get(f"/penilaian/{peer_cycle}").get_data(as_text=True)
    section = two.split('id="umpan-balik"', 1)[1]
    assert "2 responden" in section and "Rata-rata keseluruhan" in section
    assert "3 / 4" in section  # (4 + 2) / 2 for each value
    assert "Selalu tepat waktu." in section and "Perlu lebih teliti." in section
    assert "Budi Santoso" not in two and "Citra Maharani" not in two  # not in the summary, not in the history
    assert session.scalar(select(func.count()).select_from(FeedbackResponse)
                          .where(FeedbackResponse.respondent_user_id.is_not(None))) == 0


def test_the_rater_gives_continuous_feedback_and_the_employee_reads_it(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "monitor")
    client = login("kabid")
    page = client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    assert 'id="umpan-balik-umpan_balik_penilai"' in page and "tidak anonim" in page
    first = client.post(f"/penilaian/{appraisal_id}/umpan-balik/umpan_balik_penilai",
                        data=answers(3, "Laporan triwulan rapi.", back="appraisal"))
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/penilaian/{appraisal_id}#umpan-balik")
    client.post(f"/penilaian/{appraisal_id}/umpan-balik/umpan_balik_penilai",
                data=answers(4, "Target bulan ini tercapai.", back="appraisal"))
    mine = login("ani").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    section = mine.split('id="umpan-balik"', 1)[1].split('id="riwayat"', 1)[0]
    assert "Hendra Wijaya" in section and "Target bulan ini tercapai." in section
    assert "Umpan balik sebelumnya (1)" in section and "Laporan triwulan rapi." in section
    assert 'id="umpan-balik-umpan_balik_penilai"' not in mine  # the employee reads it, does not give it
    assert len(session.scalars(select(FeedbackResponse).where(FeedbackResponse.appraisal_id == appraisal_id)).all()) == 1
