"""``calibration``: does a unit's spread of employee predicates fit its organisation predicate?

The head of the organisation above sets each unit's predicate (Istimewa ... Sangat Kurang) and that
bounds how many employees may hold each predicate (PermenPAN-RB 6/2022 appendix, single secondary
source; the default ``limits`` below are that table and are configurable). The rule never changes a
rating: its value is True when the unit complies and False otherwise, with every broken limit listed
in ``details["violations"]`` and in the explanation, so HR can use it as a guard before finalising.

Shares are compared exactly in whole-number arithmetic: with 10 employees "at most 70%" allows 7,
with 3 employees it allows 2 (2 of 3 is 66,67%; 3 of 3 is 100%).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rules.base import CALIBRATION, InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import HUNDRED, fmt, round_half_up, to_decimal
from rules.terms import PREDICATES, UNIT_PREDICATE_GLOSS, UNIT_PREDICATES, parse_label, predicate
from rules.text import describe_value, join

BOUNDS = ("at_most_percent", "at_least_percent", "at_most_count", "at_least_count")

DEFAULT_LIMITS: dict[str, list[dict[str, Any]]] = {
    "Istimewa": [
        {"predicates": ["Sangat Baik"], "at_most_percent": 70},
    ],
    "Baik": [
        {"predicates": ["Baik"], "at_most_percent": 70},
        {"predicates": ["Butuh Perbaikan", "Kurang/Misconduct"], "at_least_count": 1},
    ],
    "Butuh Perbaikan": [
        {"predicates": ["Butuh Perbaikan"], "at_least_percent": 60},
        {"predicates": ["Sangat Baik"], "at_most_percent": 10},
    ],
    "Kurang": [
        {"predicates": ["Kurang/Misconduct"], "at_least_percent": 60},
        {"predicates": ["Butuh Perbaikan"], "at_least_percent": 10},
        {"predicates": ["Sangat Baik"], "at_most_percent": 10},
    ],
    "Sangat Kurang": [
        {"predicates": ["Sangat Kurang"], "at_least_percent": 60},
        {"predicates": ["Kurang/Misconduct", "Butuh Perbaikan"], "at_least_percent": 10},
        {"predicates": ["Sangat Baik"], "at_most_count": 0},
    ],
}

_LIMIT = {
    "type": "object",
    "properties": {
        "predicates": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(PREDICATES)},
                       "description": "Employee predicates counted together."},
        "at_most_percent": {"type": "number", "minimum": 0, "maximum": 100},
        "at_least_percent": {"type": "number", "minimum": 0, "maximum": 100},
        "at_most_count": {"type": "integer", "minimum": 0},
        "at_least_count": {"type": "integer", "minimum": 0},
    },
    "required": ["predicates"],
    "additionalProperties": False,
}

_WORDS = {
    "at_most_percent": ("paling banyak {n}%", "at most {n}%"),
    "at_least_percent": ("paling sedikit {n}%", "at least {n}%"),
    "at_most_count": ("paling banyak {n} orang", "at most {n} employee(s)"),
    "at_least_count": ("paling sedikit {n} orang", "at least {n} employee(s)"),
}


class Calibration(Rule):
    name = "calibration"
    title = {"id": "Kalibrasi kurva distribusi", "en": "Distribution-curve calibration"}
    computes = CALIBRATION
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "limits": {
                "type": "object",
                "propertyNames": {"enum": list(UNIT_PREDICATES)},
                "additionalProperties": {"type": "array", "items": _LIMIT},
                "default": DEFAULT_LIMITS,
                "description": "Unit predicate -> list of limits, each {predicates, and exactly one of "
                               "at_most_percent, at_least_percent, at_most_count, at_least_count}.",
            },
        },
        "additionalProperties": False,
    }
    inputs = {
        "unit_predicate": InputSpec({"id": "predikat kinerja organisasi unit",
                                     "en": "the unit's organisation predicate"}, labels=UNIT_PREDICATES),
        "predicates": InputSpec({"id": "predikat setiap pegawai di unit (daftar, atau id pegawai -> predikat)",
                                 "en": "every employee's predicate in the unit (a list, or employee id -> predicate)"},
                                labels=PREDICATES),
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        problems = []
        for unit, limits in params.get("limits", {}).items():
            for index, limit in enumerate(limits):
                given = [b for b in BOUNDS if b in limit]
                if len(given) != 1:
                    problems.append(ParamProblem(
                        ("limits", unit, index),
                        f"each limit needs exactly one of {', '.join(BOUNDS)}; this one has "
                        f"{'none' if not given else ', '.join(given)}",
                        "limit_bounds", {"bounds": list(BOUNDS), "given": list(given)},
                    ))
        return problems

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        unit = parse_label(inputs["unit_predicate"], UNIT_PREDICATES, "input 'unit_predicate'")
        labels, missing = _employee_predicates(inputs["predicates"])
        if missing:
            return self.waiting([(f"predicates[{key}]",
                                  {"id": f"predikat pegawai {key}", "en": f"the predicate of employee {key}"})
                                 for key in missing])
        total = len(labels)
        if total == 0:
            return self.waiting([("predicates",
                                  {"id": "predikat pegawai di unit (unit ini belum punya pegawai dinilai)",
                                   "en": "the employees' predicates (no employee in this unit is rated yet)"})])
        counts = {p: 0 for p in PREDICATES}
        for label in labels:
            counts[label] += 1
        limits = self.param(params, "limits").get(unit, [])
        checks = [_check(limit, counts, total) for limit in limits]
        violations = [c for c in checks if not c["ok"]]
        spread = {lang: join([f"{n} {predicate(p, lang)}" for p, n in counts.items() if n], lang)
                  for lang in ("id", "en")}
        head = {
            "id": f"Unit berpredikat {unit} dengan {total} pegawai dinilai: {spread['id']}.",
            "en": f"Unit with organisation predicate {unit} ({UNIT_PREDICATE_GLOSS[unit]}) and {total} rated "
                  f"employee(s): {spread['en']}.",
        }
        if not limits:
            body = {"id": f"Tidak ada batas distribusi untuk unit berpredikat {unit}, jadi unit memenuhi ketentuan.",
                    "en": f"No distribution limits are set for {unit} units, so the unit complies."}
        else:
            lines = {lang: "; ".join(c["message"][lang] for c in checks) for lang in ("id", "en")}
            if violations:
                body = {
                    "id": f"Batas kurva distribusi: {lines['id']}. Unit ini melanggar {len(violations)} batas; "
                          "kalibrasi tidak mengubah predikat pegawai.",
                    "en": f"Distribution limits: {lines['en']}. This unit breaks {len(violations)} limit(s); "
                          "calibration never changes an employee's predicate.",
                }
            else:
                body = {
                    "id": f"Batas kurva distribusi: {lines['id']}. Unit ini memenuhi semua batas.",
                    "en": f"Distribution limits: {lines['en']}. This unit meets every limit.",
                }
        explanation = {lang: f"{head[lang]} {body[lang]}" for lang in ("id", "en")}
        return RuleResult(not violations, explanation, details={
            "unit_predicate": unit,
            "employees": total,
            "counts": counts,
            "violations": violations,
        })


def _employee_predicates(raw: Any) -> tuple[list[str], list[str]]:
    """Validated labels, and the employees (ids or 1-based positions) whose predicate is not in yet."""
    if isinstance(raw, Mapping):
        items = [(str(key), value) for key, value in raw.items()]
    elif isinstance(raw, (list, tuple)):
        items = [(str(position), value) for position, value in enumerate(raw, start=1)]
    else:
        raise RuleError(f"input 'predicates' must be a list of predicates or a mapping of employee ids to predicates, "
                        f"not {describe_value(raw)}", input="predicates")
    labels, missing = [], []
    for key, value in items:
        if value is None:
            missing.append(key)
        else:
            labels.append(parse_label(value, PREDICATES, f"the predicate of employee {key} in 'predicates'"))
    return labels, missing


def _check(limit: Mapping[str, Any], counts: Mapping[str, int], total: int) -> dict[str, Any]:
    """One limit against the unit: whether it holds, and a sentence in each language saying so."""
    bound = next(b for b in BOUNDS if b in limit)
    n = limit[bound]
    count = sum(counts[p] for p in limit["predicates"])
    share = round_half_up(Decimal(count) * HUNDRED / total, 2)
    exact = to_decimal(n)
    if bound == "at_most_percent":
        ok = count * HUNDRED <= exact * total
    elif bound == "at_least_percent":
        ok = count * HUNDRED >= exact * total
    elif bound == "at_most_count":
        ok = count <= n
    else:
        ok = count >= n
    which = {lang: join([predicate(p, lang) for p in limit["predicates"]], lang, "or") for lang in ("id", "en")}
    id_word, en_word = _WORDS[bound]
    message = {
        "id": f"{id_word.format(n=fmt(exact, 'id'))} {which['id']}: {count} dari {total} pegawai "
              f"({fmt(share, 'id')}%), {'terpenuhi' if ok else 'dilanggar'}",
        "en": f"{en_word.format(n=fmt(exact, 'en'))} {which['en']}: {count} of {total} employees "
              f"({fmt(share, 'en')}%), {'met' if ok else 'broken'}",
    }
    return {
        "predicates": list(limit["predicates"]),
        "limit": bound,
        "bound": n,
        "count": count,
        "share": float(share),
        "ok": ok,
        "message": message,
    }
