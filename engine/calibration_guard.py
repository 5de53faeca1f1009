"""Calibration against the unit's organisation predicate: the spread of a unit's employee predicates
measured against the distribution curve its recorded predicate allows (PermenPAN-RB 6/2022 appendix;
SE MenPAN-RB 03/2023: organisation predicate, then the distribution it allows, then the employees').

Two users: the ``calibration:`` guard of the cycle language, checked when a transition fires
(``on_breach: block`` refuses it, ``warn`` lets it through and tells the person), and the what-if
view HR reads before ratings are confirmed (engine.unit_predicate, web/hr). Both count the same way:

* the decision is the standing one (:class:`~engine.models.UnitPredicate`) for the run's period of
  the employee's unit, or else of the nearest unit above it that has one;
* the unit's ratings are the open appraisals of the same cycle and period of every employee in that
  unit and the units below it; each one's predicate is the guard's ``predicate`` result, or the
  cycle's final predicate (the last result whose rule computes an employee predicate, falling back to
  earlier ones);
* an appraisal still without a predicate holds the calibration up: the curve is judged on the whole
  unit, so a block guard waits until every rating is in (HR closes the appraisal of someone who left).

The calibration rule (the cycle's own ``calibration`` result's, else the installed rule that declares it
computes a calibration: rules.base.CALIBRATION) does the counting and writes the explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.definition import CalibrationGuardDef, CycleDefinition, Text
from engine.facts import Facts
from engine.models import Appraisal, Employee, OrgUnit, Result, UnitPredicate
from engine.org import unit_ancestries, units_under
from engine.result_values import decoded, with_first_result
from engine.tallies import ratings as tallied_ratings
from engine.tally_sql import PREDICATE_RESULTS
from rules import CALIBRATION, EMPLOYEE_PREDICATE, Rule, RuleResult, computes, get_rule, rules_computing


def predicate_results(defn: CycleDefinition) -> list[str]:
    """The cycle's employee-predicate results, the one computed last (the final predicate) first."""
    return [name for name, spec in reversed(list(defn.results.items())) if computes(spec.rule, EMPLOYEE_PREDICATE)]


def calibration_rule(defn: CycleDefinition | None = None) -> Rule:
    """The rule of the cycle's own calibration result, else the installed rule that computes a calibration."""
    spec = next((r for r in defn.results.values() if computes(r.rule, CALIBRATION)), None) if defn else None
    return get_rule(spec.rule) if spec is not None else rules_computing(CALIBRATION)[0]


def unit_predicate_labels(defn: CycleDefinition | None = None) -> tuple[str, ...]:
    """The organisation predicates, best first, as the calibration rule declares its ``unit_predicate`` input."""
    return calibration_rule(defn).inputs["unit_predicate"].labels


