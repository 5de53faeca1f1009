"""Organisation import (CSV or XLSX of units and employees) and the results export in the e-Kinerja
predicate list's shape, for HR: the same services as ``siklus import`` and ``siklus export-results``."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response, current_app, request, stream_with_context

from engine.access import require_hr
from engine.errors import InvalidInput
from engine.export import iter_results, results_csv_stream, results_rows, results_xlsx_stream
from engine.messages import Message
from engine.orgimport import import_org
from web.api.blueprint import bp
from web.api.core import BadRequest, bool_arg, json_response, text_arg
from web.context import current_actor, db_session, unit_of_work
from web.inputs import content_disposition
from web.messages import coded_json

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.post("/org/import")
def import_organisation() -> Response:
    """Upsert units and employees from an uploaded file; nothing is written when any row is wrong."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest(Message("api.file_required"))
    dry_run = bool_arg("dry_run")
    with unit_of_work() as session:
        report = import_org(session, upload.read(), upload.filename, current_actor(), dry_run=dry_run)
    if not report.ok:
        raise InvalidInput(
            f"{report.filename} was not imported: {len(report.errors)} problem(s), "
            "each listed in 'errors' with its row",
            msg=Message("org.rejected", file=report.filename, count=len(report.errors)),
            rows=[{"row": e.row, "column": e.column, "message": e.message, **coded_json(e.msg)}
                  for e in report.errors])
    return json_response({
        "filename": report.filename, "dry_run": report.dry_run, "rows": report.rows,
        "units_created": report.units_created, "units_updated": report.units_updated,
        "employees_created": report.employees_created, "employees_updated": report.employees_updated,
        "unchanged": report.unchanged, "designations_set": report.designations_set,
        "designations_cleared": report.designations_cleared,
    })


@bp.get("/results")
def export_results() -> Response:
    """Results of one period per employee (NIP, name, unit, period, ratings, predicate) as JSON, CSV or XLSX."""
    period = text_arg("period")
    if not period:
        raise BadRequest(Message("api.period_required"))
    fmt = text_arg("format") or "json"
    if fmt not in ("json", "csv", "xlsx"):
        raise BadRequest(f"format must be json, csv or xlsx, not '{fmt}'",
                         msg=Message("api.format", formats=["json", "csv", "xlsx"], value=fmt[:40]))
    scope = require_hr(db_session(), current_actor())
    if fmt == "json":
        rows = results_rows(db_session(), period=period, scope=scope, cycle_id=text_arg("cycle_id"))
        return json_response({"period": period, "items": rows})
    name = f"hasil-kinerja-{period}.{fmt}"
    cycle_id = text_arg("cycle_id")

    def found() -> Iterator[dict[str, str]]:
        # The session is reached while the response streams: the view's own is closed once it returns.
        yield from iter_results(db_session(), period=period, scope=scope, cycle_id=cycle_id)

    body, mimetype = ((results_csv_stream(found()), "text/csv") if fmt == "csv"
                      else (results_xlsx_stream(found()), XLSX))
    response = current_app.response_class(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response
