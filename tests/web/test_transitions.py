"""Firing transitions and editing the SKP through the forms of the appraisal page."""

from __future__ import annotations

from sqlalchemy import select

from engine.appraisals import fire_transition, set_skp
from engine.models import AuditEvent, Indicator
from tests.support.states import SKP, VALUES, drive

PLAN = {
    "iki-1-key": "", "iki-1-rhk": "Layanan KTP-el tepat waktu", "iki-1-parent_rhk": "Pelayanan adminduk prima",
    "iki-1-label": "Persentase KTP-el terbit <= 3 hari", "iki-1-aspect": "waktu", "iki-1-target": "90",
    "iki-1-unit": "%", "iki-1-weight": "60",
    "iki-2-key": "", "iki-2-rhk": "Layanan KTP-el tepat waktu", "iki-2-parent_rhk": "",
    "iki-2-label": "Jumlah berkas terverifikasi", "iki-2-aspect": "kuantitas", "iki-2-target": "1.200",
    "iki-2-unit": "berkas", "iki-2-weight": "40",
    "iki-3-key": "", "iki-3-rhk": "", "iki-3-parent_rhk": "", "iki-3-label": "", "iki-3-aspect": "",
    "iki-3-target": "", "iki-3-unit": "", "iki-3-weight": "",
}


def _submit_plan(session, org, appraisal_id):
    set_skp(session, appraisal_id, org.actor("ani"), SKP)
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"))


def test_employee_drafts_the_skp_then_submits_it(login, run, appraisal_of, session):
    client = login("ani")
    appraisal = appraisal_of("ani")
    saved = client.post(f"/penilaian/{appraisal.id}/skp", data={**PLAN, "version": appraisal.version})
    assert saved.status_code == 302
    rows = session.scalars(select(Indicator).where(Indicator.appraisal_id == appraisal.id)
                           .order_by(Indicator.position)).all()
    assert [(r.label, r.target, r.weight, r.parent_rhk) for r in rows] == [
        ("Persentase KTP-el terbit <= 3 hari", 90, 60, "Pelayanan adminduk prima"),
        ("Jumlah berkas terverifikasi", 1200, 40, None),
    ]
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "SKP disimpan (2 IKI)." in page and "Jumlah berkas terverifikasi" in page

    fresh = appraisal_of("ani")
    fired = client.post(f"/penilaian/{fresh.id}/aksi/submit_plan", data={"version": fresh.version})
    assert fired.status_code == 302
    assert appraisal_of("ani").state == "plan_review"
    page = client.get(f"/penilaian/{fresh.id}").get_data(as_text=True)
    assert "Ajukan SKP: penilaian kini pada tahap «Persetujuan SKP»." in page


def test_skp_errors_are_shown_next_to_the_editor_with_the_input_kept(login, run, appraisal_of):
    appraisal = appraisal_of("ani")
    wrong = {**PLAN, "iki-2-weight": "30", "version": appraisal.version}
    response = login("ani").post(f"/penilaian/{appraisal.id}/skp", data=wrong)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    editor = page.split('id="skp-editor"', 1)[1]
    assert "Bobot IKI harus diisi semua dan berjumlah 100; kini berjumlah 90" in editor
    assert 'value="30"' in editor and "Persentase KTP-el terbit &lt;= 3 hari" in editor
    assert appraisal_of("ani").version == appraisal.version


def test_the_editor_adds_and_removes_rows_without_javascript(login, run, appraisal_of, session, org):
    set_skp(session, appraisal_of("ani").id, org.actor("ani"), SKP)
    appraisal = appraisal_of("ani")
    client = login("ani")
    more = client.post(f"/penilaian/{appraisal.id}/skp", data={**PLAN, "add_row": "1"})
    assert more.status_code == 200 and 'name="iki-3-label"' in more.get_data(as_text=True)
    removed = client.post(f"/penilaian/{appraisal.id}/skp",
                          data={**PLAN, "iki-1-remove": "1", "iki-2-weight": "100", "version": appraisal.version})
    assert removed.status_code == 302
    labels = session.scalars(select(Indicator.label).where(Indicator.appraisal_id == appraisal.id)).all()
    assert labels == ["Jumlah berkas terverifikasi"]


def test_submitting_an_empty_plan_names_the_guard_in_indonesian(login, run, appraisal_of):
    appraisal = appraisal_of("ani")
    response = login("ani").post(f"/penilaian/{appraisal.id}/aksi/submit_plan", data={"version": appraisal.version})
    assert response.status_code == 409
    assert "SKP harus memuat paling sedikit satu IKI." in response.get_data(as_text=True)
    assert appraisal_of("ani").state == "plan"


def test_returning_the_plan_without_a_comment_shows_the_payload_error(login, run, appraisal_of, session, org):
    _submit_plan(session, org, appraisal_of("ani").id)
    appraisal = appraisal_of("ani")
    response = login("kabid").post(f"/penilaian/{appraisal.id}/aksi/return_plan",
                                   data={"version": appraisal.version, "p-komentar": "  "})
    assert response.status_code == 422
    form = response.get_data(as_text=True).split('id="aksi-return_plan"', 1)[1].split("</form>", 1)[0]
    assert "Wajib diisi." in form and 'aria-invalid="true"' in form
    # The refusal names the field by its label on the form, not by its key in the payload.
    assert "belum lengkap atau belum benar; periksa Komentar untuk pegawai." in response.get_data(as_text=True)
    after = appraisal_of("ani")
    assert after.state == "plan_review" and after.version == appraisal.version


