"""One person, one hand in a rating: who rated an appraisal never reviews that rating nor decides its appeal.

PermenPAN-RB 6/2022 gives the rating to the pejabat penilai and its review (and the decision on a keberatan)
to the atasan pejabat penilai: two people. The chart decides who holds each role at the moment of each step,
so a change of the chart (a new head placed between the rater and the employee) can make the rater the
appraisal's reviewer. :func:`reviews_own_rating` refuses that reviewer a step that decides, while leaving
them the step that sends the rating back (to a state the appraisal was in before): the rater the chart names
now rates again, and the appraisal keeps a way forward.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definition import CycleDefinition, TransitionDef
from engine.messages import Label, Message
from engine.models import AuditEvent
from engine.permissions import Actor

#: The resolver of the role that rates (pejabat penilai) and of the role that reviews (atasan pejabat penilai).
RATING_RESOLVER = "supervisor"
REVIEWING_RESOLVER = "supervisor_of_supervisor"


def rater_roles(defn: CycleDefinition) -> list[str]:
    """The cycle's roles that rate (a ``supervisor`` role)."""
    return [r for r, role in defn.roles.items() if role.resolver == RATING_RESOLVER]


class LastRaters:
    """Who gave the rating in force of each of many appraisals (a queue, a page of a list), read in one query the
    first time one is asked for, so that a list of n appraisals a reviewer may act on costs one statement, not n."""

    def __init__(self, session: Session, appraisals: Iterable[tuple[int, CycleDefinition]]) -> None:
        self._session = session
        self._roles = {aid: set(rater_roles(defn)) for aid, defn in appraisals}
        self._found: dict[int, list[tuple[str | None, int | None]]] | None = None

    def knows(self, appraisal_id: int) -> bool:
        return appraisal_id in self._roles

    def of(self, appraisal_id: int, raters: Collection[str]) -> int | None:
        """The user who last fired a transition of ``appraisal_id`` as one of ``raters`` (None: nobody yet)."""
        if self._found is None:
            self._found = defaultdict(list)
            wanted = [aid for aid, roles in self._roles.items() if roles]
            every = set().union(*self._roles.values()) if self._roles else set()
            if wanted and every:
                for aid, role, user in self._session.execute(
                        select(AuditEvent.appraisal_id, AuditEvent.role, AuditEvent.actor_user_id)
                        .where(AuditEvent.appraisal_id.in_(wanted), AuditEvent.kind == "transition",
                               AuditEvent.role.in_(sorted(every)))
                        .order_by(AuditEvent.appraisal_id, AuditEvent.seq)):
                    if aid is not None:
                        self._found[aid].append((role, user))
        return next((user for role, user in reversed(self._found.get(appraisal_id, ())) if role in raters), None)


def _last_rater(session: Session, appraisal_id: int, raters: Collection[str]) -> int | None:
    return session.scalar(
        select(AuditEvent.actor_user_id).where(AuditEvent.appraisal_id == appraisal_id,
                                               AuditEvent.kind == "transition", AuditEvent.role.in_(raters))
        .order_by(AuditEvent.seq.desc()).limit(1))


def reviews_own_rating(session: Session, defn: CycleDefinition, appraisal_id: int, state_entries: Mapping[str, Any],
                       transition: TransitionDef, role: str, actor: Actor,
                       known: LastRaters | None = None) -> Message | None:
    """The refusal of ``transition`` fired as ``role`` by the person who gave the rating in force (the last
    transition fired on this appraisal as its rater), when ``role`` reviews and the step decides (its
    destination is a state the appraisal has not been in); None when nothing stands in the way. ``known``: the
    raters of a list the appraisal is in, read together."""
    spec = defn.roles.get(role)
    if actor.is_system or actor.user_id is None or spec is None or spec.resolver != REVIEWING_RESOLVER:
        return None
    if transition.dest in state_entries:
        return None  # a return to an earlier state decides nothing: the rating is made again
    raters = rater_roles(defn)
    if not raters:
        return None
    # The rating in force is the last one given: a rating sent back and given again by the rater the chart
    # names now is theirs to answer for, not the earlier rater's.
    last_rater = (known.of(appraisal_id, raters) if known is not None and known.knows(appraisal_id)
                  else _last_rater(session, appraisal_id, raters))
    if last_rater != actor.user_id:
        return None
    return Message("access.own_rating", trigger=Label(transition.trigger, transition.label),
                   role=Label(role, spec.label))
