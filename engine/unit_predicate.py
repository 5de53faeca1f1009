"""The organisation's predicate (predikat kinerja organisasi) as a recorded decision.

The head of the organisation above sets each unit's predicate, periodically and annually
(Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang), in a signed *penetapan*; that predicate bounds
how many of the unit's employees may hold each predicate (calibration, engine.calibration_guard).
HR of a unit above it, an admin, or the official authorised for it
(:meth:`engine.policy.Policy.may_decide_unit_predicate`; never HR of the unit alone, whose employees' predicates
it bounds) records the decision here with its date, the decider and the penetapan PDF.

A decision is never edited: recording another for the same unit and period supersedes the standing
one, which stays in the history. Each decision is one ``unit_predicate`` event in the system audit chain
carrying everything recorded (the PDF by its SHA-256), so ``siklus audit verify`` can hold the rows to it.
Bad input (a predicate outside the five, a period outside the run, a file that is not a PDF or too
large, someone without authority) is refused with a sentence in both languages and nothing written.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from engine.audit import EventInfo, append_system_event
from engine.calendar import local_zone
from engine.calibration_guard import (
    calibrate,
    calibration_params,
    calibration_rule,
    predicate_results,
    rating_counts,
    standing_decision,
    tallied_rating_counts,
    unit_predicate_labels,
)
from engine.checkpoints.periods import checkpoints_of
from engine.checkpoints.series import result_name
from engine.db import begin_write
from engine.definition import CycleDefinition, Text
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.limits import SizeLimit, check_not_empty, check_size, upload_name
from engine.messages import Message
from engine.models import CycleRun, OrgUnit, UnitPredicate, utcnow
from engine.permissions import Actor
from engine.policy import UNIT_PREDICATE_OFFICIAL, Policy
from engine.registry import definition_of
from engine.runs import get_run, period_bounds, unit_and_descendants
from engine.unit_predicate_verify import EVENT_KIND
from rules import EMPLOYEE_PREDICATE, RuleError, RuleResult, computes
from rules.terms import UNIT_PREDICATE_GLOSS

PENETAPAN_FILE = SizeLimit("penetapan-file", 10 * 1024 * 1024, "Berkas penetapan", "The penetapan file")
PDF_MAGIC = b"%PDF-"
# Where penetapan files go, under the folder evidence is kept in.
FOLDER = "penetapan"
MAX_DECIDER = 255
# The forms a period may take: annual (the run's own year), or a semester, quarter or month within it.
PERIOD_KINDS = (
    ("annual", re.compile(r"^\d{4}$")),
    ("semester", re.compile(r"^\d{4}-S[12]$")),
    ("quarterly", re.compile(r"^\d{4}-Q[1-4]$")),
    ("monthly", re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")),
)


@dataclass(frozen=True)
class Penetapan:
    """The signed decision document as uploaded: its file name and content."""

    name: str
    content: bytes


# -- reading input ---------------------------------------------------------------------------------

def parse_predicate(text: str) -> str:
    """One of the five organisation predicates, written as the regulation writes it (case aside)."""
    wanted = (text or "").strip().casefold()
    labels = unit_predicate_labels()
    found = next((p for p in labels if p.casefold() == wanted), None)
    if found is None:
        listed = ", ".join(labels)
        raise InvalidInput(f"'{text}' is not an organisation predicate; choose one of {listed}",
                           msg=Message("predicate.unknown", text=text, known=list(labels)))
    return found


def period_span(period: str) -> tuple[str, datetime, datetime]:
    """The kind of a period string and its first and last moment in the agency's time zone."""
    text = (period or "").strip()
    kind = next((k for k, pattern in PERIOD_KINDS if pattern.match(text)), None)
    if kind is None:
        raise InvalidInput(f"'{period}' is not a period; write it like 2026, 2026-S1, 2026-Q3 or 2026-07",
                           msg=Message("predicate.period", period=period))
    start, end = period_bounds(kind, text)
    return kind, start, end


