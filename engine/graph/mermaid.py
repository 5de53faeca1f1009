"""A cycle as Mermaid ``stateDiagram-v2`` source, for documentation and pull requests."""

from __future__ import annotations

from engine.definition import CycleDefinition
from engine.graph.shape import initial_state, one_line, role_labels


def _mermaid_text(text: str) -> str:
    """A label Mermaid's state-diagram grammar accepts: one line, no quote, colon or semicolon."""
    # ':' and ';' end a transition description in Mermaid's lexer; the look-alike colon keeps the text
    return one_line(text).replace('"', "'").replace(":", "\ua789").replace(";", ",")


def to_mermaid(defn: CycleDefinition, locale: str = "id") -> str:
    """A Mermaid ``stateDiagram-v2`` of the cycle: states with labels, ``[*]`` for initial and final
    states, each transition labelled with its trigger's label and the roles that may fire it."""
    lines = [
        "stateDiagram-v2",
        f"    %% {one_line(defn.title.get(locale))} ({defn.id} v{defn.version})",
        "    direction LR",
    ]
    for state in defn.states.values():
        lines.append(f'    state "{_mermaid_text(state.label.get(locale))}" as {state.name}')
    start = initial_state(defn)
    if start is not None:
        lines.append(f"    [*] --> {start}")
    for transition in defn.transitions:
        roles = ", ".join(role_labels(defn, transition, locale))
        label = _mermaid_text(f"{transition.label.get(locale)} \u2014 {roles}")
        # the trigger id is what the API and the audit log show; keep it findable in the source
        lines.append(f"    %% {transition.trigger}")
        for source in transition.sources:
            lines.append(f"    {source} --> {transition.dest} : {label}")
    for state in defn.states.values():
        if state.final:
            lines.append(f"    {state.name} --> [*]")
    return "\n".join(lines) + "\n"
