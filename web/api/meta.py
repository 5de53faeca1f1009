"""The OpenAPI document and who the caller is."""

from __future__ import annotations

from flask import Response

from engine.access import hr_scope
from engine.models import Employee, User
from web.api import bp
from web.api.core import actor, json_response, session, spec


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document describing every operation under /api/v1."""
    return json_response(spec())


@bp.get("/me")
def me() -> Response:
    """The caller: user name, employee record (if any) and whether they act as HR."""
    who = actor()
    user = session().get(User, who.user_id)
    employee = session().get(Employee, who.employee_id) if who.employee_id is not None else None
    return json_response({
        "username": who.username,
        "display_name": (user.display_name if user else "") or who.username,
        "employee": None if employee is None else {
            "id": employee.id, "nip": employee.nip, "name": employee.name, "unit": employee.unit.code},
        "hr": hr_scope(session(), who).any,
    })
