"""Feedback windows: the 360 form for peers (anonymous, one answer each, shown only in aggregate once
enough have answered) and the rater's continuous feedback on the national cycle."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine.appraisals import fire_transition
from engine.feedback import MAX_COMMENT
from engine.models import Appraisal, AuditEvent, Employee, FeedbackResponse, User
from engine.registry import publish_source
from engine.runs import find_unit, launch
from engine.tokens import create_token
from engine.users import seed_grant
from tests.support.states import drive
from tests.web.conftest import PASSWORD

CYCLE = Path(__file__).resolve().parents[1] / "data" / "cycles" / "uji-360.yaml"
VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
WINDOW = "rekan_360"


def answers(score: int | str, comment: str = "", **extra: str) -> dict[str, str]:
    return {**{f"q-{v}": str(score) for v in VALUES}, "comment": comment, **extra}


def add_peer(session, org, key: str, name: str, nip: str) -> None:
    """Another member of kabid's team (a peer of ani), who can log in."""
    person = Employee(nip=nip, name=name, position="Analis SDM", unit_id=org.bidang.id,
                      supervisor_id=org.people["kabid"].id)
    session.add(person)
    session.flush()
    user = User(username=key, display_name=name, employee_id=person.id,
                password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
    session.add(user)
    session.commit()
    org.people[key], org.users[key] = person, user


@pytest.fixture
def peer_cycle(session, logins, org):
    """uji-360 launched for DINAS, with three more members of kabid's team (citra, dewi, eka), so four
    peers can answer about ani."""
    add_peer(session, org, "citra", "Citra Maharani", "199001012015012999")
    add_peer(session, org, "dewi", "Dewi Anggraini", "199101012015012998")
    add_peer(session, org, "eka", "Eka Saputra", "199201012015011997")
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
    page = client.get(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}").get_data(as_text=True)
    assert "tidak dapat memberi umpan balik ini" in page
    response = client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(4))
    assert response.status_code == 403
    assert "rekan" in response.get_data(as_text=True)
    # ani cannot rate herself as her own peer
    assert login("ani").post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(4)).status_code == 403
    assert stored(session, peer_cycle) == []


def test_a_peer_answers_the_form_but_reads_nothing_else_of_the_colleagues_appraisal(login, session, org, peer_cycle):
    """Answering a 360 window is no place on the appraisal: a peer reads neither the page, the PDF nor the API's
    detail, nor finds the colleague in a listing; the form names only whom it is about."""
    start(session, org, peer_cycle)
    header = api(session, org, "budi")
    client = login("budi")
    assert client.get(f"/penilaian/{peer_cycle}").status_code == 403
    assert client.get(f"/laporan/penilaian/{peer_cycle}.pdf").status_code == 403
    assert client.get(f"/api/v1/appraisals/{peer_cycle}", headers=header).status_code == 403
    assert client.get(f"/api/v1/appraisals/{peer_cycle}/development", headers=header).status_code == 403
    listed = client.get("/api/v1/appraisals", headers=header).json["items"]
    assert [item["employee"]["name"] for item in listed] == ["Budi Santoso"]
    form = client.get(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}")
    assert form.status_code == 200 and "Ani Lestari" in form.get_data(as_text=True)
    assert client.post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(3)).status_code == 302
    answered = client.post(f"/api/v1/appraisals/{peer_cycle}/feedback", headers=header, json=as_json(answers(2)))
    assert answered.status_code == 200 and answered.json["replaced"] is True
    # Someone of another agency holds no role at all: refused as before.
    assert login("doni").get(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}").status_code == 403


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
    stored = session.scalars(select(FeedbackResponse).where(FeedbackResponse.appraisal_id == appraisal_id)).all()
    assert len(stored) == 1


# -- one service for the form and the API ------------------------------------------------------------

def api(session, org, username):
    """The Authorization header of a fresh API token of ``username``."""
    new = create_token(session, org.actor(username), org.users[username], f"test {username}")
    return {"Authorization": f"Bearer {new.secret}"}


def as_json(form: dict[str, str]) -> dict:
    """The API body for what a form posts (scores as numbers where they are numbers)."""
    scores = {k[2:]: int(v) if v.lstrip("-").isdigit() else v for k, v in form.items() if k.startswith("q-")}
    return {"window": WINDOW, "answers": scores, **({"comment": form["comment"]} if form.get("comment") else {})}


