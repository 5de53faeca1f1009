"""Appraisals: the filtered listing, one appraisal with everything a client needs, firing a
transition, the SKP's indicator targets, realisations and 360 feedback.

One appraisal is the read model :func:`engine.detail.appraisal_detail` as JSON, and writing goes through
the engine's services, exactly as the screens do, so the API answers as the screens do for the same person.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from engine.access import AppraisalFilter, OpenedAppraisal, list_appraisals, open_appraisal, open_for_feedback
from engine.appraisals import fire_transition, record_realisation, set_skp, set_team_skp
from engine.definition import Text
from engine.detail import AppraisalDetail, StoredEvidence, appraisal_detail
from engine.expectations import set_expectations
from engine.feedback import give_feedback
from engine.org import unit_and_descendants
from engine.runs import find_unit
from web.api.blueprint import bp
from web.api.cascade import cascade_json
from web.api.core import bool_arg, decode_cursor, encode_cursor, int_arg, json_body, json_response, text_arg
from web.api.development import development_json
from web.context import current_actor, db_session, unit_of_work

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


def _evidence_json(evidence: StoredEvidence | None) -> dict[str, Any] | None:
    if evidence is None:
        return None
    return {"name": evidence.name, "sha256": evidence.sha256, "size": evidence.size,
            "content_type": evidence.content_type}


def _indicators(detail: AppraisalDetail) -> list[dict[str, Any]]:
    """The SKP's IKI; each target and realisation says who or what supplied it (``supplied_by``).

    A value the system feeds (the unit's IKM) is the indicator's only realisation, with
    ``supplied_by.source`` naming the source; typed rows never stand beside it.
    """
    return [{
        "key": row.key, "label": row.label.id, "rhk": row.rhk, "parent_rhk": row.parent_rhk,
        "parent_id": row.parent_id, "aspect": row.aspect,
        "target": row.target, "unit": row.unit, "weight": row.weight, "fixed": row.fixed,
        "target_supplied_by": row.target_by.as_json() if row.target_by else None,
        "realisations": [{"value": r.value, "note": r.note, "recorded_at": r.recorded_at,
                          "supplied_by": r.supplied_by.as_json(), "evidence": _evidence_json(r.evidence)}
                         for r in row.realisations],
        "realisation": row.realisation,
        "realisation_supplied_by": row.realisation_by.as_json() if row.realisation_by else None,
        "achievement": row.achievement,
    } for row in detail.skp]


def _results(detail: AppraisalDetail) -> list[dict[str, Any]]:
    """The cycle's results in its order, with explanations; hidden ones not to the appraised employee."""
    return [{"name": r.name, "label": _text(r.label), "value": r.value, "explanation": dict(r.explanation),
             "missing": list(r.missing), "computed_at": r.computed_at} for r in detail.results]


def _history(detail: AppraisalDetail) -> list[dict[str, Any]]:
    """The audit events (an anonymous answer is never listed: its time would point at its respondent)."""
    return [{"seq": e.seq, "occurred_at": e.occurred_at, "kind": e.kind, "actor": e.actor_name, "role": e.role,
             "trigger": e.trigger, "from_state": e.from_state, "to_state": e.to_state, "payload": dict(e.payload)}
            for e in detail.history]


def detail_json(detail: AppraisalDetail) -> dict[str, Any]:
    """One appraisal: state, the triggers the caller may fire now, indicators, results, history, and the
    next steps (who must act, by when, what is missing; ``irreversible`` steps cannot be taken back)."""
    triggers = [{"trigger": a.available.transition.trigger, "label": _text(a.available.transition.label),
                 "role": a.available.role, "dest": a.available.transition.dest,
                 "payload_schema": dict(a.available.transition.payload_schema or {}) or None,
                 "window_closes_at": a.closes_at}
                for a in detail.actions]
    edits = [kind for kind, allowed in detail.can_edit.items() if allowed]
    opened = OpenedAppraisal(detail.appraisal, detail.defn, detail.policy, list(detail.roles), detail.is_hr)
    return {**summary_json(opened), "triggers": triggers, "can_edit": edits,
            "indicators": _indicators(detail), "results": _results(detail), "history": _history(detail),
            "checkpoints": [series.as_json() for series in detail.checkpoints],
            "cascade": cascade_json(detail.cascade) if detail.cascade is not None else None,
            "next_steps": detail.next_steps.as_json() if detail.next_steps is not None else None,
            "development": development_json(detail.development)}


def _detail(appraisal_id: int) -> AppraisalDetail:
    return appraisal_detail(db_session(), current_actor(), appraisal_id)


@bp.get("/appraisals")
def list_() -> Response:
    """Appraisals the caller may open, by id, with filters and cursor pagination."""
    unit_code = text_arg("unit")
    unit_ids = tuple(unit_and_descendants(db_session(), find_unit(db_session(), unit_code).id)) if unit_code else None
    filters = AppraisalFilter(
        state=text_arg("state"), cycle_id=text_arg("cycle_id"),
        period=text_arg("period"), unit_ids=unit_ids, nip=text_arg("nip"),
        waiting_for_me=bool_arg("waiting_for_me"),
    )
    limit = int_arg("limit", 50, 1, MAX_LIMIT) or 50
    page = list_appraisals(db_session(), current_actor(), filters, after_id=decode_cursor(text_arg("cursor")),
                           limit=limit)
    return json_response({"items": [summary_json(o) for o in page.items], "next_cursor": encode_cursor(page.after_id)})


@bp.get("/appraisals/<id:appraisal_id>")
def show(appraisal_id: int) -> Response:
    return json_response(detail_json(_detail(appraisal_id)))


@bp.post("/appraisals/<id:appraisal_id>/transitions")
def fire(appraisal_id: int) -> Response:
    """Fire a trigger with its payload, as of the version the caller saw (409 when it moved on)."""
    body = json_body("FireRequest")
    open_appraisal(db_session(), current_actor(), appraisal_id)
    with unit_of_work() as session:
        outcome = fire_transition(session, appraisal_id, body["trigger"], current_actor(), body.get("payload") or {},
                                  expected_version=body["version"])
    return json_response({
        "appraisal_id": outcome.appraisal_id, "trigger": outcome.trigger, "from_state": outcome.from_state,
        "to_state": outcome.to_state, "role": outcome.role, "version": outcome.version,
        "event_id": outcome.event_id, "results": outcome.results, "warnings": outcome.warnings,
        "then": [{"trigger": f.trigger, "from_state": f.from_state, "to_state": f.to_state, "role": f.role,
                  "version": f.version, "event_id": f.event_id, "vacant_role": f.vacant_role}
                 for f in outcome.followed],
    })


@bp.put("/appraisals/<id:appraisal_id>/indicators")
def put_indicators(appraisal_id: int) -> Response:
    """Replace the employee's own IKI (targets, weights) while the SKP may be edited."""
    body = json_body("IndicatorsUpdate")
    open_appraisal(db_session(), current_actor(), appraisal_id)
    with unit_of_work() as session:
        edit = set_team_skp if body.get("as_leader") else set_skp
        edit(session, appraisal_id, current_actor(), body["items"], expected_version=body.get("version"))
    return json_response(detail_json(_detail(appraisal_id)))


@bp.put("/appraisals/<id:appraisal_id>/expectations")
def put_expectations(appraisal_id: int) -> Response:
    """The rater records the leader's behaviour expectations per BerAKHLAK value, at planning."""
    body = json_body("ExpectationsUpdate")
    open_appraisal(db_session(), current_actor(), appraisal_id)
    with unit_of_work() as session:
        set_expectations(session, appraisal_id, current_actor(), body["expectations"],
                         expected_version=body.get("version"))
    return json_response(detail_json(_detail(appraisal_id)))


@bp.post("/appraisals/<id:appraisal_id>/realisations")
def post_realisation(appraisal_id: int) -> Response:
    """Record an achieved value for an indicator."""
    body = json_body("RealisationCreate")
    open_appraisal(db_session(), current_actor(), appraisal_id)
    with unit_of_work() as session:
        record_realisation(session, appraisal_id, current_actor(), body["indicator"], body["value"],
                           note=(body.get("note") or "").strip(), expected_version=body.get("version"))
    return json_response(detail_json(_detail(appraisal_id)), 201)


@bp.post("/appraisals/<id:appraisal_id>/feedback")
def post_feedback(appraisal_id: int) -> Response:
    """Give feedback in a window open in the appraisal's state: 201 for a first answer, 200 when it
    replaced the caller's earlier answer (the same service and checks as the screen's form)."""
    body = json_body("FeedbackCreate")
    open_for_feedback(db_session(), current_actor(), appraisal_id, body["window"])
    with unit_of_work() as session:
        given = give_feedback(session, appraisal_id, current_actor(), body["window"], body["answers"],
                              body.get("comment"))
    response = given.response
    return json_response({"id": response.id, "window": response.window, "role": response.role,
                          "created_at": response.created_at, "replaced": given.replaced},
                         200 if given.replaced else 201)
