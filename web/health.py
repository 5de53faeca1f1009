"""``/healthz``: whether this process can reach its database (for a load balancer or a service manager);
``/favicon.ico``: the icon, for browsers and tools that ask for it by that name."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from engine.db import ping
from web.context import db_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    ping(db_session())
    return jsonify(status="ok")


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The SVG icon under the name browsers ask for (they read its type, not its extension)."""
    response = current_app.send_static_file("favicon.svg")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
