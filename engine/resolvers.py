"""The role resolvers of the cycle language: one class per ``resolver:`` a cycle role may name.

Each resolver answers three questions in one place, so that no screen, queue or notice decides
on its own who holds a role:

* :meth:`Resolver.holds`: does this person hold the role for this employee (opening, firing, editing);
* :meth:`Resolver.holders`: who holds it, for many employees at once (notices, the demo), through a
  :class:`HolderIndex` that loads what a batch needs in a few queries;
* :meth:`Resolver.listing`: the SQL condition on the appraisals a person may list through the role.

A new resolver is one subclass decorated with :func:`register` (and its name in the cycle schema's
``resolver`` enum). Roles relative to the employee follow PermenPAN-RB 6/2022: the direct
supervisor is the pejabat penilai, the supervisor's supervisor the atasan pejabat penilai. Where the
org chart ends (an employee with no supervisor, whose superior is the regional head and no employee),
the user HR designated (:mod:`engine.raters`) holds the role instead, and only there.
``public`` (masyarakat) holds nothing: the public answers only the unit's IKM survey, which is not
an appraisal, so a public role never opens, fires, edits or answers anything on an appraisal.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from engine.citizen_models import APPROVED, FeedbackNomination
from engine.definition import RoleDef
from engine.models import Appraisal, Employee, RoleGrant
from engine.org import unit_ancestries
from engine.rater_models import RaterDesignation

if TYPE_CHECKING:
    from engine.policy import Policy

#: Grants that make someone HR of a unit and its sub-units.
HR_GRANTS = ("hr", "admin")


class Person(Protocol):
    """What a resolver reads of the appraised employee: an ORM ``Employee`` or a snapshot's copy."""

    @property
    def id(self) -> int: ...
    @property
    def unit_id(self) -> int: ...
    @property
    def supervisor_id(self) -> int | None: ...
    @property
    def supervisor(self) -> Person | None: ...


@dataclass(frozen=True)
class Subject:
    """An appraised employee as a batch of notices sees them: who is around them, as ids."""

    employee_id: int
    unit_id: int
    supervisor_id: int | None
    boss_id: int | None  # the supervisor's supervisor


@dataclass(frozen=True)
class Holders:
    """Who holds a role for one employee: people by employee id, and granted users by user id."""

    employee_ids: tuple[int, ...] = ()
    user_ids: tuple[int, ...] = ()


# -- the registry ---------------------------------------------------------------------------------

class Resolver(ABC):
    """One kind of cycle role. Subclasses set ``name`` and answer the three questions; a subclass
    that leaves one out cannot be instantiated, so :func:`register` refuses it at import."""

    name: ClassVar[str]
    #: Whether holding the role lets a person open the appraisal (``public`` does not).
    opens: ClassVar[bool] = True
    #: Whether the role's holders are colleagues asked for feedback (peers, subordinates, nominees): they open
    #: the appraisal only when the cycle gives the role work on it beyond answering a feedback window
    #: (:func:`engine.policy.opening_roles`); answering alone reaches the window's form and nothing else.
    respondents: ClassVar[bool] = False

    @abstractmethod
    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        """Whether the policy's actor holds ``role`` for ``employee``."""

    def prepare(self, index: HolderIndex) -> Any:
        """What :meth:`holders` needs for the whole batch, loaded once (None: nothing)."""
        return None

    @abstractmethod
    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        """Who holds ``role`` for ``subject``."""

    @abstractmethod
    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        """SQL over ``Appraisal`` joined to its ``Employee``: the appraisals the actor holds ``role`` on
        (None: none). Exact, so that a listing and opening agree."""

    def listings(self, policy: Policy, role: RoleDef) -> list[ColumnElement[bool]]:
        """Each way the actor reaches appraisals through the role, as a condition one index answers
        (:meth:`listing` alone unless a resolver reaches appraisals more than one way)."""
        condition = self.listing(policy, role)
        return [] if condition is None else [condition]

    def rater_role(self, role: RoleDef) -> str:
        """The ``feedback_360`` rater role of a cycle role of this kind: the resolver's name."""
        return self.name

    def may_be_vacant(self, employee: Any, boss: Any) -> ColumnElement[bool] | None:
        """SQL over the appraised ``employee`` and their supervisor ``boss`` (outer-joined aliases): every
        employee for whom nobody might hold the role passes it (None: any employee might)."""
        return None


