"""HR screen for public complaints (pengaduan masyarakat): the cases of the units HR oversees, each
with its triage (verified against the employee concerned, unfounded, duplicate) and HR's reply.

Views parse input, call one engine service (engine.complaints) and render; every step is audited there.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from engine.complaints import COMPLAINT_STATUSES, MAX_TEXT, complaint_desk, reply_to_complaint, triage_complaint
from engine.errors import SiklusError
from engine.limits import parse_id
from web.context import current_actor as _actor
from web.context import db_session as _db
from web.context import unit_of_work
from web.errors import error_text
from web.hr.blueprint import bp

#: The statuses of a case, as HR reads them.
STATUS_LABELS = {
    "new": _l("Baru"), "verified": _l("Terbukti"), "unfounded": _l("Tidak terbukti"), "duplicate": _l("Duplikat"),
}


#: The fields of the triage and reply forms, given back as typed when a step is refused.
FIELDS = ("status", "pegawai", "duplikat_dari", "catatan", "jawaban")
#: How much of a posted text is read (more than the engine accepts, so that it is refused by its length).
POSTED_TEXT = MAX_TEXT + 1000


def _posted() -> dict[str, str]:
    return {name: request.form[name][:POSTED_TEXT] for name in FIELDS if name in request.form}


def _page(*, status: int = 200, error: str | None = None, failed: int | None = None) -> tuple[str, int]:
    shown = request.args.get("status", "")
    desk = complaint_desk(_db(), _actor(), status=shown if shown in COMPLAINT_STATUSES else None)
    return render_template("hr/complaints.html", desk=desk, labels=STATUS_LABELS, shown=shown, error=error,
                           failed=failed, typed=_posted() if failed is not None else {},
                           max_text=MAX_TEXT), status


@bp.get("/pengaduan")
def complaints() -> tuple[str, int]:
    """The public complaints of the units the HR officer oversees, newest first."""
    return _page()


@bp.post("/pengaduan/<id:complaint_id>/pilah")
def triage(complaint_id: int) -> Response | tuple[str, int]:
    """Triage one case: verified (with the employee concerned), unfounded or duplicate (of which case)."""
    try:
        with unit_of_work() as session:
            triage_complaint(session, _actor(), complaint_id, request.form.get("status", ""),
                             employee_id=parse_id(request.form.get("pegawai", "")),
                             duplicate_of_id=parse_id(request.form.get("duplikat_dari", "")),
                             note=request.form.get("catatan", "")[:POSTED_TEXT])
    except SiklusError as exc:
        return _page(status=exc.http_status, error=error_text(exc), failed=complaint_id)
    flash(_("Pengaduan #%(id)d dipilah.", id=complaint_id), "success")
    return redirect(url_for("hr.complaints"))


@bp.post("/pengaduan/<id:complaint_id>/jawab")
def reply(complaint_id: int) -> Response | tuple[str, int]:
    """HR's reply to a triaged case; it closes the case."""
    try:
        with unit_of_work() as session:
            reply_to_complaint(session, _actor(), complaint_id, request.form.get("jawaban", "")[:POSTED_TEXT])
    except SiklusError as exc:
        return _page(status=exc.http_status, error=error_text(exc), failed=complaint_id)
    flash(_("Pengaduan #%(id)d dijawab dan selesai.", id=complaint_id), "success")
    return redirect(url_for("hr.complaints"))
