"""The audit log for HR: events of the units they oversee, filtered, page by page, as JSON or CSV."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, request
from sqlalchemy import select

from engine.access import audit_units
from engine.models import AuditEvent
from engine.runs import find_unit, unit_and_descendants
from engine.tables import csv_line
from web.api import bp
from web.api.core import BadRequest, actor, decode_cursor, encode_cursor, int_arg, json_response, session, text_arg
from web.inputs import content_disposition

MAX_JSON = 500
MAX_CSV = 10000
CSV_COLUMNS = ("id", "stream", "seq", "occurred_at", "kind", "actor", "role", "appraisal_id", "employee_id",
               "unit_id", "trigger", "from_state", "to_state", "payload", "hash", "prev_hash")


def _moment(name: str) -> datetime | None:
    raw = text_arg(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"query parameter '{name}' must be a date or date-time like 2026-01-31 or "
                         f"2026-01-31T08:00:00+07:00, not '{raw}'") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def event_json(e: AuditEvent) -> dict[str, Any]:
    return {"id": e.id, "stream": e.stream, "seq": e.seq, "occurred_at": e.occurred_at, "kind": e.kind,
            "actor": e.actor_name, "role": e.role, "appraisal_id": e.appraisal_id, "employee_id": e.employee_id,
            "unit_id": e.unit_id, "trigger": e.trigger, "from_state": e.from_state, "to_state": e.to_state,
            "payload": e.payload or {}, "hash": e.hash, "prev_hash": e.prev_hash}


@bp.get("/audit/events")
def audit_events() -> Response:
    """Audit events the caller may read as HR, oldest first; ``format=csv`` for a spreadsheet."""
    scope = audit_units(session(), actor())
    fmt = text_arg("format") or "json"
    if fmt not in ("json", "csv"):
        raise BadRequest(f"format must be json or csv, not '{fmt}'")
    limit = int_arg("limit", 100 if fmt == "json" else 1000, 1, MAX_JSON if fmt == "json" else MAX_CSV) or 100
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if not scope.every_unit:
        stmt = stmt.where(AuditEvent.unit_id.in_(scope.unit_ids))
    after = decode_cursor(text_arg("cursor"))
    if after is not None:
        stmt = stmt.where(AuditEvent.id > after)
    appraisal_id = int_arg("appraisal_id")
    if appraisal_id is not None:
        stmt = stmt.where(AuditEvent.appraisal_id == appraisal_id)
    for name in ("kind", "trigger"):
        value = text_arg(name)
        if value:
            stmt = stmt.where(getattr(AuditEvent, name) == value)
    acting, unit_code = text_arg("actor"), text_arg("unit")
    if acting:
        stmt = stmt.where(AuditEvent.actor_name == acting)
    if unit_code:
        stmt = stmt.where(AuditEvent.unit_id.in_(unit_and_descendants(session(), find_unit(session(), unit_code).id)))
    since, until = _moment("since"), _moment("until")
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < until)
    rows = list(session().scalars(stmt.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].id) if more and rows else None
    if fmt == "json":
        return json_response({"items": [event_json(e) for e in rows], "next_cursor": next_cursor})
    lines = [csv_line(CSV_COLUMNS)]
    for e in rows:
        data = event_json(e)
        data["occurred_at"] = e.occurred_at.isoformat()
        data["payload"] = json.dumps(e.payload or {}, ensure_ascii=False, sort_keys=True)
        lines.append(csv_line(data[c] for c in CSV_COLUMNS))
    response = current_app.response_class("".join(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = content_disposition("audit-events.csv")
    if next_cursor:
        query = {k: v for k, v in request.args.items() if k != "cursor"}
        response.headers["Link"] = f'<{request.path}?{urlencode({**query, "cursor": next_cursor})}>; rel="next"'
    return response
