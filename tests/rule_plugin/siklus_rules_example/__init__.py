"""An example third-party rule package for Siklus: ``complaint_response_time``.

The share of public complaints that got a first response within ``within_hours``; an agency uses
it as the realisation of an IKI such as "complaints answered within 24 hours" (Amplas).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rules import InputSpec, Rule, RuleError, RuleResult
from rules.numbers import fmt, number_input, round_half_up


class ComplaintResponseTime(Rule):
    name = "complaint_response_time"
    title = {"id": "Kecepatan tanggapan pengaduan", "en": "Complaint response time"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "within_hours": {
                "type": "number",
                "exclusiveMinimum": 0,
                "default": 24,
                "description": "A complaint counts as answered in time when its first response came within this many "
                               "hours.",
            },
        },
        "additionalProperties": False,
    }
    inputs = {
        "response_hours": InputSpec({
            "id": "jam sampai tanggapan pertama untuk setiap pengaduan",
            "en": "hours until the first response, for each complaint",
        }),
    }

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        hours = inputs["response_hours"]
        if not isinstance(hours, list):
            raise RuleError("input 'response_hours' must be a list of numbers of hours", input="response_hours")
        if not hours:
            return self.waiting([("response_hours", {"id": "paling sedikit satu pengaduan",
                                                     "en": "at least one complaint"})])
        limit = number_input(self.param(params, "within_hours"), "within_hours")
        times = [number_input(h, f"response_hours[{i}]", minimum=0) for i, h in enumerate(hours)]
        in_time = sum(1 for t in times if t <= limit)
        share = round_half_up(Decimal(in_time) * 100 / len(times), 2)
        return RuleResult(float(share), {
            "id": f"{in_time} dari {len(times)} pengaduan ditanggapi dalam {fmt(limit, 'id')} jam: "
                  f"{in_time} ÷ {len(times)} × 100% = {fmt(share, 'id')}%.",
            "en": f"{in_time} of {len(times)} complaints were answered within {fmt(limit, 'en')} hours: "
                  f"{in_time} ÷ {len(times)} × 100% = {fmt(share, 'en')}%.",
        }, details={"complaints": len(times), "in_time": in_time})


RULES = [ComplaintResponseTime()]
