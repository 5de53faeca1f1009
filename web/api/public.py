"""Public service feedback (IKM) about a unit, without login: the same service the public form uses."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, current_app, request

from engine.models import utcnow
from engine.public_feedback import RATE_LIMIT, RATE_WINDOW, daily_client_key, submit_public_feedback
from web.api import bp
from web.api.core import json_body, json_response, session


@bp.post("/public/units/<slug>/feedback")
def public_feedback(slug: str) -> Response:
    """Store one public answer (U1-U9, 1-4, and an optional complaint); limited per device and day."""
    body = json_body("PublicFeedbackCreate")
    key = daily_client_key(current_app.config["SECRET_KEY"], request.remote_addr or "",
                           request.headers.get("User-Agent", ""), utcnow().date())
    limit = int(current_app.config.get("SIKLUS_PUBLIC_FEEDBACK_LIMIT", RATE_LIMIT))
    hours = float(current_app.config.get("SIKLUS_PUBLIC_FEEDBACK_HOURS", RATE_WINDOW.total_seconds() / 3600))
    response = submit_public_feedback(session(), slug, body["answers"], body.get("complaint") or "", key,
                                      limit=limit, within=timedelta(hours=hours))
    return json_response({"id": response.id, "created_at": response.created_at}, 201)
