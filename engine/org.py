"""The organisation: units, employees and their supervisors, and the unit tree read in SQL.

The tree (``org_unit.parent_id``) is read with recursive common table expressions, which SQLite and
PostgreSQL both run: a unit's ancestry, the units below a set of units, a unit's children, a unit's
path from the root. Each is one statement whatever the depth, and none loads the whole tree, so a
page costs what its part of the organisation costs:

* :func:`units_under` is the SQL form (``Employee.unit_id.in_(units_under([unit_id]))``), to be
  embedded in another query; :func:`unit_and_descendants` runs it and returns the ids;
* :func:`unit_ancestries` / :func:`unit_ancestry`: each unit and every unit above it, nearest first
  (who holds a grant over a unit, which run covers an employee);
* :func:`unit_path`: the units from the root down to a unit (breadcrumbs of a drill-down);
* :func:`child_units`: the units right below a unit, or the roots, by name (one level of a tree
  picker or a drill-down, never the whole tree).

``MAX_DEPTH`` bounds every walk, so a parent cycle in imported data ends instead of looping.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Integer, Select, func, literal, select
from sqlalchemy.orm import Session, aliased

from engine.models import Employee, OrgUnit

#: Deepest organisation tree walked (a guard against a parent cycle in imported data).
MAX_DEPTH = 64


# -- the unit tree --------------------------------------------------------------------------------

def units_under(unit_ids: Iterable[int], name: str = "units_under") -> Select[tuple[int]]:
    """SQL: the ids of the given units and of every unit below them, for use in ``IN (...)``.

    One recursive query (it walks ``org_unit.parent_id`` downwards through its index); ``name``
    names the common table expression, so several can stand in one statement.
    """
    base = (select(OrgUnit.id.label("id"), literal(0, Integer).label("depth"))
            .where(OrgUnit.id.in_(sorted(set(unit_ids))))
            .cte(name, recursive=True))
    below = aliased(OrgUnit)
    tree = base.union_all(
        select(below.id, base.c.depth + 1).join(below, below.parent_id == base.c.id).where(base.c.depth < MAX_DEPTH))
    return select(tree.c.id)


def unit_and_descendants(session: Session, unit_id: int) -> list[int]:
    """The unit and every unit below it (one statement): the unit first, then by depth and id.

    A unit that does not exist gives an empty list.
    """
    return units_and_descendants(session, [unit_id])


def units_and_descendants(session: Session, unit_ids: Iterable[int]) -> list[int]:
    """The given units and every unit below them, each once (one statement), by depth and id."""
    wanted = sorted(set(unit_ids))
    if not wanted:
        return []
    base = (select(OrgUnit.id.label("id"), literal(0, Integer).label("depth"))
            .where(OrgUnit.id.in_(wanted))
            .cte("units_below", recursive=True))
    below = aliased(OrgUnit)
    tree = base.union_all(
        select(below.id, base.c.depth + 1).join(below, below.parent_id == base.c.id).where(base.c.depth < MAX_DEPTH))
    out: list[int] = []
    seen: set[int] = set()
    for uid in session.scalars(select(tree.c.id).order_by(tree.c.depth, tree.c.id)):
        if uid not in seen:  # only a parent cycle in imported data repeats a unit
            seen.add(uid)
            out.append(uid)
    return out


def unit_ancestries(session: Session, unit_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Each unit with every unit above it, nearest first: one recursive query for all of them.

    A unit that does not exist maps to an empty tuple.
    """
    wanted = sorted(set(unit_ids))
    if not wanted:
        return {}
    base = (select(OrgUnit.id.label("start"), OrgUnit.id.label("unit"), OrgUnit.parent_id.label("parent"),
                   literal(0, Integer).label("depth"))
            .where(OrgUnit.id.in_(wanted))
            .cte("unit_ancestry", recursive=True))
    above = aliased(OrgUnit)
    tree = base.union_all(
        select(base.c.start, above.id, above.parent_id, base.c.depth + 1)
        .join(above, above.id == base.c.parent)
        .where(base.c.depth < MAX_DEPTH))
    chains: dict[int, list[int]] = {u: [] for u in wanted}
    for start, unit in session.execute(select(tree.c.start, tree.c.unit).order_by(tree.c.start, tree.c.depth)):
        if unit not in chains[start]:
            chains[start].append(unit)
    return {u: tuple(chain) for u, chain in chains.items()}


def unit_ancestry(session: Session, unit_id: int) -> tuple[int, ...]:
    """The unit and every unit above it, nearest first (one statement); empty for no such unit."""
    return unit_ancestries(session, [unit_id])[unit_id]


def unit_path(session: Session, unit_id: int) -> list[OrgUnit]:
    """The units from the root of the unit's tree down to the unit itself (two statements); empty for
    no such unit. For breadcrumbs: country -> agency -> unit."""
    chain = unit_ancestry(session, unit_id)
    if not chain:
        return []
    by_id = {u.id: u for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(chain)))}
    return [by_id[u] for u in reversed(chain) if u in by_id]


def child_units(session: Session, parent_id: int | None, *, limit: int | None = None,
                offset: int = 0) -> list[OrgUnit]:
    """The units right below ``parent_id`` (the roots for None), by name then id; one level only.

    ``limit``/``offset`` page a level with very many units (a ministry's offices).
    """
    where = OrgUnit.parent_id.is_(None) if parent_id is None else OrgUnit.parent_id == parent_id
    stmt = select(OrgUnit).where(where).order_by(OrgUnit.name, OrgUnit.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def child_counts(session: Session, unit_ids: Iterable[int]) -> dict[int, int]:
    """How many units lie right below each given unit (one grouped statement); 0 for a leaf."""
    wanted = sorted(set(unit_ids))
    counts = dict.fromkeys(wanted, 0)
    if wanted:
        for parent, n in session.execute(select(OrgUnit.parent_id, func.count()).where(OrgUnit.parent_id.in_(wanted))
                                         .group_by(OrgUnit.parent_id)):
            if parent is not None:  # always: only children of the given units are counted
                counts[parent] = int(n)
    return counts


# -- units and employees --------------------------------------------------------------------------

def count_employees(session: Session, unit_ids: Iterable[int]) -> int:
    """Active employees in the given units."""
    return int(session.scalar(
        select(func.count()).select_from(Employee).where(Employee.unit_id.in_(list(unit_ids)),
                                                         Employee.active.is_(True))
    ) or 0)


def units_by_name(session: Session) -> list[OrgUnit]:
    """Every unit of the organisation, by name."""
    return list(session.scalars(select(OrgUnit).order_by(OrgUnit.name)))


def unit_by_id(session: Session, unit_id: int) -> OrgUnit | None:
    """The unit with this id, or None."""
    return session.get(OrgUnit, unit_id)


def employee_total(session: Session) -> int:
    """Employees on record, active or not (whether the organisation has been loaded at all)."""
    return int(session.scalar(select(func.count()).select_from(Employee)) or 0)
