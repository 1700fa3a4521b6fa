"""Pictures drawn from blocks: the computation graph read off the `let` chain, its layered
layout, the shapes, and the plot sampled from the verified claim (ReLU's jump left open)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from mathcheck import find_blocks
from mathcheck.language.claims import BlockError, read_claim
from mathcheck.drawing.dataflow import computation_graph
from mathcheck.drawing.elements import el, from_json, pictures_from_json, pictures_to_json, to_json
from mathcheck.drawing.graph_picture import graph_pictures
from mathcheck.drawing.labels import Run
from mathcheck.drawing.layering import layered
from mathcheck.drawing.pictures import draw_pictures
from mathcheck.drawing.plot_picture import plot_picture
from mathcheck.drawing.plot_sampling import sample_curves
from mathcheck.drawing.shape_picture import shape_picture, shown_sizes

DOCS = Path(__file__).resolve().parents[2] / "docs"


def block_of(yaml: str):
    (block,) = find_blocks(f"```derivation\n{yaml.strip()}\n```\n", "page.md")
    assert block.problem is None, block.problem
    return block


CHAIN = """
id: chain
vars:
  x: scalar
let:
  u: x**2
  y: sin(u)
f: y
wrt: x
claim: cos(u) * 2 * x
picture: graph
"""

NETWORK = """
id: net
vars:
  x: vector(n)
  W1: matrix(k, n)
  b1: vector(k)
  W2: matrix(m, k)
  b2: vector(m)
let:
  z: W1 @ x + b1
  h: max(0, z)
  y: W2 @ h + b2
f: sum(y * y)
wrt: W2
claim: 2 * h @ y.T
picture: graph
"""


def site_graphs():
    """Every block of the site with a `let` chain, as (id, graph)."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        for block in find_blocks(page.read_text(), page.name):
            if block.problem is None and (block.spec or {}).get("let"):
                try:
                    found.append((block.id, computation_graph(read_claim(block))))
                except BlockError:
                    continue
    return found


def test_the_graph_has_a_node_per_input_let_and_f_and_an_edge_per_use() -> None:
    graph = computation_graph(read_claim(block_of(CHAIN)))
    assert [(n.id, n.role) for n in graph.nodes] == [("x", "input"), ("u", "let"), ("y", "output")]
    assert set(graph.edges) == {("x", "u"), ("u", "y")}


def test_f_that_is_no_let_name_is_a_node_of_its_own_fed_by_what_it_uses() -> None:
    graph = computation_graph(read_claim(block_of(NETWORK)))
    assert [n.id for n in graph.nodes] == ["x", "W1", "b1", "W2", "b2", "z", "h", "y", "f"]
    assert set(graph.edges) == {("x", "z"), ("W1", "z"), ("b1", "z"), ("z", "h"), ("W2", "y"),
                                ("h", "y"), ("b2", "y"), ("y", "f")}
    assert graph.nodes[-1].role == "output"


@pytest.mark.parametrize("direction", ["down", "right"])
def test_layout_of_every_site_graph_overlaps_no_nodes_and_routes_every_edge(direction: str) -> None:
    graphs = site_graphs()
    assert len(graphs) > 50
    for block_id, graph in graphs:
        sizes = {n.id: (60.0 + 7 * len(n.id), 32.0) for n in graph.nodes}
        layout = layered([n.id for n in graph.nodes], sizes, list(graph.edges), direction)
        boxes = list(layout.boxes.items())
        for i, (a, p) in enumerate(boxes):
            assert 0 <= p.x - p.width / 2 and p.x + p.width / 2 <= layout.width + 1e-6, block_id
            assert 0 <= p.y - p.height / 2 and p.y + p.height / 2 <= layout.height + 1e-6, block_id
            for b, q in boxes[i + 1:]:
                apart = (abs(p.x - q.x) >= (p.width + q.width) / 2 or abs(p.y - q.y) >= (p.height + q.height) / 2)
                assert apart, f"{block_id}: {a} overlaps {b} ({direction})"
        assert set(layout.routes) == set(graph.edges), block_id
        for (a, b), points in layout.routes.items():   # from the source's far side to the target's near side
            start, end, source, target = points[0], points[-1], layout.boxes[a], layout.boxes[b]
            if direction == "down":
                assert start[1] == pytest.approx(source.y + source.height / 2) and end[1] == pytest.approx(target.y - target.height / 2)
            else:
                assert start[0] == pytest.approx(source.x + source.width / 2) and end[0] == pytest.approx(target.x - target.width / 2)


