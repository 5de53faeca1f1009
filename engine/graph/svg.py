"""A cycle as a self-contained SVG (no scripts, no web fonts, no external references), shown next to the cycle.

A layered layout: states stand in columns by their breadth-first distance from the initial state,
forward transitions run left to right, and transitions that go back (or jump several columns) are
drawn as arcs above or below the columns.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from engine.definition import CycleDefinition
from engine.graph.shape import one_line, role_labels, state_depths

_STATE_FONT = 13
_EDGE_FONT = 11
_CHAR_WIDTH = 0.6  # average advance of a sans-serif character, in ems
_STATE_WRAP = 16  # characters per line of a state label
_EDGE_WRAP = 12
_LINE_HEIGHT = 1.25
_PAD_X, _PAD_Y = 12, 10
_MIN_NODE_WIDTH = 110
_MIN_GAP = 56
_ROW_GAP = 48
_LANE = 30  # vertical distance between stacked arcs
_SELF_LOOP = 26  # how far a transition back to its own state reaches out of the box
_MARGIN = 16
_MARKER_SPACE = 44  # room for the initial dot and the final bull's eye

# Pale fills by PermenPAN-RB stage, so a reader sees planning, monitoring, rating... at a glance.
_STAGE_FILLS = {
    "plan": "#e8f1fb",
    "monitor": "#e9f7ef",
    "rate": "#fff6e0",
    "review": "#fdebd3",
    "appeal": "#fde8e8",
    "develop": "#efe9fb",
    "closed": "#eeeeee",
}
_DEFAULT_FILL = "#f5f7fa"
_INK = "#1f2933"
_EDGE_INK = "#52606d"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text content escaped for XML, without characters XML forbids."""
    return escape(_XML_INVALID.sub("", text))


def _xml_attr(text: str) -> str:
    """A quoted XML attribute value."""
    return quoteattr(_XML_INVALID.sub("", text))


def _text_width(line: str, size: int) -> float:
    """Estimated width in pixels of ``line`` at font ``size`` (no font metrics without a renderer)."""
    return len(line) * size * _CHAR_WIDTH


