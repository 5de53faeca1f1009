"""What the national demo (:mod:`engine.demo`) and the agency demos (:mod:`engine.demo_agency`) share when
they drive a run as its people would: who acts for each cycle role on each appraisal, and the public's
survey answers about the units."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit import SYSTEM_STREAM
from engine.definition import CycleDefinition
from engine.models import Appraisal, AuditEvent, Employee, FeedbackResponse, User
from engine.permissions import Actor
from engine.public_feedback import ROLE as PUBLIC_ROLE
from engine.public_feedback import WINDOW as PUBLIC_WINDOW
from engine.public_feedback import record_public_answer, survey
from engine.resolvers import HolderIndex, Subject


class Cast:
    """The people of a run: each active login as an :class:`Actor`, each employee's supervisor, and who
    holds each role of the cycle on each appraisal, as the policy's resolvers see it."""

    def __init__(self, session: Session, defn: CycleDefinition, rows: Sequence[Appraisal]) -> None:
        self.defn = defn
        users = session.scalars(select(User).where(User.is_active.is_(True))).all()
        self.actors = {u.employee_id: Actor.of(u) for u in users if u.employee_id is not None}
        self.user_actors = {u.id: Actor.of(u) for u in users}
        self.employees = {e.id: e for e in session.scalars(select(Employee))}
        self.bosses = {eid: e.supervisor_id for eid, e in self.employees.items()}
        self.subjects = {a.id: Subject(a.employee_id, self.employees[a.employee_id].unit_id,
                                       self.bosses.get(a.employee_id),
                                       self.bosses.get(self.bosses.get(a.employee_id) or -1)) for a in rows}
        self.index = HolderIndex(session, list(self.subjects.values()), {r.resolver for r in defn.roles.values()})

    def held(self, appraisal_id: int) -> dict[str, list[Actor]]:
        """Each role of the cycle with the actors who hold it on the appraisal (employees first)."""
        held: dict[str, list[Actor]] = {}
        for role_id, spec in self.defn.roles.items():
            found = self.index.of(spec, self.subjects[appraisal_id])
            held[role_id] = ([self.actors[e] for e in found.employee_ids if e in self.actors]
                             + [self.user_actors[u] for u in found.user_ids if u in self.user_actors])
        return held


def public_answers(session: Session, rng: random.Random, unit_ids: Iterable[int], when: datetime, *,
                   respondents: int, scale: Sequence[int], key: str) -> None:
    """``respondents`` residents' answers to each unit's public survey (IKM) at ``when``, each element
    drawn from ``scale``; ``key`` names each respondent (``{unit}`` and ``{n}`` filled in). Each is recorded in
    the system chain as the survey records an answer (engine.public_feedback.record_public_answer), dated with
    the chain's last event (the demo writes its past out of order; the seal holds the answer's own moment).
    Commits."""
    answers = [FeedbackResponse(unit_id=unit_id, appraisal_id=None, window=PUBLIC_WINDOW, role=PUBLIC_ROLE,
                                respondent_user_id=None, respondent_key=key.format(unit=unit_id, n=n),
                                answers={k: rng.choice(scale) for k in survey().keys}, comment="", created_at=when)
               for unit_id in unit_ids for n in range(respondents)]
    session.add_all(answers)
    session.flush()
    last = session.scalar(select(AuditEvent.occurred_at).where(AuditEvent.stream == SYSTEM_STREAM)
                          .order_by(AuditEvent.seq.desc()).limit(1))
    for answer in answers:
        record_public_answer(session, answer, last or when)
    session.commit()
