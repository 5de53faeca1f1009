"""Who owns what every unit shares: the training catalogue, and each cycle with all its versions.

A unit's HR changes what is that unit's (its runs, its people's appraisals). Some things are shared:

* the **training catalogue** is one for the whole organisation (a course's JP counts in every unit's
  development report), so only HR over the whole organisation changes it;
* a **cycle** (every version of one ``id:``) belongs to the unit whose HR saved its first version, or to
  the whole organisation when HR over the whole organisation did (cycles stored before ownership was
  recorded belong to the whole organisation). Only HR covering the owner saves a new version, publishes
  or retires one. Any HR may still *launch* a published cycle for their own units: an agency may run
  the national cycle, but only the national HR changes it.

"HR over the whole organisation" is an HR or admin grant with no unit, or grants covering every top unit
(a regional government's BKPSDM holds the grant on its one top unit).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Forbidden
from engine.messages import Message, one_of
from engine.models import CycleDefinitionRecord, OrgUnit
from engine.org import unit_ancestries
from engine.permissions import Actor
from engine.policy import HrScope, Policy
from engine.resolvers import HR_GRANTS


def _hr_scope(session: Session, actor: Actor) -> HrScope:
    scope = Policy(session, actor).hr_scope()
    if not scope.any:
        raise Forbidden("only HR may do this", msg=Message("access.hr_only"))
    return scope


def covers_whole_organisation(session: Session, scope: HrScope) -> bool:
    """Whether an HR scope covers every unit of the organisation (an unscoped grant, or grants over each top unit)."""
    if scope.every_unit:
        return True
    if not scope.unit_ids:
        return False
    tops = session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))).all()
    covered = set(scope.unit_ids)
    return bool(tops) and all(unit in covered for unit in tops)


def is_whole_organisation_hr(session: Session, actor: Actor) -> bool:
    """Whether ``actor`` is HR over the whole organisation (the system itself is)."""
    return actor.is_system or covers_whole_organisation(session, Policy(session, actor).hr_scope())


def require_whole_organisation_hr(session: Session, actor: Actor, what: Message) -> None:
    """:class:`~engine.errors.Forbidden` unless ``actor`` is HR over the whole organisation; ``what`` names what
    is being changed, for the refusal."""
    if actor.is_system:
        return
    if not covers_whole_organisation(session, _hr_scope(session, actor)):
        raise Forbidden(f"{actor.username} is HR of part of the organisation; {what.english()} is shared by every unit",
                        msg=Message("access.hr_whole_only", what=what))


# -- cycles ----------------------------------------------------------------------------------------

class NoOwner:
    """The owner of a cycle id nobody has saved yet."""


def cycle_owner(session: Session, cycle_id: str) -> int | None | type[NoOwner]:
    """The unit owning the cycle ``cycle_id`` (None: the whole organisation), or :class:`NoOwner` when no
    version of it is stored yet. Every version carries its first version's owner."""
    row = session.execute(select(CycleDefinitionRecord.owner_unit_id).where(CycleDefinitionRecord.cycle_id == cycle_id)
                          .order_by(CycleDefinitionRecord.version).limit(1)).first()
    return NoOwner if row is None else row[0]


def may_change_cycle(session: Session, actor: Actor, owner: int | None | type[NoOwner]) -> bool:
    """Whether ``actor`` may save, publish or retire a version of a cycle owned by ``owner``."""
    if actor.is_system:
        return True
    policy = Policy(session, actor)
    if owner is NoOwner:
        return policy.hr_scope().any
    if owner is None:
        return is_whole_organisation_hr(session, actor)
    assert isinstance(owner, int)
    return policy.is_hr_of(owner)


class AsFound:
    """No owner chosen for a new cycle: :func:`owner_choices`' first (the whole organisation for HR over it, else
    the highest unit of the saver's HR grants)."""


