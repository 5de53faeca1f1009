"""Checkpoints where people meet them: Solok's twelve monthly reports with the rater's responses on the
appraisal page, in its history, in the evaluation PDF and through the API; Bungo's employee seeing the
live score move after each quarterly evaluation; the forms refusing in the reader's language."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.appraisals import fire_transition, set_skp
from engine.calendar import local_zone
from engine.checkpoints.service import file_report, give_feedback, rate_checkpoint, record_checkpoint_realisation
from engine.models import Appraisal, CheckpointEntry
from engine.registry import definition_of, publish_source
from engine.runs import find_unit, launch
from engine.tokens import create_token
from tests.support.pdf import pdf_text

SKP = [{"key": "iki_1", "rhk": "Layanan KTP-el", "label": "Berkas terverifikasi", "target": 1200, "weight": 100}]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def _published(session, org, name: str):
    source = resources.files("workflows").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return publish_source(session, source, f"{name}.yaml", org.actor("admin"))


def _monitoring(session, org, name: str) -> int:
    run = launch(session, _published(session, org, name), find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                             Appraisal.employee_id == org.people["ani"].id))
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(session, appraisal_id, org.actor("ani"), SKP, now=start)
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"), now=start)
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"), now=start)
    return appraisal_id


@pytest.fixture
def solok_year(session, org) -> int:
    """Ani's Solok appraisal after a year of monthly reports, each answered by her rater."""
    appraisal_id = _monitoring(session, org, "solok-v2")
    for month in range(1, 13):
        name = f"laporan_bulanan.2026-{month:02d}"
        when = datetime(2026, month, 20, 3, tzinfo=UTC)
        record_checkpoint_realisation(session, appraisal_id, org.actor("ani"), name, "iki_1", 100 * month, now=when)
        file_report(session, appraisal_id, org.actor("ani"), name,
                    f"Laporan {MONTHS[month - 1]}: berkas-bulan-{month:02d} selesai diverifikasi.", now=when)
        give_feedback(session, appraisal_id, org.actor("kabid"), name, f"Tanggapan-bulan-{month:02d}: baik.",
                      now=when)
    return appraisal_id


def test_twelve_monthly_reports_and_responses_are_all_on_the_page_and_in_the_history(login, solok_year):
    page = login("ani").get(f"/penilaian/{solok_year}").get_data(as_text=True)
    timeline, _, history = page.partition('id="riwayat"')
    for month in range(1, 13):
        assert f"berkas-bulan-{month:02d}" in timeline and f"Tanggapan-bulan-{month:02d}" in timeline
        # The history names each report with its month and keeps its text, and the response's.
        assert f"berkas-bulan-{month:02d}" in history and f"Tanggapan-bulan-{month:02d}" in history
    assert "Laporan Maret 2026 dikirim" in history and "Tanggapan atas Desember 2026" in history
    assert "Berkas terverifikasi: <strong>300</strong>" in timeline  # March's realisation, by the IKI's name


