"""The SKP section: each IKI with its target, realisation and achievement, and who supplied each value."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from engine.definition import Text
from engine.detail.model import RealisationEntry, SkpRow, StoredEvidence
from engine.detail.reading import Reading
from engine.insight import IndicatorAchievement, indicator_achievements
from engine.models import Indicator, Realisation, Result
from engine.provenance import Provenance, realisation_provenance, system_provenance, target_provenance

ACHIEVEMENT_PREFIX = "iki."


def _entry(row: Realisation, supplied_by: Provenance) -> RealisationEntry:
    evidence = None
    if row.evidence_name:
        evidence = StoredEvidence(row.evidence_name, row.evidence_path or "", row.evidence_sha256, row.evidence_size,
                                  row.evidence_type)
    return RealisationEntry(row.id, row.value, row.note, row.recorded_at, supplied_by, evidence)


def skp_rows(reading: Reading) -> tuple[SkpRow, ...]:
    """The IKI of the SKP: the cycle's fixed ones, then the employee's own, with realisation and achievement.

    A value the system feeds (the unit's IKM) is shown once, as the system's, and never beside a typed one.
    """
    session, defn, appraisal = reading.session, reading.defn, reading.appraisal
    realisations = list(session.scalars(
        select(Realisation).where(Realisation.appraisal_id == appraisal.id).order_by(Realisation.id)))
    supplied = realisation_provenance(session, defn, realisations)
    by_key: dict[str, list[RealisationEntry]] = {}
    for r in realisations:
        by_key.setdefault(r.indicator_key, []).append(_entry(r, supplied[r.id]))
    achievements = {name.removeprefix(ACHIEVEMENT_PREFIX): result
                    for name, result in reading.stored_results.items() if name.startswith(ACHIEVEMENT_PREFIX)}
    own = list(session.scalars(select(Indicator).where(Indicator.appraisal_id == appraisal.id)
                               .order_by(Indicator.position, Indicator.id))) if defn.skp.employee_indicators else []
    targets = target_provenance(session, defn, own)
    fed = any(system_provenance(ind) is not None for ind in defn.indicators)
    live: dict[str, IndicatorAchievement] = {}
    if realisations or fed:
        live = {a.key: a for a in indicator_achievements(session, appraisal)}
    rows: list[SkpRow] = []
    for ind in defn.indicators:
        rows.append(_row(ind.id, ind.label, "", None, ind.aspect, ind.target, ind.unit, ind.weight, True,
                         targets.get(ind.id), system_provenance(ind), by_key, achievements, live))
    for i in own:
        rows.append(_row(i.key, Text(i.label, i.label), i.rhk or "", i.parent_rhk, i.aspect, i.target, i.unit,
                         i.weight, False, targets.get(i.key), None, by_key, achievements, live, i.parent_id))
    return tuple(rows)


def _row(key: str, label: Text, rhk: str, parent_rhk: str | None, aspect: str | None, target: object,
         unit: str | None, weight: object, fixed: bool, target_by: Provenance | None, system: Provenance | None,
         by_key: Mapping[str, list[RealisationEntry]], achievements: Mapping[str, Result],
         live: Mapping[str, IndicatorAchievement], parent_id: int | None = None) -> SkpRow:
    """One IKI: its realisation as the system feeds it or as last typed, its stored or live achievement."""
    result = achievements.get(key)
    now = live.get(key)
    details = result.details if result is not None else None
    if system is not None:
        # Once rated, the value the rating used; until then the source's value now.
        if isinstance(details, Mapping) and "source" in details:
            realisation = details.get("realisation")
        else:
            realisation = now.realisation if now is not None else None
        history: tuple[RealisationEntry, ...] = ()
        realisation_by: Provenance | None = system
    else:
        history = tuple(by_key.get(key, ()))
        realisation = history[-1].value if history else None
        realisation_by = history[-1].supplied_by if history else None
    achievement = result.value if result is not None else None
    explanation = dict(result.explanation or {}) if result is not None else {}
    live_value, live_note = None, {}
    if achievement is None and now is not None and now.achievement is not None:
        live_value, live_note = now.achievement, dict(now.explanation)
    return SkpRow(key=key, label=label, rhk=rhk, parent_rhk=parent_rhk, aspect=aspect, target=target, unit=unit,
                  weight=weight, fixed=fixed, target_by=target_by, realisation=realisation,
                  realisation_by=realisation_by, realisations=history, achievement=achievement,
                  achievement_explanation=explanation, live_achievement=live_value, live_explanation=live_note,
                  parent_id=parent_id)
