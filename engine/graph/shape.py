"""What both drawings of a cycle read from it: each state's depth from the initial state, and labels."""

from __future__ import annotations

from collections import deque

from engine.definition import CycleDefinition, TransitionDef


def initial_state(defn: CycleDefinition) -> str | None:
    """The initial state, or the first state for a definition built without one."""
    for state in defn.states.values():
        if state.initial:
            return state.name
    return next(iter(defn.states), None)


def state_depths(defn: CycleDefinition) -> dict[str, int]:
    """Breadth-first distance of each state from the initial state.

    States the initial state cannot reach (a valid cycle has none) get one more than the deepest.
    """
    start = initial_state(defn)
    following: dict[str, list[str]] = {name: [] for name in defn.states}
    for transition in defn.transitions:
        for source in transition.sources:
            if source in following and transition.dest in defn.states:
                following[source].append(transition.dest)
    depths: dict[str, int] = {}
    if start is not None:
        depths[start] = 0
        queue = deque([start])
        while queue:
            state = queue.popleft()
            for dest in following[state]:
                if dest not in depths:
                    depths[dest] = depths[state] + 1
                    queue.append(dest)
    beyond = max(depths.values(), default=-1) + 1
    for name in defn.states:
        depths.setdefault(name, beyond)
    return depths


def role_labels(defn: CycleDefinition, transition: TransitionDef, locale: str) -> list[str]:
    """The labels of the roles that may fire ``transition``, in ``locale``."""
    labels = []
    for role in transition.roles:
        definition = defn.roles.get(role)
        labels.append(definition.label.get(locale) if definition else role)
    return labels


def one_line(text: str) -> str:
    """Collapse whitespace, newlines included."""
    return " ".join(text.split())
