""""Menunggu: ..." names each person the appraisal waits for once, however many of the next steps they may take."""

from __future__ import annotations

from tests.support.states import drive


def test_a_rater_who_may_take_two_steps_is_named_once_in_who_the_appraisal_waits_for(login, run, session, org,
                                                                                     appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "rate")
    page = login("ani").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    steps = page.split('id="langkah"', 1)[1].split("</section>", 1)[0]
    waiting = steps.split("Menunggu: ", 1)[1].split(".", 1)[0]
    assert waiting.count("Hendra Wijaya") == 1, waiting
    assert "Pejabat Penilai Kinerja (Hendra Wijaya)" in waiting
    assert "Beri penilaian" in steps and "Buka kembali pemantauan" in steps
