"""``siklus worker``: works the background jobs (bulk actions, large launches), turns the audit log into
notices and sends their e-mail, round after round until stopped (SIGTERM or Ctrl+C).

Run one or more beside the web server (systemd unit or Procfile line in docs/deploy.md; ``make run``
starts one). ``--once`` does a single round and prints what it did, for cron or a test.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from engine.mail import Mailer, SmtpMailer
from web.cli_org import mail_settings
from web.cli_support import say, text
from web.messages import N_


@click.command("worker")
@click.option("--once", is_flag=True, help="One round (jobs, notices, e-mail), then exit.")
@click.option("--interval", default=2.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds to wait after a round that found nothing to do.")
@with_appcontext
def worker_cmd(once: bool, interval: float) -> None:
    """Work background jobs and deliver notices until stopped."""
    from engine.jobs.worker import work_forever, work_round
    from web.extensions import db

    settings = mail_settings()

    def mailer() -> Mailer | None:
        return SmtpMailer(settings) if settings else None

    def make_session() -> Session:
        return Session(db.engine, expire_on_commit=False)

    if once:
        session = make_session()
        try:
            report = work_round(session, mailer=mailer)
        finally:
            session.close()
        say(N_("pekerjaan: %(jobs)s; notifikasi: %(notices)s baru dari %(events)s peristiwa; e-mail: %(sent)s "
               "terkirim%(smtp)s"), jobs=report.jobs, notices=report.notices, events=report.events, sent=report.sent,
            smtp="" if settings else text(N_(" (SMTP belum diatur)")))
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()

    def stopping(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    say(N_("Pekerja Siklus: pekerjaan, notifikasi dan e-mail tiap %(interval)s detik saat senggang (Ctrl+C untuk "
           "berhenti)"), interval=f"{interval:g}")
    work_forever(make_session, stop, interval=interval, mailer=mailer)