RESOLVERS: dict[str, Resolver] = {}


def register(cls: type[Resolver]) -> type[Resolver]:
    """Class decorator: make a resolver known by its ``name``."""
    RESOLVERS[cls.name] = cls()
    return cls


def resolver_of(role: RoleDef) -> Resolver | None:
    """The resolver a role names (None for a name no resolver has: such a role holds nothing)."""
    return RESOLVERS.get(role.resolver)


@register
class SelfResolver(Resolver):
    """The appraised employee (pegawai)."""

    name = "self"

    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        return policy.employee_id is not None and policy.employee_id == employee.id

    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        return Holders(employee_ids=(subject.employee_id,))

    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        if policy.employee_id is None:
            return None
        return Appraisal.employee_id == policy.employee_id


@register
class SupervisorResolver(Resolver):
    """The direct supervisor: the pejabat penilai; for an employee with no supervisor, the user HR designated."""

    name = "supervisor"

    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        return policy.rates(employee)

    def prepare(self, index: HolderIndex) -> dict[int, RaterDesignation]:
        return index.designations()

    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        if subject.supervisor_id is not None:
            return Holders(employee_ids=(subject.supervisor_id,))
        named = prepared.get(subject.employee_id)
        return Holders(user_ids=(named.rater_user_id,) if named is not None else ())

    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        if policy.employee_id is None:
            return None
        return Employee.supervisor_id == policy.employee_id

    def may_be_vacant(self, employee: Any, boss: Any) -> ColumnElement[bool] | None:
        return employee.supervisor_id.is_(None)  # only where the chart ends may nobody be designated

    def listings(self, policy: Policy, role: RoleDef) -> list[ColumnElement[bool]]:
        found = super().listings(policy, role)
        if policy.actor.user_id is not None:
            found.append(Employee.supervisor_id.is_(None) & Employee.id.in_(
                select(RaterDesignation.employee_id).where(RaterDesignation.rater_user_id == policy.actor.user_id)))
        return found


@register
class SupervisorOfSupervisorResolver(Resolver):
    """The supervisor's supervisor: the atasan pejabat penilai. Where the chart ends, the designated users:
    of an employee whose supervisor has no supervisor, the user designated to rate that supervisor; of an
    employee with no supervisor, the user designated to review them."""

    name = "supervisor_of_supervisor"

    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        boss = employee.supervisor
        if boss is None:
            return employee.supervisor_id is None and employee.id in policy.designations().reviews
        if boss.supervisor_id is None:
            return boss.id in policy.designations().rates
        return policy.employee_id is not None and boss.supervisor_id == policy.employee_id

    def prepare(self, index: HolderIndex) -> dict[int, RaterDesignation]:
        return index.designations()

    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        if subject.boss_id is not None:
            return Holders(employee_ids=(subject.boss_id,))
        if subject.supervisor_id is not None:
            named = prepared.get(subject.supervisor_id)
            return Holders(user_ids=(named.rater_user_id,) if named is not None else ())
        named = prepared.get(subject.employee_id)
        return Holders(user_ids=(named.reviewer_user_id,) if named is not None and named.reviewer_user_id else ())

    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        if policy.employee_id is None:
            return None
        boss = aliased(Employee, name="listed_boss")
        return Employee.supervisor_id.in_(select(boss.id).where(boss.supervisor_id == policy.employee_id))

    def may_be_vacant(self, employee: Any, boss: Any) -> ColumnElement[bool] | None:
        return or_(employee.supervisor_id.is_(None), boss.supervisor_id.is_(None))

    def listings(self, policy: Policy, role: RoleDef) -> list[ColumnElement[bool]]:
        found = super().listings(policy, role)
        user_id = policy.actor.user_id
        if user_id is not None:
            rated = aliased(Employee, name="designated_boss")
            found.append(Employee.supervisor_id.in_(
                select(RaterDesignation.employee_id).join(rated, rated.id == RaterDesignation.employee_id)
                .where(RaterDesignation.rater_user_id == user_id, rated.supervisor_id.is_(None))))
            found.append(Employee.supervisor_id.is_(None) & Employee.id.in_(
                select(RaterDesignation.employee_id).where(RaterDesignation.reviewer_user_id == user_id)))
        return found


