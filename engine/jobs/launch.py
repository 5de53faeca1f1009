"""A launch too large for a request, as a job: checked when it is asked for, run by ``siklus worker``.

The launch itself stays :func:`engine.runs.launch_cycle`, one transaction (a run with half its
appraisals is never visible), so the job has one item. Its notices to every launched employee are
written by the worker's notification sweep, never inside a request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, SiklusError
from engine.job_models import Job, JobItem
from engine.jobs.queue import ItemResult, enqueue, error_record
from engine.loaded import definition_of
from engine.messages import Message
from engine.models import Appraisal, CycleDefinitionRecord, CycleRun, Employee, OrgUnit
from engine.org import units_under
from engine.permissions import Actor
from engine.runs import launch_cycle, period_bounds

LAUNCH_KIND = "launch"
# Employees a launch may start inside a request; a larger launch becomes a job.
LAUNCH_INLINE_MAX = 2000


def launch_size(session: Session, unit: OrgUnit, include_subunits: bool = True) -> int:
    """How many active employees a launch for ``unit`` would look at (one count)."""
    where = Employee.unit_id.in_(units_under([unit.id])) if include_subunits else Employee.unit_id == unit.id
    return int(session.scalar(select(func.count()).select_from(Employee)
                              .where(where, Employee.active.is_(True))) or 0)


def enqueue_launch(session: Session, record: CycleDefinitionRecord, unit: OrgUnit, period: str, actor: Actor, *,
                   include_subunits: bool = True, size: int | None = None) -> Job:
    """Queue the launch as a job after the checks a person can be told at once (flushed, not committed).

    What only the launch can find (every employee already appraised, a launch at the same moment) is
    the job item's refusal, shown on the job's page.
    """
    if record.status != "published":
        raise InvalidInput(f"{record.cycle_id} version {record.version} is {record.status}; only a published "
                           "definition can be launched",
                           msg=Message("run.not_published", cycle=record.cycle_id, version=record.version,
                                       status=record.status))
    defn = definition_of(record)
    period = period.strip()  # as launch_cycle keeps it
    period_bounds(defn.period, period)
    params: dict[str, Any] = {"definition_id": record.id, "cycle_id": record.cycle_id, "version": record.version,
                              "cycle_title": defn.title.as_dict(),
                              "unit_id": unit.id, "unit": unit.code, "unit_name": unit.name, "period": period,
                              "include_subunits": include_subunits,
                              "size": size if size is not None else launch_size(session, unit, include_subunits)}
    return enqueue(session, LAUNCH_KIND, params, actor, [(None, {})])


class LaunchJob:
    """Runs the queued launch as the HR officer who asked for it."""

    def run_item(self, session: Session, job: Job, item: JobItem, actor: Actor, resumed: bool) -> ItemResult:
        p = job.params
        if resumed:
            run = _run_of(session, job)
            if run is not None:  # the launch committed before its worker died
                return ItemResult("ok", {"run_id": run.id, "started": _size(session, run.id), "skipped": 0})
        record = session.get(CycleDefinitionRecord, int(p["definition_id"]))
        unit = session.get(OrgUnit, int(p["unit_id"]))
        if record is None or unit is None:
            return ItemResult("refused", {"error": {"code": "not-found", "message": "the cycle or the unit is gone",
                                                    "text": {"id": "Siklus atau unit kerjanya sudah tidak ada.",
                                                             "en": "The cycle or its unit no longer exists."}}})
        try:
            outcome = launch_cycle(session, record, unit, str(p["period"]), actor,
                                   include_subunits=bool(p.get("include_subunits", True)))
        except SiklusError as exc:
            return ItemResult("refused", {"error": error_record(exc)})
        return ItemResult("ok", {"run_id": outcome.run.id, "started": outcome.started,
                                 "skipped": len(outcome.skipped)})

    def summary(self, session: Session, job: Job) -> Mapping[str, Any]:
        outcome = session.scalar(select(JobItem.outcome).where(JobItem.job_id == job.id, JobItem.status == "ok"))
        return {k: v for k, v in (outcome or {}).items() if k in ("run_id", "started", "skipped")}


def _run_of(session: Session, job: Job) -> CycleRun | None:
    p = job.params
    return session.scalars(select(CycleRun).where(
        CycleRun.cycle_id == p["cycle_id"], CycleRun.unit_id == int(p["unit_id"]), CycleRun.period == p["period"],
        CycleRun.launched_by_id == job.requested_by_id)).first()


def _size(session: Session, run_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(Appraisal).where(Appraisal.run_id == run_id)) or 0)


LAUNCH_JOB = LaunchJob()
