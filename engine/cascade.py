"""The cascade of results (*matriks peran hasil*): which of the leader's RHK each subordinate RHK supports.

A subordinate's IKI names the leader's IKI it supports (*intervensi*) by id (``Indicator.parent_id``);
the free text ``parent_rhk`` of earlier versions is still read and shown. This module checks a new
link (the leader must be the employee's supervisor, in the same period, and the link must not close a
loop), lists what an IKI can support, rolls the subordinates' achievement up to the leader's RHK with
the arithmetic shown, and builds a unit's RHK tree for its head and HR.

Writing the links is the SKP's edit (:func:`engine.appraisals.set_skp` by the employee,
:func:`engine.appraisals.set_team_skp` by the leader), checked by :mod:`engine.cascade_links`;
nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from engine.errors import Forbidden, InvalidInput, NotFound
from engine.expectations import Expectation, expectations_of
from engine.insight import indicator_achievements
from engine.messages import Message
from engine.models import Appraisal, Employee, Indicator, OrgUnit, Realisation, Result
from engine.org import units_under
from engine.policy import Policy
from rules.numbers import ZERO, round_half_up, to_decimal

# -- what an IKI can support -------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderRhk:
    """One of the leader's IKI a subordinate's IKI may support."""

    id: int
    appraisal_id: int
    leader: str
    rhk: str
    label: str


def link_targets(session: Session, appraisal: Appraisal) -> list[LeaderRhk]:
    """The IKI of the employee's supervisor in the same period (open appraisals), in SKP order."""
    boss = appraisal.employee.supervisor_id
    if boss is None:
        return []
    rows = session.execute(
        select(Indicator.id, Indicator.appraisal_id, Employee.name, Indicator.rhk, Indicator.label)
        .join(Appraisal, Appraisal.id == Indicator.appraisal_id).join(Employee, Employee.id == Appraisal.employee_id)
        .where(Appraisal.employee_id == boss, Appraisal.period == appraisal.period, Appraisal.closed_at.is_(None))
        .order_by(Appraisal.id, Indicator.position, Indicator.id))
    return [LeaderRhk(*row) for row in rows]


# -- roll-up ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Supporter:
    """A subordinate's IKI that supports a leader's IKI, with its achievement (None: none yet)."""

    indicator_id: int
    appraisal_id: int
    employee: str
    key: str
    rhk: str
    label: str
    achievement: float | None


@dataclass(frozen=True)
class RollUp:
    """A leader's IKI with the subordinate IKI that support it and their combined achievement.

    ``achievement`` is the mean of the supporters' achievements that exist (each subordinate's IKI
    counts once: their weights are shares of their own SKP, not of the leader's); ``terms`` are those
    achievements in order, ``waiting`` how many supporters have none yet.
    """

    indicator_id: int
    key: str
    supporters: tuple[Supporter, ...]
    terms: tuple[float, ...]
    achievement: float | None
    waiting: int


def combine(indicator_id: int, key: str, supporters: Sequence[Supporter]) -> RollUp:
    """The roll-up of one leader's IKI: the plain mean of the achievements that exist."""
    terms = tuple(s.achievement for s in supporters if s.achievement is not None)
    # Exact decimals rounded half up, as every figure in Siklus: round() on floats gives 100 for 100,005.
    mean = float(round_half_up(sum(map(to_decimal, terms), ZERO) / len(terms), 2)) if terms else None
    return RollUp(indicator_id, key, tuple(supporters), terms, mean, len(supporters) - len(terms))


def achievements(session: Session, appraisal_ids: Iterable[int]) -> dict[tuple[int, str], float]:
    """Each IKI's achievement by (appraisal, key): the rated one (result ``iki.<key>``), else the live
    one from the latest realisation (:func:`engine.insight.indicator_achievements`)."""
    ids = sorted(set(appraisal_ids))
    if not ids:
        return {}
    out: dict[tuple[int, str], float] = {}
    for appraisal_id, name, value in session.execute(
            select(Result.appraisal_id, Result.name, Result.value)
            .where(Result.appraisal_id.in_(ids), Result.name.like("iki.%"))):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[(appraisal_id, name.removeprefix("iki."))] = float(value)
    rated = {a for a, _k in out}
    # Live only where something was realised: an SKP without realisation has no achievement to compute.
    realised = select(Realisation.appraisal_id).where(Realisation.appraisal_id.in_([i for i in ids if i not in rated]))
    for appraisal in session.scalars(select(Appraisal).where(Appraisal.id.in_(realised.distinct()))):
        for live in indicator_achievements(session, appraisal):
            if live.achievement is not None:
                out[(appraisal.id, live.key)] = float(live.achievement)
    return out


