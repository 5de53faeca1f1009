"""Organisation import: units and employees from a CSV or XLSX table, as an idempotent upsert (the file
``siklus export-org`` writes is engine.org_export's).

The file is one table (see docs/import.md). A row with a NIP is an employee; a row without a NIP but
with a ``Nama Unit`` describes a unit (units without employees are listed that way). Every row is
checked first (NIP of 18 digits, and for a new employee a birth date and gender digit that hold; no cell with
a hidden character or a formula without its value; names, known units in their exact case and supervisors, no
supervisor or unit loops across the file and the database, no NIP twice); with any error nothing is written and
the report lists each problem by row and column. Otherwise units and employees are inserted or updated in one
transaction, set-based, and one event in the system audit chain names the file, the counts, the actor and the
chart's fingerprint before and after (engine.chart), so ``siklus audit verify`` proves the chart it leaves. Two
imports at once run one after the other.

Columns left out of the file leave those fields as they are; a blank cell in a present column clears
the field (no supervisor, no e-mail). Employees missing from the file are not touched.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from engine import import_designations as designations
from engine import org_cells
from engine.audit import EventInfo, append_system_event
from engine.chart import chart_record, lock_chart, public_mark
from engine.chart_verify import chart_fingerprint
from engine.db import begin_write
from engine.errors import Forbidden, InvalidInput
from engine.limits import ORG_IMPORT_FILE, check_size
from engine.messages import Message
from engine.models import Employee, OrgUnit
from engine.org_scope import import_scope, outside
from engine.org_table import file_label, read_table
from engine.permissions import Actor

# Field -> the headers accepted for it (compared without case, spaces, dots, dashes or underscores).
# The first one is the header the export writes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("NIP",),
    "name": ("Nama", "Name", "Nama Pegawai", "Nama Lengkap"),
    "unit": ("Kode Unit", "Unit", "Unit Code", "Kode Unit Kerja"),
    "unit_name": ("Nama Unit", "Unit Name", "Nama Unit Kerja"),
    "parent": ("Kode Unit Induk", "Unit Induk", "Parent Unit", "Parent Unit Code"),
    "position": ("Jabatan", "Position"),
    "level": ("Jenjang", "Jenjang Jabatan", "Position Level"),
    "supervisor": ("NIP Atasan", "Supervisor NIP", "NIP Atasan Langsung"),
    "email": ("Email", "E-mail", "Surel", "Alamat Email"),
}
HEADERS = [names[0] for names in COLUMNS.values()]
KNOWN = HEADERS + [names[0] for names in designations.COLUMNS.values()]  # the columns the export writes
# Written by spreadsheets as a running number; carries nothing.
IGNORED = {"no", "nomor", "nourut"}
LIMITS = {"name": 255, "unit": 64, "unit_name": 255, "parent": 64, "position": 255, "level": 64, "email": 255,
          **designations.LIMITS}
NIP = re.compile(r"^[0-9]{18}$")  # ASCII digits: ``\d`` also takes ١٩٩٠… and other scripts' digits
SHOWN = 40  # characters of a refused value repeated back
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CHUNK = 2000


@dataclass(frozen=True)
class RowError:
    """A problem in one row: ``row`` counts as a person does in the file (the header is row 1).

    ``message`` is English (logs, ``siklus import``); ``msg`` is the problem as a coded message
    (``engine/messages/org.py``) that screens, the API's ``text`` and ``siklus --lang id import``
    render in the reader's language. Every row problem carries one.
    """

    row: int
    column: str | None
    message: str
    msg: Message = field(compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.msg, Message):
            raise TypeError(f"a row problem needs a coded message, not {self.msg!r}: {self.message}")

    def __str__(self) -> str:
        return f"{self.row}: {self.column}: {self.message}" if self.column else f"{self.row}: {self.message}"


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do); ``ok`` is false when the file was rejected."""

    filename: str
    ok: bool = True
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    units_created: int = 0
    units_updated: int = 0
    employees_created: int = 0
    employees_updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    designations_set: int = 0  # rater designations set or changed (engine.import_designations)
    designations_cleared: int = 0

    @property
    def changed(self) -> int:
        return self.units_created + self.units_updated + self.employees_created + self.employees_updated

    def counts(self) -> dict[str, int]:
        return {"rows": self.rows, "units_created": self.units_created, "units_updated": self.units_updated,
                "employees_created": self.employees_created, "employees_updated": self.employees_updated,
                "unchanged": self.unchanged, "designations_set": self.designations_set,
                "designations_cleared": self.designations_cleared}


