"""HR screens for the organisation's predicate (predikat kinerja organisasi) of a run's units: the
decisions recorded for the run's period and the periods within it, with their history, the form that
records a new one with its penetapan PDF (offering only the units the reader may record, those below their
grant), and the penetapan served back to those allowed to see it.

Views parse input, call one engine service (engine.unit_predicate) and render.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engine.calibration_guard import unit_predicate_labels
from engine.errors import InvalidInput, SiklusError
from engine.limits import parse_id
from engine.messages import Message
from engine.unit_predicate import (
    PENETAPAN_FILE,
    Penetapan,
    penetapan_file,
    record_unit_predicate,
    run_decisions,
)
from web.context import current_actor as _actor
from web.context import db_session as _db
from web.context import unit_of_work
from web.errors import error_text
from web.hr.blueprint import bp
from web.inputs import content_disposition

FIELDS = ("unit", "periode", "predikat", "tanggal", "penetap")


def _storage() -> Path:
    """The folder evidence is kept in; penetapan files go under its ``penetapan/``."""
    return Path(current_app.config["UPLOAD_FOLDER"])


def _page(run_id: int, *, status: int = 200, form: dict[str, str] | None = None,
          form_error: str | None = None) -> tuple[str, int]:
    shown = run_decisions(_db(), _actor(), run_id)
    first = shown.recordable[0].id if shown.recordable else shown.run.unit_id
    chosen = shown.run.unit_id if any(u.id == shown.run.unit_id for u in shown.recordable) else first
    values = form or {"unit": str(chosen), "periode": shown.run.period}
    recordable = {u.id for u in shown.recordable}
    return render_template("hr/unit_predicate.html", run=shown.run, units=shown.units, recordable=shown.recordable,
                           not_recordable=[u for u in shown.units if u.id not in recordable],
                           decisions=shown.decisions,
                           standing=shown.standing, unit_predicates=unit_predicate_labels(), form=values,
                           form_error=form_error, max_mb=PENETAPAN_FILE.max_bytes // (1024 * 1024)), status


@bp.get("/putaran/<id:run_id>/predikat-unit")
def unit_predicates(run_id: int) -> tuple[str, int]:
    """The organisation predicates recorded for the run's units and periods, and the form for a new one."""
    return _page(run_id)


@bp.post("/putaran/<id:run_id>/predikat-unit")
def record_unit_predicate_view(run_id: int) -> Response | tuple[str, int]:
    """Record a unit's organisation predicate with its penetapan; a refusal shows the form again."""
    form = {name: request.form.get(name, "").strip() for name in FIELDS}
    upload = request.files.get("penetapan")
    try:
        if upload is None or not upload.filename:
            _missing_document()
        unit_id = parse_id(form["unit"])
        if unit_id is None:
            # A forged choice is named as typed (it read as unit #0).
            raise InvalidInput(Message("predicate.unit", unit=form["unit"][:40], run=str(run_id)))
        document = Penetapan(upload.filename or "", upload.stream.read(PENETAPAN_FILE.max_bytes + 1))
        with unit_of_work() as session:
            decision = record_unit_predicate(
                session, _actor(), run_id=run_id, unit_id=unit_id, period=form["periode"],
                predicate=form["predikat"], decided_on=form["tanggal"], decided_by=form["penetap"],
                document=document, storage=_storage())
    except SiklusError as exc:
        return _page(run_id, status=exc.http_status, form=form, form_error=error_text(exc))
    flash(_("Predikat kinerja organisasi %(unit)s periode %(period)s dicatat: %(predicate)s.",
            unit=decision.unit.name, period=decision.period, predicate=decision.predicate), "success")
    return redirect(url_for("hr.unit_predicates", run_id=run_id))


def _missing_document() -> NoReturn:
    """The penetapan is part of the decision: without it nothing is recorded."""
    raise InvalidInput("attach the penetapan (the signed decision, a PDF)", msg=Message("form.penetapan"))


@bp.get("/predikat-unit/<id:decision_id>/penetapan")
def penetapan(decision_id: int) -> Response:
    """The penetapan PDF of a decision, for HR of the unit or the official authorised for it."""
    path, name = penetapan_file(_db(), _actor(), decision_id, _storage())
    response = send_file(path, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


__all__ = ["penetapan", "record_unit_predicate_view", "unit_predicates"]
