"""A claim -> the shapes of f, of what it is differentiated by, and of the derivative, as
grids of cells at small concrete sizes (n = 3, m = 2, ...), each labelled with its letters:
the layout made visible (numerator: p outputs by q inputs is p x q)."""
from __future__ import annotations

from ..checking.sampling import honour
from ..language.claims import Claim
from ..language.shapes import Dim, Shape
from .elements import Element, el
from .labels import Run, name_runs, text_of
from .lettering import text

PREFERRED = ("n", "m", "k", "p", "q", "d", "N", "T", "h")
SHOWN_SIZES = (3, 2, 4, 5, 6, 7, 8, 9)
WIDTH = 330.0        # the picture's width: it fits a 390 px screen at its own size
CELL = 16.0          # the largest cell
GAP = 30.0           # between two panels
SIZE = 13.0


def shown_sizes(claim: Claim) -> dict[str, int]:
    """Small, different sizes for the block's letters (n = 3, m = 2, k = 4, ...), honouring
    its size relations."""
    letters = sorted(claim.letters, key=lambda l: (PREFERRED.index(l) if l in PREFERRED else len(PREFERRED), l))
    sizes = {letter: SHOWN_SIZES[k % len(SHOWN_SIZES)] for k, letter in enumerate(letters)}
    return honour(sizes, claim.relations)


def shape_picture(claim: Claim) -> Element:
    sizes = shown_sizes(claim)
    by = claim.wrt_shape
    wrt_name = f"vec({claim.wrt[0]})" if claim.wrt_vec else ", ".join(claim.wrt)
    f_runs = [Run("f", "italic" if claim.f.shape.is_scalar else "bold")]
    by_runs = [Run(wrt_name)] if claim.wrt_vec or len(claim.wrt) > 1 else name_runs(wrt_name, by.is_scalar)
    order = "²" if claim.order == 2 else ""
    d_runs = [Run(f"∂{order}"), *f_runs, Run(" / ∂"), *by_runs, *([Run("²", "")] if order else [])]
    if claim.layout == "denominator" and not order and not (claim.f.shape.is_scalar and by.is_scalar):
        d_runs = [Run("("), *d_runs, Run(")"), Run("T", "raised")]   # the transposed Jacobian
    panels = [(f_runs, claim.f.shape), (by_runs, by), (d_runs, claim.expected)]
    grids = [shape.concrete(sizes) for _, shape in panels]
    cell = min(CELL, (WIDTH - 2 * GAP - 40) / sum(cols for _, cols in grids), 96.0 / max(rows for rows, _ in grids))
    top = 26.0
    tallest = max(rows for rows, _ in grids) * cell
    marks: list[Element] = []
    x = 20.0
    for k, ((runs, shape), (rows, cols)) in enumerate(zip(panels, grids)):
        w, h = cols * cell, rows * cell
        marks += _grid(x, top, rows, cols, cell, highlight=k == 2)
        if cols > 1:
            marks.append(text([Run(_dim(shape.cols), "italic")], x + w / 2, top - 7, SIZE, css="mathcheck-label"))
        if rows > 1:
            marks.append(text([Run(_dim(shape.rows), "italic")], x - 5, top + h / 2 + 4, SIZE, "end", "mathcheck-label"))
        centre = x + w / 2
        marks.append(text(runs, centre, top + tallest + 20, SIZE, css="mathcheck-label"))
        marks.append(text([Run(_size_text(shape))], centre, top + tallest + 38, SIZE - 1, css="mathcheck-label"))
        x += max(w, 52.0) + GAP
    letters = ", ".join(f"{l} = {v}" for l, v in sizes.items())
    caption = f"{claim.layout} layout" + (f", drawn at {letters}" if letters else "")
    height = top + tallest + 62
    marks.append(text([Run(caption)], 20, height - 6, SIZE - 1, "start", "mathcheck-label"))
    width = max(x - GAP + 20, 200.0)
    described = (f"Shapes: {text_of(f_runs)} is {_size_text(claim.f.shape)}, {text_of(by_runs)} is "
                 f"{_size_text(by)}, the derivative is {_size_text(claim.expected)} in {claim.layout} layout")
    return el("svg", *marks, xmlns="http://www.w3.org/2000/svg",
              viewBox=f"0 0 {width:.0f} {height:.0f}", width=f"{width:.0f}", height=f"{height:.0f}",
              role="img", aria_label=described, class_="mathcheck-picture mathcheck-shapes")


def _grid(x: float, y: float, rows: int, cols: int, cell: float, highlight: bool) -> list[Element]:
    """A box of rows x cols cells: its outline and the lines between the cells."""
    lines = [f"M{x:.1f},{y + r * cell:.1f}h{cols * cell:.1f}" for r in range(1, rows)]
    lines += [f"M{x + c * cell:.1f},{y:.1f}v{rows * cell:.1f}" for c in range(1, cols)]
    box = el("rect", x=x, y=y, width=cols * cell, height=rows * cell,
             class_="mathcheck-cells-result" if highlight else "mathcheck-cells")
    return [box] + ([el("path", d=" ".join(lines), class_="mathcheck-cell-lines")] if lines else [])


def _dim(dim: Dim) -> str:
    return str(dim).replace("*", "")


def _size_text(shape: Shape) -> str:
    return "1 × 1" if shape.is_scalar else f"{_dim(shape.rows)} × {_dim(shape.cols)}"
