"""Users and role grants, and the organisation import, as HR officers use them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from engine.errors import Forbidden, InvalidInput
from engine.models import AuditEvent, Employee, OrgUnit, RoleGrant, User
from engine.orgimport import may_import
from engine.users import create_user, grant_role, revoke_role, seed_grant
from tests.support.factories import add_pemda_hr
from tests.web.conftest import PASSWORD


@pytest.fixture
def newcomer(session, org):
    """An employee of BIDANG (inside DINAS) without a login yet."""
    e = Employee(nip="199001012020121001", name="Citra Dewi", position="Analis", unit_id=org.bidang.id)
    session.add(e)
    session.commit()
    return e


def _user(session, username: str) -> User | None:
    session.rollback()
    return session.scalars(select(User).where(User.username == username)).first()


def _system_events(session, kind: str) -> list[AuditEvent]:
    session.rollback()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.id)))


# -- users -------------------------------------------------------------------------------------

def test_unit_hr_lists_the_users_of_their_units_only(login):
    page = login("hr").get("/sdm/pengguna").get_data(as_text=True)
    assert ">ani<" in page and ">kabid<" in page
    assert ">doni<" not in page and ">hr_lain<" not in page

    found = login("hr").get("/sdm/pengguna?q=lestari").get_data(as_text=True)
    assert ">ani<" in found and ">budi<" not in found


def test_user_list_pages_by_user_name(login, monkeypatch):
    monkeypatch.setattr("web.hr.people.USERS_PAGE", 2)
    client = login("hr")
    first = client.get("/sdm/pengguna").get_data(as_text=True)
    assert ">ani<" in first and ">budi<" in first and ">hr<" not in first
    second = client.get("/sdm/pengguna?setelah=budi").get_data(as_text=True)
    assert ">hr<" in second and ">ani<" not in second


def test_hr_creates_a_login_with_a_generated_password_shown_once(login, session, newcomer):
    client = login("hr")
    response = client.post("/sdm/pengguna", data={"nip": newcomer.nip, "username": "citra"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Akun citra dibuat untuk Citra Dewi." in page and "hanya ditampilkan sekali" in page
    password = re.search(r'<span class="secret">([^<]+)</span>', page).group(1)
    user = _user(session, "citra")
    assert user is not None and user.employee_id == newcomer.id and user.is_active
    assert check_password_hash(user.password_hash, password)
    event = _system_events(session, "user_create")[-1]
    assert event.actor_name == "hr" and event.unit_id == newcomer.unit_id and event.employee_id == newcomer.id
    assert password not in str(event.payload)

    client.post("/keluar")
    assert client.post("/masuk", data={"username": "citra", "password": password}).status_code == 302
    # Shown once: the user's page does not show it again.
    assert password not in login("hr").get(f"/sdm/pengguna/{user.id}").get_data(as_text=True)


def test_creating_a_login_names_the_problem(login, session, org, newcomer):
    client = login("hr")
    taken = client.post("/sdm/pengguna", data={"nip": newcomer.nip, "username": "ani"})
    assert taken.status_code == 422
    assert "Nama pengguna «ani» sudah dipakai" in taken.get_data(as_text=True)
    twice = client.post("/sdm/pengguna", data={"nip": org.people["ani"].nip, "username": "ani2"})
    assert "sudah mempunyai login «ani»" in twice.get_data(as_text=True)
    unknown = client.post("/sdm/pengguna", data={"nip": "123", "username": "x"})
    assert "Tidak ada pegawai dengan NIP 123 di unit yang Anda kelola." in unknown.get_data(as_text=True)
    short = client.post("/sdm/pengguna", data={"nip": newcomer.nip, "username": "citra", "password": "pendek"})
    assert "Kata sandi minimal 8 karakter" in short.get_data(as_text=True)
    assert _user(session, "citra") is None


def test_hr_cannot_create_a_login_outside_their_units(login, session, org):
    outsider = Employee(nip="199001012020121002", name="Eka Putra", unit_id=org.other.id)
    session.add(outsider)
    session.commit()
    response = login("hr").post("/sdm/pengguna", data={"nip": outsider.nip, "username": "eka"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Tidak ada pegawai dengan NIP {outsider.nip} di unit yang Anda kelola." in page
    assert "Eka Putra" not in page
    assert _user(session, "eka") is None
    assert login("hr_lain").post("/sdm/pengguna", data={"nip": outsider.nip, "username": "eka"}).status_code == 200


def test_deactivated_user_cannot_log_in_and_can_be_reactivated(login, client, session, org):
    ani = org.users["ani"]
    done = login("hr").post(f"/sdm/pengguna/{ani.id}/aktif", data={"aktif": "0"}, follow_redirects=True)
    assert "Akun ani dinonaktifkan" in done.get_data(as_text=True)
    client.post("/keluar")
    assert client.post("/masuk", data={"username": "ani", "password": PASSWORD}).status_code == 401
    login("hr").post(f"/sdm/pengguna/{ani.id}/aktif", data={"aktif": "1"})
    assert _user(session, "ani").is_active
    assert [e.kind for e in _system_events(session, "user_deactivate") + _system_events(session, "user_activate")] \
        == ["user_deactivate", "user_activate"]


@pytest.mark.parametrize("forged", ["true", "yes", "", None])
def test_an_account_status_the_form_does_not_offer_changes_nothing(login, client, session, org, forged):
    """Only the page's own two choices (0: deactivate, 1: reactivate) act; anything else, or none, is refused
    with what to do, and the account keeps its status (it read every other value as 'deactivate')."""
    ani = org.users["ani"]
    hr = login("hr")
    response = hr.post(f"/sdm/pengguna/{ani.id}/aktif", data={} if forged is None else {"aktif": forged})
    assert response.status_code == 422
    assert "Tidak disimpan: pilih «Nonaktifkan akun» atau «Aktifkan kembali» pada halaman akun ini." \
        in response.get_data(as_text=True)
    assert _user(session, "ani").is_active
    assert _system_events(session, "user_deactivate") == []
    hr.post("/bahasa", data={"lang": "en", "next": "/"})
    english = hr.post(f"/sdm/pengguna/{ani.id}/aktif", data={"aktif": "off"}).get_data(as_text=True)
    assert "Not saved: choose «Deactivate the login» or «Reactivate» on this account&#39;s page." in english


def test_reset_password_with_a_typed_password(login, client, session, org):
    budi = org.users["budi"]
    response = login("hr").post(f"/sdm/pengguna/{budi.id}/sandi", data={"password": "baru-sekali-123"})
    assert "Kata sandi budi telah diatur ulang." in response.get_data(as_text=True)
    client.post("/keluar")
    assert client.post("/masuk", data={"username": "budi", "password": "baru-sekali-123"}).status_code == 302
    assert _system_events(session, "password_reset")[-1].payload["username"] == "budi"


def test_hr_grants_hr_for_a_unit_they_cover_and_revokes_it(login, session, org):
    kabid = org.users["kabid"]
    client = login("hr")
    granted = client.post(f"/sdm/pengguna/{kabid.id}/peran", data={"peran": "hr", "unit": str(org.bidang.id)},
                          follow_redirects=True)
    assert "Peran hr diberikan." in granted.get_data(as_text=True)
    grant = session.scalars(select(RoleGrant).where(RoleGrant.user_id == kabid.id)).one()
    assert (grant.role, grant.unit_id) == ("hr", org.bidang.id)
    assert _system_events(session, "role_grant")[-1].payload["unit"] == "BIDANG"

    group = client.post(f"/sdm/pengguna/{kabid.id}/peran",
                        data={"peran": "group", "kelompok": "tim-mutu", "unit": str(org.dinas.id)})
    assert group.status_code == 302
    revoked = client.post(f"/sdm/pengguna/{kabid.id}/peran/{grant.id}/cabut", follow_redirects=True)
    assert "Peran hr dicabut." in revoked.get_data(as_text=True)
    session.rollback()
    grants = session.scalars(select(RoleGrant).where(RoleGrant.user_id == kabid.id))
    assert [g.role for g in grants] == ["group:tim-mutu"]
    assert _system_events(session, "role_revoke")[-1].payload["role"] == "hr"


@pytest.mark.parametrize("granter, role, unit, refusal", [
    ("hr", "hr", "other", "outside the units you oversee"),
    ("hr", "hr", "every", "beyond your own scope"),
    ("hr", "admin", None, "only an admin may grant"),
    ("hr", "group:Tim Mutu", "dinas", "unknown role"),
])
def test_granting_beyond_ones_scope_is_refused(session, org, granter, role, unit, refusal):
    unit_id = {"other": org.other.id, "dinas": org.dinas.id, "every": None, None: None}[unit]
    with pytest.raises((Forbidden, InvalidInput), match=refusal):
        grant_role(session, org.actor(granter), org.users["ani"].id, role, unit_id)
    session.rollback()
    assert session.scalars(select(RoleGrant).where(RoleGrant.user_id == org.users["ani"].id)).all() == []


def test_grant_beyond_scope_through_the_screen_says_why(login, session, org):
    ani = org.users["ani"]
    response = login("hr").post(f"/sdm/pengguna/{ani.id}/peran", data={"peran": "hr", "unit": str(org.other.id)})
    assert response.status_code == 403
    assert "di luar unit yang Anda awasi sebagai SDM" in response.get_data(as_text=True)
    admin = login("hr").post(f"/sdm/pengguna/{ani.id}/peran", data={"peran": "admin", "unit": "semua"})
    assert admin.status_code == 403
    assert "Hanya admin yang dapat memberi atau mencabut peran admin" in admin.get_data(as_text=True)
    session.rollback()
    assert session.scalars(select(RoleGrant).where(RoleGrant.user_id == ani.id)).all() == []


def test_admin_may_grant_admin_and_hr_of_every_unit(session, org):
    grant_role(session, org.actor("admin"), org.users["kadis"].id, "admin", None)
    grant_role(session, org.actor("admin"), org.users["sekda"].id, "hr", None)
    session.rollback()
    roles = {(g.user_id, g.role, g.unit_id) for g in session.scalars(select(RoleGrant))}
    assert (org.users["kadis"].id, "admin", None) in roles and (org.users["sekda"].id, "hr", None) in roles


def test_unit_hr_cannot_touch_another_units_user_or_an_admin(session, org, login):
    with pytest.raises(Forbidden, match="outside the ones you oversee"):
        revoke_role(session, org.actor("hr"), session.scalars(
            select(RoleGrant).where(RoleGrant.user_id == org.users["hr_lain"].id)).one().id)
    assert login("hr").get(f"/sdm/pengguna/{org.users['doni'].id}").status_code == 404
    assert login("hr").post(f"/sdm/pengguna/{org.users['doni'].id}/aktif", data={"aktif": "0"}).status_code == 404
    assert _user(session, "doni").is_active


def test_nobody_changes_their_own_login(session, org):
    with pytest.raises(Forbidden, match="your own login"):
        grant_role(session, org.actor("hr"), org.users["hr"].id, "hr", org.other.id)


def test_engine_create_user_refuses_outside_scope(session, org):
    with pytest.raises(Forbidden, match="Doni Harahap"):
        create_user(session, org.actor("hr"), org.people["doni"].id, "doni2")


# -- organisation import -----------------------------------------------------------------------

GOOD = ("NIP;Nama;Kode Unit;Nama Unit;Kode Unit Induk;Jabatan;NIP Atasan\r\n"
        ";;SEKRET;Sekretariat;DINAS;;\r\n"
        "199201012020121003;Fajar Nugroho;SEKRET;;;Analis Keuangan;198001012005011002\r\n")
BAD = ("NIP;Nama;Kode Unit;Email\r\n"
       "12345;Gita;DINAS;gita@example.go.id\r\n"
       "199201012020121004;Hana;DINAS;bukan-surel\r\n")


@pytest.fixture
def import_folder(app, tmp_path: Path) -> Path:
    folder = tmp_path / "impor"
    app.config["IMPORT_FOLDER"] = str(folder)
    return folder


def _upload(client, text: str, name: str = "organisasi.csv"):
    return client.post("/sdm/impor", data={"berkas": (io.BytesIO(text.encode("utf-8")), name)},
                       content_type="multipart/form-data")


def test_import_dry_run_reports_each_bad_row_and_writes_nothing(login, session, import_folder):
    response = _upload(login("admin"), BAD)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "mengandung 2 kesalahan" in page
    assert re.search(r'<td data-label="Baris" class="num">2</td>\s*<td data-label="Kolom">NIP</td>\s*'
                     r'<td data-label="Masalah">«12345» bukan NIP 18 angka.</td>', page)
    assert re.search(r'>3</td>\s*<td data-label="Kolom">Email</td>\s*<td data-label="Masalah">'
                     r'«bukan-surel» bukan alamat surel.</td>', page)
    assert "/sdm/impor/terapkan" not in page
    session.rollback()
    assert session.scalars(select(Employee).where(Employee.name.in_(["Gita", "Hana"]))).all() == []
    assert list(import_folder.glob("*")) == []


def test_import_row_problems_read_in_english_on_an_english_screen(login, session, import_folder):
    client = login("admin")
    with client.session_transaction() as state:
        state["lang"] = "en"
    page = _upload(client, BAD).get_data(as_text=True)
    assert re.search(r'<td data-label="Problem">&#39;12345&#39; is not an 18-digit NIP.</td>', page)
    assert re.search(r'<td data-label="Problem">&#39;bukan-surel&#39; is not an e-mail address.</td>', page)
    assert "bukan NIP" not in page and "alamat surel" not in page


def test_every_row_problem_of_a_bad_organisation_file_reads_in_indonesian(login, session, org, import_folder):
    bad = ("NIP;Nama;Kode Unit;Nama Unit;Kode Unit Induk;NIP Atasan;Email;Jabatn\r\n"
           "1.99201E+17;;;;;;;\r\n"
           "199201012020121005;Ika;BARU;Unit Baru;TIDAKADA;199201012020121005;ika@;\r\n"
           ";;X1;Unit X;X1;;;\r\n")
    page = _upload(login("admin"), bad).get_data(as_text=True)
    problems = re.findall(r'<td data-label="Masalah">(.*?)</td>', page)
    assert problems and "Kolom «Jabatn» tidak dikenal (maksudnya «Jabatan»?)." in problems
    rows = ("NIP;Nama;Kode Unit;Nama Unit;Kode Unit Induk;NIP Atasan;Email\r\n"
            "1.99201E+17;;;;;;\r\n"
            "199201012020121005;Ika;BARU;Unit Baru;TIDAKADA;199201012020121005;ika@\r\n"
            ";;X1;Unit X;X1;;\r\n")
    page = _upload(login("admin"), rows).get_data(as_text=True)
    problems = re.findall(r'<td data-label="Masalah">(.*?)</td>', page)
    assert "tampaknya Excel mengubahnya menjadi bilangan" in " ".join(problems)
    assert "Pegawai tidak dapat menjadi atasannya sendiri." in problems
    assert "«ika@» bukan alamat surel." in problems
    assert "Unit «X1» tidak dapat menjadi induknya sendiri." in problems
    english = {"is", "not", "the", "missing", "unknown", "cannot", "must", "given", "without"}
    assert len(problems) >= 5
    for text in problems:
        words = set(re.sub(r"«[^»]*»", " ", text).lower().replace(".", " ").split())
        assert not words & english, text


def test_import_dry_run_then_confirm(login, session, org, import_folder):
    client = login("admin")
    checked = _upload(client, GOOD)
    assert checked.status_code == 200
    page = checked.get_data(as_text=True)
    assert "siap diimpor" in page
    assert re.search(r"<dt>Unit baru</dt><dd>1</dd>", page) and re.search(r"<dt>Pegawai baru</dt><dd>1</dd>", page)
    session.rollback()
    assert session.scalars(select(OrgUnit).where(OrgUnit.code == "SEKRET")).first() is None
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert [p.name for p in import_folder.iterdir()] == [f"{token}.upload"]

    done = client.post("/sdm/impor/terapkan", data={"token": token})
    assert done.status_code == 200
    assert "Berkas organisasi.csv telah diimpor." in done.get_data(as_text=True)
    session.rollback()
    unit = session.scalars(select(OrgUnit).where(OrgUnit.code == "SEKRET")).one()
    fajar = session.scalars(select(Employee).where(Employee.nip == "199201012020121003")).one()
    assert unit.parent_id == org.dinas.id and fajar.unit_id == unit.id
    assert fajar.supervisor_id == org.people["kadis"].id
    assert _system_events(session, "import")[-1].payload["file"] == "organisasi.csv"
    assert list(import_folder.iterdir()) == []

    again = client.post("/sdm/impor/terapkan", data={"token": token}, follow_redirects=True)
    assert "tidak ditemukan lagi" in again.get_data(as_text=True)


def test_import_confirm_needs_the_token_of_this_session(login, session, import_folder, app):
    checked = _upload(login("admin"), GOOD).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', checked).group(1)
    other = app.test_client()
    other.post("/masuk", data={"username": "admin", "password": PASSWORD})
    for attempt in (token, "../../etc/passwd", ""):
        refused = other.post("/sdm/impor/terapkan", data={"token": attempt}, follow_redirects=True)
        assert "tidak ditemukan lagi" in refused.get_data(as_text=True)
    session.rollback()
    assert session.scalars(select(OrgUnit).where(OrgUnit.code == "SEKRET")).first() is None


def test_import_refuses_other_file_types_and_unit_hr(login, import_folder):
    wrong = _upload(login("admin"), "x", "organisasi.txt")
    assert wrong.status_code == 422 and "bukan CSV atau XLSX" in wrong.get_data(as_text=True)
    page = login("hr").get("/sdm/impor").get_data(as_text=True)
    assert "hanya dapat dilakukan oleh SDM atau admin instansi" in page
    refused = _upload(login("hr"), GOOD)
    assert refused.status_code == 403
    assert "diperlukan hak SDM atau admin atas unit teratas instansi" in refused.get_data(as_text=True)


def _hr_of_every_unit(session, org) -> None:  # type: ignore[no-untyped-def]
    user = User(username="sdm_semua", display_name="SDM Seluruh Instansi", password_hash=org.users["hr"].password_hash)
    session.add(user)
    session.flush()
    seed_grant(session, user_id=user.id, role="hr", unit_id=None)
    session.commit()
    org.users["sdm_semua"] = user


@pytest.mark.parametrize(("who", "offered"), [
    ("admin", True),
    ("sdm_semua", True),   # HR of every unit
    ("hr", False),         # HR of DINAS
    ("hr_lain", False),    # HR of another dinas
    ("bkpsdm", True),      # HR by a grant on the root unit: the whole agency, engine.org_scope
])
def test_the_import_form_is_offered_to_exactly_those_the_import_lets_in(login, session, org, import_folder, who,
                                                                        offered):
    """HR of one dinas filled the form in and was refused; now they read who may import, and the POST still refuses."""
    add_pemda_hr(session, org)
    _hr_of_every_unit(session, org)
    assert may_import(session, org.actor(who)) is offered
    page = login(who).get("/sdm/impor").get_data(as_text=True)
    assert ('type="file"' in page) is offered and ("/sdm/impor/terapkan" not in page)
    assert ("Siapa yang dapat mengimpor" in page) is not offered
    checked = _upload(login(who), GOOD)
    assert checked.status_code == (200 if offered else 403)
    if not offered:
        shown = checked.get_data(as_text=True)
        assert "diperlukan hak SDM atau admin atas unit teratas instansi" in shown and 'type="file"' not in shown
        assert "Kirimkan perubahan unit dan pegawai Anda kepada mereka untuk diimpor." in page
        assert 'href="/sdm/pengguna"' in page
        session.rollback()
        assert session.scalars(select(OrgUnit).where(OrgUnit.code == "SEKRET")).first() is None
