"""Symbolic evidence: instantiate at concrete sizes as sympy matrices of scalar symbols,
differentiate element by element, and show the difference from the claim is zero.

Kinks (abs, step, max) are resolved by the side of each switch that the sample point
lies on, so the derivative taken is exact on the whole region around that point.
A difference that cheap rewrites do not reduce to zero is evaluated exactly (or to 50
digits) at the sample points: a nonzero value is an exact counterexample, and zero at
every point is the randomised identity test.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Callable

import mpmath
import numpy as np
import sympy
import sympy.tensor.tensor  # noqa: F401  (sympy imports it at the first sum: here, while the worker starts)

from .evaluation import Array

DEEP_DIGITS = 150
MAX_REWRITE_OPS = 150   # beyond this, expand and cancel cost more than they prove
MAX_ROOT_OPS = 30       # a root's argument factored in search of a hidden square


class SymbolicBackend:
    """sympy expressions as entries; `point` maps every symbol to a rational value."""

    def __init__(self, point: dict):
        self.point = point
        self._fresh = itertools.count()

    def number(self, value: Fraction):
        return sympy.Rational(value.numerator, value.denominator)

    def pi(self):
        return sympy.pi

    def apply(self, func: str, a: Array) -> Array:
        f = {"sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp,
             "log": sympy.log, "sqrt": sympy.sqrt, "tanh": sympy.tanh, "sinh": sympy.sinh,
             "cosh": sympy.cosh, "arctan": sympy.atan, "erf": sympy.erf}[func]
        return np.vectorize(f, otypes=[object])(a)

    def kink(self, func: str, a: Array, b: Array | None) -> Array:
        if func == "max":
            return np.vectorize(lambda u, v: u if self._sign(u - v) > 0 else v,
                                otypes=[object])(a, b)
        if func == "abs":
            return np.vectorize(lambda u: u if self._sign(u) > 0 else -u, otypes=[object])(a)
        if func == "sign":
            return np.vectorize(lambda u: sympy.Integer(self._sign(u)), otypes=[object])(a)
        return np.vectorize(lambda u: sympy.Integer(1 if self._sign(u) > 0 else 0),
                            otypes=[object])(a)

    def _sign(self, expr) -> int:
        return 1 if value_at(expr, self.point)[0] > 0 else -1

    def det(self, a: Array) -> Array:
        return np.array([[sympy.Matrix(a).det(method="berkowitz")]], dtype=object)

    def inv(self, a: Array) -> Array:
        m = sympy.Matrix(a)
        return np.array(m.adjugate() / m.det(method="berkowitz"), dtype=object)

    def jacobian(self, g: Callable[[Array], Array], at: Array) -> Array:
        """Differentiate g at `at` by fresh symbols standing for `at`'s entries."""
        flat = at.reshape(-1)
        tag = next(self._fresh)
        fresh = [sympy.Symbol(f"_t{tag}_{j}", real=True) for j in range(flat.size)]
        self.point.update({s: value_at(v, self.point)[0] for s, v in zip(fresh, flat)})
        out = g(np.array(fresh, dtype=object).reshape(at.shape)).reshape(-1)
        back = dict(zip(fresh, flat))
        raw = np.empty((out.size, flat.size), dtype=object)
        for i, j in np.ndindex(raw.shape):
            raw[i, j] = sympy.diff(out[i], fresh[j]).xreplace(back)
        return raw

def proven_zero(expr, max_ops: int) -> bool:
    """Do cheap rewrites show an expression of undefined functions to be zero?"""
    expr = _as_expr(expr)
    if expr == 0:
        return True
    if sympy.count_ops(expr) > max_ops:
        return False
    expanded = sympy.expand(expr)
    if expanded == 0:
        return True
    try:
        return sympy.cancel(sympy.together(expanded)) == 0
    except (sympy.PolynomialError, ValueError, TypeError):
        return False


def symbols_for(name: str, shape: tuple[int, int], sign: int) -> Array:
    """A matrix of independent scalar symbols for a variable (every entry its own)."""
    rows, cols = shape
    kw = {"positive": True} if sign > 0 else {"negative": True} if sign < 0 else {}
    out = np.empty(shape, dtype=object)
    for i, j in np.ndindex(shape):
        label = name if shape == (1, 1) else f"{name}_{i + 1}" if cols == 1 else f"{name}_{i + 1}{j + 1}"
        out[i, j] = sympy.Symbol(label, real=True, **kw)
    return out


def rational_point(symbols: dict[str, Array], values: dict[str, Array]) -> dict:
    """Map each symbol to the exact rational value (a Fraction) of its entry."""
    return {syms[idx]: values[name][idx]
            for name, syms in symbols.items() for idx in np.ndindex(syms.shape)}


def reduce_difference(expr):
    """Cheap rewrites that prove most differences zero: expand, then cancel.

    Returns 0 when proven, else the reduced difference. Large differences, and powers of
    sums that expand explosively, are returned as they are, for the test at the points.
    """
    expr = _as_expr(expr)
    if expr == 0 or sympy.count_ops(expr) > MAX_REWRITE_OPS or any(
            p.base.is_Add and p.exp.is_Integer and abs(p.exp) > 4 for p in expr.atoms(sympy.Pow)):
        return expr
    try:
        expanded = sympy.expand(expr)
        return expanded if expanded == 0 else sympy.cancel(sympy.together(expanded))
    except (sympy.PolynomialError, ValueError, TypeError):
        return expr


_SWITCHES = (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min, sympy.Piecewise)


