"""The cascade on the screens: the SKP editor links the leader's RHK by id, the leader's page rolls the
subordinates' achievement up with its arithmetic, the PDF names both, the leader sets the team's IKI,
the unit's RHK tree is for its head and HR, and the leader's behaviour expectations sit beside the
behaviour rating form.

The organisation (tests/support/factories.py): kabid heads the bidang and rates ani and budi; kadis
heads the dinas above; hr oversees the dinas; doni and hr_lain belong to another dinas.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import event, select

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.models import Indicator
from engine.runs import find_unit
from tests.support.pdf import pdf_text as drawn_text
from web.extensions import db


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF, with the string escapes of parentheses undone."""
    return drawn_text(content).replace("\\(", "(").replace("\\)", ")")


LEADER_SKP = [
    {"key": "iki_1", "rhk": "Meningkatnya layanan adminduk", "label": "Indeks kepuasan layanan", "target": 100},
    {"key": "iki_2", "rhk": "Tersusunnya laporan kinerja", "label": "Laporan tepat waktu", "target": 4},
]


@pytest.fixture
def leader_iki(session, logins, appraisal_of):
    """kabid's written SKP; the id of its first IKI."""
    set_skp(session, appraisal_of("kabid").id, logins.actor("kabid"), LEADER_SKP)
    return session.scalars(select(Indicator.id).where(Indicator.appraisal_id == appraisal_of("kabid").id,
                                                      Indicator.key == "iki_1")).one()


def editor_form(appraisal, rows: list[dict], **extra) -> dict:
    form = {"version": str(appraisal.version), **extra}
    for n, row in enumerate(rows, start=1):
        form.update({f"iki-{n}-{k}": str(v) for k, v in row.items()})
    return form


def approve(session, org, appraisal_id: int, who: str) -> None:
    fire_transition(session, appraisal_id, "submit_plan", org.actor(who))
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"))


def test_the_employee_links_the_leaders_rhk_in_the_editor_and_it_survives_a_reload(login, appraisal_of, leader_iki,
                                                                                   session):
    client = login("ani")
    page = client.get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    assert f'<option value="{leader_iki}">Hendra Wijaya: Meningkatnya layanan adminduk · Indeks kepuasan' in page
    response = client.post(f"/penilaian/{appraisal_of('ani').id}/skp", data=editor_form(appraisal_of("ani"), [
        {"key": "", "rhk": "Layanan KTP-el", "parent_id": leader_iki, "label": "KTP-el terbit", "target": "90"}]))
    assert response.status_code == 302
    session.expire_all()
    assert session.scalars(select(Indicator.parent_id).where(
        Indicator.appraisal_id == appraisal_of("ani").id)).one() == leader_iki
    page = client.get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    assert "Mendukung RHK Hendra Wijaya: Meningkatnya layanan adminduk · Indeks kepuasan layanan" in page
    assert f'<option value="{leader_iki}" selected>' in page


def test_a_link_to_someone_elses_rhk_is_refused_in_the_readers_language(login, appraisal_of, session, logins):
    set_skp(session, appraisal_of("kadis").id, logins.actor("kadis"), LEADER_SKP)
    kadis_iki = session.scalars(select(Indicator.id).where(Indicator.appraisal_id == appraisal_of("kadis").id)).first()
    client = login("ani")
    form = editor_form(appraisal_of("ani"), [{"key": "", "parent_id": kadis_iki, "label": "KTP-el", "target": "9"}])
    response = client.post(f"/penilaian/{appraisal_of('ani').id}/skp", data=form)
    assert response.status_code == 422
    assert "RHK yang didukung harus milik pejabat penilai (atasan langsung) pegawai." in response.get_data(as_text=True)
    client.post("/bahasa", data={"lang": "en"})
    response = client.post(f"/penilaian/{appraisal_of('ani').id}/skp", data=form)
    assert "the RHK supported must be the rater&#39;s (the employee&#39;s direct supervisor)." in response.get_data(
        as_text=True)
    assert session.scalars(select(Indicator).where(Indicator.appraisal_id == appraisal_of("ani").id)).all() == []


