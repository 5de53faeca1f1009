"""The HR audit page's "verify" as a job when its chains are long: the worker walks them, the page shows the outcome.

A verification walks every event in the HR officer's scope (the system chain, and their units' appraisals' chains,
or every chain for HR of every unit): on a large deployment that is minutes of work, which no request may hold a
worker for. :func:`events_to_walk` counts what a verification of a scope would walk, up to a cap (its cost bounded
by the cap, not by the log); above the page's threshold the check is queued here and the page shows the job.

The verification runs as the officer who asked, with their scope as it is when the job runs. Its outcome keeps the
first findings as coded messages (rendered in the reader's language where they are read, moments as moments) and
how many there are; the whole list is ``siklus audit verify``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.access import require_hr
from engine.audit.chain import SYSTEM_STREAM
from engine.audit.writer import CHECKPOINTS
from engine.audit_search import verify_scope
from engine.job_models import Job, JobItem
from engine.jobs.queue import ItemResult, enqueue
from engine.messages import Message
from engine.models import Appraisal, Employee
from engine.permissions import Actor
from engine.policy import HrScope

VERIFY_KIND = "audit_verify"
#: Events a verification walks inside the request; more become a job (SIKLUS_VERIFY_INLINE_MAX on the web).
VERIFY_INLINE_MAX = 20_000
#: Findings the job keeps for its page (the CLI lists every one).
KEPT_FINDINGS = 20


def events_to_walk(session: Session, scope: HrScope, cap: int) -> int:
    """How many events a verification of ``scope`` walks, counted up to ``cap`` (more: ``cap + 1``).

    The system chain's length is its signed head's; each appraisal's is its ``audit_seq``, summed over at most
    ``cap + 1`` appraisals (each has an event at least), so the count costs the same on any size of log."""
    system = session.scalar(select(CHECKPOINTS.c.seq).where(CHECKPOINTS.c.stream == SYSTEM_STREAM)) or 0
    if system > cap:
        return cap + 1
    rows = select(Appraisal.audit_seq.label("seq"))
    if not scope.every_unit:
        rows = rows.join(Employee, Employee.id == Appraisal.employee_id).where(Employee.unit_id.in_(scope.unit_ids))
    chains = rows.limit(cap + 1).subquery()
    walked = session.scalar(select(func.coalesce(func.sum(chains.c.seq), 0)))
    return min(cap + 1, system + int(walked or 0))


def enqueue_verify(session: Session, actor: Actor) -> Job:
    """Queue a verification of the HR officer's scope (flushed, not committed); Forbidden for anyone else.

    The officer's verification still queued or running is given back instead of a second one: a double click
    would otherwise queue another walk of every chain in scope ahead of everyone's later jobs."""
    scope = require_hr(session, actor)
    waiting = session.scalar(select(Job).where(Job.kind == VERIFY_KIND, Job.requested_by_id == actor.user_id,
                                               Job.status.in_(("queued", "running"))).order_by(Job.id).limit(1))
    if waiting is not None and actor.user_id is not None:
        return waiting
    return enqueue(session, VERIFY_KIND, {"every_unit": scope.every_unit}, actor, [(None, {})])


class VerifyJob:
    """Walks the chains of the officer who asked, as the audit page's button does inside a request."""

    def run_item(self, session: Session, job: Job, item: JobItem, actor: Actor, resumed: bool) -> ItemResult:
        scope = require_hr(session, actor)
        report = verify_scope(session, scope)
        session.rollback()  # read-only: nothing of the walk is kept but its outcome
        kept = [_kept(problem) for problem in report.problems[:KEPT_FINDINGS]]
        return ItemResult("ok", {"intact": report.ok, "events": report.events, "streams": report.streams,
                                 "every_unit": scope.every_unit, "count": report.count, "findings": kept})

    def summary(self, session: Session, job: Job) -> Mapping[str, Any]:
        outcome = session.scalar(select(JobItem.outcome).where(JobItem.job_id == job.id, JobItem.status == "ok"))
        return dict(outcome or {})


def _kept(problem: str) -> Any:
    """A finding as the job keeps it: its coded message (``{"code", "params"}``), or its English text."""
    message = getattr(problem, "message", None)
    return message.as_json(moments=True) if isinstance(message, Message) else str(problem)


VERIFY_JOB = VerifyJob()
