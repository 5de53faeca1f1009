"""Public service feedback (IKM) about a unit, without login: the same service the public form uses."""

from __future__ import annotations

from flask import Response, request
from werkzeug.exceptions import Forbidden, UnsupportedMediaType

from engine.public_feedback import submit_public_feedback
from web.api.blueprint import bp
from web.api.core import json_body, json_response
from web.context import unit_of_work
from web.extensions import limiter
from web.ratelimit import (
    answer_stored,
    cross_site_post,
    survey_address_key,
    survey_address_limit,
    survey_device,
    survey_limits,
)


@bp.post("/public/units/<slug>/feedback")
@limiter.limit(survey_address_limit, key_func=survey_address_key, deduct_when=answer_stored)
def public_feedback(slug: str) -> Response:
    """Store one public answer (U1-U9, 1-4, and an optional complaint); limited per device and per address.

    Only ``application/json`` is read: a page of another site can post a form or plain text without
    asking, but not JSON, and a browser's cross-site post is refused outright.
    """
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("send the answer as application/json")
    if cross_site_post():
        raise Forbidden("answers are accepted from this site's own survey page or from API clients, not from "
                        "another site's page")
    body = json_body("PublicFeedbackCreate")
    limit, within = survey_limits()
    with unit_of_work() as session:
        response = submit_public_feedback(session, slug, body["answers"], body.get("complaint") or "", survey_device(),
                                          limit=limit, within=within)
    return json_response({"id": response.id, "created_at": response.created_at}, 201)
