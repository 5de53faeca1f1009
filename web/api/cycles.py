"""Cycle definitions (list, validate, upload as a draft, publish) and launching runs. HR only, as the screens."""

from __future__ import annotations

from typing import Any

from flask import Response
from sqlalchemy import func, select

from engine.access import require_hr
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun
from engine.registry import get_record, publish, save_draft
from engine.runs import find_unit, launch
from engine.validation import validate_source
from web.api import bp
from web.api.core import actor, json_body, json_response, session


def definition_json(record: CycleDefinitionRecord, with_source: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": record.id, "cycle_id": record.cycle_id, "version": record.version, "title": record.title,
        "status": record.status, "content_hash": record.content_hash, "created_at": record.created_at,
        "published_at": record.published_at, "retired_at": record.retired_at,
    }
    if with_source:
        out["source"] = record.source
    return out


@bp.get("/definitions")
def list_definitions() -> Response:
    require_hr(session(), actor())
    records = session().scalars(select(CycleDefinitionRecord)
                                .order_by(CycleDefinitionRecord.cycle_id, CycleDefinitionRecord.version))
    return json_response({"items": [definition_json(r) for r in records]})


@bp.post("/definitions/validate")
def validate_definition() -> Response:
    """Every problem of a cycle file with its line and column; stores nothing."""
    require_hr(session(), actor())
    body = json_body("DefinitionUpload")
    problems = validate_source(body["source"], body.get("filename") or "cycle.yaml")
    return json_response({"valid": not problems,
                          "problems": [{"line": p.line, "col": p.col, "message": p.message} for p in problems]})


@bp.post("/definitions")
def upload_definition() -> Response:
    """Validate and store a cycle file as a draft; 422 lists every problem with its line."""
    require_hr(session(), actor())
    body = json_body("DefinitionUpload")
    record = save_draft(session(), body["source"], body.get("filename") or "cycle.yaml", actor())
    return json_response(definition_json(record, with_source=True), 201)


@bp.get("/definitions/<int:definition_id>")
def show_definition(definition_id: int) -> Response:
    require_hr(session(), actor())
    return json_response(definition_json(get_record(session(), definition_id), with_source=True))


@bp.post("/definitions/<int:definition_id>/publish")
def publish_definition(definition_id: int) -> Response:
    """Publish a draft: immutable from now on, and launchable."""
    require_hr(session(), actor())
    record = publish(session(), get_record(session(), definition_id), actor())
    return json_response(definition_json(record))


def run_json(run: CycleRun) -> dict[str, Any]:
    count = session().scalar(select(func.count()).select_from(Appraisal).where(Appraisal.run_id == run.id))
    return {"id": run.id, "cycle_id": run.cycle_id, "definition_id": run.definition_id, "unit": run.unit.code,
            "period": run.period, "period_start": run.period_start, "period_end": run.period_end,
            "launched_at": run.launched_at, "appraisals": count or 0}


@bp.post("/runs")
def launch_run() -> Response:
    """Launch a published definition for a unit (and its sub-units) and a period: one appraisal each."""
    body = json_body("RunLaunch")
    require_hr(session(), actor())
    unit = find_unit(session(), body["unit"])
    require_hr(session(), actor(), unit.id)
    record = get_record(session(), body["definition_id"])
    run = launch(session(), record, unit, body["period"], actor(), include_subunits=body.get("include_subunits", True))
    return json_response(run_json(run), 201)
