"""Label runs -> SVG text: italic scalars, bold vectors and matrices, raised exponents, and
an estimate of the width they take (the page's font is not known at build time, so boxes
are sized with room to spare)."""
from __future__ import annotations

from .elements import Element, el
from .labels import Run

RAISED = 0.72       # an exponent's size, as a fraction of the text's
RISE = 0.4          # how far an exponent is raised, in units of the text's size
_NARROW = set(" ,.:;()[]|'`ijlrtfI1")
_WIDE = set("mwMW⊙∈ℝ−+=×→")


def width(runs: list[Run], size: float) -> float:
    """About how wide the runs are set at `size` in a sans-serif face (a little generous)."""
    total = 0.0
    for run in runs:
        scale = size * (RAISED if run.style == "raised" else 1.0) * (1.06 if run.style == "bold" else 1.0)
        for ch in run.text:
            total += scale * (0.32 if ch in _NARROW else 0.82 if ch in _WIDE else 0.58)
    return total


def text(runs: list[Run], x: float, y: float, size: float, anchor: str = "middle",
         css: str | None = None) -> Element:
    """A <text> at (x, y) (the baseline) holding the runs as <tspan>s."""
    spans: list[Element | str] = []
    raised = False
    for run in runs:
        shift = None
        if (run.style == "raised") != raised:
            raised = run.style == "raised"
            shift = -RISE * size if raised else RISE * size
        spans.append(el("tspan", run.text, dy=shift,
                        font_size=size * RAISED if raised else None,
                        font_style="italic" if run.style == "italic" else None,
                        font_weight="bold" if run.style == "bold" else None))
    return el("text", *spans, x=x, y=y, font_size=size, text_anchor=anchor, class_=css)
