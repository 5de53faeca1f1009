"""Roles nobody holds: the cycle language's ``vacant`` clause of a state.

PermenPAN-RB 6/2022 names the rater (pejabat penilai kinerja) and the rater's supervisor (atasan pejabat
penilai) from the organisation chart; where the chart ends (a Sekretaris Daerah rated by the regional head,
who is no employee) HR designates the accounts that hold those roles (:mod:`engine.raters`). When nobody
holds a role for an appraisal, a state only that role can leave would hold the appraisal for ever. A cycle
declares what then happens::

    review:
      vacant:
        atasan_penilai: {fire: confirm_rating}   # the rating stands without review

Whenever an appraisal enters such a state, or is found in one by ``siklus tick`` (a designation removed
later), and nobody holds the role for it, the system fires the trigger. The audit event records the role
that was vacant (``vacant_role`` in its payload), so the outcome follows from a recorded rule, not from a
person who never acted. A state without the clause keeps waiting, and HR's launch and run pages name the
employees concerned (:func:`engine.raters.without_reviewer_in_run`).

This module finds vacancies; :func:`engine.appraisals.firing.fire_transition` and ``siklus tick``
(:mod:`engine.deadlines`) fire them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from engine.definition import CycleDefinition
from engine.loaded import definitions_by_id
from engine.models import Appraisal, CycleDefinitionRecord, Employee
from engine.resolvers import HolderIndex, Subject, resolver_of

__all__ = ["Vacancy", "VacantAppraisal", "vacancy", "vacancy_of", "vacant_appraisals"]


@dataclass(frozen=True)
class Vacancy:
    """A role nobody holds for an appraisal in a state whose ``vacant`` clause names it, and what to fire."""

    role: str
    trigger: str


@dataclass(frozen=True)
class VacantAppraisal:
    """An open appraisal, as read at ``version``, that waits in a state for a role nobody holds."""

    appraisal_id: int
    version: int
    state: str
    vacancy: Vacancy


def vacancy(index: HolderIndex, defn: CycleDefinition, state: str, subject: Subject) -> Vacancy | None:
    """The first role of the state's ``vacant`` clause that nobody holds for ``subject`` (None: all held)."""
    spec = defn.states.get(state)
    for role, trigger in (spec.vacant.items() if spec is not None else ()):
        declared = defn.roles.get(role)
        if declared is None:
            continue
        held = index.of(declared, subject)
        if not held.employee_ids and not held.user_ids:
            return Vacancy(role, trigger)
    return None


def vacancy_of(session: Session, defn: CycleDefinition, state: str, subject: Subject) -> Vacancy | None:
    """:func:`vacancy` for one appraised employee (no query when the state has no ``vacant`` clause)."""
    spec = defn.states.get(state)
    if spec is None or not spec.vacant:
        return None
    resolvers = {defn.roles[r].resolver for r in spec.vacant if r in defn.roles}
    return vacancy(HolderIndex(session, [subject], resolvers), defn, state, subject)


def _vacant_states(defn: CycleDefinition) -> dict[str, list[str]]:
    """The states with a ``vacant`` clause, each with its roles."""
    return {name: list(spec.vacant) for name, spec in defn.states.items() if spec.vacant}


def _maybe(defn: CycleDefinition, roles: Iterable[str], employee: type[Employee], boss: type[Employee]
           ) -> ColumnElement[bool] | None:
    """Where nobody might hold one of the roles (None: anywhere), from the resolvers' own conditions."""
    conditions = []
    for role in roles:
        resolver = resolver_of(defn.roles[role]) if role in defn.roles else None
        condition = resolver.may_be_vacant(employee, boss) if resolver is not None else None
        if condition is None:
            return None
        conditions.append(condition)
    return or_(*conditions) if conditions else None


def vacant_appraisals(session: Session, batch: int = 500) -> list[VacantAppraisal]:
    """Every open appraisal waiting in a state with a ``vacant`` clause for a role nobody holds.

    Per cycle version with such states: one statement per ``batch`` of candidates along the
    (definition, state) index, narrowed in SQL to employees for whom nobody might hold a role (where the
    chart ends), then each batch's holders in a few queries (:class:`~engine.resolvers.HolderIndex`).
    """
    records = session.execute(select(CycleDefinitionRecord.id, CycleDefinitionRecord.content_hash)).all()
    found: list[VacantAppraisal] = []
    for record_id, defn in sorted(definitions_by_id(session, [(r, h) for r, h in records]).items()):
        states = _vacant_states(defn)
        if not states:
            continue
        employee, boss = aliased(Employee, name="vacant_employee"), aliased(Employee, name="vacant_boss")
        roles = {role for listed in states.values() for role in listed}
        stmt = (select(Appraisal.id, Appraisal.version, Appraisal.state, employee.id, employee.unit_id,
                       employee.supervisor_id, boss.supervisor_id)
                .join(employee, employee.id == Appraisal.employee_id)
                .outerjoin(boss, boss.id == employee.supervisor_id)
                .where(Appraisal.definition_id == record_id, Appraisal.state.in_(sorted(states)),
                       Appraisal.closed_at.is_(None))
                .order_by(Appraisal.id).limit(batch))
        narrowed = _maybe(defn, roles, employee, boss)
        if narrowed is not None:
            stmt = stmt.where(narrowed)
        after = 0
        while True:
            rows = session.execute(stmt.where(Appraisal.id > after)).all()
            if not rows:
                break
            after = rows[-1][0]
            subjects = [Subject(r[3], r[4], r[5], r[6]) for r in rows]
            index = HolderIndex(session, subjects, {defn.roles[r].resolver for r in roles if r in defn.roles})
            for row, subject in zip(rows, subjects, strict=True):
                found_here = vacancy(index, defn, row[2], subject)
                if found_here is not None:
                    found.append(VacantAppraisal(row[0], row[1], row[2], found_here))
    return found