def test_the_leaders_page_and_pdf_show_the_rolled_up_achievement_of_three_subordinate_rhk(
        login, appraisal_of, leader_iki, session, logins):
    org = logins
    ani, budi = appraisal_of("ani").id, appraisal_of("budi").id
    set_skp(session, ani, org.actor("ani"), [
        {"key": "iki_1", "rhk": "Layanan KTP-el", "label": "KTP-el terbit", "target": 100, "parent_id": leader_iki},
        {"key": "iki_2", "rhk": "Layanan akta", "label": "Akta terbit", "target": 100, "parent_id": leader_iki}])
    set_skp(session, budi, org.actor("budi"), [
        {"key": "iki_1", "rhk": "Layanan KIA", "label": "KIA terbit", "target": 100, "parent_id": leader_iki}])
    for aid, who in ((ani, "ani"), (budi, "budi")):
        approve(session, org, aid, who)
    record_realisation(session, ani, org.actor("ani"), "iki_1", 90)
    record_realisation(session, ani, org.actor("ani"), "iki_2", 110)
    record_realisation(session, budi, org.actor("budi"), "iki_1", 80)

    page = login("kabid").get(f"/penilaian/{appraisal_of('kabid').id}").get_data(as_text=True)
    assert "Didukung 3 RHK bawahan" in page
    assert "Ani Lestari · Layanan KTP-el (KTP-el terbit): 90%" in page
    assert "Budi Santoso · Layanan KIA (KIA terbit): 80%" in page
    assert "Rata-rata capaian 3 RHK bawahan: (90% + 110% + 80%) / 3 = 93,33%" in page

    leader_pdf = pdf_text(login("kabid").get(f"/laporan/penilaian/{appraisal_of('kabid').id}.pdf").get_data())
    assert "Rata-rata capaian 3 RHK bawahan: (90% + 110% + 80%) / 3 = 93,33%" in leader_pdf
    staff_pdf = pdf_text(login("ani").get(f"/laporan/penilaian/{ani}.pdf").get_data())
    assert "KTP-el terbit mendukung RHK Hendra Wijaya: Meningkatnya layanan adminduk - Indeks kepuasan layanan" \
        in staff_pdf


@pytest.mark.parametrize(("who", "status"), [("kabid", 302), ("doni", 403), ("kadis", 403), ("hr", 403)])
def test_the_leader_sets_iki_for_a_team_member_and_a_stranger_cannot(login, appraisal_of, leader_iki, session,
                                                                       who, status):
    ani = appraisal_of("ani")
    form = editor_form(ani, [{"key": "", "rhk": "Layanan KTP-el", "parent_id": leader_iki, "label": "KTP-el terbit",
                              "target": "75"}], sebagai_atasan="1")
    response = login(who).post(f"/penilaian/{ani.id}/skp", data=form)
    assert response.status_code == status
    rows = session.scalars(select(Indicator).where(Indicator.appraisal_id == ani.id)).all()
    if status == 302:
        assert [(r.label, r.target, r.parent_id, r.set_role) for r in rows] == [
            ("KTP-el terbit", 75, leader_iki, "penilai")]
    else:
        assert rows == []


def test_the_leader_sees_the_team_members_editor_as_their_leader(login, appraisal_of, leader_iki):
    page = login("kabid").get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    assert 'name="sebagai_atasan" value="1"' in page and 'id="skp-editor"' in page
    own = login("ani").get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    assert 'id="skp-editor"' in own and 'name="sebagai_atasan"' not in own


@pytest.mark.parametrize(("who", "status"), [("kabid", 200), ("kadis", 200), ("hr", 200), ("admin", 200),
                                             ("ani", 403), ("doni", 403), ("hr_lain", 403)])
