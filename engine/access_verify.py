"""``siklus audit verify`` for who may act beyond the org chart: role grants and rater designations, each row
against the system chain's events.

An account made HR of a unit, or designated the rater of a Sekretaris Daerah, acts on appraisals the org chart
does not give it; each such decision is an event in the system chain (``role_grant`` / ``role_revoke`` from
engine.users, ``rater_designate`` / ``rater_clear`` from engine.raters). A row written into the database around
them handed someone that power while every hash held. The chain's events are replayed into the grants and
designations they leave standing, and each row that differs, or has no event, is named. Lives below
engine.audit, which calls it while walking the system chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, Names, finding
from engine.models import Employee, OrgUnit, RoleGrant, User
from engine.moments import utc
from engine.rater_models import RaterDesignation

GRANT_KINDS = frozenset({"role_grant", "role_revoke"})
DESIGNATION_KINDS = frozenset({"rater_designate", "rater_clear"})
KINDS = GRANT_KINDS | DESIGNATION_KINDS

#: A grant as the chain names it: the account, the role, and the unit's code (None: every unit).
GrantKey = tuple[int, str, str | None]
#: How far a designation's moment may lie from its event's (seconds): one taken from the clock twice before the two
#: shared it.
_NEAR = 1.0


@dataclass(frozen=True)
class Designated:
    """Who designated an employee's rater as it stands, and when: the last ``rater_designate`` event's account and
    moment, and the moment of the one that made the row (the first since the last clear; rows changed before the row
    took each change's moment keep it)."""

    by: int | None
    at: datetime | None
    made: datetime | None


@dataclass
class Standing:
    """What the system chain's grant and designation events leave standing, replayed in order."""

    grants: set[GrantKey] = field(default_factory=set)
    usernames: dict[int, str] = field(default_factory=dict)  # account id -> user name, as the events name it
    # employee id -> (rater, reviewer, basis) as the last designation recorded them; cleared ones are absent
    designations: dict[int, tuple[Any, Any, Any]] = field(default_factory=dict)
    designated: dict[int, Designated] = field(default_factory=dict)  # employee id -> who and when, as recorded

    def apply(self, kind: str, employee_id: int | None, payload: Mapping[str, Any], actor_user_id: int | None = None,
              occurred_at: datetime | None = None) -> None:
        """Take one event of the system chain (any kind; those of :data:`KINDS` change what stands), with the account
        that recorded it and its moment."""
        if kind in GRANT_KINDS:
            key = (payload.get("user_id"), payload.get("role"), payload.get("unit"))
            if isinstance(key[0], int) and isinstance(key[1], str):
                self.usernames[key[0]] = str(payload.get("username") or f"#{key[0]}")
                grant = (key[0], key[1], key[2] if isinstance(key[2], str) else None)
                if kind == "role_grant":
                    self.grants.add(grant)
                else:
                    self.grants.discard(grant)
        elif kind in DESIGNATION_KINDS and employee_id is not None:
            if kind == "rater_designate":
                made = self.designated[employee_id].made if employee_id in self.designations else occurred_at
                self.designations[employee_id] = (payload.get("rater_user_id"), payload.get("reviewer_user_id"),
                                                  payload.get("basis"))
                self.designated[employee_id] = Designated(actor_user_id, occurred_at, made)
            else:
                self.designations.pop(employee_id, None)
                self.designated.pop(employee_id, None)


def access_differences(session: Session, standing: Standing) -> list[Finding]:
    """Each grant and designation row the chain does not leave standing as it is, and each the chain leaves
    standing that is gone, one sentence each."""
    problems: list[Finding] = []
    usernames = dict(standing.usernames)
    rows = session.execute(select(RoleGrant.id, RoleGrant.user_id, RoleGrant.role, OrgUnit.code, User.username)
                           .join(User, User.id == RoleGrant.user_id)
                           .outerjoin(OrgUnit, OrgUnit.id == RoleGrant.unit_id).order_by(RoleGrant.id)).all()
    live: set[GrantKey] = set()
    for row in rows:
        key = (row.user_id, row.role, row.code)
        live.add(key)
        usernames[row.user_id] = row.username
        if key not in standing.grants:
            problems.append(finding("audit.grant_unchained", id=row.id, user=row.username, role=row.role,
                                    unit=row.code or "*"))
    for user_id, role, unit in sorted(standing.grants - live, key=str):
        problems.append(finding("audit.grant_gone", user=usernames.get(user_id, f"#{user_id}"), role=role,
                                unit=unit or "*"))
    held = session.execute(
        select(RaterDesignation.employee_id, RaterDesignation.rater_user_id, RaterDesignation.reviewer_user_id,
               RaterDesignation.basis, RaterDesignation.designated_by_id, RaterDesignation.designated_at,
               Employee.name, Employee.nip)
        .outerjoin(Employee, Employee.id == RaterDesignation.employee_id).order_by(RaterDesignation.employee_id)).all()
    held_ids = {row.employee_id for row in held}
    gone = sorted(set(standing.designations) - held_ids)
    names = Names(session)
    accounts = set(session.scalars(select(User.id).where(User.id.in_(
        {d.by for d in standing.designated.values() if d.by is not None})))) if held else set()
    for one in held:
        employee = _person(one.employee_id, one.name, one.nip)
        recorded = standing.designations.get(one.employee_id)
        if recorded is None:
            problems.append(finding("audit.designation_unchained", employee=employee))
        elif (one.rater_user_id, one.reviewer_user_id, one.basis) != recorded:
            problems.append(finding("audit.designation_differs", employee=employee))
        elif not _owned(one.designated_by_id, one.designated_at, standing.designated[one.employee_id], accounts):
            problems.append(finding("audit.designation_owner", employee=employee))
    for employee_id in gone:
        problems.append(finding("audit.designation_gone", employee=names.employee(employee_id) or f"#{employee_id}"))
    return problems


def _owned(by: int | None, at: datetime | None, recorded: Designated, accounts: set[int]) -> bool:
    """Whether a designation row names who designated it and when as its events do (an account deleted since leaves
    no one named)."""
    if by != recorded.by and not (by is None and recorded.by not in accounts):
        return False
    if at is None:
        return False
    moment = utc(at)
    return any(abs((moment - utc(event)).total_seconds()) <= _NEAR
               for event in (recorded.at, recorded.made) if event is not None)


def _person(employee_id: int, name: str | None, nip: str | None) -> str:
    return f"{name} (NIP {nip})" if name else f"#{employee_id}"


__all__ = ["KINDS", "Standing", "access_differences"]
