"""The rating screen says what is missing, who can supply it and offers the way back.

When monitoring closed before every IKI had a realisation, the rater must not meet a bare refusal: the
page names the IKI, the result waiting for it, the stage where it can be recorded and by whom, and the
rater or HR can reopen monitoring from there."""

from __future__ import annotations

from engine.appraisals import fire_transition, record_realisation, set_skp
from tests.support.states import SESUAI, VALUES

SKP = [
    {"key": "iki_1", "label": "Persentase KTP-el terbit <= 3 hari", "target": 90, "weight": 60, "aspect": "waktu"},
    {"key": "iki_2", "label": "Jumlah berkas terverifikasi", "target": 1200, "weight": 40, "aspect": "kuantitas"},
]


def _closed_with_one_missing(session, org, appraisal_id: int) -> None:
    set_skp(session, appraisal_id, org.actor("ani"), SKP)
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"))
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"))
    record_realisation(session, appraisal_id, org.actor("ani"), "iki_1", 95)
    fire_transition(session, appraisal_id, "close_monitoring", org.actor("kabid"))


def _section(page: str) -> str:
    assert 'id="belum-lengkap-bagian"' in page, "the page does not say what is missing"
    return page.split('id="belum-lengkap-bagian"', 1)[1].split("</section>", 1)[0]


def test_the_rater_sees_which_iki_has_no_realisation_and_the_way_back(login, run, appraisal_of, session, org):
    appraisal = appraisal_of("ani")
    _closed_with_one_missing(session, org, appraisal.id)
    page = login("kabid").get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    gaps = _section(page)
    assert "Realisasi belum dicatat untuk IKI berikut:" in gaps
    assert "<li>Jumlah berkas terverifikasi" in gaps and "iki_2" not in gaps
    assert "iki_1" not in gaps.split("menunggu data ini")[0]
    assert "Rating hasil kerja menunggu data ini." in gaps
    assert ("Hanya dapat dicatat pada tahap «Pelaksanaan dan pemantauan», «Pemantauan dibuka kembali», "
            "oleh: Pegawai.") in gaps
    assert 'href="#aksi-reopen_monitoring"' in gaps and "Buka kembali pemantauan" in gaps
    assert 'id="aksi-reopen_monitoring"' in page


def test_the_employee_sees_what_is_missing_and_who_may_reopen(login, run, appraisal_of, session, org):
    appraisal = appraisal_of("ani")
    _closed_with_one_missing(session, org, appraisal.id)
    gaps = _section(login("ani").get(f"/penilaian/{appraisal.id}").get_data(as_text=True))
    assert "<li>Jumlah berkas terverifikasi" in gaps and "iki_2" not in gaps
    assert "Jalan kembali: «Buka kembali pemantauan», oleh Pejabat Penilai Kinerja, Pengelola Kinerja (SDM)." in gaps
    assert 'href="#aksi-reopen_monitoring"' not in gaps


def test_what_is_missing_reads_in_english(login, run, appraisal_of, session, org):
    appraisal = appraisal_of("ani")
    _closed_with_one_missing(session, org, appraisal.id)
    client = login("kabid")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    gaps = _section(client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True))
    assert "No realisation has been recorded for these IKI:" in gaps
    assert "Work-results rating waits for this data." in gaps
    assert "Can only be recorded at stage «Monitoring», «Monitoring reopened», by: Employee." in gaps
    assert "Reopen monitoring" in gaps


def test_reopening_from_the_screen_lets_the_employee_complete_and_the_rater_rate(login, run, appraisal_of,
                                                                                 session, org):
    appraisal = appraisal_of("ani")
    _closed_with_one_missing(session, org, appraisal.id)
    rater = login("kabid")
    refused = rater.post(f"/penilaian/{appraisal.id}/aksi/reopen_monitoring",
                         data={"version": appraisal_of("ani").version, "p-komentar": "kurang"})
    assert refused.status_code == 422 and appraisal_of("ani").state == "rate"
    reopened = rater.post(f"/penilaian/{appraisal.id}/aksi/reopen_monitoring",
                          data={"version": appraisal_of("ani").version, "p-komentar": "Realisasi IKI 2 belum dicatat."})
    assert reopened.status_code == 302 and appraisal_of("ani").state == "monitor_reopened"
    page = login("ani").get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert 'id="belum-lengkap-bagian"' not in page  # the employee can record it here: nothing is stuck
    record_realisation(session, appraisal.id, org.actor("ani"), "iki_2", 1200)
    fire_transition(session, appraisal.id, "close_monitoring", org.actor("kabid"))
    page = rater.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert 'id="belum-lengkap-bagian"' not in page
    fire_transition(session, appraisal.id, "rate", org.actor("kabid"), {"perilaku": {v: SESUAI for v in VALUES}})
    assert appraisal_of("ani").state == "review"