def parse_day(value: date | str) -> date:
    """The penetapan's date (ISO, 2026-12-20)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise InvalidInput(f"'{value}' is not a date; write it like 2026-12-20",
                           msg=Message("predicate.date", value=value)) from None


def check_penetapan(document: Penetapan) -> str:
    """Refuse a penetapan that is empty, too large or not a PDF (by content and name); its SHA-256."""
    name = upload_name(document.name, "penetapan")
    check_size(PENETAPAN_FILE, len(document.content), name)
    check_not_empty(PENETAPAN_FILE, len(document.content), name)
    if not document.content.startswith(PDF_MAGIC) or not name.lower().endswith(".pdf"):
        raise InvalidInput("the penetapan must be a PDF file (its content is checked, not only its name)",
                           msg=Message("predicate.pdf"))
    return hashlib.sha256(document.content).hexdigest()


def _decider(text: str) -> str:
    value = " ".join((text or "").split())
    if not value:
        raise InvalidInput("name who decided (the official who signed the penetapan, e.g. Bupati Solok)",
                           msg=Message("predicate.decider"))
    if len(value) > MAX_DECIDER:
        raise InvalidInput(f"the decider's name is longer than {MAX_DECIDER} characters",
                           msg=Message("predicate.decider_long", limit=MAX_DECIDER))
    return value


def _require_authority(policy: Policy, actor: Actor, unit: OrgUnit) -> None:
    """Refuse to record the unit's predicate to anyone but the organisation above it, naming who may."""
    if policy.may_decide_unit_predicate(unit.id):
        return
    if unit.parent is None:
        raise Forbidden(f"{actor.username} may not record the organisation predicate of {unit.name}: it has no "
                        "unit above it, so only an admin or the official authorised for it may",
                        msg=Message("predicate.record_forbidden_top", unit=unit.name))
    raise Forbidden(f"{actor.username} may not record the organisation predicate of {unit.name}: the organisation "
                    f"above it sets it, so only HR of {unit.parent.name} (or a unit above it), an admin or the "
                    "official authorised for it may",
                    msg=Message("predicate.record_forbidden", unit=unit.name, above=unit.parent.name))


def _require_reader(policy: Policy, actor: Actor, unit: OrgUnit) -> None:
    """Refuse the unit's predicates and their penetapan to anyone but HR of the unit, those above, or the official."""
    if not policy.may_read_unit_predicate(unit.id):
        raise Forbidden(f"{actor.username} may not read the organisation predicate of {unit.name}: "
                        "only HR of the unit or the official authorised for it may",
                        msg=Message("predicate.forbidden", unit=unit.name))


def _unit_in_run(session: Session, run: CycleRun, unit_id: int) -> OrgUnit:
    unit = session.get(OrgUnit, unit_id)
    if unit is None or unit_id not in unit_and_descendants(session, run.unit_id):
        raise InvalidInput(f"unit #{unit_id} is not the unit of run #{run.id} or a unit below it",
                           msg=Message("predicate.unit", unit=str(unit_id), run=str(run.id)))
    return unit


# -- recording ---------------------------------------------------------------------------------------

def _store(storage: Path, unit_id: int, digest: str, content: bytes) -> str:
    """Keep the PDF as <storage>/penetapan/<unit>/<sha256>-<token>.pdf (path relative to storage).

    Each decision has a file of its own, so removing the file of a refused decision never takes one
    another decision (recorded at the same moment with the same PDF) still needs.
    """
    folder = storage / FOLDER / str(unit_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}-{secrets.token_hex(6)}.pdf"
    temporary = path.with_suffix(".part")
    temporary.write_bytes(content)
    os.replace(temporary, path)
    return f"{FOLDER}/{unit_id}/{path.name}"


