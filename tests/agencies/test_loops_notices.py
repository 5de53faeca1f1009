"""Loops that close: a respondent the leader proposes waits for the rater, who is told; a public complaint
waits for HR of its agency, who are told (and nobody else). Each notice leads to the page where the
person acts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.citizen_models import Complaint
from engine.models import Notification, User
from engine.nominations import decide_nomination, propose_nominee
from engine.notifications import dispatch
from engine.public_feedback import submit_public_feedback
from engine.users import seed_grant
from tests.agencies.conftest import Agency, build_agency, publish_and_launch
from tests.agencies.test_upward_review import HR, PEOPLE, UNITS, _propose


@pytest.fixture
def contoh(session) -> Agency:
    agency = build_agency(session, UNITS, PEOPLE, HR)
    # HR of the other agency, who must not hear of this agency's complaints.
    other = User(username="sdm_lain", display_name="SDM Kabupaten Lain",
                 password_hash=agency.users[HR].password_hash)
    session.add(other)
    session.flush()
    seed_grant(session, user_id=other.id, role="hr", unit_id=agency.units["PEMKAB_LAIN"].id)
    session.commit()
    agency.users["sdm_lain"] = other
    return agency


def _notices(session, user: User, code: str) -> list[Notification]:
    session.rollback()
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                           Notification.code == code)))


def _list(browser, username: str) -> str:
    return browser.login(username).client.get("/notifikasi/").get_data(as_text=True)


def test_a_proposed_respondent_tells_the_rater_who_opens_the_respondents_page(session, contoh, browser):
    publish_and_launch(session, contoh, "umpan-balik-pimpinan.yaml", "DINAS_CONTOH")
    kabid = contoh.appraisal_ids["kabid"]
    browser.login("kabid")
    _propose(browser, kabid, contoh.people["kabid2"].nip)
    (notice,) = _notices(session, contoh.users["kadis"], "notice.nomination")
    assert notice.link == f"/penilaian/{kabid}/responden" and notice.email == "kadis@example.go.id"
    page = _list(browser, "kadis")
    assert "Usulan responden menunggu persetujuan – Ratna Dewi" in page
    assert "Ratna Dewi mengusulkan Agus Salim sebagai" in page and "Anda dapat menyetujui atau menolak" in page
    opened = browser.client.get(f"/notifikasi/{notice.id}/buka")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/penilaian/{kabid}/responden")
    assert "Agus Salim" in browser.client.get(f"/penilaian/{kabid}/responden").get_data(as_text=True)
    # Nobody else hears of it: not the employee who proposed, not the nominee, not HR.
    for other in ("kabid", "kabid2", HR):
        assert _notices(session, contoh.users[other], "notice.nomination") == []
    browser.client.post("/bahasa", data={"lang": "en", "next": "/notifikasi/"})
    english = browser.client.get("/notifikasi/").get_data(as_text=True)
    assert "Proposed respondent awaiting approval – Ratna Dewi" in english
    assert "Ratna Dewi proposed Agus Salim as" in english


def test_a_proposal_decided_before_the_sweep_tells_nobody(session, contoh):
    publish_and_launch(session, contoh, "umpan-balik-pimpinan.yaml", "DINAS_CONTOH")
    nomination = propose_nominee(session, contoh.actor("kabid"), contoh.appraisal_ids["kabid"], "rekan",
                                 contoh.people["kabid3"].nip)
    decide_nomination(session, contoh.actor("kadis"), nomination.id, True)
    dispatch(session)
    assert _notices(session, contoh.users["kadis"], "notice.nomination") == []


def test_a_public_complaint_tells_hr_of_its_agency_only(session, contoh, browser):
    unit = contoh.units["DINAS_CONTOH"]
    submit_public_feedback(session, unit.public_slug, {f"U{i}": 2 for i in range(1, 10)},
                           "Loket tutup sebelum jam pelayanan berakhir.", "hp-1")
    complaint = session.scalars(select(Complaint.id)).one()
    (notice,) = _notices(session, contoh.users[HR], "notice.complaint")
    assert notice.link == f"/sdm/pengaduan#pengaduan-{complaint}" and notice.appraisal_id is None
    assert _notices(session, contoh.users["sdm_lain"], "notice.complaint") == []
    assert session.scalars(select(Notification).where(Notification.code == "notice.complaint")).all() == [notice]
    page = _list(browser, HR)
    assert "Pengaduan masyarakat baru – Dinas Pelayanan Terpadu Kota Contoh" in page
    assert "Loket tutup" not in page  # what the citizen wrote is read on the complaints page, not in a notice
    opened = browser.client.get(f"/notifikasi/{notice.id}/buka")
    assert opened.headers["Location"].endswith(f"/sdm/pengaduan#pengaduan-{complaint}")
    assert "Loket tutup sebelum jam pelayanan berakhir." in browser.client.get("/sdm/pengaduan").get_data(as_text=True)
    assert "Belum ada notifikasi" in _list(browser, "sdm_lain")


def test_a_public_answer_without_a_complaint_tells_nobody(session, contoh):
    submit_public_feedback(session, contoh.units["DINAS_CONTOH"].public_slug, {f"U{i}": 4 for i in range(1, 10)},
                           "", "hp-2")
    assert session.scalars(select(Notification)).all() == []
