"""``siklus audit verify`` for cycle runs: each run row against the system chain's ``launch`` event.

A run says which period its appraisals belong to (the e-Kinerja export lists them by it), which unit's HR follows
it, and where its period begins and ends (its checkpoints, the quarters, are built from those bounds). Each run is
made by one ``launch`` event (engine.runs) recording its cycle version, unit, period and, since bounds were
recorded, the bounds; a run row whose period was rewritten in the database moved every appraisal of it to another
year while every appraisal's chain held. Each run is compared with its event and one that differs, or has none,
is named. Lives below engine.audit, which calls it while walking the system chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, finding
from engine.messages import Message
from engine.models import CycleDefinitionRecord, CycleRun, OrgUnit
from engine.moments import utc_or_as_is

EVENT_KIND = "launch"


def bounds_record(start: datetime, end: datetime) -> dict[str, str]:
    """What a ``launch`` event records of its run's bounds."""
    return {"period_start": start.isoformat(), "period_end": end.isoformat()}


def run_differences(session: Session, launches: Mapping[int, Mapping[str, Any]]) -> list[Finding]:
    """Each run that differs from its ``launch`` event (run id -> the event's payload) in what the event recorded,
    and each run without one, one sentence each."""
    problems: list[Finding] = []
    rows = session.execute(
        select(CycleRun.id, CycleRun.cycle_id, CycleRun.period, CycleRun.period_start, CycleRun.period_end,
               OrgUnit.code, CycleDefinitionRecord.cycle_id.label("record_cycle"), CycleDefinitionRecord.version,
               CycleDefinitionRecord.content_hash)
        .join(OrgUnit, OrgUnit.id == CycleRun.unit_id, isouter=True)
        .join(CycleDefinitionRecord, CycleDefinitionRecord.id == CycleRun.definition_id, isouter=True)
        .order_by(CycleRun.id))
    for row in rows:
        said = launches.get(row.id)
        if said is None:
            problems.append(finding("audit.run_unchained", run=row.id))
            continue
        differs = [name for name, live, recorded in (
            ("cycle", (row.cycle_id, row.record_cycle), (said.get("cycle_id"), said.get("cycle_id"))),
            ("version", (row.version, row.content_hash), (said.get("version"), said.get("content_hash"))),
            ("unit", row.code, said.get("unit")),
            ("period", row.period, said.get("period")),
        ) if live != recorded]
        if "period_start" in said and (utc_or_as_is(row.period_start), utc_or_as_is(row.period_end)) != (
                utc_or_as_is(said.get("period_start")), utc_or_as_is(said.get("period_end"))):
            differs.append("bounds")
        problems.extend(finding("audit.run_differs", run=row.id, field=Message(f"audit.run_field.{name}"))
                        for name in differs)
    return problems


__all__ = ["EVENT_KIND", "bounds_record", "run_differences"]