def test_a_layer_follows_the_one_before_it() -> None:
    graph = computation_graph(read_claim(block_of(NETWORK)))
    layout = layered([n.id for n in graph.nodes], {n.id: (50.0, 30.0) for n in graph.nodes}, list(graph.edges))
    for a, b in graph.edges:
        assert layout.boxes[a].y < layout.boxes[b].y
    # an input used late sits just before its first use, not in the first layer
    assert layout.boxes["W2"].y == layout.boxes["h"].y


def test_graph_pictures_draw_every_node_and_edge_and_are_deterministic() -> None:
    claim = read_claim(block_of(NETWORK))
    first = [p.markup() for p in graph_pictures(computation_graph(claim))]
    again = [p.markup() for p in graph_pictures(computation_graph(read_claim(block_of(NETWORK))))]
    assert first == again
    assert len(graph_pictures(computation_graph(claim))) >= 1
    for picture in graph_pictures(computation_graph(claim)):
        tags = [e.get("class") for e in picture.walk()]
        assert tags.count("mathcheck-edge") == tags.count("mathcheck-arrowhead") == 8
        assert sum(t is not None and t.startswith("mathcheck-node") for t in tags) == 9
        texts = "".join(c for e in picture.walk() if e.tag == "tspan" for c in e.children)
        assert "z = W₁ x + b₁" in texts and "h = max(0, z)" in texts


def test_an_abstract_function_spelled_as_a_greek_letter_is_labelled_with_the_letter() -> None:
    block = block_of("id: act\nvars:\n  z: scalar\n  phi: function\nlet:\n  a: phi(z)\n  y: a**2\n"
                     "f: y\nwrt: z\nclaim: 2 * a * d(a, z)\npicture: graph\n")
    (picture, *_) = graph_pictures(computation_graph(read_claim(block)))
    texts = "".join(c for e in picture.walk() if e.tag == "tspan" for c in e.children)
    assert "a = φ(z)" in texts and "phi" not in texts


def test_graph_text_is_set_at_13_units_or_more_and_a_narrow_page_gets_the_narrower_drawing() -> None:
    """A graph is never shrunk by the page (its figure scrolls instead): text of 13 units is
    shown at 13 px. Of two drawings, the one for narrow pages is the narrower."""
    for block_id, graph in site_graphs():
        pictures = graph_pictures(graph)
        sizes = [float(e.get("font-size")) for p in pictures for e in p.walk() if e.tag == "text"]
        assert min(sizes) >= 13.0, block_id
        if len(pictures) == 2:
            wide, narrow = pictures
            assert "mathcheck-wide-only" in wide.get("class") and "mathcheck-narrow-only" in narrow.get("class")
            assert float(narrow.get("width")) < float(wide.get("width")), block_id


def test_shapes_are_drawn_at_small_distinct_sizes_in_the_blocks_layout() -> None:
    claim = read_claim(block_of(NETWORK))
    assert shown_sizes(claim) == {"n": 3, "m": 2, "k": 4}
    picture = shape_picture(claim)
    cells = [e for e in picture.walk() if e.tag == "rect"]
    # f is 1 x 1, W2 is m x k = 2 x 4, the derivative (numerator layout) is k x m = 4 x 2
    sizes = [(float(r.get("width")), float(r.get("height"))) for r in cells]
    unit = sizes[0][0]
    assert sizes == [(unit, unit), (4 * unit, 2 * unit), (2 * unit, 4 * unit)]
    assert "numerator layout, drawn at n = 3, m = 2, k = 4" in picture.markup()