def record_unit_predicate(session: Session, actor: Actor, *, run_id: int, unit_id: int, period: str,
                          predicate: str, decided_on: date | str, decided_by: str, document: Penetapan,
                          storage: Path, now: datetime | None = None) -> UnitPredicate:
    """Record the organisation predicate of a unit of the run (the run's unit or one below it) for the run's
    period or a period within it. Supersedes the standing decision for that unit and period. Commits.

    The penetapan is stored under ``storage`` (the evidence folder, a file per decision) before the
    transaction and removed again when the decision is refused, so nothing is left half-written.
    """
    now = now or utcnow()
    run = get_run(session, run_id)
    unit = _unit_in_run(session, run, unit_id)
    policy = Policy(session, actor)
    _require_authority(policy, actor, unit)
    label = parse_predicate(predicate)
    day = parse_day(decided_on)
    today = now.astimezone(local_zone()).date()
    if day > today:
        raise InvalidInput(f"the penetapan's date {day.isoformat()} is after today ({today.isoformat()})",
                           msg=Message("predicate.future", day=day, today=today))
    decider = _decider(decided_by)
    text = (period or "").strip()
    _kind, start, end = period_span(text)
    if start < run.period_start or end > run.period_end:
        raise InvalidInput(f"period {text} is outside run #{run.id} ({run.period})",
                           msg=Message("predicate.outside", period=text, run=str(run.id), run_period=run.period))
    first_day = start.astimezone(local_zone()).date()
    if day < first_day:
        # The penetapan judges the organisation's performance in the period: it cannot precede it.
        raise InvalidInput(f"the penetapan's date {day.isoformat()} is before period {text} begins "
                           f"({first_day.isoformat()})",
                           msg=Message("predicate.before_period", day=day, period=text, start=first_day))
    digest = check_penetapan(document)
    name = upload_name(document.name, "penetapan", 255)
    path = _store(storage, unit.id, digest, document.content)
    try:
        begin_write(session)
        standing = session.scalars(select(UnitPredicate).where(
            UnitPredicate.unit_id == unit.id, UnitPredicate.period == text,
            UnitPredicate.superseded_at.is_(None))).first()
        decision = UnitPredicate(
            unit_id=unit.id, period=text, period_start=start, period_end=end, predicate=label, decided_on=day,
            decided_by=decider, document_name=name, document_path=path, document_sha256=digest,
            document_size=len(document.content), recorded_by_id=actor.user_id, recorded_at=now)
        if standing is not None:
            standing.superseded_at = now
            session.flush()  # the old one steps down before the new one stands (the unique index)
        session.add(decision)
        session.flush()
        if standing is not None:
            standing.superseded_by_id = decision.id
        event = append_system_event(session, EventInfo(
            kind=EVENT_KIND, actor_user_id=actor.user_id, actor_name=actor.username,
            role="sdm" if policy.is_hr_of(unit.id) else UNIT_PREDICATE_OFFICIAL.removeprefix("group:"),
            unit_id=unit.id, payload=decision_payload(decision, supersedes=standing.id if standing else None,
                                                      run_id=run.id),
        ), occurred_at=now)
        decision.audit_event_id = event.id
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        (storage / path).unlink(missing_ok=True)
        raise Conflict("someone else recorded this unit's predicate for the period at the same moment; "
                       "nothing was written, look at the history and try again", msg=Message("predicate.race")) from exc
    except BaseException:
        session.rollback()
        (storage / path).unlink(missing_ok=True)
        raise
    return decision


def decision_payload(decision: UnitPredicate, *, supersedes: int | None, run_id: int | None) -> dict[str, Any]:
    """What the audit event of a decision carries: everything recorded, the document by its hash."""
    return {
        "decision_id": decision.id, "unit_id": decision.unit_id, "period": decision.period,
        "predicate": decision.predicate, "decided_on": decision.decided_on.isoformat(),
        "decided_by": decision.decided_by, "supersedes": supersedes, "run_id": run_id,
        "document": {"name": decision.document_name, "sha256": decision.document_sha256,
                     "size": decision.document_size},
    }


# -- reading ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RunDecisions:
    """The decisions that bear on a run: for its unit and every unit below, in periods within its own."""

    run: CycleRun
    units: list[OrgUnit]
    decisions: list[UnitPredicate]  # standing and superseded, newest first
    #: The units whose predicate the reader may record (the organisation above each; see
    #: :meth:`engine.policy.Policy.may_decide_unit_predicate`), in ``units`` order.
    recordable: list[OrgUnit] = field(default_factory=list)

    @property
    def standing(self) -> list[UnitPredicate]:
        return [d for d in self.decisions if d.superseded_at is None]


