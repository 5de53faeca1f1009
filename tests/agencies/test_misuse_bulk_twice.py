"""A bulk action takes each appraisal once. A forged bulk form that names one appraisal several times,
each with the next version it will have, must not repeat a step that returns to its own state (Solok's
rater answering a monthly report): one response is recorded, on the screen and in a queued job alike."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.bulk import enqueue_bulk
from engine.job_models import JobItem
from tests.agencies.conftest import (
    Agency,
    build_agency,
    events,
    fresh,
    one_iki,
    plan_approved,
    publish_and_launch,
)
from tests.agencies.test_solok import HR, PEOPLE, UNITS

COMMENT = "Tanggapan atas laporan bulan ini."


@pytest.fixture
def solok(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def _reported(session, solok, browser) -> int:
    publish_and_launch(session, solok, "solok.yaml", "PEMKO_SOLOK")
    joko = solok.appraisal_ids["joko"]
    plan_approved(browser, joko, "joko", "kadis", one_iki("Dokumen terbit tepat waktu", "1.000", "dokumen",
                                                          "Pelayanan adminduk"))
    browser.login("joko").fire(joko, "kirim_laporan_bulanan",
                               {"p-bulan": "Januari", "p-ringkasan": "80 dokumen terbit, antrean pagi lancar."})
    return joko


def _answers(session, appraisal_id: int) -> int:
    return sum(1 for e in events(session, appraisal_id, "transition") if e.trigger == "tanggapi_laporan")


def test_one_appraisal_named_three_times_in_a_bulk_form_is_answered_once(session, solok, browser):
    joko = _reported(session, solok, browser)
    version = fresh(session, joko).version
    browser.login("kadis")
    response = browser.client.post("/penilaian/massal", data={
        "aksi": "tanggapi_laporan", "komentar": COMMENT, "konfirmasi": "1",
        "pilih": [f"{joko}:{version}", f"{joko}:{version + 1}", f"{joko}:{version + 2}"]})
    assert response.status_code == 200
    assert "1 berhasil" in response.get_data(as_text=True)
    session.rollback()
    assert _answers(session, joko) == 1
    assert fresh(session, joko).version == version + 1


def test_a_queued_batch_names_each_appraisal_once(session, solok, browser):
    joko = _reported(session, solok, browser)
    version = fresh(session, joko).version
    job = enqueue_bulk(session, solok.actor("kadis"), "tanggapi_laporan",
                       [(joko, version), (joko, version + 1)], COMMENT, confirmed=True)
    session.flush()
    assert session.scalars(select(JobItem.ref).where(JobItem.job_id == job.id)).all() == [joko]
