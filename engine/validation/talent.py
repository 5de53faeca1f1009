"""The talent grid's references: ``talent: {box: RESULT}`` names a result the cycle declares and computes
with the talent_box rule, and each shortlist's boxes are boxes that rule can place someone in."""

from __future__ import annotations

from typing import Any

from engine.messages import Message
from engine.validation.context import CycleFile
from engine.validation.words import is_name, unknown, unknown_message
from engine.vocabulary import TALENT_BOX_RULE

_DEFAULT_BOXES = frozenset(range(1, 10))


def _box_numbers(result: dict[Any, Any]) -> frozenset[int]:
    """The box numbers a talent_box result places employees in (its ``boxes`` param, else 1 to 9)."""
    params = result.get("params")
    boxes = params.get("boxes") if isinstance(params, dict) else None
    if isinstance(boxes, list):
        return frozenset(n for row in boxes if isinstance(row, list) for n in row if isinstance(n, int))
    return _DEFAULT_BOXES


def check_talent(file: CycleFile) -> None:
    """The grid's result exists and is a talent box; shortlists name boxes on the grid."""
    talent = file.data.get("talent")
    if not isinstance(talent, dict) or not file.well_typed("results", dict):
        return  # absent, or the schema reports it
    box = talent.get("box")
    if not is_name(box):
        return
    results = file.results
    if box not in results:
        file.report(("talent", "box"), unknown("result", box, list(results), "results")
                    + ": the talent grid reads the box each employee is placed in from a result of the cycle",
                    msg=Message("cycle.talent_result", unknown=unknown_message("result", box, list(results))))
        return
    rule = results[box].get("rule")
    if rule != TALENT_BOX_RULE:
        file.report(("talent", "box"), f"result '{box}' is computed by rule '{rule}', not {TALENT_BOX_RULE}: "
                                       f"the talent grid needs the box a {TALENT_BOX_RULE} result places",
                    msg=Message("cycle.talent_rule", result=box, rule=str(rule), needed=TALENT_BOX_RULE))
        return
    on_grid = _box_numbers(results[box])
    shortlists = talent.get("shortlists")
    for i, shortlist in enumerate(shortlists if isinstance(shortlists, list) else []):
        boxes = shortlist.get("boxes") if isinstance(shortlist, dict) else None
        for k, number in enumerate(boxes if isinstance(boxes, list) else []):
            if isinstance(number, int) and not isinstance(number, bool) and number not in on_grid:
                file.report(("talent", "shortlists", i, "boxes", k),
                            f"box {number} is not on the grid of '{box}'; its boxes are "
                            f"{', '.join(str(n) for n in sorted(on_grid))}",
                            msg=Message("cycle.talent_box", box=number, result=box,
                                        boxes=[str(n) for n in sorted(on_grid)]))
