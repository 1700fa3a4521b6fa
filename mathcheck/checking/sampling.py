"""The sizes and the points a claim is checked at, honouring its assumptions.

Sizes: two assignments, at least one size of 3 or more, different letters different
sizes, never 1, and a third, larger one; then, numerically at one point each, every size
from 2 to 9 for every letter and every two different sizes for every two letters. Every
size honours the size relations assumed (`m >= n`); where f or the claim is defined at no
point of an assignment (XᵀX of a wide X), a spare one stands in. Points: exact rationals
of magnitude in [0.3, 0.8] or [1.25, 2.2] (away from 0 and 1), seeded from the block's
id, both signs where nothing is assumed, kept at least MARGIN away from every condition's
boundary and every kink, where f and the claim are finite and no inverse taken is near
singular (condition number below CONDITION). Where random
draws miss a region (a condition such as x > 50, or the far side of a kink such as
max(0, x - 3)), a search along random lines through the drawn points finds it. For the
symbolic evidence, wide points add magnitudes near 20 and near 1/200 (sample points
scaled), where a term negligible near 1 shows.
"""
from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import replace
from fractions import Fraction

import numpy as np

from ..language import expressions as E
from ..language.claims import Claim
from .evaluation import Context, evaluate, settle_lets
from .numeric import FloatBackend
from .random_functions import draws

MARGIN = 1e-3
CONDITION = 1e6     # a matrix inverted with a larger condition number is numerically singular
POINTS = 3          # per size assignment and case
ATTEMPTS = 200
SWEEP_ATTEMPTS = 40   # a swept size (one point) where f is defined nowhere costs little
LINES = 8           # random lines searched for a missing region
KINK_SEARCHES = 2   # kink entries searched for a far side before the search gives up
KINKS = ("abs", "step", "sign", "max")
WIDE_LARGE = (Fraction(20), Fraction(5))        # magnitudes about 6..44, then 1.5..11
WIDE_SMALL = (Fraction(1, 200), Fraction(1, 20))
_REACH = [Fraction(1, 20) * 4 ** k for k in range(24)]   # 0.05 ... ~1e13
_FIRST = (3, 2, 4, 5, 6, 7, 8)
_SECOND = (2, 4, 3, 6, 5, 8, 7)
_LARGER = (5, 6, 7, 4, 8, 9, 3)   # numeric only: a claim tuned to the sizes above still fails
_SPARE = (4, 5, 3, 7, 6, 9, 8)    # stand-ins where f is defined at no point of a size above
SWEEP = (2, 3, 4, 5, 6, 7, 8, 9)   # numeric only, one point each: every letter at every size,
PAIRED = (2, 3, 4, 5)              # and every two letters at every two different sizes here

Point = dict[str, np.ndarray]   # name -> array of Fractions


Relation = tuple[str, str, str]   # (larger, ">" or ">=", smaller)


def size_assignments(letters: tuple[str, ...], relations: tuple[Relation, ...] = ()
                     ) -> list[tuple[dict[str, int], bool]]:
    """(sizes, symbolic?) pairs: two assignments checked both ways, and a third, larger
    one checked numerically, so that a claim such as `(n - 2) * (n - 3) * x.T` added to the
    truth, zero at the first two, is still caught. Size relations permute each assignment's
    sizes among the letters until they hold (the sizes stay different: `n >= m` is tried
    with n > m, where a claim true only at n = m fails)."""
    if not letters:
        return [({}, True)]
    if len(letters) > len(_FIRST):
        raise ValueError(f"at most {len(_FIRST)} size letters are supported")
    found: list[tuple[dict[str, int], bool]] = []
    for base, symbolic in ((_FIRST, True), (_SECOND, True), (_LARGER, False)):
        for shift in range(len(found) + 1):   # sizes that a permutation made equal are moved up
            sizes = honour(dict(zip(letters, (v + shift for v in base))), relations)
            if all(sizes != s for s, _ in found):
                break
        found.append((sizes, symbolic))
    return found


