"""Diagrams of a cycle's state machine, for people reviewing a cycle file.

:func:`to_mermaid` gives ``stateDiagram-v2`` source for documentation and pull requests;
:func:`to_svg` gives a self-contained SVG (no scripts, no web fonts, no external references) that the
web shows next to the cycle. The SVG uses a layered layout: states stand in columns by their
breadth-first distance from the initial state, forward transitions run left to right, and
transitions that go back (or jump several columns) are drawn as arcs above or below the columns.
Labels come in the requested language (``id`` or ``en``).
"""

from engine.graph.mermaid import to_mermaid
from engine.graph.shape import state_depths
from engine.graph.svg import to_svg

__all__ = ["to_mermaid", "to_svg", "state_depths"]
