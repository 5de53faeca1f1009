"""Keberatan: the employee files it while the window is open (time left shown); the reviewer sees the
rater's rating and the employee's appeal side by side, then decides once."""

from __future__ import annotations

from engine.appraisals import fire_transition
from tests.support.states import SESUAI, VALUES, drive

REASON = "Realisasi triwulan empat belum dihitung oleh penilai."


def test_the_employee_sees_how_long_the_appeal_window_stays_open(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "rated")
    page = login("ani").get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    form = page.split('id="aksi-appeal"', 1)[1].split("</form>", 1)[0]
    assert "Hanya dapat dilakukan sampai" in form and "13 hari lagi" in form
    assert "Keberatan: pernyataan kedua pihak" not in page  # nothing to compare before an appeal


def test_the_reviewer_sees_the_rating_and_the_appeal_side_by_side(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "rate")
    fire_transition(session, appraisal_id, "rate", org.actor("kabid"),
                    {"perilaku": {**{v: SESUAI for v in VALUES}, "kompeten": "Di Atas Ekspektasi"},
                     "catatan": "Kinerja stabil sepanjang tahun."})
    fire_transition(session, appraisal_id, "confirm_rating", org.actor("kadis"))
    fire_transition(session, appraisal_id, "appeal", org.actor("ani"), {"alasan": REASON})
    page = login("kadis").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    sides = page.split("Keberatan: pernyataan kedua pihak", 1)[1].split('id="aksi"', 1)[0]
    rater, employee = sides.split("Keberatan pegawai", 1)
    assert "Penilaian pejabat penilai" in rater and "Beri penilaian" in rater
    assert "Kinerja stabil sepanjang tahun." in rater
    assert "Kompeten" in rater and "Di Atas Ekspektasi" in rater and "Harmonis" in rater
    assert "Predikat kinerja" in rater and "Rating hasil kerja" in rater
    assert REASON in employee and "Alasan keberatan" in employee
    assert "Kinerja stabil" not in employee
    assert 'id="aksi-decide_appeal"' in page and "Putuskan keberatan (final)" in page
    # the employee sees the same comparison on her own page
    assert REASON in login("ani").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
