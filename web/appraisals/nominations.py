"""The nominated 360 respondents of an appraisal (``/penilaian/<id>/responden``): the employee proposes
colleagues of the same agency, the rater approves or declines each (engine.nominations)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.errors import Forbidden, NotFound, SiklusError
from engine.nominations import decide_nomination, decision_of, nominations_of, propose_nominee
from web.appraisals.common import bp
from web.context import current_actor, db_session, unit_of_work
from web.errors import error_text

STATUS_LABELS = {"proposed": _l("Diusulkan"), "approved": _l("Disetujui"), "declined": _l("Ditolak")}


def _page(appraisal_id: int, *, status: int = 200, error: str | None = None,
          values: dict[str, str] | None = None) -> tuple[str, int]:
    try:
        shown = nominations_of(db_session(), current_actor(), appraisal_id)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    return render_template("appraisal/nominations.html", shown=shown, labels=STATUS_LABELS, error=error,
                           values=values or {}), status


@bp.get("/penilaian/<id:appraisal_id>/responden")
@login_required
def nominations(appraisal_id: int) -> tuple[str, int]:
    """The respondents nominated for the appraisal's 360, with the forms the person may use."""
    return _page(appraisal_id)


@bp.post("/penilaian/<id:appraisal_id>/responden")
@login_required
def propose(appraisal_id: int) -> Response | tuple[str, int]:
    """The employee proposes a colleague by NIP for one of the cycle's nominated roles."""
    values = {"peran": request.form.get("peran", "")[:64], "nip": request.form.get("nip", "")[:40]}
    try:
        with unit_of_work() as session:
            propose_nominee(session, current_actor(), appraisal_id, values["peran"], values["nip"])
    except SiklusError as exc:
        return _page(appraisal_id, status=exc.http_status, error=error_text(exc), values=values)
    flash(_("Usulan responden dikirim ke pejabat penilai."), "success")
    return redirect(url_for("appraisals.nominations", appraisal_id=appraisal_id))


@bp.post("/penilaian/<id:appraisal_id>/responden/<id:nomination_id>")
@login_required
def decide(appraisal_id: int, nomination_id: int) -> Response | tuple[str, int]:
    """The rater approves (``keputusan=setuju``) or declines a proposed respondent."""
    try:
        approve = decision_of(request.form.get("keputusan"))
        with unit_of_work() as session:
            decide_nomination(session, current_actor(), nomination_id, approve, appraisal_id=appraisal_id)
    except SiklusError as exc:
        return _page(appraisal_id, status=exc.http_status, error=error_text(exc))
    flash(_("Keputusan atas usulan responden dicatat."), "success")
    return redirect(url_for("appraisals.nominations", appraisal_id=appraisal_id))