def test_twelve_monthly_reports_are_in_the_pdf_and_the_api(login, session, org, solok_year):
    pdf = login("ani").get(f"/laporan/penilaian/{solok_year}.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.get_data())
    for month in range(1, 13):
        assert f"berkas-bulan-{month:02d}" in text and f"Tanggapan-bulan-{month:02d}" in text

    secret = create_token(session, org.actor("ani"), org.users["ani"], "test").secret
    answer = login("ani").get(f"/api/v1/appraisals/{solok_year}/checkpoints",
                              headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200
    months = answer.json["series"][0]["checkpoints"]
    assert [m["key"] for m in months] == [f"2026-{n:02d}" for n in range(1, 13)]
    assert all(m["report"]["text"].startswith(f"Laporan {MONTHS[n]}") for n, m in enumerate(months))
    assert all(m["feedback"][0]["text"] == f"Tanggapan-bulan-{n + 1:02d}: baik." for n, m in enumerate(months))
    assert months[2]["realisations"][0]["value"] == 300


def test_a_report_for_a_month_outside_the_period_is_refused_on_the_page_in_the_readers_language(
        login, session, org):
    appraisal_id = _monitoring(session, org, "solok-v2")
    client = login("ani")
    response = client.post(f"/penilaian/{appraisal_id}/titik-pantau/laporan_bulanan.2025-12/laporan",
                           data={"text": "Laporan untuk bulan tahun lalu."}, follow_redirects=True)
    # The page comes back at once with the refusal (it was a redirect that dropped what was typed).
    assert response.status_code == 422
    assert "berada di luar periode penilaian 2026" in response.get_data(as_text=True)
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    response = client.post(f"/penilaian/{appraisal_id}/titik-pantau/laporan_bulanan.2025-12/laporan",
                           data={"text": "A report for last year's month."}, follow_redirects=True)
    assert "is outside the appraisal period 2026" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(CheckpointEntry)) == 0


def test_the_employee_files_this_months_report_from_the_page(login, session, org):
    appraisal_id = _monitoring(session, org, "solok-v2")
    month = datetime.now(UTC).astimezone(local_zone()).strftime("%Y-%m")
    if not month.startswith("2026"):
        pytest.skip("the run's period is 2026")
    response = login("ani").post(f"/penilaian/{appraisal_id}/titik-pantau/laporan_bulanan.{month}/laporan",
                                 data={"text": "Laporan bulan ini dari halaman penilaian."})
    assert response.status_code == 303
    session.expire_all()
    assert session.scalars(select(CheckpointEntry.text)).all() == ["Laporan bulan ini dari halaman penilaian."]


@pytest.mark.parametrize("version", ["\u00b2", "\u0663", "9" * 30, "-1"])
def test_a_forged_version_is_no_server_error(login, session, org, version):
    """'²' is a digit to str.isdigit but not to int(): the form's version failed with a server error."""
    appraisal_id = _monitoring(session, org, "solok-v2")
    response = login("ani").post(f"/penilaian/{appraisal_id}/titik-pantau/laporan_bulanan.2026-01/tanggapan",
                                 data={"text": "Tanggapan", "version": version})
    # Refused (January's feedback has closed) with the page and the reason, never a 500.
    assert response.status_code == 409
    assert "tidak ada yang disimpan" in response.get_data(as_text=True).lower()


def test_bungos_employee_sees_the_live_score_change_after_each_quarter(login, session, org):
    appraisal_id = _monitoring(session, org, "bungo-v2")
    client = login("ani")
    quarters = [("2026-Q1", "Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik"),
                ("2026-Q2", "Di Atas Ekspektasi", "Di Atas Ekspektasi", "Sangat Baik"),
                ("2026-Q3", "Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Butuh Perbaikan"),
                ("2026-Q4", "Sesuai Ekspektasi", "Di Atas Ekspektasi", "Baik")]
    seen = []
    for number, (key, work, attitude, score) in enumerate(quarters, start=1):
        when = datetime(2026, 3 * number - 1, 10, 3, tzinfo=UTC)
        name = f"evaluasi.{key}"
        record_checkpoint_realisation(session, appraisal_id, org.actor("ani"), name, "iki_1", 300 * number, now=when)
        rate_checkpoint(session, appraisal_id, org.actor("kabid"), name,
                        {"hasil_kerja": work, "sikap": attitude, "kontribusi_tim": "Sesuai Ekspektasi",
                         "catatan": f"Catatan triwulan {number}"}, now=when)
        page = client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
        live = page.split('class="card live-score"')[1].split("</p>")[0]
        assert f"Evaluasi triwulan {['I', 'II', 'III', 'IV'][number - 1]} 2026" in live
        assert f"Nilai triwulan: {score}</strong>" in live
        seen.append(live)
    assert len(set(seen)) == 4  # the score the employee sees moved after every quarter


def test_a_monthly_report_carries_its_evidence_file_and_a_refused_one_leaves_none(login, session, org, app):
    appraisal_id = _monitoring(session, org, "solok-v2")
    month = datetime.now(UTC).astimezone(local_zone()).strftime("%Y-%m")
    if not month.startswith("2026"):
        pytest.skip("the run's period is 2026")
    client = login("ani")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    filed = client.post(f"/penilaian/{appraisal_id}/titik-pantau/laporan_bulanan.{month}/laporan",
                        data={"text": "Laporan bulan ini dengan bukti foto.",
                              "evidence": (io.BytesIO(png), "foto.png")},
                        content_type="multipart/form-data")
    assert filed.status_code == 303
    page = client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    entry_id = session.scalar(select(CheckpointEntry.id).where(CheckpointEntry.kind == "report"))
    assert f"/penilaian/{appraisal_id}/titik-pantau/bukti/{entry_id}" in page and "bukti: <bdi>foto.png</bdi>" in page
    download = client.get(f"/penilaian/{appraisal_id}/titik-pantau/bukti/{entry_id}")
    assert download.status_code == 200 and download.data == png
    assert login("budi").get(f"/penilaian/{appraisal_id}/titik-pantau/bukti/{entry_id}").status_code in (403, 404)

    other = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32
    client = login("ani")
    client.post(f"/penilaian/{appraisal_id}/titik-pantau/laporan_bulanan.2025-12/laporan",
                data={"text": "Laporan bulan di luar periode.", "evidence": (io.BytesIO(other), "lain.png")},
                content_type="multipart/form-data")
    stored = sorted(p.name for p in Path(app.config["UPLOAD_FOLDER"], str(appraisal_id)).iterdir())
    assert stored == [f"{hashlib.sha256(png).hexdigest()}.png"]  # the refused report's file was removed


# -- the periodic rating waits for the period's work ------------------------------------------------------

def test_the_rater_is_told_from_when_a_quarter_can_be_rated_and_a_forged_rating_is_refused(login, session, org,
                                                                                          monkeypatch):
    appraisal_id = _monitoring(session, org, "permenpan-6-2022-v2")
    first_day = datetime(2026, 4, 1, 2, tzinfo=UTC)  # 1 April, 09.00 WIB: Triwulan II has just begun
    monkeypatch.setattr("engine.checkpoints.timeline.utcnow", lambda: first_day)
    monkeypatch.setattr("engine.checkpoints.service.utcnow", lambda: first_day)
    client = login("kabid")
    page = client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    quarter = page.split('id="triwulan.2026-Q2-rating-waits"', 1)[1].split("</p>", 1)[0]
    assert ("Penilaian periodik Triwulan II 2026 dapat dicatat setelah pegawai mengirim laporan periode itu, atau "
            "mulai 1 Jul 2026, 00.00 WIB sesudah periodenya berakhir.") in quarter
    assert "/titik-pantau/triwulan.2026-Q2/penilaian\"" not in page  # no rating form yet
    forged = client.post(f"/penilaian/{appraisal_id}/titik-pantau/triwulan.2026-Q2/penilaian", data={
        "triwulan.2026-Q2-rating-rating_hasil_kerja": "Di Atas Ekspektasi",
        "triwulan.2026-Q2-rating-rating_perilaku": "Di Atas Ekspektasi"}, follow_redirects=True)
    assert "dicatat setelah pegawai mengirim laporan periode itu" in forged.get_data(as_text=True)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(CheckpointEntry)) == 0
    file_report(session, appraisal_id, org.actor("ani"), "triwulan.2026-Q2", "Laporan triwulan II lebih awal.",
                now=first_day)
    reported = client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    assert 'id="triwulan.2026-Q2-rating-waits"' not in reported
    assert "/titik-pantau/triwulan.2026-Q2/penilaian\"" in reported


