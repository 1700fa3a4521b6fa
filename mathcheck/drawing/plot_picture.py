"""Sampled curves -> an SVG plot: framed axes with ticks at round numbers, the zero lines,
f solid and its derivative dashed in the accent colour, open circles at the derivative's
jumps, and a legend above the frame (where no curve can pass behind it)."""
from __future__ import annotations

import math

from .elements import Element, el
from .labels import Run, text_of
from .lettering import text
from .plot_sampling import Curves, Point

SIZE = 13.0
ROW = 19.0  # a legend row
WIDTH, HEIGHT = 340.0, 230.0 + 2 * ROW
LEFT, RIGHT, TOP, BOTTOM = 38.0, 8.0, 10.0 + 2 * ROW, 28.0


def plot_picture(curves: Curves, f_label: list[Run], d_label: list[Run]) -> Element:
    low, high = _shown_range([y for piece in curves.f + curves.derivative for _, y in piece])
    pad = 0.06 * ((high - low) or 1.0)
    y_ticks = ticks(low - pad, high + pad)
    x_ticks = ticks(curves.low, curves.high)
    y_low, y_high = min(y_ticks[0], low - pad), max(y_ticks[-1], high + pad)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def at(x: float, y: float) -> Point:
        return (LEFT + (x - curves.low) / (curves.high - curves.low) * inner_w,
                TOP + (y_high - y) / (y_high - y_low) * inner_h)

    marks: list[Element] = [el("rect", x=LEFT, y=TOP, width=inner_w, height=inner_h, class_="mathcheck-frame")]
    zero = []
    if curves.low < 0 < curves.high:
        (zx, _), (_, top), (_, bottom) = at(0, 0), at(0, y_high), at(0, y_low)
        zero.append(f"M{zx:.1f},{top:.1f}V{bottom:.1f}")
    if y_low < 0 < y_high:
        (left, zy), (right, _) = at(curves.low, 0), at(curves.high, 0)
        zero.append(f"M{left:.1f},{zy:.1f}H{right:.1f}")
    if zero:
        marks.append(el("path", d=" ".join(zero), class_="mathcheck-axis"))
    tick_marks = []
    for x in x_ticks:
        px, py = at(x, y_low)
        tick_marks.append(f"M{px:.1f},{py:.1f}v5")
        marks.append(text([Run(_tick(x))], px, py + 18, SIZE - 1, css="mathcheck-label"))
    for y in y_ticks:
        px, py = at(curves.low, y)
        tick_marks.append(f"M{px:.1f},{py:.1f}h-5")
        marks.append(text([Run(_tick(y))], px - 7, py + 4, SIZE - 1, "end", "mathcheck-label"))
    marks.append(el("path", d=" ".join(tick_marks), class_="mathcheck-frame"))
    for css, pieces in (("mathcheck-curve", curves.f), ("mathcheck-curve-derivative", curves.derivative)):
        marks += [_polyline(piece, at, css) for piece in _within(pieces, y_low, y_high)]
    for x, y in (end for end in curves.open_ends if y_low <= end[1] <= y_high):
        px, py = at(x, y)
        marks.append(el("circle", cx=px, cy=py, r=3.5, class_="mathcheck-open-end"))
    marks += _legend(f_label, d_label)
    described = (f"Plot of {text_of(f_label)} (solid) and its verified derivative {text_of(d_label)} "
                 f"(dashed) for {_tick(curves.low)} ≤ x ≤ {_tick(curves.high)}"
                 + ("; the derivative jumps where drawn with open circles" if curves.open_ends else ""))
    return el("svg", *marks, xmlns="http://www.w3.org/2000/svg",
              viewBox=f"0 0 {WIDTH:.0f} {HEIGHT:.0f}", width=f"{WIDTH:.0f}", height=f"{HEIGHT:.0f}",
              role="img", aria_label=described, class_="mathcheck-picture mathcheck-plot")


def _shown_range(ys: list[float]) -> tuple[float, float]:
    """The values shown: all of them and 0, unless a few run off far beyond the rest (a pole),
    which then leave the frame."""
    ys = sorted(ys) or [0.0]
    inner_low, inner_high = ys[len(ys) // 20], ys[-1 - len(ys) // 20]
    reach = max(inner_high - inner_low, 1e-9)
    return min(0.0, max(ys[0], inner_low - reach)), max(0.0, min(ys[-1], inner_high + reach))


def _within(pieces: list[list[Point]], low: float, high: float) -> list[list[Point]]:
    """The pieces cut where they leave [low, high] (no point is drawn outside the frame)."""
    out: list[list[Point]] = []
    for piece in pieces:
        out.append([])
        for x, y in piece:
            if low <= y <= high:
                out[-1].append((x, y))
            elif out[-1]:
                out.append([])
    return [piece for piece in out if len(piece) > 1]


def _legend(f_label: list[Run], d_label: list[Run]) -> list[Element]:
    """The two curves' samples and names, a row each above the frame."""
    x, y = LEFT, TOP - 2 * ROW + 4
    out = []
    for k, (label, css) in enumerate(((f_label, "mathcheck-curve"), (d_label, "mathcheck-curve-derivative"))):
        row = y + k * ROW
        out.append(el("path", d=f"M{x:.1f},{row - 4:.1f}h22", class_=css))
        out.append(text(label, x + 28, row, SIZE, "start", "mathcheck-label mathcheck-legend"))
    return out


def _polyline(piece: list[Point], at, css: str) -> Element:
    return el("polyline", points=" ".join("{:.1f},{:.1f}".format(*at(x, y)) for x, y in piece), class_=css)


def ticks(low: float, high: float, wanted: int = 5) -> list[float]:
    """Round numbers (1, 2 or 5 times a power of ten apart) from about `low` to `high`."""
    raw = (high - low) / wanted or 1.0
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [k * step for k in range(first, last + 1)]


def _tick(value: float) -> str:
    text_ = f"{value:.6g}"
    return "0" if text_ in ("-0", "0") else text_.replace("-", "−")
