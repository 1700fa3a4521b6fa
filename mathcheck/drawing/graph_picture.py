"""A computation graph -> SVG: rounded boxes (inputs plain, `let` names tinted, f bold-edged)
holding each name and, where short, its definition; curved arrows from each name to what
uses it. Drawn twice, left to right for a wide page and top to bottom for a narrow one (the
page's stylesheet shows one), unless left to right would be too wide for any page."""
from __future__ import annotations

from .dataflow import Graph, Node
from .elements import Element, el
from .labels import Run, text_of
from .layering import Box, Layout, layered
from .lettering import text, width

NAME_SIZE = 14.0
DEFINITION_SIZE = 13.0
PAD = 10.0              # inside a box, each side
LINE = 18.0             # the distance between a box's two lines
ONE_LINE = {"right": 170.0, "down": 120.0}  # the widest "name = definition" kept on one line
WIDEST = 200.0          # a longer definition is left out (the block's `where` shows it)
WIDE_PAGE = 680.0       # the widest left-to-right picture drawn
ARROW = 7.0


def graph_pictures(graph: Graph) -> list[Element]:
    """The graph left to right for a wide page and top to bottom for a narrow one; only one
    of them where it suits both (left to right no wider than top to bottom), or where left to
    right would be too wide for any page."""
    order = [node.id for node in graph.nodes]
    edges = list(graph.edges)
    drawn = {}
    for direction in ("right", "down"):
        labels = {node.id: _label(node, ONE_LINE[direction]) for node in graph.nodes}
        sizes = {n: _box_size(lines) for n, lines in labels.items()}
        layout = (layered(order, sizes, edges, "right", gap=14.0, layer_gap=40.0) if direction == "right"
                  else layered(order, sizes, edges, "down", gap=12.0))
        drawn[direction] = (labels, layout)
    right, down = drawn["right"][1].width, drawn["down"][1].width
    if right > WIDE_PAGE:
        return [_svg(graph, *drawn["down"], "down", "")]
    if right <= down:
        return [_svg(graph, *drawn["right"], "right", "")]
    return [_svg(graph, *drawn["right"], "right", "mathcheck-wide-only"),
            _svg(graph, *drawn["down"], "down", "mathcheck-narrow-only")]


def _label(node: Node, one_line: float) -> list[tuple[list[Run], float]]:
    """The box's lines: `name = definition` (or `name ∈ ℝⁿ`) on one line where it fits, else
    the name over the definition, else the name alone."""
    joint = [Run(" ")] if node.role == "input" else [Run(" = ")]
    whole = node.name + joint + node.definition
    if width(whole, NAME_SIZE) <= one_line:
        return [(whole, NAME_SIZE)]
    shown = [Run("= ")] + node.definition if node.role != "input" else node.definition
    if width(shown, DEFINITION_SIZE) <= WIDEST and "…" not in text_of(node.definition):
        return [(node.name, NAME_SIZE), (shown, DEFINITION_SIZE)]
    return [(node.name, NAME_SIZE)]


def _box_size(lines: list[tuple[list[Run], float]]) -> tuple[float, float]:
    widest = max(width(runs, size) for runs, size in lines)
    return max(widest + 2 * PAD, 40.0), 14.0 + LINE * len(lines)


def _svg(graph: Graph, labels, layout: Layout, direction: str, shown: str) -> Element:
    marks: list[Element] = []
    for (a, b), points in layout.routes.items():
        marks += _arrow(points, direction)
    for node in graph.nodes:
        marks += _node(node, labels[node.id], layout.boxes[node.id])
    w, h = layout.width, layout.height
    return el("svg", *marks,
              xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {w:.0f} {h:.0f}",
              width=f"{w:.0f}", height=f"{h:.0f}", role="img", aria_label=_description(graph),
              class_=f"mathcheck-picture mathcheck-graph mathcheck-graph-{direction} {shown}".strip())


def _node(node: Node, lines, box: Box) -> list[Element]:
    css = {"input": "mathcheck-node-input", "let": "mathcheck-node", "output": "mathcheck-node-output"}[node.role]
    shape = el("rect", x=box.x - box.width / 2, y=box.y - box.height / 2, width=box.width,
               height=box.height, rx=8.0, class_=css)
    top = box.y - (len(lines) - 1) * LINE / 2 + 5.0
    words = [text(runs, box.x, top + k * LINE, size, css="mathcheck-label")
             for k, (runs, size) in enumerate(lines)]
    return [shape, *words]


def _arrow(points: list[tuple[float, float]], direction: str) -> list[Element]:
    """A smooth curve through the points, leaving and entering along the layers' direction,
    ending at an arrowhead that touches the target."""
    down = direction == "down"
    end = points[-1]
    base = (end[0], end[1] - ARROW) if down else (end[0] - ARROW, end[1])
    route = [*points[:-1], base]
    d = f"M{route[0][0]:.1f},{route[0][1]:.1f}"
    for (x0, y0), (x1, y1) in zip(route, route[1:]):
        if down:
            mid = (y0 + y1) / 2
            d += f" C{x0:.1f},{mid:.1f} {x1:.1f},{mid:.1f} {x1:.1f},{y1:.1f}"
        else:
            mid = (x0 + x1) / 2
            d += f" C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
    half = ARROW * 0.55
    head = ([(end[0] - half, base[1]), (end[0] + half, base[1]), end] if down
            else [(base[0], end[1] - half), (base[0], end[1] + half), end])
    return [el("path", d=d, class_="mathcheck-edge"),
            el("polygon", points=" ".join(f"{x:.1f},{y:.1f}" for x, y in head), class_="mathcheck-arrowhead")]


def _description(graph: Graph) -> str:
    """What the picture shows, in words: which names each node is computed from."""
    names = {node.id: text_of(node.name) for node in graph.nodes}
    parts = []
    for node in graph.nodes:
        sources = [names[a] for a, b in graph.edges if b == node.id]
        if sources:
            parts.append(f"{names[node.id]} from {', '.join(sources)}")
    return "Computation graph: " + "; ".join(parts)
