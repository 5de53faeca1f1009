"""API token pages: a person's own tokens, and HR managing the tokens of people in their units.

A new token's secret is shown once, on the page that answers its creation, and never again: only
its SHA-256 is stored (see :mod:`engine.tokens`).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.errors import SiklusError
from engine.tokens import create_own_token, manageable_tokens, revoke_token, tokens_of
from web.context import current_actor, current_user_id, db_session, unit_of_work
from web.errors import error_text

bp = Blueprint("tokens", __name__, url_prefix="/token")

# Validity choices offered on the form, in days ("" = until revoked).
VALIDITY = ("30", "90", "365", "")


def _page(secret: str | None = None, error: str | None = None, name: str = "", days: str = "90",
          status: int = 200) -> tuple[str, int]:
    actor = current_actor()
    return render_template(
        "tokens.html", mine=tokens_of(db_session(), current_user_id()), others=manageable_tokens(db_session(), actor),
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
    try:
        with unit_of_work() as session:
            new = create_own_token(session, current_actor(), name, days=int(days_text) if days_text else None)
    except SiklusError as exc:
        message = (error_text(exc) if name
                   else _("Beri token sebuah nama, misalnya nama skrip atau sistem yang memakainya."))
        return _page(error=message, name=name, days=days_text, status=exc.http_status)
    return _page(secret=new.secret, status=201)


@bp.post("/<id:token_id>/cabut")
@login_required
def revoke(token_id: int) -> Response:
    with unit_of_work() as session:
        token = revoke_token(session, current_actor(), token_id)
    flash(_("Token «%(name)s» dicabut dan tidak dapat dipakai lagi.", name=token.name), "success")
    return redirect(url_for(".index"))
