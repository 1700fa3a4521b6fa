"""Claims -> evidence -> outcome: decide one block.

A claim is verified only when, at every size assignment and every sample point, both
the numeric evidence (central differences of f) and the symbolic evidence (sympy's
element-wise derivative, shown equal to the claim) agree with it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Callable

import mpmath
import numpy as np
import sympy

from ..language import expressions as E
from ..language.claims import Case, Claim, BlockError, Step, read_claim
from ..language.latex import statement
from ..pages.blocks import Block
from .evaluation import (Array, Context, arrange, evaluate, second_derivative, settle_lets,
                         unarrange, unvec, vec)
from .exact import ExactBackend, exact_mode
from .layouts import has_layout, other_layout, other_layout_block
from .numeric import (FloatBackend, PreciseBackend, SecondOrderBackend, agree,
                      mixed_second_difference)
from .partition import Overlap, partition_problem
from .random_functions import UndefinedFunctions, draw, draws
from .sampling import (KINK_SEARCHES, MARGIN, SWEEP_ATTEMPTS, Point, defined_somewhere,
                       has_kinks, kink_sides, point_where, sample_points, seed_for,
                       size_assignments, spare_assignments, sweep_assignments, wide_points)
from .symbolic import (DEEP_DIGITS, SymbolicBackend, proven_zero, rational_point,
                       reduce_difference, switches, symbols_for, unproven_factors, value_at)
from .verdicts import Evidence, Example, Outcome

# pair(backend, values, stand-ins of the abstract functions)
#   -> (claimed, true, arrays whose size sets the noise floor)
Pair = Callable[[object, dict[str, Array], dict], tuple[Array, Array, list[Array]]]


@dataclass(frozen=True)
class Sides:
    """How a counterexample names the two values it compares."""

    claimed: str
    numeric: str
    symbolic: str


ZERO_TEST = 1e-100   # relative: a difference at 150 digits that is not rounding
FULL_HESSIAN = 8     # numerically, a larger Hessian is checked between two fixed directions
PROOF_OPS = 3000     # the proof for every function: largest difference attempted, in sympy ops
DRAWN_SHOWN = 6      # applications of random functions named in a counterexample

CLAIM = Sides("the claim", "the derivative by central differences of f", "sympy's derivative")
SECOND = Sides("the claim", "the second derivative by central differences of f's central "
               "differences", "sympy's second derivative")
STEP = Sides("the left side", "the right side", "the right side")


def _claim_sides(claim: Claim) -> Sides:
    return SECOND if claim.order == 2 else CLAIM


class Refuted(Exception):
    """A counterexample: ends the check of a block with `failed`."""

    def __init__(self, detail: str, line: int):
        super().__init__(detail)
        self.line = line


@dataclass(frozen=True)
class Target:
    """One thing checked at the points: a case of the claim, or a step."""

    pair: Pair
    label: str
    line: int
    sides: Sides
    condition: E.Expr | None      # where it holds (a case's `if`), besides the assumptions
    along: Pair | None = None     # the same, along one direction (cheaper at 50 digits)


@dataclass
class Tally:
    sizes: list[dict[str, int]] = field(default_factory=list)
    points: int = 0
    max_rel_error: float = 0.0
    methods: set[str] = field(default_factory=set)
    functions_tried: int = 0     # random draws of abstract functions, one per function and point
    proven: bool = True          # every symbolic difference reduced to 0 (for every function)
    example: Example | None = None
    case: int = 0                     # the case being checked, for the example
    swept: int = 0               # further sizes checked numerically at one point each
    skipped: list[dict[str, int]] = field(default_factory=list)   # sizes outside the domain
    exact: int = 0               # points where the derivative was compared in exact arithmetic
    deep: int = 0                # ... and to DEEP_DIGITS digits by dual numbers
    transposable: bool = True    # the claim equalled its transpose at every point tried


def check_block(block: Block) -> Outcome:
    """The outcome of one block: error if it cannot be read, else the claim's outcome,
    with the statement printed from the very trees checked when it is verified."""
    try:
        claim = read_claim(block)
    except BlockError as exc:
        return Outcome("error", str(exc), line=exc.line)
    outcome = check_claim(claim)
    if outcome.status != "verified":
        return outcome
    outcome = replace(outcome, statement=statement(claim, block.title))
    return _with_other_layout(block, claim, outcome) if has_layout(claim) else outcome


def _with_other_layout(block: Block, claim: Claim, outcome: Outcome) -> Outcome:
    """A verified block whose derivative has a layout stays verified only if its statement
    in the other layout (every side transposed, `layouts`) is verified by the same check;
    the outcome then carries that statement too, for a reader who switches layouts."""
    other = other_layout(claim.layout)
    what = f"its statement in {other} layout (the claim and each step transposed)"
    try:
        twin = read_claim(other_layout_block(block, claim))
    except BlockError as exc:
        return Outcome("error", f"{what} cannot be read: {exc}", line=exc.line)
    checked = check_claim(twin)
    if checked.status != "verified":
        return Outcome(checked.status, f"{what} is {checked.status}: {checked.detail}",
                       line=checked.line)
    assert outcome.evidence is not None and checked.evidence is not None
    evidence = replace(outcome.evidence,
                       detail=f"{outcome.evidence.detail}; checked in both layouts: {what} "
                              f"verified at {checked.evidence.points} points as well",
                       methods=sorted(set(outcome.evidence.methods) | set(checked.evidence.methods)),
                       max_rel_error=max(outcome.evidence.max_rel_error,
                                         checked.evidence.max_rel_error))
    return replace(outcome, detail=evidence.detail, evidence=evidence,
                   other=statement(twin, block.title))


def check_claim(claim: Claim) -> Outcome:
    problem = _shape_problem(claim)
    if problem:
        return Outcome("failed", problem[0], line=problem[1])
    tally = Tally()
    kinky = has_kinks(claim)
    wanted = {True: 2 if claim.letters else 1, False: 1 if claim.letters else 0}
    try:
        for sizes, symbolic in (size_assignments(claim.letters, claim.relations)
                                + spare_assignments(claim.letters, claim.relations)):
            if not wanted[symbolic]:
                continue
            drawn: list[list[Point]] = []
            for k, case in enumerate(claim.cases):
                drawn.append(sample_points(claim, sizes, case.condition, seed_for(claim, sizes, k)))
                if not drawn[-1]:
                    break
            if not drawn[-1]:
                if not defined_somewhere(claim, sizes, seed_for(claim, sizes, -1)):
                    tally.skipped.append(sizes)   # outside the domain: another size stands in
                    continue
                return Outcome("error", _no_points(claim, case, sizes), line=case.line)
            wanted[symbolic] -= 1
            tally.sizes.append(sizes)
            overlap = claim.is_piecewise and partition_problem(
                claim, sizes, drawn, seed_for(claim, sizes, len(claim.cases)))
            if overlap:
                return Outcome("error", _not_a_partition(claim, sizes, overlap),
                               line=claim.cases[0].line)
            checked: list[Point] = []
            wide: list[Point] = []
            for k, (case, points) in enumerate(zip(claim.cases, drawn)):
                tally.case = k
                far = wide_points(claim, sizes, case.condition, points) if symbolic else []
                target = Target(_case_pair(claim, case, sizes), _case_label(case), case.line,
                                _claim_sides(claim), case.condition,
                                _case_along(claim, case, sizes))
                _confirm(claim, sizes, target, points, far, tally, symbolic, kinky)
                checked += points
                wide += far
            for step in claim.steps:
                target = Target(_step_pair(claim, step, sizes), f"step `{step.text}`", step.line,
                                STEP, None)
                _confirm(claim, sizes, target, checked, wide, tally, symbolic, kinky)
            tally.points += len(checked)
            tally.functions_tried += len(checked) * len(claim.functions)
        if any(wanted.values()):
            return Outcome("error", _undefined(claim, tally.sizes, tally.skipped), line=claim.line)
        for sizes, settle in sweep_assignments(claim.letters, claim.relations):
            _sweep(claim, sizes, settle, tally)
    except Refuted as exc:
        return Outcome("failed", str(exc), line=exc.line)
    except (ArithmeticError, ValueError, np.linalg.LinAlgError) as exc:
        return Outcome("error", f"could not evaluate the block: {exc}")
    proved = bool(claim.functions) and tally.proven and not has_kinks(claim)
    if tally.exact:
        tally.methods.add(f"symbolic (exact): the derivative computed in exact rational arithmetic "
                          f"(dual numbers) is identical to the claim at {tally.exact} random exact "
                          "rational points" + (" (each step too)" if claim.steps else "")
                          + ", where a nonzero rational difference vanishes with negligible "
                          "probability (Schwartz-Zippel)")
    if tally.deep:
        tally.methods.add(f"symbolic (dual numbers, {DEEP_DIGITS} digits): the derivative by the "
                          "exact rules of differentiation, carried by dual numbers, agrees with the "
                          f"claim to {DEEP_DIGITS} digits at {tally.deep} random points"
                          + (" (each step too)" if claim.steps else ""))
    if proved:
        tally.methods.add(f"symbolic: proved for every {', '.join(claim.functions)} "
                          "(sympy, with undefined functions)")
    evidence = Evidence(tally.sizes, tally.points, tally.max_rel_error, sorted(tally.methods),
                        _summary(claim, tally, proved), tally.example,
                        _layout_unchecked(claim, tally) if tally.transposable else None)
    return Outcome("verified", evidence.detail, evidence)


def _symmetric(value: np.ndarray) -> bool:
    """A square matrix (not 1 x 1) equal to its transpose, up to float64 rounding."""
    value = np.asarray(value, dtype=float)
    return (value.shape[0] == value.shape[1] > 1
            and bool(np.allclose(value, value.T, rtol=1e-9, atol=1e-12 * np.abs(value).max())))


def _layout_unchecked(claim: Claim, tally: Tally) -> str | None:
    """A warning where a matrix property assumed (`X spd`, `X symmetric`) made the claim
    equal to its transpose at every point tried, so that the other layout's claim passes
    too: unless the claim is symmetric at points drawn without that property as well."""
    structural = [a for a in claim.assumptions if a.prop in ("symmetric", "spd")]
    if not structural:
        return None
    loose = replace(claim, assumptions=tuple(a for a in claim.assumptions if a not in structural))
    sizes = tally.sizes[0]
    names = " and ".join(f"`{a.text}`" for a in structural)
    warning = (f"the layout is not checked under {names}: there the claim equals its transpose "
               "at every point tried, so the other layout's claim would pass too; assume less "
               "if the rule holds more widely")
    symmetric_anyway = False
    for k, case in enumerate(claim.cases):
        for point in sample_points(loose, sizes, case.condition, seed_for(claim, sizes, k),
                                   far_sides=False):
            ctx = Context(FloatBackend(), sizes, claim.layout, dict(claim.lets),
                          draws(claim.id, claim.functions, sizes, point, float))
            values = settle_lets({n: v.astype(float) for n, v in point.items()}, ctx)
            if not _symmetric(evaluate(case.value, values, ctx)):
                return warning
            symmetric_anyway = True
    return None if symmetric_anyway else warning   # symmetric anyway: the derivative itself is


def _shape_problem(claim: Claim) -> tuple[str, int] | None:
    for case in claim.cases:
        if case.value.shape != claim.expected:
            by = f"vec({claim.wrt[0]})" if claim.wrt_vec else ", ".join(claim.wrt)
            which = (f"second derivative of f by `{by}` (in either layout)" if claim.order == 2
                     else f"derivative of f by `{by}` in {claim.layout} layout")
            return (f"the claim `{case.text}` is {case.value.shape} but the {which} is "
                    f"{claim.expected.rows} x {claim.expected.cols}", case.line)
    for step in claim.steps:
        if step.lhs.shape != step.rhs.shape:
            return (f"step `{step.text}`: the left side is {step.lhs.shape.rows} x "
                    f"{step.lhs.shape.cols} but the right side is {step.rhs.shape.rows} x "
                    f"{step.rhs.shape.cols}", step.line)
    return None


def _case_pair(claim: Claim, case: Case, sizes: dict[str, int]) -> Pair:
    def pair(backend, values, functions):
        ctx = Context(backend, sizes, claim.layout, dict(claim.lets), functions)
        settled = settle_lets(values, ctx)
        x = _stacked(values, claim)
        fx = evaluate(claim.f, settled, ctx)

        def f_at(v: Array) -> Array:
            return evaluate(claim.f, settle_lets({**values, **_unstacked(v, claim, values)}, ctx),
                            ctx)
        if claim.order == 1:
            true = arrange(backend.jacobian(f_at, x), fx.shape, x.shape, claim.layout)
        elif x.size <= FULL_HESSIAN or isinstance(backend, SymbolicBackend):
            true = second_derivative(backend, f_at, x)
        else:   # u^T H v by one mixed second difference: four evaluations of f, not 4 N^2
            u, v = _direction(backend, x, 0), _direction(backend, x, 1)
            true = mixed_second_difference(backend, f_at, x, u, v)
            return u.T @ evaluate(case.value, settled, ctx) @ v, true, [fx, x]
        return evaluate(case.value, settled, ctx), true, [fx, x]
    return pair


def _direction(backend, x: Array, offset: int) -> Array:
    """A fixed direction of x's shape with entries of both signs and several sizes."""
    return np.array([backend.number(Fraction(1 + (3 * j + offset) % 7, 4 + (j + offset) % 3)
                                    * (-1) ** (j + offset))
                     for j in range(x.size)], dtype=object).reshape(x.shape)


