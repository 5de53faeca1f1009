"""Results of a period in the shape of the e-Kinerja predicate list, as rows, CSV or XLSX.

Each column is read from a named result of the appraisal's cycle (see docs/import.md, "Export"):

==========================  =================================================================
column                      where it comes from (the first that has a value)
==========================  =================================================================
Rating Hasil Kerja          the appeal decision's ``data.keputusan_keberatan.rating_hasil_kerja``,
                            then the result ``rating_hasil_kerja``
Rating Perilaku Kerja       the appeal decision's ``data.keputusan_keberatan.rating_perilaku``,
                            then the result ``rating_perilaku``
Predikat Kinerja            the result ``predikat_akhir`` (after the appeal window), then ``predikat``
==========================  =================================================================

A cycle of an agency that wants its results in this list names its results the same way. An
appraisal not yet rated has empty rating cells. A closed appraisal (the employee left, or moved and
continues in another unit's run) is not listed, so each NIP appears once per cycle and period.

The last three columns let anyone check a row against the audit log (docs/audit.md): the appraisal's
number, and the sequence number and keyed hash of the head of its audit chain when the row was
exported (``siklus audit verify --appraisal ID --head HASH``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from engine.access import HrScope
from engine.models import Appraisal, CycleRun, Employee, OrgUnit, Result
from engine.tables import csv_stream, xlsx_stream

#: Rows fetched from the database at a time while an export streams (a server-side cursor on PostgreSQL).
FETCH_ROWS = 2000

COLUMNS = ["NIP", "Nama", "Unit Kerja", "Periode", "Rating Hasil Kerja", "Rating Perilaku Kerja", "Predikat Kinerja",
           "ID Penilaian", "Urutan Audit", "Hash Audit"]
# column -> where its value is read, in order: ("data", key, field) or ("result", name).
SOURCES: dict[str, tuple[tuple[str, ...], ...]] = {
    "Rating Hasil Kerja": (("data", "keputusan_keberatan", "rating_hasil_kerja"), ("result", "rating_hasil_kerja")),
    "Rating Perilaku Kerja": (("data", "keputusan_keberatan", "rating_perilaku"), ("result", "rating_perilaku")),
    "Predikat Kinerja": (("result", "predikat_akhir"), ("result", "predikat")),
}
_RESULT_NAMES = sorted({source[1] for sources in SOURCES.values() for source in sources if source[0] == "result"})


def _pick(sources: tuple[tuple[str, ...], ...], data: dict[str, Any], results: dict[str, Any]) -> str:
    for source in sources:
        if source[0] == "data":
            value: Any = data.get(source[1])
            value = value.get(source[2]) if isinstance(value, dict) else None
        else:
            value = results.get(source[1])
        if value not in (None, ""):
            return str(value)
    return ""


def results_rows(session: Session, *, period: str, scope: HrScope, cycle_id: str | None = None) -> list[dict[str, str]]:
    """One row per appraisal of ``period`` in the scope's units, by unit then name (one query)."""
    return list(iter_results(session, period=period, scope=scope, cycle_id=cycle_id))


def iter_results(session: Session, *, period: str, scope: HrScope,
                 cycle_id: str | None = None) -> Iterator[dict[str, str]]:
    """:func:`results_rows` as they are read, :data:`FETCH_ROWS` at a time, so an export of a country
    never holds every row."""
    if not scope.any:
        return
    joined = {name: aliased(Result, name=f"r_{name}") for name in _RESULT_NAMES}
    stmt = (
        select(Employee.nip, Employee.name, OrgUnit.name, CycleRun.period, Appraisal.data,
               Appraisal.id, Appraisal.audit_seq, Appraisal.audit_head,
               *[alias.value for alias in joined.values()])
        .select_from(Appraisal)
        .join(CycleRun, CycleRun.id == Appraisal.run_id)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .join(OrgUnit, OrgUnit.id == Employee.unit_id)
        .where(CycleRun.period == period, Appraisal.closed_at.is_(None))
        .order_by(OrgUnit.code, Employee.name, Employee.nip, Appraisal.id)
    )
    for name, alias in joined.items():
        stmt = stmt.outerjoin(alias, and_(alias.appraisal_id == Appraisal.id, alias.name == name))
    if cycle_id:
        stmt = stmt.where(CycleRun.cycle_id == cycle_id)
    if not scope.every_unit:
        stmt = stmt.where(Employee.unit_id.in_(scope.unit_ids))
    for row in session.execute(stmt.execution_options(yield_per=FETCH_ROWS)):
        nip, name, unit, run_period, data, appraisal_id, audit_seq, audit_head = row[:8]
        results = dict(zip(joined, row[8:], strict=True))
        record = {"NIP": nip, "Nama": name, "Unit Kerja": unit, "Periode": run_period}
        for column, sources in SOURCES.items():
            record[column] = _pick(sources, data or {}, results)
        record.update({"ID Penilaian": str(appraisal_id), "Urutan Audit": str(audit_seq), "Hash Audit": audit_head})
        yield record


def _table(rows: Iterable[dict[str, str]]) -> Iterator[list[str]]:
    yield COLUMNS
    for row in rows:
        yield [row.get(c, "") for c in COLUMNS]


def results_csv_stream(rows: Iterable[dict[str, str]]) -> Iterator[bytes]:
    """The rows as CSV (UTF-8 with a byte-order mark, comma-separated), with the header, as they come."""
    return csv_stream(_table(rows))


def results_xlsx_stream(rows: Iterable[dict[str, str]]) -> Iterator[bytes]:
    """The rows as an Excel workbook (write-only: each row goes to disk as it comes); the NIP is text."""
    return xlsx_stream(_table(rows), "Predikat Kinerja", text_columns=(0, COLUMNS.index("Hash Audit")))


def results_csv(rows: Iterable[dict[str, str]]) -> bytes:
    """:func:`results_csv_stream` in one piece."""
    return b"".join(results_csv_stream(rows))


def results_xlsx(rows: Iterable[dict[str, str]]) -> bytes:
    """:func:`results_xlsx_stream` in one piece."""
    return b"".join(results_xlsx_stream(rows))


def run_periods(session: Session, cycle_id: str | None = None) -> list[str]:
    """The periods runs were launched for (of ``cycle_id`` only, when given), newest first: what an export of
    results can ask for."""
    stmt = select(CycleRun.period).distinct()
    if cycle_id is not None:
        stmt = stmt.where(CycleRun.cycle_id == cycle_id)
    return sorted(session.scalars(stmt), reverse=True)
