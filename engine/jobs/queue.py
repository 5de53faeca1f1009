"""The job queue: enqueue long work as a job row with its items, claim it from a worker, work through its
items one transaction each, and read how far it is.

Claiming is safe with any number of workers: on PostgreSQL a worker takes the oldest claimable job with
``SELECT ... FOR UPDATE SKIP LOCKED`` (two workers never wait on or take the same row); on SQLite the
claim runs under the database's write lock (``BEGIN IMMEDIATE``). Both then set the job ``running``
with a compare-and-set ``UPDATE``. A running job whose heartbeat is older than :data:`LEASE` belongs to
a worker that died; the next worker takes it over and carries on from its first unfinished item.

Each item is worked by its kind's :class:`JobKind` in the kind's own unit of work (a bulk item is one
``fire_transition``, audited exactly as on the synchronous path), and its outcome is recorded right
after. An item found ``running`` when a job is resumed was started by the worker that died: the kind
is told (``resumed=True``) so it can tell an effect that was already committed from one never made.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from engine.db import begin_write
from engine.errors import NotFound, SiklusError
from engine.job_models import Job, JobItem
from engine.messages import Message
from engine.models import User, utcnow
from engine.permissions import Actor

log = logging.getLogger(__name__)

# A running job not heard of for this long is taken over (its worker died or was stopped).
LEASE = timedelta(minutes=2)
# Items read from the database at once while working through a job.
ITEM_BATCH = 100


@dataclass(frozen=True)
class ItemResult:
    """What became of one item: its status and what the page shows of it (plain JSON)."""

    status: Literal["ok", "stale", "refused", "failed"]
    outcome: Mapping[str, Any] = field(default_factory=dict)


class JobKind(Protocol):
    """How a worker does one kind of job."""

    def run_item(self, session: Session, job: Job, item: JobItem, actor: Actor, resumed: bool) -> ItemResult:
        """Do one item in its own unit of work (committed or rolled back before returning)."""

    def summary(self, session: Session, job: Job) -> Mapping[str, Any]:
        """What the finished job produced as a whole (merged into ``job.result``)."""


def worker_name() -> str:
    """This process as the job's ``worker``: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def error_record(exc: SiklusError) -> dict[str, Any]:
    """A refusal as plain JSON an item keeps: its code, English message and the person's coded message
    (``msg``: code and parameters, rendered in the reader's language where it is shown)."""
    record: dict[str, Any] = {"code": exc.code, "message": exc.message}
    if exc.msg is not None:
        record["msg"] = exc.msg.as_json()
    for key in ("text", "errors", "reasons"):

        value = exc.details.get(key)
        if value is not None:
            record[key] = value
    return record


def enqueue(session: Session, kind: str, params: Mapping[str, Any], actor: Actor,
            items: Iterable[tuple[int | None, Mapping[str, Any]]], *, now: datetime | None = None) -> Job:
    """Add a queued job of ``kind`` with its items ((subject id, params) each), flushed, not committed.

    The caller commits it in its own unit of work, so a request that fails enqueues nothing.
    """
    job = Job(kind=kind, params=dict(params), status="queued", total=0, done=0, result={},
              requested_by_id=actor.user_id, requested_by_name=actor.username[:120], created_at=now or utcnow(),
              attempts=0)
    session.add(job)
    session.flush()
    rows = [{"job_id": job.id, "position": n, "ref": ref, "params": dict(p), "status": "pending", "outcome": {}}
            for n, (ref, p) in enumerate(items)]
    if rows:
        session.execute(JobItem.__table__.insert(), rows)
    job.total = len(rows)
    session.flush()
    return job


def claim(session: Session, *, worker: str | None = None, now: datetime | None = None,
          kinds: Iterable[str] | None = None) -> Job | None:
    """Take the oldest queued job (or a running one whose lease ran out) for this worker; commits.

    Returns the job now ``running`` for this worker, or None when nothing waits.
    """
    now = now or utcnow()
    worker = worker or worker_name()
    claimable = or_(Job.status == "queued", (Job.status == "running") & (Job.heartbeat_at < now - LEASE))
    stmt = select(Job.id, Job.status, Job.heartbeat_at).where(claimable).order_by(Job.id).limit(1)
    if kinds is not None:
        stmt = stmt.where(Job.kind.in_(list(kinds)))
    try:
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        else:
            session.rollback()
            begin_write(session)
        found = session.execute(stmt).first()
        if found is None:
            session.rollback()
            return None
        job_id, status, heartbeat = found
        taken = session.execute(
            update(Job).where(Job.id == job_id, Job.status == status,
                              Job.heartbeat_at.is_(None) if heartbeat is None else Job.heartbeat_at == heartbeat)
            .values(status="running", worker=worker, heartbeat_at=now, attempts=Job.attempts + 1,
                    started_at=func.coalesce(Job.started_at, now)))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    if not getattr(taken, "rowcount", 0):
        return None  # another worker took it between our read and our write
    return session.get(Job, job_id, populate_existing=True)


def _actor_of(session: Session, job: Job) -> Actor | None:
    user = session.get(User, job.requested_by_id) if job.requested_by_id is not None else None
    return Actor.of(user) if user is not None and user.is_active else None


