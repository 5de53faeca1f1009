"""The one policy: what a person may do on an appraisal.

:class:`Policy` answers, for one person in one unit of work, whether they may open an appraisal,
fire a transition (their role and the self-approval rule), edit a kind of data in the current state,
answer a feedback window, see a result, and which appraisals they may list. It asks the role
resolvers (:mod:`engine.resolvers`) who holds which cycle role; screens, the API, queues, notices,
reports, exports and the demo ask here and nowhere else.

HR (an ``hr`` or ``admin`` grant on a unit, covering its sub-units) may open every appraisal of
the units they oversee, whether or not the cycle gives HR a role; firing and editing still need a
cycle role. The public (``resolver: public``) holds nothing on an appraisal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CompoundSelect, Select, false, or_, select, true, union
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from engine.definition import CycleDefinition, FeedbackDef, TransitionDef
from engine.errors import Forbidden
from engine.loaded import definition_of
from engine.messages import Label, Message
from engine.models import Appraisal, CycleDefinitionRecord, Employee
from engine.org import unit_ancestries, units_under
from engine.permissions import SYSTEM_ROLE, Actor
from engine.provenance import realisation_role, supply_of
from engine.rater_models import RaterDesignation
from engine.resolvers import HR_GRANTS, Person, resolver_of

#: The grant of an official authorised to set the organisation predicate (predikat kinerja organisasi) of
#: the units it covers, besides HR of those units; see :meth:`Policy.may_decide_unit_predicate`.
UNIT_PREDICATE_OFFICIAL = "group:penetap_predikat"


@dataclass(frozen=True)
class HrScope:
    """The units where someone is HR (or admin): every unit, or the listed ids (sub-units included)."""

    every_unit: bool
    unit_ids: tuple[int, ...]
    #: The overseer's own employee record (None: they have none). What HR reads of the units it covers stops
    #: short of what the overseer, as an appraised employee, may not read of their own appraisals.
    own_employee_id: int | None = None

    @property
    def any(self) -> bool:
        return self.every_unit or bool(self.unit_ids)

    def covers(self, unit_id: int) -> bool:
        return self.every_unit or unit_id in self.unit_ids


@dataclass(frozen=True)
class OwnRecord:
    """The acting person's own employee record, as the relative resolvers read it."""

    id: int
    supervisor_id: int | None
    active: bool


@dataclass(frozen=True)
class Designated:
    """The employees the actor's account was designated to rate or to review (:mod:`engine.raters`)."""

    rates: frozenset[int] = frozenset()
    reviews: frozenset[int] = frozenset()


#: Edits that belong to the rater at planning (see :meth:`Policy.editors`).
LEADER_KINDS = ("cascade", "expectation")

#: Up to this many units under a grant are listed as values in a query; more stay a recursive subquery.
LITERAL_UNITS = 2000

#: A statement that yields appraisal ids, for ``Appraisal.id.in_(...)``.
IdSet = Select[Any] | CompoundSelect[Any]

#: Which cycle roles a listing is about: all of a definition's roles (None), or those a function picks.
RolePicker = Callable[[CycleDefinition], Iterable[str]] | None