def _case_along(claim: Claim, case: Case, sizes: dict[str, int]) -> Pair | None:
    """The claim and the central difference of f along one fixed direction v (the claimed
    derivative applied to v): two evaluations of f instead of two per entry. (None for a
    second derivative, whose own pair goes entry by entry, or between two directions.)"""
    if claim.order == 2:
        return None

    def pair(backend, values, functions):
        ctx = Context(backend, sizes, claim.layout, dict(claim.lets), functions)
        settled = settle_lets(values, ctx)
        x = _stacked(values, claim)
        fx = evaluate(claim.f, settled, ctx)
        v = _direction(backend, x, 0)
        h = backend.step_size(max(abs(e) for e in x.reshape(-1)))

        def f_at(t) -> Array:
            return evaluate(claim.f, settle_lets({**values, **_unstacked(x + v * t, claim, values)},
                                                 ctx), ctx)
        true = ((f_at(h) - f_at(-h)) / (2 * h)).reshape(-1, 1)
        raw = unarrange(evaluate(case.value, settled, ctx), fx.shape, x.shape, claim.layout)
        return raw @ v.reshape(-1, 1), true, [fx, x]
    return pair


def _stacked(values: dict[str, Array], claim: Claim) -> Array:
    """The variable differentiated by: one variable, scalars stacked into a column, or a
    matrix's entries stacked column after column (`wrt: vec(X)`)."""
    names = claim.wrt
    if claim.wrt_vec:
        return vec(values[names[0]])
    if len(names) == 1:
        return values[names[0]]
    return np.concatenate([values[n] for n in names], axis=0)