def run_decisions(session: Session, actor: Actor, run_id: int) -> RunDecisions:
    """What the run's page of organisation predicates shows, with the units the reader may record a predicate
    for; only for someone who may read the predicates of its unit."""
    run = get_run(session, run_id)
    policy = Policy(session, actor)
    _require_reader(policy, actor, run.unit)
    unit_ids = unit_and_descendants(session, run.unit_id)
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit_ids)).order_by(OrgUnit.name)))
    decisions = list(session.scalars(
        select(UnitPredicate).options(joinedload(UnitPredicate.unit), joinedload(UnitPredicate.recorded_by))
        .where(UnitPredicate.unit_id.in_(unit_ids), UnitPredicate.period_start >= run.period_start,
               UnitPredicate.period_end <= run.period_end)
        .order_by(UnitPredicate.period, UnitPredicate.unit_id, UnitPredicate.recorded_at.desc(),
                  UnitPredicate.id.desc())))
    decidable = policy.unit_predicates_to_decide([u.id for u in units])
    return RunDecisions(run, units, decisions, [u for u in units if u.id in decidable])


def penetapan_file(session: Session, actor: Actor, decision_id: int, storage: Path) -> tuple[Path, str]:
    """The penetapan PDF of a decision on disk and its file name, for someone who may read the unit's predicates."""
    decision = session.get(UnitPredicate, decision_id)
    if decision is None:
        raise NotFound(f"no organisation predicate decision #{decision_id}",
                       msg=Message("predicate.not_found", id=str(decision_id)))
    _require_reader(Policy(session, actor), actor, decision.unit)
    folder = storage.resolve()
    path = (folder / decision.document_path).resolve()
    if folder not in path.parents or not path.is_file():
        raise NotFound(f"the penetapan of decision #{decision_id} is not in the evidence folder",
                       msg=Message("predicate.file_missing", id=str(decision_id)))
    return path, decision.document_name


# -- what if -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CalibrationPeriod:
    """A period a run's ratings are calibrated for: the run's own, or a checkpoint with a periodic predicate.

    ``key`` is empty for the run's own period, else the checkpoint's name (``triwulan.2026-Q1``); ``period``
    is what the organisation predicate is recorded for (``2026``, ``2026-Q1``); ``names`` the results that
    hold each employee's predicate, the one to prefer first.
    """

    key: str
    period: str
    label: Text
    names: tuple[str, ...]


def calibration_periods(run: CycleRun) -> list[CalibrationPeriod]:
    """The run's own period, then each checkpoint of a series that computes a periodic predicate, in order."""
    defn = definition_of(run.definition)
    own = Text(f"Periode putaran {run.period}", f"The run's period {run.period}")
    periods = [CalibrationPeriod("", run.period, own, tuple(predicate_results(defn)))]
    for series in defn.checkpoints:
        names = [name for name, spec in reversed(list(series.results.items()))
                 if computes(spec.rule, EMPLOYEE_PREDICATE)]
        if not names:
            continue
        for checkpoint in checkpoints_of(series, run.period_start, run.period_end):
            periods.append(CalibrationPeriod(checkpoint.name, checkpoint.key, checkpoint.label,
                                             tuple(result_name(checkpoint.name, n) for n in names)))
    return periods


@dataclass(frozen=True)
class Calibration:
    """A unit's spread of predicates in a run against the curve of an organisation predicate.

    ``decision`` is the standing one for the chosen period; ``predicate`` what is measured against (the
    decision's, or a what-if choice, ``what_if``); ``outcome`` the calibration rule's result (None before a
    predicate is known).
    """

    decision: UnitPredicate | None
    predicate: str | None
    what_if: bool
    appraisals: int
    rated: int
    result_names: list[str]
    limits: list[dict[str, Any]]
    periods: list[CalibrationPeriod]
    period: CalibrationPeriod
    outcome: RuleResult | None = None
    rule_error: str | None = None


