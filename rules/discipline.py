"""``discipline``: unexcused absence and lateness to a discipline rating.

Lateness and leaving early add up in minutes and count as whole days of absence, 7½ hours (450
minutes) to the day, the way PP 94/2021 on civil-servant discipline counts them. The default bands
follow that regulation's steps for unexcused absence in a year (secondary source, configurable):
up to 2 days no sanction (Baik), 3-10 days the light sanctions (Cukup), 11-20 days the moderate
ones (Kurang), 21 days or more the heavy ones (Sangat Kurang).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules.bands import BANDS_SCHEMA, Bands, check_bands
from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import ZERO, floor_decimal, fmt, number_input, to_decimal

DEFAULT_BANDS = [
    {"min": 21, "label": "Sangat Kurang"},
    {"min": 11, "label": "Kurang"},
    {"min": 3, "label": "Cukup"},
    {"label": "Baik"},
]


class Discipline(Rule):
    name = "discipline"
    title = {"id": "Disiplin kehadiran", "en": "Attendance discipline"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "bands": {
                **BANDS_SCHEMA,
                "default": DEFAULT_BANDS,
                "description": "Rows with the most days first: {label, min days}; the last row catches the rest.",
            },
            "minutes_per_day": {
                "type": "number",
                "exclusiveMinimum": 0,
                "default": 450,
                "description": "Minutes of lateness or leaving early that count as one day of absence.",
            },
        },
        "additionalProperties": False,
    }
    inputs = {
        "absent_days": InputSpec({"id": "hari tidak masuk kerja tanpa keterangan",
                                  "en": "days absent without a valid reason"}),
        "late_minutes": InputSpec({"id": "menit terlambat masuk atau pulang cepat",
                                   "en": "minutes late in or leaving early"}, required=False),
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        return check_bands(params["bands"], ("bands",)) if "bands" in params else []

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        absent = number_input(inputs["absent_days"], "absent_days", minimum=0)
        late_raw = inputs.get("late_minutes")
        per_day = to_decimal(self.param(params, "minutes_per_day"))
        bands = Bands.from_param(self.param(params, "bands"))
        if late_raw is None:
            late = None
            late_days = ZERO
            how = {"id": "keterlambatan tidak dicatat", "en": "no lateness recorded"}
        else:
            late = number_input(late_raw, "late_minutes", minimum=0)
            late_days = floor_decimal(late / per_day)
            how = {
                "id": f"terlambat masuk atau pulang cepat {fmt(late, 'id')} menit = {fmt(late_days, 'id')} hari "
                      f"(setiap {fmt(per_day, 'id')} menit dihitung 1 hari, sisanya tidak dihitung)",
                "en": f"{fmt(late, 'en')} minutes late in or leaving early = {fmt(late_days, 'en')} day(s) "
                      f"(each {fmt(per_day, 'en')} minutes count as 1 day, the remainder does not count)",
            }
        days = absent + late_days
        index = bands.find(days)
        if index is None:
            raise RuleError(f"{days} day(s) is below the lowest band's edge; add a last band without 'min'",
                            input="absent_days")
        label = bands.bands[index].label
        explanation = {
            "id": f"Tidak masuk kerja tanpa keterangan {fmt(absent, 'id')} hari; {how['id']}; jumlah "
                  f"{fmt(days, 'id')} hari. Karena {fmt(days, 'id')} hari berada pada rentang "
                  f"{bands.edges(index, 'id')}, kategori disiplin adalah {label}.",
            "en": f"Absent without a valid reason {fmt(absent, 'en')} day(s); {how['en']}; in total "
                  f"{fmt(days, 'en')} day(s). Since {fmt(days, 'en')} falls in the range {bands.edges(index, 'en')}, "
                  f"the discipline rating is {label}.",
        }
        details: dict[str, Any] = {"days": float(days), "late_days": float(late_days), "band": bands.row(index)}
        if late is None:
            details["late_recorded"] = False
        return RuleResult(label, explanation, details=details)