def test_the_unit_rhk_tree_is_for_its_head_and_hr(login, appraisal_of, leader_iki, session, logins, who, status):
    set_skp(session, appraisal_of("ani").id, logins.actor("ani"), [
        {"key": "iki_1", "rhk": "Layanan KTP-el", "label": "KTP-el terbit", "target": 100, "parent_id": leader_iki}])
    bidang = find_unit(session, "BIDANG").id
    response = login(who).get(f"/unit/{bidang}/pohon-rhk")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    if status == 200:
        assert "Pohon RHK: Bidang Pelayanan" in html
        assert html.index("Meningkatnya layanan adminduk") < html.index("Layanan KTP-el")
        assert "Belum ada capaian dari 1 RHK bawahan." in html
    else:
        assert "Layanan KTP-el" not in html


def test_a_period_the_tree_does_not_have_is_refused_by_name(login, appraisal_of, leader_iki, session):
    """?periode=abc showed the newest period as if it had been chosen."""
    bidang = find_unit(session, "BIDANG").id
    response = login("kabid").get(f"/unit/{bidang}/pohon-rhk?periode=abc")
    assert response.status_code == 422
    assert ("Pohon RHK Bidang Pelayanan tidak mempunyai periode «abc»; pilih salah satu dari: 2026."
            in html.unescape(response.get_data(as_text=True)))
    assert login("kabid").get(f"/unit/{bidang}/pohon-rhk?periode=2026").status_code == 200


def test_the_tree_index_takes_a_head_to_their_unit(login, run, session):
    response = login("kabid").get("/pohon-rhk")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/unit/{find_unit(session, 'BIDANG').id}/pohon-rhk")
    assert "Anda bukan keduanya" in login("ani").get("/pohon-rhk").get_data(as_text=True)


def test_the_rater_records_expectations_at_planning_and_they_sit_beside_the_behaviour_form(
        login, appraisal_of, session, logins):
    ani = appraisal_of("ani")
    client = login("kabid")
    assert 'id="ekspektasi-form"' in client.get(f"/penilaian/{ani.id}").get_data(as_text=True)
    response = client.post(f"/penilaian/{ani.id}/ekspektasi", data={
        "version": str(ani.version), "ekspektasi-akuntabel": "Laporan keuangan tanpa temuan.",
        "ekspektasi-kolaboratif": "Aktif di tim lintas bidang."})
    assert response.status_code == 302
    assert 'id="ekspektasi-form"' not in login("ani").get(f"/penilaian/{ani.id}").get_data(as_text=True)
    ani = appraisal_of("ani")  # read again: the screen changed it
    set_skp(session, ani.id, logins.actor("ani"), [{"key": "iki_1", "label": "Berkas", "target": 1}])
    approve(session, logins, ani.id, "ani")
    record_realisation(session, ani.id, logins.actor("ani"), "iki_1", 1)
    fire_transition(session, ani.id, "close_monitoring", logins.actor("kabid"))
    page = login("kabid").get(f"/penilaian/{ani.id}").get_data(as_text=True)
    form = page[page.index('id="aksi-rate"'):]
    form = form[:form.index("</form>")]
    assert "Ekspektasi khusus pimpinan" in form and "Laporan keuangan tanpa temuan." in form
    assert 'id="ekspektasi-form"' not in page  # planning is over: shown, no longer edited
    pdf = pdf_text(login("ani").get(f"/laporan/penilaian/{ani.id}.pdf").get_data())
    assert "Akuntabel: Laporan keuangan tanpa temuan." in pdf


def test_an_expectation_for_an_unknown_value_is_refused_with_the_input_kept(login, appraisal_of):
    ani = appraisal_of("ani")
    response = login("kabid").post(f"/penilaian/{ani.id}/ekspektasi", data={
        "version": str(ani.version), "ekspektasi-akuntabel": "Tepat waktu.", "ekspektasi-jujur": "Selalu."})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nilai BerAKHLAK tidak dikenal: jujur." in html and "Tepat waktu.</textarea>" in html


