"""HR screen for the calibration of a unit's predicates in a run against the distribution curve of its
organisation predicate (the HR screens for definitions are in :mod:`web.hr.definitions`, for launches and
runs in :mod:`web.hr.runs`, for the organisation predicate in :mod:`web.hr.unit_predicate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import render_template, request, url_for

from engine.calibration_guard import unit_predicate_labels
from engine.errors import Forbidden, InvalidInput
from engine.messages import Message
from engine.org_levels import is_within, unit_picker
from engine.registry import definition_of
from engine.unit_predicate import unit_calibration
from rules import EMPLOYEE_PREDICATE, labels_of
from web.context import current_hr_scope as _scope
from web.context import db_session as _db
from web.hr.blueprint import bp
from web.hr.runs import covered_run
from web.inputs import query_id, query_text

# -- calibration ------------------------------------------------------------------------------

@dataclass
class Bar:
    """One predicate in the distribution chart (geometry in the SVG's own units)."""

    label: str
    count: int
    percent: float
    y: int
    width: float
    limits: list[dict[str, Any]]


CHART_LEFT, CHART_WIDTH, CHART_ROW = 130, 170, 34


def _bars(counts: Mapping[str, int], total: int, limits: list[dict[str, Any]],
          violations: list[dict[str, Any]]) -> list[Bar]:
    """Bars per predicate with the percent bounds the curve sets on that predicate alone."""
    broken = {(tuple(v["predicates"]), v["limit"]) for v in violations}
    bars = []
    for index, label in enumerate(labels_of(EMPLOYEE_PREDICATE)):
        n = counts.get(label, 0)
        percent = n * 100 / total if total else 0.0
        marks = [{"x": CHART_LEFT + CHART_WIDTH * limit[kind] / 100, "kind": kind, "bound": limit[kind],
                  "broken": (tuple(limit["predicates"]), kind) in broken}
                 for limit in limits if limit["predicates"] == [label]
                 for kind in ("at_most_percent", "at_least_percent") if kind in limit]
        bars.append(Bar(label, n, percent, 10 + index * CHART_ROW, CHART_WIDTH * percent / 100, marks))
    return bars


@bp.get("/putaran/<id:run_id>/kalibrasi")
def calibration(run_id: int) -> str:
    """A unit's predicate distribution in a run against the curve of its recorded organisation predicate, or of
    a predicate chosen to see what if (labelled so); before ratings are confirmed as after."""
    run = covered_run(run_id)
    defn = definition_of(run.definition)
    scope = _scope()
    chosen_unit = query_id(request.args, "unit")
    if chosen_unit is None and request.args.get("unit"):
        # A unit the picker never offers is named as typed, not swapped for the run's own.
        raise InvalidInput(Message("predicate.unit", unit=request.args["unit"][:40], run=str(run.id)))
    unit_id = chosen_unit or run.unit_id
    if not (scope.covers(unit_id) and is_within(_db(), unit_id, [run.unit_id])):
        raise Forbidden(Message("progress.unit_outside"))
    ticked = request.args.getlist("sub")  # a hidden "0" comes first so an unticked box is told from no form
    with_subunits = "1" in ticked if ticked else True
    found = unit_calibration(_db(), run, unit_id, with_subunits, request.args.get("predikat_unit") or None,
                             request.args.get("periode") or None)
    picker = unit_picker(_db(), scope, unit_id, under=run.unit_id, query=query_text(request.args, "cari") or "")
    keep = {k: v for k, v in (("unit", str(unit_id)), ("periode", request.args.get("periode") or ""),
                              ("predikat_unit", request.args.get("predikat_unit") or "")) if v}

    def unit_url(unit: int | None) -> str:
        args: dict[str, Any] = {**keep, "unit": unit or run.unit_id}
        return url_for("hr.calibration", run_id=run.id, **args)

    context: dict[str, Any] = {"run": run, "defn": defn, "picker": picker, "unit_url": unit_url, "keep": keep,
                               "unit_id": unit_id, "sub": with_subunits,
                               "unit_predicates": unit_predicate_labels(defn), "unit_predicate": found.predicate or "",
                               "decision": found.decision, "what_if": found.what_if, "periods": found.periods,
                               "period": found.period,
                               "chart": {"left": CHART_LEFT, "width": CHART_WIDTH, "row": CHART_ROW}}
    if not found.result_names:
        return render_template("hr/calibration.html", no_predicate=True, **context)
    context.update(no_predicate=False, appraisals=found.appraisals, rated=found.rated, result_names=found.result_names)
    if found.outcome is None:
        return render_template("hr/calibration.html", outcome=None, rule_error=found.rule_error, **context)
    details = found.outcome.details or {}
    bars = _bars(details.get("counts", {}), details.get("employees", 0), found.limits, details.get("violations", []))
    return render_template("hr/calibration.html", outcome=found.outcome, details=details, bars=bars,
                           violations=details.get("violations", []), limits=found.limits, **context)


__all__ = ["bp"]
