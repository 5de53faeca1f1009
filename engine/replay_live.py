"""Reading an appraisal's live rows as replay compares them (:class:`LiveReader`), a batch of appraisals at once.

Kept apart from :mod:`engine.replay`, which replays the chain; :func:`engine.replay_compare.differences`
compares the two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from engine.audit_findings import Names
from engine.feedback_seal import live_seal
from engine.models import (
    Appraisal,
    AuditEvent,
    CheckpointEntry,
    CycleDefinitionRecord,
    CycleRun,
    DevelopmentActivity,
    FeedbackResponse,
    Indicator,
    Realisation,
    Result,
    User,
)
from engine.replay import EXTRA_ROWS, INDICATOR_FIELDS, Live, ReplayContext

_INDICATOR_COLUMNS = [getattr(Indicator, name) for name in INDICATOR_FIELDS]


def _iso(moment: datetime | str | None) -> str | None:
    return moment.isoformat() if isinstance(moment, datetime) else moment


def _raw(column: Any) -> Any:
    """A column as the driver gives it, without SQLAlchemy's processing (see :class:`_Moments`)."""
    return type_coerce(column, NullType())


class _Moments:
    """The moments of the appraisal rows read as the driver gives them, each as ISO text exactly as the column's own
    processing and :func:`_iso` would write it (UTC, ``+00:00``): SQLite's stored text of the usual form
    (``YYYY-MM-DD HH:MM:SS.ffffff``, as SQLAlchemy writes it) straight from the text, anything else through the
    column's processing. A run's bounds are the same for each of its appraisals: written once per range."""

    def __init__(self, dialect: Any) -> None:
        self._process = Appraisal.__table__.c.entered_at.type.dialect_impl(dialect).result_processor(dialect, None)
        self._bounds: dict[tuple[Any, Any], tuple[str, str]] = {}

    def iso(self, raw: Any) -> str | None:
        if raw is None:
            return None
        if (type(raw) is str and len(raw) == 26 and raw[4] == "-" and raw[7] == "-" and raw[10] == " "
                and raw[13] == ":" and raw[16] == ":" and raw[19] == "."):
            try:
                # What the processing gives (a naive UTC moment made aware), in isoformat's words.
                return _parse(raw).isoformat() + "+00:00"
            except ValueError:
                pass
        return _iso(self._process(raw) if self._process is not None else raw)

    def bounds(self, start: Any, end: Any) -> tuple[str, str] | None:
        if start is None or end is None:
            return None
        found = self._bounds.get((start, end))
        if found is None:
            found = self._bounds[(start, end)] = (self.iso(start) or "", self.iso(end) or "")
        return found


_parse = datetime.fromisoformat


def _as_events_are(column: Any, dialect_name: str) -> Any:
    """A moment column read as the chain reader gives an event's moment (engine.audit.bulk): SQLite's stored text
    (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC), and on PostgreSQL text of the same form in UTC. A row written with its
    event's moment then reads equal to it, and an intact row is passed over without a moment being parsed."""
    if dialect_name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24:MI:SS.US")
    return _raw(column)


