"""An organisation workbook with merged cells: only a merged range's top-left cell holds its value, so the rows
below it read as blank. The import refuses the file naming the range, and writes nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from engine.errors import InvalidInput
from engine.models import Employee
from engine.orgimport import import_org
from engine.permissions import Actor
from web.messages import message_text

OPERATOR = Actor(user_id=None, username="cli:operator", grants=(("admin", None),))


def nip(n: int) -> str:
    return f"19900101201501{1 + n % 2}{n:03d}"


def workbook(*merges: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama", "Kode Unit", "NIP Atasan", "Email"])
    for n in range(1, 6):
        sheet.append([nip(n), f"Pegawai {n}", "DINAS", nip(9) if n == 1 else None, None])
    sheet.append([nip(9), "Atasan", "DINAS", None, None])
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("merges", "named"), [
    (("C2:C6",), "C2:C6"),  # a unit column merged over five employees: four would have no unit
    (("D2:D6",), "D2:D6"),  # a supervisor merged down: four supervisors would be cleared without a word
    (("B3:C3", "C2:C6"), "C2:C6"),  # the first range by row is named, the others counted
])
def test_a_merged_range_with_a_value_is_refused_naming_it_and_nothing_is_written(session, org, merges, named):
    before = session.scalar(select(func.count()).select_from(Employee))
    with pytest.raises(InvalidInput) as refused:
        import_org(session, workbook(*merges), "pegawai.xlsx", OPERATOR)
    assert f"the cells {named} are merged, so only {named.split(':')[0]} holds their value" in str(refused.value)
    assert f"({len(merges)} merged range(s) with a value)" in str(refused.value)
    assert "unmerge them" in str(refused.value)
    assert f"sel {named} digabung (merge)" in message_text(refused.value.msg, "id")
    assert session.scalar(select(func.count()).select_from(Employee)) == before


def test_a_merged_range_that_holds_nothing_loses_nothing_and_passes(session, org):
    report = import_org(session, workbook("E2:E6"), "pegawai.xlsx", OPERATOR, dry_run=True)
    assert report.ok, report.errors
    assert report.employees_created == 6
