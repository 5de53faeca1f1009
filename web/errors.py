"""Error pages, and the sentence a person reads for an engine refusal.

Every error page is rendered after the request's uncommitted work is rolled back
(:func:`web.context.discard_work`). The JSON API answers problem documents instead (see :mod:`web.api`).
"""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from engine.db import is_busy
from engine.errors import Clash, Conflict, DatabaseBusy, Forbidden, InvalidPayload, SiklusError, TransitionNotAllowed
from engine.limits import CYCLE_FILE, EVIDENCE_FILE, ORG_IMPORT_FILE
from web.context import discard_work
from web.filters import current_language, localized
from web.inputs import UPLOAD_REQUEST_BYTES
from web.messages import error_message

Page = tuple[str, int] | tuple[str, int, dict[str, str]]


def error_text(exc: SiklusError) -> str:
    """A person's sentence for an engine error, in the page's language.

    A coded message (``exc.msg``) is rendered through the catalogue; an older refusal may carry
    ``text={"id": ..., "en": ...}`` instead. The rest fall back to a sentence for their kind.
    """
    found = error_message(exc, current_language())
    if found:
        return found
    if isinstance(exc, Conflict):
        return _("Penilaian ini telah diubah orang lain sejak halaman Anda dibuka. Tidak ada yang disimpan; "
                 "periksa keadaan terbaru di bawah ini lalu coba lagi.")
    if isinstance(exc, InvalidPayload):
        return _("Isian belum lengkap atau belum benar; periksa kolom yang ditandai.")
    if isinstance(exc, TransitionNotAllowed) and exc.details.get("reasons"):
        return _("Belum dapat dilakukan: %(reasons)s",
                 reasons="; ".join(localized(r) for r in exc.details["reasons"]))
    if isinstance(exc, Forbidden):
        return _("Anda tidak berwenang melakukan tindakan ini.")
    return exc.message


def error_page(status: int, message: str | None) -> tuple[str, int]:
    """The error page for ``status``, after the request's uncommitted work is rolled back."""
    discard_work()
    template = {403: "errors/403.html", 404: "errors/404.html"}.get(status, "errors/error.html")
    return render_template(template, status=status, message=message), status


def engine_error(exc: SiklusError) -> Page:
    """An engine refusal no view handled: its sentence on the page of its status (503 says when to retry)."""
    if isinstance(exc, DatabaseBusy):
        return (*error_page(exc.http_status, error_text(exc)), {"Retry-After": str(exc.retry_after)})
    return error_page(exc.http_status, error_text(exc))


def database_error(exc: OperationalError) -> Page:
    """Another writer held the database (SQLite) longer than the request could wait: a page that says so
    and to try again, not a failure. Any other database failure is unexpected: the 500 page, logged."""
    if is_busy(exc):
        return engine_error(DatabaseBusy())
    raise exc


def integrity_error(exc: IntegrityError) -> Page:
    """A write a uniqueness or reference rule refused because another change came first (the same form
    sent twice at once): nothing was saved, the person reloads. Logged, in case it was not a race."""
    current_app.logger.warning("write refused by the database on %s %s: %s", request.method, request.path,
                               getattr(exc, "orig", exc))
    return engine_error(Clash())


def csrf_error(_exc: CSRFError) -> tuple[str, int]:
    return error_page(400, _("Formulir sudah kedaluwarsa. Muat ulang halaman lalu kirim lagi."))


def http_error(exc: HTTPException) -> HTTPException | tuple[str, int]:
    if request.path.startswith("/static/") or exc.code is None or exc.code < 400:
        return exc
    if exc.code == 500:
        return unexpected(exc)
    if exc.code == 413:
        # The body was not read (it is larger than any form may be), so the form cannot come back filled.
        total = _size_text(request.max_content_length or UPLOAD_REQUEST_BYTES)
        return error_page(413, _("Kiriman ini lebih besar dari %(total)s sehingga tidak dibaca, termasuk isian "
                                 "formulirnya. Batas berkas: bukti %(evidence)s, impor organisasi %(org)s, berkas "
                                 "siklus %(cycle)s. Kembali ke halaman sebelumnya lalu kirim berkas yang lebih kecil.",
                                 total=total, evidence=EVIDENCE_FILE.shown,
                                 org=ORG_IMPORT_FILE.shown, cycle=CYCLE_FILE.shown))
    if exc.code == 429:
        return error_page(429, _("Terlalu banyak percobaan dalam waktu singkat. Tunggu satu menit, lalu coba lagi."))
    return error_page(exc.code, None)


def _size_text(size: int) -> str:
    """A size limit as people read it: 64 MiB, 256 KiB."""
    return f"{size // (1024 * 1024)} MiB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KiB"


def unexpected(_exc: HTTPException) -> tuple[str, int]:
    return error_page(500, None)


def init_app(app: Flask) -> None:
    """Register the error pages."""
    app.register_error_handler(SiklusError, engine_error)
    app.register_error_handler(OperationalError, database_error)
    app.register_error_handler(IntegrityError, integrity_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(500, unexpected)
