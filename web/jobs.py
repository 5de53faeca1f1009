"""The page of a background job: how far it is (refreshing itself while it runs, no JavaScript needed)
and what became of each item; the person who asked for it (or an administrator) may open it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.bulk import BULK_INLINE_MAX
from engine.jobs import JobView, job_view
from engine.jobs.export import EXPORT_KIND, export_download, export_file
from engine.jobs.launch import LAUNCH_INLINE_MAX
from engine.jobs.verify import VERIFY_INLINE_MAX, VERIFY_KIND
from engine.messages import Message
from web.context import current_actor, db_session
from web.filters import current_language, localized
from web.inputs import content_disposition, query_id
from web.messages import message_text

bp = Blueprint("jobs", __name__, url_prefix="/pekerjaan")
# Seconds between refreshes of a job's page while it runs.
REFRESH = 2
PER_PAGE = 100


def bulk_inline_max() -> int:
    """Items a bulk action fires inside the request (SIKLUS_BULK_INLINE_MAX); more become a background job."""
    return int(current_app.config.get("SIKLUS_BULK_INLINE_MAX", BULK_INLINE_MAX))


def launch_inline_max() -> int:
    """Employees a launch starts inside the request (SIKLUS_LAUNCH_INLINE_MAX); more become a background job."""
    return int(current_app.config.get("SIKLUS_LAUNCH_INLINE_MAX", LAUNCH_INLINE_MAX))


def verify_inline_max() -> int:
    """Events the audit page's verification walks inside the request (SIKLUS_VERIFY_INLINE_MAX); more become a
    background job."""
    return int(current_app.config.get("SIKLUS_VERIFY_INLINE_MAX", VERIFY_INLINE_MAX))


def export_folder() -> Path:
    """Where the worker writes exports (SIKLUS_EXPORT_FOLDER, or ``ekspor`` in the instance folder)."""
    return Path(current_app.config.get("SIKLUS_EXPORT_FOLDER") or Path(current_app.instance_path) / "ekspor")


def download(job_id: int) -> Response:
    """The finished export's file, as an attachment, for whom the engine gives it; 404 before it exists."""
    found = export_download(db_session(), current_actor(), job_id)
    if found is None:
        abort(404)
    path, name, mimetype = found
    response = send_file(path, mimetype=mimetype, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


def item_detail(status: str, outcome: dict[str, Any]) -> str:
    """What became of one item, in the page's language, as the synchronous bulk page words it."""
    if status == "ok":
        if "intact" in outcome:
            return verify_outcome(outcome)
        if outcome.get("file") is not None:
            return _("Berkas siap: %(rows)d baris.", rows=outcome.get("rows", 0))
        if outcome.get("run_id") is not None:
            return _("Putaran #%(run)d dimulai: %(count)d penilaian dibuat, %(skipped)d pegawai dilewati.",
                     run=outcome["run_id"], count=outcome.get("started", 0), skipped=outcome.get("skipped", 0))
        detail = _("Kini pada tahap «%(state)s».", state=localized(outcome.get("to_state")))
        if outcome.get("warnings"):
            detail += " " + _("Perhatian: %(warning)s", warning="; ".join(localized(w) for w in outcome["warnings"]))
        return detail
    if status == "stale":
        return _("Sudah diubah orang lain sejak daftar dibuka; tidak diubah.")
    if status in ("pending", "running"):
        return ""
    error = outcome.get("error") or {}
    kept = Message.from_json(error["msg"]) if isinstance(error.get("msg"), dict) else None
    if kept is not None:
        return message_text(kept, current_language())
    if isinstance(error.get("text"), dict):
        return localized(error["text"])
    if error.get("errors"):
        return "; ".join(f"{e.get('path') or ''}: {e.get('message', '')}".strip(": ") for e in error["errors"])
    if error.get("reasons"):
        return _("Belum dapat dilakukan: %(reasons)s", reasons="; ".join(localized(r) for r in error["reasons"]))
    if error.get("code") == "forbidden":
        return _("Anda tidak berwenang melakukan tindakan ini (%(detail)s).", detail=error.get("message", ""))
    if status == "failed":
        return _("Gagal karena kesalahan sistem; tercatat di log server.")
    return str(error.get("message", ""))


def verify_outcome(outcome: dict[str, Any]) -> str:
    """A verification's outcome as the audit page words it (its findings are listed apart)."""
    if outcome.get("intact"):
        text = _("Rantai utuh: %(events)s peristiwa dalam %(streams)s rantai diperiksa, tidak ada yang diubah, "
                 "disisipkan atau dihapus.", events=outcome.get("events", 0), streams=outcome.get("streams", 0))
        if not outcome.get("every_unit"):
            text += " " + _("Yang diperiksa: rantai unit Anda, serta jawaban survei dan pengaduan masyarakat tentang "
                            "unit Anda. Struktur organisasi, cara masuk akun, dan jawaban survei dari sebelum jawaban "
                            "dicatat diperiksa oleh verifikasi seluruh unit: perintah siklus audit verify, atau SDM "
                            "seluruh unit di halaman ini.")
        return text
    return _("Rantai rusak: %(count)s masalah ditemukan (%(events)s peristiwa diperiksa). Laporkan kepada admin "
             "Siklus, yang dapat menampilkan setiap masalah dengan perintah siklus audit verify.",
             count=outcome.get("count", 0), events=outcome.get("events", 0))


def kept_findings(outcome: dict[str, Any]) -> list[str]:
    """The findings a verification job kept, in the page's language."""
    texts = []
    for kept in outcome.get("findings") or ():
        message = Message.from_json(kept) if isinstance(kept, dict) else None
        texts.append(message_text(message, current_language()) if message is not None else str(kept))
    return texts


def _title(view: JobView) -> str:
    params = view.job.params
    if view.job.kind == "bulk":
        return _("Tindakan massal: %(action)s", action=localized(params.get("label")))
    if view.job.kind == "launch":
        cycle = localized(params.get("cycle_title")) or params.get("cycle_id", "")  # jobs queued before titles
        return _("Peluncuran %(cycle)s untuk %(unit)s periode %(period)s", cycle=cycle,
                 unit=params.get("unit_name", ""), period=params.get("period", ""))
    if view.job.kind == EXPORT_KIND:
        return _("Ekspor hasil kinerja periode %(period)s", period=params.get("period", ""))
    if view.job.kind == VERIFY_KIND:
        return _("Verifikasi rantai audit")
    return _("Pekerjaan #%(id)d", id=view.job.id)


@bp.get("/<id:job_id>")
@login_required
def show(job_id: int) -> str:
    view = job_view(db_session(), current_actor(), job_id, page=query_id(request.args, "halaman") or 1,
                    per_page=PER_PAGE)
    items = [{"position": i.position, "ref": i.ref, "status": i.status, "name": i.outcome.get("name") or "",
              "detail": item_detail(i.status, dict(i.outcome)), "run_id": i.outcome.get("run_id")}
             for i in view.items]
    result = dict(view.job.result or {})
    verified = view.job.kind == VERIFY_KIND and view.job.status == "done" and "intact" in result
    return render_template("job.html", view=view, job=view.job, title=_title(view), items=items,
                           refresh=None if view.finished else REFRESH, file=export_file(view.job) is not None,
                           findings=kept_findings(result) if verified else [],
                           verify_text=verify_outcome(result) if verified else None,
                           verify=view.job.kind == VERIFY_KIND)


@bp.get("/<id:job_id>/berkas")
@login_required
def file(job_id: int) -> Response:
    """The file a finished export wrote, for the person who asked for it."""
    return download(job_id)
