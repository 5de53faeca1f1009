"""One reading of one appraisal by one person: what every section builder of the detail starts from.

Rows more than one section reads (the stored results) are loaded once, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definition import CycleDefinition
from engine.models import Appraisal, Result
from engine.permissions import Actor
from engine.policy import Policy


@dataclass
class Reading:
    """The session, the person, the appraisal they opened, its definition and their policy."""

    session: Session
    actor: Actor
    appraisal: Appraisal
    defn: CycleDefinition
    policy: Policy

    @cached_property
    def stored_results(self) -> dict[str, Result]:
        """Every result stored for the appraisal, by name (visibility is the caller's to apply)."""
        return {r.name: r for r in self.session.scalars(select(Result).where(Result.appraisal_id == self.appraisal.id))}

    def visible(self, name: str) -> bool:
        """Whether the person may see result ``name``: the one place the detail asks."""
        return self.policy.can_see(self.defn, self.appraisal, name)
