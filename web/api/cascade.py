"""The cascade in the API: what each IKI supports, the roll-up of a leader's RHK and the leader's
behaviour expectations (ekspektasi khusus pimpinan), as :mod:`engine.cascade` reads them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from engine.cascade import PlanCascade


def cascade_json(cascade: PlanCascade) -> dict[str, Any]:
    """The cascade of one appraisal: links up by IKI key, roll-ups of its IKI, expectations by value."""
    return {
        "supports": {key: asdict(link) for key, link in cascade.supported.items()},
        "rollups": [{"key": up.key, "indicator_id": up.indicator_id, "achievement": up.achievement,
                     "terms": list(up.terms), "waiting": up.waiting,
                     "supporters": [asdict(s) for s in up.supporters]} for up in cascade.rollups.values()],
        "expectations": [{"value": e.value, "name": e.name, "text": e.text} for e in cascade.expectations],
    }