def test_the_tree_is_read_in_a_fixed_number_of_statements(app, login, appraisal_of, leader_iki, session, logins):
    client = login("kabid")
    bidang = find_unit(session, "BIDANG").id

    def statements() -> int:
        seen: list[str] = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/unit/{bidang}/pohon-rhk").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    linked = {"key": "iki_1", "rhk": "Layanan", "label": "Layanan terbit", "target": 100, "parent_id": leader_iki}
    set_skp(session, appraisal_of("ani").id, logins.actor("ani"), [linked])
    few = statements()
    set_skp(session, appraisal_of("budi").id, logins.actor("budi"), [linked, {**linked, "key": "iki_2"}])
    assert statements() == few


# -- the leader's IKI is the leader's on the screen ------------------------------------------------------

@pytest.fixture
def leaders_iki_for_ani(session, logins, appraisal_of, leader_iki):
    """kabid set ani's IKI at planning; the row as the editor posts it."""
    from engine.appraisals import set_team_skp
    set_team_skp(session, appraisal_of("ani").id, logins.actor("kabid"), [
        {"key": "iki_1", "rhk": "Layanan KTP-el", "parent_id": leader_iki, "label": "KTP-el terbit", "target": 75}])
    return {"key": "iki_1", "rhk": "Layanan KTP-el", "parent_id": leader_iki, "label": "KTP-el terbit",
            "target": "75"}


def test_the_employee_sees_the_leaders_iki_without_fields_to_change_it(login, appraisal_of, leaders_iki_for_ani):
    ani = appraisal_of("ani")
    page = html.unescape(login("ani").get(f"/penilaian/{ani.id}").get_data(as_text=True))
    editor = page.split('id="skp-editor"')[1].split("</form>")[0]
    assert "IKI ini ditetapkan pimpinan oleh Hendra Wijaya (Pejabat Penilai Kinerja)" in editor
    assert "tambahkan IKI Anda sendiri" in editor
    assert 'id="iki-1-target"' not in editor and 'name="iki-1-remove"' not in editor
    assert 'id="iki-2-target"' in editor  # a blank row for an IKI of their own
    # The leader keeps the fields of what they set.
    leader = login("kabid").get(f"/penilaian/{ani.id}").get_data(as_text=True)
    assert 'id="iki-1-target"' in leader.split('id="skp-editor"')[1]


@pytest.mark.parametrize("forged", [
    {"target": "5"},                   # a hidden field changed by hand
    {"label": "KTP-el terbit sebagian"},
    {"remove": "1"},                   # the row removed
])
def test_a_forged_form_cannot_change_the_leaders_iki(login, appraisal_of, leaders_iki_for_ani, session, forged):
    ani = appraisal_of("ani")
    response = login("ani").post(f"/penilaian/{ani.id}/skp",
                                 data=editor_form(ani, [{**leaders_iki_for_ani, **forged}]))
    assert response.status_code == 403
    page = html.unescape(response.get_data(as_text=True))
    assert "IKI «KTP-el terbit» ditetapkan oleh pimpinan, Hendra Wijaya (Pejabat Penilai Kinerja)" in page
    # The form shows the leader's values again, not the forged ones.
    assert "KTP-el terbit sebagian" not in page.split('id="skp-editor"')[1]
    session.expire_all()
    row = session.scalars(select(Indicator).where(Indicator.appraisal_id == ani.id)).one()
    assert (row.target, row.label, row.set_role) == (75, "KTP-el terbit", "penilai")


def test_the_employee_adds_their_own_iki_beside_the_leaders(login, appraisal_of, leaders_iki_for_ani, session):
    ani = appraisal_of("ani")
    own = {"key": "", "rhk": "Arsip", "label": "Berkas diarsipkan", "target": "30"}
    response = login("ani").post(f"/penilaian/{ani.id}/skp", data=editor_form(ani, [leaders_iki_for_ani, own]))
    assert response.status_code == 302
    rows = session.scalars(select(Indicator).where(Indicator.appraisal_id == ani.id).order_by(Indicator.position))
    assert [(r.label, r.set_role) for r in rows] == [("KTP-el terbit", "penilai"), ("Berkas diarsipkan", "pegawai")]
