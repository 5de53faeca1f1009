"""The organisation one level at a time, for screens that must not load every unit of a country.

A national deployment holds tens of thousands of units. A screen shows where a person stands
(breadcrumbs from the top of their HR scope down to the unit), the sub-units one level below
(links to go down) and a search by name or code that answers at most a few matches; a report rolls
every unit below up into the row of the sub-unit it belongs to, in SQL (:func:`level_rollup`).
Every answer here is one bounded query; nothing reads the whole tree. The tree itself is read through
:mod:`engine.org` (ancestry, units below, children).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, and_, case, false, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from engine.models import OrgUnit
from engine.org import MAX_DEPTH, child_units, unit_ancestries, units_under
from engine.policy import HrScope

#: The most sub-units or search matches a picker lists at once (the rest are reached by a narrower search).
PICK_LIMIT = 25


@dataclass(frozen=True)
class UnitRef:
    """A unit as a picker or a breadcrumb shows it."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class UnitPicker:
    """Where a person stands in the organisation and where they can go from there.

    ``current`` is the unit chosen (None: the top of their scope, every unit they oversee); ``crumbs`` the
    units from the top of the scope down to the current unit's parent; ``children`` the units one level
    down (at most :data:`PICK_LIMIT`, ``more_children`` when there are more); ``matches`` the units whose
    name or code contains ``query``, equally bounded; ``single_top`` when the scope has one top unit (so
    there is no level above it to go back to).
    """

    current: UnitRef | None
    crumbs: tuple[UnitRef, ...]
    children: tuple[UnitRef, ...]
    more_children: bool
    query: str = ""
    matches: tuple[UnitRef, ...] = ()
    more_matches: bool = False
    single_top: bool = False


def _refs(session: Session, stmt: Any, limit: int) -> tuple[tuple[UnitRef, ...], bool]:
    rows = [UnitRef(*row) for row in session.execute(stmt.limit(limit + 1))]
    return tuple(rows[:limit]), len(rows) > limit


def _columns() -> Any:
    return select(OrgUnit.id, OrgUnit.code, OrgUnit.name)


def scope_tops(session: Session, scope: HrScope, under: int | None = None) -> list[int]:
    """The units at the top of what a person may look at: ``under`` when given, else the roots of the
    organisation for HR of every unit, else the covered units whose parent is not covered (one query)."""
    if under is not None:
        return [under]
    if scope.every_unit:
        return list(session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.name)))
    covered = set(scope.unit_ids)
    if not covered:
        return []
    rows = session.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.name)
                           .where(OrgUnit.id.in_(sorted(covered))).order_by(OrgUnit.name)).all()
    return [unit_id for unit_id, parent_id, _ in rows if parent_id not in covered]


def is_within(session: Session, unit_id: int, tops: Sequence[int]) -> bool:
    """Whether the unit is one of ``tops`` or below one of them (one recursive query)."""
    return bool(set(unit_ancestries(session, [unit_id]).get(unit_id, ())) & set(tops))


def unit_picker(session: Session, scope: HrScope, current: int | None, *, under: int | None = None,
                query: str = "", limit: int = PICK_LIMIT) -> UnitPicker:
    """The picker for a person standing on ``current`` (None: the top of their scope, or ``under``).

    The caller has checked that ``current`` is within the scope (and ``under``). At most four queries,
    each bounded by ``limit`` or by the depth of the organisation.
    """
    tops = scope_tops(session, scope, under)
    here: UnitRef | None = None
    crumbs: tuple[UnitRef, ...] = ()
    if current is not None:
        chain = list(reversed(unit_ancestries(session, [current]).get(current, (current,))))
        start = next((i for i, u in enumerate(chain) if u in set(tops)), len(chain) - 1)
        chain = chain[start:]
        named = {row[0]: UnitRef(*row) for row in session.execute(_columns().where(OrgUnit.id.in_(chain)))}
        here = named.get(current)
        crumbs = tuple(named[u] for u in chain[:-1] if u in named)
        below = child_units(session, current, limit=limit + 1)
        children, more = tuple(UnitRef(u.id, u.code, u.name) for u in below[:limit]), len(below) > limit
    else:
        children, more = _refs(session, _columns().where(OrgUnit.id.in_(tops)).order_by(OrgUnit.name, OrgUnit.id),
                               limit)
    text = query.strip()[:80]
    bounded = under is not None or not scope.every_unit
    matches, more_matches = search_units(session, scope, text, tops=tops if bounded else None,
                                         limit=limit) if text else ((), False)
    return UnitPicker(here, crumbs, children, more, text, matches, more_matches, len(tops) == 1)


def search_units(session: Session, scope: HrScope, text: str, *, tops: Sequence[int] | None = None,
                 limit: int = PICK_LIMIT) -> tuple[tuple[UnitRef, ...], bool]:
    """The units in scope whose name or code contains ``text`` (below ``tops`` when given, which lie within the
    scope), by name: at most ``limit`` of them, and whether there are more. A unit whose code is exactly
    ``text`` comes first."""
    text = text.strip()[:80]
    if not text:
        return (), False
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    stmt = _columns().where(or_(OrgUnit.name.ilike(pattern, escape="\\"), OrgUnit.code.ilike(pattern, escape="\\")))
    if tops is None and not scope.every_unit:
        tops = scope_tops(session, scope)
    if tops is not None:
        stmt = stmt.where(OrgUnit.id.in_(units_under(tops)))
    exact = case((func.lower(OrgUnit.code) == text.lower(), 0), else_=1)
    return _refs(session, stmt.order_by(exact, OrgUnit.name, OrgUnit.id), limit)


def level_rollup(unit_id: int | None, tops: Sequence[int] = (), name: str = "level_rollup") -> Any:
    """SQL (a recursive CTE with columns ``unit`` and ``row``): every unit of a report level with the row
    it is counted in.

    Standing on ``unit_id``, each sub-unit is a row holding itself and every unit below it, and the unit
    itself is a row of its own staff only; at the top of a scope (``unit_id`` None) each of ``tops`` is a
    row holding its whole subtree.
    """
    own = OrgUnit.id == unit_id if unit_id is not None else false()
    seed = or_(OrgUnit.id == unit_id, OrgUnit.parent_id == unit_id) if unit_id is not None else \
        OrgUnit.id.in_(sorted(set(tops)))
    base = (select(OrgUnit.id.label("unit"), OrgUnit.id.label("row"),
                   case((own, literal(1, Integer)), else_=literal(0, Integer)).label("own"),
                   literal(0, Integer).label("depth"))
            .where(seed)
            .cte(name, recursive=True))
    below = aliased(OrgUnit)
    return base.union_all(
        select(below.id, base.c.row, literal(0, Integer), base.c.depth + 1)
        .join(below, below.parent_id == base.c.unit)
        .where(and_(base.c.own == 0, base.c.depth < MAX_DEPTH)))


__all__ = ["PICK_LIMIT", "UnitPicker", "UnitRef", "is_within", "level_rollup", "scope_tops", "search_units",
           "unit_picker"]
