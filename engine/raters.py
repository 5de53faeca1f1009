"""Raters for employees at the top of the organisation: who rates (and reviews) someone with no superior.

Per PermenPAN-RB 6/2022 the pejabat penilai kinerja is the employee's direct superior and the atasan
pejabat penilai the superior's superior; Siklus reads both from ``Employee.supervisor_id``. The chart ends
at the top officials (a Sekretaris Daerah, an agency head answering to the regional head), whose superior
is the regional head (Pejabat Pembina Kepegawaian): a political official, not an employee in Siklus. Left
alone, nobody holds the rater role on their appraisals and their plans wait for ever.

HR of the employee's unit designates a user account (the regional head's, or another official's) as the
employee's rater and, optionally, as their reviewer. A designation counts only while the employee has no
supervisor (the org chart stays the normal path; :mod:`engine.resolvers` reads it there and nowhere
else), and the rater of a top official is also the reviewer of the employees they rate directly. Setting,
changing and clearing are each one transaction with an event in the system audit chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload

from engine.audit import EventInfo, append_system_event
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.messages import Message
from engine.models import Appraisal, Employee, User, utcnow
from engine.permissions import Actor
from engine.policy import HrScope, Policy
from engine.rater_models import RaterDesignation

#: How far up a chain of supervisors the subordinate check walks (a loop in the chart stops there too).
MAX_DEPTH = 64
MAX_BASIS = 255


@dataclass(frozen=True)
class TopOfficial:
    """An active employee with no superior in Siklus, and who was designated to rate and review them."""

    employee: Employee
    designation: RaterDesignation | None
    rater: User | None
    reviewer: User | None


def _employee(session: Session, employee_id: int) -> Employee:
    employee = session.get(Employee, employee_id)
    if employee is None:
        raise NotFound(Message("employee.not_found", id=str(employee_id)))
    return employee


def _require_hr(session: Session, actor: Actor, employee: Employee) -> None:
    if actor.is_system or not Policy(session, actor).is_hr_of(employee.unit_id):
        raise Forbidden(Message("rater.not_hr", name=employee.name, nip=employee.nip))
    check_not_own(actor, employee)


def check_not_own(actor: Actor, employee: Employee) -> None:
    """Refuse an HR officer's change to the designation of their own employee record: nobody picks (or removes)
    who rates them, as HR does not make itself the rater (:func:`check_account`)."""
    if actor.employee_id is not None and actor.employee_id == employee.id:
        raise Forbidden(Message("rater.own_employee", name=employee.name))


def _reports_to(session: Session, user: User, employee: Employee) -> bool:
    """Whether the user's own employee record sits under ``employee`` in the chart (directly or not): one
    recursive query up the chain of supervisors, whatever its length (at most :data:`MAX_DEPTH` levels)."""
    if user.employee_id is None:
        return False
    up = (select(Employee.supervisor_id.label("boss"), literal(1).label("depth"))
          .where(Employee.id == user.employee_id).cte("bosses", recursive=True))
    up = up.union_all(select(Employee.supervisor_id, up.c.depth + 1).join(up, Employee.id == up.c.boss)
                      .where(up.c.depth < MAX_DEPTH))
    return session.scalar(select(exists().where(up.c.boss == employee.id))) is True


def check_account(session: Session, actor: Actor, employee: Employee, username: str) -> User:
    """The active account named ``username``, refused when it cannot rate or review ``employee``: it does not
    exist or is inactive, it is the employee's own, the actor's own, or a subordinate's."""
    user = session.scalars(select(User).where(User.username == username, User.is_active.is_(True))).first()
    if user is None:
        raise NotFound(Message("rater.no_user", username=username[:80]))
    if user.employee_id == employee.id:
        raise InvalidInput(Message("rater.self", username=user.username, name=employee.name))
    if actor.user_id is not None and user.id == actor.user_id:
        raise Forbidden(Message("rater.own_account"))
    if _reports_to(session, user, employee):
        raise InvalidInput(Message("rater.subordinate", username=user.username, name=employee.name))
    return user


def check_designable(employee: Employee) -> None:
    """Refuse a designation for an employee who has a supervisor: the org chart names their rater."""
    if employee.supervisor_id is not None:
        boss = employee.supervisor
        raise InvalidInput(Message("rater.has_supervisor", name=employee.name,
                                   supervisor=boss.name if boss is not None else str(employee.supervisor_id)))


def check_basis(basis: str) -> None:
    """Refuse a basis (decree number, letter) longer than the column keeps."""
    if len(basis) > MAX_BASIS:
        raise InvalidInput(Message("rater.basis_long", limit=MAX_BASIS))


