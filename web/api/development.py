"""Development and talent in the API: an appraisal's development (live JP, recommended courses linked to
the catalogue, activities), enrolment, changing, withdrawing and completing an activity (with its
certificate), the training catalogue, a run's nine-box grid with its shortlists, and a run's JP report.

Writing goes through the same engine services as the screens (engine.development, engine.talent).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, current_app, request

from engine.detail import appraisal_detail
from engine.detail.model import DevelopmentSection
from engine.development.activities import complete_activity, enrol, update_activity, withdraw_activity
from engine.development.catalogue import catalogue
from engine.development.report import jp_report
from engine.evidence import MAX_EVIDENCE, EvidenceStore, Upload
from engine.talent import talent_grid
from web.api.blueprint import bp
from web.api.core import int_arg, json_body, json_response, text_arg
from web.context import current_actor, db_session, unit_of_work


def development_json(section: DevelopmentSection) -> dict[str, Any]:
    """The development section of the read model: JP done against the target, recommendations, activities."""
    return {
        "jp_done": section.jp_done, "jp_target": section.jp_target, "jp_remaining": section.jp_remaining,
        "recommended": [{"course": r.code, "title": r.title, "jp": r.jp, "for": list(r.weak_points),
                         "in_catalogue": r.course is not None, "enrolled": r.enrolled, "can_enrol": r.can_enrol}
                        for r in section.recommended],
        "activities": [{"id": a.id, "title": a.title, "jp": a.jp, "course": a.course_id, "status": a.status,
                        "completed_at": a.completed_at,
                        "certificate": {"name": a.evidence_name, "sha256": a.evidence_sha256,
                                        "size": a.evidence_size, "content_type": a.evidence_type}
                        if a.evidence_path else None}
                       for a in section.activities],
    }


def _development(appraisal_id: int, status: int = 200) -> Response:
    detail = appraisal_detail(db_session(), current_actor(), appraisal_id)
    return json_response(development_json(detail.development), status)


@bp.get("/appraisals/<id:appraisal_id>/development")
def get_development(appraisal_id: int) -> Response:
    return _development(appraisal_id)


@bp.post("/appraisals/<id:appraisal_id>/development/enrolments")
def post_enrolment(appraisal_id: int) -> Response:
    """Enrol the employee in a catalogue course (one live enrolment per course)."""
    body = json_body("EnrolmentCreate")
    appraisal_detail(db_session(), current_actor(), appraisal_id)  # 404/403 before anything else
    with unit_of_work() as session:
        enrol(session, appraisal_id, current_actor(), body["course"], body.get("version"))
    return _development(appraisal_id, 201)


@bp.put("/appraisals/<id:appraisal_id>/development/<id:activity_id>")
def put_activity(appraisal_id: int, activity_id: int) -> Response:
    """Change a planned activity's title and JP."""
    body = json_body("ActivityUpdate")
    appraisal_detail(db_session(), current_actor(), appraisal_id)
    with unit_of_work() as session:
        update_activity(session, appraisal_id, activity_id, current_actor(), body["title"], body["jp"],
                        body.get("version"))
    return _development(appraisal_id)


@bp.post("/appraisals/<id:appraisal_id>/development/<id:activity_id>/withdraw")
def post_withdraw(appraisal_id: int, activity_id: int) -> Response:
    """Withdraw a planned activity."""
    appraisal_detail(db_session(), current_actor(), appraisal_id)
    with unit_of_work() as session:
        withdraw_activity(session, appraisal_id, activity_id, current_actor())
    return _development(appraisal_id)


@bp.post("/appraisals/<id:appraisal_id>/development/<id:activity_id>/complete")
def post_complete(appraisal_id: int, activity_id: int) -> Response:
    """Mark a planned activity done; the certificate comes as the multipart field ``certificate``."""
    appraisal_detail(db_session(), current_actor(), appraisal_id)
    file = request.files.get("certificate")
    upload = Upload(file.filename or "sertifikat", file.stream.read(MAX_EVIDENCE + 1)) \
        if file is not None else None
    store = EvidenceStore(Path(current_app.config["UPLOAD_FOLDER"]))
    with unit_of_work() as session:
        complete_activity(session, store, appraisal_id, activity_id, current_actor(), upload)
    return _development(appraisal_id)


@bp.get("/training-courses")
def get_training_courses() -> Response:
    """The training catalogue (anyone signed in: a rater picks from it)."""
    return json_response({"items": [{"code": c.code, "title": c.title, "jp": c.jp, "kind": c.kind,
                                     "certificate_required": c.certificate_required, "active": c.active}
                                    for c in catalogue(db_session())]})


@bp.get("/runs/<id:run_id>/talent")
def get_talent(run_id: int) -> Response:
    """The run's nine-box grid (counts per box) and the employees the filters keep, for HR."""
    grid = talent_grid(db_session(), current_actor(), run_id, unit_id=int_arg("unit"),
                       shortlist=text_arg("shortlist"), box=int_arg("box", None, 1, 99),
                       search=text_arg("search") or "")
    return json_response({
        "run": {"id": grid.run.id, "period": grid.run.period},
        "box_result": grid.talent.box, "waiting": grid.waiting,
        "shortlists": [{"id": s.id, "label": s.label.as_dict(), "boxes": list(s.boxes)}
                       for s in grid.talent.shortlists],
        "grid": [{"box": c.box, "potential": c.potential, "performance": c.performance, "count": len(c.entries)}
                 for row in grid.rows for c in row],
        "items": [{"appraisal_id": e.appraisal_id, "nip": e.nip, "name": e.name, "position": e.position,
                   "unit": e.unit, "box": e.box, "performance": e.performance, "potential": e.potential,
                   "shortlists": list(e.shortlists)} for e in grid.entries],
    })


@bp.get("/runs/<id:run_id>/jp")
def get_jp_report(run_id: int) -> Response:
    """Each employee's JP done and planned in the run against the cycle's target, for HR."""
    report = jp_report(db_session(), current_actor(), run_id, int_arg("unit"))
    return json_response({
        "run": {"id": report.run.id, "period": report.run.period}, "jp_target": report.jp_target,
        "met": report.met,
        "items": [{"appraisal_id": r.appraisal_id, "nip": r.nip, "name": r.name, "unit": r.unit,
                   "jp_done": r.jp_done, "jp_planned": r.jp_planned, "jp_remaining": r.remaining, "met": r.met}
                  for r in report.rows],
    })