def run_job(session: Session, job_id: int, kinds: Mapping[str, JobKind], *, worker: str | None = None,
            max_items: int | None = None, clock: Callable[[], datetime] = utcnow) -> Job:
    """Work through the claimed job's unfinished items, one transaction each, then finish it; commits.

    ``max_items`` stops after that many items and leaves the job running (as a worker that stops would);
    its lease then runs out and another worker resumes it.
    """
    worker = worker or worker_name()
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:
        raise NotFound(Message("job.not_found", id=str(job_id)))
    kind = kinds.get(job.kind)
    actor = _actor_of(session, job)
    if kind is None or actor is None:
        reason = ({"id": f"Jenis pekerjaan '{job.kind}' tidak dikenal.", "en": f"Unknown kind of job '{job.kind}'."}
                  if kind is None else {"id": "Orang yang memintanya tidak dapat bertindak lagi.",
                                        "en": "The person who asked for it can no longer act."})
        _finish(session, job_id, "failed", clock(), error=reason["en"], summary={"error_text": reason})
        return _reloaded(session, job_id)
    worked = 0
    while max_items is None or worked < max_items:
        limit = ITEM_BATCH if max_items is None else min(ITEM_BATCH, max_items - worked)
        items = list(session.scalars(select(JobItem).where(JobItem.job_id == job_id,
                                                           JobItem.status.in_(("pending", "running")))
                                     .order_by(JobItem.position).limit(limit)))
        session.rollback()
        if not items:
            summary = dict(kind.summary(session, _reloaded(session, job_id)))
            session.rollback()
            _finish(session, job_id, "done", clock(), summary=summary)
            return _reloaded(session, job_id)
        for item in items:
            resumed = item.status == "running"
            if not resumed:
                _mark(session, item.id, job_id, "running", {}, clock(), worker, count=False)
            try:
                result = kind.run_item(session, job, item, actor, resumed)
            except SiklusError as exc:
                session.rollback()
                result = ItemResult("refused", {"error": error_record(exc)})
            except Exception as exc:  # one item's unexpected failure is its result; the others go on
                session.rollback()
                log.exception("job #%s item %s failed", job_id, item.position)
                result = ItemResult("failed", {"error": {"code": "error", "message": f"{type(exc).__name__}: {exc}"}})
            _mark(session, item.id, job_id, result.status, dict(result.outcome), clock(), worker, count=True)
            worked += 1
    return _reloaded(session, job_id)


def _mark(session: Session, item_id: int, job_id: int, status: str, outcome: dict[str, Any], now: datetime,
          worker: str, *, count: bool) -> None:
    """Record an item's status (and, once finished, count it and beat the job's heart); one transaction."""
    try:
        begin_write(session)
        values: dict[str, Any] = {"status": status}
        if count:
            values |= {"outcome": outcome, "finished_at": now}
        session.execute(update(JobItem).where(JobItem.id == item_id).values(**values))
        job_values: dict[str, Any] = {"heartbeat_at": now, "worker": worker}
        if count:
            job_values["done"] = Job.done + 1
        session.execute(update(Job).where(Job.id == job_id).values(**job_values))
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _finish(session: Session, job_id: int, status: str, now: datetime, *, summary: Mapping[str, Any] | None = None,
            error: str | None = None) -> None:
    try:
        begin_write(session)
        job = session.get(Job, job_id, populate_existing=True)
        if job is not None:
            job.status, job.finished_at, job.heartbeat_at = status, now, now
            job.result = {**(job.result or {}), **dict(summary or {})}
            job.error = error
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _reloaded(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:
        raise NotFound(Message("job.not_found", id=str(job_id)))
    return job


# -- reading a job ------------------------------------------------------------------------------

@dataclass(frozen=True)
class JobItemView:
    """One item as the page shows it."""

    position: int
    ref: int | None
    status: str
    outcome: Mapping[str, Any]


@dataclass(frozen=True)
class JobView:
    """A job as its requester sees it: how far it is, item counts by status, and a page of its items."""

    job: Job
    counts: Mapping[str, int]
    items: tuple[JobItemView, ...]
    page: int
    pages: int

    @property
    def finished(self) -> bool:
        return self.job.status in ("done", "failed")

    @property
    def percent(self) -> int:
        return 100 if not self.job.total else int(100 * self.job.done / self.job.total)


def job_view(session: Session, actor: Actor, job_id: int, *, page: int = 1, per_page: int = 100) -> JobView:
    """The job for the person who asked for it (administrators see every job); NotFound for anyone else."""
    job = session.get(Job, job_id)
    if job is None or not (actor.is_admin or (actor.user_id is not None and job.requested_by_id == actor.user_id)):
        raise NotFound(Message("job.not_found", id=str(job_id)))
    counts = {status: int(n) for status, n in session.execute(
        select(JobItem.status, func.count()).where(JobItem.job_id == job_id).group_by(JobItem.status))}
    pages = max(1, -(-job.total // per_page))
    page = min(max(page, 1), pages)
    rows = session.execute(select(JobItem.position, JobItem.ref, JobItem.status, JobItem.outcome)
                           .where(JobItem.job_id == job_id).order_by(JobItem.position)
                           .offset((page - 1) * per_page).limit(per_page))
    items = tuple(JobItemView(p, r, s, o or {}) for p, r, s, o in rows)
    return JobView(job, counts, items, page, pages)