def _unstacked(v: Array, claim: Claim, values: dict[str, Array]) -> dict[str, Array]:
    """The variables that `_stacked` made `v` of (`values` gives a matrix's shape)."""
    names = claim.wrt
    if claim.wrt_vec:
        return {names[0]: unvec(v, values[names[0]].shape)}
    if len(names) == 1:
        return {names[0]: v}
    return {n: v[i:i + 1, :] for i, n in enumerate(names)}


def _step_pair(claim: Claim, step: Step, sizes: dict[str, int]) -> Pair:
    def pair(backend, values, functions):
        ctx = Context(backend, sizes, claim.layout, dict(claim.lets), functions)
        settled = settle_lets(values, ctx)
        return (evaluate(step.lhs, settled, ctx), evaluate(step.rhs, settled, ctx),
                list(settled.values()))
    return pair


def _sweep(claim: Claim, sizes: dict[str, int], settle: bool, tally: Tally) -> None:
    """Numeric evidence at one point per case of a further size, settled at 50 digits
    along one direction where asked; every step at each point, in float64."""
    steps = [Target(_step_pair(claim, step, sizes), f"step `{step.text}`", step.line, STEP, None)
             for step in claim.steps]
    seen = 0
    for k, case in enumerate(claim.cases):
        target = Target(_case_pair(claim, case, sizes), _case_label(case), case.line,
                        _claim_sides(claim),
                        case.condition, _case_along(claim, case, sizes))
        points = sample_points(claim, sizes, case.condition, seed_for(claim, sizes, k), count=1,
                               far_sides=False, attempts=SWEEP_ATTEMPTS)
        for point in points:
            _numeric(claim, target, point, sizes, tally, settle=settle)
            for step in steps:   # settled at the main sizes only: every entry at 50 digits is dear
                _numeric(claim, step, point, sizes, tally, settle=False)
        tally.functions_tried += len(points) * len(claim.functions)
        seen += bool(points)
    tally.swept += seen == len(claim.cases)


