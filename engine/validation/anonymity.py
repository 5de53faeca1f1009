"""Anonymous feedback windows and the results that break their answers down per role.

A result whose rule counts 360 answers per role (its params declare ``roles: {role: {min_respondents}}`` and an
``anonymity_threshold``, as ``feedback_360`` and ``behaviour_360`` do) and reads an anonymous window
(``feedback.WINDOW.scores``) scores a role once it has ``min_respondents`` answers. Below the threshold the rule
withholds the role's mean, but the score is shown with the weights and the other parts (the rater's own rating,
a named supervisor's answer), so the role's mean, with one answer its answer, is worked back from it. So a role
fed by an anonymous window must need at least as many answers as the anonymity asks: the rule's
``anonymity_threshold``, the window's ``min_respondents`` (nothing but the count is shown below it), and never
fewer than two. A role the cycle declares ``anonymous: false``, one the window does not answer (``public``) and a
minimum of ``all`` (decided by the team's size when scoring) are not judged here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from engine.messages import Message
from engine.validation.context import CycleFile
from engine.vocabulary import RESOLVER_NAMES, rater_role

#: The fewest answers any anonymous mean is shown over: one answer is never anonymous.
FEWEST_ANONYMOUS = 2
_SCORE_PATHS = ("scores", "scores_with_public")


def _windows_read(inputs: Any) -> Iterator[str]:
    """The feedback windows whose per-respondent scores a result's inputs read."""
    for value in (inputs.values() if isinstance(inputs, dict) else ()):
        parts = value.split(".") if isinstance(value, str) else []
        if len(parts) == 3 and parts[0] == "feedback" and parts[2] in _SCORE_PATHS:
            yield parts[1]


def _rater_roles(file: CycleFile, window: Mapping[Any, Any]) -> set[str]:
    """The rule role names the answers of a window's roles count under (as engine.facts.Facts.rater_role)."""
    out: set[str] = set()
    names = window.get("roles")
    for name in names if isinstance(names, list) else []:
        role = file.roles.get(name) if isinstance(name, str) else None
        if isinstance(role, dict) and role.get("resolver") in RESOLVER_NAMES:
            out.add(rater_role(str(name), str(role["resolver"])))
    return out


def _whole(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def check_role_minimums(file: CycleFile) -> None:
    """A role of an anonymous window is never scored from fewer answers than its anonymity allows."""
    windows = {w["id"]: w for _, w in file.feedback_windows if isinstance(w.get("id"), str)}
    if not windows or not file.well_typed("results", dict):
        return
    from rules import get_rule

    for result_name, result in file.results.items():
        if not isinstance(result, dict) or not isinstance(result.get("rule"), str):
            continue
        try:
            rule = get_rule(result["rule"])
        except Exception:  # noqa: BLE001 - an unknown or broken rule is reported by the rules check
            continue
        properties = rule.params_schema.get("properties", {})
        params = result.get("params") if result.get("params") is not None else {}
        if "roles" not in properties or "anonymity_threshold" not in properties or not isinstance(params, dict) \
                or rule.validate_params(params):
            continue  # not a per-role 360 rule, or the rules check reports its params
        roles, threshold = rule.param(params, "roles"), _whole(rule.param(params, "anonymity_threshold"), 1)
        for window_id in dict.fromkeys(_windows_read(result.get("inputs"))):
            window = windows.get(window_id)
            if window is None or window.get("anonymous", True) is False:
                continue
            needed = max(threshold, _whole(window.get("min_respondents"), 1), FEWEST_ANONYMOUS)
            fed = _rater_roles(file, window)
            for role, spec in roles.items():
                minimum = spec.get("min_respondents", 1) if isinstance(spec, dict) else None
                if not isinstance(minimum, int) or role not in fed or spec.get("anonymous", True) is False \
                        or minimum >= needed:
                    continue
                written = "roles" in params and "min_respondents" in spec
                path = ("results", result_name, "params", "roles", role, "min_respondents") if written \
                    else ("results", result_name, "rule")
                file.report(path, f"result '{result_name}' scores role '{role}' of the anonymous feedback window "
                                  f"'{window_id}' from {minimum} answer(s) (min_respondents {minimum}), fewer than "
                                  f"its anonymity needs ({needed}: anonymity_threshold {threshold}, the window's "
                                  f"min_respondents {_whole(window.get('min_respondents'), 1)}, never fewer than "
                                  f"{FEWEST_ANONYMOUS}); the score, shown with its weights, would give away what so "
                                  f"few answered. Set min_respondents of '{role}' to at least {needed}",
                            msg=Message("cycle.anonymous_role_minimum", result=result_name, role=role,
                                        window=window_id, minimum=minimum, needed=needed, threshold=threshold,
                                        window_minimum=_whole(window.get("min_respondents"), 1),
                                        fewest=FEWEST_ANONYMOUS))
