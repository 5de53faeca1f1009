"""The citizen loop in an agency demo: residents' complaints sent with the public survey, triaged and
answered by the agency's HR, through the same services the public page and HR's desk call, so the
desk, the audit log and an indicator fed by ``complaints.verified`` show a year's real cases."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.citizen_models import Complaint
from engine.complaints import reply_to_complaint, triage_complaint
from engine.demo_agency.model import AgencyDemo, public_slug
from engine.models import Employee
from engine.permissions import Actor
from engine.public_feedback import submit_public_feedback, survey


def seed_complaints(session: Session, demo: AgencyDemo, hr: Actor, people: Mapping[str, Employee],
                    rng: random.Random, now: datetime) -> list[int]:
    """Send each complaint of ``demo`` with a survey answer, then triage and answer it as HR did; the
    complaints' ids in the demo's order."""
    ids: list[int] = []
    for n, case in enumerate(demo.complaints):
        received = now - timedelta(days=case.days_ago)
        answer = submit_public_feedback(session, public_slug(case.unit), {k: rng.choice([1, 2, 2, 3])
                                                                           for k in survey().keys},
                                        case.text, f"demo-pengaduan-{n}", now=received)
        complaint_id = session.scalars(select(Complaint.id).where(Complaint.response_id == answer.id)).one()
        ids.append(complaint_id)
        if case.triage is None:
            continue
        triage_complaint(session, hr, complaint_id, case.triage,
                         employee_id=people[case.about].id if case.about else None,
                         duplicate_of_id=ids[case.repeats] if case.repeats is not None else None,
                         note=case.note, now=received + timedelta(days=2))
        if case.reply:
            reply_to_complaint(session, hr, complaint_id, case.reply, now=received + timedelta(days=4))
    return ids
