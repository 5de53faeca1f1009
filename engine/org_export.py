"""Organisation export: units, employees and the rater designations that count, as the file the import reads.

``siklus export-org`` writes it; imported back (:mod:`engine.orgimport`) it changes nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import import_designations as designations
from engine.errors import InvalidInput
from engine.messages import Message
from engine.models import Employee, OrgUnit
from engine.orgimport import KNOWN
from engine.tables import table_csv, table_xlsx


def org_rows(session: Session) -> list[list[str]]:
    """The file the import reads: a header, each unit (parents first), each employee and a designation that counts."""
    units = session.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.name,
                                   OrgUnit.parent_id).order_by(OrgUnit.code)).all()
    code_of = {uid: code for uid, code, _n, _p in units}
    children: dict[int | None, list[Any]] = {}
    for row in units:
        children.setdefault(row[3] if row[3] in code_of else None, []).append(row)
    ordered: list[Any] = []
    todo = list(reversed(children.get(None, [])))
    while todo:
        row = todo.pop()
        ordered.append(row)
        todo.extend(reversed(children.get(row[0], [])))
    out = [list(KNOWN)]
    out.extend(["", "", code, name, code_of.get(parent, "") if parent else "", *[""] * (len(KNOWN) - 5)]
               for _uid, code, name, parent in ordered)
    boss = Employee.__table__.alias("boss")
    e = Employee.__table__
    rows = session.execute(
        select(e.c.nip, e.c.name, e.c.unit_id, e.c.position, e.c.position_level, boss.c.nip, e.c.email)
        .select_from(e.outerjoin(boss, boss.c.id == e.c.supervisor_id)).order_by(e.c.nip))
    designated = designations.exported(session)
    out.extend([nip, name, code_of[unit_id], "", "", position or "", level or "", boss_nip or "", email or "",
                *designated.get(nip, ("", "", ""))] for nip, name, unit_id, position, level, boss_nip, email in rows)
    return out


def export_org(session: Session, fmt: str = "csv") -> bytes:
    """The whole organisation as a file the import reads back with no changes: ``csv`` or ``xlsx``."""
    rows = org_rows(session)
    if fmt == "csv":
        return table_csv(rows)
    if fmt == "xlsx":
        return table_xlsx(rows, "Organisasi", text_columns=(0, 7))
    raise InvalidInput(f"unknown export format '{fmt}'; use csv or xlsx", msg=Message("org.export_format", fmt=fmt))
