"""The organisation import names who rates a top official: optional columns for the rater's and the reviewer's
account and the basis, applied through engine.raters (the same rules, the same audit events); a row that breaks
a rule is named by row and column and nothing of the file is written."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from engine.audit import verify_chain
from engine.models import AuditEvent, Employee, User
from engine.org_export import export_org
from engine.orgimport import import_org
from engine.rater_models import RaterDesignation
from engine.raters import designate_rater
from engine.users import seed_grant
from tests.engine.test_orgimport import OPERATOR, csv_bytes, nip
from tests.support.factories import build_org

HEAD = "NIP;Nama;Kode Unit;NIP Atasan;Akun Penilai;Akun Atasan Penilai;Dasar Penunjukan"


@pytest.fixture
def bupati(session, org) -> User:
    user = User(username="bupati", display_name="Bupati Siklus Raya", password_hash="x")
    session.add(user)
    session.commit()
    return user


def designation(session, person: str | Employee) -> RaterDesignation | None:
    session.rollback()
    employee_id = person.id if isinstance(person, Employee) else None
    if employee_id is None:
        employee_id = session.scalars(select(Employee.id).where(Employee.name == person)).one()
    return session.scalars(select(RaterDesignation).where(RaterDesignation.employee_id == employee_id)).first()


def written(session) -> tuple[int, int, int]:
    session.rollback()
    return (session.scalar(select(func.count()).select_from(Employee)),
            session.scalar(select(func.count()).select_from(RaterDesignation)),
            session.scalar(select(func.count()).select_from(AuditEvent)))


def row(person: Employee, unit: str, boss: str = "", rater: str = "", reviewer: str = "", basis: str = "") -> str:
    return f"{person.nip};{person.name};{unit};{boss};{rater};{reviewer};{basis}"


def test_the_file_names_the_regent_as_the_sekdas_rater(session, org, bupati):
    data = csv_bytes(HEAD, row(org.people["sekda"], "PEMDA", rater="bupati", reviewer="admin",
                               basis="SK Bupati 800/12/2026"),
                     row(org.people["kadis"], "DINAS", boss=org.people["sekda"].nip))
    report = import_org(session, data, "organisasi.csv", OPERATOR)
    assert report.ok, report.errors
    assert (report.designations_set, report.designations_cleared) == (1, 0)
    found = designation(session, org.people["sekda"])
    assert found is not None and found.rater_user_id == bupati.id and found.basis == "SK Bupati 800/12/2026"
    assert found.reviewer_user_id == org.users["admin"].id
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "rater_designate")).one()
    assert event.payload["rater"] == "bupati" and event.actor_name == "cli:operator"
    imported = session.scalars(select(AuditEvent).where(AuditEvent.kind == "import")).one()
    assert imported.payload["designations_set"] == 1
    assert verify_chain(session).ok

    again = import_org(session, data, "organisasi.csv", OPERATOR)
    assert again.ok and again.designations_set == 0
    assert session.scalar(select(func.count()).where(AuditEvent.kind == "rater_designate")) == 1


def test_a_new_top_official_of_the_file_gets_a_rater_in_the_same_import(session, org, bupati):
    data = csv_bytes("NIP;Nama;Kode Unit;Nama Unit;Kode Unit Induk;Akun Penilai",
                     f"{nip(1)};Kepala Badan Baru;BADAN;Badan Baru;PEMDA;bupati")
    report = import_org(session, data, "baru.csv", OPERATOR)
    assert report.ok and report.employees_created == 1 and report.designations_set == 1
    assert designation(session, "Kepala Badan Baru").rater_user_id == bupati.id


def test_a_blank_rater_removes_the_designation_and_a_missing_column_leaves_it(session, org, bupati):
    sekda = org.people["sekda"]
    assert import_org(session, csv_bytes(HEAD, row(sekda, "PEMDA", rater="bupati")), "a.csv", OPERATOR).ok
    untouched = import_org(session, csv_bytes("NIP;Nama;Kode Unit", f"{sekda.nip};{sekda.name};PEMDA"), "b.csv",
                           OPERATOR)
    assert untouched.ok and designation(session, sekda) is not None
    cleared = import_org(session, csv_bytes(HEAD, row(sekda, "PEMDA")), "c.csv", OPERATOR)
    assert cleared.ok and cleared.designations_cleared == 1 and designation(session, sekda) is None
    assert session.scalar(select(func.count()).where(AuditEvent.kind == "rater_clear")) == 1


def test_each_designation_that_breaks_a_rule_is_named_by_row_and_column_and_nothing_is_written(session, org, bupati):
    people = org.people
    before = written(session)
    data = csv_bytes(
        HEAD,
        row(people["kadis"], "DINAS", boss=people["sekda"].nip, rater="bupati"),   # 2: kadis has a superior
        row(people["sekda"], "PEMDA", rater="kadis", reviewer="kadis"),            # 3: a subordinate, twice
        f"{nip(1)};Kepala Badan A;PEMDA;;tidak-ada;;",                             # 4: no such account
        f"{nip(2)};Kepala Badan B;PEMDA;;bupati;bupati;",                          # 5: reviewer is the rater
        f"{nip(3)};Kepala Badan C;PEMDA;;bupati;;{'x' * 256}",                     # 6: basis too long
        f"{nip(4)};Kepala Badan D;PEMDA;;sekda;;",     # 7: fine (the Sekda rates)
        f"{nip(5)};Kepala Badan E;PEMDA;{nip(4)};bupati;;",                        # 8: the file gives a superior
    )
    report = import_org(session, data, "salah.csv", OPERATOR)
    assert not report.ok
    found = [(e.row, e.column, e.msg.code) for e in report.errors]
    assert found == [
        (2, "Akun Penilai", "rater.has_supervisor"),
        (3, "Akun Penilai", "rater.subordinate"), (3, "Akun Atasan Penilai", "rater.subordinate"),
        (4, "Akun Penilai", "rater.no_user"),
        (5, "Akun Atasan Penilai", "rater.reviewer_same"),
        (6, "Dasar Penunjukan", "rater.basis_long"),
        (8, "Akun Penilai", "rater.has_supervisor"),
    ], report.errors
    assert written(session) == before


def test_cells_a_row_cannot_have_are_named_before_anything_is_checked(session, org, bupati):
    before = written(session)
    data = csv_bytes("NIP;Nama;Kode Unit;Nama Unit;Akun Penilai;Akun Atasan Penilai;Dasar Penunjukan",
                     ";;BARU;Unit Baru;bupati;;",                       # 2: a unit row names no rater
                     f"{nip(1)};Kepala Baru;BARU;;;admin;SK 1",          # 3: reviewer and basis with no rater
                     f"{nip(2)};Kepala Lain;BARU;;{'b' * 81};;")         # 4: no account name is that long
    report = import_org(session, data, "salah.csv", OPERATOR)
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [
        (2, "Akun Penilai", "org.row.rater_unit_row"),
        (3, "Akun Atasan Penilai", "org.row.rater_missing"), (3, "Dasar Penunjukan", "org.row.rater_missing"),
        (4, "Akun Penilai", "org.row.too_long")]
    assert "needs the rater's account in the same row" in report.errors[1].message
    assert written(session) == before


def test_a_dry_run_counts_the_designations_and_writes_nothing(session, org, bupati):
    before = written(session)
    report = import_org(session, csv_bytes(HEAD, row(org.people["sekda"], "PEMDA", rater="bupati")), "a.csv",
                        OPERATOR, dry_run=True)
    assert report.ok and report.designations_set == 1
    assert written(session) == before


def test_siklus_import_says_what_it_designated_and_names_a_refused_cell(runner, session, org, bupati, tmp_path,
                                                                       monkeypatch):
    from web.cli import cli

    sekda = org.people["sekda"]
    good = tmp_path / "penilai.csv"
    good.write_text(f"{HEAD}\n{row(sekda, 'PEMDA', rater='bupati')}\n", encoding="utf-8")
    done = runner.invoke(cli, ["import", str(good)], catch_exceptions=False)
    assert done.exit_code == 0 and "raters: 1 designated or changed, 0 removed" in done.output
    bad = tmp_path / "salah.csv"
    bad.write_text(f"{HEAD}\n{row(sekda, 'PEMDA', rater='tidak-ada')}\n", encoding="utf-8")
    monkeypatch.setenv("SIKLUS_LANG", "id")
    refused = runner.invoke(cli, ["import", str(bad)], catch_exceptions=False)
    assert refused.exit_code == 1
    assert f"{bad}:2: Akun Penilai: Tidak ada akun aktif bernama tidak-ada." in refused.output.splitlines()
    assert designation(session, sekda).rater_user_id == bupati.id


def test_the_api_import_counts_designations_and_names_a_refused_cell_with_its_code(client, session, org, bupati):
    from engine.tokens import create_token
    from tests.api.test_api_org import upload

    secret = create_token(session, org.actor("admin"), org.users["admin"], "impor").secret
    admin = {"Authorization": f"Bearer {secret}"}
    sekda = org.people["sekda"]
    done = upload(client, admin, csv_bytes(HEAD, row(sekda, "PEMDA", rater="bupati")))
    assert done.status_code == 200 and done.get_json()["designations_set"] == 1
    refused = upload(client, admin, csv_bytes(HEAD, row(sekda, "PEMDA", rater="sekda")))
    assert refused.status_code == 422
    (error,) = refused.get_json()["errors"]
    assert (error["row"], error["column"], error["code"]) == (2, "Akun Penilai", "rater.self")
    assert error["text"]["en"] == f"sekda is the account of {sekda.name}; an employee does not rate themself."
    assert designation(session, sekda).rater_user_id == bupati.id


@pytest.fixture
def designated_elsewhere(sqlite_template, tmp_path) -> Iterator[bytes]:
    """The CSV ``siklus export-org`` writes of another organisation (a fresh SQLite database): the test
    organisation with the regent (``bupati``) designated as the Sekretaris Daerah's rater and ``wakil`` as the
    reviewer, on a basis with the file's separator and a quote in it; Kartika (kadis) designated too and then
    given a supervisor, so that her designation no longer counts."""
    path = tmp_path / "asal.db"
    shutil.copyfile(sqlite_template, path)
    engine = create_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as source:
        org = build_org(source)
        source.add_all([User(username=name, display_name=name.title(), password_hash="x")
                        for name in ("bupati", "wakil")])
        kadis = org.people["kadis"]
        kadis.supervisor_id = None
        source.commit()
        designate_rater(source, OPERATOR, org.people["sekda"].id, "bupati", "wakil", 'SK 800/12; "Bupati"')
        designate_rater(source, OPERATOR, kadis.id, "bupati")
        kadis.supervisor_id = org.people["sekda"].id
        source.commit()
        yield export_org(source, "csv")
    engine.dispose()


def test_an_exported_organisation_imported_into_an_empty_database_exports_the_same_file(session,
                                                                                        designated_elsewhere):
    first = designated_elsewhere
    lines = first.decode("utf-8-sig").splitlines()
    assert lines[0].endswith("Akun Penilai,Akun Atasan Penilai,Dasar Penunjukan")
    assert [line for line in lines if "bupati" in line] == [
        next(line for line in lines if "Sekretaris Daerah" in line)]  # kadis's no longer counts
    assert '"SK 800/12; ""Bupati"""' in first.decode("utf-8-sig")

    # The accounts are not part of the organisation file: the new database has them before the import.
    session.add_all([User(username=name, display_name=name.title(), password_hash="x") for name in ("bupati", "wakil")])
    session.commit()
    report = import_org(session, first, "organisasi.csv", OPERATOR)
    assert report.ok, report.errors
    assert (report.designations_set, report.designations_cleared) == (1, 0)
    assert export_org(session, "csv") == first

    events = written(session)[2]
    again = import_org(session, export_org(session, "xlsx"), "organisasi.xlsx", OPERATOR)
    assert again.ok and again.changed == 0
    assert (again.designations_set, again.designations_cleared) == (0, 0)
    assert written(session)[2] == events + 1  # the import's own event; no designation event