@dataclass
class Policy:
    """What ``actor`` may do, for one unit of work (caches the actor's record and grant coverage)."""

    session: Session
    actor: Actor
    _own: OwnRecord | None | bool = False  # False: not loaded yet
    _covered: dict[tuple[str, ...], frozenset[int]] = field(default_factory=dict)
    _ancestry: dict[int, tuple[int, ...]] = field(default_factory=dict)
    _granted: dict[tuple[str, ...], ColumnElement[bool] | None] = field(default_factory=dict)
    _designated: Designated | None = None

    # -- who the actor is ------------------------------------------------------------------------
    @property
    def employee_id(self) -> int | None:
        return self.actor.employee_id

    def own_record(self) -> OwnRecord | None:
        """The actor's employee record (one query, then cached); None for someone without one."""
        if self._own is False:
            self._own = None
            if self.actor.employee_id is not None:
                row = self.session.execute(select(Employee.id, Employee.supervisor_id, Employee.active)
                                           .where(Employee.id == self.actor.employee_id)).first()
                self._own = OwnRecord(row[0], row[1], bool(row[2])) if row is not None else None
        return self._own  # type: ignore[return-value]

    def designations(self) -> Designated:
        """The employees the actor was designated to rate or review (one query on first use, then cached;
        none for the system or the public). Only asked about employees with no supervisor."""
        if self._designated is None:
            self._designated = Designated()
            user_id = self.actor.user_id
            if user_id is not None:
                rows = self.session.execute(
                    select(RaterDesignation.employee_id, RaterDesignation.rater_user_id)
                    .where(or_(RaterDesignation.rater_user_id == user_id,
                               RaterDesignation.reviewer_user_id == user_id))).all()
                self._designated = Designated(frozenset(e for e, rater in rows if rater == user_id),
                                              frozenset(e for e, rater in rows if rater != user_id))
        return self._designated

    def rates(self, employee: Person) -> bool:
        """Whether the actor is the employee's rater (pejabat penilai): their direct supervisor or, for an employee
        with no supervisor, the user HR designated (:mod:`engine.raters`). The ``supervisor`` resolver and the
        decisions on nominated respondents (:mod:`engine.nominations`) ask here."""
        if employee.supervisor_id is None:
            return employee.id in self.designations().rates
        return self.employee_id is not None and employee.supervisor_id == self.employee_id

    # -- grants over the organisation tree ------------------------------------------------------
    def _scopes(self, roles: Sequence[str]) -> list[int | None]:
        return [unit for role, unit in self.actor.grants if role in roles]

    def _units_covered(self, roles: Sequence[str]) -> frozenset[int]:
        """Every unit under the actor's grants among ``roles`` (one recursive query per kind of grant)."""
        key = tuple(sorted(roles))
        if key not in self._covered:
            units = [u for u in self._scopes(roles) if u is not None]
            self._covered[key] = frozenset(self.session.scalars(units_under(units))) if units else frozenset()
        return self._covered[key]

    def grant_covers(self, roles: Sequence[str], unit_id: int) -> bool:
        """Whether one of the actor's grants among ``roles`` covers the unit (a grant covers sub-units)."""
        scopes = self._scopes(roles)
        if not scopes:
            return False
        return None in scopes or unit_id in self._units_covered(roles)

    def granted_units(self, roles: Sequence[str]) -> ColumnElement[bool] | None:
        """SQL: the employee's unit is under one of the actor's grants among ``roles`` (None: no such grant)."""
        key = tuple(sorted(roles))
        if key not in self._granted:
            scopes = self._scopes(roles)
            if not scopes:
                self._granted[key] = None
            elif None in scopes:
                self._granted[key] = true()
            else:
                # The units as values (one query, cached): the planner then knows how many rows they hold, where
                # a recursive query's guess can make it walk the whole appraisal table. A grant over very many
                # units stays a subquery (bind parameters are limited).
                covered = self._units_covered(roles)
                self._granted[key] = Employee.unit_id.in_(
                    sorted(covered) if len(covered) <= LITERAL_UNITS
                    else units_under([u for u in scopes if u is not None], f"units_under_{len(self._granted)}"))
        return self._granted[key]

    def is_hr_of(self, unit_id: int) -> bool:
        """HR (or admin) of the unit, whether or not a cycle names an HR role."""
        return self.grant_covers(HR_GRANTS, unit_id)

    def may_decide_unit_predicate(self, unit_id: int) -> bool:
        """Whether the actor may record the unit's organisation predicate.

        The organisation above the unit sets it (PermenPAN-RB 6/2022 appendix), not the unit's own people:
        HR whose grant is on a unit above it (or on every unit), an admin, or the official authorised for it
        (:data:`UNIT_PREDICATE_OFFICIAL`). HR whose grant is on the unit itself (or one below it) may not:
        the predicate bounds the predicates of that HR's own employees.
        """
        if self.grant_covers(("admin", UNIT_PREDICATE_OFFICIAL), unit_id):
            return True
        scopes = self._scopes(("hr",))
        if None in scopes:
            return True
        above = set(self.unit_ancestry(unit_id)[1:])
        return any(unit in above for unit in scopes)

    def unit_predicates_to_decide(self, unit_ids: Sequence[int]) -> set[int]:
        """Those of ``unit_ids`` whose organisation predicate the actor may record (one query for them all)."""
        wanted = [u for u in unit_ids if u not in self._ancestry]
        if wanted:
            self._ancestry.update(unit_ancestries(self.session, wanted))
        return {u for u in unit_ids if self.may_decide_unit_predicate(u)}

    def may_read_unit_predicate(self, unit_id: int) -> bool:
        """Whether the actor may read the unit's organisation predicates and their penetapan: whoever may
        record them, and HR of the unit (who calibrates its employees' predicates against them)."""
        return self.grant_covers((*HR_GRANTS, UNIT_PREDICATE_OFFICIAL), unit_id)

    def hr_scope(self) -> HrScope:
        """The units the actor oversees as HR or admin."""
        scopes = self._scopes(HR_GRANTS)
        if None in scopes:
            return HrScope(True, (), self.actor.employee_id)
        return HrScope(False, tuple(sorted(self._units_covered(HR_GRANTS))), self.actor.employee_id)

    def unit_ancestry(self, unit_id: int) -> tuple[int, ...]:
        """The unit and every unit above it, nearest first (one recursive query)."""
        if unit_id not in self._ancestry:
            self._ancestry.update(unit_ancestries(self.session, [unit_id]))
        return self._ancestry.get(unit_id, ())

    # -- roles -----------------------------------------------------------------------------------
    def holds(self, defn: CycleDefinition, role_id: str, employee: Person) -> bool:
        """Whether the actor holds cycle role ``role_id`` for ``employee``."""
        role = defn.roles.get(role_id)
        resolver = resolver_of(role) if role is not None else None
        return resolver is not None and role is not None and resolver.holds(self, role, employee)

    def roles(self, defn: CycleDefinition, employee: Person, among: Iterable[str] | None = None) -> list[str]:
        """The cycle roles the actor holds for this employee, in the cycle's role order (the system: ``system``)."""
        if self.actor.is_system:
            return [SYSTEM_ROLE]
        if among is None:
            wanted = list(defn.roles)
        else:
            among = set(among)
            wanted = [r for r in defn.roles if r in among]
        return [r for r in wanted if self.holds(defn, r, employee)]

    def _is_self(self, employee: Person) -> bool:
        return self.actor.employee_id is not None and self.actor.employee_id == employee.id

    def _as_employee(self, defn: CycleDefinition, roles: list[str]) -> list[str]:
        """The appraised employee acts on their own appraisal as themselves only (no self-approval)."""
        return [r for r in roles if defn.roles[r].resolver == "self"]

    def acting_roles(self, defn: CycleDefinition, employee: Person, among: Iterable[str]) -> list[str]:
        """The roles among ``among`` the actor acts as for this employee: the appraised employee only as
        themselves (an HR officer appraised in their own unit does not act as HR on it)."""
        held = self.roles(defn, employee, among)
        return self._as_employee(defn, held) if self._is_self(employee) else held

    # -- the questions ---------------------------------------------------------------------------
    def can_open(self, defn: CycleDefinition, employee: Person) -> bool:
        """Whether the actor may open an appraisal of ``employee``: a role that opens it, or HR of the unit."""
        if self.actor.is_system:
            return True
        return any(_opens(defn, r) for r in self.roles(defn, employee)) or self.is_hr_of(employee.unit_id)

    def firing_role(self, defn: CycleDefinition, transition: TransitionDef, employee: Person,
                    as_role: str | None = None) -> tuple[str | None, Message | None]:
        """The role the actor fires ``transition`` as, or ``(None, reason)`` when refused."""
        if self.actor.is_system:
            return SYSTEM_ROLE, None
        if as_role is not None and as_role not in transition.roles:
            return None, Message("access.role_not_of_transition", role=_role(defn, as_role),
                                 roles=_transition_roles(defn, transition), trigger=_trigger(transition))
        held = self.roles(defn, employee, transition.roles)
        if as_role is not None:
            if as_role not in held:
                return None, Message("access.role_not_held", role=_role(defn, as_role), trigger=_trigger(transition))
            held = [as_role]
        if not held:
            return None, Message("access.fire_role", roles=_transition_roles(defn, transition),
                                 trigger=_trigger(transition))
        if self._is_self(employee) and not transition.allow_self_approval:
            held = self._as_employee(defn, held)
            if not held:
                return None, Message("access.fire_self", trigger=_trigger(transition))
        return held[0], None

    def can_fire(self, defn: CycleDefinition, transition: TransitionDef, employee: Person,
                 as_role: str | None = None) -> bool:
        """Whether the actor may fire ``transition`` (role and self-approval; guards and windows apart)."""
        return self.firing_role(defn, transition, employee, as_role)[0] is not None

    def editors(self, defn: CycleDefinition, state: str, kind: str) -> list[str]:
        """The cycle roles that may edit ``kind`` in ``state``.

        Two kinds belong to the leader at planning: the rater (a ``supervisor`` role) sets the team's IKI
        wherever the cycle opens the SKP for drafting (``cascade``, the matriks peran hasil), and records the
        leader's behaviour expectations there and in every other state of the plan stage (``expectation``,
        ekspektasi khusus pimpinan).
        """
        spec = defn.states.get(state)
        if spec is None:
            return []
        if kind in LEADER_KINDS:
            drafting = any("skp" in kinds for kinds in spec.edit.values())
            planning = drafting or (kind == "expectation" and spec.stage == "plan")
            return leader_roles(defn) if planning else []
        return [r for r, kinds in spec.edit.items() if kind in kinds]

    def editing_role(self, defn: CycleDefinition, appraisal: Any, kind: str) -> str | None:
        """The role the actor edits ``kind`` as now (the appraised employee as themselves), or None."""
        if self.actor.is_system or _closed(appraisal):
            return None
        held = self.acting_roles(defn, appraisal.employee, self.editors(defn, appraisal.state, kind))
        return held[0] if held else None

    def can_edit(self, defn: CycleDefinition, appraisal: Any, kind: str, indicator: str | None = None,
                 indicator_label: str | None = None) -> bool:
        """Whether the actor may edit ``kind`` (skp, realisation, feedback, development) of the appraisal now.

        With ``indicator`` (a realisation's IKI), also whether they may supply that value: the cycle's
        ``supplied_by`` and system-fed values, as :func:`engine.provenance.realisation_role` decides.
        """
        if self.editing_role(defn, appraisal, kind) is None:
            return False  # the appraised employee edits their own appraisal only as themselves
        if indicator is None or kind != "realisation":
            return True
        try:
            realisation_role(self, defn, appraisal, supply_of(defn, indicator, indicator_label))
        except Forbidden:
            return False
        return True

    def feedback_roles(self, defn: CycleDefinition, appraisal: Any, window: FeedbackDef) -> list[str]:
        """The roles the actor answers ``window`` as on this appraisal now (empty: may not answer)."""
        if appraisal.state not in window.states or self.actor.user_id is None or _closed(appraisal):
            return []
        return self.acting_roles(defn, appraisal.employee, window.roles)

    def can_answer(self, defn: CycleDefinition, appraisal: Any, window: FeedbackDef) -> bool:
        """Whether the actor may answer feedback ``window`` on this appraisal now."""
        return bool(self.feedback_roles(defn, appraisal, window))

    def can_see(self, defn: CycleDefinition, appraisal: Any, result: str) -> bool:
        """Whether the actor may see result ``result`` of an appraisal they opened: a result marked
        ``visible_to_employee: false`` is hidden from the appraised employee."""
        spec = defn.results.get(result)
        if spec is None:
            return False
        return spec.visible_to_employee or self.actor.employee_id != appraisal.employee_id

    # -- listings --------------------------------------------------------------------------------
    def _listing_clauses(self, roles: RolePicker, as_hr: bool) -> list[ColumnElement[bool]]:
        """One SQL condition per way the actor reaches an appraisal (HR grant, each kind of role), each
        over ``Appraisal`` joined to its ``Employee`` and simple enough for one index to answer."""
        clauses: list[ColumnElement[bool]] = []
        if as_hr:
            hr = self.granted_units(HR_GRANTS)
            if hr is not None:
                clauses.append(hr)
        by_kind: dict[tuple[str, str | None], tuple[Any, set[int]]] = {}
        published = select(CycleDefinitionRecord).where(CycleDefinitionRecord.status != "draft")
        every: set[int] = set()
        for record in self.session.scalars(published):
            every.add(record.id)
            defn = definition_of(record)
            # Unpicked: the roles that open (what can_open lets through); picked (the roles that fire, or that
            # answer a window: the queues of what waits for someone), each of them whose resolver opens at all.
            picked = opening_roles(defn) if roles is None else set(roles(defn))
            for role_id in picked:
                role = defn.roles.get(role_id)
                resolver = resolver_of(role) if role is not None else None
                if role is None or resolver is None or not resolver.opens:
                    continue
                by_kind.setdefault((role.resolver, role.group), (role, set()))[1].add(record.id)
        for role, record_ids in by_kind.values():
            resolver = resolver_of(role)
            for condition in resolver.listings(self, role) if resolver is not None else []:
                if record_ids != every:  # appraisals run on published (or retired) definitions only
                    # An expression, not the bare column: no planner should walk the definition index here.
                    condition = (Appraisal.definition_id + 0).in_(sorted(record_ids)) & condition
                if not any(condition.compare(c) for c in clauses):  # HR's grant and the cycle's HR role alike
                    clauses.append(condition)
        return clauses

    def listable(self, roles: RolePicker = None, *, as_hr: bool = True) -> ColumnElement[bool]:
        """SQL over ``Appraisal`` joined to its ``Employee``: the appraisals the actor holds a role on
        (of those ``roles`` picks from each published definition), and with ``as_hr`` those of the
        units they oversee as HR. Exactly what :meth:`can_open` lets through when nothing is picked."""
        clauses = self._listing_clauses(roles, as_hr)
        return or_(*clauses) if clauses else false()

    def listable_ids(self, roles: RolePicker = None, *, as_hr: bool = True) -> IdSet | None:
        """The ids of the appraisals :meth:`listable` lets through, as a UNION with one branch per way
        the actor reaches an appraisal, for use in ``Appraisal.id.in_(...)``.

        Each branch follows one index from the actor (their own appraisals by employee, their team by
        supervisor, HR by the units under the grant), so the set costs what the actor's own work
        costs, where one OR over every way makes the database read the whole table. None when the
        actor reaches every appraisal (HR or admin of every unit): no narrowing to do.
        """
        branches: list[Select[Any]] = []
        for clause in self._listing_clauses(roles, as_hr):
            if clause.compare(true()):
                return None
            branches.append(select(Appraisal.id).join(Employee, Employee.id == Appraisal.employee_id).where(clause))
        if not branches:
            return select(Appraisal.id).where(false())
        if len(branches) == 1:
            return branches[0]
        return union(*branches)