def switches(entries) -> set:
    """The expressions whose sign switches a kink, whatever the spelling on the page:
    the kinks sympy itself made (`sqrt((x - 7)**2)` is Abs(x - 7), its derivative
    sign(x - 7)), and a square under a root (`sqrt(x**2 - 14*x + 49)`)."""
    found = set()
    roots: dict = {}
    for entry in entries:
        if not isinstance(entry, sympy.Basic):
            continue
        for kink in entry.atoms(sympy.Pow, *_SWITCHES):
            if kink.is_Pow:
                if kink.exp.is_Rational and not kink.exp.is_Integer and kink.base not in roots:
                    roots[kink.base] = _squared_factors(kink.base)
                    found.update(roots[kink.base])
            elif kink.func in (sympy.Max, sympy.Min):
                found.update(a - b for a, b in itertools.combinations(kink.args, 2))
            elif kink.func is sympy.Piecewise:
                found.update(c.lhs - c.rhs for _, c in kink.args if isinstance(c, sympy.core.relational.Relational))
            else:
                found.add(kink.args[0])
    return {f for f in found if f.free_symbols}


def _squared_factors(base) -> list:
    """The factors of `base` raised to an even power (small bases only: factoring costs)."""
    if not base.free_symbols or sympy.count_ops(base) > MAX_ROOT_OPS:
        return []
    try:
        powers = sympy.factor(base).as_powers_dict()
    except (sympy.PolynomialError, ValueError, TypeError):
        return []
    return [b for b, e in powers.items() if e.is_Integer and e % 2 == 0 and b.free_symbols]


def unproven_factors(expr) -> tuple | None:
    """The factors of expr that sympy's assumptions cannot prove nonzero (for every value
    of the symbols): expr is nonzero wherever they all are, however small it is there
    (`x * exp(-10**6 * x**2)` is nonzero wherever x is). None where expr is too large."""
    expr = _as_expr(expr)
    if sympy.count_ops(expr) > MAX_REWRITE_OPS:
        return None
    return tuple(f for f in sympy.Mul.make_args(sympy.factor_terms(expr)) if f.is_zero is not False)


class _Inexact(Exception):
    """The value is not a rational number."""


_MP_FUNCTIONS = {sympy.exp: mpmath.exp, sympy.log: mpmath.log, sympy.sin: mpmath.sin,
                 sympy.cos: mpmath.cos, sympy.tan: mpmath.tan, sympy.tanh: mpmath.tanh,
                 sympy.sinh: mpmath.sinh, sympy.cosh: mpmath.cosh, sympy.atan: mpmath.atan,
                 sympy.erf: mpmath.erf}


def value_at(expr, point: dict, memo: dict | None = None) -> tuple[Fraction | mpmath.mpf, bool]:
    """The value of a sympy expression at a point (symbol -> Fraction, or mpf where a
    let's value is irrational; an abstract function -> how its draw evaluates it): exact
    when rational, else to DEEP_DIGITS digits.
    A walk over the tree, much faster than evalf on large expressions; `memo` (one per
    point) shares the values of common subexpressions between calls."""
    expr = _as_expr(expr)
    memo = {} if memo is None else memo
    try:
        return _walk(expr, point, memo.setdefault("exact", {}), exact=True), True
    except _Inexact:
        with mpmath.workdps(DEEP_DIGITS + 20):
            return +_walk(expr, point, memo.setdefault("deep", {}), exact=False), False


def _walk(e, point: dict, memo: dict, exact: bool):
    if e in memo:
        return memo[e]
    if e.is_Symbol:
        v = point[e]
        if isinstance(v, Fraction):
            out = v if exact else mpmath.mpf(v.numerator) / v.denominator
        elif exact:
            raise _Inexact
        else:
            out = mpmath.mpf(v)
    elif e.is_Rational:
        out = Fraction(int(e.p), int(e.q)) if exact else mpmath.mpf(int(e.p)) / int(e.q)
    elif e.is_Add:
        parts = [_walk(a, point, memo, exact) for a in e.args]
        out = sum(parts[1:], parts[0])
    elif e.is_Mul:
        out = Fraction(1) if exact else mpmath.mpf(1)
        for a in e.args:
            out = out * _walk(a, point, memo, exact)
    elif e.is_Pow:
        base = _walk(e.base, point, memo, exact)
        if e.exp.is_Integer:
            out = base ** int(e.exp)
        elif exact:
            raise _Inexact
        else:
            out = mpmath.power(base, _walk(e.exp, point, memo, exact))
    elif e.func in (sympy.Abs, sympy.sign):
        arg = _walk(e.args[0], point, memo, exact)
        out = abs(arg) if e.func is sympy.Abs else (arg > 0) - (arg < 0)
    elif exact:
        raise _Inexact
    elif isinstance(e, sympy.Function) and e.func in point:   # an abstract function's draw
        out = point[e.func](*[_walk(a, point, memo, exact) for a in e.args])
    elif e.func in _MP_FUNCTIONS:
        out = _MP_FUNCTIONS[e.func](_walk(e.args[0], point, memo, exact))
    else:  # constants such as pi, and anything rarer: sympy's own evaluation
        values = {s: sympy.Float(mpmath.nstr(_walk(s, point, memo, False), DEEP_DIGITS + 20),
                                 DEEP_DIGITS + 20) for s in e.free_symbols}
        out = mpmath.mpf(str(e.xreplace(values).evalf(DEEP_DIGITS + 20)))
    memo[e] = out
    return out


def _as_expr(value):
    """Entries are sympy expressions already, or plain numbers from numpy's reductions."""
    return value if isinstance(value, sympy.Basic) else sympy.Rational(value)