def _confirm(claim: Claim, sizes, target: Target, points: list[Point], wide: list[Point],
             tally: Tally, symbolic: bool, kinky: bool, search: bool = True) -> None:
    """Numeric evidence at `points`, then (where asked) symbolic evidence there and at the
    `wide` points; points on the far side of every kink sympy found are checked too.
    Raise Refuted on a difference."""
    for k, point in enumerate(points):
        _numeric(claim, target, point, sizes, tally, settle=not symbolic and k == 0)
    if not symbolic:
        return
    # dual numbers carry first derivatives only: a second derivative takes sympy's route
    mode = None if claim.functions or claim.order == 2 else exact_mode(_roots(claim))
    if mode:
        _compare_exactly(claim, sizes, target, points + wide, tally, deep=mode == "deep")
        return
    groups: dict[tuple, list[Point]] = {}
    for point in points:
        groups.setdefault(kink_sides(claim, sizes, point) if kinky else (), []).append(point)
    for point in wide:   # symbolic only: joins the group of its kink sides, if there is one
        group = groups.get(kink_sides(claim, sizes, point) if kinky else ())
        if group is not None:
            group.append(point)
    switched: set = set()
    for group in groups.values():
        switched |= _symbolic(claim, target.pair, sizes, group, tally, target.label,
                              target.line, target.sides)
    if search and switched:
        seen = [p for group in groups.values() for p in group]
        extra = _switch_sides(claim, sizes, target.condition, seen, switched)
        if extra:
            _confirm(claim, sizes, target, extra, [], tally, symbolic, kinky, search=False)