def spare_assignments(letters: tuple[str, ...], relations: tuple[Relation, ...] = ()
                      ) -> list[tuple[dict[str, int], bool]]:
    """Further (sizes, symbolic?) pairs, in the same spirit, to stand in for an assignment
    at which f is defined at no point (XᵀX of a wide X): the main sizes rotated among the
    letters, then larger sizes."""
    if not letters:
        return []
    main = [s for s, _ in size_assignments(letters, relations)]
    found: list[tuple[dict[str, int], bool]] = []
    for base, symbolic in ((_FIRST, True), (_SECOND, True), (_LARGER, False), (_SPARE, True),
                           (_SPARE, False)):
        values = base[:len(letters)]
        for shift in range(1, len(letters) + 1):
            sizes = honour(dict(zip(letters, values[shift:] + values[:shift])), relations)
            if sizes not in main and sizes not in (s for s, _ in found):
                found.append((sizes, symbolic))
    return found


def honour(sizes: dict[str, int], relations: tuple[Relation, ...]) -> dict[str, int]:
    """The same sizes, given to the letters so that every relation holds: the first
    permutation (in order) that does; `sizes` itself when there are no relations."""
    if not relations or _holds(sizes, relations):
        return sizes
    letters = list(sizes)
    for values in itertools.permutations(sizes.values()):
        candidate = dict(zip(letters, values))
        if _holds(candidate, relations):
            return candidate
    raise ValueError("no sizes honour the size relations")   # claims refuses such cycles


def _holds(sizes: dict[str, int], relations: tuple[Relation, ...]) -> bool:
    return all(sizes[a] > sizes[b] if op == ">" else sizes[a] >= sizes[b]
               for a, op, b in relations)


def sweep_assignments(letters: tuple[str, ...], relations: tuple[Relation, ...] = ()
                      ) -> list[tuple[dict[str, int], bool]]:
    """(sizes, settle?) pairs: numeric-only sizes beyond `size_assignments`, one point
    each, so that a claim wrong by a factor such as `(n - 2) * (n - 3) * (n - 5)`, or
    `(n - m - 1) * (n - m + 2)`, zero at the main sizes, still fails. Every letter takes
    every size in SWEEP (settled at 50 digits, against a tiny term tuned the same way),
    then every two letters every two different sizes in PAIRED (float64). Other letters
    take sizes distinct from these, from a rotation of SWEEP (a greedy cover). Under size
    relations, only the sizes that honour them, and each `n >= m` also at n = m."""
    done = [s for s, _ in size_assignments(letters, relations)]
    singles = [((a, x),) for a in letters for x in SWEEP]
    pairs = [((a, x), (b, y)) for a, b in itertools.combinations(letters, 2)
             for x in PAIRED for y in PAIRED if x != y]
    found: list[tuple[dict[str, int], bool]] = []
    for k, fixed in enumerate(singles + pairs):
        if any(all(s.get(a) == v for a, v in fixed) for s in done):
            continue
        sizes = dict(fixed)
        free = [v for v in SWEEP[k % len(SWEEP):] + SWEEP[:k % len(SWEEP)] if v not in sizes.values()]
        sizes.update(zip((a for a in letters if a not in sizes), free))
        if not _holds(sizes, relations):
            continue
        done.append(sizes)
        found.append((sizes, k < len(singles)))
    for a, op, b in relations:
        equal = {**done[0], a: done[0][b]}
        if op == ">=" and _holds(equal, relations) and equal not in done:
            done.append(equal)
            found.append((equal, True))
    return found


def seed_for(claim: Claim, sizes: dict[str, int], case: int) -> int:
    text = f"{claim.id}|{sorted(sizes.items())}|{case}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def sample_points(claim: Claim, sizes: dict[str, int], condition: E.Expr | None,
                  seed: int, count: int = POINTS, far_sides: bool = True,
                  attempts: int = ATTEMPTS) -> list[Point]:
    """Points where every assumption (and `condition`) holds with margin: `count` drawn
    at random (of `attempts` draws, then along lines), and (with `far_sides`) more where
    needed so that every kink is seen from both sides."""
    rng = random.Random(seed)
    count = count if claim.letters else 2 * count   # scalars get one size assignment
    points: list[Point] = []
    previous_signs: dict[str, np.ndarray] | None = None
    for attempt in range(attempts):
        if len(points) == count:
            break
        mirror = previous_signs if attempt % 4 == 0 else None
        mode = ("random", "positive", "negative")[attempt % 3]
        point, signs = _draw(claim, sizes, rng, mode, mirror)
        if acceptable(claim, sizes, point, condition):
            points.append(point)
            previous_signs = {k: -v for k, v in signs.items()}
    while len(points) < count:
        found = _search(claim, sizes, condition, rng, points, lambda q: True)
        if found is None:
            break
        points.append(found)
    if points and far_sides and has_kinks(claim):
        points += _other_sides(claim, sizes, condition, rng, points)
    return points


