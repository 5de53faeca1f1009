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
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, finding
from engine.models import OrgUnit, RoleGrant, User
from engine.rater_models import RaterDesignation

GRANT_KINDS = frozenset({"role_grant", "role_revoke"})
DESIGNATION_KINDS = frozenset({"rater_designate", "rater_clear"})
KINDS = GRANT_KINDS | DESIGNATION_KINDS

#: A grant as the chain names it: the account, the role, and the unit's code (None: every unit).
GrantKey = tuple[int, str, str | None]


@dataclass
class Standing:
    """What the system chain's grant and designation events leave standing, replayed in order."""

    grants: set[GrantKey] = field(default_factory=set)
    usernames: dict[int, str] = field(default_factory=dict)  # account id -> user name, as the events name it
    # employee id -> (rater, reviewer, basis) as the last designation recorded them; cleared ones are absent
    designations: dict[int, tuple[Any, Any, Any]] = field(default_factory=dict)

    def apply(self, kind: str, employee_id: int | None, payload: Mapping[str, Any]) -> None:
        """Take one event of the system chain (any kind; those of :data:`KINDS` change what stands)."""
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
                self.designations[employee_id] = (payload.get("rater_user_id"), payload.get("reviewer_user_id"),
                                                  payload.get("basis"))
            else:
                self.designations.pop(employee_id, None)


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
    designated: dict[int, tuple[Any, Any, Any]] = {
        employee_id: (rater, reviewer, basis) for employee_id, rater, reviewer, basis in session.execute(
            select(RaterDesignation.employee_id, RaterDesignation.rater_user_id, RaterDesignation.reviewer_user_id,
                   RaterDesignation.basis).order_by(RaterDesignation.employee_id))}
    for employee_id, held in designated.items():
        recorded = standing.designations.get(employee_id)
        if recorded is None:
            problems.append(finding("audit.designation_unchained", employee=employee_id))
        elif held != recorded:
            problems.append(finding("audit.designation_differs", employee=employee_id))
    for employee_id in sorted(set(standing.designations) - set(designated)):
        problems.append(finding("audit.designation_gone", employee=employee_id))
    return problems


__all__ = ["KINDS", "Standing", "access_differences"]
