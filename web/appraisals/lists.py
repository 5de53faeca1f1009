"""The lists of appraisals: home (mine, what waits for me, HR's summary), my team, and bulk action
(one trigger fired for many appraisals at once)."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.bulk import (
    BULK_MAX,
    BulkChoice,
    BulkItem,
    NotInBulk,
    bulk_choice,
    enqueue_bulk,
    everyone_waiting,
    fire_in_bulk,
)
from engine.errors import InvalidPayload
from engine.home import home as home_of
from engine.home import team as team_of
from engine.limits import parse_id
from web.appraisals.common import bp
from web.appraisals.page import CONFIRM_FIELD
from web.appraisals.present import EDITS
from web.context import current_actor, db_session, unit_of_work
from web.errors import error_text
from web.filters import localized
from web.jobs import bulk_inline_max


@bp.get("/")
@login_required
def home() -> str:
    page = home_of(db_session(), current_actor())
    mine = [{"appraisal": m.appraisal, "defn": m.defn, "actions": m.actions,
             "edits": [(EDITS[k][0], str(EDITS[k][1])) for k in m.edits],
             "predicate": None if m.predicate is None else {"label": localized(m.predicate.label),
                                                            "value": m.predicate.value}} for m in page.mine]
    summary = None if page.hr_summary is None else [
        (f"{localized(c.title)} · {_('versi')} {c.version}",
         [{"state": localized(s.state), "count": s.count, "overdue": s.overdue} for s in c.states])
        for c in page.hr_summary]
    return render_template("home.html", mine=mine, waiting=page.waiting, more=page.more_waiting,
                           has_employee=page.has_employee, summary=summary, has_team=page.has_team,
                           to_give=page.to_give)


@bp.get("/tim")
@login_required
def team() -> str:
    actor = current_actor()
    return render_template("team.html", members=team_of(db_session(), actor),
                           has_employee=actor.employee_id is not None)


# -- bulk: one trigger for many appraisals ---------------------------------------------------------

def _groups(choice: BulkChoice) -> list[dict[str, Any]]:
    """The bulk-fireable triggers by label in the page's language, each with its waiting appraisals."""
    groups = [{"trigger": g.trigger, "label": localized(g.label), "comment_key": g.shape.comment_key,
               "comment_required": g.shape.comment_required, "rows": g.rows,
               "irreversible": g.irreversible} for g in choice.groups]
    return sorted(groups, key=lambda g: g["label"])


def _render_bulk(trigger: str | None, checked: set[int] | None = None, comment: str = "",
                 message: str = "", status: int = 200, choice: BulkChoice | None = None) -> tuple[str, int]:
    choice = choice or bulk_choice(db_session(), current_actor())
    groups = _groups(choice)
    chosen = next((gr for gr in groups if gr["trigger"] == trigger), groups[0] if len(groups) == 1 else None)
    return render_template("bulk.html", groups=groups, manual=sorted(localized(m) for m in choice.manual),
                           more=choice.more, chosen=chosen, checked=checked or set(), comment=comment,
                           message=message, results=None), status


@bp.get("/penilaian/massal")
@login_required
def bulk() -> tuple[str, int]:
    return _render_bulk(request.args.get("aksi"))


def _posted_items() -> list[tuple[int, int]]:
    """The selected appraisals as (id, version shown), from checkboxes valued "<id>:<version>"."""
    items = []
    for raw in request.form.getlist("pilih"):
        appraisal_id, _sep, version = raw.partition(":")
        found, seen = parse_id(appraisal_id), parse_id(version)
        if found is not None and seen is not None:
            items.append((found, seen))
    return list(dict.fromkeys(items))


def _item_row(item: BulkItem) -> dict[str, Any]:
    """One line of the batch's outcome: the new state, or why the appraisal was left alone."""
    if item.outcome == "ok":
        detail = localized(item.to_state)
        if item.warnings:
            warning = "; ".join(localized(w) for w in item.warnings)
            detail = f"{detail}. " + _("Perhatian: %(warning)s", warning=warning)
    elif item.outcome == "stale":
        detail = _("Sudah diubah orang lain sejak daftar dibuka; tidak diubah.")
    elif isinstance(item.error, InvalidPayload):
        joined = "; ".join(f"{e.get('path') or ''}: {e.get('message', '')}".strip(": ") for e in item.error.errors)
        detail = joined or error_text(item.error)
    else:
        detail = error_text(item.error) if item.error is not None else ""
    return {"appraisal_id": item.appraisal_id, "name": item.name, "outcome": item.outcome, "detail": detail}


@bp.post("/penilaian/massal")
@login_required
def bulk_fire() -> Response | tuple[str, int]:
    trigger = request.form.get("aksi", "")
    items = _posted_items()
    comment = request.form.get("komentar", "").strip()
    confirmed = request.form.get(CONFIRM_FIELD) == "1"
    if "pilih_semua" in request.form or "kosongkan" in request.form:
        choice = bulk_choice(db_session(), current_actor())
        everyone = everyone_waiting(choice, trigger) if "pilih_semua" in request.form else set()
        return _render_bulk(trigger, everyone, comment, choice=choice)
    try:
        if len(items) > bulk_inline_max():
            with unit_of_work() as session:
                job = enqueue_bulk(session, current_actor(), trigger, items, comment, confirmed=confirmed)
            return redirect(url_for("jobs.show", job_id=job.id), 303)
        with unit_of_work() as session:  # each item is its own unit of work in the engine
            batch = fire_in_bulk(session, current_actor(), trigger, items, comment, confirmed=confirmed)
    except NotInBulk as exc:
        kept = {aid for aid, _v in items} if len(items) <= BULK_MAX else set()
        return _render_bulk(trigger, kept, comment, error_text(exc), exc.http_status)
    results = [_item_row(item) for item in batch.items]
    counts = {k: batch.count(k) for k in ("ok", "stale", "refused")}
    return render_template("bulk.html", groups=[], manual=[], more=False, chosen=None, checked=set(),
                           comment=comment, message="", results=results, counts=counts,
                           trigger_label=localized(batch.label)), 200