# -- reading the header (the file itself: engine.org_table) ---------------------------------------

def _key(header: str) -> str:
    return re.sub(r"[\s._\-]+", "", header.strip().lower())


_ALIASES = {_key(alias): name for name, aliases in (COLUMNS | designations.COLUMNS).items() for alias in aliases}


# -- checking -------------------------------------------------------------------------------

@dataclass
class _Person:
    row: int
    nip: str
    values: dict[str, str]


@dataclass
class _UnitRow:
    row: int
    code: str
    name: str
    parent: str | None


@dataclass
class _Parsed:
    columns: dict[str, str]  # field -> header as written
    people: list[_Person] = field(default_factory=list)
    units: dict[str, _UnitRow] = field(default_factory=dict)
    odd_nips: list[tuple[int, str, org_cells.Problem]] = field(default_factory=list)  # refused if new to Siklus
    folded: dict[str, _UnitRow] = field(default_factory=dict)  # the same, by the code without case
    nips: dict[str, int] = field(default_factory=dict)  # each NIP in the file -> its first row, sound or not
    rows: int = 0


def _parse(rows: Iterator[tuple[int, list[str]]], filename: str, errors: list[RowError]) -> _Parsed:
    header: list[str] | None = None
    index: dict[str, int] = {}
    parsed = _Parsed(columns={})
    seen_nip = parsed.nips
    for number, cells in rows:
        if not any(cells) and not org_cells.has_formula(cells, index):
            continue
        if header is None:
            header = cells
            for position, title in enumerate(cells):
                if not title:
                    continue
                name = _ALIASES.get(_key(title))
                if name is None:
                    if _key(title) in IGNORED:
                        continue
                    close = difflib.get_close_matches(title, [h for names in (COLUMNS | designations.COLUMNS).values()
                                                              for h in names], n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else f"; known columns: {', '.join(KNOWN)}"
                    errors.append(RowError(number, title, f"unknown column{hint}",
                                           Message("org.row.column_hint", column=title, hint=close[0]) if close
                                           else Message("org.row.column", column=title, known=list(KNOWN))))
                elif name in index:
                    errors.append(RowError(number, title, f"column given twice (also '{parsed.columns[name]}')",
                                           Message("org.row.column_twice", column=title,
                                                   other=parsed.columns[name])))
                else:
                    index[name] = position
                    parsed.columns[name] = title
            for required in ("nip", "name", "unit"):
                if required not in index:
                    errors.append(RowError(number, COLUMNS[required][0], "required column is missing",
                                           Message("org.row.column_missing", column=COLUMNS[required][0])))
            if errors:
                return parsed
            continue
        values, refused = org_cells.read_row(cells, index)
        if not refused and not any(values.values()):
            continue  # only a running number ('No') or spaces: a template's row not filled in
        parsed.rows += 1
        start, people = len(errors), len(parsed.people)
        _check_row(number, values, parsed, seen_nip, errors)
        if refused:  # named once, for what makes the cell unreadable, not again for reading as empty
            errors[start:] = ([RowError(number, parsed.columns[name], p.message, p.msg) for name, p in refused.items()]
                              + [e for e in errors[start:] if e.column not in {parsed.columns[n] for n in refused}])
            # Nor again by the checks of references and scope, which take what the file describes as read.
            del parsed.people[people:]
            described = parsed.units.get(values.get("unit", ""))
            if described is not None and described.row == number and refused.keys() & {"unit", "unit_name", "parent"}:
                del parsed.units[described.code], parsed.folded[described.code.casefold()]
    if header is None:
        raise InvalidInput(f"{filename}: the file is empty; the first row must name the columns ({', '.join(HEADERS)})",
                           msg=Message("org.empty", file=filename, columns=list(HEADERS)))
    return parsed


def _shown(text: str) -> str:
    """A refused cell repeated back in part: a pasted page must not fill the list of problems."""
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _check_row(number: int, values: dict[str, str], parsed: _Parsed, seen_nip: dict[str, int],
               errors: list[RowError]) -> None:
    col = parsed.columns
    problems = len(errors)
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            errors.append(RowError(number, col[name], f"longer than {limit} characters",
                                   Message("org.row.too_long", limit=limit)))
    nip = values["nip"].replace(" ", "")
    errors.extend(RowError(number, col[p.column], p.message, p.msg)
                  for p in designations.check_cells(number, values, bool(nip or values["name"])))
    unit = values["unit"]
    if not unit:
        errors.append(RowError(number, col["unit"], "missing: every row names its unit by code",
                               Message("org.row.unit_missing")))
    unit_name = values.get("unit_name", "")
    if unit_name and unit:
        parent = values.get("parent", "") or None
        if parent == unit:
            errors.append(RowError(number, col["parent"], f"unit '{unit}' cannot be its own parent",
                                   Message("org.row.own_parent", unit=unit)))
        described, twin = parsed.units.get(unit), parsed.folded.get(unit.casefold())
        if described is None and twin is not None:
            errors.append(RowError(number, col["unit"], f"unit code '{unit}' differs only in case from '{twin.code}' "
                                   f"in row {twin.row}; one code is not written two ways: write '{twin.code}'",
                                   Message("org.row.unit_case_row", unit=unit, code=twin.code, row=str(twin.row))))
        elif described is None:
            parsed.units[unit] = parsed.folded[unit.casefold()] = _UnitRow(number, unit, unit_name, parent)
        elif (described.name, described.parent) != (unit_name, parent):
            errors.append(RowError(number, col["unit_name"], f"unit '{unit}' is described differently in row "
                                   f"{described.row} ({described.name!r}, parent {described.parent or 'none'})",
                                   Message("org.row.unit_differs", unit=unit, row=str(described.row),
                                           name=described.name,
                                           parent=described.parent or Message("org.row.no_parent"))))
    elif "parent" in values and values["parent"] and not unit_name:
        errors.append(RowError(number, col.get("unit_name", COLUMNS["unit_name"][0]),
                               "a parent unit is given without the unit's name; give both to describe the unit",
                               Message("org.row.parent_without_name")))
    if not nip:
        if values["name"]:
            errors.append(RowError(number, col["nip"], "missing (a row without NIP only describes a unit)",
                                   Message("org.row.nip_missing")))
        elif not unit_name and unit:
            errors.append(RowError(number, col.get("unit_name", COLUMNS["unit_name"][0]),
                                   "a row without NIP describes a unit and needs the unit's name",
                                   Message("org.row.unit_name_missing")))
        return
    if not NIP.match(nip):
        hint = ("; it looks like Excel turned it into a number and lost digits: format the column as Text"
                if re.match(r"^\d+(\.\d*)?e\+?\d+$|^\d+\.\d+$", nip, re.I) else "")
        errors.append(RowError(number, col["nip"], f"'{_shown(values['nip'])}' is not an 18-digit NIP{hint}",
                               Message("org.row.nip_excel" if hint else "org.row.nip", value=_shown(values["nip"]))))
    elif nip in seen_nip:
        errors.append(RowError(number, col["nip"], f"NIP {nip} appears twice (first in row {seen_nip[nip]})",
                               Message("org.row.nip_twice", nip=nip, row=str(seen_nip[nip]))))
    else:
        seen_nip[nip] = number
        odd = org_cells.nip_problem(nip)
        if odd is not None:
            parsed.odd_nips.append((number, nip, odd))
    if not values["name"]:
        errors.append(RowError(number, col["name"], "missing", Message("org.row.name_missing")))
    boss = values.get("supervisor", "").replace(" ", "")
    if boss and not NIP.match(boss):
        errors.append(RowError(number, col["supervisor"], f"'{_shown(values['supervisor'])}' is not an 18-digit NIP",
                               Message("org.row.nip", value=_shown(values["supervisor"]))))
    elif boss and boss == nip:
        errors.append(RowError(number, col["supervisor"], "an employee cannot be their own supervisor",
                               Message("org.row.own_supervisor")))
    email = values.get("email", "")
    if email and not EMAIL.match(email):
        errors.append(RowError(number, col["email"], f"'{_shown(email)}' is not an e-mail address",
                               Message("org.row.email", value=_shown(email))))
    if len(errors) == problems:
        cleaned = dict(values, nip=nip)
        if "supervisor" in cleaned:
            cleaned["supervisor"] = boss
        parsed.people.append(_Person(number, nip, cleaned))


def _find_loops(starts: list[str], next_of: Callable[[str], str | None]) -> list[list[str]]:
    """Every loop reached from ``starts`` by following ``next_of``, each once, beginning (and ending) at its member
    that comes first in ``starts``. Each node is walked once: a chain of 100,000 supervisors is checked in linear
    time, not 100,000 walks to the top."""
    order = {start: n for n, start in enumerate(starts)}
    done: set[str] = set()
    loops: list[list[str]] = []
    for start in starts:
        path: list[str] = []
        at: dict[str, int] = {}
        current: str | None = start
        while current is not None and current not in done:
            if current in at:
                members = path[at[current]:]
                first = min(range(len(members)), key=lambda i: order.get(members[i], len(order)))
                rotated = members[first:] + members[:first]
                loops.append(rotated + [rotated[0]])
                break
            at[current] = len(path)
            path.append(current)
            current = next_of(current)
        done.update(path)
    return loops


@dataclass
class _Db:
    units: dict[str, tuple[int, str, int | None]]  # code -> (id, name, parent_id)
    unit_codes: dict[int, str]
    people: dict[str, tuple[int, str, str, str | None, int, int | None, str | None]]
    # nip -> (id, name, position, position_level, unit_id, supervisor_id, email)
    nips: dict[int, str]


def _load_db(session: Session) -> _Db:
    units = {code: (uid, name, parent) for uid, code, name, parent in
             session.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.parent_id))}
    people = {row[1]: (row[0], row[2], row[3], row[4], row[5], row[6], row[7]) for row in session.execute(select(
        Employee.id, Employee.nip, Employee.name, Employee.position, Employee.position_level, Employee.unit_id,
        Employee.supervisor_id, Employee.email))}
    return _Db(units, {uid: code for code, (uid, _n, _p) in units.items()}, people,
               {row[0]: nip for nip, row in people.items()})


