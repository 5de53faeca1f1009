"""What ``siklus worker`` does in each round: the queued jobs, then the notices and their e-mail.

One round claims and works through every job that waits (a notification sweep after each, so a long
job never holds notices back), sweeps the audit log into notices until it has caught up (launches of
any size included), and e-mails what waits in the outbox. Any number of workers may run at once: jobs
are claimed one worker each, and every notice exists once (:mod:`engine.notifications`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from engine.bulk import BULK_JOB, BULK_KIND
from engine.jobs.export import EXPORT_JOB, EXPORT_KIND
from engine.jobs.launch import LAUNCH_JOB, LAUNCH_KIND
from engine.jobs.queue import JobKind, claim, run_job, worker_name
from engine.jobs.verify import VERIFY_JOB, VERIFY_KIND
from engine.mail import Mailer
from engine.notifications import dispatch
from engine.outbox import deliver

log = logging.getLogger(__name__)

KINDS: Mapping[str, JobKind] = {BULK_KIND: BULK_JOB, LAUNCH_KIND: LAUNCH_JOB, EXPORT_KIND: EXPORT_JOB,
                                VERIFY_KIND: VERIFY_JOB}
# Audit events one sweep reads at most; a round sweeps until it has caught up.
SWEEP_EVENTS = 1000


@dataclass
class RoundReport:
    """What one round did."""

    jobs: int = 0
    notices: int = 0
    events: int = 0
    sent: int = 0

    @property
    def busy(self) -> bool:
        """Whether the round found work (the worker then goes again without pausing)."""
        return bool(self.jobs or self.events)


def _sweep(session: Session, report: RoundReport, now: datetime | None) -> None:
    while True:
        swept = dispatch(session, now=now, limit=SWEEP_EVENTS)
        report.notices += swept.created
        report.events += swept.events
        if not swept.more:
            return


def work_round(session: Session, *, mailer: Callable[[], Mailer | None] = lambda: None, worker: str | None = None,
               now: datetime | None = None, max_jobs: int | None = None,
               kinds: Mapping[str, JobKind] = KINDS) -> RoundReport:
    """Work the queued jobs, sweep notices, deliver e-mail; every step commits its own work."""
    worker = worker or worker_name()
    report = RoundReport()
    while max_jobs is None or report.jobs < max_jobs:
        job = claim(session, worker=worker, now=now, kinds=kinds)
        if job is None:
            break
        log.info("job #%s (%s, %s items) claimed by %s", job.id, job.kind, job.total, worker)
        run_job(session, job.id, kinds, worker=worker)
        report.jobs += 1
        _sweep(session, report, now)
    _sweep(session, report, now)
    report.sent = deliver(session, mailer=mailer())
    return report


def work_forever(make_session: Callable[[], Session], stop: threading.Event, *, interval: float = 2.0,
                 mailer: Callable[[], Mailer | None] = lambda: None, worker: str | None = None) -> None:
    """Rounds until ``stop`` is set, pausing ``interval`` seconds after a round that found nothing.

    A round that fails (the database restarting, say) is logged and tried again after the pause.
    """
    worker = worker or worker_name()
    while not stop.is_set():
        session = make_session()
        try:
            report = work_round(session, mailer=mailer, worker=worker)
        except Exception:  # the next round tries again; finished items stay finished
            log.exception("worker round failed")
            report = RoundReport()
        finally:
            session.close()
        if not report.busy:
            stop.wait(interval)
