"""``feedback_360``: one score from several rater roles, respecting minimum counts and anonymity.

Defaults come from a peer agency's 360 tool (REGULATION §9, reference only, not law): supervisor 50,
peers 30, subordinates 20, or 50/50 without subordinates; it needs the supervisor, at least 3 peers
and all active subordinates before it scores. A role with no raters at all (``active_raters`` says 0,
or, when that input is not given, nobody of that role answered) is left out and the remaining weights
are renormalised, unless ``fallback_weights`` names weights for exactly that situation. A role that
has raters but too few answers makes the result wait.

Anonymity: individual answers are never shown. The mean of an anonymous role is shown only when
every anonymous role in the score has at least ``anonymity_threshold`` respondents; otherwise all
per-role means are withheld, because with the overall score and the other means a single answer
could be worked out.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import HUNDRED, ZERO, fmt, is_number, number_input, round_half_up, to_decimal
from rules.text import closest, describe_value, did_you_mean, join

DEFAULT_ROLES: dict[str, dict[str, Any]] = {
    "supervisor": {"weight": 50, "min_respondents": 1, "required": True, "anonymous": False},
    "peers": {"weight": 30, "min_respondents": 3},
    "subordinates": {"weight": 20, "min_respondents": "all"},
}
DEFAULT_FALLBACK: list[Mapping[str, Any]] = [{"absent": ["subordinates"], "weights": {"supervisor": 50, "peers": 50}}]
ROLE_NAMES = {
    "supervisor": ("atasan", "supervisor"),
    "peers": ("rekan kerja", "peers"),
    "subordinates": ("bawahan", "subordinates"),
    "public": ("masyarakat", "the public"),
    "self": ("diri sendiri", "self"),
}


def role_name(role: str, lang: str) -> str:
    names = ROLE_NAMES.get(role)
    return role if names is None else names[0 if lang == "id" else 1]


class Feedback360(Rule):
    name = "feedback_360"
    title = {"id": "Umpan balik 360 derajat", "en": "360-degree feedback"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "roles": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "weight": {"type": "number", "exclusiveMinimum": 0},
                        "min_respondents": {"anyOf": [{"type": "integer", "minimum": 1}, {"const": "all"}],
                                            "description": "Answers needed before the role counts (default 1); "
                                                           "'all' means every active rater of the role."},
                        "required": {"type": "boolean",
                                     "description": "The score waits for this role (default false)."},
                        "anonymous": {"type": "boolean", "description": "Hide the role's mean below the anonymity "
                                                                        "threshold (default true)."},
                    },
                    "required": ["weight"],
                    "additionalProperties": False,
                },
                "default": DEFAULT_ROLES,
                "description": "Rater role -> {weight, min_respondents, required, anonymous}; weights total 100.",
            },
            "fallback_weights": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "absent": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
                        "weights": {"type": "object",
                                    "additionalProperties": {"type": "number", "exclusiveMinimum": 0}},
                    },
                    "required": ["absent", "weights"],
                    "additionalProperties": False,
                },
                "default": DEFAULT_FALLBACK,
                "description": "Weights to use when exactly these roles are absent, instead of renormalising. "
                               "The default (50/50 without subordinates) applies only with the default roles.",
            },
            "anonymity_threshold": {
                "type": "integer",
                "minimum": 1,
                "default": 3,
                "description": "Respondents an anonymous role needs before its mean may be shown.",
            },
            "score_range": {
                "type": "array",
                "prefixItems": [{"type": "number"}, {"type": "number"}],
                "minItems": 2,
                "maxItems": 2,
                "description": "Optional [lowest, highest] score an answer may have, e.g. [1, 5].",
            },
        },
        "additionalProperties": False,
    }
    inputs = {
        "responses": InputSpec({"id": "jawaban penilai (daftar berisi role dan score)",
                                "en": "the raters' answers (a list of role and score)"}),
        "active_raters": InputSpec({"id": "jumlah penilai aktif per peran",
                                    "en": "the number of active raters per role"},
                                   required=False),
    }

    def _fallback(self, params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        if "fallback_weights" in params:
            return list(params["fallback_weights"])
        # The §9 fallback speaks of the default roles; custom roles renormalise unless told otherwise.
        return [] if "roles" in params else DEFAULT_FALLBACK

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        roles: Mapping[str, Any] = self.param(params, "roles")
        problems = []
        total = sum(to_decimal(r["weight"]) for r in roles.values())
        if total != HUNDRED:
            problems.append(ParamProblem(("roles",),
                                         f"the role weights must total 100; these total {fmt(total, 'en', 6)}",
                                         "role_weights", {"total": float(total)}))
        for index, fallback in enumerate(self._fallback(params)):
            unknown = [r for r in fallback["absent"] if r not in roles]
            for role in unknown:
                problems.append(ParamProblem(("fallback_weights", index, "absent"),
                                             f"unknown role '{role}'{did_you_mean(role, roles)}", "unknown_role",
                                             {"role": role, "hint": closest(role, roles)}))
            if unknown:
                continue
            present = set(roles) - set(fallback["absent"])
            if set(fallback["weights"]) != present:
                problems.append(ParamProblem(("fallback_weights", index, "weights"),
                                             "must give a weight to exactly the roles still present: "
                                             f"{', '.join(sorted(present))}", "fallback_roles",
                                             {"roles": sorted(present)}))
                continue
            fb_total = sum(to_decimal(w) for w in fallback["weights"].values())
            if fb_total != HUNDRED:
                problems.append(ParamProblem(("fallback_weights", index, "weights"),
                                             f"the weights must total 100; these total {fmt(fb_total, 'en', 6)}",
                                             "weights_total", {"expected": 100, "total": float(fb_total)}))
        score_range = params.get("score_range")
        if score_range is not None and not score_range[0] < score_range[1]:
            problems.append(ParamProblem(("score_range",),
                                         f"the lowest score must be below the highest, not {score_range}",
                                         "score_range", {"low": str(score_range[0]), "high": str(score_range[1])}))
        return problems

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        roles: Mapping[str, Mapping[str, Any]] = self.param(params, "roles")
        sums, counts = _tally(inputs["responses"], roles, params.get("score_range"))
        active = _active_raters(inputs.get("active_raters"), roles)

        present: list[str] = []
        absent: list[str] = []
        waiting: list[tuple[str, Mapping[str, str]]] = []
        for role, spec in roles.items():
            n, available = counts[role], active.get(role)
            if available is not None and n > available:
                raise RuleError(f"{n} answers from role '{role}' but only {available} active rater(s)",
                                input="responses")
            wanted = spec.get("min_respondents", 1)
            if available == 0 or (available is None and n == 0):
                if spec.get("required", False):
                    waiting.append((f"responses[{role}]", {
                        "id": f"jawaban dari {role_name(role, 'id')} (wajib ada)",
                        "en": f"an answer from the {role_name(role, 'en')} (required)",
                    }))
                else:
                    absent.append(role)
                continue
            if wanted == "all":
                if available is None:
                    waiting.append(("active_raters", {
                        "id": f"jumlah {role_name(role, 'id')} yang aktif (semua harus menjawab)",
                        "en": f"how many {role_name(role, 'en')} are active (all of them must answer)",
                    }))
                    continue
                wanted = available
            if n < wanted:
                waiting.append((f"responses[{role}]", {
                    "id": f"jawaban {role_name(role, 'id')}: {n} dari paling sedikit {wanted}",
                    "en": f"answers from {role_name(role, 'en')}: {n} of at least {wanted}",
                }))
                continue
            present.append(role)
        respondents = {role: counts[role] for role in roles}
        if waiting:
            return self.waiting(waiting, details={"respondents": respondents})
        if not present:
            return self.waiting([("responses", {"id": "jawaban penilai", "en": "the raters' answers"})],
                                details={"respondents": respondents})

        weights, how = _weights(roles, present, absent, self._fallback(params))
        weight_total = sum(weights.values())
        means = {role: sums[role] / counts[role] for role in present}
        score = round_half_up(sum(means[r] * weights[r] for r in present) / weight_total, 2)
        threshold = self.param(params, "anonymity_threshold")
        thin = [r for r in present if roles[r].get("anonymous", True) and counts[r] < threshold]

        shares = {r: weights[r] * HUNDRED / weight_total for r in present}
        counted = {lang: ", ".join(f"{role_name(r, lang)} {counts[r]}" for r in roles if counts[r])
                   for lang in ("id", "en")}
        everyone = sum(counts.values())
        left_out = {lang: join([role_name(r, lang) for r in absent], lang) for lang in ("id", "en")}
        used = {lang: join([f"{role_name(r, lang)} {fmt(shares[r], lang)}%" for r in present], lang)
                for lang in ("id", "en")}
        parts = {
            "id": [f"Umpan balik 360 dari {everyone} responden ({counted['id']})."],
            "en": [f"360-degree feedback from {everyone} respondent(s) ({counted['en']})."],
        }
        if absent:
            parts["id"].append(f"Tanpa {left_out['id']}, bobot {how['id']}: {used['id']}.")
            parts["en"].append(f"With no {left_out['en']}, the weights {how['en']}: {used['en']}.")
        else:
            parts["id"].append(f"Bobot: {used['id']}.")
            parts["en"].append(f"Weights: {used['en']}.")
        details: dict[str, Any] = {
            "respondents": respondents,
            "weights": {r: float(round_half_up(shares[r], 2)) for r in present},
            "absent_roles": absent,
        }
        if thin:
            details["role_means"] = None
            parts["id"].append(f"Rata-rata per peran tidak ditampilkan untuk menjaga kerahasiaan penilai "
                               f"({join([role_name(r, 'id') for r in thin], 'id')} kurang dari {threshold} responden). "
                               f"Skor = {fmt(score, 'id')}.")
            parts["en"].append("Per-role means are withheld to protect the raters' anonymity "
                               f"({join([role_name(r, 'en') for r in thin], 'en')} fewer than {threshold} "
                               f"respondents). Score = {fmt(score, 'en')}.")
        else:
            details["role_means"] = {r: float(round_half_up(means[r], 2)) for r in present}
            formula = {lang: " + ".join(f"{fmt(means[r], lang)} × {fmt(shares[r], lang)}%" for r in present)
                       for lang in ("id", "en")}
            listed = {lang: join([f"{role_name(r, lang)} {fmt(means[r], lang)}" for r in present], lang)
                      for lang in ("id", "en")}
            parts["id"].append(f"Rata-rata per peran: {listed['id']}. Skor = {formula['id']} = {fmt(score, 'id')}.")
            parts["en"].append(f"Mean per role: {listed['en']}. Score = {formula['en']} = {fmt(score, 'en')}.")
        return RuleResult(float(score), {lang: " ".join(parts[lang]) for lang in ("id", "en")}, details=details)


def _tally(responses: Any, roles: Mapping[str, Any],
           score_range: list[float] | None) -> tuple[dict[str, Decimal], dict[str, int]]:
    """Sum and count of scores per role; the answers themselves go no further than this function."""
    if not isinstance(responses, (list, tuple)):
        raise RuleError(f"input 'responses' must be a list of answers, not {describe_value(responses)}",
                        input="responses")
    sums = {role: ZERO for role in roles}
    counts = {role: 0 for role in roles}
    for number, answer in enumerate(responses, start=1):
        if not isinstance(answer, Mapping) or "role" not in answer or "score" not in answer:
            raise RuleError(f"answer {number} in 'responses' must be a mapping with 'role' and 'score'",
                            input="responses")
        role = answer["role"]
        if role not in roles:
            raise RuleError(f"answer {number} in 'responses' has role {role!r}, which is not configured"
                            f"{did_you_mean(str(role), roles)}; roles: {', '.join(roles)}", input="responses")
        if answer["score"] is None:
            continue  # an unanswered form is not an answer
        if not is_number(answer["score"]):
            raise RuleError(f"answer {number} in 'responses' must have a number as its score, "
                            f"not {describe_value(answer['score'])}", input="responses")
        score = to_decimal(answer["score"])
        if score_range is not None and not score_range[0] <= score <= score_range[1]:
            raise RuleError(f"answer {number} in 'responses' has score {answer['score']}, outside the range "
                            f"{score_range[0]} to {score_range[1]}", input="responses")
        sums[role] += score
        counts[role] += 1
    return sums, counts


def _active_raters(raw: Any, roles: Mapping[str, Any]) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise RuleError(f"input 'active_raters' must be a mapping of role to a number of raters, "
                        f"not {describe_value(raw)}", input="active_raters")
    out = {}
    for role, n in raw.items():
        if role not in roles:
            raise RuleError(f"input 'active_raters' names role {role!r}, which is not configured"
                            f"{did_you_mean(str(role), roles)}", input="active_raters")
        out[role] = int(number_input(n, f"active_raters[{role}]", minimum=0))
    return out


def _weights(roles: Mapping[str, Mapping[str, Any]], present: list[str], absent: list[str],
             fallbacks: list[Mapping[str, Any]]) -> tuple[dict[str, Decimal], dict[str, str]]:
    """The weights used and how they were chosen (as configured, a fallback row, or renormalised)."""
    if absent:
        for fallback in fallbacks:
            if set(fallback["absent"]) == set(absent):
                return ({r: to_decimal(fallback["weights"][r]) for r in present},
                        {"id": "memakai aturan pengganti", "en": "follow the configured fallback"})
        return ({r: to_decimal(roles[r]["weight"]) for r in present},
                {"id": "dinormalkan ulang", "en": "are renormalised"})
    return {r: to_decimal(roles[r]["weight"]) for r in present}, {"id": "", "en": ""}