@dataclass(frozen=True)
class OwnerChoice:
    """An owner HR may give a cycle they save first: a unit of their HR grants, or the whole organisation."""

    unit_id: int | None  # None: the whole organisation
    name: str | None     # the unit's name; None for the whole organisation


def owner_choices(session: Session, actor: Actor) -> list[OwnerChoice]:
    """The owners ``actor`` may give a new cycle, the default first: the whole organisation when they are HR
    over it, then the units of their HR grants from the top down (the smallest id among equals). One
    statement for the depths, one for the names."""
    whole = is_whole_organisation_hr(session, actor)
    units = sorted({unit for role, unit in actor.grants if role in HR_GRANTS and unit is not None})
    if not units and not whole:
        raise Forbidden("only HR may do this", msg=Message("access.hr_only"))
    depth = {unit: len(chain) for unit, chain in unit_ancestries(session, units).items()} if units else {}
    names: dict[int, str] = dict(session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(units))).all()) \
        if units else {}
    # A top unit is the whole organisation to one who is HR over it: offered once, as the whole organisation.
    found = [OwnerChoice(unit, names[unit]) for unit in sorted(units, key=lambda u: (depth.get(u, 0), u))
             if unit in names and not (whole and depth.get(unit, 0) <= 1)]
    return [OwnerChoice(None, None), *found] if whole else found


def require_cycle_owner(session: Session, actor: Actor, cycle_id: str,
                        chosen: int | None | type[AsFound] = AsFound) -> int | None:
    """The owner a version of ``cycle_id`` saved by ``actor`` carries (see the module's rules); raises
    :class:`~engine.errors.Forbidden` when ``actor`` may not change the cycle.

    ``chosen`` is the owner the saver picked for a cycle saved for the first time (a unit id, None for the
    whole organisation), refused unless it is one of :func:`owner_choices`; a new version keeps its cycle's
    owner whatever was chosen.
    """
    owner = cycle_owner(session, cycle_id)
    if owner is NoOwner:
        return _new_owner(session, actor, chosen)
    if may_change_cycle(session, actor, owner):
        return owner  # type: ignore[return-value]
    if owner is None:
        _hr_scope(session, actor)
        raise Forbidden(f"cycle {cycle_id} belongs to the whole organisation",
                        msg=Message("access.hr_whole_only", what=Message("access.the_cycle", cycle=cycle_id)))
    unit = session.get(OrgUnit, owner)
    name = unit.name if unit is not None else f"#{owner}"
    raise Forbidden(f"cycle {cycle_id} belongs to {name}; only its HR may change it",
                    msg=Message("access.cycle_owner", cycle=cycle_id, unit=name))


def _new_owner(session: Session, actor: Actor, chosen: int | None | type[AsFound]) -> int | None:
    """The owner of a cycle ``actor`` saves first: ``chosen`` when it is one of theirs, else the default."""
    if actor.is_system:
        return None if chosen is AsFound else chosen  # type: ignore[return-value]
    choices = owner_choices(session, actor)
    if chosen is AsFound:
        return choices[0].unit_id
    if any(c.unit_id == chosen for c in choices):
        return chosen  # type: ignore[return-value]
    listed = [Message("access.whole_organisation") if c.unit_id is None else c.name for c in choices]
    raise Forbidden(f"{actor.username} may give a new cycle only to a unit of their HR grants",
                    msg=Message("access.owner_not_yours", owners=one_of(listed)))


def cycle_ownership(session: Session, actor: Actor, record: CycleDefinitionRecord) -> tuple[str | None, bool]:
    """For a cycle's page: the name of the unit owning the cycle (None: the whole organisation) and whether
    ``actor`` may save, publish or retire its versions."""
    owner = cycle_owner(session, record.cycle_id)
    unit = session.get(OrgUnit, owner) if isinstance(owner, int) else None
    return (unit.name if unit is not None else None), may_change_cycle(session, actor, owner)
