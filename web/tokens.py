"""API token pages: a person's own tokens, and HR managing the tokens of people in their units.

A new token's secret is shown once, on the page that answers its creation, and never again: only
its SHA-256 is stored (see :mod:`engine.tokens`).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from engine.errors import SiklusError
from engine.models import User
from engine.tokens import create_token, manageable_tokens, revoke_token, tokens_of
from web.extensions import db
from web.views import error_text

bp = Blueprint("tokens", __name__, url_prefix="/token")

# Validity choices offered on the form, in days ("" = until revoked).
VALIDITY = ("30", "90", "365", "")


def _page(secret: str | None = None, error: str | None = None, name: str = "", days: str = "90",
          status: int = 200) -> tuple[str, int]:
    actor = current_user.actor
    return render_template(
        "tokens.html", mine=tokens_of(db.session(), actor.user_id), others=manageable_tokens(db.session(), actor),
        secret=secret, error=error, name=name, days=days, validity=VALIDITY,
    ), status


@bp.get("/")
@login_required
def index() -> tuple[str, int]:
    return _page()


@bp.post("/")
@login_required
def create() -> tuple[str, int]:
    name = request.form.get("name", "").strip()
    days_text = request.form.get("days", "90")
    if days_text not in VALIDITY:
        return _page(error=_("Pilih masa berlaku dari daftar."), name=name, status=422)
    user = db.get_or_404(User, current_user.actor.user_id)
    try:
        new = create_token(db.session(), current_user.actor, user, name, days=int(days_text) if days_text else None)
    except SiklusError as exc:
        db.session.rollback()
        message = (error_text(exc) if name
                   else _("Beri token sebuah nama, misalnya nama skrip atau sistem yang memakainya."))
        return _page(error=message, name=name, days=days_text, status=exc.http_status)
    return _page(secret=new.secret, status=201)


@bp.post("/<id:token_id>/cabut")
@login_required
def revoke(token_id: int) -> Response:
    token = revoke_token(db.session(), current_user.actor, token_id)
    flash(_("Token «%(name)s» dicabut dan tidak dapat dipakai lagi.", name=token.name), "success")
    return redirect(url_for(".index"))
