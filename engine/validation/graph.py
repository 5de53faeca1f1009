"""Layer 3 of validation, the state graph: what an appraisal can go through.

Reachability from the initial state, states with no way out, exits from final states, one transition
per trigger and state, deadlines that fire a trigger their state has, durations that parse, and
states a missing input strands (:mod:`engine.dead_ends`, once everything else is in order).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from engine.dead_ends import find_strandings
from engine.definition import build_definition
from engine.durations import DurationError, parse_duration
from engine.messages import Message
from engine.validation.context import CycleFile
from engine.validation.positions import Path
from engine.validation.words import is_name


def check_graph(file: CycleFile) -> None:
    """Reachability, dead ends and exits from final states."""
    states = file.states
    if not states or not file.well_typed("transitions", list):
        return
    exits: dict[str, list[str]] = {name: [] for name in states}
    for i, t in file.transitions:
        dest = t.get("dest")
        for path, source in file.sources(i, t):
            if source not in states:
                continue
            exits[source].append(dest if isinstance(dest, str) else "")
            if states[source].get("final") is True:
                file.report(path, f"{file.item_name('transitions', i, 'trigger', 'transition')} leaves "
                                  f"final state '{source}'; a final state has no way out",
                            msg=Message("cycle.leaves_final", where=file.item_where("transitions", i, "trigger",
                                                                                    "transition"), state=source))
    dead_ends_are_real = sources_complete(file)
    for name, s in states.items():
        if s.get("final") is not True and not exits[name] and dead_ends_are_real:
            file.report(("states", name),
                        f"state '{name}' has no way out: it is not final and no transition leaves it", key=True,
                        msg=Message("cycle.no_way_out", state=name))
    initial = next((name for name, s in states.items() if s.get("initial") is True), None)
    if initial is None or not graph_is_complete(file):
        # an unknown or missing source/dest is already reported, and the states it was meant to
        # reach would only be reported again as unreachable
        return
    reached = {initial}
    queue = deque([initial])
    while queue:
        for dest in exits[queue.popleft()]:
            if dest in states and dest not in reached:
                reached.add(dest)
                queue.append(dest)
    for name in states:
        if name not in reached:
            file.report(("states", name),
                        f"state '{name}' cannot be reached from the initial state '{initial}'", key=True,
                        msg=Message("cycle.unreachable", state=name, initial=initial))


def sources_complete(file: CycleFile) -> bool:
    """Whether every transition leaves only known states (else a state's way out may be the typo)."""
    states = file.states
    for i, t in enumerate(file.section("transitions", list)):
        if not isinstance(t, dict):
            return False
        source = t.get("source")
        sources = file.sources(i, t)
        if not sources or (isinstance(source, list) and len(sources) != len(source)):
            return False
        if any(s not in states for _, s in sources):
            return False
    return True


def graph_is_complete(file: CycleFile) -> bool:
    """Whether every transition leaves known states for a known state."""
    states = file.states
    return sources_complete(file) and all(
        isinstance(t, dict) and isinstance(t.get("dest"), str) and t["dest"] in states
        for t in file.section("transitions", list))


def check_triggers(file: CycleFile) -> None:
    """One trigger fires at most one transition from a state."""
    seen: dict[tuple[str, str], Path] = {}
    for i, t in file.transitions:
        trigger = t.get("trigger")
        if not is_name(trigger):
            continue
        for path, source in file.sources(i, t):
            first = seen.setdefault((trigger, source), path)
            if first is path:
                continue
            if first[:2] == path[:2]:
                file.report(path, f"state '{source}' is listed twice in the source of transition '{trigger}'",
                            msg=Message("cycle.source_twice", state=source, trigger=trigger))
            else:
                line = file.line_of(first)
                file.report(path, f"trigger '{trigger}' already leaves state '{source}' "
                                  f"(line {line}); a trigger fires one transition per state",
                            msg=Message("cycle.trigger_twice", trigger=trigger, state=source, line=line))


def check_deadlines(file: CycleFile) -> None:
    """A deadline that fires a trigger needs that trigger to leave its state."""
    if not file.well_typed("transitions", list):
        return
    fired_from: dict[str, list[str]] = {}
    for i, t in file.transitions:
        if is_name(t.get("trigger")):
            fired_from.setdefault(t["trigger"], []).extend(s for _, s in file.sources(i, t))
    for name, s in file.states.items():
        deadline = s.get("deadline")
        then = deadline.get("then") if isinstance(deadline, dict) else None
        fire = then.get("fire") if isinstance(then, dict) else None
        if not is_name(fire):
            continue
        path = ("states", name, "deadline", "then", "fire")
        if fire not in fired_from:
            file.report_unknown(path, "trigger", fire, list(fired_from), "triggers")
        elif name not in fired_from[fire]:
            file.report(path, f"trigger '{fire}' cannot fire from state '{name}'; it fires from "
                              f"{', '.join(fired_from[fire])}",
                        msg=Message("cycle.deadline_trigger", trigger=fire, state=name, sources=fired_from[fire]))


def check_durations(file: CycleFile) -> None:
    """Deadline and window durations parse (``14d``, ``10wd``, ``P14D``...)."""
    def check(path: Path, value: Any) -> None:
        if isinstance(value, str):
            try:
                parse_duration(value)
            except DurationError as exc:
                file.report(path, str(exc), msg=Message("cycle.duration", value=value))

    for name, s in file.states.items():
        deadline = s.get("deadline")
        if isinstance(deadline, dict):
            for key in ("within", "offset"):
                if key in deadline:
                    check(("states", name, "deadline", key), deadline[key])
    for i, t in file.transitions:
        window = t.get("window")
        if isinstance(window, dict) and "within" in window:
            check(("transitions", i, "window", "within"), window["within"])


def check_dead_ends(file: CycleFile) -> None:
    """States a missing input makes impossible to leave (see :mod:`engine.dead_ends`).

    Runs on the built definition, so only once everything else is in order.
    """
    if file.problems or not file.dead_ends:
        return
    for stranding in find_strandings(build_definition(file.data, file.source)):
        file.report(("states", stranding.state), stranding.message, key=True, msg=stranding.msg)

