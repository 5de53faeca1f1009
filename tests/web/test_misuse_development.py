"""Development activities typed past what the tables keep: a 300-character title was a server error on
PostgreSQL (the column holds 255) and stored whole on SQLite; a changed title was cut at 255 without a word.
Each is refused with its limit and its length, and nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.appraisals import record_development
from engine.development.activities import update_activity
from engine.errors import Forbidden, InvalidInput
from engine.models import DevelopmentActivity
from tests.support.messages import said
from tests.support.states import drive


def _titles(session, appraisal_id: int) -> list[str]:
    session.rollback()
    return list(session.scalars(select(DevelopmentActivity.title)
                                .where(DevelopmentActivity.appraisal_id == appraisal_id)))


def test_a_development_title_longer_than_kept_is_refused_naming_its_length(login, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "develop")
    appraisal = appraisal_of("ani")
    client = login("ani")
    response = client.post(f"/penilaian/{appraisal.id}/pengembangan", data={"title": "P" * 300, "jp": "8"})
    assert response.status_code == 422
    assert ("Judul kegiatan pengembangan lebih dari 255 karakter (300); persingkat lalu simpan lagi."
            in response.get_data(as_text=True))
    assert _titles(session, appraisal.id) == []
    assert client.post(f"/penilaian/{appraisal.id}/pengembangan",
                       data={"title": "P" * 255, "jp": "8"}).status_code == 302
    assert _titles(session, appraisal.id) == ["P" * 255]


def test_a_changed_title_is_refused_rather_than_cut(run, appraisal_of, session, fresh_session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "develop")
    appraisal = appraisal_of("ani")
    record_development(fresh_session(), appraisal.id, org.actor("ani"), "Pelayanan Prima", 8)
    activity = fresh_session().scalar(select(DevelopmentActivity.id)
                                      .where(DevelopmentActivity.appraisal_id == appraisal.id))
    with pytest.raises(InvalidInput) as refused:
        update_activity(fresh_session(), appraisal.id, activity, org.actor("ani"), "Q" * 400, 8)
    assert "longer than 255 characters (400)" in said(refused.value)["en"]
    assert _titles(session, appraisal.id) == ["Pelayanan Prima"]


@pytest.mark.parametrize(("who", "jp", "status"), [("kadis", "3", 403), ("hr", "3", 403), ("hr", "tiga", 403),
                                                   ("ani", "tiga", 422), ("kabid", "-1", 422)])
def test_a_refusal_on_the_development_form_is_shown_once(login, run, appraisal_of, session, fresh_session, org,
                                                         who, jp, status):
    """The reviewer and HR see the development section (an activity is recorded) but may not change it: the
    refusal was shown at the top of the page and again in the section."""
    drive(session, org, appraisal_of("ani").id, "ani", "develop")
    appraisal = appraisal_of("ani")
    record_development(fresh_session(), appraisal.id, org.actor("ani"), "Pelayanan Prima", 8)
    response = login(who).post(f"/penilaian/{appraisal.id}/pengembangan", data={"title": "Kursus", "jp": jp})
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert page.count('<p class="error" role="alert">') == 1, page
    assert _titles(session, appraisal.id) == ["Pelayanan Prima"]


def test_someone_who_may_not_edit_development_is_told_so_before_what_was_wrong_with_the_jp(
        login, run, appraisal_of, session, fresh_session, org):
    """HR reads the development section but does not edit it: a JP typed as words told HR to type a number, as if
    a number would have been taken. The refusal now says who may record development; the engine does the same."""
    drive(session, org, appraisal_of("ani").id, "ani", "develop")
    appraisal = appraisal_of("ani")
    record_development(fresh_session(), appraisal.id, org.actor("ani"), "Pelayanan Prima", 8)
    activity = fresh_session().scalar(select(DevelopmentActivity.id)
                                      .where(DevelopmentActivity.appraisal_id == appraisal.id))
    page = login("hr").post(f"/penilaian/{appraisal.id}/pengembangan", data={"title": "Kursus", "jp": "tiga"})
    assert page.status_code == 403
    assert "JP" not in page.get_data(as_text=True).split('role="alert">')[1].split("</p>")[0]
    for jp in ("tiga", -1, None):
        with pytest.raises(Forbidden):
            record_development(fresh_session(), appraisal.id, org.actor("hr"), "Kursus", jp)
        with pytest.raises(Forbidden):
            update_activity(fresh_session(), appraisal.id, activity, org.actor("hr"), "Q" * 400, jp)
    assert _titles(session, appraisal.id) == ["Pelayanan Prima"]
