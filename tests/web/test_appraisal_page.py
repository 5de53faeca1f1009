"""The appraisal page: who may open it, and what it shows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import Appraisal, Result
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.factories import national_source
from tests.support.states import drive


def test_employee_sees_state_deadline_skp_and_history(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    page = login("ani").get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    assert "Ani Lestari" in page and "Pelaksanaan dan pemantauan" in page
    assert "Pemantauan" in page  # the stage
    assert "Berkas terverifikasi" in page  # the IKI of the SKP
    assert "Riwayat" in page and "Setujui SKP" in page and "Hendra Wijaya" in page  # who approved it
    assert "Persetujuan SKP → Pelaksanaan dan pemantauan" in page
    assert "Catat realisasi" in page  # the employee may record realisations while monitoring
    assert 'id="aksi-close_monitoring"' not in page  # only the rater or HR close monitoring


def test_rater_sees_the_rating_form_with_the_seven_berakhlak_values(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "rate")
    page = login("kabid").get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    assert 'id="aksi-rate"' in page
    for label in ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"]:
        assert f">{label} " in page or f">{label}<" in page
    assert page.count('name="p-perilaku-') == 7
    assert '<option value="Di Atas Ekspektasi">' in page
    assert 'name="p-catatan"' in page and "<textarea" in page


def test_reviewer_sees_results_with_explanations(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "review")
    client = login("kadis")
    page = client.get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    assert "Pemeriksaan atasan pejabat penilai" in page
    assert "Rating hasil kerja" in page and "Predikat kinerja" in page
    assert "Tetapkan hasil penilaian" in page and "Kembalikan ke penilai" in page
    assert "rating hasil kerja adalah" in page  # the rule's explanation, in Indonesian
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    english = client.get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    assert "Performance predicate" in english and "the work-results rating is" in english
    assert "Confirm the rating" in english


def test_a_result_still_waiting_says_what_it_waits_for(login, run, session, org, appraisal_of):
    appraisal = appraisal_of("ani")
    session.add(Result(appraisal_id=appraisal.id, name="predikat", value=None,
                       explanation={"id": "Predikat belum dapat dihitung.", "en": "Cannot be computed yet."},
                       missing=["results.rating_perilaku"]))
    session.commit()
    page = login("ani").get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    # What it waits for is named by the result's label, never its key (it read "menunggu results.rating_perilaku").
    assert "menunggu Rating perilaku kerja" in page and "Predikat belum dapat dihitung." in page
    assert "results.rating_perilaku" not in page


@pytest.mark.parametrize(("user", "status"), [
    ("ani", 200),      # pegawai: self
    ("kabid", 200),    # pejabat penilai
    ("kadis", 200),    # atasan pejabat penilai
    ("hr", 200),       # SDM of DINAS
    ("admin", 200),    # admin: every unit
    ("budi", 403),     # a peer: the national cycle gives peers no role
    ("doni", 403),     # another agency
    ("hr_lain", 403),  # HR of another agency
])
def test_who_may_open_ani_appraisal(login, run, appraisal_of, user, status):
    response = login(user).get(f"/penilaian/{appraisal_of('ani').id}")
    assert response.status_code == status
    if status == 403:
        page = response.get_data(as_text=True)
        assert "Akses ditolak" in page and "Access denied" not in page  # one language on a page
        assert "Ani Lestari" not in page


def test_anonymous_is_sent_to_login(client, run, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    response = client.get(f"/penilaian/{appraisal_id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=")


def test_an_unknown_appraisal_is_a_404_page(login, run):
    response = login("ani").get("/penilaian/999999")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def _with_peers(session, org, cycle_id: str, work: str = ""):
    """The national cycle with a peer role (rekan), its transitions given ``work`` too; ani's appraisal in it."""
    source = national_source().replace("id: permenpan-6-2022", f"id: {cycle_id}", 1).replace(
        "roles:\n", "roles:\n  rekan:\n    resolver: peers\n    label: {id: Rekan kerja, en: Peer}\n", 1)
    if work:
        source = source.replace(work, work.replace("roles: [", "roles: [rekan, "), 1)
        assert "roles: [rekan, " in source
    record = publish_source(session, source, f"{cycle_id}.yaml", org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    return session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                   Appraisal.employee_id == org.people["ani"].id)).one()


def test_a_peer_role_with_work_on_the_appraisal_lets_a_peer_open_the_page(login, logins, session, org):
    ani = _with_peers(session, org, "rekan-bekerja", work="roles: [penilai]")
    page = login("budi").get(f"/penilaian/{ani.id}")
    assert page.status_code == 200 and "Rekan kerja" in page.get_data(as_text=True)
    assert login("doni").get(f"/penilaian/{ani.id}").status_code == 403


def test_a_peer_role_with_nothing_to_do_opens_nothing(login, logins, session, org):
    """Holding a role the cycle gives no transition, edit or checkpoint is no reason to read a colleague's ratings."""
    ani = _with_peers(session, org, "dengan-rekan")
    assert login("budi").get(f"/penilaian/{ani.id}").status_code == 403