#: Characters of a role name a person typed that a refusal repeats.
SHOWN_ROLE_CHARS = 64


def leader_roles(defn: CycleDefinition) -> list[str]:
    """The roles that set the team's IKI at planning (the rater, a ``supervisor`` role): an IKI whose target one
    of them set is the leader's, and the employee drafting the SKP may not change or remove it
    (:func:`engine.appraisals.edits.set_skp`)."""
    return [r for r, role in defn.roles.items() if role.resolver == "supervisor"]


def _role(defn: CycleDefinition, role: str) -> Label | str:
    """A role named in a refusal: a role of the cycle by its label, anything else as typed (shortened)."""
    if role in defn.roles:
        return Label(role, defn.roles[role].label)
    return role if len(role) <= SHOWN_ROLE_CHARS else role[: SHOWN_ROLE_CHARS - 1] + "…"


def _transition_roles(defn: CycleDefinition, transition: TransitionDef) -> list[Label]:
    """The roles that may fire a transition, named in a refusal by their labels."""
    return [Label(r, defn.roles[r].label if r in defn.roles else None) for r in transition.roles]


def _trigger(transition: TransitionDef) -> Label:
    """A transition named in a refusal: by its label, its trigger for logs."""
    return Label(transition.trigger, transition.label)


def _closed(appraisal: Any) -> bool:
    """An appraisal HR closed (the employee left or moved) keeps its history and takes no more changes."""
    return getattr(appraisal, "closed_at", None) is not None


