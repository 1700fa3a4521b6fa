"""The sizes and the points a claim is checked at, honouring its assumptions.

Sizes: two assignments, at least one size of 3 or more, different letters different
sizes, never 1. Points: exact rationals of magnitude in [0.3, 0.8] or [1.25, 2.2] (away
from 0 and 1), seeded from the block's id, both signs where nothing is assumed, kept
at least MARGIN away from every condition's boundary and every kink.
"""
from __future__ import annotations

import hashlib
import random
from fractions import Fraction

import numpy as np

from . import expressions as E
from .claims import Claim
from .evaluation import Context, evaluate, settle_lets
from .numeric import FloatBackend

MARGIN = 1e-3
POINTS = 3          # per size assignment and case
ATTEMPTS = 400
_FIRST = (3, 2, 4, 5, 6, 7, 8)
_SECOND = (2, 4, 3, 6, 5, 8, 7)

Point = dict[str, np.ndarray]   # name -> array of Fractions


def size_assignments(letters: tuple[str, ...]) -> list[dict[str, int]]:
    if not letters:
        return [{}]
    if len(letters) > len(_FIRST):
        raise ValueError(f"at most {len(_FIRST)} size letters are supported")
    return [dict(zip(letters, _FIRST)), dict(zip(letters, _SECOND))]


def seed_for(claim: Claim, sizes: dict[str, int], case: int) -> int:
    text = f"{claim.id}|{sorted(sizes.items())}|{case}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def sample_points(claim: Claim, sizes: dict[str, int], condition: E.Expr | None,
                  seed: int, count: int = POINTS) -> list[Point]:
    """Up to `count` points where every assumption (and `condition`) holds with margin."""
    rng = random.Random(seed)
    points: list[Point] = []
    previous_signs: dict[str, np.ndarray] | None = None
    for attempt in range(ATTEMPTS):
        if len(points) == count:
            break
        mirror = previous_signs if attempt % 4 == 0 else None
        mode = ("random", "positive", "negative")[attempt % 3]
        point, signs = _draw(claim, sizes, rng, mode, mirror)
        if _acceptable(claim, sizes, point, condition):
            points.append(point)
            previous_signs = {k: -v for k, v in signs.items()}
    return points


def _draw(claim: Claim, sizes, rng: random.Random, mode: str, mirror):
    props = {a.name: a.prop for a in claim.assumptions if a.prop}
    signs_assumed = {a.name: a.sign for a in claim.assumptions if a.sign}
    point: Point = {}
    signs: dict[str, np.ndarray] = {}
    for name, shape in claim.vars.items():
        rows, cols = shape.concrete(sizes)
        fixed = signs_assumed.get(name, 0)
        if fixed:
            s = np.full((rows, cols), fixed)
        elif mirror is not None and name in mirror:
            s = mirror[name]
        elif mode == "random":
            s = np.array([[rng.choice((-1, 1)) for _ in range(cols)] for _ in range(rows)])
        else:
            s = np.full((rows, cols), 1 if mode == "positive" else -1)
        signs[name] = s
        values = np.empty((rows, cols), dtype=object)
        for idx in np.ndindex(rows, cols):
            values[idx] = s[idx] * _magnitude(rng)
        prop = props.get(name)
        if prop == "symmetric":
            values = (values + values.T) / 2
        elif prop == "spd":
            values = values @ values.T / rows + np.diag([Fraction(1, 2)] * rows).astype(object)
        point[name] = values
    return point, signs


def _magnitude(rng: random.Random) -> Fraction:
    if rng.random() < 0.5:
        return Fraction(rng.randint(300, 800), 1000)
    return Fraction(rng.randint(1250, 2200), 1000)


def _acceptable(claim: Claim, sizes, point: Point, condition: E.Expr | None) -> bool:
    """Assumptions hold with margin, no kink is near its switch, everything is finite."""
    backend = FloatBackend()
    ctx = Context(backend, sizes, claim.layout, dict(claim.lets))
    values = {k: v.astype(float) for k, v in point.items()}
    try:
        with np.errstate(all="raise"):
            for a in claim.assumptions:
                if a.prop in ("spd", "invertible") and abs(np.linalg.det(values[a.name])) < 0.05:
                    return False
            settled = settle_lets(values, ctx)
            for a in claim.assumptions:
                if a.condition is not None and not holds(a.condition, settled, ctx):
                    return False
            if condition is not None and not holds(condition, settled, ctx):
                return False
            results = [evaluate(claim.f, settled, ctx)]
            results += [evaluate(c.value, settled, ctx) for c in claim.cases]
    except (FloatingPointError, ZeroDivisionError, np.linalg.LinAlgError, OverflowError):
        return False
    finite = all(np.all(np.isfinite(r)) for r in results + list(settled.values()))
    return finite and backend.kink_margin > MARGIN


def holds(condition: E.Expr, values: dict[str, np.ndarray], ctx: Context) -> bool:
    """Does an element-wise condition hold at every entry, at least MARGIN from its boundary?"""
    if isinstance(condition, E.AllOf):
        return all(holds(p, values, ctx) for p in condition.parts)
    assert isinstance(condition, E.Compare)
    gap = evaluate(condition.left, values, ctx) - evaluate(condition.right, values, ctx)
    gap = np.asarray(gap, dtype=float)
    if condition.op in ("<", "<="):
        gap = -gap
    return bool(np.all(gap > MARGIN))


def kink_sides(claim: Claim, sizes: dict[str, int], point: Point) -> tuple:
    """Which side of every abs/step/max switch a point lies on: points that agree can
    share one symbolic derivative."""
    backend = FloatBackend()
    ctx = Context(backend, sizes, claim.layout, dict(claim.lets))
    settled = settle_lets({k: v.astype(float) for k, v in point.items()}, ctx)
    for root in [claim.f] + [c.value for c in claim.cases] + \
            [side for s in claim.steps for side in (s.lhs, s.rhs)]:
        evaluate(root, settled, ctx)
    return tuple(backend.kink_sides)