def _misspelt(row: int, column: str, code: str, spelt: dict[str, str]) -> RowError | None:
    """The refusal of a unit ``code`` that is a known code (``spelt``: by the code without case) in another case."""
    known = spelt.get(code.casefold())
    return None if known is None else RowError(
        row, column, f"unknown unit '{code}' (did you mean '{known}'?); write a unit code exactly, capitals included",
        Message("org.row.unit_spelt", unit=code, code=known))


def _check_references(parsed: _Parsed, db: _Db, errors: list[RowError]) -> None:
    col = parsed.columns
    # A unit code is one code whatever its case: a new one may not differ from a known one only in case, and one
    # referred to in another case is refused naming the code to write (the export and the screens show that one).
    in_db: dict[str, str] = {}
    for code in sorted(db.units):
        in_db.setdefault(code.casefold(), code)
    spelt = {folded: unit.code for folded, unit in parsed.folded.items()} | in_db
    for unit in parsed.units.values():
        same = in_db.get(unit.code.casefold()) if unit.code not in db.units else None
        if same is not None:
            errors.append(RowError(unit.row, col["unit"], f"unit code '{unit.code}' differs only in case from the "
                                   f"existing unit '{same}'; one code is not written two ways: write '{same}'",
                                   Message("org.row.unit_case", unit=unit.code, code=same)))
        if unit.parent and unit.parent not in parsed.units and unit.parent not in db.units:
            errors.append(_misspelt(unit.row, col["parent"], unit.parent, spelt) or RowError(
                unit.row, col["parent"], f"unknown unit '{unit.parent}' (neither in the file nor in the database)",
                Message("org.row.parent_unknown", unit=unit.parent)))

    def parent_of(code: str) -> str | None:
        if code in parsed.units:
            return parsed.units[code].parent
        known = db.units.get(code)
        return db.unit_codes.get(known[2]) if known and known[2] is not None else None

    for loop in _find_loops(list(parsed.units), parent_of):
        errors.append(RowError(parsed.units[loop[0]].row, col["parent"], "units form a loop: " + " -> ".join(loop),
                               Message("org.row.unit_loop", loop=" -> ".join(loop))))
    in_file = {p.nip: p for p in parsed.people}
    for person in parsed.people:
        unit_code = person.values["unit"]
        if unit_code and unit_code not in parsed.units and unit_code not in db.units:
            errors.append(_misspelt(person.row, col["unit"], unit_code, spelt) or RowError(
                person.row, col["unit"], f"unknown unit '{unit_code}': not in the database; describe it in the file "
                f"with '{COLUMNS['unit_name'][0]}'",
                Message("org.row.unit_unknown", unit=unit_code, column=COLUMNS["unit_name"][0])))
        boss = person.values.get("supervisor")
        if boss and boss not in parsed.nips and boss not in db.people:  # a row refused for itself is in the file
            errors.append(RowError(person.row, col["supervisor"], f"unknown supervisor NIP {boss} "
                                   "(neither in the file nor in the database)",
                                   Message("org.row.supervisor_unknown", nip=boss)))

    def boss_of(nip: str) -> str | None:
        person = in_file.get(nip)
        if person is not None and "supervisor" in person.values:
            return person.values["supervisor"] or None
        known = db.people.get(nip)
        return db.nips.get(known[5]) if known and known[5] is not None else None

    for loop in _find_loops([p.nip for p in parsed.people], boss_of):
        errors.append(RowError(in_file[loop[0]].row, col.get("supervisor", COLUMNS["supervisor"][0]),
                               "supervisors form a loop: " + " -> ".join(loop),
                               Message("org.row.supervisor_loop", loop=" -> ".join(loop))))


