"""Rater designations carried by the organisation import (:mod:`engine.orgimport`).

Three optional columns name, for an employee with no superior in Siklus (a Sekretaris Daerah, an agency head
answering to the regional head), the account that rates them, the account that reviews them and the basis
(a decree). They are applied after the file's units and employees are written, in the same transaction, through
the rules and audit events of :mod:`engine.raters`; a row that breaks a rule is named by row and column and
nothing of the file is written. A column left out leaves designations as they are; a blank ``Akun Penilai``
removes the employee's designation, as a blank cell empties any other field, unless the employee has a
supervisor: then the designation counts for nothing, ``siklus export-org`` leaves it out, and the import leaves
it as it is (so an exported file imported back changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from engine.errors import SiklusError
from engine.messages import Message
from engine.models import Employee, User
from engine.permissions import Actor
from engine.rater_models import RaterDesignation
from engine.raters import (
    check_account,
    check_basis,
    check_designable,
    check_not_own,
    check_reviewer,
    record_designation,
    remove_designation,
)

# Field -> the headers accepted for it, as engine.orgimport.COLUMNS (the export writes the first of each).
COLUMNS: dict[str, tuple[str, ...]] = {
    "rater": ("Akun Penilai", "Akun Pejabat Penilai", "Rater Account"),
    "reviewer": ("Akun Atasan Penilai", "Akun Atasan Pejabat Penilai", "Reviewer Account"),
    "basis": ("Dasar Penunjukan", "Dasar Penunjukan Penilai", "Designation Basis"),
}
LIMITS = {"rater": 80, "reviewer": 80}  # an account name; the basis is bounded by engine.raters
CHUNK = 2000
R = TypeVar("R")


@dataclass(frozen=True)
class CellProblem:
    """A designation cell a row cannot have: the field, an English sentence for logs and the coded message."""

    row: int
    column: str
    message: str
    msg: Message


@dataclass
class Applied:
    """What the designation columns changed, or the rows that broke a rule (then nothing is kept)."""

    set: int = 0
    cleared: int = 0
    problems: list[CellProblem] = field(default_factory=list)


def check_cells(row: int, values: Mapping[str, str], employee_row: bool) -> list[CellProblem]:
    """Problems of the designation cells alone: on a row that describes only a unit, or a reviewer or a basis
    with no rater."""
    given = [name for name in COLUMNS if values.get(name)]
    if given and not employee_row:
        return [CellProblem(row, given[0], "only an employee row names a rater", Message("org.row.rater_unit_row"))]
    if not values.get("rater") and given:
        return [CellProblem(row, name, "a reviewer or a basis needs the rater's account in the same row",
                            Message("org.row.rater_missing", column=COLUMNS["rater"][0])) for name in given]
    return []


def apply(session: Session, actor: Actor, people: Sequence[tuple[int, str, Mapping[str, str]]]) -> Applied:
    """Set or remove the designation of each employee row ``(row, nip, values)`` whose rater cell is filled or
    who has one, after the file's employees are written; the caller commits, or rolls back on a problem."""
    applied = Applied()
    existing = {nip: designation for designation, nip in session.execute(
        select(RaterDesignation, Employee.nip).join(Employee, Employee.id == RaterDesignation.employee_id))}
    wanted = [(row, nip, values) for row, nip, values in people if values.get("rater") or nip in existing]
    nips = [nip for _row, nip, _values in wanted]
    employees: dict[str, Employee] = {}
    for start in range(0, len(nips), CHUNK):
        employees.update((e.nip, e) for e in session.scalars(
            select(Employee).where(Employee.nip.in_(nips[start:start + CHUNK]))
            .execution_options(populate_existing=True)))
    for row, nip, values in wanted:
        employee = employees[nip]
        if not values.get("rater"):
            if employee.supervisor_id is not None:
                continue  # the org chart names the rater; a designation from before counts for nothing and stays
            try:
                check_not_own(actor, employee)  # nobody removes who rates them
            except SiklusError as exc:
                applied.problems.append(CellProblem(row, "rater", exc.message, exc.msg or Message("not_allowed")))
                continue
            remove_designation(session, actor, employee, existing[nip])
            applied.cleared += 1
            continue
        checked = _checked(session, actor, employee, row, values, applied.problems)
        if checked is not None and record_designation(session, actor, employee, *checked)[1]:
            applied.set += 1
    return applied


def exported(session: Session) -> dict[str, tuple[str, str, str]]:
    """The rater's and reviewer's accounts and the basis of each designation that counts (its employee has no
    supervisor), by the employee's NIP, in one query: the cells ``siklus export-org`` writes.

    A designation whose employee has since gained a supervisor no longer counts and is left out: the import
    refuses a rater for an employee with a supervisor."""
    rater, reviewer = aliased(User), aliased(User)
    rows = session.execute(
        select(Employee.nip, rater.username, reviewer.username, RaterDesignation.basis)
        .join(RaterDesignation, RaterDesignation.employee_id == Employee.id)
        .join(rater, rater.id == RaterDesignation.rater_user_id)
        .outerjoin(reviewer, reviewer.id == RaterDesignation.reviewer_user_id)
        .where(Employee.supervisor_id.is_(None)))
    return {nip: (rater_name, reviewer_name or "", basis or "") for nip, rater_name, reviewer_name, basis in rows}


def _checked(session: Session, actor: Actor, employee: Employee, row: int, values: Mapping[str, str],
             problems: list[CellProblem]) -> tuple[User, User | None, str] | None:
    """The rater, reviewer and basis of one row as engine.raters checks them; None with the row's problems."""
    before = len(problems)

    def check(column: str, rule: Callable[..., R], *args: Any) -> R | None:
        try:
            return rule(*args)
        except SiklusError as exc:
            problems.append(CellProblem(row, column, exc.message, exc.msg or Message("not_allowed")))
            return None

    check("rater", check_designable, employee)
    check("rater", check_not_own, actor, employee)
    if len(problems) > before:
        return None  # the org chart names the rater: the accounts are beside the point
    basis = values.get("basis", "")
    check("basis", check_basis, basis)
    rater = check("rater", check_account, session, actor, employee, values["rater"])
    reviewer = check("reviewer", check_account, session, actor, employee, values["reviewer"]) \
        if values.get("reviewer") else None
    if rater is not None:
        check("reviewer", check_reviewer, rater, reviewer)
    if len(problems) > before or rater is None:
        return None
    return rater, reviewer, basis
