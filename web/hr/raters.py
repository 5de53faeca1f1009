"""HR screen: who rates the employees at the top of the organisation (no superior in Siklus).

Lists the active employees of the officer's units who have no supervisor, with the account designated as
their pejabat penilai (and atasan pejabat penilai), and lets HR set or clear it; :mod:`engine.raters`
decides who may and records each change in the audit chain.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.errors import SiklusError
from engine.raters import clear_rater, designate_rater, top_officials
from web.context import current_actor as _actor
from web.context import current_hr_scope as _scope
from web.context import db_session as _db
from web.context import unit_of_work
from web.errors import error_text
from web.hr.blueprint import bp

FIELDS = ("penilai", "atasan", "dasar")


def _page(status: int = 200, *, error: str | None = None, failed: int | None = None,
          form: dict[str, str] | None = None) -> tuple[str, int]:
    """The list of top officials; a refused form comes back with what HR typed and the reason beside it."""
    officials = top_officials(_db(), _scope())
    if failed not in {o.employee.id for o in officials}:
        failed = None  # an employee the page does not list: the reason goes above the list
    return render_template("hr/raters.html", officials=officials, error=error, failed=failed,
                           form=form or {}), status


@bp.get("/penilai")
@login_required
def raters() -> tuple[str, int]:
    return _page()


@bp.post("/penilai/<id:employee_id>")
@login_required
def rater_set(employee_id: int) -> Response | tuple[str, int]:
    """Designate the typed accounts as the employee's rater and (optionally) reviewer."""
    _scope()
    form = {name: (request.form.get(name) or "").strip()[:300] for name in FIELDS}
    try:
        with unit_of_work() as work:
            designate_rater(work, _actor(), employee_id, form["penilai"], form["atasan"], form["dasar"])
    except SiklusError as exc:
        return _page(exc.http_status, error=_("Tidak disimpan: %(reason)s", reason=error_text(exc)),
                     failed=employee_id, form=form)
    flash(_("Pejabat penilai disimpan."), "success")
    return redirect(url_for("hr.raters") + f"#pegawai-{employee_id}")


@bp.post("/penilai/<id:employee_id>/hapus")
@login_required
def rater_clear(employee_id: int) -> Response | tuple[str, int]:
    """Remove the designation: the employee has no one in the rater role again."""
    _scope()
    try:
        with unit_of_work() as work:
            clear_rater(work, _actor(), employee_id)
    except SiklusError as exc:
        return _page(exc.http_status, error=_("Tidak dihapus: %(reason)s", reason=error_text(exc)),
                     failed=employee_id)
    flash(_("Penunjukan pejabat penilai dihapus."), "success")
    return redirect(url_for("hr.raters") + f"#pegawai-{employee_id}")