@register
class PeersResolver(Resolver):
    """Active colleagues with the same direct supervisor (rekan kerja), never the employee."""

    name = "peers"
    respondents = True

    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        me = policy.own_record()
        return (me is not None and me.active and me.id != employee.id and employee.supervisor_id is not None
                and me.supervisor_id == employee.supervisor_id)

    def prepare(self, index: HolderIndex) -> dict[int, list[int]]:
        return index.team_of({s.supervisor_id for s in index.subjects if s.supervisor_id})

    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        team = prepared.get(subject.supervisor_id, []) if subject.supervisor_id else []
        return Holders(employee_ids=tuple(p for p in team if p != subject.employee_id))

    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        me = policy.own_record()
        if me is None or not me.active or me.supervisor_id is None:
            return None
        return (Employee.supervisor_id == me.supervisor_id) & (Employee.id != me.id)


@register
class SubordinatesResolver(Resolver):
    """The employee's active direct reports (bawahan)."""

    name = "subordinates"
    respondents = True

    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        me = policy.own_record()
        return me is not None and me.active and me.supervisor_id == employee.id

    def prepare(self, index: HolderIndex) -> dict[int, list[int]]:
        return index.team_of({s.employee_id for s in index.subjects})

    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        return Holders(employee_ids=tuple(prepared.get(subject.employee_id, [])))

    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        me = policy.own_record()
        if me is None or not me.active or me.supervisor_id is None:
            return None
        return Employee.id == me.supervisor_id


@register
class UnitHrResolver(Resolver):
    """HR (SDM) of the employee's unit: an ``hr`` or ``admin`` grant on the unit or a unit above it."""

    name = "unit_hr"

    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        return policy.grant_covers(HR_GRANTS, employee.unit_id)

    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        return Holders(user_ids=tuple(index.hr_of(subject.unit_id)))

    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        return policy.granted_units(HR_GRANTS)


@register
class GroupResolver(Resolver):
    """Members of a named group (``group:<name>`` grant) covering the employee's unit, e.g. a TPK panel."""

    name = "group"

    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        return policy.grant_covers((f"group:{role.group}",), employee.unit_id)

    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        return Holders(user_ids=tuple(index.granted((f"group:{role.group}",), subject.unit_id)))

    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        return policy.granted_units((f"group:{role.group}",))

    def rater_role(self, role: RoleDef) -> str:
        return role.id


@register
class NominatedResolver(Resolver):
    """Colleagues the employee nominated for the role and the rater approved (engine.nominations).

    A nomination belongs to one appraisal; it counts while that appraisal is open. In a 360 score the
    nominees rate as peers.
    """

    name = "nominated"
    respondents = True

    @staticmethod
    def _approved(role: RoleDef) -> Any:
        return (select(Appraisal.employee_id, FeedbackNomination.nominee_id)
                .join(Appraisal, Appraisal.id == FeedbackNomination.appraisal_id)
                .where(FeedbackNomination.role == role.id, FeedbackNomination.status == APPROVED,
                       Appraisal.closed_at.is_(None)))

    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        me = policy.own_record()
        if me is None or not me.active:
            return False
        stmt = self._approved(role).where(FeedbackNomination.nominee_id == me.id,
                                          Appraisal.employee_id == employee.id).limit(1)
        return policy.session.execute(stmt).first() is not None

    def prepare(self, index: HolderIndex) -> dict[tuple[str, int], list[int]]:
        found: dict[tuple[str, int], list[int]] = {}
        subjects = sorted({s.employee_id for s in index.subjects})
        if subjects:
            for role, employee_id, nominee_id in index.session.execute(
                    select(FeedbackNomination.role, Appraisal.employee_id, FeedbackNomination.nominee_id)
                    .join(Appraisal, Appraisal.id == FeedbackNomination.appraisal_id)
                    .where(Appraisal.employee_id.in_(subjects), FeedbackNomination.status == APPROVED,
                           Appraisal.closed_at.is_(None))):
                found.setdefault((role, employee_id), []).append(nominee_id)
        return found

    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        return Holders(employee_ids=tuple(sorted(set(prepared.get((role.id, subject.employee_id), [])))))

    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        if policy.employee_id is None:
            return None
        return Appraisal.id.in_(select(FeedbackNomination.appraisal_id).where(
            FeedbackNomination.role == role.id, FeedbackNomination.status == APPROVED,
            FeedbackNomination.nominee_id == policy.employee_id))

    def rater_role(self, role: RoleDef) -> str:
        return "peers"


