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


def test_a_step_nobody_holds_says_so_and_who_can_help(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "plan_review")
    org.people["ani"].supervisor_id = None  # no direct supervisor on record: nobody is her rater
    session.commit()
    page = login("ani").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    steps = page.split('id="langkah"', 1)[1].split("</section>", 1)[0]
    assert "Menunggu: Pejabat Penilai Kinerja (belum ada pemegangnya)." in steps
    assert "Belum ada yang dapat melakukan langkah berikutnya" in steps and "SDM" in steps
    # HR, who can help, reads the same, in English too.
    hr = login("hr")
    assert "Belum ada yang dapat melakukan langkah berikutnya" in hr.get(f"/penilaian/{appraisal_id}").get_data(
        as_text=True)
    hr.post("/bahasa", data={"lang": "en"})
    english = hr.get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    steps = english.split('id="langkah"', 1)[1].split("</section>", 1)[0]
    assert "(nobody holds it yet)" in steps and "Nobody can take the next step yet" in steps, steps


def test_a_step_someone_holds_has_no_such_warning(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "plan_review")
    page = login("ani").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    assert "belum ada pemegangnya" not in page and "Belum ada yang dapat melakukan" not in page
