"""The e-Kinerja results export (:mod:`engine.export`) as a job: the worker writes the file, the person who
asked downloads it from the job's page or the API.

The file is written next to the app's other files (the folder is given when the job is queued, e.g.
``instance/ekspor``; on several hosts a shared folder, like the evidence files), first under a
temporary name and then renamed, so a half-written file is never offered.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.access import hr_scope, require_hr
from engine.errors import Forbidden, InvalidInput
from engine.export import results_csv, results_rows, results_xlsx
from engine.job_models import Job, JobItem
from engine.jobs.queue import ItemResult, enqueue, job_view
from engine.messages import Message
from engine.permissions import Actor
from engine.resolvers import HR_GRANTS

EXPORT_KIND = "export_results"
FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def enqueue_export(session: Session, actor: Actor, folder: str | Path, *, period: str, fmt: str = "csv",
                   cycle_id: str | None = None) -> Job:
    """Queue the results export of ``period`` for the HR officer's units (flushed, not committed)."""
    require_hr(session, actor)
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be csv or xlsx, not '{fmt}'", msg=Message("export.format", fmt=fmt))
    if not period.strip():
        raise InvalidInput("give the period, e.g. 2026 or 2026-S1", msg=Message("export.period"))

    params = {"period": period.strip(), "format": fmt, "cycle_id": cycle_id, "folder": str(folder)}
    return enqueue(session, EXPORT_KIND, params, actor, [(None, {})])


def export_file(job: Job) -> tuple[Path, str, str] | None:
    """The finished export's file, its download name and media type; None before it exists."""
    name = (job.result or {}).get("file")
    if job.kind != EXPORT_KIND or job.status != "done" or not isinstance(name, str):
        return None
    path = Path(str(job.params["folder"])) / Path(name).name
    fmt = str(job.params.get("format", "csv"))
    return (path, f"hasil-kinerja-{job.params['period']}.{fmt}", FORMATS[fmt]) if path.is_file() else None


def export_download(session: Session, actor: Actor, job_id: int) -> tuple[Path, str, str] | None:
    """The finished export of job ``job_id`` for its requester (see :func:`export_file`; NotFound for anyone
    else), while their HR grants still cover the units it was written for: the file holds those people's
    ratings, and someone moved off HR of them (a grant revoked or narrowed) reads it no more (Forbidden)."""
    job = job_view(session, actor, job_id, per_page=1).job
    found = export_file(job)
    if found is None:
        return None
    units = (job.result or {}).get("units", [])  # an export written before units were kept: any HR grant
    scope = hr_scope(session, actor)
    if not scope.any or not (scope.every_unit or (units is not None and all(scope.covers(u) for u in units))):
        raise Forbidden(f"{actor.username} no longer oversees every unit of export job {job_id}",
                        msg=Message("export.scope"))
    return found


class ExportJob:
    """Writes the export as the HR officer who asked for it (their units, as on the synchronous path)."""

    def run_item(self, session: Session, job: Job, item: JobItem, actor: Actor, resumed: bool) -> ItemResult:
        p = job.params
        rows = results_rows(session, period=str(p["period"]), scope=require_hr(session, actor),
                            cycle_id=p.get("cycle_id") or None)
        # The units whose people the file holds, as the grants that covered them (None: every unit).
        granted = [unit for role, unit in actor.grants if role in HR_GRANTS]
        units = None if None in granted else sorted({u for u in granted if u is not None})
        session.rollback()
        body = results_csv(rows) if p.get("format") == "csv" else results_xlsx(rows)
        folder = Path(str(p["folder"]))
        folder.mkdir(parents=True, exist_ok=True)
        name = f"job-{job.id}.{p.get('format', 'csv')}"
        partial = folder / f".{name}.part"
        partial.write_bytes(body)
        os.replace(partial, folder / name)
        return ItemResult("ok", {"file": name, "rows": len(rows), "bytes": len(body), "units": units})

    def summary(self, session: Session, job: Job) -> Mapping[str, Any]:
        outcome = session.scalar(select(JobItem.outcome).where(JobItem.job_id == job.id, JobItem.status == "ok"))
        return {k: v for k, v in (outcome or {}).items() if k in ("file", "rows", "bytes", "units")}


EXPORT_JOB = ExportJob()
