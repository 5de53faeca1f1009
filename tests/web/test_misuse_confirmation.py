"""A step nobody can take back (closing the cycle) is confirmed wherever it can be taken: on the appraisal
page and on the bulk page, inside the request or as a background job. Without the ticked box it is
refused with the reason in Bahasa Indonesia, and nothing is fired, queued or written to the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.audit import verify_chain
from engine.jobs import Job
from engine.models import AuditEvent
from tests.support.states import drive

REFUSED = "Langkah ini tidak dapat dibatalkan. Centang konfirmasi terlebih dahulu bila Anda yakin."


@pytest.fixture
def developing(session, org, run, appraisal_of) -> list[str]:
    """ani's and budi's appraisals in development, waiting for kabid to close the cycle: their selections."""
    chosen = []
    for person in ("ani", "budi"):
        appraisal_id = appraisal_of(person).id
        drive(session, org, appraisal_id, person, "develop")
        chosen.append(f"{appraisal_id}:{appraisal_of(person).version}")
    return chosen


def _counts(session) -> tuple[int, int]:
    session.rollback()
    return (int(session.scalar(select(func.count()).select_from(AuditEvent))),
            int(session.scalar(select(func.count()).select_from(Job))))


def test_the_bulk_page_asks_to_confirm_closing_the_cycle(login, developing):
    page = login("kabid").get("/penilaian/massal?aksi=complete_development").get_data(as_text=True)
    form = page.split('class="card bulk-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="konfirmasi"' in form
    assert "Saya mengerti bahwa «Selesaikan siklus» tidak dapat dibatalkan setelah disimpan." in form


def test_a_bulk_page_step_that_can_be_taken_back_asks_no_confirmation(login, session, org, run, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "plan_review")
    page = login("kabid").get("/penilaian/massal?aksi=approve_plan").get_data(as_text=True)
    assert 'name="konfirmasi"' not in page


@pytest.mark.parametrize("inline_max", [50, 1], ids=["in-the-request", "as-a-job"])
@pytest.mark.parametrize("ticked", [None, "", "0", "on"])
def test_closing_the_cycle_in_bulk_without_the_ticked_box_is_refused_and_nothing_changes(
        app, login, session, appraisal_of, developing, inline_max, ticked):
    app.config["SIKLUS_BULK_INLINE_MAX"] = inline_max
    before = _counts(session)
    data = {"aksi": "complete_development", "pilih": developing}
    if ticked is not None:
        data["konfirmasi"] = ticked
    response = login("kabid").post("/penilaian/massal", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSED in page
    assert page.count('checked') >= len(developing)  # the selection is kept
    assert {appraisal_of(p).state for p in ("ani", "budi")} == {"develop"}
    assert _counts(session) == before
    assert verify_chain(session).ok


def test_closing_the_cycle_in_bulk_with_the_box_ticked_closes_each(login, session, appraisal_of, developing):
    response = login("kabid").post("/penilaian/massal", data={"aksi": "complete_development", "pilih": developing,
                                                              "konfirmasi": "1"})
    assert response.status_code == 200
    assert "2 berhasil, 0 sudah berubah, 0 ditolak." in response.get_data(as_text=True)
    assert {appraisal_of(p).state for p in ("ani", "budi")} == {"closed"}


def test_closing_as_a_job_with_the_box_ticked_is_queued(app, login, session, developing):
    app.config["SIKLUS_BULK_INLINE_MAX"] = 1
    before = _counts(session)
    response = login("kabid").post("/penilaian/massal", data={"aksi": "complete_development", "pilih": developing,
                                                              "konfirmasi": "1"})
    assert response.status_code == 303
    assert _counts(session)[1] == before[1] + 1


def test_closing_on_the_page_without_the_box_is_refused_and_nothing_is_written(login, session, appraisal_of,
                                                                                developing):
    ani = appraisal_of("ani")
    before = _counts(session)
    response = login("kabid").post(f"/penilaian/{ani.id}/aksi/complete_development",
                                   data={"version": str(ani.version), "konfirmasi": "on"})
    assert response.status_code == 422 and "Centang konfirmasi" in response.get_data(as_text=True)
    assert appraisal_of("ani").state == "develop" and _counts(session) == before


def test_an_unconfirmed_decision_with_fields_missing_says_what_is_missing_and_keeps_the_ticked_box(
        login, session, org, run, appraisal_of):
    """Deciding an appeal with the decision and its reasons left empty said only 'tick the box'; once ticked, the
    missing fields were named and the box came back unticked. The fields are named first, and a ticked box stays
    ticked. Nothing is written either way."""
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "appeal")
    version = appraisal_of("ani").version
    before = _counts(session)
    client = login("kadis")
    address = f"/penilaian/{appraisal_id}/aksi/decide_appeal"
    empty = client.post(address, data={"version": version})
    assert empty.status_code == 422
    form = empty.get_data(as_text=True).split('id="aksi-decide_appeal"', 1)[1].split("</form>", 1)[0]
    assert "Wajib diisi." in form and "periksa Keputusan, Pertimbangan" in form and REFUSED not in form
    ticked = client.post(address, data={"version": version, "konfirmasi": "1", "p-keputusan": "tetap"})
    assert ticked.status_code == 422
    form = ticked.get_data(as_text=True).split('id="aksi-decide_appeal"', 1)[1].split("</form>", 1)[0]
    assert 'name="konfirmasi" value="1" required checked>' in form
    assert '<option value="tetap" selected>' in form
    filled = client.post(address, data={"version": version, "p-keputusan": "tetap",
                                        "p-pertimbangan": "Rating penilai sudah sesuai bukti."})
    assert filled.status_code == 422 and REFUSED in filled.get_data(as_text=True)
    assert _counts(session) == before
    assert appraisal_of("ani").state == "appeal"
