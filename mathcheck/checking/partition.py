"""Do a piecewise claim's cases partition the region where its assumptions hold?

Two cases that both hold at a point (each at least MARGIN inside its region) make the
claim ambiguous there; a point inside the assumptions where every case fails by more
than MARGIN makes it incomplete. Cases that meet at a boundary are fine. The points
tried: each case's sample points, points drawn under the assumptions alone, and on the
segment from a point of one case to a point of the next, the middle of the stretch
between where the first stops holding and the next starts (a gap such as 7 < x < 9).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..language.claims import Claim
from .evaluation import Context, settle_lets
from .numeric import FloatBackend
from .random_functions import draws
from .sampling import MARGIN, Point, acceptable, assumption_points, condition_gap

BISECTIONS = 24   # halvings that find where a case stops holding on a segment
SEGMENTS = 2      # segments searched between the points of two cases


@dataclass(frozen=True)
class Overlap:
    """A point where the cases `holding` hold (two or more), or none holds (empty)."""

    point: Point
    holding: tuple[int, ...]


def partition_problem(claim: Claim, sizes: dict[str, int], drawn: list[list[Point]],
                      seed: int) -> Overlap | None:
    """The first point found where not exactly one case holds, or None."""
    for point in [p for case_points in drawn for p in case_points] + \
            assumption_points(claim, sizes, seed):
        found = _classify(claim, sizes, point, inside=True)
        if found:
            return found
    for i, j in zip(range(len(drawn)), range(1, len(drawn))):
        for a, b in zip(drawn[i][:SEGMENTS], drawn[j]):
            found = _between(claim, sizes, a, b, i, j)
            if found:
                return found
    return None


def _between(claim: Claim, sizes, a: Point, b: Point, i: int, j: int) -> Overlap | None:
    """On the segment from a (case i holds) to b (case j holds): the midpoint between where
    case i stops holding and case j starts, if they do not meet. (The stand-ins of abstract
    functions are a's along the segment.)"""
    ctx = _context(claim, sizes, a)
    start = {n: a[n].astype(float) for n in a}
    span = {n: b[n].astype(float) - start[n] for n in a}

    def gap(case: int, t: float) -> float:
        values = {n: start[n] + t * span[n] for n in a}
        try:
            with np.errstate(all="raise"):
                return condition_gap(claim.cases[case].condition, settle_lets(values, ctx), ctx)
        except (FloatingPointError, ZeroDivisionError, OverflowError, np.linalg.LinAlgError):
            return float("nan")

    def edge(case: int, inside: float, outside: float) -> float:
        for _ in range(BISECTIONS):
            middle = (inside + outside) / 2
            inside, outside = (middle, outside) if gap(case, middle) > 0 else (inside, middle)
        return inside
    end_i, start_j = edge(i, 0.0, 1.0), edge(j, 1.0, 0.0)
    if start_j - end_i < 1e-9:
        return None
    t = Fraction((end_i + start_j) / 2).limit_denominator(4096)
    return _classify(claim, sizes, {n: a[n] + t * (b[n] - a[n]) for n in a})


def _classify(claim: Claim, sizes, point: Point, inside: bool = False) -> Overlap | None:
    """An Overlap where two cases hold, or (inside the assumptions) none does."""
    ctx = _context(claim, sizes, point)
    try:
        with np.errstate(all="raise"):
            values = settle_lets({k: v.astype(float) for k, v in point.items()}, ctx)
            gaps = [condition_gap(c.condition, values, ctx) for c in claim.cases]
    except (FloatingPointError, ZeroDivisionError, OverflowError, np.linalg.LinAlgError):
        return None
    holding = tuple(i for i, g in enumerate(gaps) if g > MARGIN)
    if len(holding) == 1 or (holding == () and any(g >= -MARGIN for g in gaps)):
        return None     # one case holds, or the point is near a boundary
    defined = inside or acceptable(claim, sizes, point, None, cases=bool(holding))
    return Overlap(point, holding) if defined else None


def _context(claim: Claim, sizes, point: Point) -> Context:
    return Context(FloatBackend(), sizes, claim.layout, dict(claim.lets),
                   draws(claim.id, claim.functions, sizes, point, float))
