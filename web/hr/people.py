"""HR screens: users and role grants, and the organisation import.

Users: the logins of the units the HR officer oversees, a login for an employee, deactivation,
password resets and role grants; who may change what is decided by :mod:`engine.users`. A password
set or generated here is shown once, in the response to the form that set it, and never stored or
flashed in clear.

Import: a CSV or XLSX file of units and employees is first checked (a dry run with a row-by-row error
report, or the counts of what would change), then imported on confirmation. Between the two steps
the file waits under the instance folder with a random name that only this browser session knows.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.access import HrScope
from engine.errors import Forbidden, SiklusError
from engine.models import User
from engine.org_table import file_label
from engine.orgimport import import_org, may_import
from engine.users import (
    Credentials,
    create_user,
    employee_in_scope,
    grant_of,
    grant_role,
    may_manage,
    reset_password,
    revoke_role,
    set_active,
    units_of_scope,
    user_in_scope,
    users_in_scope,
)
from web.context import current_actor as _actor
from web.context import current_hr_scope as _scope
from web.context import db_session as _db
from web.context import unit_of_work
from web.errors import error_text
from web.hr.blueprint import bp
from web.inputs import query_id, query_text

USERS_PAGE = 50
IMPORT_TYPES = {".csv", ".xlsx"}
IMPORT_KEPT_SECONDS = 24 * 3600  # an unconfirmed upload is removed after a day
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")








def _form_int(name: str) -> int | None:
    return query_id(request.form, name)


# -- users -----------------------------------------------------------------------------------------

def _users_page(scope: HrScope, **extra: Any) -> str:
    """The list of users in scope, searched and keyset-paginated by user name."""
    query = query_text(request.args, "q", 120) or ""
    after = query_text(request.args, "setelah", 80) or ""
    users, more = users_in_scope(_db(), scope, query, after=after, limit=USERS_PAGE)
    return render_template(
        "hr/users.html", users=users, query=query, first_page=not after,
        next_after=users[-1].username if more else None, form=extra.pop("form", {}), **extra)


@bp.get("/pengguna")
@login_required
def users() -> str:
    return _users_page(_scope())


@bp.post("/pengguna")
@login_required
def user_create() -> str | tuple[str, int]:
    """A login for the employee with the given NIP; the password (typed or generated) is shown once."""
    scope = _scope()
    nip = (request.form.get("nip") or "").strip()
    username = (request.form.get("username") or "").strip() or nip
    form = {"nip": nip, "username": request.form.get("username", "")}
    # Only employees of the officer's own units are looked up, so the answer tells nothing about others.
    employee = employee_in_scope(_db(), scope, nip) if nip else None
    if employee is None:
        message = (_("Tidak ada pegawai dengan NIP %(nip)s di unit yang Anda kelola.", nip=nip) if nip
                   else _("Isi NIP pegawai yang akan diberi akun."))
        return _users_page(scope, form=form, create_error=message), 422
    try:
        with unit_of_work() as work:
            made = create_user(work, _actor(), employee.id, username, request.form.get("password") or None)
    except SiklusError as exc:
        return _users_page(scope, form=form, create_error=_refusal(exc)), exc.http_status
    return _credentials_page(made, _("Akun %(username)s dibuat untuk %(name)s.", username=made.user.username,
                                     name=employee.name))


def _refusal(exc: SiklusError) -> str:
    if isinstance(exc, Forbidden):
        return error_text(exc)
    return _("Tidak disimpan: %(reason)s", reason=error_text(exc))


def _credentials_page(made: Credentials, message: str) -> str:
    return render_template("hr/users_password.html", made=made, message=message)


def _user_or_404(user_id: int, scope: HrScope) -> User:
    user = user_in_scope(_db(), scope, user_id)
    if user is None:
        abort(404)
    return user


def _user_page(user_id: int, error: str | None = None, status: int = 200) -> tuple[str, int]:
    scope = _scope()
    user = _user_or_404(user_id, scope)
    actor = _actor()
    return render_template(
        "hr/users_detail.html", user=user, error=error, units=units_of_scope(_db(), scope), is_admin=actor.is_admin,
        every_unit=scope.every_unit, is_self=user.id == actor.user_id,
        manageable=may_manage(scope, actor, user) and user.id != actor.user_id,
    ), status


@bp.get("/pengguna/<id:user_id>")
@login_required
def user_detail(user_id: int) -> tuple[str, int]:
    return _user_page(user_id)


@bp.post("/pengguna/<id:user_id>/aktif")
@login_required
def user_active(user_id: int) -> Response | tuple[str, int]:
    _user_or_404(user_id, _scope())
    choice = request.form.get("aktif")
    if choice not in ("0", "1"):  # a forged or missing choice deactivates no one
        return _user_page(user_id, _("Tidak disimpan: pilih «Nonaktifkan akun» atau «Aktifkan kembali» pada "
                                     "halaman akun ini."), 422)
    active = choice == "1"
    try:
        with unit_of_work() as work:
            user = set_active(work, _actor(), user_id, active)
    except SiklusError as exc:
        return _user_page(user_id, _refusal(exc), exc.http_status)
    flash(_("Akun %(username)s diaktifkan kembali.", username=user.username) if active
          else _("Akun %(username)s dinonaktifkan; pemiliknya tidak dapat masuk lagi.", username=user.username),
          "success")
    return redirect(url_for("hr.user_detail", user_id=user_id))


@bp.post("/pengguna/<id:user_id>/sandi")
@login_required
def user_password(user_id: int) -> str | tuple[str, int]:
    _user_or_404(user_id, _scope())
    try:
        with unit_of_work() as work:
            made = reset_password(work, _actor(), user_id, request.form.get("password") or None)
    except SiklusError as exc:
        return _user_page(user_id, _refusal(exc), exc.http_status)
    return _credentials_page(made, _("Kata sandi %(username)s telah diatur ulang.", username=made.user.username))


@bp.post("/pengguna/<id:user_id>/peran")
@login_required
def user_grant(user_id: int) -> Response | tuple[str, int]:
    _user_or_404(user_id, _scope())
    kind = (request.form.get("peran") or "").strip()
    group = (request.form.get("kelompok") or "").strip()
    role = f"group:{group}" if kind == "group" else kind
    unit_text = (request.form.get("unit") or "").strip()
    unit_id = query_id(request.form, "unit")
    if kind == "group" and not group:
        return _user_page(user_id, _("Tidak disimpan: isi nama kelompok untuk peran kelompok."), 422)
    if unit_text not in ("", "semua") and unit_id is None:
        return _user_page(user_id, _("Tidak disimpan: pilih unit dari daftar."), 422)
    try:
        with unit_of_work() as work:
            grant_role(work, _actor(), user_id, role, unit_id)
    except SiklusError as exc:
        return _user_page(user_id, _refusal(exc), exc.http_status)
    flash(_("Peran %(role)s diberikan.", role=role), "success")
    return redirect(url_for("hr.user_detail", user_id=user_id))


@bp.post("/pengguna/<id:user_id>/peran/<id:grant_id>/cabut")
@login_required
def user_revoke(user_id: int, grant_id: int) -> Response | tuple[str, int]:
    _user_or_404(user_id, _scope())
    grant = grant_of(_db(), user_id, grant_id)
    if grant is None:
        abort(404)
    role = grant.role
    try:
        with unit_of_work() as work:
            revoke_role(work, _actor(), grant_id)
    except SiklusError as exc:
        return _user_page(user_id, _refusal(exc), exc.http_status)
    flash(_("Peran %(role)s dicabut.", role=role), "success")
    return redirect(url_for("hr.user_detail", user_id=user_id))


# -- organisation import ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PendingImport:
    """An uploaded file waiting for confirmation: where it lies and the name it was sent with."""

    token: str
    filename: str
    path: Path


def _import_folder() -> Path:
    folder = Path(current_app.config.get("IMPORT_FOLDER") or os.path.join(current_app.instance_path, "impor"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep_old_uploads(folder: Path) -> None:
    """Remove uploads nobody confirmed within a day."""
    limit = time.time() - IMPORT_KEPT_SECONDS
    for old in folder.glob("*.upload"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass


def _keep_upload(data: bytes, filename: str) -> PendingImport:
    folder = _import_folder()
    _sweep_old_uploads(folder)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.upload"
    path.write_bytes(data)
    session["org_import"] = {"token": token, "filename": filename, "user": _actor().user_id}
    return PendingImport(token, filename, path)


def _pending(token: str) -> PendingImport | None:
    """The upload this browser session made, if the posted token names it (never a client-given path)."""
    kept = session.get("org_import") or {}
    if not _TOKEN.match(token or "") or not secrets.compare_digest(str(kept.get("token", "")), token):
        return None
    if kept.get("user") != _actor().user_id:
        return None
    path = _import_folder() / f"{token}.upload"
    return PendingImport(token, str(kept.get("filename") or ""), path) if path.is_file() else None


def _drop(pending: PendingImport | None) -> None:
    session.pop("org_import", None)
    if pending is not None:
        with suppress(OSError):
            pending.path.unlink()


def _import_page(status: int = 200, **shown: Any) -> tuple[str, int]:
    values: dict[str, Any] = {"report": None, "pending": None, "error": None, "filename": "", "done": False,
                              "may_import": may_import(_db(), _actor())}
    values.update(shown)
    return render_template("hr/import.html", **values), status


@bp.get("/impor")
@login_required
def org_import() -> tuple[str, int]:
    _scope()
    return _import_page()


@bp.post("/impor")
@login_required
def org_import_check() -> tuple[str, int]:
    """Dry run of an uploaded file: the row-by-row error report, or what importing it would change."""
    _scope()
    upload = request.files.get("berkas")
    # Named as the report and the audit log name it: no character that hides or reorders it, at most 255 long.
    filename = file_label(os.path.basename(((upload.filename or "") if upload else "").replace("\\", "/")))
    if upload is None or not filename:
        return _import_page(422, error=_("Pilih berkas CSV atau XLSX untuk diperiksa."))
    if os.path.splitext(filename)[1].lower() not in IMPORT_TYPES:
        return _import_page(422, error=_("Berkas %(name)s bukan CSV atau XLSX.", name=filename))
    data = upload.read()
    if not data:
        return _import_page(422, error=_("Berkas %(name)s kosong.", name=filename))
    _drop(_pending(str((session.get("org_import") or {}).get("token", ""))))
    try:
        with unit_of_work() as work:
            report = import_org(work, data, filename, _actor(), dry_run=True)
    except SiklusError as exc:
        return _import_page(exc.http_status, error=_refusal(exc))
    pending = _keep_upload(data, filename) if report.ok else None
    return _import_page(200 if report.ok else 422, report=report, pending=pending, filename=filename)


@bp.post("/impor/terapkan")
@login_required
def org_import_confirm() -> tuple[str, int] | Response:
    """Import the file checked before (named by its token in this session); one transaction."""
    _scope()
    pending = _pending(request.form.get("token") or "")
    if pending is None:
        flash(_("Berkas yang diperiksa tidak ditemukan lagi (sudah diimpor, kedaluwarsa, atau dari sesi lain). "
                "Unggah dan periksa berkasnya lagi."), "error")
        return redirect(url_for("hr.org_import"))
    data = pending.path.read_bytes()
    try:
        with unit_of_work() as work:
            report = import_org(work, data, pending.filename, _actor(), dry_run=False)
    except SiklusError as exc:
        return _import_page(exc.http_status, error=_refusal(exc), pending=None)
    finally:
        _drop(pending)
    # A report that is not ok here means the database changed since the dry run; nothing was imported.
    return _import_page(200 if report.ok else 422, report=report, filename=pending.filename, done=report.ok)
