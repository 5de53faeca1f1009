"""Export of a period's results in the shape of the e-Kinerja predicate list."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import event, select

from engine.access import HrScope, hr_scope
from engine.appraisals import fire_transition
from engine.audit import check_head
from engine.export import COLUMNS, results_csv, results_rows, results_xlsx
from engine.models import Appraisal
from engine.runs import find_unit, launch
from tests.support.states import drive

DI_ATAS = "Di Atas Ekspektasi"


def _appraisal(session, run, employee):
    return session.query(Appraisal).filter_by(run_id=run.id, employee_id=employee.id).one()


def _launched(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani, budi = _appraisal(session, run, org.people["ani"]), _appraisal(session, run, org.people["budi"])
    drive(session, org, ani.id, "ani", "review")
    drive(session, org, budi.id, "budi", "appeal")
    fire_transition(session, budi.id, "decide_appeal", org.actor("kadis"), {
        "keputusan": "diubah", "pertimbangan": "Bukti dukung tambahan diterima.",
        "rating_hasil_kerja": DI_ATAS, "rating_perilaku": DI_ATAS})
    return run


def test_rows_follow_the_e_kinerja_predicate_list(session, org, national):
    _launched(session, org, national)
    rows = results_rows(session, period="2026", scope=hr_scope(session, org.actor("hr")))
    # By unit code, then name.
    assert [r["Nama"] for r in rows] == ["Ani Lestari", "Budi Santoso", "Hendra Wijaya", "Kartika Kusuma"]
    by_name = {r["Nama"]: r for r in rows}
    ani = by_name["Ani Lestari"]
    assert list(ani) == COLUMNS
    appraisal = session.scalars(select(Appraisal).where(Appraisal.employee_id == org.people["ani"].id)).one()
    assert ani == {"NIP": org.people["ani"].nip, "Nama": "Ani Lestari", "Unit Kerja": "Bidang Pelayanan",
                   "Periode": "2026", "Rating Hasil Kerja": "Sesuai Ekspektasi",
                   "Rating Perilaku Kerja": "Sesuai Ekspektasi", "Predikat Kinerja": "Baik",
                   "ID Penilaian": str(appraisal.id), "Urutan Audit": str(appraisal.audit_seq),
                   "Hash Audit": appraisal.audit_head}
    # After an appeal the reviewer's decided ratings and the final predicate are the ones reported.
    assert by_name["Budi Santoso"]["Rating Hasil Kerja"] == DI_ATAS
    assert by_name["Budi Santoso"]["Rating Perilaku Kerja"] == DI_ATAS
    assert by_name["Budi Santoso"]["Predikat Kinerja"] == "Sangat Baik"
    # Not rated yet: empty cells, not a guess.
    assert by_name["Hendra Wijaya"]["Predikat Kinerja"] == "" and by_name["Hendra Wijaya"]["Rating Hasil Kerja"] == ""


def test_scope_period_and_cycle_narrow_the_rows(session, org, national):
    _launched(session, org, national)
    bidang = HrScope(False, (org.bidang.id,))
    assert {r["Nama"] for r in results_rows(session, period="2026", scope=bidang)} == {
        "Ani Lestari", "Budi Santoso", "Hendra Wijaya"}
    assert results_rows(session, period="2025", scope=HrScope(True, ())) == []
    assert results_rows(session, period="2026", scope=HrScope(False, ())) == []
    assert results_rows(session, period="2026", scope=HrScope(True, ()), cycle_id="lain") == []
    assert len(results_rows(session, period="2026", scope=HrScope(True, ()), cycle_id="permenpan-6-2022")) == 4
    # Someone else's HR officer sees nothing of DINAS.
    assert results_rows(session, period="2026", scope=hr_scope(session, org.actor("hr_lain"))) == []


def test_the_rows_come_from_one_query(session, org, national):
    _launched(session, org, national)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listener)
    try:
        rows = results_rows(session, period="2026", scope=HrScope(True, ()))
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listener)
    assert len(rows) == 4 and len(statements) == 1


def test_csv_and_xlsx_carry_the_same_rows_with_the_nip_as_text(session, org, national):
    _launched(session, org, national)
    rows = results_rows(session, period="2026", scope=HrScope(True, ()))
    data = results_csv(rows)
    assert data.startswith("\ufeff".encode("utf-8"))
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0] == COLUMNS and len(parsed) == 5
    assert parsed[1] == [rows[0][c] for c in COLUMNS]
    book = load_workbook(io.BytesIO(results_xlsx(rows)), read_only=True)
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(sheet[0]) == COLUMNS
    assert sheet[1][0] == org.people["ani"].nip and isinstance(sheet[1][0], str)
    assert [list(r) for r in sheet[1:]] == [[row[c] or None for c in COLUMNS] for row in rows]


def test_each_nip_is_listed_once_after_a_second_launch_and_a_transfer(session, org, national):
    from engine.models import Employee
    from engine.runs import launch_cycle, transfer_employee

    bidang = launch(session, national, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
    launch_cycle(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    lain = launch(session, national, find_unit(session, "LAIN"), "2026", org.actor("admin"))
    session.get(Employee, org.people["ani"].id).unit_id = org.other.id
    session.commit()
    transfer_employee(session, _appraisal(session, bidang, org.people["ani"]).id, lain.id, org.actor("admin"),
                      reason="SK mutasi 821/45/2026")
    rows = results_rows(session, period="2026", scope=hr_scope(session, org.actor("admin")))
    nips = [r["NIP"] for r in rows]
    assert sorted(nips) == sorted(set(nips)) and len(nips) == 5  # sekda is not launched; everyone else once
    assert next(r["Unit Kerja"] for r in rows if r["NIP"] == org.people["ani"].nip) == "Dinas Lain"


def test_each_row_carries_the_head_of_its_audit_chain_so_a_printout_can_be_checked(session, org, national):
    _launched(session, org, national)
    rows = results_rows(session, period="2026", scope=HrScope(True, ()))
    budi = next(r for r in rows if r["Nama"] == "Budi Santoso")
    printed = check_head(session, int(budi["ID Penilaian"]), budi["Hash Audit"])
    assert printed.current and printed.found_seq == int(budi["Urutan Audit"]) > 1
    # A predicate changed on paper does not change the hash; a made-up hash is found nowhere.
    assert check_head(session, int(budi["ID Penilaian"]), "a" * 64).found_seq is None
