"""Logins and role grants: creating a user for an employee, (de)activating it, resetting its password,
granting and revoking roles.

Who may change whom is decided here, for the screens and any other interface alike: an HR officer
manages the users of the units they oversee (:func:`engine.access.hr_scope`) and grants ``hr`` or
``group:<name>`` only within those units; ``admin`` is granted and revoked only by an admin; nobody
changes their own login or grants. Every change is one transaction with its event in the system
audit chain; passwords never reach the log.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, true, update
from sqlalchemy.orm import Session, joinedload, selectinload
from werkzeug.security import generate_password_hash

from engine.access import HrScope, hr_scope
from engine.audit import EventInfo, append_system_event
from engine.chart_verify import sign_in_digest
from engine.errors import Forbidden, InvalidInput, NotFound
from engine.messages import Message
from engine.models import Employee, OrgUnit, RoleGrant, User
from engine.permissions import Actor

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,79}$")
GROUP_ROLE = re.compile(r"^group:[a-z0-9][a-z0-9_-]{0,62}$")
MIN_PASSWORD = 8
# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Credentials:
    """A user and the password just set; shown once to the person who set it, never stored in clear."""

    user: User
    password: str
    generated: bool


def generate_password(length: int = 14) -> str:
    """A random password of unambiguous letters and digits."""
    return "".join(secrets.choice(_READABLE) for _ in range(length))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD} characters "
                           "(leave it empty to have one generated)",
                           msg=Message("user.password_short", minimum=MIN_PASSWORD))
    if len(password) > 200:
        raise InvalidInput("the password may have at most 200 characters", msg=Message("user.password_long"))


def _load_user(session: Session, user_id: int) -> User:
    user = session.scalars(
        select(User).where(User.id == user_id).options(selectinload(User.grants), selectinload(User.employee))
    ).first()
    if user is None:
        raise NotFound(f"no user #{user_id}", msg=Message("user.not_found", id=str(user_id)))
    return user


def user_units(user: User) -> list[int | None]:
    """The units a user belongs to: their employee's unit and the unit of each grant (None = every unit)."""
    units: list[int | None] = []
    if user.employee is not None:
        units.append(user.employee.unit_id)
    units.extend(g.unit_id for g in user.grants)
    return units


def may_manage(scope: HrScope, actor: Actor, user: User) -> bool:
    """Whether the actor's HR scope covers every unit the user belongs to (an admin's login: admins only)."""
    if any(g.role == "admin" for g in user.grants) and not actor.is_admin:
        return False
    units = user_units(user)
    if not units:
        return scope.every_unit
    return all(scope.every_unit if unit is None else scope.covers(unit) for unit in units)


def _managed_user(session: Session, actor: Actor, user_id: int, what: str) -> tuple[User, HrScope]:
    user = _load_user(session, user_id)
    if actor.user_id is not None and actor.user_id == user.id:
        raise Forbidden(f"you cannot {what} your own login; ask another HR officer or an admin",
                        msg=Message("user.own_login"))
    scope = hr_scope(session, actor)
    if not may_manage(scope, actor, user):
        raise Forbidden(f"user '{user.username}' belongs to units outside the ones you oversee as HR",
                        msg=Message("user.outside_scope", username=user.username))
    return user, scope


def _home_unit(user: User) -> int | None:
    """The unit an event about this user is filed under, so the HR of that unit sees it in the log."""
    return next((unit for unit in user_units(user) if unit is not None), None)


def _event(session: Session, actor: Actor, kind: str, user: User, unit_id: int | None, *,
           now: datetime | None = None, **payload: object) -> None:
    append_system_event(session, EventInfo(
        kind=kind, actor_user_id=actor.user_id, actor_name=actor.username, role="sdm",
        employee_id=user.employee_id, unit_id=unit_id if unit_id is not None else _home_unit(user),
        payload={"user_id": user.id, "username": user.username, **payload},
    ), occurred_at=now)


