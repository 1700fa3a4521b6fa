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

import numpy as np
import sympy

from .evaluation import Array

DIGITS = 50
MAX_REWRITE_OPS = 150   # beyond this, expand and cancel cost more than they prove


class SymbolicBackend:
    """sympy expressions as entries; `point` maps every symbol to a rational value."""

    def __init__(self, point: dict[sympy.Symbol, sympy.Rational]):
        self.point = point
        self._fresh = itertools.count()

    def number(self, value: Fraction):
        return sympy.Rational(value.numerator, value.denominator)

    def apply(self, func: str, a: Array) -> Array:
        f = {"sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp,
             "log": sympy.log, "sqrt": sympy.sqrt, "tanh": sympy.tanh}[func]
        return np.vectorize(f, otypes=[object])(a)

    def kink(self, func: str, a: Array, b: Array | None) -> Array:
        if func == "max":
            return np.vectorize(lambda u, v: u if self._sign(u - v) > 0 else v,
                                otypes=[object])(a, b)
        if func == "abs":
            return np.vectorize(lambda u: u if self._sign(u) > 0 else -u, otypes=[object])(a)
        return np.vectorize(lambda u: sympy.Integer(1 if self._sign(u) > 0 else 0),
                            otypes=[object])(a)

    def _sign(self, expr) -> int:
        value = _as_expr(expr).xreplace(self.point)
        if not value.is_Rational:
            value = value.evalf(DIGITS)
        return 1 if value > 0 else -1

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
        values = {s: _value_at(v, self.point) for s, v in zip(fresh, flat)}
        self.point.update(values)
        out = g(np.array(fresh, dtype=object).reshape(at.shape)).reshape(-1)
        back = dict(zip(fresh, flat))
        raw = np.empty((out.size, flat.size), dtype=object)
        for i, j in np.ndindex(raw.shape):
            raw[i, j] = sympy.diff(out[i], fresh[j]).xreplace(back)
        return raw


def _value_at(expr, point):
    value = _as_expr(expr).xreplace(point)
    return value if value.is_Rational else value.evalf(DIGITS)


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
    """Map each symbol to the exact rational value of its entry."""
    point = {}
    for name, syms in symbols.items():
        for idx in np.ndindex(syms.shape):
            v: Fraction = values[name][idx]
            point[syms[idx]] = sympy.Rational(v.numerator, v.denominator)
    return point


def is_zero(expr) -> bool:
    """Cheap rewrites that prove most differences zero: expand, then cancel.

    Large differences, and powers of sums that expand explosively, are left to the
    identity test at the sample points rather than rewritten.
    """
    expr = _as_expr(expr)
    if expr == 0:
        return True
    if sympy.count_ops(expr) > MAX_REWRITE_OPS or any(
            p.base.is_Add and p.exp.is_Integer and abs(p.exp) > 4 for p in expr.atoms(sympy.Pow)):
        return False
    try:
        expanded = sympy.expand(expr)
        return expanded == 0 or sympy.cancel(sympy.together(expanded)) == 0
    except (sympy.PolynomialError, ValueError, TypeError):
        return False


def exact_value(expr, point: dict):
    """The value at a rational point: exact when the expression allows, else 50 digits."""
    value = _as_expr(expr).xreplace(point)
    if value.is_Rational:
        return value, True
    return value.evalf(DIGITS), False


def _as_expr(value):
    """Entries are sympy expressions already, or plain numbers from numpy's reductions."""
    return value if isinstance(value, sympy.Basic) else sympy.Rational(value)