@pytest.mark.parametrize("bad, field", [
    (answers(5), "akuntabel"),                                   # off the 1-4 scale
    (answers(1000), "akuntabel"),                                # far off it
    (answers(0), "loyal"),
    (answers(3, **{"q-bogus": "3"}), "bogus"),                           # a question the window does not ask
    (answers(3, "x" * (MAX_COMMENT + 1)), "comment"),            # longer than the one comment limit
])
def test_the_form_and_the_api_refuse_the_same_bad_answer_naming_the_field(login, session, org, peer_cycle, bad, field):
    start(session, org, peer_cycle)
    screen = login("budi").post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=bad)
    page = screen.get_data(as_text=True)
    assert screen.status_code == 422
    if field in VALUES or field == "comment":
        assert f'id="fb-{WINDOW}-{field}-err"' in page or ("Komentar terlalu panjang" in page and field == "comment")
    else:
        assert f"&#39;{field}&#39; bukan pertanyaan umpan balik" in page
    client = login("budi")
    client.post("/keluar")  # the API call carries only the token
    answer = client.post(f"/api/v1/appraisals/{peer_cycle}/feedback", headers=api(session, org, "budi"),
                         json=as_json(bad))
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    paths = {e["path"] for e in answer.json["errors"]}
    assert (f"answers/{field}" if field != "comment" else "comment") in paths
    assert stored(session, peer_cycle) == []


def test_the_engine_gives_both_channels_the_same_sentence_for_a_score_off_the_scale(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    screen = login("budi").post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(5))
    assert ("&#39;Akuntabel&#39; harus dijawab dengan bilangan bulat 1 sampai 4, bukan &#39;5&#39;."
            in screen.get_data(as_text=True))
    answer = login("budi").post(f"/api/v1/appraisals/{peer_cycle}/feedback", headers=api(session, org, "budi"),
                                json=as_json(answers(5)))
    errors = {e["path"]: e["message"] for e in answer.json["errors"]}
    assert errors["answers/akuntabel"] == "'Accountable' must be a whole number from 1 to 4, not '5'."
    assert answer.json["type"] == "urn:siklus:problem:invalid-input"


def test_a_second_answer_replaces_the_first_on_either_channel(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    header = api(session, org, "budi")
    url = f"/api/v1/appraisals/{peer_cycle}/feedback"
    first = login("budi").post(url, headers=header, json=as_json(answers(2, "  Lewat API  ")))
    assert first.status_code == 201 and first.json["replaced"] is False
    [answer] = stored(session, peer_cycle)
    assert answer.comment == "Lewat API"  # trimmed, as the form's comment is
    page = login("budi").get(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}").get_data(as_text=True)
    assert "menggantikan jawaban sebelumnya" in page and 'value="2" checked' in page  # the form knows the API's answer
    assert login("budi").post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(3)).status_code == 302
    again = login("budi").post(url, headers=header, json=as_json(answers(4)))
    assert again.status_code == 200 and again.json["replaced"] is True and again.json["id"] == first.json["id"]
    [answer] = stored(session, peer_cycle)
    assert answer.answers == {v: 4 for v in VALUES} and answer.comment == ""


def test_a_huge_comment_is_refused_in_a_few_words_and_nothing_is_stored(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    body = as_json(answers(3))
    body["comment"] = "x" * (10 * 1024 * 1024)
    client = login("budi")
    # Ten megabytes are over the limit of any JSON body: refused before it is read, in a few words.
    answer = client.post(f"/api/v1/appraisals/{peer_cycle}/feedback", headers=api(session, org, "budi"), json=body)
    assert answer.status_code == 413 and len(answer.get_data()) < 2000
    assert answer.mimetype == "application/problem+json" and answer.json["type"].endswith("too-large")
    # A comment over its own limit inside a body of ordinary size is named as the comment.
    body["comment"] = "x" * 5000
    answer = client.post(f"/api/v1/appraisals/{peer_cycle}/feedback", headers=api(session, org, "budi"), json=body)
    assert answer.status_code == 422 and len(answer.get_data()) < 2000
    assert [e["path"] for e in answer.json["errors"]] == ["comment"]
    assert stored(session, peer_cycle) == []


# -- what the employee sees of anonymous answers -----------------------------------------------------

def summary_of(client, appraisal_id) -> str:
    return client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True).split('id="umpan-balik"', 1)[1]


