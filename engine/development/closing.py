"""Closing an appraisal below the year's JP target: the cycle declares whether that warns or is refused
(``development: {below_target: warn | refuse}``, :data:`engine.vocabulary.JP_BELOW_TARGET`).

Closing is a transition into a final state. :mod:`engine.runtime` asks :func:`jp_shortfall` while it checks
the transition's guards: a refusal holds the transition like a failed guard, a warning lets it through and
is told to the person (``FireOutcome.warnings``).
"""

from __future__ import annotations

from typing import Protocol

from engine.definition import CycleDefinition, TransitionDef
from rules.numbers import fmt_both


class JpSource(Protocol):
    """What the check reads of the appraisal: the JP done (``engine.facts.Facts``)."""

    def jp_done(self) -> float: ...


def jp_shortfall(defn: CycleDefinition, transition: TransitionDef, facts: JpSource) -> dict[str, str] | None:
    """The message when ``transition`` closes the appraisal with fewer JP done than the target; else None."""
    dest = defn.states.get(transition.dest)
    if dest is None or not dest.final or defn.jp_target <= 0:
        return None
    done = facts.jp_done()
    if done >= defn.jp_target:
        return None
    (done_id, done_en), (target_id, target_en) = fmt_both(done), fmt_both(defn.jp_target)
    missing_id, missing_en = fmt_both(defn.jp_target - done)
    if defn.jp_below_target == "refuse":
        return {"id": f"Pengembangan kompetensi baru {done_id} dari target {target_id} JP (kurang {missing_id} JP): "
                      "siklus ini tidak dapat ditutup sebelum target JP terpenuhi.",
                "en": f"Competence development is at {done_en} of the {target_en} JP target ({missing_en} JP short): "
                      "this cycle cannot close until the JP target is met."}
    return {"id": f"Ditutup dengan pengembangan kompetensi {done_id} dari target {target_id} JP "
                  f"(kurang {missing_id} JP).",
            "en": f"Closed with competence development at {done_en} of the {target_en} JP target "
                  f"({missing_en} JP short)."}
