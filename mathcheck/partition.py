"""Do a piecewise claim's cases partition the region where its assumptions hold?

Two cases that both hold at a point (each at least MARGIN inside its region) make the
claim ambiguous there; a point inside the assumptions where every case fails by more
than MARGIN makes it incomplete. Cases that meet at a boundary are fine. The points
tried: each case's sample points, points drawn under the assumptions alone, and points
along the segments between them (a gap such as 5 < x < 10 lies between x = 3 and x = 12).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .claims import Claim
from .evaluation import Context, settle_lets
from .numeric import FloatBackend
from .sampling import MARGIN, Point, acceptable, assumption_points, condition_gap

SEGMENT_STEPS = 4   # points tried on each segment between two sample points


@dataclass(frozen=True)
class Overlap:
    """A point where the cases `holding` hold (two or more), or none holds (empty)."""

    point: Point
    holding: tuple[int, ...]


def partition_problem(claim: Claim, sizes: dict[str, int], drawn: list[list[Point]],
                      seed: int) -> Overlap | None:
    """The first point found where not exactly one case holds, or None."""
    ctx = Context(FloatBackend(), sizes, claim.layout, dict(claim.lets))
    points = [p for case_points in drawn for p in case_points[:2]]
    points += assumption_points(claim, sizes, seed)
    for point in points:
        found = _classify(claim, sizes, ctx, point, inside=True)
        if found:
            return found
    for a, b in zip(points, points[1:] + points[:1]):
        for k in range(1, SEGMENT_STEPS):
            t = Fraction(k, SEGMENT_STEPS)
            found = _classify(claim, sizes, ctx, {n: a[n] + t * (b[n] - a[n]) for n in a})
            if found:
                return found
    return None


def _classify(claim: Claim, sizes, ctx: Context, point: Point,
              inside: bool = False) -> Overlap | None:
    """An Overlap where two cases hold, or (inside the assumptions) none does."""
    try:
        with np.errstate(all="raise"):
            values = settle_lets({k: v.astype(float) for k, v in point.items()}, ctx)
            gaps = [condition_gap(c.condition, values, ctx) for c in claim.cases]
    except (FloatingPointError, ZeroDivisionError, OverflowError, np.linalg.LinAlgError):
        return None
    holding = tuple(i for i, g in enumerate(gaps) if g > MARGIN)
    if len(holding) == 1 or (holding == () and any(g >= -MARGIN for g in gaps)):
        return None     # one case holds, or the point is near a boundary
    return Overlap(point, holding) if inside or acceptable(claim, sizes, point, None) else None
