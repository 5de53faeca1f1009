"""E-mailing the notices that wait in the outbox (:class:`~engine.models.Notification` rows written by
:mod:`engine.notifications`), outside any request: by ``siklus worker``, ``tick`` or ``notify``.

Each notice is written in the recipient's language of the moment it is sent (their ``locale``, Indonesian
by default), from its message code (:mod:`engine.notification_texts`); a notice written before codes
keeps the text it was written with. Each notice is sent once; a failure is recorded on the notice and
retried by a later round, at most :data:`MAX_ATTEMPTS` times, and a server that cannot be reached ends the round.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formataddr

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.mail import CONNECTION_ERRORS, Mailer
from engine.models import Notification, User, utcnow
from engine.notification_texts import LANGUAGES, rendered

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def _message(notice: Notification, mailer: Mailer, lang: str) -> EmailMessage:
    subject, body = rendered(notice, lang)
    message = EmailMessage()
    message["From"] = mailer.sender
    message["To"] = formataddr(("", notice.email or ""))
    message["Subject"] = subject
    if notice.link:
        body += "\n\n" + (mailer.base_url + notice.link)
    message.set_content(body)
    return message


def deliver(session: Session, *, mailer: Mailer | None, batch: int = 100, max_attempts: int = MAX_ATTEMPTS) -> int:
    """E-mail the notices waiting in the outbox (and earlier failures, up to ``max_attempts``); commits.

    Without a mailer (no SMTP configured) nothing is sent and notices stay in the outbox. Returns how
    many were sent. A server that cannot be reached stops the round; the rest wait for the next one.
    """
    if mailer is None:
        return 0
    sent = 0
    last_id = 0
    try:
        while True:
            stmt = (select(Notification)
                    .where(Notification.id > last_id, Notification.email.is_not(None),
                           Notification.email_status.in_(("outbox", "failed")),
                           Notification.email_attempts < max_attempts)
                    .order_by(Notification.id).limit(batch))
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            notices = list(session.scalars(stmt))
            if not notices:
                break
            locales = _locales(session, notices)
            stop = False
            for notice in notices:
                last_id = notice.id
                try:
                    mailer.send(_message(notice, mailer, locales.get(notice.user_id or 0, "id")))
                except Exception as exc:  # any failure is recorded on the notice and retried later
                    notice.email_status = "failed"
                    notice.email_attempts += 1
                    notice.email_error = f"{type(exc).__name__}: {exc}"[:2000]
                    log.warning("e-mail to %s failed: %s", notice.email, exc)
                    if isinstance(exc, CONNECTION_ERRORS):
                        stop = True
                        break
                    continue
                notice.email_status = "sent"
                notice.email_attempts += 1
                notice.email_sent_at = utcnow()
                notice.email_error = None
                sent += 1
            session.commit()
            if stop:
                break
    except BaseException:
        session.rollback()
        raise
    finally:
        mailer.close()
    return sent


def _locales(session: Session, notices: list[Notification]) -> dict[int, str]:
    """Each recipient's language now (one query)."""
    users = {n.user_id for n in notices if n.user_id is not None}
    if not users:
        return {}
    return {uid: locale if locale in LANGUAGES else "id"
            for uid, locale in session.execute(select(User.id, User.locale).where(User.id.in_(users)))}


def outbox_counts(session: Session) -> dict[str, int]:
    """How many notices are in each e-mail status (none, outbox, sent, failed)."""
    return {status: count for status, count in session.execute(
        select(Notification.email_status, func.count()).group_by(Notification.email_status))}