def _wrap(text: str, width: int, max_lines: int = 3) -> list[str]:
    """Wrap a label into at most ``max_lines`` lines of about ``width`` characters."""
    lines = textwrap.wrap(one_line(text), width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "\u2026"
    return lines


def _num(value: float) -> str:
    """A coordinate with at most one decimal, to keep the SVG small."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass
class _Node:
    """A state's box: its wrapped label, its column and row, and where it ends up."""

    name: str
    lines: list[str]
    column: int
    row: int = 0
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    initial: bool = False
    final: bool = False
    stage: str | None = None

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass
class _Edge:
    """One transition from one of its sources, and how it is drawn.

    ``forward`` goes to the next column, ``column`` to a neighbour in the same column, ``self`` back
    to its own state, and ``arc`` anywhere else (backwards or across columns), above or below.
    """

    source: str
    dest: str
    trigger: str
    label: list[str]
    tooltip: str
    kind: str = "forward"  # forward | self | column | arc
    above: bool = True
    lane: int = 0
    parallel: int = 0  # index among edges between the same two states
    parallel_count: int = 1
    path: str = ""
    label_x: float = 0.0
    label_y: float = 0.0
    label_anchor: str = "middle"


@dataclass
class _Layout:
    """Places states and routes transitions for :func:`to_svg`, then writes the SVG."""

    defn: CycleDefinition
    locale: str
    nodes: dict[str, _Node] = field(default_factory=dict)
    columns: list[list[str]] = field(default_factory=list)
    edges: list[_Edge] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    content_top: float = 0.0
    content_bottom: float = 0.0

    def build(self) -> None:
        """Lay the cycle out: columns, edges, sizes and positions, then routes."""
        self._place_in_columns()
        self._collect_edges()
        self._size_and_position()
        self._route_edges()

    def _place_in_columns(self) -> None:
        """Put each state in the column of its depth, ordered to reduce crossings."""
        depths = state_depths(self.defn)
        count = max(depths.values(), default=-1) + 1
        self.columns = [[] for _ in range(count)]
        # definition order within a column keeps the drawing stable from one version to the next
        declared = {name: i for i, name in enumerate(self.defn.states)}
        order = sorted(self.defn.states, key=lambda n: (depths[n], declared[n]))
        for name in order:
            state = self.defn.states[name]
            self.columns[depths[name]].append(name)
            self.nodes[name] = _Node(
                name=name,
                lines=_wrap(state.label.get(self.locale), _STATE_WRAP),
                column=depths[name],
                initial=state.initial,
                final=state.final,
                stage=state.stage,
            )
        # one barycentre pass: put a state near the states it comes from, to cut crossings
        predecessors: dict[str, list[str]] = {name: [] for name in self.nodes}
        for transition in self.defn.transitions:
            for source in transition.sources:
                if source in self.nodes and transition.dest in self.nodes:
                    predecessors[transition.dest].append(source)
        for index, column in enumerate(self.columns):
            for row, name in enumerate(column):
                self.nodes[name].row = row
            if index + 1 < len(self.columns):
                following = self.columns[index + 1]
                position = {name: i for i, name in enumerate(following)}

                def barycentre(name: str, column_index: int = index,
                               position: dict[str, int] = position) -> tuple[float, int]:
                    rows = [self.nodes[p].row for p in predecessors[name]
                            if self.nodes[p].column == column_index]
                    return (sum(rows) / len(rows) if rows else float(position[name]), position[name])

                following.sort(key=barycentre)

    def _collect_edges(self) -> None:
        """One edge per (source, trigger), classified by how it will be drawn."""
        seen: dict[tuple[str, str], int] = {}
        for transition in self.defn.transitions:
            if transition.dest not in self.nodes:
                continue
            label = transition.label.get(self.locale)
            roles = ", ".join(role_labels(self.defn, transition, self.locale))
            for source in transition.sources:
                if source not in self.nodes:
                    continue
                edge = _Edge(
                    source=source,
                    dest=transition.dest,
                    trigger=transition.trigger,
                    label=_wrap(label, _EDGE_WRAP),
                    tooltip=f"{label} ({transition.trigger}): {roles}",
                )
                src, dst = self.nodes[source], self.nodes[transition.dest]
                if source == transition.dest:
                    edge.kind = "self"
                elif dst.column == src.column + 1:
                    edge.kind = "forward"
                elif dst.column == src.column and abs(dst.row - src.row) == 1:
                    edge.kind = "column"
                else:
                    edge.kind = "arc"
                    # stay on the side of the columns the two states are nearest to
                    src_rows = len(self.columns[src.column])
                    dst_rows = len(self.columns[dst.column])
                    edge.above = (src.row + 0.5) / src_rows + (dst.row + 0.5) / dst_rows <= 1.0
                pair = (source, transition.dest)
                edge.parallel = seen.get(pair, 0)
                seen[pair] = edge.parallel + 1
                self.edges.append(edge)
        for edge in self.edges:
            edge.parallel_count = seen[(edge.source, edge.dest)]
        self._assign_lanes()

    def _assign_lanes(self) -> None:
        """Stack arcs whose column spans overlap so that they do not draw over each other."""
        for above in (True, False):
            arcs = [e for e in self.edges if e.kind == "arc" and e.above == above]
            arcs.sort(key=lambda e: abs(self.nodes[e.source].column - self.nodes[e.dest].column))
            taken: list[list[tuple[int, int]]] = []
            for edge in arcs:
                span = sorted((self.nodes[edge.source].column, self.nodes[edge.dest].column))
                lane = 0
                while lane < len(taken) and any(not (span[1] < a or b < span[0]) for a, b in taken[lane]):
                    lane += 1
                if lane == len(taken):
                    taken.append([])
                taken[lane].append((span[0], span[1]))
                edge.lane = lane

    def _label_size(self, lines: list[str]) -> tuple[float, float]:
        """Width and height of an edge label's backing box."""
        width = max((_text_width(line, _EDGE_FONT) for line in lines), default=0.0) + 8
        height = len(lines) * _EDGE_FONT * _LINE_HEIGHT + 4
        return width, height

    def _size_and_position(self) -> None:
        """Size boxes and gaps from their labels, then place every box."""
        line_height = _STATE_FONT * _LINE_HEIGHT
        # one width per column: boxes line up, and a column of short labels stays narrow
        column_widths = [
            max([_MIN_NODE_WIDTH] + [_text_width(line, _STATE_FONT) + 2 * _PAD_X
                                     for name in column for line in self.nodes[name].lines])
            for column in self.columns
        ]
        for node in self.nodes.values():
            node.width = column_widths[node.column]
            node.height = len(node.lines) * line_height + 2 * _PAD_Y
        # each gap is as wide as the labels of the transitions crossing it
        gaps = [float(_MIN_GAP)] * max(len(self.columns) - 1, 0)
        tail = float(_MARKER_SPACE)
        for edge in self.edges:
            src = self.nodes[edge.source]
            label_width = self._label_size(edge.label)[0]
            if edge.kind == "forward":
                gaps[src.column] = max(gaps[src.column], label_width + 16)
            elif edge.kind == "column":
                need = label_width / 2 + 16
                if src.column < len(gaps):
                    gaps[src.column] = max(gaps[src.column], need + _MIN_GAP / 2)
                else:
                    tail = max(tail, need)
            elif edge.kind == "self":
                # the loop leaves the box's top-right corner and its label sits beside it
                need = _SELF_LOOP + 10 * edge.parallel + label_width / 2 + 8
                if src.column < len(gaps):
                    gaps[src.column] = max(gaps[src.column], need)
                else:
                    tail = max(tail, need)
        for name in self.nodes:
            node = self.nodes[name]
            if node.final and node.column < len(gaps):
                gaps[node.column] = max(gaps[node.column], _MARKER_SPACE + 24)
        arcs_above = max((e.lane + 1 for e in self.edges if e.kind == "arc" and e.above), default=0)
        arcs_below = max((e.lane + 1 for e in self.edges if e.kind == "arc" and not e.above), default=0)
        top: float = _MARGIN + arcs_above * _LANE + (24 if arcs_above else 0)
        # a loop on a top-row state, with its label, must stay inside the picture
        self_reach = max((_SELF_LOOP + 10 * e.parallel + self._label_size(e.label)[1]
                          for e in self.edges if e.kind == "self"), default=0.0)
        top = max(top, _MARGIN + self_reach)
        heights = [sum(self.nodes[n].height for n in column) + _ROW_GAP * (len(column) - 1)
                   for column in self.columns]
        content_height = max(heights, default=0)
        x: float = _MARGIN + _MARKER_SPACE
        for index, column in enumerate(self.columns):
            y = top + (content_height - heights[index]) / 2
            for name in column:
                node = self.nodes[name]
                node.x, node.y = x, y
                y += node.height + _ROW_GAP
            x += column_widths[index] + (gaps[index] if index < len(gaps) else 0)
        self.content_top = top
        self.content_bottom = top + content_height
        self.width = x + tail + _MARGIN
        self.height = self.content_bottom + arcs_below * _LANE + (24 if arcs_below else 0) + _MARGIN

    def _arc_attachments(self) -> dict[tuple[int, str], float]:
        """Where each arc meets its boxes: spread along the top or bottom so arcs do not pile up.

        Keyed by (edge index, "source"/"dest"). Arcs heading left meet the box left of those heading
        right, and an outer (higher) arc meets it farther from where it heads than an inner one, so
        arcs meeting one box nest instead of crossing.
        """
        ends: dict[str, list[tuple[tuple[int, float, float], int, str]]] = {}
        for index, edge in enumerate(self.edges):
            if edge.kind != "arc":
                continue
            for end, here, other in (("source", edge.source, edge.dest), ("dest", edge.dest, edge.source)):
                partner = self.nodes[other]
                if partner.cx < self.nodes[here].cx:
                    key = (0, float(edge.lane), -partner.cx)
                else:
                    key = (1, float(-edge.lane), -partner.cx)
                ends.setdefault(f"{here}/{'top' if edge.above else 'bottom'}", []).append((key, index, end))
        positions: dict[tuple[int, str], float] = {}
        for side, attached in ends.items():
            node = self.nodes[side.rsplit("/", 1)[0]]
            attached.sort()
            for rank, (_, index, end) in enumerate(attached):
                positions[(index, end)] = node.x + node.width * (0.2 + 0.6 * (rank + 0.5) / len(attached))
        return positions

    def _route_edges(self) -> None:
        """Compute each edge's path and where its label goes."""
        attachments = self._arc_attachments()
        for index, edge in enumerate(self.edges):
            src, dst = self.nodes[edge.source], self.nodes[edge.dest]
            # parallel transitions between two states fan out, but stay on the boxes' sides
            room = min(src.height, dst.height) - 8 if edge.kind == "forward" else min(src.width, dst.width) - 16
            step = min(16.0, room / max(edge.parallel_count - 1, 1))
            shift = (edge.parallel - (edge.parallel_count - 1) / 2) * step
            label_height = self._label_size(edge.label)[1]
            if edge.kind == "forward":
                x1, y1 = src.right, src.cy + shift
                x2, y2 = dst.x, dst.cy + shift
                bend = (x2 - x1) / 2
                edge.path = (f"M{_num(x1)},{_num(y1)} C{_num(x1 + bend)},{_num(y1)} "
                             f"{_num(x2 - bend)},{_num(y2)} {_num(x2)},{_num(y2)}")
                edge.label_x, edge.label_y = (x1 + x2) / 2, (y1 + y2) / 2 - label_height / 2 - 2
            elif edge.kind == "column":
                x = src.cx + shift
                down = dst.row > src.row
                y1 = src.bottom if down else src.y
                y2 = dst.y if down else dst.bottom
                edge.path = f"M{_num(x)},{_num(y1)} L{_num(x)},{_num(y2)}"
                edge.label_x, edge.label_y = x + 8, (y1 + y2) / 2 - label_height / 2
                edge.label_anchor = "start"
            elif edge.kind == "self":
                # a loop out of the top-right corner, clear of the arcs that meet the top's middle
                loop = _SELF_LOOP + edge.parallel * 10
                x1, y1 = src.right - 20, src.y
                x2, y2 = src.right, src.y + 14
                edge.path = (f"M{_num(x1)},{_num(y1)} C{_num(x1)},{_num(y1 - loop)} "
                             f"{_num(x2 + loop)},{_num(y2)} {_num(x2)},{_num(y2)}")
                edge.label_x, edge.label_y = src.right + 2, src.y - loop - label_height + 6
                edge.label_anchor = "start"
            else:
                if edge.above:
                    y1, y2 = src.y, dst.y
                    apex = self.content_top - 16 - edge.lane * _LANE
                else:
                    y1, y2 = src.bottom, dst.bottom
                    apex = self.content_bottom + 16 + edge.lane * _LANE
                x1, x2 = attachments[(index, "source")], attachments[(index, "dest")]
                # a cubic whose control points share one height peaks at 1/4 ends + 3/4 controls;
                # kept inside the picture, the outermost arcs flatten a little
                ends = (y1 + y2) / 2
                control = min(max((apex - 0.25 * ends) / 0.75, 0.0), self.height)
                apex = 0.25 * ends + 0.75 * control
                edge.path = (f"M{_num(x1)},{_num(y1)} C{_num(x1)},{_num(control)} "
                             f"{_num(x2)},{_num(control)} {_num(x2)},{_num(y2)}")
                edge.label_x = (x1 + x2) / 2
                edge.label_y = apex - label_height / 2

    # -- drawing ----------------------------------------------------------------------------
    def render(self) -> str:
        """The SVG text: arrowhead marker, edges, states, then labels on top."""
        prefix = re.sub(r"[^a-zA-Z0-9_-]", "-", f"siklus-{self.defn.id}-{self.defn.version}")
        arrow = f"{prefix}-arrow"
        title = self.defn.title.get(self.locale)
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(self.width)} {_num(self.height)}" '
            f'width="{_num(self.width)}" height="{_num(self.height)}" role="img" '
            f'aria-labelledby="{prefix}-title" font-family={_xml_attr(_FONT)} '
            'style="max-width:100%;height:auto">',
            f'<title id="{prefix}-title">{_xml_text(title)}</title>',
            "<defs>",
            f'<marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{_EDGE_INK}"/></marker>',
            "</defs>",
            f'<rect x="0" y="0" width="{_num(self.width)}" height="{_num(self.height)}" fill="#ffffff"/>',
        ]
        for edge in self.edges:
            out.append(self._render_edge(edge, arrow))
        for node in self.nodes.values():
            out.append(self._render_node(node, arrow))
        # labels last, so no line or box is drawn over them
        for edge in self.edges:
            out.append(self._render_edge_label(edge))
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def _render_edge(self, edge: _Edge, arrow: str) -> str:
        """One transition's line, with its label and roles as a tooltip."""
        cls = "edge" if edge.kind in ("forward", "column") else "edge back"
        return (
            f'<g class="{cls}" data-source={_xml_attr(edge.source)} data-trigger={_xml_attr(edge.trigger)} '
            f'data-dest={_xml_attr(edge.dest)}><title>{_xml_text(edge.tooltip)}</title>'
            f'<path d="{edge.path}" fill="none" stroke="{_EDGE_INK}" stroke-width="1.5" '
            f'marker-end="url(#{arrow})"/></g>'
        )

    def _render_edge_label(self, edge: _Edge) -> str:
        """One transition's label on a white backing, so lines never cross the text."""
        width, height = self._label_size(edge.label)
        text_x = edge.label_x
        # the white backing sits under the text whichever way it is anchored
        left = text_x - width / 2 if edge.label_anchor == "middle" else text_x - 4
        spans = "".join(
            f'<tspan x="{_num(text_x)}" dy="{_num(_EDGE_FONT * _LINE_HEIGHT if i else _EDGE_FONT)}">'
            f"{_xml_text(line)}</tspan>"
            for i, line in enumerate(edge.label)
        )
        return (
            f'<g class="edge-label" data-source={_xml_attr(edge.source)} data-trigger={_xml_attr(edge.trigger)}>'
            f'<rect x="{_num(left)}" y="{_num(edge.label_y)}" width="{_num(width)}" height="{_num(height)}" '
            f'rx="3" fill="#ffffff" fill-opacity="0.9"/>'
            f'<text x="{_num(text_x)}" y="{_num(edge.label_y + 1)}" font-size="{_EDGE_FONT}" fill="{_EDGE_INK}" '
            f'text-anchor="{edge.label_anchor}">{spans}</text></g>'
        )

    def _render_node(self, node: _Node, arrow: str) -> str:
        """One state's box and label, with the start dot or end bull's eye when it has one."""
        state = self.defn.states[node.name]
        fill = _STAGE_FILLS.get(node.stage or "", _DEFAULT_FILL)
        cls = "state" + (" initial" if node.initial else "") + (" final" if node.final else "")
        parts = [
            f'<g class="{cls}" data-state={_xml_attr(node.name)}>',
            f"<title>{_xml_text(f'{state.label.get(self.locale)} ({node.name})')}</title>",
            f'<rect x="{_num(node.x)}" y="{_num(node.y)}" width="{_num(node.width)}" height="{_num(node.height)}" '
            f'rx="10" fill="{fill}" stroke="{_INK}" stroke-width="1.5"/>',
        ]
        if node.final:
            parts.append(
                f'<rect x="{_num(node.x + 4)}" y="{_num(node.y + 4)}" width="{_num(node.width - 8)}" '
                f'height="{_num(node.height - 8)}" rx="7" fill="none" stroke="{_INK}" stroke-width="1"/>'
            )
        line_height = _STATE_FONT * _LINE_HEIGHT
        first_baseline = node.cy - (len(node.lines) - 1) * line_height / 2 + _STATE_FONT * 0.35
        spans = "".join(
            f'<tspan x="{_num(node.cx)}" y="{_num(first_baseline + i * line_height)}">{_xml_text(line)}</tspan>'
            for i, line in enumerate(node.lines)
        )
        parts.append(f'<text font-size="{_STATE_FONT}" fill="{_INK}" text-anchor="middle">{spans}</text>')
        parts.append("</g>")
        if node.initial:
            dot_x = node.x - 34
            parts.append(
                f'<g class="start"><circle cx="{_num(dot_x)}" cy="{_num(node.cy)}" r="7" fill="{_INK}"/>'
                f'<path d="M{_num(dot_x + 7)},{_num(node.cy)} L{_num(node.x)},{_num(node.cy)}" stroke="{_EDGE_INK}" '
                f'stroke-width="1.5" marker-end="url(#{arrow})"/></g>'
            )
        if node.final:
            eye_x = node.right + 34
            parts.append(
                f'<g class="end"><path d="M{_num(node.right)},{_num(node.cy)} L{_num(eye_x - 9)},{_num(node.cy)}" '
                f'stroke="{_EDGE_INK}" stroke-width="1.5" marker-end="url(#{arrow})"/>'
                f'<circle cx="{_num(eye_x)}" cy="{_num(node.cy)}" r="8" fill="none" stroke="{_INK}" '
                'stroke-width="1.5"/>'
                f'<circle cx="{_num(eye_x)}" cy="{_num(node.cy)}" r="4.5" fill="{_INK}"/></g>'
            )
        return "".join(parts)


def to_svg(defn: CycleDefinition, locale: str = "id") -> str:
    """A self-contained SVG diagram of the cycle, labelled in ``locale`` (``id`` or ``en``).

    Each state is a ``<g class="state" data-state=NAME>``; each transition from each of its sources
    is a ``<g class="edge" data-source=... data-trigger=... data-dest=...>`` (class ``edge back`` when
    drawn as an arc). The ``viewBox`` lets the page scale it to its container; text is 13 px (states)
    and 11 px (transitions) at natural size, which stays legible when a long cycle is scaled down
    to a 1280 px wide page.
    """
    layout = _Layout(defn, locale)
    layout.build()
    return layout.render()
