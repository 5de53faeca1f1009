"""Cycle definitions (list, validate, upload as a draft, publish) and launching runs. HR only, as the screens."""

from __future__ import annotations

from typing import Any

from flask import Response

from engine.access import require_hr
from engine.errors import NotFound
from engine.jobs.launch import enqueue_launch, launch_size
from engine.limits import check_cycle_size
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun
from engine.ownership import AsFound
from engine.progress import definition_records, run_size
from engine.registry import get_record, publish, save_draft
from engine.runs import LaunchOutcome, add_employee, close_appraisal, find_unit, launch_cycle, transfer_employee
from engine.runs import reopened as was_reopened
from engine.validation import validate_source
from web.api.appraisals import closed_json
from web.api.blueprint import bp
from web.api.core import json_body, json_response
from web.api.jobs import accepted_job
from web.context import current_actor, db_session, unit_of_work
from web.jobs import launch_inline_max
from web.messages import problem_json


def definition_json(record: CycleDefinitionRecord, with_source: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": record.id, "cycle_id": record.cycle_id, "version": record.version, "title": record.title,
        "status": record.status, "content_hash": record.content_hash, "created_at": record.created_at,
        "published_at": record.published_at, "retired_at": record.retired_at, "owner_unit_id": record.owner_unit_id,
    }
    if with_source:
        out["source"] = record.source
    return out


@bp.get("/definitions")
def list_definitions() -> Response:
    require_hr(db_session(), current_actor())
    records = sorted(definition_records(db_session()), key=lambda r: (r.cycle_id, r.version))
    return json_response({"items": [definition_json(r) for r in records]})


@bp.post("/definitions/validate")
def validate_definition() -> Response:
    """Every problem of a cycle file with its line and column; stores nothing."""
    require_hr(db_session(), current_actor())
    body = json_body("DefinitionUpload")
    check_cycle_size(body["source"], body.get("filename"))
    problems = validate_source(body["source"], body.get("filename") or "cycle.yaml")
    return json_response({"valid": not problems,
                          "problems": [problem_json(p) for p in problems]})


def _chosen_owner(body: dict[str, Any]) -> int | None | type[AsFound]:
    """The owner a new cycle is given: a unit's code (or id), null for the whole organisation, absent for the
    default. A value naming no unit is passed on as 0, which no one covers: refused as the form refuses it."""
    if "owner" not in body:
        return AsFound
    if body["owner"] is None:
        return None
    try:
        return find_unit(db_session(), body["owner"]).id
    except NotFound:
        return 0


@bp.post("/definitions")
def upload_definition() -> Response:
    """Validate and store a cycle file as a draft; 422 lists every problem with its line.

    A cycle saved for the first time belongs to ``owner`` when given (one of the units the caller's HR grants
    cover, or the whole organisation for HR over it), else to the upload form's default; a new version keeps
    its cycle's owner."""
    require_hr(db_session(), current_actor())
    body = json_body("DefinitionDraft")
    owner = _chosen_owner(body)
    with unit_of_work() as session:
        record = save_draft(session, body["source"], body.get("filename") or "cycle.yaml", current_actor(),
                            owner=owner)
    return json_response(definition_json(record, with_source=True), 201)


@bp.get("/definitions/<id:definition_id>")
def show_definition(definition_id: int) -> Response:
    require_hr(db_session(), current_actor())
    return json_response(definition_json(get_record(db_session(), definition_id), with_source=True))


@bp.post("/definitions/<id:definition_id>/publish")
def publish_definition(definition_id: int) -> Response:
    """Publish a draft: immutable from now on, and launchable."""
    require_hr(db_session(), current_actor())
    with unit_of_work() as session:
        record = publish(session, get_record(session, definition_id), current_actor())
    return json_response(definition_json(record))


def run_json(run: CycleRun) -> dict[str, Any]:
    count = run_size(db_session(), run.id)
    return {"id": run.id, "cycle_id": run.cycle_id, "definition_id": run.definition_id, "unit": run.unit.code,
            "period": run.period, "period_start": run.period_start, "period_end": run.period_end,
            "launched_at": run.launched_at, "appraisals": count or 0}


def launched_json(outcome: LaunchOutcome) -> dict[str, Any]:
    return {**run_json(outcome.run), "skipped": [s.as_json() for s in outcome.skipped]}


def run_appraisal_json(a: Appraisal) -> dict[str, Any]:
    """An appraisal as HR sees it in a run: whose, where, in which state, and whether it was closed."""
    return {"id": a.id, "run_id": a.run_id, "cycle_id": a.cycle_id, "period": a.period, "state": a.state,
            "employee": {"id": a.employee.id, "nip": a.employee.nip, "name": a.employee.name,
                         "unit": a.employee.unit.code},
            "closed": closed_json(a)}


@bp.post("/runs")
def launch_run() -> Response:
    """Launch a published definition for a unit (and its sub-units) and a period: one appraisal each."""
    body = json_body("RunLaunch")
    require_hr(db_session(), current_actor())
    unit = find_unit(db_session(), body["unit"])
    require_hr(db_session(), current_actor(), unit.id)
    record = get_record(db_session(), body["definition_id"])
    subunits = body.get("include_subunits", True)
    size = launch_size(db_session(), unit, subunits)
    if size > launch_inline_max():
        with unit_of_work() as session:
            job = enqueue_launch(session, record, unit, body["period"], current_actor(), include_subunits=subunits,
                                 size=size)
        return accepted_job(job)
    with unit_of_work() as session:
        outcome = launch_cycle(session, record, unit, body["period"], current_actor(), include_subunits=subunits)
    return json_response(launched_json(outcome), 201)


@bp.post("/runs/<id:run_id>/appraisals")
def add_to_run(run_id: int) -> Response:
    """Add a joiner to a running run: a new appraisal in the cycle's initial state (201), or, for an employee
    whose appraisal in this run was closed, that appraisal opened again as it was (200, ``reopened``)."""
    body = json_body("RunJoin")
    require_hr(db_session(), current_actor())
    with unit_of_work() as session:
        added = add_employee(session, run_id, body["employee"], current_actor(), reason=body["reason"])
    reopened = was_reopened(added)
    return json_response({**run_appraisal_json(added), "reopened": reopened}, 200 if reopened else 201)


@bp.post("/appraisals/<id:appraisal_id>/close")
def close(appraisal_id: int) -> Response:
    """Close the appraisal of an employee who left or moved; audited with the reason."""
    body = json_body("AppraisalClose")
    require_hr(db_session(), current_actor())
    with unit_of_work() as session:
        closed = close_appraisal(session, appraisal_id, current_actor(), kind=body.get("kind", "left"),
                                 reason=body["reason"])
    return json_response(run_appraisal_json(closed))


@bp.post("/appraisals/<id:appraisal_id>/transfer")
def transfer(appraisal_id: int) -> Response:
    """Mutasi: close the appraisal and start one in the new unit's run, together (201); moving back to a run the
    employee was moved out of opens their appraisal there again (200, ``reopened``)."""
    body = json_body("AppraisalTransfer")
    require_hr(db_session(), current_actor())
    with unit_of_work() as session:
        old, new = transfer_employee(session, appraisal_id, body["run_id"], current_actor(), reason=body["reason"])
    reopened = was_reopened(new)
    return json_response({"closed": run_appraisal_json(old), "appraisal": run_appraisal_json(new),
                          "reopened": reopened}, 200 if reopened else 201)
