"""HTML for the pictures drawn from a verified block (`mathcheck.drawing`): its computation
graph and plot in the block, its shapes in the evidence (or in the block, where the author
asks with `picture: shapes`). Inline SVG, so the page's stylesheet colours it."""

from __future__ import annotations

from html import escape

from mathcheck import Verdict

from .templating import render


def pictures_html(verdict: Verdict, asked: tuple[str, ...]) -> str:
    """The figures shown in the block itself ("" when there are none)."""
    pictures = verdict.pictures
    graph = "".join(pictures[kind].markup() for kind in ("graph-right", "graph-down") if kind in pictures)
    shapes = shapes_markup(verdict) if "shapes" in pictures and "shapes" in asked else ""
    plot = pictures["plot"].markup() if "plot" in pictures else ""
    if not (graph or shapes or plot):
        return ""
    return render("pictures.html", graph=graph, shapes=shapes, plot=plot)


def evidence_shapes_html(verdict: Verdict, asked: tuple[str, ...]) -> str:
    """The shapes picture for the evidence panel, unless the block shows it already."""
    if "shapes" not in verdict.pictures or "shapes" in asked:
        return ""
    return f'<div class="mathcheck-figure">{shapes_markup(verdict)}</div>'


def shapes_markup(verdict: Verdict) -> str:
    """The shapes as written and, where the other layout's differ, those too, shown in
    their place by the reader's layout switch (as the statement is: `render.by_layout`)."""
    written, other = verdict.pictures["shapes"].markup(), verdict.pictures.get("shapes-other")
    if other is None or verdict.other is None:
        return written
    return (written + f'<div class="mathcheck-alt" data-layout="{escape(verdict.other.layout)}">'
            f"{other.markup()}</div>")