def _commit(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise


def create_user(session: Session, actor: Actor, employee_id: int, username: str,
                password: str | None = None) -> Credentials:
    """A login for an employee of a unit the actor oversees; an empty password is generated. Commits."""
    username = (username or "").strip()
    if not USERNAME.match(username):
        raise InvalidInput("the user name must be 3 to 80 letters, digits, dots, dashes or underscores, "
                           "starting with a letter or digit", msg=Message("user.name_format"))
    employee = session.get(Employee, employee_id)
    if employee is None:
        raise NotFound(f"no employee #{employee_id}", msg=Message("employee.not_found", id=str(employee_id)))
    scope = hr_scope(session, actor)
    if not scope.covers(employee.unit_id):
        raise Forbidden(f"{employee.name} ({employee.nip}) works in a unit you do not oversee as HR",
                        msg=Message("user.employee_outside", name=employee.name, nip=employee.nip))
    existing = session.scalars(select(User).where(User.employee_id == employee.id)).first()
    if existing is not None:
        raise InvalidInput(f"{employee.name} ({employee.nip}) already has the login '{existing.username}'",
                           msg=Message("user.has_login", name=employee.name, nip=employee.nip,
                                       username=existing.username))
    if session.scalars(select(User.id).where(User.username == username)).first() is not None:
        raise InvalidInput(f"the user name '{username}' is taken; choose another (the NIP is a common choice)",
                           msg=Message("user.name_taken", username=username))
    generated = not password
    password = password or generate_password()
    _check_password(password)
    user = User(username=username, display_name=employee.name, employee_id=employee.id,
                password_hash=generate_password_hash(password), is_active=True)
    try:
        session.add(user)
        session.flush()
        session.refresh(user, ["employee", "grants"])
        _event(session, actor, "user_create", user, employee.unit_id, nip=employee.nip,
               sign_in=sign_in_digest(user.username, user.password_hash), display_name=user.display_name)
    except BaseException:
        session.rollback()
        raise
    _commit(session)
    return Credentials(user, password, generated)


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> User:
    """Deactivate (the person can no longer log in; history stays) or reactivate a login. Commits."""
    user, _scope = _managed_user(session, actor, user_id, "deactivate" if not active else "reactivate")
    if user.is_active == active:
        return user
    user.is_active = active
    try:
        _event(session, actor, "user_activate" if active else "user_deactivate", user, None)
    except BaseException:
        session.rollback()
        raise
    _commit(session)
    return user


def reset_password(session: Session, actor: Actor, user_id: int, password: str | None = None) -> Credentials:
    """Set a new password (generated when empty) for a user the actor manages. Commits."""
    user, _scope = _managed_user(session, actor, user_id, "reset the password of")
    generated = not password
    password = password or generate_password()
    _check_password(password)
    user.password_hash = generate_password_hash(password)
    # Whoever held a session of this user (a copied cookie too) must log in with the new password.
    user.session_version = (user.session_version or 0) + 1
    try:
        _event(session, actor, "password_reset", user, None, generated=generated,
               sign_in=sign_in_digest(user.username, user.password_hash))
    except BaseException:
        session.rollback()
        raise
    _commit(session)
    return Credentials(user, password, generated)


def _check_grantable(scope: HrScope, actor: Actor, role: str, unit_id: int | None,
                     unit: OrgUnit | None = None) -> None:
    """Refuse a grant beyond the actor's own: admin by admins only, hr/group within the actor's units."""
    if role == "admin":
        if not actor.is_admin:
            raise Forbidden("only an admin may grant or revoke the admin role", msg=Message("role.admin_only"))
        return
    if role != "hr" and not GROUP_ROLE.match(role):
        raise InvalidInput(f"unknown role '{role}': use hr, admin or group:<name> "
                           "(lower-case letters, digits, '-' or '_')", msg=Message("role.unknown", role=role))
    if unit_id is None:
        if not scope.every_unit:
            raise Forbidden(f"the role '{role}' for every unit is beyond your own scope; choose one of your units",
                            msg=Message("role.every_unit", role=role))
        return
    if not scope.covers(unit_id):
        raise Forbidden(f"unit #{unit_id} is outside the units you oversee as HR",
                        msg=Message("role.unit_outside", unit=unit.name if unit is not None else f"#{unit_id}"))


def seed_grant(session: Session, *, user_id: int, role: str, unit_id: int | None = None,
               actor: Actor | None = None, now: datetime | None = None) -> RoleGrant:
    """Store a grant made while setting a database up (the demo's HR and admin, a test's fixtures) with its
    ``role_grant`` event, unchecked and uncommitted: every grant stands in the system chain, so ``siklus audit
    verify`` can tell one written around it (engine.access_verify). People grant through :func:`grant_role`.
    ``now`` dates the event (the clock's moment by default; a demo sets up before the past it launches)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(Message("user.not_found", id=str(user_id)))
    grant = RoleGrant(user_id=user.id, role=role, unit_id=unit_id)
    session.add(grant)
    session.flush()
    unit = session.get(OrgUnit, unit_id) if unit_id is not None else None
    _event(session, actor or Actor.system(), "role_grant", user, unit_id, now=now, role=role,
           unit=unit.code if unit is not None else None)
    return grant


def grant_role(session: Session, actor: Actor, user_id: int, role: str, unit_id: int | None) -> RoleGrant:
    """Give a user ``hr``, ``admin`` or ``group:<name>`` on a unit (None = every unit). Commits."""
    role = (role or "").strip()
    user, scope = _managed_user(session, actor, user_id, "change the roles of")
    unit = None
    if unit_id is not None:
        unit = session.get(OrgUnit, unit_id)
        if unit is None:
            raise NotFound(f"no unit #{unit_id}", msg=Message("unit.not_found", id=str(unit_id)))
    _check_grantable(scope, actor, role, unit_id, unit)
    if any(g.role == role and g.unit_id == unit_id for g in user.grants):
        raise InvalidInput(f"'{user.username}' already holds {role} for "
                           f"{unit.code if unit is not None else 'every unit'}",
                           msg=Message("role.held", username=user.username, role=role,
                                       unit=unit.name if unit is not None else Message("role.every_unit_name")))
    grant = RoleGrant(user_id=user.id, role=role, unit_id=unit_id)
    try:
        user.grants.append(grant)  # the loaded collection too: a revoke in the same session finds it
        session.flush()
        _event(session, actor, "role_grant", user, unit_id, role=role,
               unit=unit.code if unit is not None else None)
    except BaseException:
        session.rollback()
        raise
    _commit(session)
    return grant


def revoke_role(session: Session, actor: Actor, grant_id: int) -> User:
    """Take a grant away; the actor must be able to grant it. Commits."""
    grant = session.get(RoleGrant, grant_id)
    if grant is None:
        raise NotFound(f"no role grant #{grant_id}", msg=Message("grant.not_found", id=str(grant_id)))
    user, scope = _managed_user(session, actor, grant.user_id, "change the roles of")
    unit = session.get(OrgUnit, grant.unit_id) if grant.unit_id is not None else None
    _check_grantable(scope, actor, grant.role, grant.unit_id, unit)
    role, unit_id = grant.role, grant.unit_id
    try:
        user.grants.remove(grant)
        session.flush()
        _event(session, actor, "role_revoke", user, unit_id, role=role,
               unit=unit.code if unit is not None else None)
    except BaseException:
        session.rollback()
        raise
    _commit(session)
    return user


def end_sessions(session: Session, user_id: int) -> None:
    """End every session of a user (logout): their cookies, copies included, no longer log anyone in. Commits."""
    session.execute(update(User).where(User.id == user_id)
                    .values(session_version=func.coalesce(User.session_version, 0) + 1))
    session.commit()


def user_named(session: Session, username: str) -> User | None:
    """The account with this user name, or None."""
    return session.scalars(select(User).where(User.username == username)).first()


def signed_in_user(session: Session, user_id: int) -> User | None:
    """The account with its grants and employee record loaded (what each signed-in request needs), or None."""
    return session.scalars(
        select(User).where(User.id == user_id).options(selectinload(User.grants), joinedload(User.employee))
    ).first()


# -- what HR sees of the accounts in its units -------------------------------------------------------

def _visible(scope: HrScope) -> ColumnElement[bool]:
    """SQL condition: a user belongs to a unit in scope (as an employee or through a grant)."""
    if scope.every_unit:
        return true()
    return or_(
        Employee.unit_id.in_(scope.unit_ids),
        exists().where(RoleGrant.user_id == User.id, RoleGrant.unit_id.in_(scope.unit_ids)),
    )


def _with_units(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(joinedload(User.employee).joinedload(Employee.unit),
                        selectinload(User.grants).joinedload(RoleGrant.unit))


def users_in_scope(session: Session, scope: HrScope, search: str = "", *, after: str = "",
                   limit: int = 50) -> tuple[list[User], bool]:
    """Accounts in the scope's units by user name, after ``after``, matching ``search`` (part of the user
    name, display name or employee name, or a whole NIP); and whether more follow."""
    stmt = _with_units(select(User).outerjoin(User.employee).where(_visible(scope)).order_by(User.username))
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(User.username.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\"),
                              Employee.nip == search, Employee.name.ilike(pattern, escape="\\")))
    if after:
        stmt = stmt.where(User.username > after)
    found = list(session.scalars(stmt.limit(limit + 1)).unique())
    return found[:limit], len(found) > limit


def user_in_scope(session: Session, scope: HrScope, user_id: int) -> User | None:
    """The account with its employee record and grants when it belongs to a unit in scope, else None."""
    return session.scalars(_with_units(
        select(User).outerjoin(User.employee).where(User.id == user_id, _visible(scope)))).first()


def employee_in_scope(session: Session, scope: HrScope, nip: str) -> Employee | None:
    """The employee with this NIP in one of the scope's units, else None (so nothing is told about others)."""
    in_scope = true() if scope.every_unit else Employee.unit_id.in_(scope.unit_ids)
    return session.scalars(select(Employee).where(Employee.nip == nip, in_scope)).first()


def units_of_scope(session: Session, scope: HrScope) -> list[OrgUnit]:
    """The units a grant may be given on, by code."""
    stmt = select(OrgUnit).order_by(OrgUnit.code)
    if not scope.every_unit:
        stmt = stmt.where(OrgUnit.id.in_(scope.unit_ids))
    return list(session.scalars(stmt))


def grant_of(session: Session, user_id: int, grant_id: int) -> RoleGrant | None:
    """The user's grant with this id, or None."""
    grant = session.get(RoleGrant, grant_id)
    return grant if grant is not None and grant.user_id == user_id else None