def rollups(session: Session, appraisal_id: int) -> dict[str, RollUp]:
    """The roll-up of each of the appraisal's own IKI that subordinate IKI support, by IKI key."""
    leader = aliased(Indicator)
    rows = session.execute(
        select(leader.id, leader.key, Indicator.id, Indicator.appraisal_id, Employee.name, Indicator.key,
               Indicator.rhk, Indicator.label)
        .join(Indicator, Indicator.parent_id == leader.id)
        .join(Appraisal, Appraisal.id == Indicator.appraisal_id).join(Employee, Employee.id == Appraisal.employee_id)
        .where(leader.appraisal_id == appraisal_id, Appraisal.closed_at.is_(None))
        .order_by(leader.position, Employee.name, Indicator.position, Indicator.id)).all()
    found = achievements(session, {r[3] for r in rows})
    grouped: dict[tuple[int, str], list[Supporter]] = {}
    for leader_id, leader_key, iid, aid, name, key, rhk, label in rows:
        grouped.setdefault((leader_id, leader_key), []).append(
            Supporter(iid, aid, name, key, rhk or "", label, found.get((aid, key))))
    return {key: combine(leader_id, key, supporters) for (leader_id, key), supporters in grouped.items()}


@dataclass(frozen=True)
class Supported:
    """What one IKI supports: the leader's IKI by id, or the free text of earlier versions."""

    indicator_id: int | None
    leader: str
    rhk: str
    label: str
    legacy_text: str | None


def supported(session: Session, appraisal_id: int) -> dict[str, Supported]:
    """What each of the appraisal's own IKI supports, by key (only those that name something)."""
    parent = aliased(Indicator)
    rows = session.execute(
        select(Indicator.key, Indicator.parent_rhk, parent.id, Employee.name, parent.rhk, parent.label)
        .outerjoin(parent, parent.id == Indicator.parent_id)
        .outerjoin(Appraisal, Appraisal.id == parent.appraisal_id)
        .outerjoin(Employee, Employee.id == Appraisal.employee_id)
        .where(Indicator.appraisal_id == appraisal_id))
    return {key: Supported(pid, name or "", rhk or "", label or "", text or None)
            for key, text, pid, name, rhk, label in rows if pid is not None or text}


@dataclass(frozen=True)
class PlanCascade:
    """What the cascade adds to one appraisal (page, document, API): what each own IKI supports, the
    roll-up of the subordinate IKI that support each of them, and the leader's behaviour expectations."""

    supported: dict[str, Supported]
    rollups: dict[str, RollUp]
    expectations: tuple[Expectation, ...]

    @property
    def has_expectations(self) -> bool:
        return any(e.text for e in self.expectations)


def plan_cascade(session: Session, appraisal: Appraisal) -> PlanCascade:
    """The cascade of one appraisal: links up, roll-ups from below, expectations (three queries, plus
    the live achievements of subordinates not yet rated)."""
    return PlanCascade(supported(session, appraisal.id), rollups(session, appraisal.id),
                       tuple(expectations_of(appraisal)))


# -- the unit's RHK tree ----------------------------------------------------------------------------


@dataclass
class TreeNode:
    """One IKI in a unit's RHK tree, with the IKI that support it and their roll-up."""

    indicator_id: int
    appraisal_id: int
    employee_id: int
    employee: str
    position: str
    key: str
    rhk: str
    label: str
    achievement: float | None
    legacy_text: str | None
    children: list[TreeNode] = field(default_factory=list)

    @property
    def rollup(self) -> RollUp | None:
        if not self.children:
            return None
        return combine(self.indicator_id, self.key, [
            Supporter(c.indicator_id, c.appraisal_id, c.employee, c.key, c.rhk, c.label, c.achievement)
            for c in self.children])


@dataclass(frozen=True)
class UnitTree:
    """A unit's RHK tree for a period: the head's RHK with what supports them, then RHK linked to none."""

    unit_id: int
    unit_name: str
    period: str | None
    periods: tuple[str, ...]
    roots: tuple[TreeNode, ...]
    unlinked: tuple[TreeNode, ...]


def unit_heads(session: Session, unit_id: int) -> list[int]:
    """The head(s) of a unit: its active employees whose supervisor is outside the unit (or none)."""
    boss = aliased(Employee)
    return list(session.scalars(
        select(Employee.id).outerjoin(boss, boss.id == Employee.supervisor_id)
        .where(Employee.unit_id == unit_id, Employee.active.is_(True),
               (Employee.supervisor_id.is_(None)) | (boss.unit_id != unit_id))
        .order_by(Employee.id)))


