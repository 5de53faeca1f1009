"""A state's ``vacant`` clause: what the system fires when nobody holds a role that acts there.

Each clause names a declared role that takes a step out of the state, and a trigger that leaves the
state and needs nothing a person would give: the system fires it with an empty payload, so it may not
require a field nor keep its payload (``save_as``) as a decision nobody made (:mod:`engine.vacancy`).
"""

from __future__ import annotations

from typing import Any

from engine.messages import Message
from engine.validation.context import CycleFile
from engine.validation.words import is_name


def check_vacancies(file: CycleFile) -> None:
    """Each ``vacant`` role is declared and acts in its state; each trigger leaves it and needs no input."""
    if not file.well_typed("transitions", list):
        return
    leaving: dict[str, dict[str, dict[Any, Any]]] = {}  # state -> trigger -> transition
    for i, t in file.transitions:
        if is_name(t.get("trigger")):
            for _, source in file.sources(i, t):
                leaving.setdefault(source, {})[t["trigger"]] = t
    for name, s in file.states.items():
        vacant = s.get("vacant")
        if not isinstance(vacant, dict):
            continue
        exits = leaving.get(name, {})
        acting = sorted({r for t in exits.values() for r in (t.get("roles") or []) if isinstance(r, str)})
        for role, then in vacant.items():
            if not is_name(role):
                continue
            path = ("states", name, "vacant", role)
            if role not in file.roles:
                if file.well_typed("roles", dict):
                    file.report_unknown(path, "role", role, list(file.roles), "roles", key=True)
            elif role not in acting:
                file.report(path, f"role '{role}' takes no step out of state '{name}' "
                                  f"({', '.join(acting) or 'no role does'}): nothing there waits for it",
                            key=True, msg=Message("cycle.vacant_idle", role=role, state=name, roles=acting))
            fire = then.get("fire") if isinstance(then, dict) else None
            if is_name(fire):
                _check_fired(file, name, (*path, "fire"), fire, exits)


def _check_fired(file: CycleFile, state: str, path: tuple[Any, ...], fire: str,
                 exits: dict[str, dict[Any, Any]]) -> None:
    """The trigger leaves the state, requires no field and keeps no payload."""
    transition = exits.get(fire)
    if transition is None:
        known = sorted(exits)
        if known:
            file.report(path, f"trigger '{fire}' does not leave state '{state}'; the ones that do: "
                              f"{', '.join(known)}",
                        msg=Message("cycle.vacant_trigger", trigger=fire, state=state, triggers=known))
        return
    payload = transition.get("payload")
    required = payload.get("required") if isinstance(payload, dict) else None
    if isinstance(required, list) and required:
        file.report(path, f"trigger '{fire}' requires {', '.join(map(str, required))}, which the system, firing it "
                          "for a role nobody holds, cannot give",
                    msg=Message("cycle.vacant_payload", trigger=fire, fields=[str(r) for r in required]))
    elif transition.get("save_as"):
        file.report(path, f"trigger '{fire}' keeps its payload as '{transition['save_as']}': fired by the system "
                          "it would record a decision nobody made",
                    msg=Message("cycle.vacant_saves", trigger=fire, key=str(transition["save_as"])))