class LiveReader:
    """Reads the live rows of a batch of appraisals (one query per table)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.context = ReplayContext(session)
        self.names = Names(session)

    @staticmethod
    def _accounts(within: Callable[[Any], Any]) -> Any:
        """The logins a batch's findings may name: whoever acted in its chains, recorded its realisations or
        checkpoint entries, or set its SKP."""
        return or_(*(User.id.in_(select(column).where(within(appraisal)))
                     for column, appraisal in ((AuditEvent.actor_user_id, AuditEvent.appraisal_id),
                                               (Realisation.recorded_by_id, Realisation.appraisal_id),
                                               (Indicator.set_by_id, Indicator.appraisal_id),
                                               (CheckpointEntry.recorded_by_id, CheckpointEntry.appraisal_id))))

    def read(self, within: Callable[[Any], Any]) -> dict[int, Live]:
        """The live rows of the appraisals whose id satisfies ``within(column)``."""
        s = self.session
        conn = s.connection()
        # Read only when a finding names someone: an intact batch costs nothing.
        self.names = Names(s, self._accounts(within))

        def fetch(stmt: Any) -> Sequence[Any]:
            # Core rows on the session's connection, fetched at once: no ORM loading, no round of the
            # driver per row.
            return conn.execute(stmt).all()

        run_definition = CycleDefinitionRecord.__table__.alias("run_definition")
        live: dict[int, Live] = {}
        moments = _Moments(conn.dialect)
        dialect_name = conn.dialect.name
        # Outer joins: an appraisal whose definition or run was pointed elsewhere is still compared (and named).
        rows = fetch(
            select(Appraisal.id, Appraisal.state, Appraisal.data, _raw(Appraisal.closed_at), Appraisal.closed_kind,
                   CycleDefinitionRecord.cycle_id,
                   CycleDefinitionRecord.version, CycleDefinitionRecord.content_hash, run_definition.c.cycle_id,
                   run_definition.c.version, run_definition.c.content_hash, Appraisal.employee_id, Appraisal.run_id,
                   Appraisal.period, Appraisal.cycle_id, CycleRun.period, Appraisal.state_entries,
                   _raw(Appraisal.entered_at), _raw(Appraisal.due_at), _raw(CycleRun.period_start),
                   _raw(CycleRun.period_end), _raw(Appraisal.overdue_handled_at))
            .outerjoin(CycleDefinitionRecord, CycleDefinitionRecord.id == Appraisal.definition_id)
            .outerjoin(CycleRun, CycleRun.id == Appraisal.run_id)
            .outerjoin(run_definition, run_definition.c.id == CycleRun.definition_id)
            .where(within(Appraisal.id)))
        for (aid, state, data, closed_at, closed_kind, cycle_id, version, content_hash,
             run_cycle, run_version, run_hash, employee_id, run_id, period, row_cycle, run_period, entries,
             entered_at, due_at, period_start, period_end, handled_at) in rows:
            live[aid] = Live(state, cycle_id, version, content_hash, run_hash, run_cycle, run_version, dict(data or {}),
                             closed_kind=(closed_kind or "closed") if closed_at is not None else None,
                             employee_id=employee_id, run_id=run_id, period=period, row_cycle_id=row_cycle,
                             run_period=run_period, state_entries={k: str(v) for k, v in (entries or {}).items()},
                             entered_at=moments.iso(entered_at), due_at=moments.iso(due_at),
                             run_bounds=moments.bounds(period_start, period_end),
                             handled=handled_at is not None)
        for aid, key, *values in fetch(select(Indicator.appraisal_id, Indicator.key, *_INDICATOR_COLUMNS)
                                           .where(within(Indicator.appraisal_id))):
            if aid in live:
                fields = dict(zip(INDICATOR_FIELDS, values, strict=True))
                fields["set_at"] = fields["set_at"].isoformat() if fields["set_at"] is not None else None
                live[aid].indicators[key] = fields
        for r in fetch(select(Realisation.id, Realisation.appraisal_id, Realisation.indicator_key,
                                  Realisation.value,
                                  Realisation.note, Realisation.evidence_sha256, Realisation.evidence_name,
                                  Realisation.evidence_path, Realisation.supplied_role,
                                  Realisation.source, Realisation.checkpoint, Realisation.recorded_by_id,
                                  _as_events_are(Realisation.recorded_at, dialect_name).label("recorded_at"))
                           .where(within(Realisation.appraisal_id)).order_by(Realisation.id)):
            if r.appraisal_id in live:
                live[r.appraisal_id].realisations.append(
                    (r.id, {"indicator_key": r.indicator_key, "value": r.value, "note": r.note or "",
                            "evidence_sha256": r.evidence_sha256, "evidence_name": r.evidence_name,
                            "evidence_path": r.evidence_path, "supplied_role": r.supplied_role,
                            "source": r.source, "checkpoint": r.checkpoint, "recorded_by_id": r.recorded_by_id}))
                live[r.appraisal_id].recorded_at.append(r.recorded_at)
        for r in fetch(select(Result.appraisal_id, Result.name, Result.value, Result.missing, Result.explanation,
                              Result.details, _as_events_are(Result.computed_at, dialect_name).label("computed_at"))
                       .where(within(Result.appraisal_id))):
            if r.appraisal_id in live:
                # What the employee reads beside the value (its explanation, the table row it took) is proven too,
                # and when it was computed.
                live[r.appraisal_id].results[r.name] = {"value": r.value, "missing": list(r.missing or []),
                                                        "explanation": r.explanation, "details": r.details or {},
                                                        "computed_at": r.computed_at}
        for d in fetch(select(DevelopmentActivity.id, DevelopmentActivity.appraisal_id, DevelopmentActivity.title,
                                  DevelopmentActivity.jp, DevelopmentActivity.course_id, DevelopmentActivity.status,
                                  DevelopmentActivity.evidence_sha256, DevelopmentActivity.evidence_name,
                                  DevelopmentActivity.evidence_path,
                                  _as_events_are(DevelopmentActivity.completed_at, dialect_name).label("completed_at"))
                           .where(within(DevelopmentActivity.appraisal_id)).order_by(DevelopmentActivity.id)):
            if d.appraisal_id in live:
                live[d.appraisal_id].development.append(
                    (d.id, {"title": d.title, "jp": d.jp, "course_id": d.course_id, "status": d.status,
                            "evidence_sha256": d.evidence_sha256, "evidence_name": d.evidence_name,
                            "evidence_path": d.evidence_path, "completed_at": d.completed_at}))
        for row_id, aid, window, role, key, answers, comment, user_id, legacy, given_at in fetch(
                select(FeedbackResponse.id, FeedbackResponse.appraisal_id, FeedbackResponse.window,
                       FeedbackResponse.role, FeedbackResponse.respondent_key, FeedbackResponse.answers,
                       FeedbackResponse.comment, FeedbackResponse.respondent_user_id, FeedbackResponse.legacy_key,
                       _as_events_are(FeedbackResponse.created_at, dialect_name))
                .where(within(FeedbackResponse.appraisal_id))):
            if aid in live:
                live[aid].feedback[window] += 1
                seal = live_seal(key, window, role, answers, comment, aid, user_id, legacy)
                live[aid].seals.setdefault(window, Counter())[seal] += 1
                if user_id is not None:  # a named answer, shown with its moment (engine.feedback_seal.given_at)
                    live[aid].named_answers.append((row_id, window, seal, user_id, given_at))
        for what, extra in EXTRA_ROWS.items():
            for aid, found in extra.read(s, within).items():
                if aid in live:
                    live[aid].extra[what] = found
        return live


__all__ = ["LiveReader"]