def unit_calibration(session: Session, run: CycleRun, unit_id: int, with_subunits: bool = True,
                     what_if: str | None = None, checkpoint: str | None = None) -> Calibration:
    """The distribution of the run's ratings in the unit (and every unit below it, ``with_subunits``) against
    the standing decision for the unit (or the nearest above it), or against ``what_if`` when chosen: for the
    run's period, or for ``checkpoint`` (a checkpoint's name, its periodic predicates against the decision for
    its period; the period as the decisions name it, ``2026`` or ``2026-Q1``, is taken too). The ratings are
    summed from the appraisal tally (:func:`~engine.calibration_guard.tallied_rating_counts`), else counted in
    SQL (:func:`~engine.calibration_guard.rating_counts`)."""
    defn = definition_of(run.definition)
    periods = calibration_periods(run)
    wanted = (checkpoint or "").strip()
    chosen = (next((p for p in periods if p.key == wanted), None)
              or next((p for p in periods if wanted and p.period == wanted), None))
    if chosen is None:
        known = [p.key for p in periods if p.key]
        raise InvalidInput(f"'{checkpoint}' is not a checkpoint of run #{run.id} to calibrate; choose one of "
                           f"{', '.join(known) or 'none'} or the run's period",
                           msg=Message("calibration.unknown_period" if known else "calibration.only_period",
                                       text=(checkpoint or "")[:60], known=known, period=run.period))
    labels = unit_predicate_labels(defn)
    if what_if is not None and what_if not in labels:
        raise InvalidInput(f"'{what_if}' is not an organisation predicate; choose one of {', '.join(labels)}",
                           msg=Message("predicate.unknown", text=what_if[:60], known=list(labels)))
    names = list(chosen.names)
    decision = standing_decision(session, unit_id, chosen.period)
    choice = what_if
    predicate = choice or (decision.predicate if decision is not None else None)
    is_what_if = choice is not None and (decision is None or choice != decision.predicate)
    if not names:
        return Calibration(decision, predicate, is_what_if, 0, 0, names, [], periods, chosen)
    units: dict[str, Any] = {"within": unit_id} if with_subunits else {"unit_ids": [unit_id]}
    tallied = tallied_rating_counts(session, run.cycle_id, run.period, names, **units)
    ratings = tallied or rating_counts(session, run.cycle_id, run.period, names, **units)
    rated = ratings.rated()
    params = calibration_params(defn)
    base = Calibration(decision, predicate, is_what_if, ratings.total, ratings.rated_count, names, [], periods,
                       chosen)
    if predicate is None:
        return base
    try:
        try:
            outcome = calibrate(predicate, rated, params, defn)
        except RuleError:
            if tallied is None:
                raise
            # The refusal names an appraisal holding the label: counted again with the appraisals' ids.
            outcome = calibrate(predicate, rating_counts(session, run.cycle_id, run.period, names, **units).rated(),
                                params, defn)
    except RuleError as exc:
        return replace(base, rule_error=exc.message)
    limits = list(_limits_of(defn, params, predicate))
    return replace(base, outcome=outcome, limits=limits)


def _limits_of(defn: CycleDefinition, params: Mapping[str, Any], predicate: str) -> list[dict[str, Any]]:
    return list(calibration_rule(defn).param(params, "limits").get(predicate, []))


def gloss(predicate: str) -> str:
    """The English gloss of an organisation predicate (Istimewa: outstanding)."""
    return UNIT_PREDICATE_GLOSS.get(predicate, predicate)


__all__ = [
    "EVENT_KIND", "PENETAPAN_FILE", "Calibration", "CalibrationPeriod", "Penetapan", "RunDecisions",
    "calibration_periods", "check_penetapan", "decision_payload", "gloss", "parse_day", "parse_predicate",
    "penetapan_file", "period_span", "record_unit_predicate", "run_decisions", "unit_calibration",
]