def _roots(claim: Claim) -> list[E.Expr]:
    """Every expression of the claim: f, the lets, the cases and both sides of each step."""
    return ([claim.f] + [v for _, v in claim.lets] + [c.value for c in claim.cases]
            + [side for s in claim.steps for side in (s.lhs, s.rhs)])


def _compare_exactly(claim: Claim, sizes, target: Target, points: list[Point], tally: Tally,
                     deep: bool) -> None:
    """Raise Refuted where the claim and the derivative by dual numbers differ at a point:
    computed exactly (rational arithmetic), or with `deep` to DEEP_DIGITS digits."""
    exact = "the exact derivative" if target.sides is CLAIM else target.sides.symbolic
    for point in points:
        with mpmath.workdps(DEEP_DIGITS + 20):
            backend = ExactBackend(deep)
            values = {k: np.vectorize(backend.number, otypes=[object])(v) for k, v in point.items()}
            claimed, true, _ = target.pair(backend, values, {})
            for idx in np.ndindex(claimed.shape):
                c, t = claimed[idx], true[idx]
                if deep and abs(c - t) > ZERO_TEST * max(1, abs(t)):
                    how = (f"computed to {DEEP_DIGITS} digits, they differ by "
                           f"{mpmath.nstr(c - t, 6)}")
                elif not deep and c != t:
                    how = f"computed exactly, they differ by {_exact(Fraction(c - t))}"
                else:
                    continue
                raise Refuted(
                    f"{target.label} is wrong at {_where(sizes, point, exact=True)}: entry "
                    f"{tuple(i + 1 for i in idx)} of {target.sides.claimed} is {_exact(c)} but "
                    f"{exact} is {_exact(t)} ({how})", target.line)
    counted = len(points) if target.sides is CLAIM else 0   # each step at the same points
    if deep:
        tally.deep += counted
    else:
        tally.exact += counted


def _switch_sides(claim: Claim, sizes, condition, points: list[Point], switched: set) -> list[Point]:
    """Points on the other side of each kink that sympy made (`sqrt(u**2)` is Abs(u)) which
    the points see from one side only; the search reaches far, as for abs/step/max. (A
    switch in the value of an abstract function is not searched: its draw moves with the
    point.)"""
    symbols = _symbols(claim, sizes)
    variables = {s for syms in symbols.values() for s in syms.reshape(-1)}
    switched = {expr for expr in switched if expr.free_symbols <= variables
                and not any(getattr(a, "abstract", False) for a in expr.atoms(sympy.Function))}

    def sign(expr, point: Point) -> int:
        value = value_at(expr, rational_point(symbols, point))[0]
        return 1 if value > MARGIN else -1 if value < -MARGIN else 0

    extra: list[Point] = []
    misses = 0
    for k, expr in enumerate(sorted(switched, key=sympy.default_sort_key)):
        seen = {sign(expr, p) for p in points + extra}
        if {1, -1} <= seen:
            continue
        if misses >= KINK_SEARCHES:
            break
        want = -1 if 1 in seen else 1
        found = point_where(claim, sizes, condition, seed_for(claim, sizes, 1000 + k), points,
                            lambda q, expr=expr, want=want: sign(expr, q) == want)
        if found is None:
            misses += 1
        else:
            extra.append(found)
    return extra


def _symbols(claim: Claim, sizes) -> dict[str, Array]:
    return {name: symbols_for(name, shape.concrete(sizes), claim.sign_of(name))
            for name, shape in claim.vars.items()}


