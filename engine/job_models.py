"""The tables of background jobs (:mod:`engine.jobs`): one row per job (what, for whom, how far) and one per
item it works through.

Kept apart from :mod:`engine.models` (which lists them with every model) on the shared ``Base``. A
job's items are its unit of resumption: each item is finished in its own transaction, so a worker
that dies leaves the finished items finished and the rest pending for the next worker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.model_base import Base, utcnow

JOB_STATUSES = ("queued", "running", "done", "failed")
# pending: not started; running: started by a worker that may have died before recording it;
# ok / stale / refused: the item's outcome (as the synchronous path names them); failed: an unexpected error.
ITEM_STATUSES = ("pending", "running", "ok", "stale", "refused", "failed")


class Job(Base):
    """Long work taken off the request: a bulk action, a large launch; swept by ``siklus worker``."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    # What the job produced as a whole (e.g. the run a launch started), for the page and the API.
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"),
                                                        index=True)
    requested_by_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    # A running job whose heartbeat is older than the lease is taken over by another worker.
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    worker: Mapped[str | None] = mapped_column(String(120))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class JobItem(Base):
    """One item of a job (an appraisal to act on, a launch to run) and what became of it."""

    __tablename__ = "job_item"
    __table_args__ = (
        UniqueConstraint("job_id", "position", name="uq_job_item_job_position"),
        Index("ix_job_item_job_status", "job_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    # The item's subject, when it has one (an appraisal id): what the page names and links.
    ref: Mapped[int | None] = mapped_column(Integer)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    outcome: Mapped[dict[str, Any]] = mapped_column(default=dict)
    finished_at: Mapped[datetime | None]