def _other_sides(claim: Claim, sizes, condition, rng: random.Random, points: list[Point]):
    """Points on the far side of kink entries that the points so far see from one side.

    A side that the assumptions rule out cannot be found; after KINK_SEARCHES fruitless
    searches the rest are taken to be such."""
    nodes = kink_nodes(claim)
    sides = [kink_sides(claim, sizes, p, nodes) for p in points]
    extra: list[Point] = []
    misses = 0
    for k, node in enumerate(nodes):
        for e in range(len(sides[0][k])):
            if {s[k][e] for s in sides} == {True, False}:
                continue
            if misses >= KINK_SEARCHES:
                return extra
            want = not sides[0][k][e]

            def flipped(q: Point, node=node, e=e, want=want) -> bool:
                return kink_sides(claim, sizes, q, (node,))[0][e] == want
            found = _search(claim, sizes, condition, rng, points, flipped)
            if found is None:
                misses += 1
            else:
                extra.append(found)
                sides.append(kink_sides(claim, sizes, found, nodes))
    return extra


def _search(claim: Claim, sizes, condition, rng: random.Random, points: list[Point],
            wanted) -> Point | None:
    """The first acceptable point with `wanted(point)` on random lines p + t d, t growing.
    Candidates are tried in floating point; only the one kept is made exact."""
    for line in range(LINES):
        base = points[line % len(points)] if points else _draw(claim, sizes, rng, "random", None)[0]
        direction = _draw(claim, sizes, rng, ("random", "positive", "negative")[line % 3], None)[0]
        base_f = {k: v.astype(float) for k, v in base.items()}
        direction_f = {k: v.astype(float) for k, v in direction.items()}
        for reach in _REACH:
            for t in (reach, -reach):
                q = {k: base_f[k] + float(t) * direction_f[k] for k in base}
                if wanted(q) and acceptable(claim, sizes, q, condition):
                    exact = {k: base[k] + t * direction[k] for k in base}
                    if wanted(exact) and acceptable(claim, sizes, exact, condition):
                        return exact
    return None


def assumption_points(claim: Claim, sizes, seed: int, attempts: int = 6) -> list[Point]:
    """Points drawn at random where the assumptions (alone) hold with margin."""
    rng = random.Random(seed)
    drawn = (_draw(claim, sizes, rng, ("random", "positive", "negative")[k % 3], None)[0]
             for k in range(attempts))
    return [p for p in drawn if acceptable(claim, sizes, p, None)]


def defined_somewhere(claim: Claim, sizes: dict[str, int], seed: int) -> bool:
    """Are f (with its lets) and the claim defined and well conditioned at some point of
    these sizes, whatever the conditions in `assume` and the cases' `if`? (Matrix
    properties and signs are honoured: they shape the draw.)"""
    kept = tuple(a for a in claim.assumptions if a.prop or a.sign)
    bare = replace(claim, assumptions=kept,
                   cases=tuple(replace(c, condition=None) for c in claim.cases))
    return bool(sample_points(bare, sizes, None, seed, count=1, far_sides=False))


def wide_points(claim: Claim, sizes, condition: E.Expr | None, points: list[Point]) -> list[Point]:
    """A point of large and one of small magnitude (a sample point scaled) where the block
    is defined and the assumptions and `condition` hold: a term negligible at magnitudes
    near 1 (such as exp(-10**6 * x**2)) shows there."""
    found = []
    for factors in (WIDE_LARGE, WIDE_SMALL):
        for factor, base in itertools.product(factors, points[:2]):
            point = {k: v * factor for k, v in base.items()}
            if acceptable(claim, sizes, point, condition):
                found.append(point)
                break
    return found


def point_where(claim: Claim, sizes, condition: E.Expr | None, seed: int, points: list[Point],
                wanted) -> Point | None:
    """An acceptable point with `wanted(point)`, on random lines through `points`, near and far."""
    return _search(claim, sizes, condition, random.Random(seed), points, wanted)


def has_kinks(claim: Claim) -> bool:
    return bool(kink_nodes(claim))