def check_reviewer(rater: User, reviewer: User | None) -> None:
    """Refuse a reviewer who is the rater."""
    if reviewer is not None and reviewer.id == rater.id:
        raise InvalidInput(Message("rater.reviewer_same"))


def _event(session: Session, actor: Actor, kind: str, employee: Employee, *, now: datetime | None = None,
           **payload: object) -> None:
    append_system_event(session, EventInfo(
        kind=kind, actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
        employee_id=employee.id, unit_id=employee.unit_id, payload={"nip": employee.nip, **payload}),
        occurred_at=now)


def _named(session: Session, designation: RaterDesignation | None) -> dict[str, object] | None:
    """A designation as the audit chain keeps it: the accounts by name and id, and the basis."""
    if designation is None:
        return None
    names = dict(session.execute(select(User.id, User.username).where(
        User.id.in_([designation.rater_user_id, designation.reviewer_user_id or designation.rater_user_id]))).all())
    reviewer = designation.reviewer_user_id
    return {"rater": names.get(designation.rater_user_id), "rater_user_id": designation.rater_user_id,
            "reviewer": names.get(reviewer) if reviewer else None, "reviewer_user_id": reviewer,
            "basis": designation.basis}


def designation_of(session: Session, employee_id: int) -> RaterDesignation | None:
    """The employee's designation, dormant or not, if there is one."""
    return session.scalars(select(RaterDesignation).where(RaterDesignation.employee_id == employee_id)).first()


def record_designation(session: Session, actor: Actor, employee: Employee, rater: User, reviewer: User | None,
                       basis: str, *, now: datetime | None = None) -> tuple[RaterDesignation, bool]:
    """Store a checked designation and its ``rater_designate`` event in the caller's transaction (no commit);
    the designation and whether anything changed (nothing is recorded when it is the same). ``now`` dates the
    designation and its event (the clock's moment by default)."""
    designation = designation_of(session, employee.id)
    reviewer_id = reviewer.id if reviewer is not None else None
    if designation is not None and (designation.rater_user_id, designation.reviewer_user_id, designation.basis) == (
            rater.id, reviewer_id, basis):
        return designation, False
    before = _named(session, designation)
    # The row says who designated the rater it holds, and when: the moment of its event (verify holds it to it).
    moment = now or utcnow()
    if designation is None:
        designation = RaterDesignation(employee_id=employee.id, designated_at=moment)
        session.add(designation)
    designation.rater_user_id = rater.id
    designation.reviewer_user_id = reviewer_id
    designation.basis = basis
    designation.designated_by_id = actor.user_id
    designation.designated_at = moment
    session.flush()
    _event(session, actor, "rater_designate", employee, now=moment, **(_named(session, designation) or {}),
           before=before)
    return designation, True


def remove_designation(session: Session, actor: Actor, employee: Employee, designation: RaterDesignation) -> None:
    """Delete a designation and record its ``rater_clear`` event in the caller's transaction (no commit)."""
    before = _named(session, designation)
    session.delete(designation)
    session.flush()
    _event(session, actor, "rater_clear", employee, before=before)


def designate_rater(session: Session, actor: Actor, employee_id: int, rater: str, reviewer: str = "",
                    basis: str = "", *, now: datetime | None = None) -> RaterDesignation:
    """Name the account ``rater`` (a user name) as the pejabat penilai of an employee with no supervisor,
    and ``reviewer`` (optional) as their atasan pejabat penilai; replaces an earlier designation. Commits.

    Refused unless the actor is HR of the employee's unit; for an employee who has a supervisor; for an
    account that does not exist or is inactive, that is the employee's own, the actor's own, or a
    subordinate's; and for a reviewer who is the rater. ``now`` is the moment of the designation (the
    clock's by default; a demo dates its setup before the past periods it launches).
    """
    rater, reviewer, basis = (rater or "").strip(), (reviewer or "").strip(), (basis or "").strip()
    employee = _employee(session, employee_id)
    _require_hr(session, actor, employee)
    check_designable(employee)
    if not rater:
        raise InvalidInput(Message("rater.user_required"))
    check_basis(basis)
    rater_user = check_account(session, actor, employee, rater)
    reviewer_user = check_account(session, actor, employee, reviewer) if reviewer else None
    check_reviewer(rater_user, reviewer_user)
    try:
        designation, changed = record_designation(session, actor, employee, rater_user, reviewer_user, basis,
                                                 now=now)
        if changed:
            session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(Message("rater.race", name=employee.name)) from exc
    except BaseException:
        session.rollback()
        raise
    return designation


