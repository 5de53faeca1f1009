"""Regulation terms shared by the rules: rating labels, predicates, BerAKHLAK values, glosses.

Labels are the Indonesian terms exactly as the regulation writes them (PermenPAN-RB 6/2022);
explanations in English gloss them once, e.g. "Baik (good)".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from rules.base import RuleError
from rules.text import Lang, describe_value, did_you_mean, quoted

# The two ratings (rating hasil kerja, rating perilaku kerja) use these labels, best first.
ABOVE = "Di Atas Ekspektasi"
MEETS = "Sesuai Ekspektasi"
BELOW = "Di Bawah Ekspektasi"
RATING_LABELS: tuple[str, ...] = (ABOVE, MEETS, BELOW)
RATING_GLOSS = {ABOVE: "above expectations", MEETS: "meets expectations", BELOW: "below expectations"}

# Employee predicates (predikat kinerja pegawai), best first.
SANGAT_BAIK = "Sangat Baik"
BAIK = "Baik"
BUTUH_PERBAIKAN = "Butuh Perbaikan"
KURANG_MISCONDUCT = "Kurang/Misconduct"
SANGAT_KURANG = "Sangat Kurang"
PREDICATES: tuple[str, ...] = (SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG_MISCONDUCT, SANGAT_KURANG)
PREDICATE_GLOSS = {
    SANGAT_BAIK: "very good",
    BAIK: "good",
    BUTUH_PERBAIKAN: "needs improvement",
    KURANG_MISCONDUCT: "poor or misconduct",
    SANGAT_KURANG: "very poor",
    # PP 30/2019 names, used by pp30_score's 2019 naming.
    "Cukup": "fair",
    "Kurang": "poor",
}

# Organisation (unit) predicates (predikat kinerja organisasi), best first.
UNIT_PREDICATES: tuple[str, ...] = ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
UNIT_PREDICATE_GLOSS = {
    "Istimewa": "outstanding",
    "Baik": "good",
    "Butuh Perbaikan": "needs improvement",
    "Kurang": "poor",
    "Sangat Kurang": "very poor",
}

# The seven BerAKHLAK core values in their fixed order: key, Indonesian name, English gloss.
BERAKHLAK: tuple[tuple[str, str, str], ...] = (
    ("berorientasi_pelayanan", "Berorientasi Pelayanan", "service-oriented"),
    ("akuntabel", "Akuntabel", "accountable"),
    ("kompeten", "Kompeten", "competent"),
    ("harmonis", "Harmonis", "harmonious"),
    ("loyal", "Loyal", "loyal"),
    ("adaptif", "Adaptif", "adaptive"),
    ("kolaboratif", "Kolaboratif", "collaborative"),
)
BERAKHLAK_KEYS: tuple[str, ...] = tuple(key for key, _, _ in BERAKHLAK)
BERAKHLAK_NAMES = {key: (name, gloss) for key, name, gloss in BERAKHLAK}



def iki_names(row: Mapping[str, Any]) -> dict[str, str]:
    """An IKI as people read it, from its row (``indicators``: id, name, label, label_en): its name with its label
    ("IKI 2 (Laporan tepat waktu)"), either one alone, its key only when it has neither."""
    key, name = str(row.get("id")), row.get("name")
    label_id = row.get("label")
    label_en = row.get("label_en") or label_id
    return {"id": f"{name} ({label_id})" if name and label_id else str(label_id or name or key),
            "en": f"{name} ({label_en})" if name and label_en else str(label_en or name or key)}


class Named(str):
    """A key that also carries what people call it, in both languages: ``Named("iki_2", {"id": "IKI 2 (Laporan)",
    "en": "IKI 2 (Report)"})``. It is the key wherever a key is read (compared, looked up, stored as JSON); a rule
    that speaks of it to people reads :attr:`names` (the engine gives weak points so, see engine.weak_points)."""

    names: dict[str, str]

    def __new__(cls, key: str, names: Mapping[str, str] | None = None) -> Named:
        made = super().__new__(cls, key)
        made.names = dict(names or {})
        return made

    def __getnewargs__(self) -> tuple[str, dict[str, str]]:  # type: ignore[override]
        return str(self), self.names


def shown_name(key: str, lang: Lang) -> str:
    """A key as people know it: a BerAKHLAK value's name (glossed in English), the name a :class:`Named` key
    carries, or the key itself."""
    if key in BERAKHLAK_NAMES:
        name, gloss = BERAKHLAK_NAMES[key]
        return name if lang == "id" else f"{name} ({gloss})"
    names = key.names if isinstance(key, Named) else {}
    return names.get(lang) or names.get("id") or str(key)


# IKI aspects: the Indonesian term and its English gloss.
ASPECTS = {"kuantitas": "quantity", "kualitas": "quality", "waktu": "time"}


def glossed(label: str, lang: Lang, gloss: Mapping[str, str]) -> str:
    """The label as is in Indonesian; ``label (gloss)`` in English when a gloss is known."""
    if lang == "en" and label in gloss:
        return f"{label} ({gloss[label]})"
    return label


def rating(label: str, lang: Lang) -> str:
    return glossed(label, lang, RATING_GLOSS)


def predicate(label: str, lang: Lang) -> str:
    return glossed(label, lang, PREDICATE_GLOSS)


@lru_cache(maxsize=64)
def _folded(choices: tuple[str, ...]) -> dict[str, str]:
    return {" ".join(c.split()).casefold(): c for c in choices}


def parse_label(value: Any, choices: tuple[str, ...], what: str) -> str:
    """The canonical label for ``value`` (case and spacing forgiven), or a RuleError naming ``what``."""
    if isinstance(value, str) and value in choices:
        return value
    if isinstance(value, str):
        found = _folded(choices).get(" ".join(value.split()).casefold())
        if found is not None:
            return found
        hint = did_you_mean(value, choices)
    else:
        hint = ""
    raise RuleError(f"{what} must be one of {quoted(choices)}, not {describe_value(value)}{hint}")
