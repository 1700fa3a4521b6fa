"""A verified claim about a scalar function of one scalar -> the points of f and of its
derivative over an interval, evaluated by the engine's own float evaluator from the trees
that were checked. Where the derivative jumps (a case boundary, a `step`, `sign`, `abs` or
`max` switching) the curve is broken there and both one-sided ends are kept, to be drawn
open: no vertical line is drawn as if it were a value. Where f or the claim is undefined
the curve has a gap."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..checking.evaluation import Context, evaluate, settle_lets
from ..checking.numeric import FloatBackend
from ..checking.sampling import KINKS, condition_gap
from ..language import expressions as E
from ..language.claims import BlockError, Claim

SAMPLES = 240
BISECTIONS = 60
JUMP = 1e-7           # two one-sided limits further apart than this (relative) are a jump

Point = tuple[float, float]


@dataclass(frozen=True)
class Curves:
    """f and its derivative over [low, high]: each a list of unbroken pieces, and the
    derivative's one-sided ends at each jump (drawn as open circles)."""

    low: float
    high: float
    f: list[list[Point]]
    derivative: list[list[Point]]
    open_ends: list[Point] = field(default_factory=list)


def plottable(claim: Claim, line: int) -> str:
    """The variable a plot runs over; BlockError at `line` unless f is a scalar function of
    that one scalar."""
    (wrt,) = claim.wrt if len(claim.wrt) == 1 else ("",)
    others = sorted(set(claim.vars) - {wrt})
    if not wrt or not claim.vars[wrt].is_scalar or not claim.f.shape.is_scalar or claim.order != 1 \
            or others or claim.functions:
        why = (f"it also has `{others[0]}`" if others else "it has abstract functions" if claim.functions
               else "its f or `wrt` is not a scalar" if claim.order == 1 else "it is a second derivative")
        raise BlockError("`plot` draws a scalar f of one scalar variable and its derivative; this block "
                         f"cannot be plotted ({why}): remove `plot`", line)
    return wrt


def sample_curves(claim: Claim, low: float, high: float, line: int) -> Curves:
    wrt = plottable(claim, line)
    ctx = Context(FloatBackend(), {}, claim.layout, dict(claim.lets))

    def values(x: float) -> dict:
        with np.errstate(all="ignore"):
            return settle_lets({wrt: np.array([[x]], dtype=float)}, ctx)

    def f_at(x: float) -> float:
        return _number(lambda: evaluate(claim.f, values(x), ctx))

    def case_at(x: float) -> int | None:
        settled = values(x)
        for k, case in enumerate(claim.cases):
            if case.condition is None or _safe(lambda: condition_gap(case.condition, settled, ctx)) > 0:
                return k
        return None

    def claim_at(x: float) -> float:   # checked only where f is defined: shown only there
        k = case_at(x)
        return math.nan if k is None or math.isnan(f_at(x)) else _number(lambda: evaluate(claim.cases[k].value, values(x), ctx))

    def side(x: float, roots: list[E.Expr]) -> tuple:
        settled = values(x)
        return tuple(_safe(lambda: _kink_gap(node, settled, ctx)) > 0 for root in roots
                     for node in E.walk(root) if isinstance(node, E.Call) and node.func in KINKS)

    xs = list(np.linspace(low, high, SAMPLES + 1))
    claim_roots = [c.value for c in claim.cases] + [v for _, v in claim.lets]
    d_state = lambda x: (case_at(x), side(x, claim_roots))   # noqa: E731
    f_state = lambda x: side(x, [claim.f] + [v for _, v in claim.lets])   # noqa: E731
    f_breaks = _switches(xs, f_state)
    d_breaks = _switches(xs, d_state)
    f_pieces = _pieces(sorted(set(xs) | set(f_breaks)), f_at, f_breaks, open_ends=None)
    ends: list[Point] = []
    d_pieces = _pieces(xs, claim_at, d_breaks, open_ends=ends)
    return Curves(low, high, f_pieces, d_pieces, ends)


def _kink_gap(node: E.Call, values: dict, ctx: Context) -> float:
    gap = evaluate(node.args[0], values, ctx)
    if node.func == "max":
        gap = gap - evaluate(node.args[1], values, ctx)
    return float(np.asarray(gap, dtype=float).reshape(-1)[0])


def _switches(xs: list[float], state) -> list[float]:
    """Where `state` changes between neighbouring samples, found by bisection (once: a
    sample on the switch itself, in a state of its own, makes two changes at one place)."""
    found: list[float] = []
    close = 1e-8 * ((xs[-1] - xs[0]) or 1.0)
    states = [state(x) for x in xs]
    for (a, sa), (b, sb) in zip(zip(xs, states), zip(xs[1:], states[1:])):
        if sa == sb:
            continue
        for _ in range(BISECTIONS):
            mid = (a + b) / 2
            if state(mid) == sa:
                a = mid
            else:
                b = mid
        if not found or (a + b) / 2 - found[-1] > close:
            found.append((a + b) / 2)
    return found


def _pieces(xs: list[float], value, breaks: list[float], open_ends: list[Point] | None) -> list[list[Point]]:
    """The curve of `value` over `xs`, cut where it is undefined and at every break where its
    one-sided limits differ (the ends kept in `open_ends`); where they agree, the curve goes
    through the break."""
    span = (xs[-1] - xs[0]) or 1.0
    nudge = 1e-9 * span
    points: list[tuple[float, float, bool]] = [(x, value(x), False) for x in xs if not _near(x, breaks, nudge)]
    for b in breaks:
        left, right = value(b - nudge), value(b + nudge)
        scale = max(1.0, abs(left), abs(right))
        if math.isfinite(left) and math.isfinite(right) and abs(left - right) <= JUMP * scale:
            points.append((b, (left + right) / 2, False))
        else:
            points += [(b - nudge, left, False), (b + nudge, right, True)]   # True: a new piece
            if open_ends is not None:
                open_ends += [(b, y) for y in (left, right) if math.isfinite(y)]
    points.sort()
    pieces: list[list[Point]] = [[]]
    for x, y, cut in points:
        if cut or not math.isfinite(y):
            pieces.append([])
        if math.isfinite(y):
            pieces[-1].append((x, y))
    return [piece for piece in pieces if piece]


def _near(x: float, breaks: list[float], nudge: float) -> bool:
    return any(abs(x - b) <= 2 * nudge for b in breaks)


def _number(compute) -> float:
    """A 1 x 1 value as a float; NaN where it is undefined."""
    try:
        with np.errstate(all="ignore"):
            value = float(np.asarray(compute(), dtype=float).reshape(-1)[0])
    except (ArithmeticError, ValueError, np.linalg.LinAlgError):
        return math.nan
    return value if math.isfinite(value) else math.nan


def _safe(compute) -> float:
    value = _number(compute)
    return -math.inf if math.isnan(value) else value
