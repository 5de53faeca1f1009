"""Who may import the organisation, and what their file may touch: the system and HR or admin of every unit
anything; HR or admin whose grant is on an agency's top unit (BKPSDM of the pemda) the agency under it and
nothing beside it; HR of a part of the agency, and everyone else, nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import Forbidden
from engine.models import AuditEvent, Employee, OrgUnit
from engine.orgimport import import_org, may_import
from tests.engine.test_orgimport import HEAD, counts, csv_bytes, nip
from tests.support.factories import add_pemda_hr
from web.messages import message_text


@pytest.fixture
def neighbour(session, org) -> OrgUnit:
    """A second agency in the same Siklus (a top unit of its own), with one employee."""
    luar = OrgUnit(code="LUAR", name="Pemerintah Daerah Tetangga")
    session.add(luar)
    session.flush()
    session.add(Employee(nip=nip(900), name="Tetangga", position="Analis", unit_id=luar.id))
    session.commit()
    return luar


def test_hr_of_the_top_unit_may_import_the_agency_under_it(session, org):
    add_pemda_hr(session, org)
    ani = org.people["ani"]
    data = csv_bytes(HEAD, ";;SEKRET;Sekretariat Dinas;DINAS;;;",
                     f"{nip(1)};Gita Lestari;SEKRET;;;Analis;{org.people['kadis'].nip};",
                     f"{ani.nip};Ani Lestari, S.E.;BIDANG;;;Analis Kebijakan;{org.people['kabid'].nip};",
                     ";;PEMDA;Pemerintah Daerah Siklus;;;;")
    assert may_import(session, org.actor("bkpsdm"))
    report = import_org(session, data, "pemda.csv", org.actor("bkpsdm"))
    assert report.ok, report.errors
    assert (report.units_created, report.units_updated, report.employees_created, report.employees_updated) == (
        1, 1, 1, 1)
    assert session.scalars(select(OrgUnit.name).where(OrgUnit.code == "PEMDA")).one() == "Pemerintah Daerah Siklus"
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "import")).one()
    assert event.actor_name == "bkpsdm"


def test_hr_of_the_top_unit_is_refused_each_row_outside_the_agency_and_nothing_is_written(session, org, neighbour):
    add_pemda_hr(session, org)
    before = counts(session)
    data = csv_bytes(HEAD,
                     ";;LUAR;Pemerintah Daerah Tetangga Baru;;;;",           # another agency's unit
                     ";;BARU;Unit Baru di Tetangga;LUAR;;;",                 # a new unit under it
                     ";;PUNCAK;Unit Puncak Baru;;;;",                       # a new top unit: a new agency
                     ";;DINAS;Dinas Kependudukan;LUAR;;;",                  # moving a unit out of the agency
                     f"{nip(900)};Tetangga;DINAS;;;Analis;;",               # taking the neighbour's employee in
                     f"{nip(2)};Baru;LUAR;;;Analis;;",                       # a new employee in the other agency
                     f"{nip(3)};Baru Juga;BIDANG;;;Analis;;")               # fine on its own
    report = import_org(session, data, "pemda.csv", org.actor("bkpsdm"))
    assert not report.ok
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [
        (2, "Kode Unit", "org.row.unit_outside"),
        (3, "Kode Unit Induk", "org.row.unit_outside_new"),
        (4, "Kode Unit Induk", "org.row.unit_outside_new"),
        (5, "Kode Unit Induk", "org.row.parent_outside"),
        (6, "NIP", "org.row.employee_outside"),
        (7, "Kode Unit", "org.row.unit_outside")]
    assert message_text(report.errors[0].msg, "id") == (
        "Unit «LUAR» berada di luar unit yang Anda kelola sebagai SDM; berkas Anda hanya dapat mengubah unit dan "
        "pegawai di bawah unit yang Anda kelola.")
    assert message_text(report.errors[4].msg, "id") == (
        f"Pegawai dengan NIP {nip(900)} berada di unit «LUAR», di luar unit yang Anda kelola sebagai SDM.")
    assert counts(session) == before


def test_hr_of_part_of_the_agency_and_people_without_hr_rights_may_still_not_import(session, org):
    data = csv_bytes(HEAD, f"{nip(1)};Gita;BIDANG;;;Analis;;")
    for who in ("hr", "hr_lain", "ani"):
        assert not may_import(session, org.actor(who))
        with pytest.raises(Forbidden) as refused:
            import_org(session, data, "bidang.csv", org.actor(who))
        assert message_text(refused.value.msg, "id") == (
            f"{who} tidak dapat mengimpor organisasi: diperlukan hak SDM atau admin atas unit teratas instansi "
            "atau atas semua unit.")
    assert may_import(session, org.actor("admin"))


def test_hr_of_the_top_unit_may_not_move_a_unit_to_the_top(session, org, neighbour):
    add_pemda_hr(session, org)
    report = import_org(session, csv_bytes(HEAD, ";;DINAS;Dinas Kependudukan;;;;"), "pemda.csv", org.actor("bkpsdm"))
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [(2, "Kode Unit Induk",
                                                                       "org.row.parent_outside_top")]
    assert message_text(report.errors[0].msg, "en") == (
        "Unit 'DINAS' cannot become a top unit (without a parent): that is outside the units you oversee as HR.")


def test_hr_of_the_top_unit_may_not_make_another_agencys_employee_a_supervisor_in_theirs(session, org, neighbour):
    """A supervisor is the pejabat penilai: naming the neighbour's employee as ani's supervisor would give someone
    of another agency the rating of ani and put them in the neighbour's chart of who rates whom. Only an import
    over every unit may link two agencies; a supervisor already there stays."""
    add_pemda_hr(session, org)
    ani = org.people["ani"]
    before = counts(session)
    report = import_org(session, csv_bytes(HEAD, f"{ani.nip};Ani Lestari;BIDANG;;;Analis;{nip(900)};"),
                        "pemda.csv", org.actor("bkpsdm"))
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [(2, "NIP Atasan", "org.row.supervisor_outside")]
    assert message_text(report.errors[0].msg, "id") == (
        f"Atasan dengan NIP {nip(900)} berada di unit «LUAR», di luar unit yang Anda kelola sebagai SDM; hanya SDM "
        "atau admin atas semua unit yang dapat menjadikan pegawai instansi lain sebagai atasan.")
    assert counts(session) == before
    session.expire_all()
    assert session.get(Employee, ani.id).supervisor_id == org.people["kabid"].id
    # The same row with a supervisor of the agency is taken.
    report = import_org(session, csv_bytes(HEAD, f"{ani.nip};Ani Lestari;BIDANG;;;Analis;{org.people['kadis'].nip};"),
                        "pemda.csv", org.actor("bkpsdm"))
    assert report.ok, report.errors
    # The import over every unit links the agencies as it likes; the agency's own file then keeps that link.
    linked = csv_bytes(HEAD, f"{ani.nip};Ani Lestari;BIDANG;;;Analis;{nip(900)};")
    assert import_org(session, linked, "semua.csv", org.actor("admin")).ok
    report = import_org(session, linked, "pemda.csv", org.actor("bkpsdm"))
    assert report.ok, report.errors


def test_rows_outside_the_agency_are_named_with_the_other_problems_in_one_pass(session, org, neighbour):
    """Rows outside the agency were named only once the file had no other problem: a file with a bad e-mail and
    a row in another agency was refused for the e-mail, then, corrected, refused again for the row."""
    add_pemda_hr(session, org)
    before = counts(session)
    data = csv_bytes(HEAD,
                     f"{nip(1)};Surel Salah;BIDANG;;;Analis;;bukan-surel",     # a row problem
                     f"{nip(2)};Baru;LUAR;;;Analis;;",                          # outside the agency
                     ";;SIKLUS;Unit Berputar;PUTAR;;;",                         # a loop of new units ...
                     ";;PUTAR;Unit Putar;SIKLUS;;;",
                     ";;YATIM;Unit Tanpa Induk;ENTAH;;;",                      # ... and an unknown parent
                     f"{nip(3)};Di Unit Yatim;YATIM;;;Analis;;",
                     f"{nip(4)};Di Unit Entah;ENTAH2;;;Analis;;")              # an unknown unit
    report = import_org(session, data, "pemda.csv", org.actor("bkpsdm"))
    assert not report.ok
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [
        (2, "Email", "org.row.email"),
        (3, "Kode Unit", "org.row.unit_outside"),
        (4, "Kode Unit Induk", "org.row.unit_loop"),
        (6, "Kode Unit Induk", "org.row.parent_unknown"),
        (8, "Kode Unit", "org.row.unit_unknown"),
    ]
    assert counts(session) == before


def test_a_cell_refused_for_a_hidden_character_is_named_once_not_again_as_unknown(session, org):
    """With references checked in the same pass, a unit code refused for a hidden character was named twice:
    for the character, and again as an unknown unit."""
    add_pemda_hr(session, org)
    data = csv_bytes(HEAD, f"{nip(1)};Baru;BID\u200dANG;;;Analis;;", ";;BA\u200bRU;Unit Baru;DINAS;;;",
                     f"{nip(2)};Di Unit Baru;BARU;;;Analis;;")
    report = import_org(session, data, "pemda.csv", org.actor("bkpsdm"))
    assert [(e.row, e.column, e.msg.code) for e in report.errors] == [
        (2, "Kode Unit", "org.row.hidden"), (3, "Kode Unit", "org.row.hidden"),
        (4, "Kode Unit", "org.row.unit_unknown")]
