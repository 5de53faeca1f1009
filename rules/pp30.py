"""``pp30_score``: the numeric performance score of PP 30/2019 (art. 41), for agencies still on numbers.

Score = SKP score × 70% + behaviour score × 30%, or 60% / 40% when peers and subordinates also rate
behaviour. Both scores run from 0 to 120. Bands, on the score rounded half up to two decimals:

==================  ==========================================================
Sangat Baik         110 ≤ x ≤ 120 and the employee created a new idea or method
Baik                90 ≤ x ≤ 120
Cukup               70 ≤ x < 90 (called Butuh Perbaikan since 2022)
Kurang              50 ≤ x < 70
Sangat Kurang       x < 50
==================  ==========================================================

The "new idea" input is only needed when the score reaches 110; below that it is not asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rules.base import InputSpec, Rule, RuleError, RuleResult
from rules.numbers import HUNDRED, fmt, number_input, round_half_up
from rules.terms import predicate
from rules.text import describe_value

WEIGHTINGS = {"70/30": (Decimal(70), Decimal(30)), "60/40": (Decimal(60), Decimal(40))}
NAMINGS = {
    "2022": ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"),
    "2019": ("Sangat Baik", "Baik", "Cukup", "Kurang", "Sangat Kurang"),
}
# Lower edges of Baik, Cukup and Kurang; Sangat Baik also needs a new idea.
SANGAT_BAIK_FROM, BAIK_FROM, CUKUP_FROM, KURANG_FROM = Decimal(110), Decimal(90), Decimal(70), Decimal(50)


class Pp30Score(Rule):
    name = "pp30_score"
    title = {"id": "Nilai kinerja PP 30/2019", "en": "PP 30/2019 performance score"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "weighting": {
                "enum": list(WEIGHTINGS),
                "default": "70/30",
                "description": "SKP / behaviour weights: 70/30, or 60/40 when peers and subordinates also "
                               "rate behaviour.",
            },
            "naming": {
                "enum": list(NAMINGS),
                "default": "2022",
                "description": "Predicate names: 2022 (Butuh Perbaikan, Kurang/Misconduct) so the result feeds "
                               "credit_points, or the 2019 names (Cukup, Kurang).",
            },
        },
        "additionalProperties": False,
    }
    inputs = {
        "skp_score": InputSpec({"id": "nilai SKP (0-120)", "en": "the SKP score (0-120)"}),
        "behaviour_score": InputSpec({"id": "nilai perilaku kerja (0-120)", "en": "the work-behaviour score (0-120)"}),
        "new_idea": InputSpec(
            {"id": "apakah pegawai menciptakan ide baru atau cara baru (true/false)",
             "en": "whether the employee created a new idea or method (true/false)"},
            required=False,
        ),
    }

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        skp = number_input(inputs["skp_score"], "skp_score", minimum=0, maximum=120)
        behaviour = number_input(inputs["behaviour_score"], "behaviour_score", minimum=0, maximum=120)
        weighting = self.param(params, "weighting")
        names = NAMINGS[self.param(params, "naming")]
        w_skp, w_behaviour = WEIGHTINGS[weighting]
        score = round_half_up(skp * w_skp / HUNDRED + behaviour * w_behaviour / HUNDRED, 2)
        new_idea = inputs.get("new_idea")
        if new_idea is not None and not isinstance(new_idea, bool):
            raise RuleError(f"input 'new_idea' must be true or false, not {describe_value(new_idea)}", input="new_idea")
        if score >= SANGAT_BAIK_FROM and new_idea is None:
            # Only here does the answer change the predicate, so only here is it asked for.
            return self.waiting([("new_idea", self.inputs["new_idea"].description)],
                                details={"score": float(score)})

        if score >= SANGAT_BAIK_FROM and new_idea:
            label, row = names[0], {"id": "110 ≤ x ≤ 120 dan ada ide baru", "en": "110 ≤ x ≤ 120 with a new idea"}
        elif score >= BAIK_FROM:
            label, row = names[1], {"id": "90 ≤ x ≤ 120", "en": "90 ≤ x ≤ 120"}
            if score >= SANGAT_BAIK_FROM:
                row = {"id": "90 ≤ x ≤ 120; Sangat Baik memerlukan ide baru, yang tidak ada",
                       "en": "90 ≤ x ≤ 120; Sangat Baik needs a new idea, and there is none"}
        elif score >= CUKUP_FROM:
            label, row = names[2], {"id": "70 ≤ x < 90", "en": "70 ≤ x < 90"}
        elif score >= KURANG_FROM:
            label, row = names[3], {"id": "50 ≤ x < 70", "en": "50 ≤ x < 70"}
        else:
            label, row = names[4], {"id": "x < 50", "en": "x < 50"}

        explanation = {
            "id": f"Nilai kinerja = nilai SKP {fmt(skp, 'id')} × {w_skp}% + nilai perilaku {fmt(behaviour, 'id')} × "
                  f"{w_behaviour}% = {fmt(score, 'id')}. Baris tabel PP 30/2019: {row['id']}, "
                  f"jadi predikatnya {label}.",
            "en": f"Performance score = SKP score {fmt(skp, 'en')} × {w_skp}% + behaviour score {fmt(behaviour, 'en')} "
                  f"× {w_behaviour}% = {fmt(score, 'en')}. PP 30/2019 table row: {row['en']}, so the predicate is "
                  f"{predicate(label, 'en')}.",
        }
        return RuleResult({"score": float(score), "predicate": label}, explanation,
                          details={"weighting": weighting, "row": row["en"]})
