"""The audit log for HR: events of the units they oversee, filtered, page by page, as JSON or CSV."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, request

from engine.access import audit_units
from engine.audit_search import events_in_order
from engine.messages import Message
from engine.models import AuditEvent
from engine.runs import find_unit
from engine.tables import csv_line
from web.api.blueprint import bp
from web.api.core import BadRequest, decode_cursor, encode_cursor, int_arg, json_response, text_arg
from web.context import current_actor, db_session
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
                         f"2026-01-31T08:00:00+07:00, not '{raw[:40]}'",
                         msg=Message("api.date_arg", name=name, value=raw[:40])) from None
    try:  # the moment as stored (UTC): year 1 at +14:00 falls before the first moment a datetime holds
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError:
        raise BadRequest(f"query parameter '{name}' is outside the years 1 to 9999 in UTC: '{raw[:40]}'",
                         msg=Message("api.date_range", name=name, value=raw[:40])) from None


def event_json(e: AuditEvent) -> dict[str, Any]:
    return {"id": e.id, "stream": e.stream, "seq": e.seq, "occurred_at": e.occurred_at, "kind": e.kind,
            "actor": e.actor_name, "role": e.role, "appraisal_id": e.appraisal_id, "employee_id": e.employee_id,
            "unit_id": e.unit_id, "trigger": e.trigger, "from_state": e.from_state, "to_state": e.to_state,
            "payload": e.payload or {}, "hash": e.hash, "prev_hash": e.prev_hash}


@bp.get("/audit/events")
def audit_events() -> Response:
    """Audit events the caller may read as HR, oldest first; ``format=csv`` for a spreadsheet."""
    scope = audit_units(db_session(), current_actor())
    fmt = text_arg("format") or "json"
    if fmt not in ("json", "csv"):
        raise BadRequest(f"format must be json or csv, not '{fmt}'",
                         msg=Message("api.format", formats=["json", "csv"], value=fmt[:40]))
    limit = int_arg("limit", 100 if fmt == "json" else 1000, 1, MAX_JSON if fmt == "json" else MAX_CSV) or 100
    unit_code = text_arg("unit")
    rows, more = events_in_order(
        db_session(), scope, after_id=decode_cursor(text_arg("cursor")), appraisal_id=int_arg("appraisal_id"),
        kind=text_arg("kind") or "", trigger=text_arg("trigger") or "", actor_name=text_arg("actor") or "",
        unit_id=find_unit(db_session(), unit_code).id if unit_code else None,
        since=_moment("since"), before=_moment("until"), limit=limit)
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
