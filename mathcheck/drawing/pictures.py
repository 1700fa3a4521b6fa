"""A verified block -> the pictures it shows: what `picture` and `plot` ask for, and its shapes."""
from __future__ import annotations

from ..checking.layouts import has_layout, other_layout_block
from ..language.claims import BlockError, Claim, read_claim
from ..pages.blocks import Block, pictures_asked, plot_interval
from .dataflow import computation_graph
from .elements import Element
from .graph_picture import graph_pictures
from .labels import Run, expression_runs, name_runs
from .plot_picture import plot_picture
from .plot_sampling import sample_curves
from .shape_picture import shape_picture

SHORT_LABEL = 26      # characters of a formula a plot's legend shows


def draw_pictures(block: Block) -> dict[str, Element]:
    """The pictures of a verified block: its shapes (unless f and the variable are both
    scalars; in both layouts where they differ), its graph if asked (`picture: graph`), its plot if asked (`plot: [LOW, HIGH]`).
    BlockError, at the key's line, for a picture the block cannot have."""
    claim = read_claim(block)
    asked = pictures_asked(block.spec or {})
    pictures: dict[str, Element] = {}
    if not (claim.f.shape.is_scalar and claim.wrt_shape.is_scalar) or "shapes" in asked:
        pictures["shapes"] = shape_picture(claim)
        if has_layout(claim):   # for the reader's layout switch
            pictures["shapes-other"] = shape_picture(read_claim(other_layout_block(block, claim)))
    if "graph" in asked:
        if not claim.lets:
            raise BlockError("`picture: graph` draws the block's `let` chain, and this block has no "
                             "`let`: name the intermediate results under `let`, or remove `graph`",
                             block.line_of("picture"))
        for picture in graph_pictures(computation_graph(claim)):
            pictures["graph-right" if "mathcheck-graph-right" in picture.get("class") else "graph-down"] = picture
    interval = plot_interval(block.spec or {})
    if interval is not None:
        curves = sample_curves(claim, *interval, block.line_of("plot"))
        pictures["plot"] = plot_picture(curves, *_legend_labels(claim))
    return pictures


def _legend_labels(claim: Claim) -> tuple[list[Run], list[Run]]:
    """`f(x) = formula` and `df/dx = claim` where short, else `f(x)` and `df/dx` (the
    derivative names its variable, as everywhere on the page; no f′)."""
    x = name_runs(claim.wrt[0], True)
    f_name = [Run("f", "italic"), Run("("), *x, Run(")")]
    d_name = [Run("d"), Run("f", "italic"), Run("/d"), *x]
    f_full = [*f_name, Run(" = "), *expression_runs(claim.f)]
    d_full = ([*d_name, Run(" = "), *expression_runs(claim.cases[0].value)]
              if len(claim.cases) == 1 else d_name)
    short = lambda runs, fallback: runs if len("".join(r.text for r in runs)) <= SHORT_LABEL else fallback  # noqa: E731
    return short(f_full, f_name), short(d_full, d_name)