def clear_rater(session: Session, actor: Actor, employee_id: int) -> None:
    """Remove the designated rater (and reviewer) of an employee; HR of the employee's unit only. Commits."""
    employee = _employee(session, employee_id)
    _require_hr(session, actor, employee)
    designation = designation_of(session, employee.id)
    if designation is None:
        raise NotFound(Message("rater.none", name=employee.name))
    try:
        remove_designation(session, actor, employee, designation)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _with_designations() -> Select[Employee, RaterDesignation, User, User]:
    """Employees (with their unit) beside their designation and its two accounts, when there is one."""
    rater, reviewer = aliased(User, name="rater"), aliased(User, name="reviewer")
    return (select(Employee, RaterDesignation, rater, reviewer)
            .outerjoin(RaterDesignation, RaterDesignation.employee_id == Employee.id)
            .outerjoin(rater, rater.id == RaterDesignation.rater_user_id)
            .outerjoin(reviewer, reviewer.id == RaterDesignation.reviewer_user_id)
            .options(joinedload(Employee.unit)))


def top_officials(session: Session, scope: HrScope) -> list[TopOfficial]:
    """The active employees with no superior in the scope's units, by name, with their designations
    (one statement)."""
    stmt = (_with_designations().where(Employee.supervisor_id.is_(None), Employee.active.is_(True))
            .order_by(Employee.name, Employee.id))
    if not scope.every_unit:
        stmt = stmt.where(Employee.unit_id.in_(scope.unit_ids))
    return [TopOfficial(*row) for row in session.execute(stmt)]


def top_official(session: Session, employee_id: int) -> TopOfficial:
    """One employee with their designation (one statement), e.g. as it stands after a change; the caller
    has checked that they may see it. NotFound for an unknown employee."""
    row = session.execute(_with_designations().where(Employee.id == employee_id)).first()
    if row is None:
        raise NotFound(Message("employee.not_found", id=str(employee_id)))
    return TopOfficial(*row)


def without_rater(session: Session, scope: HrScope) -> list[Employee]:
    """The active employees of the scope's units whom nobody would rate: no supervisor and no designated
    rater (one statement), by name. What HR settles before a launch."""
    stmt = (select(Employee).where(Employee.active.is_(True), Employee.supervisor_id.is_(None),
                                   Employee.id.not_in(select(RaterDesignation.employee_id)))
            .order_by(Employee.name, Employee.id))
    if not scope.every_unit:
        stmt = stmt.where(Employee.unit_id.in_(scope.unit_ids))
    return list(session.scalars(stmt))


def without_reviewer(session: Session, scope: HrScope) -> list[Employee]:
    """The active employees of the scope's units with a designated rater but no designated reviewer (one
    statement), by name: once rated, their appraisal waits at review for someone nobody holds."""
    stmt = (select(Employee).join(RaterDesignation, RaterDesignation.employee_id == Employee.id)
            .where(Employee.active.is_(True), Employee.supervisor_id.is_(None),
                   RaterDesignation.reviewer_user_id.is_(None))
            .order_by(Employee.name, Employee.id))
    if not scope.every_unit:
        stmt = stmt.where(Employee.unit_id.in_(scope.unit_ids))
    return list(session.scalars(stmt))


def without_reviewer_in_run(session: Session, run_id: int) -> list[Employee]:
    """The employees with an open appraisal in the run whose designated rater has no designated reviewer."""
    return list(session.scalars(
        select(Employee).join(Appraisal, Appraisal.employee_id == Employee.id)
        .join(RaterDesignation, RaterDesignation.employee_id == Employee.id)
        .where(Appraisal.run_id == run_id, Appraisal.closed_at.is_(None), Employee.supervisor_id.is_(None),
               RaterDesignation.reviewer_user_id.is_(None))
        .order_by(Employee.name, Employee.id)))


def without_rater_in_run(session: Session, run_id: int) -> list[Employee]:
    """The employees with an open appraisal in the run whom nobody rates (no supervisor, no designation)."""
    named = select(RaterDesignation.employee_id)
    return list(session.scalars(
        select(Employee).join(Appraisal, Appraisal.employee_id == Employee.id)
        .where(Appraisal.run_id == run_id, Appraisal.closed_at.is_(None), Employee.supervisor_id.is_(None),
               Employee.id.not_in(named))
        .order_by(Employee.name, Employee.id)))
