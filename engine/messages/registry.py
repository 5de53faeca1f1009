"""Every message code of Siklus with its Indonesian and English templates, gathered from the area modules."""

from __future__ import annotations

from collections.abc import Mapping

from engine.messages import (
    access,
    api,
    appraisal,
    audit,
    checkpoints,
    common,
    cycle_checks,
    cycles,
    feedback,
    jobs,
    loops,
    notices,
    org,
    people,
    raters,
    rule_checks,
    runs,
    simulate,
    validation,
)
from engine.messages.text import MessageText

# One area per line, so that areas added side by side merge without a conflict.
_AREAS: tuple[Mapping[str, MessageText], ...] = (
    common.TEXTS,
    access.TEXTS,
    appraisal.TEXTS,
    people.TEXTS,
    validation.TEXTS,
    notices.TEXTS,
    cycle_checks.TEXTS,
    rule_checks.TEXTS,
    org.TEXTS,
    checkpoints.TEXTS,
    cycles.TEXTS,
    feedback.TEXTS,
    jobs.TEXTS,
    runs.TEXTS,
    api.TEXTS,
    loops.TEXTS,
    simulate.TEXTS,
    raters.TEXTS,
    audit.TEXTS,
)


def _gather() -> dict[str, MessageText]:
    texts: dict[str, MessageText] = {}
    for area in _AREAS:
        for code, text in area.items():
            if code in texts:
                raise ValueError(f"message code '{code}' is declared twice")
            texts[code] = text
    return texts


TEXTS: Mapping[str, MessageText] = _gather()
