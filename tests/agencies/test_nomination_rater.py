"""The proposed 360 respondents of a top official are decided by the rater HR designated for them.

Kadis heads the service and has no supervisor in Siklus: HR designated the mayor's account (no employee record)
as their pejabat penilai. Decisions on nominated respondents went to the org-chart supervisor only, so nobody
could decide kadis's proposals (not on screen, not in the engine) and nobody was told of them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.citizen_models import APPROVED, PROPOSED, FeedbackNomination
from engine.errors import Forbidden
from engine.models import Notification, User
from engine.nominations import decide_nomination, nominations_of, propose_nominee
from engine.notifications import dispatch
from engine.raters import designate_rater
from tests.agencies.conftest import Agency, Person, build_agency, publish_and_launch
from tests.agencies.test_upward_review import HR, PEOPLE, UNITS, _propose

# The regional secretary: an employee of the same agency, above the service in nobody's chart.
SEKDA = Person("sekda", "Wahyu Hidayat", "PEMKOT_CONTOH", None, "Sekretaris Daerah")


@pytest.fixture
def contoh(session) -> Agency:
    agency = build_agency(session, UNITS, [*PEOPLE, SEKDA], HR)
    mayor = User(username="walikota", display_name="Wali Kota Contoh", password_hash=agency.users[HR].password_hash)
    session.add(mayor)
    session.commit()
    agency.users["walikota"] = mayor
    publish_and_launch(session, agency, "umpan-balik-pimpinan.yaml", "DINAS_CONTOH")
    return agency


def _designate(session, contoh: Agency, rater: str) -> None:
    designate_rater(session, contoh.actor(HR), contoh.people["kadis"].id, rater, basis="SK Wali Kota 800/1/2026")


def test_the_designated_rater_decides_a_top_officials_nominations_on_screen(session, contoh, browser):
    _designate(session, contoh, "walikota")
    kadis = contoh.appraisal_ids["kadis"]
    _propose(browser.login("kadis"), kadis, contoh.people["kabid2"].nip)
    session.rollback()
    nomination = session.scalars(select(FeedbackNomination).where(FeedbackNomination.appraisal_id == kadis)).one()

    # The mayor is told, sees the decision's form, and approves.
    dispatch(session)
    session.rollback()
    assert [n.link for n in session.scalars(select(Notification).where(
        Notification.user_id == contoh.users["walikota"].id, Notification.code == "notice.nomination"))] == [
        f"/penilaian/{kadis}/responden"]
    page = browser.login("walikota").client.get(f"/penilaian/{kadis}/responden")
    assert page.status_code == 200 and "Agus Salim" in page.get_data(as_text=True)
    assert f'/penilaian/{kadis}/responden/{nomination.id}"' in page.get_data(as_text=True)
    decided = browser.client.post(f"/penilaian/{kadis}/responden/{nomination.id}", data={"keputusan": "setuju"})
    assert decided.status_code == 302
    session.rollback()
    assert session.get(FeedbackNomination, nomination.id).status == APPROVED  # type: ignore[union-attr]


def test_only_the_rater_who_rates_decides_not_someone_merely_without_a_supervisor(session, contoh):
    kadis = contoh.appraisal_ids["kadis"]
    nomination = propose_nominee(session, contoh.actor("kadis"), kadis, "rekan", contoh.people["kabid2"].nip)
    # Nobody designated yet: the mayor is nobody's rater, and is refused.
    with pytest.raises(Forbidden):
        decide_nomination(session, contoh.actor("walikota"), nomination.id, True)
    session.rollback()
    _designate(session, contoh, "walikota")
    assert nominations_of(session, contoh.actor("walikota"), kadis).may_decide
    # A subordinate's supervisor still decides theirs, and the mayor does not decide for kabid.
    kabid = contoh.appraisal_ids["kabid"]
    other = propose_nominee(session, contoh.actor("kabid"), kabid, "rekan", contoh.people["kabid2"].nip)
    with pytest.raises(Forbidden):
        decide_nomination(session, contoh.actor("walikota"), other.id, True)
    session.rollback()
    assert decide_nomination(session, contoh.actor("kadis"), other.id, True).status == APPROVED
    assert decide_nomination(session, contoh.actor("walikota"), nomination.id, False).status != PROPOSED


def test_a_designated_rater_with_an_employee_record_is_no_nominee_of_the_one_they_rate(session, contoh, browser):
    _designate(session, contoh, "sekda")
    kadis = contoh.appraisal_ids["kadis"]
    refused = _propose(browser.login("kadis"), kadis, contoh.people["sekda"].nip, expect=422)
    assert "pejabat penilainya tidak dapat diusulkan" in refused
