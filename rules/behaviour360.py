"""``behaviour_360``: the work-behaviour rating with the 360 counted, as the cycle declares.

The rater's own behaviour rating (Di Atas / Sesuai / Di Bawah Ekspektasi, from ``behaviour_rating``)
is read as a score (``rating_scores``, by default 4 / 3 / 2 on the 1-4 scale of the BerAKHLAK 360
answers) and weighed with the mean answer of each 360 role the cycle lists (peers, subordinates...);
the weighted score is read against ``thresholds`` (by default at least 3,5 is Di Atas, at least 2,5
Sesuai) to give the rating.

Each 360 role states its minimum respondents. When a role has answers from fewer people than its
minimum (a small team: two peers where three are needed), the cycle's ``fallback`` decides, and the
explanation says so: ``supervisor_only`` (the default) takes the rater's rating alone;
``renormalise`` leaves the short roles out and shares their weight among those that have enough
(the rater's rating alone when none has). Answers of a role the cycle does not list (the rater's own
answers in the window) are not counted: the rater speaks through the rating.

Anonymity as in ``feedback_360``: no answer is shown; a role's mean is shown only when every 360 role
counted has at least ``anonymity_threshold`` respondents.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rules.bands import three_bands
from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.feedback360 import role_name
from rules.numbers import HUNDRED, ZERO, fmt, is_number, round_half_up, to_decimal
from rules.terms import ABOVE, BELOW, MEETS, RATING_LABELS, parse_label, rating
from rules.text import describe_value, join

SCHEMA = "https://json-schema.org/draft/2020-12/schema"
SUPERVISOR_ONLY, RENORMALISE = "supervisor_only", "renormalise"
DEFAULT_SCORES = {ABOVE: 4, MEETS: 3, BELOW: 2}


class Behaviour360(Rule):
    name = "behaviour_360"
    labels = RATING_LABELS
    title = {"id": "Rating perilaku kerja dengan umpan balik 360", "en": "Work-behaviour rating with 360 feedback"}
    params_schema = {
        "$schema": SCHEMA,
        "type": "object",
        "properties": {
            "supervisor_weight": {"type": "number", "exclusiveMinimum": 0, "default": 60,
                                  "description": "Weight of the rater's own behaviour rating (the weights total 100)."},
            "roles": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "weight": {"type": "number", "exclusiveMinimum": 0},
                        "min_respondents": {"type": "integer", "minimum": 1,
                                            "description": "Respondents the role needs before it counts (default 3)."},
                    },
                    "required": ["weight"],
                    "additionalProperties": False,
                },
                "default": {"peers": {"weight": 40, "min_respondents": 3}},
                "description": "360 rater role (peers, subordinates, a group role...) -> {weight, min_respondents}.",
            },
            "fallback": {"enum": [SUPERVISOR_ONLY, RENORMALISE], "default": SUPERVISOR_ONLY,
                         "description": "When a role has fewer respondents than its minimum: the rater's rating "
                                        "alone, or the other roles with their weights shared out."},
            "rating_scores": {
                "type": "object",
                "properties": {label: {"type": "number"} for label in RATING_LABELS},
                "required": list(RATING_LABELS),
                "additionalProperties": False,
                "default": DEFAULT_SCORES,
                "description": "The score of each rating of the rater on the 360 answers' scale.",
            },
            "thresholds": {
                "type": "object",
                "properties": {"above": {"type": "number"}, "meets": {"type": "number"}},
                "required": ["above", "meets"],
                "additionalProperties": False,
                "default": {"above": 3.5, "meets": 2.5},
                "description": "Lowest weighted score rated Di Atas, and Sesuai Ekspektasi.",
            },
            "anonymity_threshold": {"type": "integer", "minimum": 1, "default": 3,
                                    "description": "Respondents every role needs before role means are shown."},
        },
        "additionalProperties": False,
    }
    inputs = {
        "rating": InputSpec({"id": "rating perilaku kerja dari pejabat penilai",
                             "en": "the rater's work-behaviour rating"}, labels=RATING_LABELS),
        "responses": InputSpec({"id": "jawaban umpan balik 360 (daftar berisi role dan score)",
                                "en": "the 360 answers (a list of role and score)"}, required=False),
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        roles: Mapping[str, Any] = self.param(params, "roles")
        total = to_decimal(self.param(params, "supervisor_weight")) + sum(to_decimal(r["weight"])
                                                                         for r in roles.values())
        problems = []
        if total != HUNDRED:
            problems.append(ParamProblem(("roles",), "the rater's weight and the role weights must total 100; "
                                                     f"these total {fmt(total, 'en', 6)}", "role_weights_rater",
                                         {"total": float(total)}))
        thresholds = self.param(params, "thresholds")
        if not thresholds["above"] > thresholds["meets"]:
            problems.append(ParamProblem(("thresholds", "above"), "must be greater than 'meets'", "above_meets"))
        return problems

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        given = parse_label(inputs["rating"], RATING_LABELS, "input 'rating'")
        roles: Mapping[str, Mapping[str, Any]] = self.param(params, "roles")
        sums, counts = _tally(inputs.get("responses") or [], roles)
        scores = {label: to_decimal(v) for label, v in self.param(params, "rating_scores").items()}
        own = scores[given]
        short = [r for r in roles if counts[r] < roles[r].get("min_respondents", 3)]
        fallback = self.param(params, "fallback")
        used = [r for r in roles if r not in short]
        if short and fallback == SUPERVISOR_ONLY:
            used = []
        heard = {lang: join([f"{role_name(r, lang)} {counts[r]}" for r in roles], lang) for lang in ("id", "en")}
        minimum = {lang: join([f"{role_name(r, lang)} {roles[r].get('min_respondents', 3)}" for r in roles], lang)
                   for lang in ("id", "en")}
        parts = {"id": [f"Penilaian pejabat penilai: {given} (skor {fmt(own, 'id')}). Responden 360: {heard['id']} "
                        f"(minimum {minimum['id']})."],
                 "en": [f"The rater's rating: {rating(given, 'en')} (score {fmt(own, 'en')}). 360 respondents: "
                        f"{heard['en']} (minimum {minimum['en']})."]}
        if short:
            few = {lang: join([f"{counts[r]} {role_name(r, lang)} ("
                               f"{'minimum' if lang == 'id' else 'at least'} {roles[r].get('min_respondents', 3)})"
                               for r in short], lang) for lang in ("id", "en")}
            if not used:
                parts["id"].append(f"Baru {few['id']} yang menjawab, kurang dari minimum; sesuai aturan siklus, "
                                   f"rating perilaku memakai penilaian pejabat penilai saja: {given}.")
                parts["en"].append(f"Only {few['en']} answered, fewer than the minimum; as the cycle declares, the "
                                   f"behaviour rating is the rater's rating alone: {rating(given, 'en')}.")
                return RuleResult(given, {lang: " ".join(p) for lang, p in parts.items()}, details={
                    "rater_rating": given, "respondents": counts, "fallback": SUPERVISOR_ONLY, "score": float(own)})
            parts["id"].append(f"Baru {few['id']} yang menjawab, kurang dari minimum: tidak dihitung, bobotnya "
                               "dibagi ulang.")
            parts["en"].append(f"Only {few['en']} answered, fewer than the minimum: left out, the weights shared "
                               "out again.")
        weights = {"supervisor": to_decimal(self.param(params, "supervisor_weight"))}
        weights.update({r: to_decimal(roles[r]["weight"]) for r in used})
        total = sum(weights.values(), ZERO)
        means = {r: sums[r] / counts[r] for r in used}
        values = {"supervisor": own, **means}
        score = round_half_up(sum(values[k] * weights[k] for k in weights) / total, 2)
        thresholds = self.param(params, "thresholds")
        bands = three_bands(thresholds["above"], thresholds["meets"], RATING_LABELS)
        index = bands.find(score)
        assert index is not None
        label = bands.bands[index].label
        shares = {k: w * HUNDRED / total for k, w in weights.items()}
        named = {lang: {"supervisor": "pejabat penilai" if lang == "id" else "the rater",
                        **{r: role_name(r, lang) for r in used}} for lang in ("id", "en")}
        if all(counts[r] >= self.param(params, "anonymity_threshold") for r in used):
            formula = {lang: " + ".join(f"{fmt(values[k], lang)} × {fmt(shares[k], lang)}%" for k in weights)
                       for lang in ("id", "en")}
        else:
            formula = {lang: join([f"{named[lang][k]} {fmt(shares[k], lang)}%" for k in weights], lang)
                       for lang in ("id", "en")}
        parts["id"].append(f"Skor = {formula['id']} = {fmt(score, 'id')}. Karena {fmt(score, 'id')} berada pada "
                           f"rentang {bands.edges(index, 'id')}, rating perilaku kerja adalah {label}.")
        parts["en"].append(f"Score = {formula['en']} = {fmt(score, 'en')}. Since {fmt(score, 'en')} falls in the "
                           f"range {bands.edges(index, 'en')}, the work-behaviour rating is {rating(label, 'en')}.")
        return RuleResult(label, {lang: " ".join(p) for lang, p in parts.items()}, details={
            "rater_rating": given, "respondents": counts, "score": float(score),
            "weights": {k: float(round_half_up(v, 2)) for k, v in shares.items()},
            "fallback": RENORMALISE if short else None})


def _tally(responses: Any, roles: Mapping[str, Any]) -> tuple[dict[str, Decimal], dict[str, int]]:
    """Sum and count of the 360 scores per listed role; other roles' answers are not counted."""
    if not isinstance(responses, (list, tuple)):
        raise RuleError(f"input 'responses' must be a list of answers, not {describe_value(responses)}",
                        input="responses")
    sums = {role: ZERO for role in roles}
    counts = {role: 0 for role in roles}
    for number, answer in enumerate(responses, start=1):
        if not isinstance(answer, Mapping) or "role" not in answer or "score" not in answer:
            raise RuleError(f"answer {number} in 'responses' must be a mapping with 'role' and 'score'",
                            input="responses")
        if answer["role"] not in roles or answer["score"] is None:
            continue
        if not is_number(answer["score"]):
            raise RuleError(f"answer {number} in 'responses' must have a number as its score, "
                            f"not {describe_value(answer['score'])}", input="responses")
        sums[answer["role"]] += to_decimal(answer["score"])
        counts[answer["role"]] += 1
    return sums, counts