def test_a_too_short_comment_is_named_with_the_minimum_and_kept(login, run, appraisal_of, session, org):
    _submit_plan(session, org, appraisal_of("ani").id)
    appraisal = appraisal_of("ani")
    response = login("kabid").post(f"/penilaian/{appraisal.id}/aksi/return_plan",
                                   data={"version": appraisal.version, "p-komentar": "ok"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Terlalu pendek: paling sedikit 3 karakter." in page and ">ok</textarea>" in page


def test_returning_the_plan_with_a_comment_sends_it_back(login, run, appraisal_of, session, org):
    _submit_plan(session, org, appraisal_of("ani").id)
    appraisal = appraisal_of("ani")
    client = login("kabid")
    response = client.post(f"/penilaian/{appraisal.id}/aksi/return_plan",
                           data={"version": appraisal.version, "p-komentar": "Target IKI 1 terlalu rendah"})
    assert response.status_code == 302
    assert appraisal_of("ani").state == "plan"
    history = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True).split("Riwayat", 1)[1]
    assert "Kembalikan SKP" in history and "Target IKI 1 terlalu rendah" in history
    assert "Persetujuan SKP → Penyusunan SKP" in history


def test_a_stale_page_gets_a_conflict_and_nothing_changes(login, run, appraisal_of, session, org):
    _submit_plan(session, org, appraisal_of("ani").id)
    seen = appraisal_of("ani").version
    set_skp_again = appraisal_of("ani")
    # Someone else acts in the meantime: kabid returns the plan in another tab, ani resubmits it.
    fire_transition(session, set_skp_again.id, "return_plan", org.actor("kabid"), {"komentar": "Perbaiki target"})
    fire_transition(session, set_skp_again.id, "submit_plan", org.actor("ani"))
    current = appraisal_of("ani")
    events = session.scalars(select(AuditEvent.id).where(AuditEvent.appraisal_id == current.id)).all()
    response = login("kabid").post(f"/penilaian/{current.id}/aksi/approve_plan", data={"version": seen})
    assert response.status_code == 409
    assert "telah diubah orang lain sejak halaman Anda dibuka" in response.get_data(as_text=True)
    after = appraisal_of("ani")
    assert (after.state, after.version) == ("plan_review", current.version)
    assert session.scalars(select(AuditEvent.id).where(AuditEvent.appraisal_id == current.id)).all() == events


def test_rater_rates_the_seven_values_through_the_form(login, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "rate")
    appraisal = appraisal_of("ani")
    client = login("kabid")
    partial = {f"p-perilaku-{v}": "Sesuai Ekspektasi" for v in VALUES[:-1]}
    response = client.post(f"/penilaian/{appraisal.id}/aksi/rate", data={"version": appraisal.version, **partial})
    assert response.status_code == 422
    form = response.get_data(as_text=True).split('id="aksi-rate"', 1)[1].split("</form>", 1)[0]
    assert form.count("Wajib diisi.") == 1  # only 'kolaboratif' is missing
    assert "periksa Kolaboratif." in response.get_data(as_text=True)
    assert "perilaku/" not in response.get_data(as_text=True)
    assert '<option value="Sesuai Ekspektasi" selected>' in form  # the other six kept
    full = {**partial, "p-perilaku-kolaboratif": "Di Atas Ekspektasi", "p-catatan": "Konsisten sepanjang tahun."}
    response = client.post(f"/penilaian/{appraisal.id}/aksi/rate", data={"version": appraisal.version, **full})
    assert response.status_code == 302
    after = appraisal_of("ani")
    assert after.state == "review"
    assert after.data["penilaian"]["perilaku"]["kolaboratif"] == "Di Atas Ekspektasi"


def test_someone_without_the_role_cannot_fire_even_by_crafting_the_post(login, run, appraisal_of, session, org):
    _submit_plan(session, org, appraisal_of("ani").id)
    appraisal = appraisal_of("ani")
    response = login("ani").post(f"/penilaian/{appraisal.id}/aksi/approve_plan", data={"version": appraisal.version})
    assert response.status_code == 403
    assert appraisal_of("ani").state == "plan_review"
    response = login("doni").post(f"/penilaian/{appraisal.id}/aksi/approve_plan", data={"version": appraisal.version})
    assert response.status_code == 403


def test_the_rater_previews_the_predicate_before_rating(login, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "rate")
    appraisal = appraisal_of("ani")
    rating = {f"p-perilaku-{v}": "Sesuai Ekspektasi" for v in VALUES}
    response = login("kabid").post(f"/penilaian/{appraisal.id}/aksi/rate",
                                   data={"version": appraisal.version, "preview": "1", **rating})
    assert response.status_code == 200
    form = response.get_data(as_text=True).split('id="aksi-rate"', 1)[1].split("</form>", 1)[0]
    assert "Pratinjau hasil (belum disimpan)" in form
    assert "Predikat kinerja:" in form and "Rating perilaku kerja:" in form
    assert form.count('<option value="Sesuai Ekspektasi" selected>') == 7
    after = appraisal_of("ani")
    assert (after.state, after.version) == ("rate", appraisal.version)