def test_a_rater_at_the_most_responses_is_told_so_and_a_further_one_is_refused(login, session, org, monkeypatch):
    appraisal_id = _monitoring(session, org, "permenpan-6-2022-v2")
    moment = datetime(2026, 2, 15, 3, tzinfo=UTC)
    for module in ("engine.checkpoints.timeline", "engine.checkpoints.service"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: moment)
        monkeypatch.setattr(f"{module}.MAX_RESPONSES", 2)
    client = login("kabid")
    address = f"/penilaian/{appraisal_id}/titik-pantau/triwulan.2026-Q1/tanggapan"
    for n in (1, 2):
        assert client.post(address, data={"text": f"Tanggapan ke-{n}."}).status_code == 303
    refused = client.post(address, data={"text": "Tanggapan ke-3."}, follow_redirects=True).get_data(as_text=True)
    assert "Anda sudah memberi 2 tanggapan untuk Triwulan I 2026" in refused
    assert 'id="triwulan.2026-Q1-responses-full"' in refused and f'action="{address}"' not in refused
    session.rollback()
    assert session.scalar(select(func.count()).select_from(CheckpointEntry)) == 2


@pytest.mark.parametrize("entry", ["realisasi", "laporan", "tanggapan", "penilaian", "penilaian-diri"])
def test_someone_with_no_business_on_the_appraisal_is_refused_and_nothing_is_written(login, session, org, entry):
    """doni (another agency) may not open ani's appraisal: each checkpoint form answers 403 as the page does,
    not a redirect to a page he cannot see."""
    appraisal_id = _monitoring(session, org, "solok-v2")
    response = login("doni").post(f"/penilaian/{appraisal_id}/titik-pantau/laporan_bulanan.2026-01/{entry}",
                                  data={"text": "Bukan urusan saya.", "value": "5", "indicator": "iki_1"})
    assert response.status_code == 403
    assert login("doni").post(f"/penilaian/999999/titik-pantau/laporan_bulanan.2026-01/{entry}",
                              data={"text": "x"}).status_code == 404
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(CheckpointEntry)) == 0


