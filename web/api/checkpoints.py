"""Periodic checkpoints through the API: the timeline of an appraisal, and adding an entry to a checkpoint.

The same read model (:mod:`engine.checkpoints.timeline`) and services (:mod:`engine.checkpoints.service`)
as the screens, so the API answers as the screens do for the same person.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from sqlalchemy.orm import Session

from engine.access import open_appraisal
from engine.checkpoints import service
from engine.checkpoints.service import EntryOutcome
from engine.checkpoints.timeline import checkpoint_timeline
from web.api.blueprint import bp
from web.api.core import json_body, json_response
from web.context import current_actor, db_session, unit_of_work


def timeline_json(opened: Any) -> list[dict[str, Any]]:
    """Every series of the appraisal's checkpoints with all their entries, as JSON."""
    return [s.as_json() for s in checkpoint_timeline(db_session(), opened.policy, opened.defn, opened.appraisal)]


@bp.get("/appraisals/<id:appraisal_id>/checkpoints")
def checkpoints(appraisal_id: int) -> Response:
    return json_response({"series": timeline_json(open_appraisal(db_session(), current_actor(), appraisal_id))})


@bp.post("/appraisals/<id:appraisal_id>/checkpoints/<checkpoint>/entries")
def add_entry(appraisal_id: int, checkpoint: str) -> Response:
    """Add a realisation, report, response, periodic rating or self-assessment to ``checkpoint`` (series.key)."""
    name = checkpoint
    body = json_body("CheckpointEntryCreate")
    open_appraisal(db_session(), current_actor(), appraisal_id)
    kind, version = body["kind"], body.get("version")
    with unit_of_work() as session:
        outcome = _add(session, appraisal_id, name, kind, version, body)
    return json_response({"appraisal_id": outcome.appraisal_id, "checkpoint": outcome.checkpoint,
                          "kind": outcome.kind, "version": outcome.version, "results": outcome.results}, 201)


def _add(session: Session, appraisal_id: int, name: str, kind: str, version: int | None,
         body: dict[str, Any]) -> EntryOutcome:
    """Record one entry of ``kind`` through its engine service."""
    actor = current_actor()
    if kind == "realisation":
        return service.record_checkpoint_realisation(
            session, appraisal_id, actor, name, body.get("indicator") or "", body.get("value"),
            note=(body.get("note") or "").strip(), expected_version=version)
    if kind == "report":
        return service.file_report(session, appraisal_id, actor, name, body.get("text") or "", expected_version=version)
    if kind == "feedback":
        return service.give_feedback(session, appraisal_id, actor, name, body.get("text") or "",
                                     expected_version=version)
    if kind == "rating":
        return service.rate_checkpoint(session, appraisal_id, actor, name, body.get("answers") or {},
                                       expected_version=version)
    return service.submit_self_assessment(session, appraisal_id, actor, name, body.get("answers") or {},
                                          expected_version=version)
