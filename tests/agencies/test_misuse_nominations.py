"""Nominated 360 respondents under misuse: a decision posted without saying which, a nomination opened
under another appraisal's address, a second decision, odd ids and NIPs. Each refusal is in Bahasa
Indonesia, and nothing is written: no nomination changes and no event joins the chain."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.audit import verify_chain
from engine.citizen_models import FeedbackNomination
from engine.models import AuditEvent
from tests.agencies.conftest import ATAS, Agency, behaviour, build_agency, publish_and_launch
from tests.agencies.test_upward_review import HR, PEOPLE, UNITS, _propose


@pytest.fixture
def contoh(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


@pytest.fixture
def proposed(session, contoh, browser) -> tuple[int, int]:
    """kabid's appraisal with one proposal (kabid2) waiting for the rater, kadis."""
    publish_and_launch(session, contoh, "umpan-balik-pimpinan.yaml", "DINAS_CONTOH")
    kabid = contoh.appraisal_ids["kabid"]
    browser.login("kabid")
    _propose(browser, kabid, contoh.people["kabid2"].nip)
    session.rollback()
    return kabid, session.scalars(select(FeedbackNomination.id)).one()


def _unchanged(session, nomination_id: int, events_before: int) -> None:
    session.rollback()
    assert session.get(FeedbackNomination, nomination_id).status == "proposed"
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before
    assert verify_chain(session).ok


def _events(session) -> int:
    session.rollback()
    return int(session.scalar(select(func.count()).select_from(AuditEvent)))


@pytest.mark.parametrize("data", [{}, {"keputusan": ""}, {"keputusan": "mungkin"}])
def test_a_decision_that_says_neither_approve_nor_decline_is_refused_and_nothing_is_decided(
        session, browser, proposed, data):
    kabid, nomination = proposed
    before = _events(session)
    response = browser.login("kadis").client.post(f"/penilaian/{kabid}/responden/{nomination}", data=data)
    assert response.status_code == 422
    assert "Pilih setujui atau tolak" in response.get_data(as_text=True)
    _unchanged(session, nomination, before)


def test_a_nomination_is_decided_only_under_its_own_appraisal(session, contoh, browser, proposed):
    kabid, nomination = proposed
    other = contoh.appraisal_ids["kabid2"]  # kadis rates kabid2 too
    before = _events(session)
    response = browser.login("kadis").client.post(f"/penilaian/{other}/responden/{nomination}",
                                                  data={"keputusan": "setuju"})
    assert response.status_code == 404
    assert f"Usulan #{nomination} tidak ada" in response.get_data(as_text=True)
    _unchanged(session, nomination, before)


def test_a_second_decision_is_refused_and_the_first_stands(session, browser, proposed):
    kabid, nomination = proposed
    client = browser.login("kadis").client
    assert client.post(f"/penilaian/{kabid}/responden/{nomination}", data={"keputusan": "setuju"}).status_code == 302
    before = _events(session)
    again = client.post(f"/penilaian/{kabid}/responden/{nomination}", data={"keputusan": "tolak"})
    assert again.status_code == 409 and "Usulan ini sudah diputuskan." in again.get_data(as_text=True)
    session.rollback()
    assert session.get(FeedbackNomination, nomination).status == "approved"
    assert _events(session) == before


@pytest.mark.parametrize("path", ["/penilaian/{a}/responden/0", "/penilaian/{a}/responden/-1",
                                  "/penilaian/{a}/responden/9223372036854775808", "/penilaian/{a}/responden/abc",
                                  "/penilaian/999999/responden/1"])
def test_odd_ids_are_not_found(session, browser, proposed, path):
    kabid, nomination = proposed
    before = _events(session)
    response = browser.login("kadis").client.post(path.format(a=kabid), data={"keputusan": "setuju"})
    assert response.status_code == 404
    _unchanged(session, nomination, before)


@pytest.mark.parametrize(("nip", "expected"), [
    ("", "Tidak ada pegawai aktif"), ("   ", "Tidak ada pegawai aktif"), ("x" * 40, "Tidak ada pegawai aktif"),
    ("9" * 18, "Tidak ada pegawai aktif"), ("-1", "Tidak ada pegawai aktif"),
])
def test_an_unknown_nominee_is_refused_in_indonesian(session, contoh, browser, proposed, nip, expected):
    kabid, nomination = proposed
    before = _events(session)
    page = _propose(browser.login("kabid"), kabid, nip, expect=422)
    assert expected in page
    _unchanged(session, nomination, before)


def test_the_employee_cannot_nominate_themself(session, contoh, browser, proposed):
    kabid, nomination = proposed
    before = _events(session)
    page = _propose(browser.login("kabid"), kabid, contoh.people["kabid"].nip, expect=422)
    assert "Pegawai sendiri dan pejabat penilainya tidak dapat diusulkan" in page
    _unchanged(session, nomination, before)


def test_an_unknown_role_is_refused(session, contoh, browser, proposed):
    kabid, nomination = proposed
    before = _events(session)
    response = browser.login("kabid").client.post(f"/penilaian/{kabid}/responden",
                                                  data={"peran": "atasan", "nip": contoh.people["kabid3"].nip})
    assert response.status_code == 409
    assert "tidak menerima usulan responden" in response.get_data(as_text=True)
    _unchanged(session, nomination, before)


def test_a_proposal_left_waiting_is_not_decided_once_the_appraisal_is_done(session, contoh, browser, proposed):
    """The rating settled the 360 (who answered, who counted); a respondent approved afterwards would hold the
    cycle's peer role on a finished appraisal. As a proposal is refused then, so is a decision, and the page
    offers none."""
    kabid, nomination = proposed
    client = browser.login("kadis")
    client.fire(kabid, "open_feedback")
    client.fire(kabid, "close_feedback")
    client.fire(kabid, "rate", behaviour(default=ATAS))
    before = _events(session)
    response = client.client.post(f"/penilaian/{kabid}/responden/{nomination}", data={"keputusan": "setuju"})
    assert response.status_code == 409
    assert "Penilaian ini sudah selesai; usulan responden tidak dapat diputuskan lagi." in response.get_data(
        as_text=True)
    _unchanged(session, nomination, before)