def _numeric(claim: Claim, target: Target, point: Point, sizes, tally: Tally,
             settle: bool) -> None:
    """Agreement in float64, handed to 50 digits where float64 sees a difference above its
    rounding floor. With `settle` (where no symbolic evidence follows: the first point of
    the numeric-only size), 50 digits have the last word even where float64 agrees, along
    one direction for a case (every entry for a step)."""
    pairs = ([(SecondOrderBackend, target.pair)] if claim.order == 2 else
             [(FloatBackend, target.pair), (PreciseBackend, target.pair)])
    for make, pair in pairs:
        backend = make()
        values = {k: _convert(v, backend) for k, v in point.items()}
        functions = draws(claim.id, claim.functions, sizes, point, backend.number)
        claimed, true, scaled = pair(backend, values, functions)
        scale = max((float(abs(e)) for a in scaled for e in a.reshape(-1)), default=1.0)
        verdict = agree(claimed, true, scale, backend)
        if not verdict.ok and isinstance(backend, PreciseBackend):
            # the step's own truncation error, h^2 f'''/6, is about |D(h) - D(2h)| / 3:
            # large only where f''' is huge (sin(x**3) far out), never for a tiny claim term
            coarse = pair(make(coarse=True), values, functions)[1]
            truncation = np.vectorize(lambda u, v: abs(u - v), otypes=[object])(true, coarse)
            verdict = agree(claimed, true, scale, backend, truncation)
        if verdict.ok and settle and isinstance(backend, FloatBackend):
            pairs[1] = (PreciseBackend, target.along or target.pair)
            continue
        if verdict.ok:
            if (tally.example is None and target.sides is _claim_sides(claim) and pair is target.pair
                    and make is pairs[0][0]):
                tally.example = Example(dict(sizes), {k: _entries(v) for k, v in point.items()},
                                        _entries(claimed), _entries(true), tally.case)
            if target.sides is CLAIM and pair is target.pair and isinstance(backend, FloatBackend):
                tally.transposable = tally.transposable and _symmetric(claimed)
            tally.max_rel_error = max(tally.max_rel_error, verdict.rel_error)
            tally.methods.add("numeric: " + backend.method)
            return
    if pair is not target.pair:
        entry = f"entry {verdict.worst[0] + 1} of the derivative applied to a fixed direction"
    elif claimed.shape != claim.expected.concrete(sizes):
        entry = "u^T H v, the Hessian between two fixed directions u and v"
    else:
        entry = f"entry {tuple(i + 1 for i in verdict.worst)}"
    sides = target.sides
    raise Refuted(
        f"{target.label} is wrong at {_where(sizes, point)}: {sides.claimed} is {_show(claimed)} but "
        f"{sides.numeric} is {_show(true)} (relative difference {verdict.rel_error:.2g} at {entry}, "
        f"confirmed at {backend.digits} digits)" + _drawn(claim, sizes, point), target.line)


def _symbolic(claim: Claim, pair: Pair, sizes, group: list[Point], tally: Tally,
              label: str, line: int, sides: Sides) -> set:
    """Raise Refuted where the claim and sympy's derivative differ at a point, or where
    sympy proves their difference nonzero; return the switches of the kinks sympy made."""
    symbols = _symbols(claim, sizes)
    undefined = UndefinedFunctions(claim.functions, sizes)

    def exact_point(point: Point) -> dict:
        """Each variable's exact entries, and each abstract function as the point's draw."""
        drawn = {name: draw(claim.id, name, claim.functions[name], sizes, point)
                 for name in claim.functions}
        return {**rational_point(symbols, point), **undefined.evaluators(drawn)}
    exact_points = [exact_point(p) for p in group]
    backend = SymbolicBackend(dict(exact_points[0]))
    claimed, true, _ = pair(backend, symbols, {name: undefined[name] for name in claim.functions})

    def refute(idx, point, c, t, how: str) -> Refuted:
        return Refuted(
            f"{label} is wrong at {_where(sizes, point, exact=True)}: entry "
            f"{tuple(i + 1 for i in idx)} of {sides.claimed} is {_exact(c)} but "
            f"{sides.symbolic} is {_exact(t)} ({how})" + _drawn(claim, sizes, point), line)

    tested = False
    memos: list[dict] = [{} for _ in group]
    for idx in np.ndindex(claimed.shape):
        difference = claimed[idx] - true[idx]
        if difference == 0:
            continue
        gaps = []
        for point, rp, memo in zip(group, exact_points, memos):
            c, c_exact = value_at(claimed[idx], rp, memo)
            t, t_exact = value_at(true[idx], rp, memo)
            if c_exact and t_exact:
                if c != t:
                    raise refute(idx, point, c, t, f"computed exactly, they differ by {_exact(c - t)}")
                continue
            with mpmath.workdps(DEEP_DIGITS):
                gap = _mpf(c) - _mpf(t)
                if abs(gap) > ZERO_TEST * max(1, abs(_mpf(t))):
                    raise refute(idx, point, c, t, f"computed to {DEEP_DIGITS} digits, they "
                                                   f"differ by {mpmath.nstr(gap, 6)}")
            gaps.append((point, rp, c, t))
        reduced = reduce_difference(difference)
        if reduced != 0:
            _refute_if_nonzero(reduced, gaps, lambda *a, idx=idx: refute(idx, *a))
        proven = reduced == 0 or bool(claim.functions) and proven_zero(difference, PROOF_OPS)
        tested = tested or not proven
    tally.proven = tally.proven and not tested
    if claim.functions:
        tally.methods.add("symbolic: sympy derivative with undefined functions, " + (
            f"zero at the points to {DEEP_DIGITS} digits with the random functions drawn there"
            if tested else "difference simplifies to 0"))
    else:
        what = "sympy second derivative" if claim.order == 2 else "sympy derivative"
        tally.methods.add(f"symbolic: {what}, difference zero at the points to {DEEP_DIGITS} "
                          "digits" if tested else f"symbolic: {what}, difference simplifies to 0")
    return switches(list(claimed.reshape(-1)) + list(true.reshape(-1)))