def test_an_export_imported_back_changes_no_designation_even_one_that_no_longer_counts(session, org, bupati):
    sekda, kadis = org.people["sekda"], org.people["kadis"]
    designate_rater(session, OPERATOR, sekda.id, "bupati", basis="SK Bupati 800/12/2026")
    kadis.supervisor_id = None
    session.commit()
    designate_rater(session, OPERATOR, kadis.id, "bupati")
    kadis.supervisor_id = sekda.id  # a supervisor recorded later takes over from the designation
    session.commit()
    before = written(session)
    for fmt in ("csv", "xlsx"):
        report = import_org(session, export_org(session, fmt), f"organisasi.{fmt}", OPERATOR)
        assert report.ok, report.errors
        assert report.changed == 0 and (report.designations_set, report.designations_cleared) == (0, 0)
    assert written(session) == (before[0], 2, before[2] + 2)  # the two imports' own events, nothing else
    assert designation(session, sekda).basis == "SK Bupati 800/12/2026"


def test_the_importer_neither_designates_nor_removes_the_rater_of_their_own_employee_record(session, org, bupati):
    """The Sekda also holds HR over the pemda (its top unit, so they may import it): their own file may not pick who
    rates them, nor remove the rater another officer designated; as on the HR screen (engine.raters)."""
    seed_grant(session, user_id=org.users["sekda"].id, role="hr", unit_id=org.root.id)
    session.commit()
    session.refresh(org.users["sekda"])
    sekda = org.actor("sekda")
    before = written(session)
    report = import_org(session, csv_bytes(HEAD, row(org.people["sekda"], "PEMDA", rater="hr_lain")), "a.csv", sekda)
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [(2, "Akun Penilai", "rater.own_employee")]
    assert written(session) == before
    designate_rater(session, org.actor("admin"), org.people["sekda"].id, "bupati")
    report = import_org(session, csv_bytes(HEAD, row(org.people["sekda"], "PEMDA")), "b.csv", sekda)
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [(2, "Akun Penilai", "rater.own_employee")]
    assert designation(session, org.people["sekda"]).rater_user_id == bupati.id
