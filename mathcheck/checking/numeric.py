"""Numeric evidence: central differences of f, independent of any symbolic derivative.

Two backends share the evaluator: float64 (fast) and mpmath at 50 digits. Each accepts
only a difference at its own rounding floor; float64 hands anything above its floor to
50 digits, which settles it (a claim off by 1e-9 * x, say) instead of waving it through.
A second derivative (differences of differences, whose rounding float64 cannot hold under
any tolerance worth the name) is judged by a third backend alone, at 120 digits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import mpmath
import numpy as np

from .evaluation import Array

# Agreement: entry-wise within RTOL of the entry's size, or within the rounding floor of
# central differences (`agree`'s noise). float64 evaluates a claim to about 1e-16 relative
# (1000 roundings allowed); the 50-digit backend works with 60 digits and a 1e-20 step, so
# a true claim agrees to about 1e-40 there (truncation h^2 f'''/6 and rounding alike).
FLOAT_RTOL = 1000 * float(np.finfo(float).eps)
PRECISE_RTOL = 1e-28
PRECISE_DIGITS = 50


class FloatBackend:
    """float64 values; central differences with a step of 1e-6 relative."""

    eps = float(np.finfo(float).eps)
    rtol = FLOAT_RTOL
    digits = 16
    method = "central differences, float64"

    def __init__(self) -> None:
        self.kink_margin = float("inf")   # closest a kink's argument came to its switch
        self.condition = 1.0              # the worst condition number of a matrix inverted

    def number(self, value: Fraction) -> float:
        return float(value)

    def pi(self) -> float:
        return math.pi

    def convert(self, value: Fraction) -> float:
        return float(value)

    def apply(self, func: str, a: Array) -> Array:
        if func == "erf":   # numpy has no erf
            return np.vectorize(math.erf, otypes=[float])(a.astype(float))
        with np.errstate(all="ignore"):
            return getattr(np, func)(a.astype(float))

    def kink(self, func: str, a: Array, b: Array | None) -> Array:
        a = a.astype(float)
        gap = a if b is None else a - b.astype(float)
        if gap.size:
            self.kink_margin = min(self.kink_margin, float(np.min(np.abs(gap))))
        if func == "abs":
            return np.abs(a)
        if func == "step":
            return (a > 0).astype(float)
        if func == "sign":
            return np.sign(a)
        return np.maximum(a, b.astype(float))

    def det(self, a: Array) -> Array:
        return np.array([[np.linalg.det(a.astype(float))]])

    def inv(self, a: Array) -> Array:
        a = a.astype(float)
        out = np.linalg.inv(a)
        # the condition number in the 1-norm, from the inverse at hand (an SVD costs more)
        self.condition = max(self.condition, float(np.linalg.norm(a, 1) * np.linalg.norm(out, 1)))
        return out

    def step_size(self, value) -> float:
        return 1e-6 * max(1.0, abs(float(value)))

    def jacobian(self, g: Callable[[Array], Array], at: Array) -> Array:
        return _central_differences(self, g, at)


class PreciseBackend:
    """mpmath numbers at 50 significant digits; steps of 1e-20 relative (twice that where
    `coarse`, to measure the truncation error of the finer step)."""

    eps = mpmath.mpf(10) ** (-PRECISE_DIGITS)
    rtol = PRECISE_RTOL
    fine_step = mpmath.mpf(10) ** -20
    digits = PRECISE_DIGITS
    method = f"central differences, {PRECISE_DIGITS} digits"

    def __init__(self, coarse: bool = False) -> None:
        self.kink_margin = float("inf")
        self.step = 2 * self.fine_step if coarse else self.fine_step
        mpmath.mp.dps = self.digits + 10   # guard digits for the differences

    def number(self, value: Fraction):
        return mpmath.mpf(value.numerator) / value.denominator

    convert = number

    def pi(self):
        return +mpmath.pi   # at the working precision

    def apply(self, func: str, a: Array) -> Array:
        f = {"arctan": mpmath.atan}.get(func) or getattr(mpmath, func)
        return np.vectorize(f, otypes=[object])(a)

    def kink(self, func: str, a: Array, b: Array | None) -> Array:
        if func == "abs":
            return np.vectorize(abs, otypes=[object])(a)
        if func == "step":
            return np.vectorize(lambda v: mpmath.mpf(1 if v > 0 else 0), otypes=[object])(a)
        if func == "sign":
            return np.vectorize(lambda v: mpmath.mpf((v > 0) - (v < 0)), otypes=[object])(a)
        return np.vectorize(lambda u, v: u if u > v else v, otypes=[object])(a, b)

    def det(self, a: Array) -> Array:
        return np.array([[mpmath.det(mpmath.matrix(a.tolist()))]], dtype=object)

    def inv(self, a: Array) -> Array:
        m = mpmath.matrix(a.tolist()) ** -1
        return np.array(m.tolist(), dtype=object)

    def step_size(self, value):
        return self.step * max(1, abs(value))

    def jacobian(self, g: Callable[[Array], Array], at: Array) -> Array:
        return _central_differences(self, g, at)


class SecondOrderBackend(PreciseBackend):
    """For second derivatives (differences of differences): 120 digits (and 10 guard
    digits) and steps of 1e-30, so that rounding (1e-130 / h^2) and truncation (h^2 times
    the fourth derivative) both stay near 1e-60, far below the tolerance; `eps` puts the
    noise floor of `agree` (eps / h) where the 50-digit backend has it."""

    eps = mpmath.mpf(10) ** -60
    fine_step = mpmath.mpf(10) ** -30
    digits = 120
    method = "second central differences (of central differences), 120 digits"


def _central_differences(backend, g: Callable[[Array], Array], at: Array) -> Array:
    """raw[i, j] = (g(at + h e_j) - g(at - h e_j))_i / 2h, entries flattened row by row."""
    flat = at.reshape(-1)
    columns = []
    for j in range(flat.size):
        h = backend.step_size(flat[j])
        up, down = flat.copy(), flat.copy()
        up[j] = flat[j] + h
        down[j] = flat[j] - h
        diff = g(up.reshape(at.shape)).reshape(-1) - g(down.reshape(at.shape)).reshape(-1)
        columns.append(diff / (2 * h))
    return np.array(columns, dtype=at.dtype).T.reshape(-1, flat.size)


def mixed_second_difference(backend, g: Callable[[Array], Array], at: Array, u: Array,
                            v: Array) -> Array:
    """u^T H v for the Hessian H of a scalar g: one mixed central second difference."""
    h = backend.step_size(max(abs(e) for e in at.reshape(-1)))
    return (g(at + h * u + h * v) - g(at + h * u - h * v) - g(at - h * u + h * v)
            + g(at - h * u - h * v)) / (4 * h * h)


@dataclass(frozen=True)
class Agreement:
    ok: bool
    rel_error: float            # the largest entry-wise relative difference
    worst: tuple[int, int]      # where it is


def agree(claimed: Array, true: Array, scale: float, backend,
          truncation: Array | None = None) -> Agreement:
    """Do two derivative values agree to the backend's tolerance?

    Each entry is compared relative to its own size, but never to less than 1e-3 of the
    largest entry; `scale` (the size of the values being differenced) sets the floor
    below which central-difference rounding noise cannot be told from a difference.
    The relative difference reported is to the entry, or to `scale` where that is larger.
    `truncation` (entry-wise) bounds the truncation error of the central differences.
    """
    c = np.array(claimed, dtype=object).astype(object)
    t = np.array(true, dtype=object).astype(object)
    err = np.vectorize(lambda u, v: abs(u - v), otypes=[object])(c, t)
    size = np.vectorize(lambda u, v: max(abs(u), abs(v)), otypes=[object])(c, t)
    largest = max(size.reshape(-1), default=0)
    noise = 100 * backend.eps * max(scale, 1e-300) / backend.step_size(0)
    ok = True
    worst, worst_rel = (0, 0), 0.0
    for idx in np.ndindex(c.shape):
        denom = max(size[idx], largest * 1e-3)
        slack = 0 if truncation is None else truncation[idx]
        if err[idx] > backend.rtol * denom + noise + slack:
            ok = False
        floor = max(denom, scale)
        rel = float(err[idx] / floor) if floor else (0.0 if err[idx] == 0 else float("inf"))
        if rel >= worst_rel:
            worst, worst_rel = idx, rel
    return Agreement(ok, worst_rel, worst)