def _refute_if_nonzero(difference, gaps: list, refute) -> None:
    """A difference too small at the points for the zero test is still a counterexample
    where sympy proves it nonzero: every factor is provably nonzero, or is clearly nonzero
    at the point."""
    rest = unproven_factors(difference)
    if rest is None:
        return
    for point, rp, c, t in gaps:
        if all(_clearly_nonzero(factor, rp, t) for factor in rest):
            why = (f"wherever `{_short(sympy.Mul(*rest))}` is, as here" if rest else "everywhere")
            with mpmath.workdps(DEEP_DIGITS):
                gap = mpmath.nstr(_mpf(value_at(difference, rp)[0]), 6)
            raise refute(point, c, t, f"sympy proves their difference `{_short(difference)}` "
                                      f"nonzero {why}; at this point it is {gap}")


def _clearly_nonzero(expr, point: dict, true) -> bool:
    """Nonzero exactly, or beyond the zero test (relative to the true value, as there)."""
    value, exact = value_at(expr, point)
    return value != 0 if exact else abs(value) > ZERO_TEST * max(1, abs(_mpf(true)))


def _short(expr, limit: int = 80) -> str:
    text = str(expr)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _convert(values: np.ndarray, backend) -> Array:
    out = np.vectorize(backend.convert, otypes=[object])(values)
    return out.astype(float) if isinstance(backend, FloatBackend) else out


def _case_label(case: Case) -> str:
    return f"the case `{case.text}`" if case.condition is not None else f"the claim `{case.text}`"


def _no_points(claim: Claim, case: Case, sizes) -> str:
    what = [a.text for a in claim.assumptions] + ([case.text.split(":")[0]] if case.condition else [])
    sizes_text = ", ".join(f"{k}={v}" for k, v in sizes.items()) or "scalars"
    return (f"found no sample point ({sizes_text}) where {' and '.join(what) or 'f is defined'} "
            "holds away from every boundary and kink; check the assumptions")


def _undefined(claim: Claim, defined: list[dict[str, int]], undefined: list[dict[str, int]]) -> str:
    """Why a block whose f or claim is undefined (or numerically singular) at too many sizes
    is an error."""
    relation = ("; no size that the size relations in `assume` allow is in its domain"
                if claim.relations else
                "; if f is defined only for some sizes, say so in `assume`, as in `assume: "
                f"[{claim.letters[-1]} >= {claim.letters[0]}]`" if len(claim.letters) > 1 else "")
    what = ("f or the claim is undefined (or numerically singular: a singular inverse, a log of "
            "a non-positive number, a division by zero) at every point tried")
    if not defined:
        where = f", at every size tried ({_sizes_text(undefined)})" if claim.letters else ""
        return f"{what}{where}; there is nowhere to check the claim{relation}"
    return (f"{what} at {_sizes_text(undefined)}, which leaves too few sizes to check the claim "
            f"(it is defined at {_sizes_text(defined)}){relation}")


def _sizes_text(sizes_list: list[dict[str, int]]) -> str:
    return "; ".join(", ".join(f"{k}={v}" for k, v in s.items()) for s in sizes_list)