# -- writing --------------------------------------------------------------------------------

def _write_units(session: Session, parsed: _Parsed, db: _Db, report: ImportReport) -> dict[str, int]:
    ids = {code: row[0] for code, row in db.units.items()}
    new = [u for code, u in parsed.units.items() if code not in db.units]
    if new:
        created = session.execute(insert(OrgUnit).returning(OrgUnit.id, OrgUnit.code),
                                  [{"code": u.code, "name": u.name, "parent_id": None} for u in new])
        ids.update({code: uid for uid, code in created})
    report.units_created = len(new)
    changes = []
    for code, unit in parsed.units.items():
        parent_id = ids[unit.parent] if unit.parent else None
        if code in db.units:
            _uid, name, old_parent = db.units[code]
            if (name, old_parent) == (unit.name, parent_id):
                report.unchanged += 1
                continue
            report.units_updated += 1
        elif parent_id is None:
            continue
        changes.append({"uid": ids[code], "name": unit.name, "parent_id": parent_id})
    if changes:
        table = OrgUnit.__table__
        session.execute(update(table).where(table.c.id == bindparam("uid"))
                        .values(name=bindparam("name"), parent_id=bindparam("parent_id")), changes)
    return ids


def _values(person: _Person, unit_ids: dict[str, int]) -> dict[str, Any]:
    v = person.values
    out: dict[str, Any] = {"name": v["name"], "unit_id": unit_ids[v["unit"]]}
    if "position" in v:
        out["position"] = v["position"]
    if "level" in v:
        out["position_level"] = v["level"] or None
    if "email" in v:
        out["email"] = v["email"] or None
    return out


