"""``training_recommendation``: courses for an employee's weak points, and JP done against the year's target.

Weak points are IKI ids or BerAKHLAK keys (the cycle decides which count as weak); the catalog maps
each weak point to courses. The explanation names each weak point as people know it: a BerAKHLAK value by
its name, any other by the name it carries (:class:`rules.terms.Named`: an IKI's name and label, a rated
item's title on its form), a bare key as it is. Every civil servant should complete at least 20 JP (jam pelajaran,
lesson hours) a year (PP 11/2017 art. 203(4) as amended by PP 17/2020; secondary source), so the
target is a parameter with 20 as its default. A weak point with no course in the catalog is named in
the explanation, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rules.base import InputSpec, Rule, RuleError, RuleResult
from rules.numbers import ZERO, fmt, number_input, to_decimal
from rules.terms import shown_name
from rules.text import Lang, describe_value, did_you_mean, join

_COURSE = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1},
        "jp": {"type": "number", "minimum": 0, "description": "Lesson hours (JP) the course gives."},
    },
    "required": ["id", "title", "jp"],
    "additionalProperties": False,
}


class TrainingRecommendation(Rule):
    name = "training_recommendation"
    title = {"id": "Rekomendasi pengembangan kompetensi", "en": "Training recommendation"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "catalog": {
                "type": "object",
                "additionalProperties": {"type": "array", "minItems": 1, "items": _COURSE},
                "description": "Weak point (IKI id or BerAKHLAK key) -> courses [{id, title, jp}].",
            },
            "jp_target": {
                "type": "number",
                "minimum": 0,
                "default": 20,
                "description": "Lesson hours (JP) each civil servant should complete in a year.",
            },
        },
        "required": ["catalog"],
        "additionalProperties": False,
    }
    inputs = {
        "weak": InputSpec({"id": "titik lemah (id IKI atau nilai BerAKHLAK)",
                           "en": "weak points (IKI ids or BerAKHLAK values)"}),
        "jp_done": InputSpec({"id": "JP yang sudah ditempuh tahun ini", "en": "JP completed this year"},
                             required=False),
    }

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        weak = inputs["weak"]
        if not isinstance(weak, (list, tuple)) or not all(isinstance(w, str) for w in weak):
            raise RuleError(f"input 'weak' must be a list of IKI ids or BerAKHLAK keys, not {describe_value(weak)}",
                            input="weak")
        catalog: Mapping[str, list[Mapping[str, Any]]] = params["catalog"]
        target = to_decimal(self.param(params, "jp_target"))
        jp_done = None if inputs.get("jp_done") is None else number_input(inputs["jp_done"], "jp_done", minimum=0)

        courses: dict[str, dict[str, Any]] = {}
        # The value and details keep the keys (plain text); the explanation speaks of each by its name.
        unmatched: list[str] = []
        names: dict[str, str] = {}
        for point in dict.fromkeys(weak):  # keep order, drop repeats
            key = str(point)
            names.setdefault(key, point)
            if point not in catalog:
                unmatched.append(key)
                continue
            for course in catalog[point]:
                entry = courses.setdefault(course["id"], {"id": course["id"], "title": course["title"],
                                                          "jp": course["jp"], "for": []})
                entry["for"].append(key)
        recommended_jp = sum((to_decimal(c["jp"]) for c in courses.values()), ZERO)

        parts = {lang: [_courses_sentence(courses, recommended_jp, weak, names, lang)] for lang in ("id", "en")}
        if unmatched:
            parts["id"].append("Tidak ada kursus di katalog untuk: " + join(
                [f"{shown_name(names[p], 'id')}{did_you_mean(p, catalog, 'id')}" for p in unmatched], "id") + ".")
            parts["en"].append("No course in the catalog for: " + join(
                [f"{shown_name(names[p], 'en')}{did_you_mean(p, catalog, 'en')}" for p in unmatched], "en") + ".")
        details: dict[str, Any] = {"jp_target": float(target), "jp_recommended": float(recommended_jp),
                                   "unmatched": unmatched}
        if jp_done is None:
            parts["id"].append(f"JP tahun ini belum dicatat; targetnya {fmt(target, 'id')} JP.")
            parts["en"].append(f"No JP recorded yet this year; the target is {fmt(target, 'en')} JP.")
        else:
            remaining = max(target - jp_done, ZERO)
            details.update({"jp_done": float(jp_done), "jp_remaining": float(remaining)})
            if remaining:
                parts["id"].append(f"JP tahun ini {fmt(jp_done, 'id')} dari target {fmt(target, 'id')} JP: "
                                   f"kurang {fmt(remaining, 'id')} JP.")
                parts["en"].append(f"JP this year: {fmt(jp_done, 'en')} of the {fmt(target, 'en')} JP target, "
                                   f"{fmt(remaining, 'en')} JP still to go.")
            else:
                parts["id"].append(f"JP tahun ini {fmt(jp_done, 'id')}: target {fmt(target, 'id')} JP sudah terpenuhi.")
                parts["en"].append(f"JP this year: {fmt(jp_done, 'en')}, so the {fmt(target, 'en')} JP target is met.")
        return RuleResult(list(courses.values()), {lang: " ".join(parts[lang]) for lang in ("id", "en")},
                          details=details)


def _courses_sentence(courses: Mapping[str, Mapping[str, Any]], total: Decimal, weak: Sequence[str],
                      names: Mapping[str, str], lang: Lang) -> str:
    if not weak:
        return "Tidak ada titik lemah, jadi tidak ada kursus yang disarankan." if lang == "id" \
            else "No weak points, so no course is recommended."
    if not courses:
        return "Tidak ada kursus yang disarankan." if lang == "id" else "No course is recommended."
    listed = "; ".join(
        f"{c['title']} ({c['id']}, {fmt(to_decimal(c['jp']), lang)} JP) "
        f"{'untuk' if lang == 'id' else 'for'} {join([shown_name(names[p], lang) for p in c['for']], lang)}"
        for c in courses.values()
    )
    if lang == "id":
        return f"Kursus yang disarankan: {listed}; jumlah {fmt(total, 'id')} JP."
    return f"Recommended courses: {listed}; {fmt(total, 'en')} JP in all."
