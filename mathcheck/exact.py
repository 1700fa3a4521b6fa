"""Exact evidence for rational claims: the derivative at a rational point, computed exactly.

Where f, the lets, the claim and the steps use only sums, products, quotients, integer
powers, transposes, traces, determinants and inverses, every value is a rational function
of the entries, and so is the derivative. Forward-mode dual numbers over Python's
Fractions give that derivative exactly at a point, by a handful of eliminations instead of
sympy's symbolic inverses and determinants (whose size grows factorially). The claim is
compared exactly at random rational points: a nonzero rational function vanishes at all of
several random points drawn from a large set only with negligible probability
(Schwartz-Zippel), so agreement there is evidence of the identity, and any difference is an
exact counterexample.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

import numpy as np

from . import expressions as E
from .evaluation import Array

RATIONAL_CALLS = frozenset({"sum", "dot", "diag", "ones", "zeros", "eye", "trace", "det", "inv",
                            "outer", "concat"})
COSTLY = frozenset({"det", "inv"})   # what makes sympy's instantiation expensive


def worth_exact(roots: list[E.Expr]) -> bool:
    """Rational throughout, and holding an inverse or determinant (where sympy is slow)."""
    nodes = [n for root in roots for n in E.walk(root)]
    return all(_rational(n) for n in nodes) and any(
        isinstance(n, E.Call) and n.func in COSTLY for n in nodes)


def _rational(node: E.Expr) -> bool:
    if isinstance(node, (E.Number, E.Name, E.SizeNumber, E.Negate, E.Transpose, E.Matrix,
                         E.Index, E.Compare, E.AllOf)):
        return True
    if isinstance(node, E.Binary):
        return node.op != "**" or (isinstance(node.right, E.Number)
                                   and node.right.value.denominator == 1)
    if isinstance(node, E.Call):
        return node.func in RATIONAL_CALLS
    if isinstance(node, E.Derivative):
        return node.function is None
    return False


class Dual:
    """a + b ε with ε² = 0: `b` carries the derivative along one direction, exactly."""

    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a, self.b = a, b

    @staticmethod
    def _parts(other):
        return (other.a, other.b) if isinstance(other, Dual) else (other, 0)

    def __add__(self, other):
        a, b = self._parts(other)
        return Dual(self.a + a, self.b + b)

    __radd__ = __add__

    def __sub__(self, other):
        a, b = self._parts(other)
        return Dual(self.a - a, self.b - b)

    def __rsub__(self, other):
        return Dual(other - self.a, -self.b)

    def __mul__(self, other):
        a, b = self._parts(other)
        return Dual(self.a * a, self.a * b + self.b * a)

    __rmul__ = __mul__

    def __truediv__(self, other):
        a, b = self._parts(other)
        return Dual(self.a / a, (self.b * a - self.a * b) / (a * a))

    def __rtruediv__(self, other):
        return Dual(other / self.a, -other * self.b / (self.a * self.a))

    def __neg__(self):
        return Dual(-self.a, -self.b)

    def __pos__(self):
        return self

    def __pow__(self, k):
        k = int(k.a if isinstance(k, Dual) else k)
        if k < 0:
            return 1 / (self ** -k)
        out: object = Fraction(1)
        for _ in range(k):
            out = out * self
        return out


class ExactBackend:
    """Fractions (and dual numbers over them) as entries: no rounding anywhere."""

    def number(self, value: Fraction) -> Fraction:
        return Fraction(value)

    convert = number

    def apply(self, func: str, a: Array) -> Array:
        raise ArithmeticError(f"`{func}` has no exact rational value")

    def kink(self, func: str, a: Array, b: Array | None) -> Array:
        raise ArithmeticError(f"`{func}` is not rational")

    def det(self, a: Array) -> Array:
        return np.array([[_eliminate(a, None)]], dtype=object)

    def inv(self, a: Array) -> Array:
        n = a.shape[0]
        identity = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
        _eliminate(a, identity)
        return np.array(identity, dtype=object)

    def jacobian(self, g: Callable[[Array], Array], at: Array) -> Array:
        """raw[i, j] = d g_i / d at_j (entries flattened row by row), one dual pass per j."""
        flat = at.reshape(-1)
        columns = []
        for j in range(flat.size):
            seeded = np.array([Dual(v, Fraction(int(k == j))) for k, v in enumerate(flat)],
                              dtype=object).reshape(at.shape)
            columns.append([_slope(v) for v in g(seeded).reshape(-1)])
        return np.array(columns, dtype=object).T.reshape(-1, flat.size)


def _slope(value) -> Fraction:
    return value.b if isinstance(value, Dual) else Fraction(0)


def _value(entry):
    return entry.a if isinstance(entry, Dual) else entry


def _eliminate(a: Array, rhs: list[list] | None):
    """Gauss-Jordan elimination with exact pivots: the determinant of `a`, and `rhs`
    (when given) overwritten with inv(a) @ rhs. ZeroDivisionError for a singular `a`."""
    m = [list(row) for row in a]
    n = len(m)
    det: object = Fraction(1)
    for col in range(n):
        pivot = next((r for r in range(col, n) if _value(m[r][col]) != 0), None)
        if pivot is None:
            if rhs is not None:
                raise ZeroDivisionError("inverse of a singular matrix")
            return Fraction(0)
        if pivot != col:
            m[col], m[pivot] = m[pivot], m[col]
            if rhs is not None:
                rhs[col], rhs[pivot] = rhs[pivot], rhs[col]
            det = -det
        p = m[col][col]
        det = det * p
        for r in range(n):
            if r == col or (rhs is None and r < col):
                continue
            factor = m[r][col] / p
            if _value(factor) == 0 and not isinstance(factor, Dual):
                continue
            m[r] = [x - factor * y for x, y in zip(m[r], m[col])]
            if rhs is not None:
                rhs[r] = [x - factor * y for x, y in zip(rhs[r], rhs[col])]
    if rhs is not None:
        for r in range(n):
            rhs[r] = [x / m[r][r] for x in rhs[r]]
    return det
