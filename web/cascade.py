"""The cascade screens: a unit's RHK tree for its head and HR.

Also what the appraisal page, its PDF and the API show of the cascade: which leader's RHK each IKI
supports, the roll-up of the subordinate RHK with its arithmetic, and the ekspektasi khusus pimpinan
beside the behaviour rating form. Who may do what is the policy's (:mod:`engine.policy`); the numbers
are :mod:`engine.cascade`'s.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.cascade import RollUp, tree_units, unit_tree
from engine.detail import AppraisalDetail
from engine.errors import Forbidden, NotFound
from engine.expectations import rates_behaviour
from rules.terms import BERAKHLAK_KEYS
from web.context import current_policy, db_session
from web.errors import error_text
from web.filters import number
from web.inputs import query_text

bp = Blueprint("cascade", __name__)


def rollup_arithmetic(up: RollUp) -> str:
    """How a leader's RHK's achievement follows from the subordinate RHK that support it, in words."""
    if not up.terms:
        return _("Belum ada capaian dari %(n)d RHK bawahan.", n=up.waiting)
    terms = " + ".join(f"{number(t)}%" for t in up.terms)
    text = _("Rata-rata capaian %(n)d RHK bawahan: (%(terms)s) / %(n)d = %(mean)s%%", n=len(up.terms), terms=terms,
             mean=number(up.achievement))
    if up.waiting:
        text += " · " + _("%(n)d RHK bawahan belum ada capaian (tidak dihitung).", n=up.waiting)
    return text


def page_context(detail: AppraisalDetail) -> dict[str, Any]:
    """What the appraisal page shows of the cascade, and the leader's forms the viewer may use now."""
    can = detail.can_edit
    return {
        "cascade": detail.cascade,
        "team_skp": not can["skp"] and can["cascade"],
        "link_targets": detail.link_targets,
        "can_expect": can["expectation"],
        "behaviour_triggers": {a.available.transition.trigger for a in detail.actions
                               if rates_behaviour(a.available.transition)},
        "rollup_arithmetic": rollup_arithmetic,
    }


@bp.get("/pohon-rhk")
@login_required
def index() -> Response | str:
    """The units whose RHK tree the person may see: straight to it when there is one."""
    units = tree_units(db_session(), current_policy())
    if len(units) == 1:
        return redirect(url_for(".tree", unit_id=units[0][0]))
    return render_template("cascade/index.html", units=units)


@bp.get("/unit/<id:unit_id>/pohon-rhk")
@login_required
def tree(unit_id: int) -> tuple[str, int]:
    """A unit's RHK tree for a period: the head's RHK, what supports each, and the roll-up."""
    policy = current_policy()
    try:
        shown = unit_tree(db_session(), policy, unit_id, query_text(request.args, "periode"))
    except NotFound:
        abort(404)
    except Forbidden as exc:
        return render_template("errors/403.html", message=error_text(exc)), 403
    return render_template("cascade/tree.html", tree=shown, rollup_arithmetic=rollup_arithmetic,
                           values=BERAKHLAK_KEYS), 200
