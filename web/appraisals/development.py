"""Development on the appraisal page: enrol in a recommended catalogue course with one action, change or
withdraw a planned activity, mark it done with its certificate, download the certificate
(engine.development.activities). A refused step shows the page again with the reason."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.development.activities import (
    certificate_file,
    complete_activity,
    enrol,
    update_activity,
    withdraw_activity,
)
from engine.errors import Forbidden, NotFound, SiklusError
from engine.evidence import MAX_EVIDENCE, Upload
from web.appraisals.common import bp
from web.appraisals.page import evidence_store, posted_jp, refused
from web.context import current_actor, db_session, unit_of_work
from web.inputs import query_id, send_stored


def _version() -> int | None:
    return query_id(request.form, "version")


def _back(appraisal_id: int, message: str, category: str = "success") -> Response:
    flash(message, category)
    return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="pengembangan"))


@bp.post("/penilaian/<id:appraisal_id>/pengembangan/daftar")
@login_required
def enrol_course(appraisal_id: int) -> Response | tuple[str, int]:
    """Enrol the employee in a recommended catalogue course."""
    try:
        with unit_of_work() as session:
            enrol(session, appraisal_id, current_actor(), request.form.get("course", ""), _version())
    except SiklusError as exc:
        return refused(appraisal_id, "development", exc)
    return _back(appraisal_id, _("Pegawai didaftarkan pada pelatihan."))


@bp.post("/penilaian/<id:appraisal_id>/pengembangan/<id:activity_id>/ubah")
@login_required
def update_activity_view(appraisal_id: int, activity_id: int) -> Response | tuple[str, int]:
    """Change a planned activity's title and JP."""
    title, jp_text = request.form.get("title", ""), request.form.get("jp", "")
    seen = _version()
    try:
        jp = posted_jp(appraisal_id, jp_text)
        with unit_of_work() as session:
            unchanged = update_activity(session, appraisal_id, activity_id, current_actor(), title, jp,
                                        seen).version == seen
    except SiklusError as exc:
        return refused(appraisal_id, "development", exc, {"title": title, "jp": jp_text})
    if unchanged:
        return _back(appraisal_id, _("Tidak ada perubahan pada kegiatan pengembangan; tidak ada yang disimpan."),
                     "info")
    return _back(appraisal_id, _("Kegiatan pengembangan diubah."))


@bp.post("/penilaian/<id:appraisal_id>/pengembangan/<id:activity_id>/batal")
@login_required
def withdraw_activity_view(appraisal_id: int, activity_id: int) -> Response | tuple[str, int]:
    """Withdraw a planned activity."""
    try:
        with unit_of_work() as session:
            withdraw_activity(session, appraisal_id, activity_id, current_actor(), _version())
    except SiklusError as exc:
        return refused(appraisal_id, "development", exc)
    return _back(appraisal_id, _("Kegiatan pengembangan dibatalkan."))


@bp.post("/penilaian/<id:appraisal_id>/pengembangan/<id:activity_id>/selesai")
@login_required
def complete_activity_view(appraisal_id: int, activity_id: int) -> Response | tuple[str, int]:
    """Mark a planned activity done, with its certificate."""
    file = request.files.get("certificate")
    upload = Upload(file.filename, file.stream.read(MAX_EVIDENCE + 1)) \
        if file is not None and file.filename else None
    try:
        with unit_of_work() as session:
            complete_activity(session, evidence_store(), appraisal_id, activity_id, current_actor(), upload,
                              _version())
    except SiklusError as exc:
        return refused(appraisal_id, "development", exc)
    return _back(appraisal_id, _("Kegiatan pengembangan selesai."))


@bp.get("/penilaian/<id:appraisal_id>/pengembangan/<id:activity_id>/sertifikat")
@login_required
def certificate(appraisal_id: int, activity_id: int) -> Response:
    """The certificate of a done activity, for whoever may open the appraisal."""
    try:
        found = certificate_file(db_session(), evidence_store(), current_actor(), appraisal_id, activity_id)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    return send_stored(found)
