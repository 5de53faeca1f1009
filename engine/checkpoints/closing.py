"""``siklus tick`` closes checkpoints whose deadline passed, each exactly once.

A checkpoint closes when the rater's deadline (``deadline.rating`` after its end) has passed: its
periodic results are computed with what was recorded, and it takes no more entries. The closure is
an entry of kind ``closed``; the database takes one per appraisal and checkpoint, and the
appraisal's version-checked audit head makes a concurrent second close fail, so two ticks at once
close it once. Appraisals HR closed and appraisals in a final state are left as they are.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from engine.checkpoints.periods import checkpoints_of
from engine.checkpoints.service import close_checkpoint
from engine.errors import Conflict, SiklusError
from engine.models import Appraisal, CheckpointEntry, CycleRun
from engine.registry import definition_of

log = logging.getLogger(__name__)


def close_due_checkpoints(session: Session, now: datetime) -> tuple[int, list[str]]:
    """Close every passed checkpoint of every open appraisal; (how many closed, the failures in words)."""
    closed, failed = 0, []
    runs = session.scalars(select(CycleRun).where(exists().where(
        Appraisal.run_id == CycleRun.id, Appraisal.closed_at.is_(None)))).all()
    due: list[tuple[int, str, tuple[str, ...]]] = []
    for run in runs:
        defn = definition_of(run.definition)
        finals = tuple(s.name for s in defn.states.values() if s.final)
        for series in defn.checkpoints:
            for checkpoint in checkpoints_of(series, run.period_start, run.period_end):
                if checkpoint.rating_closes <= now:
                    due.append((run.id, checkpoint.name, finals))
    for run_id, name, finals in due:
        pending = session.scalars(select(Appraisal.id).where(
            Appraisal.run_id == run_id, Appraisal.closed_at.is_(None), Appraisal.state.not_in(finals),
            ~exists().where(CheckpointEntry.appraisal_id == Appraisal.id, CheckpointEntry.checkpoint == name,
                            CheckpointEntry.kind == "closed")).order_by(Appraisal.id)).all()
        session.rollback()
        for appraisal_id in pending:
            try:
                close_checkpoint(session, appraisal_id, name, now=now)
                closed += 1
            except Conflict:
                continue  # another tick closed it first, or the appraisal moved meanwhile: the next tick sees it
            except SiklusError as exc:
                log.warning("closing checkpoint %s of appraisal #%s failed: %s", name, appraisal_id, exc)
                failed.append(f"appraisal #{appraisal_id} checkpoint {name}: {exc}")
    return closed, failed
