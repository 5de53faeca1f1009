"""The checkpoints of one appraisal as a timeline: what the appraisal page, the PDF and the API show.

One read per table (entries, realisations recorded for checkpoints, periodic results, the names of
who recorded them), whatever the number of checkpoints. Periodic results marked
``visible_to_employee: false`` are left out for the appraised employee, as the policy says for
results. ``can`` says which entries the viewer may make now (role, state, time, once-only), so a
screen offers only forms that will be taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.checkpoints.periods import Checkpoint, checkpoints_of
from engine.checkpoints.rating_time import RatingOpening, rating_opening
from engine.checkpoints.series import ROOT, result_name
from engine.checkpoints.service import EMPLOYEE_SIDE, MAX_RESPONSES
from engine.definition import CheckpointDef, CheckpointQuestion, CycleDefinition, Text
from engine.models import Appraisal, CheckpointEntry, Indicator, Realisation, Result, User, utcnow
from engine.policy import Policy

#: Where a checkpoint stands now.
UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"


@dataclass(frozen=True)
class EntryView:
    """One entry as shown: who, as which role, when, the text and answers, the evidence file's name."""

    id: int
    kind: str
    text: str
    answers: dict[str, Any]
    role: str | None
    role_label: Text | None
    by: str
    at: datetime
    evidence_name: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "text": self.text, "answers": self.answers, "role": self.role,
                "by": self.by, "at": self.at, "evidence": {"name": self.evidence_name} if self.evidence_name else None}


@dataclass(frozen=True)
class RealisationView:
    id: int
    indicator: str
    indicator_label: Text
    value: float
    note: str
    role: str | None
    by: str
    at: datetime
    evidence_name: str | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "indicator": self.indicator, "indicator_label": self.indicator_label.as_dict(),
                "value": self.value, "note": self.note,
                "supplied_by": self.role, "by": self.by, "at": self.at,
                "evidence": {"name": self.evidence_name} if self.evidence_name else None}


@dataclass(frozen=True)
class ResultView:
    name: str
    label: Text
    value: Any
    explanation: dict[str, str]
    missing: list[Any]

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label.as_dict(), "value": self.value,
                "explanation": self.explanation, "missing": self.missing}


@dataclass(frozen=True)
class CheckpointView:
    """One checkpoint with everything recorded for it, in the order it happened."""

    name: str
    key: str
    label: Text
    number: int
    start: datetime
    end: datetime
    report_closes: datetime
    rating_closes: datetime
    status: str
    realisations: list[RealisationView]
    report: EntryView | None
    self_assessment: EntryView | None
    feedback: list[EntryView]
    rating: EntryView | None
    closed: EntryView | None
    results: list[ResultView]
    can: dict[str, bool] = field(default_factory=dict)
    #: Each IKI realised for the checkpoint with its achievement for the period and why (against the period's
    #: target when the series declares one, engine.checkpoints.targets).
    achievements: list[ResultView] = field(default_factory=list)
    #: From when the periodic rating is taken (engine.checkpoints.rating_time), and whether the viewer would rate
    #: it now but for that (the screen then says from when).
    rating_opening: RatingOpening | None = None
    rating_waits: bool = False
    #: The viewer gave the most responses one person gives to this checkpoint (engine.checkpoints.service).
    responses_full: bool = False

    @property
    def responses_limit(self) -> int:
        """The most responses one person gives to a checkpoint."""
        return MAX_RESPONSES

    @property
    def rating_from(self) -> datetime | None:
        """The first moment the rating is taken, as far as is known now (the report or realisation, else the end)."""
        if self.rating_opening is None:
            return None
        return self.rating_opening.at or self.rating_opening.after

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "key": self.key, "label": self.label.as_dict(), "number": self.number,
            "start": self.start, "end": self.end, "report_closes": self.report_closes,
            "rating_closes": self.rating_closes, "status": self.status,
            "realisations": [r.as_json() for r in self.realisations],
            "report": self.report.as_json() if self.report else None,
            "self_assessment": self.self_assessment.as_json() if self.self_assessment else None,
            "feedback": [f.as_json() for f in self.feedback],
            "rating": self.rating.as_json() if self.rating else None,
            "closed_at": self.closed.at if self.closed else None,
            "results": [r.as_json() for r in self.results],
            "achievements": [a.as_json() for a in self.achievements],
            "can": sorted(k for k, v in self.can.items() if v),
            "rating_from": self.rating_from,
        }