def _not_a_partition(claim: Claim, sizes, overlap: Overlap) -> str:
    where = _where(sizes, overlap.point, exact=True)
    if overlap.holding:
        both = " and ".join(f"`if {claim.cases[i].text.split(':')[0][3:]}`" for i in overlap.holding)
        return f"the cases do not partition: {both} both hold at {where}; the claim is ambiguous there"
    return (f"the cases do not partition: no case holds at {where}, inside the assumptions and "
            "away from every boundary; the claim is incomplete there")


def _where(sizes, point: Point, exact: bool = False) -> str:
    parts = [", ".join(f"{k}={v}" for k, v in sizes.items())] if sizes else []
    parts += [f"{name} = {_show(v, exact)}" for name, v in point.items()]
    return "; ".join(parts)


def _show(values: np.ndarray, exact: bool = False) -> str:
    def one(v) -> str:
        if exact:
            return str(v)
        try:
            return f"{float(v):.8g}"
        except TypeError:
            return str(v)
    rows = [[one(v) for v in row] for row in np.asarray(values, dtype=object)]
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    if all(len(r) == 1 for r in rows):
        return "[" + ", ".join(r[0] for r in rows) + "]" + (" (column)" if len(rows) > 1 else "")
    return "[" + "; ".join(", ".join(r) for r in rows) + "]"


def _entries(values) -> list[list[float]]:
    return [[float(f"{float(v):.10g}") for v in row] for row in np.asarray(values, dtype=object)]


def _mpf(value):
    return mpmath.mpf(value.numerator) / value.denominator if isinstance(value, Fraction) else value


def _exact(value) -> str:
    text = str(value) if isinstance(value, Fraction) else ""
    if text and len(text) <= 40:
        return text
    with mpmath.workdps(60):
        return mpmath.nstr(_mpf(value), 15)


def _summary(claim: Claim, tally: Tally, proved: bool) -> str:
    sizes = "; ".join(", ".join(f"{k}={v}" for k, v in s.items()) for s in tally.sizes if s)
    numeric_only = " (the last numerically only)" if len(tally.sizes) > 2 else ""
    names = ", ".join(claim.functions)
    functions = ""
    if claim.functions:
        functions = (f"; {tally.functions_tried} random functions tried ({names}: a fresh draw "
                     "at every point and size)")
        if proved:
            functions += (f"; proved for every function (every {names}) by sympy with undefined "
                          "functions" + (" at the symbolic sizes" if sizes else ""))
    return (f"verified at {tally.points} points"
            + (f" for sizes {sizes}{numeric_only}" if sizes else "")
            + f"; largest relative difference {tally.max_rel_error:.1e}" + functions
            + (f"; and numerically at one point of each of {tally.swept} further sizes" if tally.swept else "")
            + (f"; skipped {_sizes_text(tally.skipped)}, where f or the claim is undefined or "
               "numerically singular at every point tried" if tally.skipped else ""))


def _drawn(claim: Claim, sizes, point: Point) -> str:
    """The random functions' values at the point, for a counterexample's message."""
    if not claim.functions:
        return ""
    backend = FloatBackend()
    functions = draws(claim.id, claim.functions, sizes, point, float)
    ctx = Context(backend, sizes, claim.layout, dict(claim.lets), functions)
    settled = settle_lets({k: v.astype(float) for k, v in point.items()}, ctx)
    roots = [claim.f] + [v for _, v in claim.lets] + [c.value for c in claim.cases]
    roots += [side for s in claim.steps for side in (s.lhs, s.rhs)]
    seen: dict[E.Apply, None] = {}
    for root in roots:
        for node in E.walk(root):
            if isinstance(node, E.Apply):
                seen.setdefault(node)
    texts: dict[str, None] = {}
    for node in seen:
        args = [evaluate(a, settled, ctx) for a in node.args]
        text = f"{node.func}({', '.join(_show(a) for a in args)}) = {_show(evaluate(node, settled, ctx))}"
        if claim.functions[node.func].elementwise and all(a.size == 1 for a in args):
            slopes = [_show(functions[node.func].jacobian(backend, args, k)) for k in range(len(args))]
            text += (f", {node.func}'({_show(args[0])}) = {slopes[0]}" if len(args) == 1 else
                     f", its partial derivatives {', '.join(slopes)}")
        texts.setdefault(text)
    shown = list(texts)[:DRAWN_SHOWN]
    more = f" (and {len(texts) - len(shown)} more)" if len(texts) > len(shown) else ""
    return "; the random functions drawn for this point give " + "; ".join(shown) + more
