"""Logging in and out, and the language switch.

A wrong user name and a wrong password get the same message and take the same time (a password
hash is checked even for an unknown name), so the login form does not tell who has an account.
"""

from __future__ import annotations

from functools import cached_property
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from engine.limits import ascii_digits, parse_id
from engine.models import User
from engine.permissions import Actor
from engine.users import end_sessions, signed_in_user, user_named
from web.context import db_session, unit_of_work
from web.extensions import limiter, login_manager
from web.filters import N_
from web.forms import CsrfOnlyForm, LanguageForm, LoginForm
from web.i18n import SIGNED_OUT_LANGUAGE
from web.inputs import control_characters
from web.ratelimit import LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS, failed_login, login_account

bp = Blueprint("auth", __name__)

# Checked against when the user name is unknown, so both failures cost one hash check.
_DUMMY_HASH = generate_password_hash("siklus-no-such-user")


class LoginUser:
    """Flask-Login's view of an engine :class:`~engine.models.User` row (engine models know no Flask)."""

    is_anonymous = False

    def __init__(self, row: User) -> None:
        self.row = row

    def get_id(self) -> str:
        # "id.version": raising the user's session_version (logout, password change) ends every
        # session that carries the old one, copied cookies included.
        return f"{self.row.id}.{self.row.session_version or 0}"

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return bool(self.row.is_active)

    @property
    def username(self) -> str:
        return self.row.username

    @property
    def display_name(self) -> str:
        return self.row.display_name or self.row.username

    @property
    def locale(self) -> str | None:
        return self.row.locale

    @property
    def is_hr(self) -> bool:
        """Holds an HR or admin grant (on any unit)."""
        return any(role in ("hr", "admin") for role, _unit in self.actor.grants)

    @cached_property
    def actor(self) -> Actor:
        return Actor.of(self.row)


def load_user(user_id: str) -> LoginUser | None:
    """The user_loader: the row with its grants and employee, or None when gone, disabled or the
    session was ended (logout or password change since the cookie was issued)."""
    ident, _dot, version = user_id.partition(".")
    found = parse_id(ident)
    if found is None or not ascii_digits(version) or len(version) > 12:
        return None
    row = signed_in_user(db_session(), found)
    if row is None or not row.is_active or (row.session_version or 0) != int(version):
        return None
    return LoginUser(row)


login_manager.user_loader(load_user)
login_manager.login_view = "auth.login"
login_manager.login_message = N_("Silakan masuk untuk membuka halaman ini.")
login_manager.login_message_category = "info"
login_manager.localize_callback = _


MAX_NEXT = 2000  # characters of a path to go back to; longer is no page of Siklus


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site (no scheme, no host, no '//'), so a link cannot send someone elsewhere; and
    one a ``Location`` header can carry (no line break or other control character, not a page long)."""
    if not target or len(target) > MAX_NEXT or control_characters(target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


@bp.get("/login")
def login_habit() -> Response:
    """``/login``, the address people type out of habit: the sign-in page, keeping where they were going."""
    target = safe_next(request.args.get("next", ""), "")
    return redirect(url_for("auth.login", next=target) if target else url_for("auth.login"))


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(LOGIN_PER_ACCOUNT, key_func=login_account, methods=["POST"], deduct_when=failed_login)
@limiter.limit(LOGIN_PER_ADDRESS, methods=["POST"], deduct_when=failed_login)
def login() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("appraisals.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        username = (form.username.data or "").strip()
        row = user_named(db_session(), username)
        known = row if row is not None and row.is_active and row.password_hash else None
        password_ok = check_password_hash(known.password_hash if known else _DUMMY_HASH, form.password.data or "")
        if known is not None and password_ok:
            login_user(LoginUser(known))
            return redirect(safe_next(form.next.data, url_for("appraisals.home")))
        form.password.errors = []
        return render_template("auth/login.html", form=form,
                               error=_("Nama pengguna atau kata sandi salah.")), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, error=None), status


@bp.post("/keluar")
@login_required
def logout() -> Response:
    form = CsrfOnlyForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            end_sessions(work, current_user.row.id)
        # The signed-out pages go on in the language the person was reading (their account's, unless they
        # switched), so the sign-in page and its notice below are in one language, not the notice in theirs and
        # the page in the browser's. Not a choice of language: whoever signs in next reads in their own.
        session[SIGNED_OUT_LANGUAGE] = str(get_locale())
        logout_user()
        flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/bahasa")
def language() -> Response:
    """Switch the language of the pages (kept in the session) and go back where the person was."""
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data, url_for("appraisals.home")))