def test_a_block_with_a_layout_has_its_shapes_drawn_in_the_other_layout_too() -> None:
    pictures = draw_pictures(block_of(NETWORK))
    written, other = pictures["shapes"], pictures["shapes-other"]
    assert "the derivative is k × m in numerator layout" in written.get("aria-label")
    assert "the derivative is m × k in denominator layout" in other.get("aria-label")
    texts = "".join(c for e in other.walk() if e.tag in ("text", "tspan") for c in e.children if isinstance(c, str))
    assert "(∂f / ∂W₂)T" in texts    # the transposed Jacobian, as the denominator layout writes it
    cells = [(float(r.get("width")), float(r.get("height"))) for r in other.walk() if r.tag == "rect"]
    unit = cells[0][0]
    assert cells == [(unit, unit), (4 * unit, 2 * unit), (4 * unit, 2 * unit)]   # shaped like W2
    assert "shapes-other" not in draw_pictures(block_of(scalar_block("sin(z)", "cos(z)", "picture: shapes\n")))


def scalar_block(f: str, claim: str, extra: str = "") -> str:
    return f"id: s\nvars:\n  z: scalar\nf: {f}\nwrt: z\nclaim: {claim}\n{extra}"


def test_the_plotted_derivative_is_the_claim_and_agrees_with_fs_slope() -> None:
    claim = read_claim(block_of(scalar_block("sigmoid(z)", "sigmoid(z) * (1 - sigmoid(z))")))
    curves = sample_curves(claim, -6.0, 6.0, 1)
    (f_piece,), (d_piece,) = curves.f, curves.derivative
    assert len(d_piece) > 200 and curves.open_ends == []
    for x, y in d_piece:
        s = 1 / (1 + math.exp(-x))
        assert y == pytest.approx(s * (1 - s), rel=1e-12)
    xs, ys = np.array(f_piece).T
    slopes = np.gradient(ys, xs)
    assert np.allclose(slopes[1:-1], np.array(d_piece)[1:-1, 1], atol=2e-3)


def test_relus_derivative_jumps_at_zero_with_open_ends_and_no_vertical_line() -> None:
    block = block_of("id: relu\nvars:\n  z: scalar\nf: max(0, z)\nwrt: z\nclaim:\n"
                     "  - if: z > 0\n    then: 1\n  - if: z < 0\n    then: 0\n")
    curves = sample_curves(read_claim(block), -3.0, 3.0, 1)
    left, right = curves.derivative
    assert all(y == 0 and x < 0 for x, y in left) and all(y == 1 and x > 0 for x, y in right)
    assert left[-1][0] == pytest.approx(0, abs=1e-6) and right[0][0] == pytest.approx(0, abs=1e-6)
    assert sorted(curves.open_ends) == [(pytest.approx(0, abs=1e-9), 0.0), (pytest.approx(0, abs=1e-9), 1.0)]
    (f_piece,) = curves.f   # f is continuous: one piece, through its corner at 0
    assert any(abs(x) < 1e-8 and abs(y) < 1e-8 for x, y in f_piece)


def test_a_step_in_the_claim_breaks_the_curve_too() -> None:
    curves = sample_curves(read_claim(block_of(scalar_block("abs(z)", "sign(z)"))), -1.0, 2.0, 1)
    assert len(curves.derivative) == 2 and len(curves.open_ends) == 2


def test_the_plot_leaves_a_gap_where_f_is_undefined() -> None:
    curves = sample_curves(read_claim(block_of(scalar_block("log(z)", "1 / z"))), -1.0, 2.0, 1)
    (f_piece,), (d_piece,) = curves.f, curves.derivative
    assert all(x > 0 for x, _ in f_piece + d_piece) and f_piece[-1][0] == 2.0


def test_a_pole_runs_off_the_frame_instead_of_flattening_the_plot() -> None:
    claim = read_claim(block_of(scalar_block("log(z)", "1 / z")))
    picture = plot_picture(sample_curves(claim, 0.0, 4.0, 1), [], [])
    frame = next(e for e in picture.walk() if e.get("class") == "mathcheck-frame")
    top, bottom = float(frame.get("y")), float(frame.get("y")) + float(frame.get("height"))
    ys = [float(xy.split(",")[1]) for e in picture.walk() if e.tag == "polyline" for xy in e.get("points").split()]
    assert all(top <= y <= bottom for y in ys)
    labels = [float(t.children[0].children[0].replace("−", "-")) for t in picture.walk()
              if t.tag == "text" and t.get("text-anchor") == "end"]
    assert max(labels) < 20   # 1/z reaches 240 at the first sample: the axis does not follow it


