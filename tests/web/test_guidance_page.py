"""The appraisal page guides each person: the comment addressed to them first, then what happens next, who
must do it, by when and what is still missing; a step nobody can take back is confirmed, without JavaScript."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.models import Appraisal
from tests.support.states import SKP, drive


def _page(login, who: str, appraisal_id: int) -> str:
    response = login(who).get(f"/penilaian/{appraisal_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_returned_plan_puts_the_raters_comment_above_everything_else(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "plan_review")
    fire_transition(session, appraisal_id, "return_plan", org.actor("kabid"), {"komentar": "Tambahkan satuan waktu."})
    page = _page(login, "ani", appraisal_id)
    top = page.split('id="skp"', 1)[0]
    assert "Pesan untuk Anda" in top and "Tambahkan satuan waktu." in top and "Hendra Wijaya" in top
    assert top.index("Pesan untuk Anda") < top.index("Langkah berikutnya")
    assert "Langkah berikutnya ada pada Anda." in top and 'href="#aksi-submit_plan"' in top


def test_a_submitted_plan_tells_the_employee_who_approves_it_and_by_when(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "plan_review")
    steps = _page(login, "ani", appraisal_id).split('id="langkah"', 1)[1].split("</section>", 1)[0]
    assert "Menunggu: Pejabat Penilai Kinerja (Hendra Wijaya)." in steps
    assert "Setujui SKP" in steps and "Kembalikan SKP" in steps
    assert "Tenggat tahap ini" in steps and "diteruskan kepada atasan" in steps


def test_monitoring_says_which_iki_has_no_realisation_and_who_may_record_it(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    set_skp(session, appraisal_id, org.actor("ani"), [
        {**SKP[0], "weight": 60},
        {"key": "iki_2", "label": "Laporan tepat waktu", "target": 12, "weight": 40, "aspect": "waktu"}])
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"))
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"))
    record_realisation(session, appraisal_id, org.actor("ani"), "iki_1", 90)
    steps = _page(login, "kabid", appraisal_id).split('id="langkah"', 1)[1].split("</section>", 1)[0]
    assert "Realisasi IKI 2 (Laporan tepat waktu) belum diisi; yang dapat mengisi: Pegawai." in steps
    assert "IKI 1" not in steps
    assert "Tutup pemantauan" in steps


def test_a_final_appeal_decision_needs_the_confirmation_ticked_and_keeps_what_was_typed(login, run, session, org,
                                                                                         appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "appeal")
    client = login("kadis")
    page = client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    form = page.split('id="aksi-decide_appeal"', 1)[1].split("</form>", 1)[0]
    assert 'name="konfirmasi"' in form and "tidak dapat dibatalkan" in form
    decision = {"version": str(appraisal_of("ani").version), "p-keputusan": "tetap",
                "p-pertimbangan": "Rating sudah sesuai bukti dukung."}
    refused = client.post(f"/penilaian/{appraisal_id}/aksi/decide_appeal", data=decision)
    assert refused.status_code == 422
    shown = refused.get_data(as_text=True).split('id="aksi-decide_appeal"', 1)[1].split("</form>", 1)[0]
    assert "Centang konfirmasi" in shown and "Rating sudah sesuai bukti dukung." in shown
    assert appraisal_of("ani").state == "appeal"  # nothing was decided
    decided = client.post(f"/penilaian/{appraisal_id}/aksi/decide_appeal", data={**decision, "konfirmasi": "1"})
    assert decided.status_code == 302 and appraisal_of("ani").state == "develop"


def test_a_step_that_can_be_returned_asks_no_confirmation(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "plan_review")
    page = _page(login, "kabid", appraisal_id)
    assert 'name="konfirmasi"' not in page


def test_home_shows_the_predicate_of_my_appraisal_once_rated(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "rated")
    home = login("ani").get("/").get_data(as_text=True)
    mine = home.split('id="mine"', 1)[1].split("</section>", 1)[0]
    assert "Predikat" in mine and "Baik" in mine and "Predikat akhir" in mine


def test_home_never_says_nothing_waits_while_my_own_appraisal_waits_for_me(login, run, session, org, appraisal_of):
    home = login("ani").get("/").get_data(as_text=True)
    waiting = home.split('id="waiting"', 1)[1].split("</section>", 1)[0]
    assert "Penilaian Anda sendiri" in waiting and "Ajukan SKP" in waiting
    assert "Tidak ada penilaian yang menunggu tindakan Anda." not in waiting
    drive(session, org, appraisal_of("ani").id, "ani", "plan_review")
    home = login("ani").get("/").get_data(as_text=True)
    waiting = home.split('id="waiting"', 1)[1].split("</section>", 1)[0]
    assert "Tidak ada penilaian yang menunggu tindakan Anda." in waiting
    assert "chip" not in waiting and "Ajukan SKP" not in home  # no action offered where nothing waits


def test_an_appeal_whose_window_closed_is_shown_as_closed_not_as_late(login, run, session, org, appraisal_of):
    """The rating stays 'rated' until the sweep accepts it; meanwhile the appeal is no step anyone can take."""
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "rated")
    appraisal = appraisal_of("ani")
    rated = datetime.fromisoformat(appraisal.state_entries["rated"]) - timedelta(days=20)
    session.execute(update(Appraisal).where(Appraisal.id == appraisal_id).values(
        state_entries={**appraisal.state_entries, "rated": rated.isoformat()}))
    session.commit()
    steps = _page(login, "ani", appraisal_id).split('id="langkah"', 1)[1].split("</section>", 1)[0]
    appeal = steps.split("Ajukan keberatan", 1)[1].split("Terima hasil penilaian", 1)[0]
    assert "Tidak dapat dilakukan lagi: waktunya berakhir pada" in appeal and "terlambat" not in appeal
    assert 'id="aksi-appeal"' not in _page(login, "ani", appraisal_id)
    refused = login("ani").post(f"/penilaian/{appraisal_id}/aksi/appeal", data={
        "p-alasan": "Realisasi belum lengkap dihitung.", "konfirmasi": "1", "version": str(appraisal.version)})
    assert refused.status_code == 409
    assert "langkah itu tidak dapat dilakukan lagi" in refused.get_data(as_text=True)
