"""The in-app notification list: my notices, newest first, unread marked, each in the language I read in now
(a notice is kept as a message code and rendered here); open one (marks it read and goes to the appraisal)
or mark them all read.

After any successful form post the app also writes the notices of the newest audit events
(:func:`engine.notifications.dispatch_recent`), so the next person sees their notice at once whatever
was launched before; ``siklus worker`` sweeps everything else (large launches) and sends the e-mail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.models import Notification, utcnow
from engine.notification_texts import rendered
from engine.notifications import dispatch_recent, mark_read, notification_of, notifications_for
from web.auth import safe_next
from web.context import current_user_id, db_session, unit_of_work
from web.filters import current_language
from web.messages import message_text

bp = Blueprint("notifications", __name__, url_prefix="/notifikasi")
log = logging.getLogger(__name__)
SHOWN = 100


@dataclass(frozen=True)
class ShownNotice:
    """A notice as the list shows it: its row, and its subject and body in the reader's language."""

    row: Notification
    subject: str
    body: str


@bp.get("/")
@login_required
def index() -> str:
    rows = notifications_for(db_session(), current_user_id(), limit=SHOWN + 1)
    unread = sum(1 for n in rows[:SHOWN] if n.read_at is None)
    lang = current_language()
    shown = [ShownNotice(n, *rendered(n, lang, message_text)) for n in rows[:SHOWN]]
    return render_template("notifications.html", notices=shown, more=len(rows) > SHOWN, unread=unread)


@bp.post("/baca-semua")
@login_required
def read_all() -> Response:
    with unit_of_work() as session:
        changed = mark_read(session, current_user_id())
    if changed:
        flash(_("Semua notifikasi ditandai sudah dibaca."), "info")
    return redirect(url_for("notifications.index"))


@bp.get("/<id:notification_id>/buka")
@login_required
def open_one(notification_id: int) -> Response:
    notice = notification_of(db_session(), current_user_id(), notification_id)
    if notice is None:
        abort(404)
    if notice.read_at is None:
        with unit_of_work() as session:
            mark_read(session, current_user_id(), notification_id, now=utcnow())
    # Only a path on this site: a browser reads "/\host" as "//host", another site.
    return redirect(safe_next(notice.link, url_for("notifications.index")))


@bp.after_app_request
def sweep_after_post(response: Response) -> Response:
    """After a successful form post, turn the newest audit events into notices; never fails the response."""
    if request.method != "POST" or response.status_code >= 400:
        return response
    try:
        with unit_of_work() as session:
            dispatch_recent(session)
    except Exception:  # a notice can wait for the next sweep; the person's own action already succeeded
        log.exception("notification sweep after %s failed", request.path)
    return response
