"""``ikm``: the public satisfaction index (Indeks Kepuasan Masyarakat, PermenPAN-RB 14/2017).

Nine service elements (unsur), each answered 1 to 4 by every respondent. IKM is the mean over the
nine elements of each element's mean answer, times 25, so 25 to 100. The grade is read on the IKM
rounded half up to two decimals, which reproduces both columns of the regulation's table edge for
edge (a mean answer of 3,5324 is IKM 88,31, grade A; 3,532 is 88,30, grade B):

==========================  ==============  =====  ===============
mean answer                 IKM             grade  unit performance
==========================  ==============  =====  ===============
1,00 - 2,5996               25,00 - 64,99   D      Tidak Baik
2,60 - 3,064                65,00 - 76,60   C      Kurang Baik
3,0644 - 3,532              76,61 - 88,30   B      Baik
3,5324 - 4,00               88,31 - 100,00  A      Sangat Baik
==========================  ==============  =====  ===============

Arithmetic is exact (fractions) up to that one rounding. The 2004 rules (14 elements) are not this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rules.bands import Band, Bands
from rules.base import InputSpec, Rule, RuleError, RuleResult
from rules.numbers import fmt, round_half_up
from rules.text import describe_value

ELEMENTS: tuple[tuple[str, str], ...] = (
    ("Persyaratan", "requirements"),
    ("Sistem, mekanisme dan prosedur", "system, mechanism and procedure"),
    ("Waktu penyelesaian", "completion time"),
    ("Biaya/tarif", "cost or fee"),
    ("Produk spesifikasi jenis pelayanan", "product specification of the service"),
    ("Kompetensi pelaksana", "staff competence"),
    ("Perilaku pelaksana", "staff conduct"),
    ("Penanganan pengaduan, saran dan masukan", "handling of complaints, suggestions and input"),
    ("Sarana dan prasarana", "facilities"),
)
# The answers each element takes (1: not good ... 4: very good).
SCALE: tuple[int, ...] = (1, 2, 3, 4)
# Each element's own answer words, worst (1) to best (4): the sample questionnaire of PermenPAN-RB
# 14/2017 as independent survey implementations reproduce it (small wording variants exist; this is
# the configurable default, see REGULATION §8).
_SUITS = (("Tidak sesuai", "not suitable"), ("Kurang sesuai", "less suitable"), ("Sesuai", "suitable"),
          ("Sangat sesuai", "very suitable"))
ANSWER_WORDS: tuple[tuple[tuple[str, str], ...], ...] = (
    _SUITS,
    (("Tidak mudah", "not easy"), ("Kurang mudah", "less easy"), ("Mudah", "easy"), ("Sangat mudah", "very easy")),
    (("Tidak cepat", "not fast"), ("Kurang cepat", "less fast"), ("Cepat", "fast"), ("Sangat cepat", "very fast")),
    (("Sangat mahal", "very expensive"), ("Cukup mahal", "fairly expensive"), ("Murah", "cheap"), ("Gratis", "free")),
    _SUITS,
    (("Tidak kompeten", "not competent"), ("Kurang kompeten", "less competent"), ("Kompeten", "competent"),
     ("Sangat kompeten", "very competent")),
    (("Tidak sopan dan ramah", "not polite and friendly"), ("Kurang sopan dan ramah", "less polite and friendly"),
     ("Sopan dan ramah", "polite and friendly"), ("Sangat sopan dan ramah", "very polite and friendly")),
    (("Tidak ada", "none"), ("Ada tetapi tidak berfungsi", "exists but does not work"),
     ("Berfungsi kurang maksimal", "works, not fully"), ("Dikelola dengan baik", "well managed")),
    (("Buruk", "poor"), ("Cukup", "fair"), ("Baik", "good"), ("Sangat baik", "very good")),
)
GRADES = Bands((
    Band("A", Decimal("88.31")),
    Band("B", Decimal("76.61")),
    Band("C", Decimal("65.00")),
    Band("D", None),
))
PERFORMANCE = {
    "A": ("Sangat Baik", "very good"),
    "B": ("Baik", "good"),
    "C": ("Kurang Baik", "not good enough"),
    "D": ("Tidak Baik", "not good"),
}


def ikm_from_mean(mean: Fraction | Decimal) -> Decimal:
    """IKM from the mean answer (1 to 4), rounded half up to two decimals."""
    return round_half_up(mean * 25, 2)


def ikm_grade(ikm: Decimal) -> tuple[str, str]:
    """Grade (A-D) and unit performance (Sangat Baik ... Tidak Baik) for an IKM already rounded."""
    index = GRADES.find(ikm)
    assert index is not None  # grade D has no lower edge
    grade = GRADES.bands[index].label
    return grade, PERFORMANCE[grade][0]


class Ikm(Rule):
    name = "ikm"
    title = {"id": "Indeks Kepuasan Masyarakat (IKM)", "en": "Public satisfaction index (IKM)"}
    params_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "min_respondents": {
                "type": "integer",
                "minimum": 1,
                "default": 1,
                "description": "Respondents needed before the index is computed (the survey's sample size).",
            },
        },
        "additionalProperties": False,
    }
    inputs = {
        "responses": InputSpec({
            "id": "jawaban survei: satu daftar 9 jawaban (1-4) per responden, urut unsur U1-U9",
            "en": "survey answers: one list of 9 answers (1-4) per respondent, in element order U1-U9",
        }, elements=tuple({"id": name, "en": gloss} for name, gloss in ELEMENTS), scale=SCALE,
            answer_words=tuple(tuple({"id": word, "en": gloss.capitalize()} for word, gloss in words)
                               for words in ANSWER_WORDS)),
    }

    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        responses = inputs["responses"]
        sums = _element_sums(responses)
        count = len(responses)
        needed = self.param(params, "min_respondents")
        if count < needed:
            return self.waiting(
                [("responses", {"id": f"paling sedikit {needed} responden (baru {count})",
                                "en": f"at least {needed} respondents ({count} so far)"})],
                details={"respondents": count},
            )
        element_means = [Fraction(total, count) for total in sums]
        mean = sum(element_means, Fraction(0)) / len(ELEMENTS)
        ikm = ikm_from_mean(mean)
        grade, performance = ikm_grade(ikm)
        index = GRADES.find(ikm)
        assert index is not None
        listed = {
            lang: "; ".join(
                f"U{i} {name if lang == 'id' else gloss} {fmt(m, lang)}"
                for i, ((name, gloss), m) in enumerate(zip(ELEMENTS, element_means, strict=True), start=1)
            )
            for lang in ("id", "en")
        }
        explanation = {
            "id": f"IKM dari {count} responden. Rata-rata jawaban per unsur: {listed['id']}. Rata-rata seluruh unsur "
                  f"{fmt(mean, 'id', 4)} × 25 = {fmt(ikm, 'id')}. Karena IKM berada pada rentang "
                  f"{GRADES.edges(index, 'id')}, mutu pelayanan {grade} dan kinerja unit {performance} "
                  f"(PermenPAN-RB 14/2017).",
            "en": f"IKM from {count} respondent(s). Mean answer per element: {listed['en']}. Mean over all elements "
                  f"{fmt(mean, 'en', 4)} × 25 = {fmt(ikm, 'en')}. Since the IKM falls in the range "
                  f"{GRADES.edges(index, 'en')}, the service grade is {grade} and the unit's performance "
                  f"{performance} ({PERFORMANCE[grade][1]}) (PermenPAN-RB 14/2017).",
        }
        return RuleResult(float(ikm), explanation, details={
            "grade": grade,
            "performance": performance,
            "respondents": count,
            "mean": float(round_half_up(mean, 4)),
            "element_means": [float(round_half_up(m, 4)) for m in element_means],
        })


def _element_sums(responses: Any) -> list[int]:
    """Per-element totals, checking every answer is a whole number from 1 to 4."""
    if not isinstance(responses, (list, tuple)):
        raise RuleError(f"input 'responses' must be a list of respondents' answers, not {describe_value(responses)}",
                        input="responses")
    sums = [0] * len(ELEMENTS)
    for number, answers in enumerate(responses, start=1):
        if not isinstance(answers, Sequence) or isinstance(answers, str) or len(answers) != len(ELEMENTS):
            raise RuleError(f"respondent {number} in 'responses' must give a list of exactly 9 answers, "
                            f"not {describe_value(answers)}", input="responses")
        for element, answer in enumerate(answers):
            if isinstance(answer, bool) or not isinstance(answer, int) or answer not in SCALE:
                raise RuleError(f"respondent {number}, element U{element + 1} ({ELEMENTS[element][0]}): the answer "
                                f"must be a whole number from 1 to 4, not {describe_value(answer)}", input="responses")
            sums[element] += answer
    return sums
