"""Raters of top officials in the API: the employees with no superior in Siklus in the caller's HR scope with
the accounts designated to rate (and review) them, and setting or clearing a designation.

The same services as the HR screen /sdm/penilai (:mod:`engine.raters`): the same permission (HR of the
employee's unit), the same refusals and codes, the same audit events.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from engine.models import User
from engine.raters import TopOfficial, clear_rater, designate_rater, top_official, top_officials
from web.api.blueprint import bp
from web.api.core import json_body, json_response
from web.context import current_actor, current_hr_scope, db_session, unit_of_work


def _account(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.id, "username": user.username, "display_name": user.display_name}


def official_json(official: TopOfficial) -> dict[str, Any]:
    """An employee with no superior and who rates and reviews them (null while nobody was designated)."""
    employee, designation = official.employee, official.designation
    return {
        "employee": {"id": employee.id, "nip": employee.nip, "name": employee.name, "position": employee.position,
                     "unit": {"id": employee.unit.id, "code": employee.unit.code, "name": employee.unit.name}},
        "rater": _account(official.rater),
        "reviewer": _account(official.reviewer),
        "basis": designation.basis if designation is not None else None,
        "designated_at": designation.designated_at if designation is not None else None,
    }


@bp.get("/raters")
def list_raters() -> Response:
    """The active employees with no superior in the caller's HR scope, by name, with their designations."""
    officials = top_officials(db_session(), current_hr_scope())
    return json_response({"items": [official_json(o) for o in officials]})


@bp.put("/raters/<id:employee_id>")
def put_rater(employee_id: int) -> Response:
    """Designate the rater (and optionally the reviewer) of an employee with no superior; replaces the last."""
    current_hr_scope()
    body = json_body("RaterDesignationSet")
    with unit_of_work() as session:
        designate_rater(session, current_actor(), employee_id, body["rater"], body.get("reviewer") or "",
                        body.get("basis") or "")
    return json_response(official_json(top_official(db_session(), employee_id)))


@bp.delete("/raters/<id:employee_id>")
def delete_rater(employee_id: int) -> Response:
    """Remove the designation: nobody holds the rater role for the employee again."""
    current_hr_scope()
    with unit_of_work() as session:
        clear_rater(session, current_actor(), employee_id)
    return Response(status=204)
