"""What development should address (the ``weak_points`` input root), each named as people know it.

A weak point is a key: a value rated below expectation in a saved rating (a BerAKHLAK value, or an item a
cycle's form rates, Bungo's ``komunikasi``), or an IKI under 100% achievement. Rules and catalogues read the
key; a rule that explains itself to people (``training_recommendation``) names it. So each key is a
:class:`rules.terms.Named` carrying its name in both languages: an IKI by its name and label, as
``work_results_rating`` names it ("IKI 2 (Laporan tepat waktu)"); a rated item by its title on the cycle's
form; a BerAKHLAK value stays a bare key, the rules name the seven themselves.

The names are read from the appraisal's own rows and its cycle version, so a result computed again from the
same rows says the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from engine.definition import CycleDefinition
from rules.terms import BELOW, BERAKHLAK_NAMES, Named, iki_names


def weak_points(defn: CycleDefinition, data: Mapping[str, Any], indicators: Iterable[Mapping[str, Any]]) -> list[str]:
    """Values rated below expectation in any saved rating (``data``), then IKI under 100% achievement, each once
    and named (see the module)."""
    weak: list[str] = []
    titles: dict[str, dict[str, str]] | None = None
    for saved in data.values():
        if isinstance(saved, Mapping):
            for value in saved.values():
                if isinstance(value, Mapping):
                    for key, rated in value.items():
                        if rated != BELOW or key in weak:
                            continue
                        if titles is None:
                            titles = rated_titles(defn)
                        title = titles.get(key) if key not in BERAKHLAK_NAMES else None
                        weak.append(Named(key, title) if title else key)
    for row in indicators:
        achievement = row.get("achievement")
        if isinstance(achievement, (int, float)) and achievement < 100 and row["id"] not in weak:
            weak.append(Named(str(row["id"]), iki_names(row)))
    return weak


def rated_titles(defn: CycleDefinition) -> dict[str, dict[str, str]]:
    """The title each rated item (a choice inside a group of a transition's form) has, by its key, in both
    languages: a title in one language is used for both; the first transition that titles a key names it."""
    titles: dict[str, dict[str, str]] = {}
    for transition in defn.transitions:
        for key, title in _choice_titles(transition.payload_schema):
            titles.setdefault(key, title)
    return titles


def _choice_titles(schema: Any) -> Iterator[tuple[str, dict[str, str]]]:
    if not isinstance(schema, Mapping):
        return
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return
    for key, sub in properties.items():
        if not isinstance(sub, Mapping):
            continue
        title = _title(sub.get("title"))
        if "enum" in sub and title:
            yield str(key), title
        yield from _choice_titles(sub)


def _title(value: Any) -> dict[str, str] | None:
    if isinstance(value, str) and value.strip():
        return {"id": value.strip(), "en": value.strip()}
    if isinstance(value, Mapping) and isinstance(value.get("id"), str) and value["id"].strip():
        english = value.get("en")
        return {"id": value["id"].strip(),
                "en": english.strip() if isinstance(english, str) and english.strip() else value["id"].strip()}
    return None
