"""Background jobs in the API: a launch too large for one request answers 202 with its job, as does a
results export asked for with ``POST /results/exports``; ``GET /jobs/{job_id}`` says how far the job is
and what became of each item, and ``GET /jobs/{job_id}/file`` gives a finished export (requester only)."""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for
from werkzeug.wrappers import Response as FileResponse

from engine.jobs import Job, JobView, job_view
from engine.jobs.export import enqueue_export
from web.api.blueprint import bp
from web.api.core import json_body, json_response
from web.context import current_actor, db_session, unit_of_work
from web.inputs import query_id
from web.jobs import download, export_folder

PER_PAGE = 100


def job_json(job: Job) -> dict[str, Any]:
    """A job's state: kind, status, progress and what it produced."""
    return {"id": job.id, "kind": job.kind, "status": job.status, "total": job.total, "done": job.done,
            "result": job.result or {}, "error": job.error, "created_at": job.created_at,
            "started_at": job.started_at, "finished_at": job.finished_at,
            "url": url_for("api.get_job", job_id=job.id), "page": url_for("jobs.show", job_id=job.id)}


def accepted_job(job: Job) -> Response:
    """202 Accepted: the work was queued; ``Location`` names the job to poll."""
    response = json_response({"job": job_json(job)}, 202)
    response.headers["Location"] = url_for("api.get_job", job_id=job.id)
    return response


def _view_json(view: JobView) -> dict[str, Any]:
    return {**job_json(view.job), "counts": dict(view.counts), "items_page": view.page, "items_pages": view.pages,
            "items": [{"position": i.position, "ref": i.ref, "status": i.status, "outcome": dict(i.outcome)}
                      for i in view.items]}


@bp.get("/jobs/<id:job_id>")
def get_job(job_id: int) -> Response:
    """One job of the caller, with a page of its items."""
    view = job_view(db_session(), current_actor(), job_id, page=query_id(request.args, "page") or 1,
                    per_page=PER_PAGE)
    return json_response(_view_json(view))


@bp.get("/jobs/<id:job_id>/file")
def get_job_file(job_id: int) -> FileResponse:
    """The file a finished export wrote (404 until the job is done)."""
    return download(job_id)


@bp.post("/results/exports")
def export_results_in_background() -> Response:
    """Queue the results export of a period (HR): 202 with the job; its file follows at /jobs/{id}/file."""
    body = json_body("ResultsExport")
    with unit_of_work() as session:
        job = enqueue_export(session, current_actor(), export_folder(), period=body["period"],
                             fmt=body.get("format", "csv"), cycle_id=body.get("cycle_id"))
    return accepted_job(job)
