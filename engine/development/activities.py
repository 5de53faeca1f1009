"""A development activity's life: enrolled in a catalogue course (one action, from the recommendation),
changed or withdrawn while planned, done with its certificate as evidence.

Every step is an edit of kind ``development`` (:func:`engine.appraisals.edits.edit_appraisal`): the state
must open development to the actor's role, the results reading ``development.*`` are recomputed (the JP
total is live everywhere), and the audit event names the activity so the chain re-derives each row
(:mod:`engine.replay`). A certificate is stored like a realisation's evidence (:mod:`engine.evidence`) and
removed again when the step is refused.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.appraisals import Evidence
from engine.appraisals.edits import activity_title, edit_appraisal
from engine.definition import CycleDefinition
from engine.development.catalogue import lesson_hours
from engine.development.models import TrainingCourse
from engine.errors import InvalidInput, NotFound, TransitionNotAllowed
from engine.evidence import EvidenceFile, EvidenceStore, Upload, stored_file
from engine.messages import Message
from engine.models import Appraisal, DevelopmentActivity, utcnow
from engine.permissions import Actor
from engine.policy import Policy

PLANNED, DONE, WITHDRAWN = "planned", "done", "withdrawn"


def _evidence_payload(evidence: Evidence) -> dict[str, Any]:
    return {"name": evidence.name, "sha256": evidence.sha256, "size": evidence.size,
            "content_type": evidence.content_type, "path": evidence.path}


def _payload(row: DevelopmentActivity, action: str | None = None) -> dict[str, Any]:
    """What the audit event keeps of an activity: everything the row holds, so the chain re-derives it."""
    payload: dict[str, Any] = {"activity": row.id, "title": row.title, "jp": row.jp, "course_id": row.course_id,
                               "status": row.status}
    if action:
        payload["action"] = action
    return payload


def enrol(session: Session, appraisal_id: int, actor: Actor, course_code: str, expected_version: int | None = None,
          now: datetime | None = None) -> Appraisal:
    """Enrol the employee in a catalogue course (planned, with the course's title and JP); a course the
    appraisal already holds a live enrolment in, or one the catalogue lacks or retired, is refused."""
    course = session.scalar(select(TrainingCourse).where(TrainingCourse.code == course_code))
    if course is None or not course.active:
        raise InvalidInput(f"no course '{course_code}' open to enrolment in the training catalogue",
                           msg=Message("development.no_course", course=course_code))
    code, title, jp = course.code, course.title, course.jp

    def change(appraisal: Appraisal, _defn: CycleDefinition, _policy: Policy, _role: str | None) -> dict[str, Any]:
        held = session.scalar(select(DevelopmentActivity.id).where(
            DevelopmentActivity.appraisal_id == appraisal.id, DevelopmentActivity.course_id == code,
            DevelopmentActivity.status != WITHDRAWN))
        if held is not None:
            raise InvalidInput(f"already enrolled in '{code}' on this appraisal",
                               msg=Message("development.enrolled", title=title))
        row = DevelopmentActivity(appraisal_id=appraisal.id, course_id=code, title=title, jp=jp, status=PLANNED)
        session.add(row)
        session.flush()
        return _payload(row)

    return edit_appraisal(session, appraisal_id, actor, "development", expected_version, change, now)


def _planned(session: Session, appraisal: Appraisal, activity_id: int, doing: str) -> DevelopmentActivity:
    row = session.get(DevelopmentActivity, activity_id)
    if row is None or row.appraisal_id != appraisal.id:
        raise NotFound(f"no development activity {activity_id} on appraisal {appraisal.id}",
                       msg=Message("development.no_activity", id=str(activity_id)))
    if row.status != PLANNED:
        state = {"done": ("sudah selesai", "is already done"),
                 "withdrawn": ("sudah dibatalkan", "is already withdrawn")}.get(row.status, (row.status, row.status))
        code = {"done": "development.done", "withdrawn": "development.withdrawn"}.get(row.status,
                                                                                      "development.not_planned")
        raise TransitionNotAllowed(f"activity {activity_id} {state[1]}; only a planned one can be {doing}",
                                   msg=Message(code, title=row.title))
    return row


def update_activity(session: Session, appraisal_id: int, activity_id: int, actor: Actor, title: str, jp: Any,
                    expected_version: int | None = None, now: datetime | None = None) -> Appraisal:
    """Change a planned activity's title and JP (judged once the right to edit is checked); the title and JP it
    already has change nothing and record nothing."""

    def change(appraisal: Appraisal, _defn: CycleDefinition, _policy: Policy,
               _role: str | None) -> dict[str, Any] | None:
        hours, text = lesson_hours(jp), activity_title(title)
        row = _planned(session, appraisal, activity_id, "changed")
        if (row.title, row.jp) == (text, hours):
            return None
        row.title, row.jp = text, hours
        return _payload(row, "update")

    return edit_appraisal(session, appraisal_id, actor, "development", expected_version, change, now)


def withdraw_activity(session: Session, appraisal_id: int, activity_id: int, actor: Actor,
                      expected_version: int | None = None, now: datetime | None = None) -> Appraisal:
    """Withdraw a planned activity (it stays in the history; its course can be enrolled in again)."""

    def change(appraisal: Appraisal, _defn: CycleDefinition, _policy: Policy, _role: str | None) -> dict[str, Any]:
        row = _planned(session, appraisal, activity_id, "withdrawn")
        row.status = WITHDRAWN
        return _payload(row, "withdraw")

    return edit_appraisal(session, appraisal_id, actor, "development", expected_version, change, now)


def complete_activity(session: Session, store: EvidenceStore, appraisal_id: int, activity_id: int, actor: Actor,
                      upload: Upload | None = None, expected_version: int | None = None,
                      now: datetime | None = None) -> Appraisal:
    """Mark a planned activity done, with its certificate; refused without one when its catalogue course
    requires it. The certificate is checked and stored first and removed again when the step is refused."""
    evidence, created = store.store(appraisal_id, upload) if upload is not None else (None, False)
    moment = now or utcnow()

    def change(appraisal: Appraisal, _defn: CycleDefinition, _policy: Policy, _role: str | None) -> dict[str, Any]:
        row = _planned(session, appraisal, activity_id, "marked done")
        required = row.course_id is not None and bool(session.scalar(
            select(TrainingCourse.certificate_required).where(TrainingCourse.code == row.course_id)))
        if required and evidence is None:
            raise InvalidInput(f"course '{row.course_id}' needs its certificate to be marked done",
                               msg=Message("development.certificate", title=row.title))
        row.status, row.completed_at = DONE, moment
        payload = _payload(row, "complete")
        payload["evidence"] = None
        if evidence is not None:
            row.evidence_name, row.evidence_path, row.evidence_size = evidence.name, evidence.path, evidence.size
            row.evidence_type, row.evidence_sha256 = evidence.content_type, evidence.sha256
            payload["evidence"] = _evidence_payload(evidence)
        return payload

    try:
        # The activity is done at the moment its event records (what verify holds completed_at to).
        return edit_appraisal(session, appraisal_id, actor, "development", expected_version, change, moment)
    except Exception:
        if evidence is not None and created and (path := store.file_of(evidence.path)) is not None:
            path.unlink(missing_ok=True)
        raise


def certificate_file(session: Session, store: EvidenceStore, actor: Actor, appraisal_id: int,
                     activity_id: int) -> EvidenceFile:
    """The certificate of one activity, for someone who may open the appraisal; NotFound when there is none."""
    return stored_file(session, store, actor, appraisal_id, DevelopmentActivity, activity_id, "activity")
