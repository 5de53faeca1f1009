"""``siklus audit verify`` for organisation predicates: every decision row against its event.

Each decision (:class:`~engine.models.UnitPredicate`) is one ``unit_predicate`` event in the system chain
carrying everything recorded (engine.unit_predicate). A row that differs from its event, a row without
one, an event whose row is gone, or a decision marked superseded (or standing) against what the chain
says is named. Lives below engine.audit, which calls it while walking the system chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, finding
from engine.messages import Message
from engine.models import UnitPredicate

EVENT_KIND = "unit_predicate"
# Decision columns the event proves, by the payload key that carries each.
PROVEN = (("unit_id", "unit_id"), ("period", "period"), ("predicate", "predicate"), ("decided_by", "decided_by"))


def _recorded(row: UnitPredicate) -> dict[str, Any]:
    found = {key: getattr(row, column) for column, key in PROVEN}
    found["decided_on"] = row.decided_on.isoformat()
    found["document"] = {"name": row.document_name, "sha256": row.document_sha256, "size": row.document_size}
    return found


def decision_differences(session: Session, events: Mapping[int, Mapping[str, Any]]) -> list[Finding]:
    """What differs between the decision rows and the ``unit_predicate`` events (event id -> payload) of the
    system chain, one sentence each."""
    problems: list[Finding] = []
    by_decision = {payload.get("decision_id"): (event_id, payload) for event_id, payload in events.items()}
    superseded = {payload.get("supersedes") for payload in events.values() if payload.get("supersedes") is not None}
    rows = {row.id: row for row in session.scalars(select(UnitPredicate).order_by(UnitPredicate.id))}
    for decision_id, row in rows.items():
        if decision_id not in by_decision:
            problems.append(finding("audit.decision_unchained", id=decision_id))
            continue
        event_id, payload = by_decision[decision_id]
        recorded = _recorded(row)
        changed = sorted(key for key, value in recorded.items() if payload.get(key) != value)
        if changed or row.audit_event_id != event_id:
            what = ", ".join(changed) if changed else Message("audit.decision_the_event")
            problems.append(finding("audit.decision_edited", id=decision_id, event=event_id, what=what))
        if (row.superseded_at is not None) != (decision_id in superseded):
            state = "audit.decision_superseded" if row.superseded_at is not None else "audit.decision_standing"
            problems.append(finding("audit.decision_marked", id=decision_id, state=Message(state)))
    for gone, (event_id, _payload) in sorted(by_decision.items(), key=lambda item: item[1][0]):
        if gone not in rows:
            problems.append(finding("audit.decision_gone", id=gone, event=event_id))
    return problems


__all__ = ["EVENT_KIND", "decision_differences"]
