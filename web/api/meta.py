"""The OpenAPI document and who the caller is."""

from __future__ import annotations

from flask import Response

from engine.access import hr_scope
from engine.users import signed_in_user
from web.api.blueprint import bp
from web.api.core import json_response, spec
from web.context import current_actor, db_session


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document describing every operation under /api/v1."""
    return json_response(spec())


@bp.get("/me")
def me() -> Response:
    """The caller: user name, employee record (if any) and whether they act as HR."""
    who = current_actor()
    user = signed_in_user(db_session(), who.user_id) if who.user_id is not None else None
    employee = user.employee if user is not None else None
    return json_response({
        "username": who.username,
        "display_name": (user.display_name if user else "") or who.username,
        "employee": None if employee is None else {
            "id": employee.id, "nip": employee.nip, "name": employee.name, "unit": employee.unit.code},
        "hr": hr_scope(db_session(), who).any,
    })
