"""Periodic checkpoints through the API: the timeline of an appraisal, and adding an entry to a checkpoint.

The same read model (:mod:`engine.checkpoints.timeline`) and services (:mod:`engine.checkpoints.service`)
as the screens, so the API answers as the screens do for the same person.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from engine.access import open_appraisal
from engine.checkpoints import service
from engine.checkpoints.timeline import checkpoint_timeline
from web.api import bp
from web.api.core import actor, json_body, json_response, session


def timeline_json(opened: Any) -> list[dict[str, Any]]:
    """Every series of the appraisal's checkpoints with all their entries, as JSON."""
    return [s.as_json() for s in checkpoint_timeline(session(), opened.policy, opened.defn, opened.appraisal)]


@bp.get("/appraisals/<id:appraisal_id>/checkpoints")
def checkpoints(appraisal_id: int) -> Response:
    session().rollback()
    return json_response({"series": timeline_json(open_appraisal(session(), actor(), appraisal_id))})


@bp.post("/appraisals/<id:appraisal_id>/checkpoints/<checkpoint>/entries")
def add_entry(appraisal_id: int, checkpoint: str) -> Response:
    """Add a realisation, report, response, periodic rating or self-assessment to ``checkpoint`` (series.key)."""
    name = checkpoint
    body = json_body("CheckpointEntryCreate")
    open_appraisal(session(), actor(), appraisal_id)
    session().rollback()
    kind, version = body["kind"], body.get("version")
    if kind == "realisation":
        outcome = service.record_checkpoint_realisation(
            session(), appraisal_id, actor(), name, body.get("indicator") or "", body.get("value"),
            note=(body.get("note") or "").strip(), expected_version=version)
    elif kind == "report":
        outcome = service.file_report(session(), appraisal_id, actor(), name, body.get("text") or "",
                                      expected_version=version)
    elif kind == "feedback":
        outcome = service.give_feedback(session(), appraisal_id, actor(), name, body.get("text") or "",
                                        expected_version=version)
    elif kind == "rating":
        outcome = service.rate_checkpoint(session(), appraisal_id, actor(), name, body.get("answers") or {},
                                          expected_version=version)
    else:
        outcome = service.submit_self_assessment(session(), appraisal_id, actor(), name, body.get("answers") or {},
                                                 expected_version=version)
    return json_response({"appraisal_id": outcome.appraisal_id, "checkpoint": outcome.checkpoint,
                          "kind": outcome.kind, "version": outcome.version, "results": outcome.results}, 201)