def calibration_params(defn: CycleDefinition, limits: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The curve to use: ``limits`` when given, else the cycle's own ``calibration`` result's, else the rule's."""
    if limits is not None:
        return {"limits": _plain(limits)}
    spec = next((r for r in defn.results.values() if computes(r.rule, CALIBRATION)), None)
    return _plain(spec.params) if spec is not None else {}


def standing_decision(session: Session, unit_id: int, period: str) -> UnitPredicate | None:
    """The standing organisation predicate for ``period`` of the unit, or of the nearest unit above it."""
    ancestry = unit_ancestries(session, [unit_id]).get(unit_id, (unit_id,))
    found = {row.unit_id: row for row in session.scalars(
        select(UnitPredicate).where(UnitPredicate.unit_id.in_(ancestry), UnitPredicate.period == period,
                                    UnitPredicate.superseded_at.is_(None)))}
    return next((found[u] for u in ancestry if u in found), None)


@dataclass(frozen=True)
class UnitRatings:
    """The predicates of a unit's open appraisals of one cycle and period (None: not rated yet)."""

    predicates: dict[int, str | None]

    @property
    def rated(self) -> dict[str, str]:
        """Appraisal id (as text) -> predicate, for the appraisals that have one."""
        return {str(a): p for a, p in self.predicates.items() if p is not None}

    @property
    def unrated(self) -> list[int]:
        return sorted(a for a, p in self.predicates.items() if p is None)


def unit_ratings(session: Session, cycle_id: str, period: str, unit_ids: Iterable[int] | None,
                 names: Sequence[str], *, within: int | None = None) -> UnitRatings:
    """Each open appraisal of ``cycle_id`` and ``period`` in the units (``within``: a unit and every unit
    below it instead) with the first of the results ``names`` it has."""
    units = units_under([within]) if within is not None else sorted(set(unit_ids or ()))
    appraisals = (select(Appraisal.id).join(Employee, Employee.id == Appraisal.employee_id)
                  .where(Appraisal.cycle_id == cycle_id, Appraisal.period == period, Appraisal.closed_at.is_(None),
                         Employee.unit_id.in_(units)))
    found: dict[int, dict[str, Any]] = {aid: {} for aid in session.scalars(appraisals)}
    if names and found:
        for appraisal_id, name, value in session.execute(
                select(Result.appraisal_id, Result.name, Result.value)
                .where(Result.appraisal_id.in_(appraisals), Result.name.in_(list(names)))):
            if value is not None and appraisal_id in found:
                found[appraisal_id][name] = value
    return UnitRatings({aid: next((str(v[n]) for n in names if n in v), None) for aid, v in found.items()})


@dataclass(frozen=True)
class RatingCounts:
    """How many open appraisals of a unit (of one cycle and period) have each predicate, counted in SQL:
    ``groups`` holds (predicate or None when not rated yet, how many, the lowest appraisal id among them)."""

    groups: tuple[tuple[str | None, int, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n, _ in self.groups)

    @property
    def rated_count(self) -> int:
        return sum(n for p, n, _ in self.groups if p is not None)

    def rated(self) -> dict[str, str]:
        """The rated appraisals as the calibration rule reads them (key -> predicate); each group's first key
        is a real appraisal id, so a predicate the rule does not know is named by an appraisal that holds it."""
        out: dict[str, str] = {}
        for predicate, count, first in self.groups:
            if predicate is None:
                continue
            out[str(first)] = predicate
            out.update((f"{first}.{i}", predicate) for i in range(1, count))
        return out


def rating_counts(session: Session, cycle_id: str, period: str, names: Sequence[str], *,
                  unit_ids: Iterable[int] = (), within: int | None = None) -> RatingCounts:
    """:func:`unit_ratings` as counts: one grouped query over the units (``within``: a unit and every unit
    below it), whatever the number of appraisals."""
    units = units_under([within]) if within is not None else sorted(set(unit_ids))
    stmt = (select().select_from(Appraisal).join(Employee, Employee.id == Appraisal.employee_id)
            .where(Appraisal.cycle_id == cycle_id, Appraisal.period == period, Appraisal.closed_at.is_(None),
                   Employee.unit_id.in_(units)))
    stmt, predicate = with_first_result(stmt, names, strings_only=False)
    stmt = stmt.add_columns(predicate, func.count(Appraisal.id), func.min(Appraisal.id)).group_by(predicate)
    merged: dict[str | None, list[int]] = {}
    for text, count, first in session.execute(stmt):
        value = decoded(text)
        key = None if value is None else str(value)
        seen = merged.setdefault(key, [0, first])
        seen[0] += count
        seen[1] = min(seen[1], first)
    return RatingCounts(tuple((p, n, first) for p, (n, first) in sorted(
        merged.items(), key=lambda item: (item[0] is None, item[0] or ""))))


def tallied_rating_counts(session: Session, cycle_id: str, period: str, names: Sequence[str], *,
                          unit_ids: Iterable[int] = (), within: int | None = None) -> RatingCounts | None:
    """:func:`rating_counts` summed from the appraisal tally (a few rows per unit), when ``names`` are the
    results the tally reads (:data:`~engine.tally_sql.PREDICATE_RESULTS`) and the units are one unit (with those
    below it, ``within``); None otherwise. Its groups carry
    no appraisal id (each a distinct negative number instead), so a rule refusing a label is asked again with
    :func:`rating_counts` to name a real appraisal."""
    single = sorted(set(unit_ids))
    if tuple(names) != PREDICATE_RESULTS or (within is None and len(single) != 1):
        return None
    unit, below = (within, True) if within is not None else (single[0], False)
    merged: dict[str | None, int] = {}
    for text, count in tallied_ratings(session, cycle_id, period, unit, below=below):
        value = decoded(text)
        key = None if value is None else str(value)
        merged[key] = merged.get(key, 0) + count
    ordered = sorted(merged.items(), key=lambda item: (item[0] is None, item[0] or ""))
    return RatingCounts(tuple((p, n, -index) for index, (p, n) in enumerate(ordered, start=1)))


def calibrate(decision_predicate: str, predicates: Mapping[str, str], params: Mapping[str, Any],
              defn: CycleDefinition | None = None) -> RuleResult:
    """The calibration rule over the rated predicates (raises RuleError for a label it does not know)."""
    return calibration_rule(defn).evaluate(params, {"unit_predicate": decision_predicate,
                                                    "predicates": dict(predicates)})


def calibration_breach(guard: CalibrationGuardDef, facts: Facts, message: Text | None = None) -> dict[str, str] | None:
    """Why the appraisal's unit does not fit its organisation predicate now, in both languages (after the
    guard's own ``message``); None when it does. The firing appraisal counts with the predicate this firing
    computed."""
    appraisal = facts.appraisal
    run = appraisal.run
    names = [guard.predicate] if guard.predicate else predicate_results(facts.defn)
    decision = standing_decision(facts.session, appraisal.employee.unit_id, run.period)
    if decision is None:
        unit = facts.session.get(OrgUnit, appraisal.employee.unit_id)
        where = unit.name if unit is not None else f"#{appraisal.employee.unit_id}"
        return {
            "id": f"Belum ada predikat kinerja organisasi yang ditetapkan untuk {where} (atau unit di atasnya) "
                  f"periode {run.period}; SDM mencatat penetapannya dulu, lalu kalibrasi dapat dinilai.",
            "en": f"No organisation predicate is recorded for {where} (or a unit above it) for {run.period}; "
                  "HR records its penetapan first, then calibration can be judged.",
        }
    ratings = unit_ratings(facts.session, run.cycle_id, run.period, None, names, within=decision.unit_id)
    own = next((facts.result_value(n) for n in names if facts.result_value(n) is not None), None)
    predicates = dict(ratings.predicates)
    predicates[appraisal.id] = str(own) if own is not None else None
    unrated = [a for a, p in predicates.items() if p is None]
    unit_name = decision.unit.name
    if unrated:
        return {
            "id": f"Kalibrasi terhadap predikat organisasi {unit_name} ({decision.predicate}) menunggu predikat "
                  f"{len(unrated)} dari {len(predicates)} pegawai; kurva dinilai atas seluruh unit.",
            "en": f"Calibration against {unit_name}'s organisation predicate ({decision.predicate}) waits for the "
                  f"predicate of {len(unrated)} of {len(predicates)} employees; the curve is judged on the whole unit.",
        }
    outcome = calibrate(decision.predicate, {str(a): p for a, p in predicates.items() if p is not None},
                        calibration_params(facts.defn, guard.limits), facts.defn)
    if outcome.value is True:
        return None
    explanation = dict(outcome.explanation)
    if message is not None:
        explanation = {lang: f"{text} {explanation.get(lang, '')}".strip() for lang, text in message.as_dict().items()}
    return {lang: f"{_prefix(decision, lang)} {explanation.get(lang, '')}".strip() for lang in ("id", "en")}


def _prefix(decision: UnitPredicate, lang: str) -> str:
    day = decision.decided_on.isoformat()
    if lang == "id":
        return f"Predikat kinerja organisasi {decision.unit.name} {decision.period}: {decision.predicate} " \
               f"(ditetapkan {day} oleh {decision.decided_by})."
    return f"Organisation predicate of {decision.unit.name} for {decision.period}: {decision.predicate} " \
           f"(decided {day} by {decision.decided_by})."


def _plain(value: Any) -> Any:
    """A plain dict/list copy of frozen definition data (JSON Schema wants real dicts)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


__all__ = ["UnitRatings", "calibrate", "calibration_breach", "calibration_params", "calibration_rule",
           "predicate_results", "rating_counts", "standing_decision", "tallied_rating_counts",
           "unit_predicate_labels", "unit_ratings"]