def test_a_result_waiting_for_the_quarters_says_so_in_words_not_by_its_input(app, session, org):
    """The annual rating from the quarters, before any quarter is rated, read 'menunggu series': the rule's
    input by its key. It names the checkpoint series by its label, in the reader's language."""
    from web.appraisals.present import missing_text

    defn = definition_of(_published(session, org, "permenpan-6-2022-v2"))
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert missing_text("series", defn, result="rating_hasil_kerja_triwulan") == "penilaian per triwulan"
    with app.test_request_context("/?lang=en", headers={"Accept-Language": "en"}):
        assert missing_text("series", defn, result="rating_hasil_kerja_triwulan") == "ratings per quarter"


def test_a_refused_self_assessment_comes_back_with_what_was_typed_and_the_reason_beside_it(login, session, org):
    """An answer left empty: the page came back empty (a redirect), three answers lost. It now comes back with
    the reason beside the form and each answer as typed, and nothing is stored."""
    appraisal_id = _monitoring(session, org, "permenpan-6-2022-v2")
    page = login("ani").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    action = re.search(r'action="(/penilaian/\d+/titik-pantau/([^/"]+)/penilaian-diri)"', page)
    assert action is not None
    questions = re.findall(r'name="(q-[a-z_]+)"', page.split(action.group(1), 1)[1].split("</form>", 1)[0])
    typed = {questions[0]: "Seribu berkas terverifikasi tepat waktu."}
    response = login("ani").post(action.group(1), data=typed)
    assert response.status_code == 422
    form = response.get_data(as_text=True).split(action.group(1), 1)[1].split("</form>", 1)[0]
    assert '<p class="error" role="alert">' in form
    assert ">Seribu berkas terverifikasi tepat waktu.</textarea>" in form
    session.rollback()
    assert session.scalar(select(func.count()).select_from(CheckpointEntry)) == 0


def test_a_checkpoint_realisation_left_empty_is_refused_as_empty_like_the_appraisals_own(login, session, org):
    """The checkpoint form parsed its number on its own and said 'must be a number' for an empty value; it reads
    numbers as the appraisal's realisation form does."""
    appraisal_id = _monitoring(session, org, "permenpan-6-2022-v2")
    response = login("ani").post(f"/penilaian/{appraisal_id}/titik-pantau/triwulan.2026-Q1/realisasi",
                                 data={"indicator": "iki_1", "value": " ", "note": "Catatan triwulan."})
    assert response.status_code == 422
    assert "Angkanya belum diisi" in response.get_data(as_text=True)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(CheckpointEntry)) == 0


def test_a_periodic_result_waiting_names_the_rating_fields_not_the_rules_inputs(login, session, org):
    """A quarter with a realisation and no rating yet read 'menunggu work_results, behaviour': the rule's input
    keys. It names the fields of the quarter's rating form the result reads."""
    appraisal_id = _monitoring(session, org, "bungo-v2")
    record_checkpoint_realisation(session, appraisal_id, org.actor("ani"), "evaluasi.2026-Q1", "iki_1", 300,
                                  now=datetime(2026, 2, 10, 3, tzinfo=UTC))
    page = login("ani").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    waiting = re.findall(r'<p class="waiting">([^<]*)</p>', page)
    assert "menunggu Hasil kerja, Sikap (BerAKHLAK)" in waiting, waiting
    assert not any("work_results" in w or "behaviour" in w for w in waiting)


def test_what_a_periodic_result_waits_for_is_named_by_iki_label_or_the_rules_description(app, session, org):
    from engine.checkpoints.timeline import SeriesView
    from web.checkpoints import waiting_text

    defn = definition_of(_published(session, org, "bungo-v2"))
    series = defn.checkpoint_series("evaluasi")
    view = SeriesView(series.id, series.label, series, [])
    with app.test_request_context(headers={"Accept-Language": "id"}):
        # work_results_rating waits for one IKI's achievement: the IKI by its label.
        assert waiting_text(view, "capaian", "achievements[iki_1]", (), {"iki_1": "Berkas terverifikasi"}) == (
            "Berkas terverifikasi")
        # No rating field to name it by: the rule's own description of the input, not its key.
        assert waiting_text(view, "nilai", "work_results", (), {}) != "work_results"
        assert waiting_text(view, "nilai", {"id": "rating triwulan", "en": "the quarter's rating"}, (), {}) == (
            "rating triwulan")
