"""``periodic_rating``: one rating from the ratings of the periods within a year (Triwulan I-IV, months).

PermenPAN-RB 6/2022 has the annual rating take the periodic ones into account and gives no
arithmetic; this rule is the cycle's declared reading. The input is a series of ``{period, value}``
(``checkpoints.triwulan[*].rating.rating_hasil_kerja`` gives one), each value a label of ``scale``
(lowest first, counted 1, 2, 3...). The aggregation is:

- ``mean`` (default): the mean of the periods' positions, rounded half up to a whole position;
- ``lowest``: the weakest period decides;
- ``latest``: the last period decides.

With ``missing: wait`` (default) the rule waits while a period has no value yet, naming it; with
``missing: skip`` it reads the periods that have one and waits only while none has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rules.base import InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import fmt, round_half_up
from rules.terms import ABOVE, BELOW, MEETS
from rules.text import describe_value, did_you_mean

AGGREGATION_ID = {"mean": "rata-rata", "lowest": "periode terendah", "latest": "periode terakhir"}
AGGREGATION_EN = {"mean": "the mean", "lowest": "the lowest period", "latest": "the latest period"}


def _folded(label: str) -> str:
    return " ".join(label.split()).casefold()


class PeriodicRating(Rule):
    name = "periodic_rating"
    title = {"id": "Rating dari penilaian periodik", "en": "Rating from the periodic ratings"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "aggregation": {"enum": ["mean", "lowest", "latest"], "default": "mean",
                            "description": "mean: the mean position rounded half up; lowest: the weakest period "
                                           "decides; latest: the last period decides."},
            "missing": {"enum": ["wait", "skip"], "default": "wait",
                        "description": "wait: a period without a value makes the rule wait; skip: it is left out "
                                       "(the rule waits only while no period has a value)."},
            "scale": {"type": "array", "minItems": 2, "uniqueItems": True,
                      "items": {"type": "string", "minLength": 1},
                      "default": [BELOW, MEETS, ABOVE],
                      "description": "The labels, lowest first, counted 1, 2, 3... (default: the three ratings)."},
        },
        "additionalProperties": False,
    }
    inputs = {
        "series": InputSpec({"id": "rating per periode, terlama dahulu (daftar berisi period dan value)",
                             "en": "the rating per period, oldest first (a list of period and value)"}),
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
        scale: Sequence[str] = self.param(params, "scale")
        folded = [_folded(label) for label in scale]
        ranks: list[int] = []
        shown: list[str] = []
        waiting: list[tuple[str, Mapping[str, str]]] = []
        for number, item in enumerate(series, start=1):
            if not isinstance(item, Mapping) or "period" not in item:
                raise RuleError(f"item {number} of 'series' must be a mapping with 'period' and 'value', "
                                f"not {describe_value(item)}", input="series")
            name = str(item.get("label") or item["period"])
            raw = item.get("value")
            if raw is None:
                waiting.append((f"series[{name}]", {"id": f"rating {name}", "en": f"the rating of {name}"}))
                continue
            if not isinstance(raw, str) or _folded(raw) not in folded:
                raise RuleError(f"the value of {name}, {describe_value(raw)}, is not on the scale"
                                f"{did_you_mean(str(raw), scale)}; the scale is {', '.join(scale)}", input="series")
            rank = folded.index(_folded(raw)) + 1
            ranks.append(rank)
            shown.append(f"{name} = {scale[rank - 1]} ({rank})")
        skipped = [name for name, _ in waiting]
        if self.param(params, "missing") == "skip":
            waiting = []
        if not ranks and not waiting:
            waiting.append(("series", {"id": "rating dari paling sedikit satu periode",
                                       "en": "a rating from at least one period"}))
        if waiting:
            return self.waiting(waiting)
        aggregation = self.param(params, "aggregation")
        if aggregation == "mean":
            mean = Decimal(sum(ranks)) / Decimal(len(ranks))
            rank = int(round_half_up(mean, 0))
            how = {lang: f"{' + '.join(str(r) for r in ranks)} = {sum(ranks)}; {sum(ranks)} ÷ {len(ranks)} = "
                         f"{fmt(mean, lang, 2)}, {'dibulatkan' if lang == 'id' else 'rounded to'} {rank}"
                   for lang in ("id", "en")}
        else:
            rank = min(ranks) if aggregation == "lowest" else ranks[-1]
            how = {"id": f"{AGGREGATION_ID[aggregation]}: {rank}", "en": f"{AGGREGATION_EN[aggregation]}: {rank}"}
        label = scale[rank - 1]
        listed = "; ".join(shown)
        left_out = [s.removeprefix("series[").removesuffix("]") for s in skipped]
        note = {"id": f" Belum dinilai, tidak dihitung: {', '.join(left_out)}." if left_out else "",
                "en": f" Not rated yet, left out: {', '.join(left_out)}." if left_out else ""}
        explanation = {
            "id": f"Penilaian periodik: {listed}.{note['id']} Menurut {AGGREGATION_ID[aggregation]}: {how['id']}, "
                  f"jadi {label}.",
            "en": f"Periodic ratings: {listed}.{note['en']} By {AGGREGATION_EN[aggregation]}: {how['en']}, "
                  f"so {label}.",
        }
        return RuleResult(label, explanation, details={"aggregation": aggregation, "ranks": ranks, "rank": rank})