@dataclass(frozen=True)
class SeriesView:
    """A series of checkpoints (Triwulan I-IV, the twelve months) and what its forms ask."""

    id: str
    label: Text
    series: CheckpointDef
    checkpoints: list[CheckpointView]

    @property
    def questions(self) -> tuple[CheckpointQuestion, ...]:
        return self.series.questions

    @property
    def latest(self) -> CheckpointView | None:
        """The last checkpoint with a periodic result: the employee's live score."""
        return next((c for c in reversed(self.checkpoints) if any(r.value is not None for r in c.results)), None)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label.as_dict(),
                "rating_schema": dict(self.series.rating_schema or {}) or None,
                "questions": [{"id": q.id, "label": q.label.as_dict(), "kind": q.kind} for q in self.questions],
                "checkpoints": [c.as_json() for c in self.checkpoints]}


def _status(checkpoint: Checkpoint, closed: bool, now: datetime) -> str:
    if closed or now > checkpoint.rating_closes:
        return CLOSED
    return UPCOMING if now < checkpoint.start else OPEN


def _can(policy: Policy, defn: CycleDefinition, appraisal: Appraisal, checkpoint: Checkpoint, status: str,
         now: datetime, taken: set[str], opening: RatingOpening | None = None,
         responses: int = 0) -> dict[str, bool]:
    """Which entries the viewer may make now (the service decides again when they do); ``rating_waits``: the
    viewer would rate now but the period's work is not reported yet (``opening``); ``responses_full``: would
    respond but gave :data:`MAX_RESPONSES` (``responses``, the viewer's own) already."""
    series = checkpoint.series
    if status != OPEN or appraisal.closed_at is not None or appraisal.state not in series.states:
        return {}
    roles = {"report": series.report_roles, "self_assessment": series.self_assessment_roles,
             "feedback": series.feedback_roles, "rating": series.rating_roles}
    out: dict[str, bool] = {}
    for kind, allowed in roles.items():
        closes = checkpoint.report_closes if kind in EMPLOYEE_SIDE else checkpoint.rating_closes
        out[kind] = (bool(allowed) and now <= closes and kind not in taken
                     and bool(policy.acting_roles(defn, appraisal.employee, allowed)))
    out["realisation"] = (series.realisation and now <= checkpoint.report_closes
                          and policy.can_edit(defn, appraisal, "realisation"))
    if out.get("feedback") and responses >= MAX_RESPONSES:
        out["feedback"], out["responses_full"] = False, True
    if out.get("rating") and opening is not None and not opening.open_at(now):
        out["rating"], out["rating_waits"] = False, True
    return out