def test_the_legend_stands_above_the_frame_so_no_curve_is_hidden_behind_it() -> None:
    claim = read_claim(block_of(scalar_block("tanh(z)", "1 - tanh(z)**2")))
    picture = plot_picture(sample_curves(claim, -3.0, 3.0, 1), [Run("f")], [Run("df/dz")])
    frame = next(e for e in picture.walk() if e.get("class") == "mathcheck-frame")
    legend = [e for e in picture.walk() if "mathcheck-legend" in (e.get("class") or "")]
    assert len(legend) == 2 and all(float(t.get("y")) < float(frame.get("y")) for t in legend)
    peak = min(float(xy.split(",")[1]) for e in picture.walk()
               if e.tag == "polyline" and e.get("class") == "mathcheck-curve-derivative"
               for xy in e.get("points").split())
    assert not any(e.tag == "rect" and e.get("class") != "mathcheck-frame" for e in picture.walk())
    assert float(frame.get("y")) <= peak   # the derivative's peak, 1 at 0, is drawn inside the frame


def test_the_legend_names_the_derivative_by_its_variable() -> None:
    pictures = draw_pictures(block_of(scalar_block("tanh(z)", "1 - tanh(z)**2", "plot: [-3, 3]\n")))
    legend = ["".join(c for t in e.walk() for c in t.children if isinstance(c, str))
              for e in pictures["plot"].walk() if "mathcheck-legend" in (e.get("class") or "")]
    assert legend == ["f(z) = tanh(z)", "df/dz = 1 − tanh(z)2"], legend


def test_a_plot_of_a_function_of_two_variables_is_an_error_at_the_plot_line() -> None:
    block = block_of("id: two\nvars:\n  z: scalar\n  a: scalar\nf: a * z\nwrt: z\nclaim: a\nplot: [-1, 1]\n")
    with pytest.raises(BlockError, match="also has `a`") as raised:
        draw_pictures(block)
    assert raised.value.line == 9


def test_a_graph_of_a_block_without_let_is_an_error_at_the_picture_line() -> None:
    block = block_of(scalar_block("sin(z)", "cos(z)", "picture: graph\n"))
    with pytest.raises(BlockError, match="has no `let`") as raised:
        draw_pictures(block)
    assert raised.value.line == 8


@pytest.mark.parametrize("yaml, message", [
    ("picture: graf\n", "unknown picture `graf` (did you mean `graph`?)"),
    ("picture: [graph, plot]\n", "unknown picture `plot`"),
    ("plot: [4, -4]\n", "`plot` must be an interval of two numbers, the lower first"),
    ("plot: [-4]\n", "`plot` must be an interval"),
    ("plot: [a, 4]\n", "`plot` must be an interval"),
    ("plot: [-1e9, 1]\n", "`plot` must be an interval"),
])
def test_a_bad_picture_or_plot_key_is_a_located_error(yaml: str, message: str) -> None:
    (block,) = find_blocks(f"```derivation\n{scalar_block('sin(z)', 'cos(z)', yaml)}```\n", "page.md")
    assert block.problem is not None and message in block.problem
    assert block.problem_line == 8


def test_pictures_survive_the_cache_and_planted_markup_is_refused() -> None:
    pictures = draw_pictures(block_of(NETWORK))
    assert set(pictures) == {"shapes", "shapes-other", "graph-down"} | ({"graph-right"} & set(pictures))
    assert pictures_from_json(json.loads(json.dumps(pictures_to_json(pictures)))) == pictures
    for planted in (el("svg", onload="alert(1)"), el("svg", el("a", "x")), el("rect", fill="url(http://example.org/#p)"),
                    el("text", "x", style="fill:red")):
        with pytest.raises(ValueError):
            from_json(to_json(planted))
    with pytest.raises(ValueError):
        pictures_from_json({"script": to_json(el("svg"))})


def test_markup_escapes_text_and_values() -> None:
    assert el("text", "<b>&", x=1.0, class_='a"b').markup() == '<text x="1" class="a&quot;b">&lt;b&gt;&amp;</text>'