@register
class PublicResolver(Resolver):
    """The public (masyarakat): answers the unit's public IKM survey only, never anything on an appraisal."""

    name = "public"
    opens = False

    def holds(self, policy: Policy, role: RoleDef, employee: Person) -> bool:
        return False

    def holders(self, role: RoleDef, subject: Subject, prepared: Any, index: HolderIndex) -> Holders:
        return Holders()

    def listing(self, policy: Policy, role: RoleDef) -> ColumnElement[bool] | None:
        return None


# -- many employees at once -----------------------------------------------------------------------

@dataclass
class HolderIndex:
    """Who holds which role for a batch of employees, in a few queries for the whole batch.

    Built with the subjects and the resolvers the batch asks about; each resolver loads what it
    needs once (:meth:`Resolver.prepare`); the grants and the units' ancestry load on first use.
    """

    session: Session
    subjects: list[Subject]
    resolvers: Iterable[str] = ()
    _prepared: dict[str, Any] = field(default_factory=dict)
    _grants: list[tuple[int, str, int | None]] | None = None
    _ancestry: dict[int, tuple[int, ...]] | None = None
    _designations: dict[int, RaterDesignation] | None = None

    def __post_init__(self) -> None:
        for name in sorted(set(self.resolvers)):
            resolver = RESOLVERS.get(name)
            if resolver is not None:
                self._prepared[name] = resolver.prepare(self)

    def of(self, role: RoleDef, subject: Subject) -> Holders:
        """Who holds ``role`` for ``subject``."""
        resolver = resolver_of(role)
        if resolver is None:
            return Holders()
        if role.resolver not in self._prepared:
            self._prepared[role.resolver] = resolver.prepare(self)
        return resolver.holders(role, subject, self._prepared[role.resolver], self)

    def team_of(self, supervisor_ids: set[int]) -> dict[int, list[int]]:
        """Each supervisor's active direct reports (one query)."""
        team: dict[int, list[int]] = {}
        if supervisor_ids:
            for eid, boss in self.session.execute(
                    select(Employee.id, Employee.supervisor_id)
                    .where(Employee.supervisor_id.in_(sorted(supervisor_ids)), Employee.active.is_(True))
                    .order_by(Employee.id)):
                if boss is not None:  # always: only reports of the given supervisors are read
                    team.setdefault(boss, []).append(eid)
        return team

    def ancestry(self, unit_id: int) -> tuple[int, ...]:
        if self._ancestry is None:
            self._ancestry = unit_ancestries(self.session, {s.unit_id for s in self.subjects})
        if unit_id not in self._ancestry:
            self._ancestry.update(unit_ancestries(self.session, [unit_id]))
        return self._ancestry[unit_id]

    def granted(self, roles: Sequence[str], unit_id: int) -> list[int]:
        """Users with one of the grants ``roles`` on the unit, a unit above it or every unit (sorted)."""
        if self._grants is None:
            self._grants = [(u, r, unit) for u, r, unit in self.session.execute(
                select(RoleGrant.user_id, RoleGrant.role, RoleGrant.unit_id).where(
                    or_(RoleGrant.role.in_(HR_GRANTS), RoleGrant.role.like("group:%"))))]
        units = set(self.ancestry(unit_id))
        return sorted({user for user, role, unit in self._grants if role in roles and (unit is None or unit in units)})

    def hr_of(self, unit_id: int) -> list[int]:
        """Whom to tell as HR of the unit: its HR officers; administrators (who hold every unit's HR role)
        only when no HR officer covers the unit."""
        return self.granted(("hr",), unit_id) or self.granted(("admin",), unit_id)

    def designations(self) -> dict[int, RaterDesignation]:
        """The designations of the batch's employees with no supervisor and of supervisors with none, by
        employee id (one query, and none when every subject's chart reaches two levels up)."""
        if self._designations is None:
            self._designations = {}
            ids = {s.employee_id for s in self.subjects if s.supervisor_id is None}
            ids |= {s.supervisor_id for s in self.subjects if s.supervisor_id is not None and s.boss_id is None}
            if ids:
                self._designations = {d.employee_id: d for d in self.session.scalars(
                    select(RaterDesignation).where(RaterDesignation.employee_id.in_(sorted(ids))))}
        return self._designations