def test_the_employee_reads_no_role_and_no_time_of_an_anonymous_answer(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    for peer in ("budi", "citra"):
        login(peer).post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(3))
    page = login("ani").get(f"/penilaian/{peer_cycle}").get_data(as_text=True)
    history = page.split('id="riwayat"', 1)[1]
    assert "Umpan balik diberikan" not in history and "Rekan kerja" not in history
    assert "Mulai pemantauan" in history  # the history itself is there
    detail = login("ani").get(f"/api/v1/appraisals/{peer_cycle}", headers=api(session, org, "ani")).json
    assert [e["kind"] for e in detail["history"] if e["kind"] == "feedback"] == []
    # Nor does the log keep the role beside the anonymous answer.
    session.rollback()
    logged = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == peer_cycle,
                                                      AuditEvent.kind == "feedback")).all()
    # Besides the window, each event keeps only the answer's seal (engine.feedback_seal): a keyed digest that
    # tells nothing of the respondent, their role or their scores (both answered 3, yet the seals differ).
    assert [(e.actor_user_id, e.actor_name, e.role, {k: v for k, v in e.payload.items() if k != "seal"})
            for e in logged] == [(None, "anonim", None, {"window": WINDOW, "replaced": False, "replaces": None})] * 2
    seals = [e.payload["seal"] for e in logged]
    assert len(set(seals)) == 2 and all(len(seal) == 32 for seal in seals)


def test_an_hr_officer_appraised_in_their_own_unit_reads_no_anonymous_answer_on_their_own_appraisal(
        login, session, org, peer_cycle):
    """The audit log names an anonymous answer's time; HR of a unit who is appraised there does not read, through
    the log, what the history keeps from every appraised employee. Their colleagues' anonymous answers stay listed."""
    seed_grant(session, user_id=org.users["ani"].id, role="hr", unit_id=org.bidang.id)
    session.commit()
    start(session, org, peer_cycle)
    budi = session.scalars(select(Appraisal).where(Appraisal.run_id == session.get(Appraisal, peer_cycle).run_id,
                                                   Appraisal.employee_id == org.people["budi"].id)).one().id
    fire_transition(session, budi, "start", org.actor("kabid"))
    for peer in ("budi", "citra"):
        login(peer).post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}", data=answers(3))
    login("ani").post(f"/penilaian/{budi}/umpan-balik/{WINDOW}", data=answers(4))
    header = api(session, org, "ani")
    client = login("ani")
    listed = client.get("/api/v1/audit/events?kind=feedback", headers=header).json["items"]
    assert [e["appraisal_id"] for e in listed] == [budi]
    own = client.get(f"/api/v1/audit/events?appraisal_id={peer_cycle}&format=csv", headers=header)
    assert own.status_code == 200 and "anonim" not in own.get_data(as_text=True)
    page = client.get("/sdm/audit?jenis=feedback").get_data(as_text=True)
    assert page.count("anonim") == 1
    assert client.get("/sdm/audit/ekspor.csv").get_data(as_text=True).count("anonim") == 1
    # HR who is not appraised here reads every answer's event, as docs/feedback.md says.
    hr = login("hr").get("/api/v1/audit/events?kind=feedback", headers=api(session, org, "hr")).json["items"]
    assert sorted(e["appraisal_id"] for e in hr) == sorted([peer_cycle, peer_cycle, budi])


def test_the_aggregate_moves_only_after_a_whole_step_of_new_answers(login, session, org, peer_cycle):
    """min_respondents 2: shown over the first 2 answers, then over the first 4; never over 3."""
    start(session, org, peer_cycle)
    url = f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}"
    login("budi").post(url, data=answers(4, "Selalu tepat waktu."))
    login("citra").post(url, data=answers(2, "Perlu lebih teliti."))
    two = summary_of(login("ani"), peer_cycle)
    assert "2 responden" in two and "3 / 4" in two
    login("dewi").post(url, data=answers(1, "Jarang hadir rapat."))
    three = summary_of(login("ani"), peer_cycle)
    assert "3 responden" in three
    assert "3 / 4" in three and "2,67" not in three  # (4 + 2 + 1) / 3 would give dewi's 1 away
    assert "Jarang hadir rapat." not in three  # nor does her comment appear on its own
    assert "Dihitung dari 2 jawaban pertama" in three
    login("eka").post(url, data=answers(3))
    four = summary_of(login("ani"), peer_cycle)
    assert "4 responden" in four and "2,5 / 4" in four and "Jarang hadir rapat." in four  # (4 + 2 + 1 + 3) / 4
    # Answering again keeps the answer's place in the order: the step stays whole.
    login("dewi").post(url, data=answers(1, "Jarang hadir rapat."))
    assert "2,5 / 4" in summary_of(login("ani"), peer_cycle)


def test_a_comment_of_megabytes_on_the_form_is_refused_not_a_server_error(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    response = login("budi").post(f"/penilaian/{peer_cycle}/umpan-balik/{WINDOW}",
                                  data=answers(3, "x" * (2 * 1024 * 1024)))
    assert response.status_code in (413, 422)
    assert stored(session, peer_cycle) == []
