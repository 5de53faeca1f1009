"""Tim saya: the supervisor's direct reports with their current appraisals, state and deadline."""

from __future__ import annotations

from sqlalchemy import event

from engine.models import Employee
from tests.support.states import drive
from web.extensions import db


def team_rows(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_the_rater_sees_each_report_with_state_and_deadline(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    rows = team_rows(login("kabid").get("/tim").get_data(as_text=True))
    assert "Ani Lestari" in rows and "Budi Santoso" in rows
    ani, budi = rows.split("Budi Santoso", 1)[0], rows.split("Budi Santoso", 1)[1]
    assert "Pelaksanaan dan pemantauan" in ani and f"/penilaian/{appraisal_of('ani').id}" in ani
    assert "Penyusunan SKP" in budi and "hari lagi" in budi
    assert "Kartika Kusuma" not in rows and "Hendra Wijaya" not in rows  # kabid's boss and kabid himself


def test_only_direct_reports_are_listed(login, run):
    rows = team_rows(login("kadis").get("/tim").get_data(as_text=True))
    assert "Hendra Wijaya" in rows and "Ani Lestari" not in rows


def test_a_report_without_an_appraisal_is_listed_too(login, run, session, org):
    session.add(Employee(nip="199501012020011001", name="Dewi Anggraini", position="Pelaksana",
                         unit_id=org.bidang.id, supervisor_id=org.people["kabid"].id))
    session.commit()
    rows = team_rows(login("kabid").get("/tim").get_data(as_text=True))
    assert "Dewi Anggraini" in rows and "Belum ada penilaian." in rows


def test_someone_without_reports_is_told_so(login, run):
    page = login("ani").get("/tim").get_data(as_text=True)
    assert "Tidak ada pegawai yang Anda nilai langsung." in page
    assert 'href="/tim"' not in login("ani").get("/").get_data(as_text=True)
    assert 'href="/tim"' in login("kabid").get("/").get_data(as_text=True)


def test_the_team_is_read_in_a_fixed_number_of_statements(app, login, run, session, org):
    client = login("kabid")

    def statements() -> int:
        seen: list[str] = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/tim").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    few = statements()
    for n in range(5):
        session.add(Employee(nip=f"19950101202001{2000 + n:04d}", name=f"Staf {n}", position="Pelaksana",
                             unit_id=org.bidang.id, supervisor_id=org.people["kabid"].id))
    session.commit()
    assert statements() == few
