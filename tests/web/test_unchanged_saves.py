"""Saving a form that changes nothing says so, in the page's language, and leaves the history and the version
as they were: the SKP editor saved as it is, the leader's expectations saved as they are, a development
activity saved with its own title and JP. It flashed "SKP disimpan" and the history read "SKP diubah"."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.appraisals import record_development, set_skp
from engine.models import AuditEvent, DevelopmentActivity
from tests.support.states import drive

ONE_IKI = [{"key": "iki_1", "rhk": "Layanan KTP-el", "label": "Berkas terverifikasi", "target": 1200,
            "weight": 100, "aspect": "kuantitas", "unit": "berkas"}]
FORM = {"iki-1-key": "iki_1", "iki-1-rhk": "Layanan KTP-el", "iki-1-parent_rhk": "",
        "iki-1-label": "Berkas terverifikasi", "iki-1-aspect": "kuantitas", "iki-1-target": "1.200",
        "iki-1-unit": "berkas", "iki-1-weight": "100"}
SKP_SAME = "Tidak ada perubahan pada SKP; tidak ada yang disimpan."


def events(session, appraisal_id: int) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.appraisal_id == appraisal_id)) or 0


def test_the_skp_saved_as_it_is_says_nothing_changed_and_writes_no_history(login, appraisal_of, session, org):
    set_skp(session, appraisal_of("ani").id, org.actor("ani"), ONE_IKI)
    appraisal = appraisal_of("ani")
    version, before = appraisal.version, events(session, appraisal.id)
    client = login("ani")
    saved = client.post(f"/penilaian/{appraisal.id}/skp", data={**FORM, "version": version})
    assert saved.status_code == 302
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert SKP_SAME in page and "SKP disimpan" not in page
    assert (appraisal_of("ani").version, events(session, appraisal.id)) == (version, before)


def test_an_empty_skp_saved_empty_says_nothing_changed_in_english_too(login, appraisal_of, session):
    appraisal = appraisal_of("ani")
    version, before = appraisal.version, events(session, appraisal.id)
    client = login("ani")
    with client.session_transaction() as state:
        state["lang"] = "en"
    client.post(f"/penilaian/{appraisal.id}/skp", data={"version": version})
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "Nothing in the SKP changed; nothing was saved." in page
    assert (appraisal_of("ani").version, events(session, appraisal.id)) == (version, before)


def test_a_changed_skp_is_still_saved_and_said_so(login, appraisal_of, session, org):
    set_skp(session, appraisal_of("ani").id, org.actor("ani"), ONE_IKI)
    appraisal = appraisal_of("ani")
    version = appraisal.version
    client = login("ani")
    client.post(f"/penilaian/{appraisal.id}/skp", data={**FORM, "iki-1-target": "1.300", "version": version})
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "SKP disimpan (1 IKI)." in page and SKP_SAME not in page
    assert appraisal_of("ani").version == version + 1


def test_expectations_saved_as_they_are_say_nothing_changed(login, appraisal_of, session):
    appraisal = appraisal_of("ani")
    version, before = appraisal.version, events(session, appraisal.id)
    client = login("kabid")
    client.post(f"/penilaian/{appraisal.id}/ekspektasi", data={"version": version, "ekspektasi-akuntabel": " "})
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "Tidak ada perubahan pada ekspektasi khusus pimpinan; tidak ada yang disimpan." in page
    assert (appraisal_of("ani").version, events(session, appraisal.id)) == (version, before)


def test_an_activity_saved_as_it_is_says_nothing_changed(login, appraisal_of, session, fresh_session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "develop")
    record_development(fresh_session(), appraisal_of("ani").id, org.actor("ani"), "Pelayanan Prima", 8)
    appraisal = appraisal_of("ani")
    activity = session.scalar(select(DevelopmentActivity.id).where(DevelopmentActivity.appraisal_id == appraisal.id))
    version, before = appraisal.version, events(session, appraisal.id)
    client = login("ani")
    client.post(f"/penilaian/{appraisal.id}/pengembangan/{activity}/ubah",
                data={"version": version, "title": "Pelayanan Prima", "jp": "8"})
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "Tidak ada perubahan pada kegiatan pengembangan; tidak ada yang disimpan." in page
    assert (appraisal_of("ani").version, events(session, appraisal.id)) == (version, before)
