"""Who holds which role for an appraisal: the one place that decides who may fire or edit.

Roles are relative to the appraised employee (self, direct supervisor = pejabat penilai,
the supervisor's supervisor = atasan pejabat penilai, peers, subordinates) or granted
(HR of a unit and its sub-units, a named group). The web screens and the API both ask here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definition import CycleDefinition, TransitionDef
from engine.models import Appraisal, Employee, OrgUnit, User

SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class Actor:
    """Someone acting on an appraisal: a logged-in user, the public, or the system (deadlines)."""

    user_id: int | None
    username: str
    employee_id: int | None = None
    # (role, unit_id or None for every unit): "hr", "admin", "group:<name>"
    grants: tuple[tuple[str, int | None], ...] = ()
    is_system: bool = False

    @classmethod
    def of(cls, user: User) -> "Actor":
        return cls(
            user_id=user.id,
            username=user.username,
            employee_id=user.employee_id,
            grants=tuple((g.role, g.unit_id) for g in user.grants),
        )

    @classmethod
    def system(cls) -> "Actor":
        return cls(user_id=None, username="system", is_system=True)

    @classmethod
    def public(cls) -> "Actor":
        return cls(user_id=None, username="public")

    def has_grant(self, role: str) -> bool:
        return any(r == role for r, _ in self.grants)

    @property
    def is_admin(self) -> bool:
        return self.has_grant("admin")

    @property
    def is_hr(self) -> bool:
        return self.has_grant("hr") or self.is_admin


@dataclass
class RoleResolver:
    """Resolves an actor's roles on appraisals; caches unit ancestry for one unit of work."""

    session: Session
    _ancestors: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def unit_ancestry(self, unit_id: int) -> tuple[int, ...]:
        """The unit and every unit above it."""
        if unit_id not in self._ancestors:
            chain: list[int] = []
            current: int | None = unit_id
            while current is not None and current not in chain:
                chain.append(current)
                current = self.session.execute(select(OrgUnit.parent_id).where(OrgUnit.id == current)).scalar()
            self._ancestors[unit_id] = tuple(chain)
        return self._ancestors[unit_id]

    def grant_covers(self, actor: Actor, roles: tuple[str, ...], unit_id: int) -> bool:
        """Whether one of the actor's grants among ``roles`` covers the unit (a grant covers sub-units)."""
        scopes = [unit for r, unit in actor.grants if r in roles]
        if not scopes:
            return False
        return None in scopes or any(u in scopes for u in self.unit_ancestry(unit_id))

    def is_hr_of(self, actor: Actor, unit_id: int) -> bool:
        """HR (or admin) of the unit, whether or not a cycle names an HR role."""
        return self.grant_covers(actor, ("hr", "admin"), unit_id)

    def holds(self, actor: Actor, defn: CycleDefinition, role_id: str, employee: Employee) -> bool:
        """Whether ``actor`` holds cycle role ``role_id`` for ``employee``'s appraisal."""
        role = defn.roles.get(role_id)
        if role is None:
            return False
        resolver = role.resolver
        me = actor.employee_id
        if resolver == "public":
            return True
        if resolver == "self":
            return me is not None and me == employee.id
        if resolver == "supervisor":
            return me is not None and employee.supervisor_id == me
        if resolver == "supervisor_of_supervisor":
            boss = employee.supervisor
            return me is not None and boss is not None and boss.supervisor_id == me
        if resolver == "peers":
            if me is None or me == employee.id or employee.supervisor_id is None:
                return False
            peer_boss = self.session.execute(select(Employee.supervisor_id).where(Employee.id == me)).scalar()
            return peer_boss == employee.supervisor_id
        if resolver == "subordinates":
            if me is None:
                return False
            my_boss = self.session.execute(select(Employee.supervisor_id).where(Employee.id == me)).scalar()
            return my_boss == employee.id
        if resolver == "unit_hr":
            return self.is_hr_of(actor, employee.unit_id)
        if resolver == "group":
            return self.grant_covers(actor, (f"group:{role.group}",), employee.unit_id)
        return False

    def roles_of(self, actor: Actor, defn: CycleDefinition, employee: Employee,
                 among: Iterable[str] | None = None) -> list[str]:
        """The cycle roles the actor holds for this employee (in the cycle's role order)."""
        if actor.is_system:
            return [SYSTEM_ROLE]
        wanted = list(defn.roles) if among is None else [r for r in defn.roles if r in set(among)]
        return [r for r in wanted if self.holds(actor, defn, r, employee)]

    def firing_role(self, actor: Actor, defn: CycleDefinition, transition: TransitionDef,
                    employee: Employee, as_role: str | None = None) -> tuple[str | None, str | None]:
        """The role the actor fires ``transition`` as, or ``(None, reason)`` when refused."""
        if actor.is_system:
            return SYSTEM_ROLE, None
        held = self.roles_of(actor, defn, employee, transition.roles)
        if as_role is not None:
            held = [r for r in held if r == as_role]
        if not held:
            allowed = ", ".join(transition.roles)
            return None, f"only {allowed} may fire '{transition.trigger}' on this appraisal"
        is_self = actor.employee_id is not None and actor.employee_id == employee.id
        if is_self and not transition.allow_self_approval:
            # The appraised employee may act as themselves only; never approve their own appraisal.
            held = [r for r in held if defn.roles[r].resolver == "self"]
            if not held:
                return None, f"you cannot fire '{transition.trigger}' on your own appraisal (self-approval is not allowed)"
        return held[0], None

    def can_edit(self, actor: Actor, defn: CycleDefinition, appraisal: Appraisal, kind: str) -> bool:
        """Whether the actor may edit ``kind`` (skp, realisation, feedback, development) now."""
        if appraisal.closed_at is not None:  # the employee left or moved: history only
            return False
        state = defn.states.get(appraisal.state)
        if state is None:
            return False
        roles = [r for r, kinds in state.edit.items() if kind in kinds]
        return any(self.holds(actor, defn, r, appraisal.employee) for r in roles)