_WORKING: dict[tuple[str, int, str], frozenset[str]] = {}


def working_roles(defn: CycleDefinition) -> frozenset[str]:
    """The roles the cycle gives work on an appraisal: firing a transition, editing in a state, or an entry
    of a checkpoint series (answering a feedback window, or the ``feedback`` edit, is not among them). Read once
    per definition."""
    found = _WORKING.get(defn.key)
    if found is None:
        named = {r for t in defn.transitions for r in t.roles}
        # The ``feedback`` edit kind is answering, as a window is: not work that needs the whole appraisal.
        named.update(r for s in defn.states.values() for r, kinds in s.edit.items() if kinds - {"feedback"})
        for series in defn.checkpoints:
            named.update(series.report_roles + series.feedback_roles + series.rating_roles
                         + series.self_assessment_roles)
        found = _WORKING[defn.key] = frozenset(named)
    return found


def _opens(defn: CycleDefinition, role_id: str) -> bool:
    """Whether holding ``role_id`` opens the appraisal: a resolver that opens, and for colleagues asked for
    feedback (peers, subordinates, nominees) only when the cycle gives the role work beyond answering: a
    respondent reaches the window's form, never the ratings, evidence and notes of the person they answer on."""
    resolver = resolver_of(defn.roles[role_id])
    if resolver is None or not resolver.opens:
        return False
    return not resolver.respondents or role_id in working_roles(defn)


def opening_roles(defn: CycleDefinition) -> set[str]:
    """The cycle's roles whose holders may open an appraisal (:meth:`Policy.can_open`)."""
    return {r for r in defn.roles if _opens(defn, r)}


def firing_roles(defn: CycleDefinition) -> set[str]:
    """The roles that fire some transition of the cycle (for queues of what waits for someone)."""
    return {r for t in defn.transitions for r in t.roles}


def feedback_window_roles(defn: CycleDefinition) -> set[str]:
    """The roles some feedback window of the cycle asks (for the list of feedback to give)."""
    return {r for w in defn.feedback for r in w.roles}
