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

Where a smooth element-wise function (exp, log, sin, ...) joins them, and an inverse or a
determinant of a composite matrix (A + XᵀCX) would make sympy's instantiation slow, the
same dual numbers run over mpmath at DEEP_DIGITS digits: the derivative by the exact rules
of differentiation, independent of central differences, compared with the claim to that
precision at the points, as sympy's derivative would be there.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

import mpmath
import numpy as np

from ..language import expressions as E
from .evaluation import Array

RATIONAL_CALLS = frozenset({"sum", "dot", "diag", "ones", "zeros", "eye", "trace", "det", "inv",
                            "outer", "concat"})
SMOOTH_CALLS = frozenset({"exp", "log", "sin", "cos", "tan", "sqrt", "tanh", "sigmoid",
                          "softmax", "logsumexp", "norm"})
COSTLY = frozenset({"det", "inv"})   # what makes sympy's instantiation expensive

_DERIVATIVES = {"exp": mpmath.exp, "log": lambda a: 1 / a, "sin": mpmath.cos,
                "cos": lambda a: -mpmath.sin(a), "tan": lambda a: 1 + mpmath.tan(a) ** 2,
                "sqrt": lambda a: 1 / (2 * mpmath.sqrt(a)),
                "tanh": lambda a: 1 - mpmath.tanh(a) ** 2}


def exact_mode(roots: list[E.Expr]) -> str | None:
    """"exact" for a rational claim with an inverse or a determinant (where sympy is slow);
    "deep" for a smooth one with an inverse or determinant of a composite matrix; else None
    (sympy's derivative)."""
    nodes = [n for root in roots for n in E.walk(root)]
    costly = [n for n in nodes if isinstance(n, E.Call) and n.func in COSTLY]
    if not costly:
        return None
    if all(_rational(n) for n in nodes):
        return "exact"
    composite = any(not isinstance(n.args[0], (E.Name, E.Transpose)) for n in costly)
    return "deep" if composite and all(_rational(n) or _smooth(n) for n in nodes) else None


def _smooth(node: E.Expr) -> bool:
    if isinstance(node, E.Binary) and node.op == "**":
        return isinstance(node.right, E.Number)
    return isinstance(node, E.Call) and node.func in SMOOTH_CALLS


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
        k = k.a if isinstance(k, Dual) else k   # the exponent is a number (see _smooth)
        if k != int(k):
            k = mpmath.mpf(k.numerator) / k.denominator if isinstance(k, Fraction) else k
            return Dual(self.a ** k, k * self.a ** (k - 1) * self.b)
        k = int(k)
        if k < 0:
            return 1 / (self ** -k)
        out = Dual(self.a ** 0, 0 * self.b)   # one, in the entries' own kind
        for _ in range(k):
            out = out * self
        return out


class ExactBackend:
    """Fractions (and dual numbers over them) as entries: no rounding anywhere. With `deep`,
    mpmath numbers at DEEP_DIGITS digits (evaluate inside `mpmath.workdps`), so that smooth
    functions have values too."""

    def __init__(self, deep: bool = False):
        self.deep = deep

    def number(self, value: Fraction):
        value = Fraction(value)
        return mpmath.mpf(value.numerator) / value.denominator if self.deep else value

    convert = number

    def apply(self, func: str, a: Array) -> Array:
        if not self.deep:
            raise ArithmeticError(f"`{func}` has no exact rational value")
        f = getattr(mpmath, func)

        def one(v):
            if isinstance(v, Dual):
                return Dual(f(v.a), _DERIVATIVES[func](v.a) * v.b)
            return f(v)
        return np.vectorize(one, otypes=[object])(a)

    def kink(self, func: str, a: Array, b: Array | None) -> Array:
        raise ArithmeticError(f"`{func}` is not smooth")

    def det(self, a: Array) -> Array:
        return np.array([[_eliminate(a, None, self.number(Fraction(1)))]], dtype=object)

    def inv(self, a: Array) -> Array:
        n = a.shape[0]
        identity = [[self.number(Fraction(int(i == j))) for j in range(n)] for i in range(n)]
        _eliminate(a, identity, self.number(Fraction(1)))
        return np.array(identity, dtype=object)

    def jacobian(self, g: Callable[[Array], Array], at: Array) -> Array:
        """raw[i, j] = d g_i / d at_j (entries flattened row by row), one dual pass per j."""
        flat = at.reshape(-1)
        columns = []
        for j in range(flat.size):
            seeded = np.array([Dual(v, self.number(Fraction(int(k == j))))
                               for k, v in enumerate(flat)], dtype=object).reshape(at.shape)
            columns.append([_slope(v) for v in g(seeded).reshape(-1)])
        return np.array(columns, dtype=object).T.reshape(-1, flat.size)


def _slope(value):
    return value.b if isinstance(value, Dual) else 0 * value


def _value(entry):
    return entry.a if isinstance(entry, Dual) else entry


def _eliminate(a: Array, rhs: list[list] | None, one):
    """Gauss-Jordan elimination with exact pivots: the determinant of `a`, and `rhs`
    (when given) overwritten with inv(a) @ rhs. ZeroDivisionError for a singular `a`."""
    m = [list(row) for row in a]
    n = len(m)
    det: object = one
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(_value(m[r][col])))   # largest, for mpmath
        if _value(m[pivot][col]) == 0:
            if rhs is not None:
                raise ZeroDivisionError("inverse of a singular matrix")
            return 0 * one
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