def checkpoint_timeline(session: Session, policy: Policy, defn: CycleDefinition, appraisal: Appraisal,
                        now: datetime | None = None) -> list[SeriesView]:
    """Every series of the appraisal's run with its checkpoints and all their entries (empty: the cycle has none)."""
    if not defn.checkpoints:
        return []
    now = now or utcnow()
    run = appraisal.run
    entries = list(session.scalars(select(CheckpointEntry).where(CheckpointEntry.appraisal_id == appraisal.id)
                                   .order_by(CheckpointEntry.id)))
    realised = list(session.scalars(select(Realisation).where(Realisation.appraisal_id == appraisal.id,
                                                              Realisation.checkpoint.is_not(None))
                                    .order_by(Realisation.id)))
    results = {r.name: r for r in session.scalars(select(Result).where(Result.appraisal_id == appraisal.id,
                                                                      Result.name.like(f"{ROOT}.%")))}
    labels = {i.id: i.label for i in defn.indicators}
    if realised and defn.skp.employee_indicators:
        labels |= {key: Text(label, label) for key, label in session.execute(
            select(Indicator.key, Indicator.label).where(Indicator.appraisal_id == appraisal.id)).all()}
    user_ids = {e.recorded_by_id for e in entries} | {r.recorded_by_id for r in realised}
    user_ids.discard(None)
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()) \
        if user_ids else {}
    hidden = appraisal.employee_id == policy.actor.employee_id

    def who(user_id: int | None) -> str:
        return names.get(user_id, "") if user_id is not None else "Sistem"

    def shown(e: CheckpointEntry) -> EntryView:
        role = defn.roles.get(e.role or "")
        return EntryView(e.id, e.kind, e.text or "", dict(e.answers or {}), e.role, role.label if role else None,
                         who(e.recorded_by_id), e.recorded_at, e.evidence_name)

    out = []
    for series in defn.checkpoints:
        views = []
        for checkpoint in checkpoints_of(series, run.period_start, run.period_end):
            mine = [e for e in entries if e.checkpoint == checkpoint.name]
            single = {e.kind: e for e in mine if e.kind != "feedback"}
            status = _status(checkpoint, "closed" in single, now)
            opening = rating_opening(
                checkpoint, single["report"].recorded_at if "report" in single else None,
                min((r.recorded_at for r in realised if r.checkpoint == checkpoint.name), default=None))
            given = sum(1 for e in mine if e.kind == "feedback" and e.recorded_by_id == policy.actor.user_id)
            can = _can(policy, defn, appraisal, checkpoint, status, now, set(single), opening, given)
            waits, full = can.pop("rating_waits", False), can.pop("responses_full", False)
            shown_results = []
            for name, spec in series.results.items():
                row = results.get(result_name(checkpoint.name, name))
                if row is None or (hidden and not spec.visible_to_employee):
                    continue
                shown_results.append(ResultView(name, spec.label, row.value, dict(row.explanation or {}),
                                                list(row.missing or [])))
            achieved = [results.get(result_name(checkpoint.name, f"iki.{key}")) for key in dict.fromkeys(
                r.indicator_key for r in realised if r.checkpoint == checkpoint.name)]
            views.append(CheckpointView(
                name=checkpoint.name, key=checkpoint.key, label=checkpoint.label, number=checkpoint.number,
                start=checkpoint.start, end=checkpoint.end, report_closes=checkpoint.report_closes,
                rating_closes=checkpoint.rating_closes, status=status,
                realisations=[RealisationView(r.id, r.indicator_key,
                                              labels.get(r.indicator_key, Text(r.indicator_key, r.indicator_key)),
                                              r.value, r.note or "", r.supplied_role,
                                              who(r.recorded_by_id), r.recorded_at, r.evidence_name)
                              for r in realised if r.checkpoint == checkpoint.name],
                report=shown(single["report"]) if "report" in single else None,
                self_assessment=shown(single["self_assessment"]) if "self_assessment" in single else None,
                feedback=[shown(e) for e in mine if e.kind == "feedback"],
                rating=shown(single["rating"]) if "rating" in single else None,
                closed=shown(single["closed"]) if "closed" in single else None,
                results=shown_results,
                can=can, rating_opening=opening, rating_waits=waits, responses_full=full,
                achievements=[ResultView(row.name.rpartition(".iki.")[2],
                                         labels.get(row.name.rpartition(".iki.")[2], Text(row.name, row.name)),
                                         row.value, dict(row.explanation or {}), list(row.missing or []))
                              for row in achieved if row is not None],
            ))
        out.append(SeriesView(series.id, series.label, series, views))
    return out
