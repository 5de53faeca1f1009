"""Appraisals: the filtered listing, one appraisal with everything a client needs, firing a
transition, the SKP's indicator targets, realisations and 360 feedback.

Reading goes through :func:`engine.access.open_appraisal` and writing through the engine's services,
exactly as the screens do, so the API answers as the screens do for the same person.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from sqlalchemy import select

from engine.access import AppraisalFilter, OpenedAppraisal, list_appraisals, open_appraisal
from engine.appraisals import (
    available_transitions,
    fire_transition,
    record_realisation,
    set_skp,
    window_closes_at,
)
from engine.definition import Text
from engine.feedback import give_feedback, is_anonymous_answer
from engine.insight import indicator_achievements
from engine.models import AuditEvent, Indicator, Realisation, Result
from engine.provenance import realisation_provenance, system_provenance, target_provenance
from engine.runs import find_unit, unit_and_descendants
from web.api import bp
from web.api.checkpoints import timeline_json
from web.api.core import (
    actor,
    bool_arg,
    decode_cursor,
    encode_cursor,
    int_arg,
    json_body,
    json_response,
    session,
    text_arg,
)

MAX_LIMIT = 200


def _text(value: Text | None) -> dict[str, str] | None:
    return value.as_dict() if value is not None else None


def summary_json(opened: OpenedAppraisal) -> dict[str, Any]:
    """An appraisal as a listing shows it."""
    a, defn = opened.appraisal, opened.defn
    state = defn.states.get(a.state)
    return {
        "id": a.id, "version": a.version,
        "state": a.state, "state_label": _text(state.label) if state else None,
        "final": bool(state and state.final),
        "cycle": {"id": defn.id, "version": defn.version, "definition_id": a.definition_id, "title": _text(defn.title)},
        "run": {"id": a.run_id, "period": a.run.period},
        "employee": {"id": a.employee.id, "nip": a.employee.nip, "name": a.employee.name,
                     "position": a.employee.position, "unit": a.employee.unit.code},
        "entered_at": a.entered_at, "due_at": a.due_at,
        "my_roles": opened.roles, "hr": opened.is_hr, "closed": closed_json(a),
    }


def closed_json(a: Any) -> dict[str, Any] | None:
    """Whether and why an appraisal was closed (the employee left or moved), or None."""
    if a.closed_at is None:
        return None
    return {"at": a.closed_at, "kind": a.closed_kind, "reason": a.closed_reason}


def _indicators(opened: OpenedAppraisal) -> list[dict[str, Any]]:
    """The SKP's IKI; each target and realisation says who or what supplied it (``supplied_by``).

    A value the system feeds (the unit's IKM) is the indicator's only realisation, with
    ``supplied_by.source`` naming the source; typed rows never stand beside it.
    """
    a, defn = opened.appraisal, opened.defn
    db = session()
    stored = list(db.scalars(select(Realisation).where(Realisation.appraisal_id == a.id).order_by(Realisation.id)))
    supplied = realisation_provenance(db, defn, stored)
    history: dict[str, list[dict[str, Any]]] = {}
    for r in stored:
        history.setdefault(r.indicator_key, []).append({
            "value": r.value, "note": r.note, "recorded_at": r.recorded_at,
            "supplied_by": supplied[r.id].as_json(),
            "evidence": None if not r.evidence_name else {
                "name": r.evidence_name, "sha256": r.evidence_sha256, "size": r.evidence_size,
                "content_type": r.evidence_type}})
    achievements, fed_values = {}, {}
    for name, value, details in db.execute(select(Result.name, Result.value, Result.details).where(
            Result.appraisal_id == a.id, Result.name.like("iki.%"))):
        achievements[name.removeprefix("iki.")] = value
        if isinstance(details, dict) and "source" in details:
            fed_values[name.removeprefix("iki.")] = details.get("realisation")
    own = list(db.scalars(select(Indicator).where(Indicator.appraisal_id == a.id)
                          .order_by(Indicator.position, Indicator.id))) if defn.skp.employee_indicators else []
    targets = target_provenance(db, defn, own)
    rows: list[dict[str, Any]] = [
        {"key": i.id, "label": i.label.id, "rhk": "", "parent_rhk": None, "aspect": i.aspect, "target": i.target,
         "unit": i.unit, "weight": i.weight, "fixed": True, "_system": system_provenance(i)}
        for i in defn.indicators
    ]
    rows += [{"key": i.key, "label": i.label, "rhk": i.rhk, "parent_rhk": i.parent_rhk, "aspect": i.aspect,
              "target": i.target, "unit": i.unit, "weight": i.weight, "fixed": False, "_system": None}
             for i in own]
    fed = {r["key"] for r in rows if r["_system"] is not None} - set(fed_values)
    live = {x.key: x.realisation for x in indicator_achievements(db, a)} if fed else {}
    for row in rows:
        system = row.pop("_system")
        row["target_supplied_by"] = targets[row["key"]].as_json()
        if system is not None:
            row["realisations"] = []  # once rated, the value the rating used; until then the source's now
            row["realisation"] = fed_values[row["key"]] if row["key"] in fed_values else live.get(row["key"])
            row["realisation_supplied_by"] = system.as_json()
        else:
            row["realisations"] = history.get(row["key"], [])
            row["realisation"] = row["realisations"][-1]["value"] if row["realisations"] else None
            row["realisation_supplied_by"] = row["realisations"][-1]["supplied_by"] if row["realisations"] else None
        row["achievement"] = achievements.get(row["key"])
    return rows


def _results(opened: OpenedAppraisal) -> list[dict[str, Any]]:
    """The cycle's results in its order, with explanations; hidden ones not to the appraised employee."""
    a, defn = opened.appraisal, opened.defn
    stored = {r.name: r for r in session().scalars(select(Result).where(Result.appraisal_id == a.id))}
    out = []
    for name, spec in defn.results.items():
        row = stored.get(name)
        if row is None or not opened.policy.can_see(defn, a, name):
            continue
        out.append({"name": name, "label": _text(spec.label), "value": row.value,
                    "explanation": row.explanation or {}, "missing": row.missing or [],
                    "computed_at": row.computed_at})
    return out


def _history(opened: OpenedAppraisal) -> list[dict[str, Any]]:
    events = session().scalars(select(AuditEvent).where(AuditEvent.appraisal_id == opened.appraisal.id)
                               .order_by(AuditEvent.seq))
    # An anonymous answer is never listed: its time beside the aggregate would point at its respondent.
    return [{"seq": e.seq, "occurred_at": e.occurred_at, "kind": e.kind, "actor": e.actor_name, "role": e.role,
             "trigger": e.trigger, "from_state": e.from_state, "to_state": e.to_state, "payload": e.payload or {}}
            for e in events if not is_anonymous_answer(e)]


def detail_json(opened: OpenedAppraisal) -> dict[str, Any]:
    """One appraisal: state, the triggers the caller may fire now, indicators, results, history."""
    a = opened.appraisal
    triggers = [{"trigger": t.transition.trigger, "label": _text(t.transition.label), "role": t.role,
                 "dest": t.transition.dest, "payload_schema": dict(t.transition.payload_schema or {}) or None,
                 "window_closes_at": window_closes_at(a, t.transition)}
                for t in available_transitions(session(), a, actor(), opened.policy)]
    edits = [kind for kind in ("skp", "realisation", "feedback", "development")
             if opened.policy.can_edit(opened.defn, a, kind)]
    return {**summary_json(opened), "triggers": triggers, "can_edit": edits,
            "indicators": _indicators(opened), "results": _results(opened), "history": _history(opened),
            "checkpoints": timeline_json(opened)}


def _opened(appraisal_id: int) -> OpenedAppraisal:
    session().rollback()  # read fresh: the engine's writes ran in their own unit of work
    return open_appraisal(session(), actor(), appraisal_id)


@bp.get("/appraisals")
def list_() -> Response:
    """Appraisals the caller may open, by id, with filters and cursor pagination."""
    unit_code = text_arg("unit")
    unit_ids = tuple(unit_and_descendants(session(), find_unit(session(), unit_code).id)) if unit_code else None
    filters = AppraisalFilter(
        state=text_arg("state"), cycle_id=text_arg("cycle_id"),
        period=text_arg("period"), unit_ids=unit_ids, nip=text_arg("nip"),
        waiting_for_me=bool_arg("waiting_for_me"),
    )
    limit = int_arg("limit", 50, 1, MAX_LIMIT) or 50
    page = list_appraisals(session(), actor(), filters, after_id=decode_cursor(text_arg("cursor")), limit=limit)
    return json_response({"items": [summary_json(o) for o in page.items], "next_cursor": encode_cursor(page.after_id)})


@bp.get("/appraisals/<id:appraisal_id>")
def show(appraisal_id: int) -> Response:
    return json_response(detail_json(_opened(appraisal_id)))


@bp.post("/appraisals/<id:appraisal_id>/transitions")
def fire(appraisal_id: int) -> Response:
    """Fire a trigger with its payload, as of the version the caller saw (409 when it moved on)."""
    body = json_body("FireRequest")
    open_appraisal(session(), actor(), appraisal_id)
    session().rollback()
    outcome = fire_transition(session(), appraisal_id, body["trigger"], actor(), body.get("payload") or {},
                              expected_version=body["version"])
    return json_response({
        "appraisal_id": outcome.appraisal_id, "trigger": outcome.trigger, "from_state": outcome.from_state,
        "to_state": outcome.to_state, "role": outcome.role, "version": outcome.version,
        "event_id": outcome.event_id, "results": outcome.results, "warnings": outcome.warnings,
    })


@bp.put("/appraisals/<id:appraisal_id>/indicators")
def put_indicators(appraisal_id: int) -> Response:
    """Replace the employee's own IKI (targets, weights) while the SKP may be edited."""
    body = json_body("IndicatorsUpdate")
    open_appraisal(session(), actor(), appraisal_id)
    session().rollback()
    set_skp(session(), appraisal_id, actor(), body["items"], expected_version=body.get("version"))
    return json_response(detail_json(_opened(appraisal_id)))


@bp.post("/appraisals/<id:appraisal_id>/realisations")
def post_realisation(appraisal_id: int) -> Response:
    """Record an achieved value for an indicator."""
    body = json_body("RealisationCreate")
    open_appraisal(session(), actor(), appraisal_id)
    session().rollback()
    record_realisation(session(), appraisal_id, actor(), body["indicator"], body["value"],
                       note=(body.get("note") or "").strip(), expected_version=body.get("version"))
    return json_response(detail_json(_opened(appraisal_id)), 201)


@bp.post("/appraisals/<id:appraisal_id>/feedback")
def post_feedback(appraisal_id: int) -> Response:
    """Give feedback in a window open in the appraisal's state: 201 for a first answer, 200 when it
    replaced the caller's earlier answer (the same service and checks as the screen's form)."""
    body = json_body("FeedbackCreate")
    open_appraisal(session(), actor(), appraisal_id)
    session().rollback()
    given = give_feedback(session(), appraisal_id, actor(), body["window"], body["answers"], body.get("comment"))
    response = given.response
    return json_response({"id": response.id, "window": response.window, "role": response.role,
                          "created_at": response.created_at, "replaced": given.replaced},
                         200 if given.replaced else 201)