def headed_unit(session: Session, employee_id: int) -> int | None:
    """The unit the employee heads (as :func:`unit_heads` tells heads: their own unit, when they are
    active and their supervisor is outside it or they have none), or None; one statement."""
    boss = aliased(Employee)
    row = session.execute(select(Employee.unit_id, boss.unit_id).outerjoin(boss, boss.id == Employee.supervisor_id)
                          .where(Employee.id == employee_id, Employee.active.is_(True))).first()
    if row is None:
        return None
    unit, boss_unit = row
    return unit if boss_unit != unit else None


def may_view_tree(session: Session, policy: Policy, unit_id: int) -> bool:
    """HR of the unit, or the head of the unit or of a unit above it (a fixed number of statements
    whatever the depth of the tree)."""
    if policy.is_hr_of(unit_id):
        return True
    me = policy.employee_id
    if me is None:
        return False
    headed = headed_unit(session, me)
    return headed is not None and headed in policy.unit_ancestry(unit_id)


def tree_units(session: Session, policy: Policy) -> list[tuple[int, str]]:
    """The units whose RHK tree the person may see at the top: those they head, then those they oversee
    as HR (every unit below is reachable from there), by name."""
    units: dict[int, str] = {}
    me = policy.employee_id
    if me is not None:
        own = session.execute(select(OrgUnit.id, OrgUnit.name).join(Employee, Employee.unit_id == OrgUnit.id)
                              .where(Employee.id == me)).first()
        if own is not None and me in unit_heads(session, own[0]):
            units[own[0]] = own[1]
    scope = policy.hr_scope()
    if scope.any:
        top = select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id).order_by(OrgUnit.name)
        top = top.where(OrgUnit.parent_id.is_(None)) if scope.every_unit else top.where(OrgUnit.id.in_(scope.unit_ids))
        covered = set(scope.unit_ids)
        for unit_id, name, parent in session.execute(top):
            if scope.every_unit or parent not in covered:
                units.setdefault(unit_id, name)
    return list(units.items())


def unit_tree(session: Session, policy: Policy, unit_id: int, period: str | None = None) -> UnitTree:
    """The RHK tree of the unit and its sub-units for ``period`` (default: the newest one with appraisals).

    Only the unit's head (or a head above it) and HR may see it; a stranger is refused.
    """
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound(f"no unit #{unit_id}", msg=Message("cascade.unit_not_found"))
    if not may_view_tree(session, policy, unit_id):
        raise Forbidden("only the unit's head and HR may see its RHK tree", msg=Message("cascade.tree_forbidden"))

    inside = and_(Employee.unit_id.in_(units_under([unit_id], "tree_units")), Appraisal.closed_at.is_(None))
    periods = tuple(session.scalars(
        select(Appraisal.period).join(Employee, Employee.id == Appraisal.employee_id).where(inside)
        .group_by(Appraisal.period).order_by(Appraisal.period.desc())))
    if period and period not in periods:
        # A period typed into the address is refused by name, not swapped silently for the newest.
        raise InvalidInput(f"the RHK tree of {unit.name} has no period '{period[:40]}'; choose one of "
                           f"{', '.join(periods) or 'none'}",
                           msg=Message("cascade.unknown_period", period=period[:40], unit=unit.name,
                                       periods=list(periods) or Message("checkpoint.none")))
    chosen = period if period else (periods[0] if periods else None)
    rows = session.execute(
        select(Indicator.id, Indicator.appraisal_id, Employee.id, Employee.name, Employee.position, Indicator.key,
               Indicator.rhk, Indicator.label, Indicator.parent_rhk, Indicator.parent_id)
        .join(Appraisal, Appraisal.id == Indicator.appraisal_id).join(Employee, Employee.id == Appraisal.employee_id)
        .where(inside, Appraisal.period == chosen)
        .order_by(Employee.name, Employee.id, Indicator.position, Indicator.id)).all() if chosen else []
    found = achievements(session, {r[1] for r in rows})
    nodes = {r[0]: TreeNode(r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6] or "", r[7], found.get((r[1], r[5])),
                            r[8] or None) for r in rows}
    heads = set(unit_heads(session, unit_id))
    roots, unlinked = [], []
    for iid, *_rest, parent_id in rows:
        node = nodes[iid]
        if parent_id in nodes:
            nodes[parent_id].children.append(node)
        elif node.employee_id in heads:
            roots.append(node)
        else:
            unlinked.append(node)
    return UnitTree(unit.id, unit.name, chosen, periods, tuple(roots), tuple(unlinked))


__all__ = ["LeaderRhk", "PlanCascade", "RollUp", "Supported", "Supporter", "TreeNode", "UnitTree", "achievements",
           "combine", "link_targets", "may_view_tree", "plan_cascade", "rollups", "supported", "tree_units",
           "unit_heads", "unit_tree"]