def _write_people(session: Session, parsed: _Parsed, db: _Db, unit_ids: dict[str, int], report: ImportReport,
                  progress: Callable[[int], None] | None) -> None:
    table = Employee.__table__
    new = [p for p in parsed.people if p.nip not in db.people]
    ids = {nip: row[0] for nip, row in db.people.items()}
    for start in range(0, len(new), CHUNK):
        block = new[start:start + CHUNK]
        rows = [{"nip": p.nip, "position": "", "active": True, **_values(p, unit_ids)} for p in block]
        created = session.execute(insert(Employee).returning(Employee.id, Employee.nip), rows)
        ids.update({nip: eid for eid, nip in created})
        if progress:
            progress(len(block))
    report.employees_created = len(new)
    changes: list[dict[str, Any]] = []
    for person in parsed.people:
        values = _values(person, unit_ids)
        if "supervisor" in person.values:
            values["supervisor_id"] = ids[person.values["supervisor"]] if person.values["supervisor"] else None
        known = db.people.get(person.nip)
        if known is None:
            if values.get("supervisor_id") is not None:
                changes.append({"eid": ids[person.nip], **values})
            continue
        current = {"name": known[1], "position": known[2], "position_level": known[3], "unit_id": known[4],
                   "supervisor_id": known[5], "email": known[6]}
        if all(current[k] == v for k, v in values.items()):
            report.unchanged += 1
            continue
        report.employees_updated += 1
        changes.append({"eid": known[0], **{k: values.get(k, current[k]) for k in current}})
    # One UPDATE shape per set of columns, so executemany can batch them.
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for change in changes:
        by_shape.setdefault(tuple(sorted(k for k in change if k != "eid")), []).append(change)
    for shape, rows in by_shape.items():
        stmt = update(table).where(table.c.id == bindparam("eid")).values({k: bindparam(k) for k in shape})
        for start in range(0, len(rows), CHUNK):
            session.execute(stmt, rows[start:start + CHUNK])
    if progress:
        progress(len(parsed.people) - len(new))


