"""``trend``: the direction of a value across periods (naik, turun or stabil), with its arithmetic.

The input is a series of ``{period, value}``, oldest first (the cycle path
``history.results.NAME`` gives one: the employee's earlier runs of the cycle, then this run). The
direction is read on one measure, rounded half up like every figure an employee sees:

- ``slope`` (default): the least-squares slope of the values against the periods numbered 1, 2, 3...,
  i.e. Σ(x − x̄)(y − ȳ) ÷ Σ(x − x̄)², in units per period; with two periods it is their difference;
- ``change``: the last value minus the one before it.

Above ``stable_within`` the trend is *naik* (rising), below minus ``stable_within`` *turun* (falling),
otherwise *stabil*. Text values such as predicates are read through ``scale``, a list of labels
lowest first counted 1, 2, 3... The rule waits while a period has no value yet or while the series
holds fewer than ``min_periods`` periods. Arithmetic is exact (fractions) up to that one rounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import ZERO, fmt, read_number, round_half_up, to_decimal
from rules.text import describe_value, did_you_mean, join

RISING, FALLING, STABLE = "naik", "turun", "stabil"
DIRECTION_EN = {RISING: "rising", FALLING: "falling", STABLE: "stable"}


def _folded(label: str) -> str:
    return " ".join(label.split()).casefold()


class Trend(Rule):
    name = "trend"
    title = {"id": "Tren antarperiode", "en": "Trend across periods"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "min_periods": {"type": "integer", "minimum": 2, "default": 2,
                            "description": "Periods with a value needed before a trend is given."},
            "measure": {"enum": ["slope", "change"], "default": "slope",
                        "description": "slope: least-squares slope per period over the whole series; "
                                       "change: the last value minus the one before it."},
            "stable_within": {"type": "number", "minimum": 0, "default": 0,
                              "description": "A measure no further than this from 0 (either way) is stabil."},
            "scale": {"type": "array", "minItems": 2, "uniqueItems": True,
                      "items": {"type": "string", "minLength": 1},
                      "description": "Text values, lowest first, read as 1, 2, 3... (e.g. the predicates)."},
            "decimals": {"type": "integer", "minimum": 0, "maximum": 6, "default": 2,
                         "description": "Decimals the measure is rounded to (half up)."},
        },
        "additionalProperties": False,
    }
    inputs = {
        "series": InputSpec({"id": "nilai per periode, terlama dahulu (daftar berisi period dan value)",
                             "en": "the value per period, oldest first (a list of period and value)"}),
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        scale = params.get("scale")
        if scale is not None and len({_folded(label) for label in scale}) != len(scale):
            return [ParamProblem(("scale",), "labels must differ in more than case and spacing", "labels_differ")]
        return []

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        series = inputs["series"]
        if not isinstance(series, (list, tuple)):
            raise RuleError(f"input 'series' must be a list of periods with a value, not {describe_value(series)}",
                            input="series")
        scale: Sequence[str] | None = params.get("scale")
        periods: list[str] = []
        values: list[Decimal] = []
        shown: list[tuple[str, str]] = []
        waiting: list[tuple[str, Mapping[str, str]]] = []
        for number, item in enumerate(series, start=1):
            if not isinstance(item, Mapping) or "period" not in item:
                raise RuleError(f"item {number} of 'series' must be a mapping with 'period' and 'value', "
                                f"not {describe_value(item)}", input="series")
            period = str(item["period"])
            if item.get("value") is None:
                waiting.append((f"series[{period}]",
                                {"id": f"nilai periode {period}", "en": f"the value of period {period}"}))
                continue
            value, text = _read(item["value"], scale, number)
            periods.append(period)
            values.append(value)
            shown.append(text)
        least = self.param(params, "min_periods")
        if len(series) < least:
            have = {lang: f" ({join([str(i.get('period')) for i in series if isinstance(i, Mapping)], lang)})"
                    if series else "" for lang in ("id", "en")}
            waiting.append(("series", {
                "id": f"nilai dari paling sedikit {least} periode; baru ada {len(series)}{have['id']}",
                "en": f"values from at least {least} periods; there are {len(series)} so far{have['en']}",
            }))
        if waiting:
            return self.waiting(waiting, details={"periods": periods})

        places = self.param(params, "decimals")
        slope = round_half_up(_slope(values), places) + 0  # + 0 turns -0.00 into 0.00
        change = round_half_up(values[-1] - values[-2], places) + 0
        measure = self.param(params, "measure")
        figure = slope if measure == "slope" else change
        band = to_decimal(self.param(params, "stable_within"))
        direction = RISING if figure > band else FALLING if figure < -band else STABLE

        listed = {lang: ", ".join(f"{p} = {text[lang == 'en']}" for p, text in zip(periods, shown, strict=True))
                  for lang in ("id", "en")}
        if band == ZERO:
            reading = {RISING: ("di atas 0", "above 0"), FALLING: ("di bawah 0", "below 0"),
                       STABLE: ("sama dengan 0", "equal to 0")}[direction]
        else:
            b_id, b_en = fmt(band, "id", places), fmt(band, "en", places)
            m_id, m_en = fmt(-band, "id", places), fmt(-band, "en", places)
            reading = {RISING: (f"lebih dari {b_id}", f"more than {b_en}"),
                       FALLING: (f"kurang dari {m_id}", f"less than {m_en}"),
                       STABLE: (f"antara {m_id} dan {b_id}", f"between {m_en} and {b_en}")}[direction]
        if measure == "slope":
            how = {
                "id": f"Kemiringan garis tren (kuadrat terkecil, periode bernomor 1 sampai {len(values)}) = "
                      f"{fmt(slope, 'id', places)} per periode",
                "en": f"The trend line's slope (least squares, periods numbered 1 to {len(values)}) = "
                      f"{fmt(slope, 'en', places)} per period",
            }
        else:
            how = {lang: (f"{'Perubahan dari' if lang == 'id' else 'The change from'} {periods[-2]} "
                          f"{'ke' if lang == 'id' else 'to'} {periods[-1]} = {fmt(values[-1], lang, 6)} − "
                          f"{fmt(values[-2], lang, 6)} = {fmt(change, lang, places)}") for lang in ("id", "en")}
        explanation = {
            "id": f"Nilai per periode: {listed['id']}. {how['id']}, {reading[0]}, jadi tren {direction}.",
            "en": f"Values by period: {listed['en']}. {how['en']}, {reading[1]}, so the trend is "
                  f"{DIRECTION_EN[direction]} ({direction}).",
        }
        return RuleResult(direction, explanation, details={
            "measure": measure, "slope": float(slope), "change": float(change),
            "periods": periods, "values": [float(v) for v in values],
        })


def _read(raw: Any, scale: Sequence[str] | None, number: int) -> tuple[Decimal, tuple[str, str]]:
    """The value as a number, and how the explanation writes it (id, en)."""
    if scale is not None:
        if not isinstance(raw, str):
            raise RuleError(f"the value of item {number} of 'series' must be one of the scale's labels, "
                            f"not {describe_value(raw)}", input="series")
        folded = [_folded(label) for label in scale]
        if _folded(raw) not in folded:
            raise RuleError(f"the value of item {number} of 'series', {raw!r}, is not on the scale"
                            f"{did_you_mean(raw, scale)}; the scale is {', '.join(scale)}", input="series")
        rank = folded.index(_folded(raw)) + 1
        label = scale[rank - 1]
        return Decimal(rank), (f"{label} ({rank})", f"{label} ({rank})")
    value = read_number(raw)
    if value is None:
        hint = "; give params.scale to read text values" if isinstance(raw, str) else ""
        raise RuleError(f"the value of item {number} of 'series' must be a number, not {describe_value(raw)}{hint}",
                        input="series")
    return value, (fmt(value, "id", 6), fmt(value, "en", 6))


def _slope(values: Sequence[Decimal]) -> Fraction:
    """Least-squares slope of the values against 1, 2, ..., n, exactly."""
    n = len(values)
    ys = [Fraction(v) for v in values]
    mean_x = Fraction(n + 1, 2)
    mean_y = sum(ys, Fraction(0)) / n
    top = sum(((i + 1) - mean_x) * (y - mean_y) for i, y in enumerate(ys))
    bottom = sum((((i + 1) - mean_x) * ((i + 1) - mean_x) for i in range(n)), Fraction(0))
    return top / bottom
