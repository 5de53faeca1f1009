"""``/healthz``: whether this process can reach its database (for a load balancer or a service manager);
``/favicon.ico``: the icon, for browsers and tools that ask for it by that name."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from engine.db import ping
from web.context import db_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    ping(db_session())
    return jsonify(status="ok")


@bp.get("/favicon.ico")
def favicon() -> WerkzeugResponse:
    return redirect(url_for("static", filename="favicon.svg"), code=301)