def _draw(claim: Claim, sizes, rng: random.Random, mode: str, mirror):
    props = {a.name: a.prop for a in claim.assumptions if a.prop}
    point: Point = {}
    signs: dict[str, np.ndarray] = {}
    for name, shape in claim.vars.items():
        rows, cols = shape.concrete(sizes)
        fixed = claim.sign_of(name)
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


def acceptable(claim: Claim, sizes, point: Point, condition: E.Expr | None,
               cases: bool = True) -> bool:
    """Assumptions hold with margin, no kink is near its switch, everything (f, the lets
    and, with `cases`, every case's value) is finite, and no matrix inverted on the way is
    near singular (its condition number below CONDITION): f or the claim is defined there,
    and central differences are not swamped by a near-singular inverse."""
    backend = FloatBackend()
    ctx = Context(backend, sizes, claim.layout, dict(claim.lets),
                  draws(claim.id, claim.functions, sizes, point, float))
    values = {k: v.astype(float) for k, v in point.items()}
    try:
        with np.errstate(all="raise"):
            for a in claim.assumptions:
                if a.prop and not _has_property(values[a.name], a.prop):
                    return False
            settled = settle_lets(values, ctx)
            for a in claim.assumptions:
                if a.condition is not None and not holds(a.condition, settled, ctx):
                    return False
            if condition is not None and not holds(condition, settled, ctx):
                return False
            results = [evaluate(claim.f, settled, ctx)]
            results += [evaluate(c.value, settled, ctx) for c in claim.cases if cases]
    except (FloatingPointError, ZeroDivisionError, np.linalg.LinAlgError, OverflowError):
        return False
    finite = all(np.all(np.isfinite(r)) for r in results + list(settled.values()))
    return finite and backend.kink_margin > MARGIN and backend.condition < CONDITION


def _has_property(matrix: np.ndarray, prop: str | None) -> bool:
    if prop == "spd":
        return bool(np.allclose(matrix, matrix.T) and np.linalg.eigvalsh(matrix).min() > 0.05)
    if prop == "symmetric":
        return bool(np.allclose(matrix, matrix.T))
    if prop == "invertible":
        return bool(np.linalg.cond(matrix) < CONDITION)
    return True


def holds(condition: E.Expr, values: dict[str, np.ndarray], ctx: Context) -> bool:
    """Does an element-wise condition hold at every entry, at least MARGIN from its boundary?"""
    return condition_gap(condition, values, ctx) > MARGIN


def condition_gap(condition: E.Expr, values: dict[str, np.ndarray], ctx: Context) -> float:
    """How far inside its region a point is (negative: outside), over every entry and part."""
    if isinstance(condition, E.AllOf):
        return min(condition_gap(p, values, ctx) for p in condition.parts)
    assert isinstance(condition, E.Compare)
    gap = evaluate(condition.left, values, ctx) - evaluate(condition.right, values, ctx)
    gap = np.asarray(gap, dtype=float)
    if condition.op in ("<", "<="):
        gap = -gap
    elif condition.op == "!=":
        gap = np.abs(gap)
    return float(np.min(gap))


def kink_nodes(claim: Claim) -> tuple[E.Call, ...]:
    """Every distinct abs/step/max of the claim (in f, the cases, the lets and the steps)."""
    roots = [claim.f] + [c.value for c in claim.cases] + [v for _, v in claim.lets]
    roots += [side for s in claim.steps for side in (s.lhs, s.rhs)]
    found: dict[E.Call, None] = {}
    for root in roots:
        for node in E.walk(root):
            if isinstance(node, E.Call) and node.func in KINKS:
                found.setdefault(node)
    return tuple(found)


def kink_sides(claim: Claim, sizes: dict[str, int], point: Point,
               nodes: tuple[E.Call, ...] | None = None) -> tuple:
    """Which side of every abs/step/max switch a point lies on (entry by entry): points
    that agree can share one symbolic derivative."""
    ctx = Context(FloatBackend(), sizes, claim.layout, dict(claim.lets),
                  draws(claim.id, claim.functions, sizes, point, float))
    settled = settle_lets({k: v.astype(float) for k, v in point.items()}, ctx)
    sides = []
    for node in kink_nodes(claim) if nodes is None else nodes:
        gap = evaluate(node.args[0], settled, ctx)
        if node.func == "max":
            gap = gap - evaluate(node.args[1], settled, ctx)
        sides.append(tuple(np.asarray(gap > 0).reshape(-1)))
    return tuple(sides)
