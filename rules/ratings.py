"""The PermenPAN-RB 6/2022 ratings and the predicate matrix.

- ``work_results_rating`` (rating hasil kerja): from the IKI achievements. The regulation leaves the
  arithmetic to the rater; the default reads the weighted mean achievement against 110% and 90%,
  the edges PP 30/2019 used for Sangat Baik and Baik, so both schemes agree on what "meets" means.
- ``behaviour_rating`` (rating perilaku kerja): from the seven BerAKHLAK values. The default scores
  Di Atas = 3, Sesuai = 2, Di Bawah = 1 and rounds the mean to the nearest label (2,5 and 1,5 are
  the edges), so four values above and three meeting give "above"; ``lowest`` lets the weakest value
  decide instead.
- ``predicate_matrix``: the predicate read off the regulation's matrix, cell for cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from rules.bands import three_bands
from rules.base import EMPLOYEE_PREDICATE, InputSpec, ParamProblem, Rule, RuleError, RuleResult
from rules.numbers import ZERO, fmt_both, number_input, read_number, round_half_up
from rules.terms import (
    ABOVE,
    BAIK,
    BELOW,
    BERAKHLAK_KEYS,
    BERAKHLAK_NAMES,
    BUTUH_PERBAIKAN,
    KURANG_MISCONDUCT,
    MEETS,
    PREDICATES,
    RATING_LABELS,
    SANGAT_BAIK,
    SANGAT_KURANG,
    iki_names,
    parse_label,
    predicate,
    rating,
)
from rules.text import describe_value, did_you_mean, join

SCHEMA = "https://json-schema.org/draft/2020-12/schema"


def _thresholds_schema(above: float, meets: float, what: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "above": {"type": "number", "description": f"Lowest {what} rated Di Atas Ekspektasi."},
            "meets": {"type": "number", "description": f"Lowest {what} rated Sesuai Ekspektasi."},
        },
        "required": ["above", "meets"],
        "additionalProperties": False,
        "default": {"above": above, "meets": meets},
        "description": f"Edges on the {what}: at least 'above' is Di Atas, at least 'meets' is Sesuai, "
                       "the rest Di Bawah Ekspektasi.",
    }


def _check_thresholds(thresholds: Mapping[str, float] | None) -> list[ParamProblem]:
    if thresholds is not None and not thresholds["above"] > thresholds["meets"]:
        return [ParamProblem(("thresholds", "above"),
                             f"must be greater than 'meets' ({thresholds['meets']}), not {thresholds['above']}",
                             "above_meets_value",
                             {"meets": str(thresholds["meets"]), "value": str(thresholds["above"])})]
    return []


class _Iki(NamedTuple):
    """One indicator as the rating reads it, with its figures already spelled both ways."""

    key: str
    shown_id: str
    shown_en: str
    achievement: Decimal
    weight: Decimal | None
    achievement_text: tuple[str, str]
    weight_text: tuple[str, str]


class WorkResultsRating(Rule):
    name = "work_results_rating"
    labels = RATING_LABELS
    title = {"id": "Rating hasil kerja", "en": "Work-results rating"}
    params_schema = {
        "$schema": SCHEMA,
        "type": "object",
        "properties": {
            "thresholds": _thresholds_schema(110, 90, "achievement percent"),
            "aggregation": {
                "enum": ["weighted_mean", "lowest"],
                "default": "weighted_mean",
                "description": "weighted_mean: the IKI achievements weighted by their weights (equal when none "
                               "are given); lowest: the weakest IKI decides.",
            },
        },
        "additionalProperties": False,
    }
    inputs = {
        "achievements": InputSpec({
            "id": "capaian setiap IKI (daftar berisi id, achievement, weight)",
            "en": "every IKI's achievement (a list of id, achievement, weight)",
        }),
    }

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        return _check_thresholds(params.get("thresholds"))

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        rows = inputs["achievements"]
        if not isinstance(rows, (list, tuple)):
            raise RuleError(f"input 'achievements' must be a list of IKI, not {describe_value(rows)}",
                            input="achievements")
        if not rows:
            raise RuleError("input 'achievements' is empty: an SKP needs at least one IKI", input="achievements")
        indicators: list[_Iki] = []
        missing: list[tuple[str, Mapping[str, str]]] = []
        for position, row in enumerate(rows, start=1):
            if not isinstance(row, Mapping) or "id" not in row:
                raise RuleError(f"IKI number {position} in 'achievements' must be a mapping with an 'id', "
                                f"not {describe_value(row)}", input="achievements")
            key = str(row["id"])
            # People read an IKI by its name ("IKI 2") and label, never by its key (iki_2).
            names = iki_names(row)
            shown_id, shown_en = names["id"], names["en"]
            if row.get("achievement") is None:
                missing.append((f"achievements[{key}]", {"id": f"capaian indikator {shown_id}",
                                                         "en": f"the achievement of indicator {shown_en}"}))
                continue
            # read_number first: building the error's input name for every IKI would be wasted work.
            achievement = read_number(row["achievement"])
            if achievement is None:
                achievement = number_input(row["achievement"], f"achievements[{key}].achievement")
            weight = row.get("weight")
            if weight is not None:
                number = read_number(weight)
                if number is None or number < 0:
                    number = number_input(weight, f"achievements[{key}].weight", minimum=0)  # raises, saying why
                weight = number
            indicators.append(_Iki(key, shown_id, shown_en, achievement, weight, fmt_both(achievement),
                                   fmt_both(weight) if weight is not None else ("", "")))
        if missing:
            return self.waiting(missing)

        weighted = [iki for iki in indicators if iki.weight is not None]
        if weighted and len(weighted) != len(indicators):
            unweighted = [iki.key for iki in indicators if iki.weight is None]
            raise RuleError(f"give every IKI a weight or none at all; these have none: {', '.join(unweighted)}",
                            input="achievements")
        if weighted and not any(iki.weight for iki in weighted):
            raise RuleError("the IKI weights add up to 0; at least one IKI needs a weight above 0",
                            input="achievements")

        thresholds = self.param(params, "thresholds")
        bands = three_bands(thresholds["above"], thresholds["meets"], RATING_LABELS)
        aggregation = self.param(params, "aggregation")
        if weighted:
            list_id = "; ".join(f"{i.shown_id} {i.achievement_text[0]}% bobot {i.weight_text[0]}" for i in indicators)
            list_en = "; ".join(f"{i.shown_en} {i.achievement_text[1]}% weight {i.weight_text[1]}" for i in indicators)
        else:
            list_id = "; ".join(f"{i.shown_id} {i.achievement_text[0]}%" for i in indicators)
            list_en = "; ".join(f"{i.shown_en} {i.achievement_text[1]}%" for i in indicators)
        if aggregation == "lowest":
            lowest = min(indicators, key=lambda iki: iki.achievement)
            score = round_half_up(lowest.achievement, 2)
            score_id, score_en = fmt_both(score)
            how_id = f"Capaian IKI: {list_id}. Yang terendah menentukan: {lowest.shown_id} dengan {score_id}%"
            how_en = f"IKI achievements: {list_en}. The lowest decides: {lowest.shown_en} with {score_en}%"
        else:
            score, formula_id, formula_en = _weighted_mean(indicators, bool(weighted))
            score_id, score_en = fmt_both(score)
            how_id = f"Capaian IKI: {list_id}. {formula_id} = {score_id}%"
            how_en = f"IKI achievements: {list_en}. {formula_en} = {score_en}%"
        index = bands.find(score)
        assert index is not None  # the last band has no lower edge
        label = bands.bands[index].label
        explanation = {
            "id": f"{how_id}. Karena {score_id}% berada pada rentang {bands.edges(index, 'id', '%')}, "
                  f"rating hasil kerja adalah {label}.",
            "en": f"{how_en}. Since {score_en}% falls in the range {bands.edges(index, 'en', '%')}, "
                  f"the work-results rating is {rating(label, 'en')}.",
        }
        return RuleResult(label, explanation, details={
            "score": float(score), "aggregation": aggregation, "band": bands.row(index),
        })


def _weighted_mean(indicators: Sequence[_Iki], weighted: bool) -> tuple[Decimal, str, str]:
    """The (weighted) mean achievement rounded half up to two decimals, and its arithmetic in id and en."""
    if not weighted:
        score = round_half_up(sum(iki.achievement for iki in indicators) / len(indicators), 2)
        terms_id = " + ".join(iki.achievement_text[0] for iki in indicators)
        terms_en = " + ".join(iki.achievement_text[1] for iki in indicators)
        count = len(indicators)
        return (score, f"Rata-rata (bobot sama) = ({terms_id}) ÷ {count}",
                f"Mean (equal weights) = ({terms_en}) ÷ {count}")
    weights = [iki.weight or ZERO for iki in indicators]
    weight_sum = sum(weights, ZERO)
    weighted_sum = sum((iki.achievement * w for iki, w in zip(indicators, weights, strict=True)), ZERO)
    score = round_half_up(weighted_sum / weight_sum, 2)
    terms_id = " + ".join(f"{iki.achievement_text[0]} × {iki.weight_text[0]}" for iki in indicators)
    terms_en = " + ".join(f"{iki.achievement_text[1]} × {iki.weight_text[1]}" for iki in indicators)
    sum_id, sum_en = fmt_both(weight_sum)
    return (score, f"Rata-rata tertimbang = ({terms_id}) ÷ {sum_id}",
            f"Weighted mean = ({terms_en}) ÷ {sum_en}")


class BehaviourRating(Rule):
    name = "behaviour_rating"
    labels = RATING_LABELS
    title = {"id": "Rating perilaku kerja", "en": "Work-behaviour rating"}
    params_schema = {
        "$schema": SCHEMA,
        "type": "object",
        "properties": {
            "aggregation": {
                "enum": ["mean", "lowest"],
                "default": "mean",
                "description": "mean: score Di Atas 3, Sesuai 2, Di Bawah 1 and read the mean against the "
                               "thresholds; lowest: the weakest value decides.",
            },
            "thresholds": _thresholds_schema(2.5, 1.5, "mean score (1 to 3)"),
        },
        "additionalProperties": False,
    }
    inputs = {
        "values": InputSpec({
            "id": "rating ketujuh nilai BerAKHLAK",
            "en": "the ratings of the seven BerAKHLAK values",
        }),
    }
    SCORES = {ABOVE: 3, MEETS: 2, BELOW: 1}

    def check_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        return _check_thresholds(params.get("thresholds"))

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        values = inputs["values"]
        if not isinstance(values, Mapping):
            raise RuleError(f"input 'values' must be a mapping of the seven BerAKHLAK values to ratings, "
                            f"not {describe_value(values)}", input="values")
        unknown = [key for key in values if key not in BERAKHLAK_NAMES]
        if unknown:
            key = str(unknown[0])
            raise RuleError(f"input 'values' has an unknown BerAKHLAK value '{key}'"
                            f"{did_you_mean(key, BERAKHLAK_KEYS)}; the seven are {', '.join(BERAKHLAK_KEYS)}",
                            input="values")
        # A wrong label is reported before anything missing: the person can fix it now.
        labels = {
            key: parse_label(values[key], RATING_LABELS, f"input 'values[{key}]'")
            for key in BERAKHLAK_KEYS if values.get(key) is not None
        }
        missing = [
            (f"values[{key}]", {"id": f"rating nilai {BERAKHLAK_NAMES[key][0]}",
                                "en": f"the rating of {BERAKHLAK_NAMES[key][0]} ({BERAKHLAK_NAMES[key][1]})"})
            for key in BERAKHLAK_KEYS if key not in labels
        ]
        if missing:
            return self.waiting(missing)
        thresholds = self.param(params, "thresholds")
        reading = _read_behaviour(tuple(labels[k] for k in BERAKHLAK_KEYS), self.param(params, "aggregation"),
                                  thresholds["above"], thresholds["meets"])
        details: dict[str, Any] = {"values": labels}
        if reading.mean is not None:
            details.update({"mean": reading.mean, "band": dict(reading.band or {})})
        return RuleResult(reading.label, {"id": reading.text_id, "en": reading.text_en}, details=details)


class _Reading(NamedTuple):
    label: str
    text_id: str
    text_en: str
    mean: float | None
    band: Mapping[str, Any] | None


@lru_cache(maxsize=4096)
def _read_behaviour(labels: tuple[str, ...], aggregation: str, above: float, meets: float) -> _Reading:
    """The rating and its explanation for seven labels; 3^7 combinations, so each is worked out once."""
    names = [BERAKHLAK_NAMES[k] for k in BERAKHLAK_KEYS]
    listed_id = "; ".join(f"{name} {label}" for (name, _), label in zip(names, labels, strict=True))
    listed_en = "; ".join(f"{name} ({gloss}) {label}" for (name, gloss), label in zip(names, labels, strict=True))
    if aggregation == "lowest":
        label = max(labels, key=RATING_LABELS.index)
        weakest = [name for (name, _), given in zip(names, labels, strict=True) if given == label]
        return _Reading(
            label,
            f"Nilai BerAKHLAK: {listed_id}. Yang terlemah menentukan: {join(weakest, 'id')} {label}, "
            f"jadi rating perilaku kerja adalah {label}.",
            f"BerAKHLAK values: {listed_en}. The weakest decides: {join(weakest, 'en')} {label}, "
            f"so the work-behaviour rating is {rating(label, 'en')}.",
            None, None,
        )
    scores = [BehaviourRating.SCORES[label] for label in labels]
    mean = round_half_up(Decimal(sum(scores)) / len(scores), 2)
    bands = three_bands(above, meets, RATING_LABELS)
    index = bands.find(mean)
    assert index is not None
    label = bands.bands[index].label
    summed = " + ".join(str(s) for s in scores)
    mean_id, mean_en = fmt_both(mean)
    return _Reading(
        label,
        f"Nilai BerAKHLAK: {listed_id}. Dengan skor Di Atas = 3, Sesuai = 2, Di Bawah = 1, rata-ratanya "
        f"({summed}) ÷ 7 = {mean_id}. Karena {mean_id} berada pada rentang {bands.edges(index, 'id')}, "
        f"rating perilaku kerja adalah {label}.",
        f"BerAKHLAK values: {listed_en}. Scoring above = 3, meets = 2, below = 1, the mean is ({summed}) ÷ 7 = "
        f"{mean_en}. Since {mean_en} falls in the range {bands.edges(index, 'en')}, the work-behaviour rating is "
        f"{rating(label, 'en')}.",
        float(mean), bands.row(index),
    )


# PermenPAN-RB 6/2022: rows are the work-results rating, columns the behaviour rating.
PREDICATE_MATRIX: dict[tuple[str, str], str] = {
    (ABOVE, BELOW): KURANG_MISCONDUCT,
    (ABOVE, MEETS): BAIK,
    (ABOVE, ABOVE): SANGAT_BAIK,
    (MEETS, BELOW): KURANG_MISCONDUCT,
    (MEETS, MEETS): BAIK,
    (MEETS, ABOVE): BAIK,
    (BELOW, BELOW): SANGAT_KURANG,
    (BELOW, MEETS): BUTUH_PERBAIKAN,
    (BELOW, ABOVE): BUTUH_PERBAIKAN,
}

_SHORT = {ABOVE: ("di atas", "above"), MEETS: ("sesuai", "meets"), BELOW: ("di bawah", "below")}


class PredicateMatrix(Rule):
    name = "predicate_matrix"
    title = {"id": "Predikat kinerja pegawai", "en": "Employee performance predicate"}
    computes = EMPLOYEE_PREDICATE
    labels = PREDICATES
    params_schema = {
        "$schema": SCHEMA,
        "type": "object",
        "properties": {},
        "additionalProperties": False,
        "description": "No parameters: the matrix is the regulation's.",
    }
    inputs = {
        "work_results": InputSpec({"id": "rating hasil kerja", "en": "the work-results rating"},
                                  labels=RATING_LABELS),
        "behaviour": InputSpec({"id": "rating perilaku kerja", "en": "the work-behaviour rating"},
                               labels=RATING_LABELS),
    }

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        results = parse_label(inputs["work_results"], RATING_LABELS, "input 'work_results'")
        behaviour = parse_label(inputs["behaviour"], RATING_LABELS, "input 'behaviour'")
        label, text_id, text_en = _read_matrix(results, behaviour)
        return RuleResult(label, {"id": text_id, "en": text_en}, details={"row": results, "column": behaviour})


@lru_cache(maxsize=16)
def _read_matrix(results: str, behaviour: str) -> tuple[str, str, str]:
    """The predicate of one cell and its explanation in Indonesian and English."""
    label = PREDICATE_MATRIX[(results, behaviour)]
    return (
        label,
        f"Rating hasil kerja {results} dan rating perilaku kerja {behaviour} memberi predikat {label} "
        f"(matriks PermenPAN-RB 6/2022: baris hasil kerja {_SHORT[results][0]} ekspektasi, "
        f"kolom perilaku {_SHORT[behaviour][0]} ekspektasi).",
        f"Work-results rating {rating(results, 'en')} and work-behaviour rating {rating(behaviour, 'en')} "
        f"give the predicate {predicate(label, 'en')} (PermenPAN-RB 6/2022 matrix: work-results row "
        f"'{_SHORT[results][1]}', behaviour column '{_SHORT[behaviour][1]}').",
    )

