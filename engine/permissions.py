"""Who is acting: a logged-in user with their grants, the public, or the system (deadlines).

What an actor may do on an appraisal is decided by :class:`engine.policy.Policy`.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.models import User

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
    def of(cls, user: User) -> Actor:
        return cls(
            user_id=user.id,
            username=user.username,
            employee_id=user.employee_id,
            grants=tuple((g.role, g.unit_id) for g in user.grants),
        )

    @classmethod
    def system(cls) -> Actor:
        return cls(user_id=None, username="system", is_system=True)

    @classmethod
    def public(cls) -> Actor:
        return cls(user_id=None, username="public")

    def has_grant(self, role: str) -> bool:
        return any(r == role for r, _ in self.grants)

    @property
    def is_admin(self) -> bool:
        return self.has_grant("admin")

    @property
    def is_hr(self) -> bool:
        return self.has_grant("hr") or self.is_admin
