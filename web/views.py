"""Registers the blueprints of the web app, the error pages and the helpers every template uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import format_datetime, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from engine.db import is_busy
from engine.definition import Text
from engine.errors import Conflict, DatabaseBusy, Forbidden, InvalidPayload, SiklusError, TransitionNotAllowed
from engine.models import utcnow
from engine.provenance import CYCLE_SOURCE, Provenance, source_label
from web.extensions import db, login_manager

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none'; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# Times are shown in Western Indonesia Time, where most ASN work; the database keeps UTC.
WIB = timezone(timedelta(hours=7), "WIB")


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


def current_language() -> str:
    return str(get_locale() or "id")


def localized(value: Any) -> str:
    """A cycle label (Text), an explanation ({id, en}) or a plain string, in the page's language."""
    if value is None:
        return ""
    lang = current_language()
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or value.get("en") or "")
    return str(value)


def number(value: Any) -> str:
    """A number as people write it in the page's language (70,5 in Indonesian); a range as a – b."""
    if value is None or value == "":
        return "–"
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            return " – ".join(number(v) for v in value)
        return "; ".join(number(v) for v in value) if value else "–"
    if isinstance(value, dict):
        # A structured result (e.g. a recommended course): its title, or its fields as "name: value".
        for key in ("title", "label", "name"):
            if key in value:
                return localized(value[key])
        if set(value) <= {"id", "en"}:
            return localized(value)
        return "; ".join(f"{k}: {number(v)}" for k, v in value.items())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return format_decimal(value, format="#,##0.##")


def local_time(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return "–"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shown = moment.astimezone(WIB)
    if not with_time:
        return format_datetime(shown, "d MMM yyyy", rebase=False)
    return format_datetime(shown, "d MMM yyyy, HH.mm", rebase=False) + " WIB"


def time_left(moment: datetime | None, now: datetime | None = None) -> dict[str, Any] | None:
    """Days left before a deadline, or days overdue, as a short sentence and a flag."""
    if moment is None:
        return None
    now = now or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = (moment - now).total_seconds()
    days = int(abs(seconds) // 86400)
    if seconds < 0:
        words = ngettext("terlambat %(num)d hari", "terlambat %(num)d hari", days) if days else _("lewat hari ini")
        return {"text": words, "overdue": True}
    if days == 0:
        return {"text": _("berakhir hari ini"), "overdue": False}
    return {"text": ngettext("%(num)d hari lagi", "%(num)d hari lagi", days), "overdue": False}


def provenance_text(found: Provenance | None) -> str:
    """Who or what supplied a value, as a person reads it: "oleh Rina (Pegawai), 3 Mar 2026, 10.00 WIB"."""
    if found is None:
        return ""
    if found.source == CYCLE_SOURCE:
        return _("ditetapkan dalam berkas siklus")
    if found.source is not None:
        return _("sistem: %(source)s", source=localized(source_label(found.source)))
    who = found.name or _("pengguna tidak dikenal")
    if found.role_label is not None:
        who = f"{who} ({localized(found.role_label)})"
    if found.at is None:
        return _("oleh %(who)s", who=who)
    return _("oleh %(who)s, %(when)s", who=who, when=local_time(found.at))


def error_text(exc: SiklusError) -> str:
    """A person's sentence for an engine error, in the page's language where the engine gives one.

    An engine error may carry ``text={"id": ..., "en": ...}``: the sentence in both languages.
    """
    if isinstance(exc.details.get("text"), dict):
        return localized(exc.details["text"])
    if isinstance(exc, Conflict):
        return _("Penilaian ini telah diubah orang lain sejak halaman Anda dibuka. Tidak ada yang disimpan; "
                 "periksa keadaan terbaru di bawah ini lalu coba lagi.")
    if isinstance(exc, InvalidPayload):
        return _("Isian belum lengkap atau belum benar; periksa kolom yang ditandai.")
    if isinstance(exc, TransitionNotAllowed) and exc.details.get("reasons"):
        return _("Belum dapat dilakukan: %(reasons)s",
                 reasons="; ".join(localized(r) for r in exc.details["reasons"]))
    if isinstance(exc, Forbidden):
        return _("Anda tidak berwenang melakukan tindakan ini (%(detail)s).", detail=exc.message)
    return exc.message


def current_page() -> str:
    """Where the language switch returns to: this page, or for a form post the page it came from."""
    if request.method == "GET":
        query = request.query_string.decode()
        return request.path + (f"?{query}" if query else "")
    return str(g.get("page_url") or request.path)


def register(app: Flask) -> None:
    from web import api, appraisals, auth, cascade, checkpoints, hr, notifications, public, reports, tokens

    login_manager.user_loader(auth.load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Silakan masuk untuk membuka halaman ini.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = _

    app.register_blueprint(auth.bp)
    app.register_blueprint(appraisals.bp)
    app.register_blueprint(checkpoints.bp)
    app.register_blueprint(cascade.bp)
    app.register_blueprint(hr.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(tokens.bp)
    app.register_blueprint(api.bp)

    @app.get("/healthz")
    def healthz() -> Response:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok")

    @app.after_request
    def security_headers(response: Response) -> Response:
        # No script, no outside assets: the pages only need their own stylesheet and forms.
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Ratings, SKPs, PDFs and API answers are personal: no browser or proxy keeps a copy. Only the
        # stylesheet and the anonymous public pages may be cached.
        if not request.path.startswith("/static/") and (
                current_user.is_authenticated or request.path.startswith("/api/")
                or "Authorization" in request.headers):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
            response.vary.add("Cookie")
        return response

    @app.context_processor
    def template_helpers() -> dict[str, Any]:
        return {"lang": current_language(), "t": localized, "has_page": _has_page, "local_time": local_time,
                "number": number,
                "time_left": time_left, "here": current_page()}

    @app.errorhandler(SiklusError)
    def engine_error(exc: SiklusError) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
        db.session.rollback()
        if isinstance(exc, DatabaseBusy):
            return (*_error_page(exc.http_status, error_text(exc)), {"Retry-After": str(exc.retry_after)})
        return _error_page(exc.http_status, error_text(exc))

    @app.errorhandler(OperationalError)
    def database_error(exc: OperationalError) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
        # Another writer held the database (SQLite) longer than the request could wait: a page that
        # says so and to try again, not a failure.
        if is_busy(exc):
            return engine_error(DatabaseBusy())
        raise exc  # any other database failure is unexpected: the 500 page, logged

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str, int]:
        return _error_page(400, _("Formulir sudah kedaluwarsa. Muat ulang halaman lalu kirim lagi."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> HTTPException | tuple[str, int]:
        if request.path.startswith("/static/") or exc.code is None or exc.code < 400:
            return exc
        if exc.code == 500:
            return unexpected(exc)
        if exc.code == 413:
            return _error_page(413, _("Berkas yang dikirim terlalu besar."))
        if exc.code == 429:
            return _error_page(429, _("Terlalu banyak percobaan dalam waktu singkat. Tunggu satu menit, "
                                      "lalu coba lagi."))
        return _error_page(exc.code, None)

    @app.errorhandler(500)
    def unexpected(exc: HTTPException) -> tuple[str, int]:
        db.session.rollback()
        return _error_page(500, None)


def _has_page(endpoint: str) -> bool:
    """Whether the app serves ``endpoint`` (the menu shows only areas that exist)."""
    from flask import current_app

    return endpoint in current_app.view_functions


def _error_page(status: int, message: str | None) -> tuple[str, int]:
    template = {403: "errors/403.html", 404: "errors/404.html"}.get(status, "errors/error.html")
    return render_template(template, status=status, message=message), status