def may_import(session: Session, actor: Actor) -> bool:
    """Whether the actor may import (engine.org_scope); the import page asks before it offers the form."""
    return import_scope(session, actor) is not None


def import_org(session: Session, data: bytes, filename: str, actor: Actor, *, dry_run: bool = False,
               progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Check a CSV/XLSX table of units and employees and upsert it in one transaction.

    Returns a report; with any row error ``ok`` is false and nothing is written. Raises
    :class:`~engine.errors.InvalidInput` for a file that cannot be read at all (unknown type, not
    UTF-8, not a workbook, empty) and :class:`~engine.errors.Forbidden` unless the actor is HR or admin
    over every unit or a top unit; a row outside their units is refused (engine.org_scope). ``progress(done,
    total)`` is called as employee rows are written.
    """
    filename = file_label(filename)
    scope = import_scope(session, actor)
    if scope is None:
        raise Forbidden(f"{actor.username} may not import the organisation: it needs HR or admin rights over an "
                        "agency's top unit or over every unit", msg=Message("org.import_forbidden",
                                                                             username=actor.username))
    check_size(ORG_IMPORT_FILE, len(data), filename)
    report = ImportReport(filename=filename, dry_run=dry_run)
    errors: list[RowError] = []
    parsed = _parse(read_table(data, filename), filename, errors)
    report.rows = parsed.rows
    if not dry_run:
        # All or nothing by design: one transaction, holding SQLite's write lock from the check of the
        # database to the commit, so what was checked is what is written. Other writers wait for it
        # (readers do not); see engine.db.
        begin_write(session)
        lock_chart(session)
    try:
        db = _load_db(session)
        # Who is already in Siklus is matched by NIP as it is; a NIP new to it must have the parts of a NIP.
        errors.extend(RowError(row, parsed.columns["nip"], p.message, p.msg) for row, nip, p in parsed.odd_nips
                      if nip not in db.people)
        # Every problem in one pass, so nobody corrects a file twice: the references of the rows that read well,
        # and the rows reaching outside the importer's units (a reference found wrong here is not judged there).
        _check_references(parsed, db, errors)
        errors.extend(RowError(o.row, parsed.columns.get(o.field, COLUMNS[o.field][0]), o.message, o.msg)
                      for o in outside(scope, parsed, db))
    except BaseException:
        session.rollback()
        raise
    if errors:
        report.ok = False
        report.errors = sorted(errors, key=lambda e: (e.row, e.column or "", e.message))
        session.rollback()
        return report
    total = len(parsed.people)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    try:
        before = None if dry_run else chart_fingerprint(session)
        unit_ids = _write_units(session, parsed, db, report)
        _write_people(session, parsed, db, unit_ids, report, step)
        if "rater" in parsed.columns:
            applied = designations.apply(session, actor, [(p.row, p.nip, p.values) for p in parsed.people])
            report.designations_set, report.designations_cleared = applied.set, applied.cleared
            if applied.problems:
                session.rollback()
                report.ok, report.errors = False, [RowError(p.row, parsed.columns[p.column], p.message, p.msg)
                                                   for p in applied.problems]
                return report
        if dry_run:
            session.rollback()
            return report
        append_system_event(session, EventInfo(
            kind="import", actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
            payload={"file": filename, **report.counts(), "chart": chart_record(before, chart_fingerprint(session)),
                     **public_mark(session)},
        ))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report
