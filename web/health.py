"""``/healthz``: whether this process can reach its database (for a load balancer or a service manager)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from engine.db import ping
from web.context import db_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    ping(db_session())
    return jsonify(status="ok")
