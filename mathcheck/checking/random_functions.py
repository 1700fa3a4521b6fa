"""Stand-ins for a block's abstract functions: seeded random smooth maps, and sympy's
undefined functions, which give sympy's derivative for every function at once.

A draw of a function with D input entries (its arguments flattened row by row, or for an
entry-by-entry function the arguments at one entry) and R output entries gives each output

    c + sum_j (a_j z_j + b_j z_j^2 + e_j z_j^3 + g_j z_j z_{j+1})
      + alpha exp(sum_j k_j z_j) + beta sin(sum_j w_j z_j + theta)
      + gamma / (1 + (sum_j q_j z_j + s)^2)

with random rational coefficients, all nonzero and of mixed signs (j + 1 is taken
cyclically, and the products z_j z_{j+1} are left out where D = 1). The exponential makes
every derivative of every order nonzero and no polynomial; the sine and the random
polynomial part break every symmetry (even, odd, f(0) = 0, linear, the identity); the
products z_j z_{j+1} and the shared exponent and phase couple all inputs non-linearly.
The rational term keeps the values at shifted arguments, f(x), f(x + h), f(x + 2h), ...,
from obeying any linear recurrence with constant coefficients, as exponentials, sines
and polynomials do (a Hankel determinant of their differences would vanish for every draw).
A draw is seeded by the block's id, the sizes, the function's name and the point, so
each function, point and size gets its own, and the same block always the same ones.

Symbolically, each function is an undefined sympy function of its input entries whose
derivatives are undefined functions too; at a point, every one of them evaluates as
the point's draw does (its values and its partial derivatives, to any precision).
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache, partial
from typing import Any, Callable

import numpy as np

from ..language.shapes import Signature

Array = np.ndarray
Coefficients = dict[str, Array]   # term -> (R, D) array, or (R, 1) for c, alpha, beta, theta

# term: (smallest, largest) magnitude; k, w and q are divided by D so that the exponent,
# the phase and the rational term's argument stay of the size of one input
RANGES = {"c": (0.5, 1.5), "a": (0.3, 1.2), "b": (0.3, 1.0), "e": (0.1, 0.4),
          "g": (0.2, 0.8), "alpha": (0.5, 1.5), "k": (0.2, 0.5), "beta": (0.5, 1.5),
          "w": (0.6, 1.4), "theta": (0.3, 1.2), "gamma": (0.5, 1.5), "q": (0.3, 0.8),
          "s": (0.2, 0.9)}   # drawn in this order: a term added last leaves the others' draws
PER_OUTPUT = ("c", "alpha", "beta", "theta", "gamma", "s")


def dimensions(signature: Signature, sizes: dict[str, int]) -> tuple[int, int]:
    """(D, R): the inputs and outputs of the formula above, for one entry of an
    entry-by-entry function, else for the whole map."""
    if signature.elementwise:
        return len(signature.args), 1
    inputs = sum(r * c for r, c in (a.concrete(sizes) for a in signature.args))
    rows, cols = signature.result.concrete(sizes)
    return inputs, rows * cols


def draw(block_id: str, name: str, signature: Signature, sizes: dict[str, int],
         point: dict[str, Array]) -> Coefficients:
    """The coefficients of `name`'s draw at this point and size (exact rationals)."""
    where = ";".join(f"{k}=" + ",".join(str(v) for v in point[k].reshape(-1)) for k in sorted(point))
    return _coefficients(f"{block_id}|{sorted(sizes.items())}|{name}|{where}",
                         *dimensions(signature, sizes))


@lru_cache(maxsize=512)
def _coefficients(seed_text: str, inputs: int, outputs: int) -> Coefficients:
    """Drawn once per seed: sampling, both numeric backends and the messages share a draw.
    The arrays are shared, so callers never change them."""
    rng = random.Random(int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:8], "big"))
    out: Coefficients = {}
    for term, (low, high) in RANGES.items():
        cols = 1 if term in PER_OUTPUT else inputs
        values = np.empty((outputs, cols), dtype=object)
        for idx in np.ndindex(values.shape):
            magnitude = Fraction(rng.randint(round(100 * low), round(100 * high)), 100)
            sign = 1 if term == "theta" else rng.choice((-1, 1))
            values[idx] = sign * magnitude / (inputs if term in ("k", "w", "q") else 1)
        out[term] = values
    return out


def draws(block_id: str, functions: dict[str, Signature], sizes: dict[str, int],
          point: dict[str, Array], convert: Callable[[Fraction], Any]) -> dict[str, RandomFunction]:
    """Every abstract function's draw at a point, its coefficients made backend numbers."""
    out = {}
    for name, signature in functions.items():
        coefficients = draw(block_id, name, signature, sizes, point)
        converted = {t: np.vectorize(convert, otypes=[object])(v) for t, v in coefficients.items()}
        if isinstance(converted["c"][0, 0], float):
            converted = {t: v.astype(float) for t, v in converted.items()}
        out[name] = RandomFunction(signature, converted)
    return out


@dataclass(frozen=True)
class RandomFunction:
    """One draw of an abstract function, its coefficients the backend's numbers. An
    entry-by-entry function is one draw applied at every entry."""

    signature: Signature
    coefficients: Coefficients

    def apply(self, backend, args: list[Array], shape: tuple[int, int]) -> Array:
        z = coordinates(self.signature, args)
        values = self._values(backend, z)
        return values.reshape(shape)

    def jacobian(self, backend, args: list[Array], position: int) -> Array:
        """raw[i, j] = d out_i / d (argument `position`)_j, entries flattened row by row."""
        z = coordinates(self.signature, args)
        full = self._partials(backend, z)            # (R, D, N)
        if self.signature.elementwise:
            return elementwise_jacobian(backend, full[0, position, :], args, position)
        start = sum(a.size for a in args[:position])
        return full[:, start:start + args[position].size, 0]

    def _parts(self, backend, z: Array):
        c = self.coefficients
        exponent = _combine(c["k"], z)
        phase = _combine(c["w"], z) + c["theta"]
        bump = 1 / (1 + (_combine(c["q"], z) + c["s"]) ** 2)
        return backend.apply("exp", exponent), phase, bump

    def _values(self, backend, z: Array) -> Array:
        c = self.coefficients
        exp, phase, bump = self._parts(backend, z)
        out = (c["c"] + _combine(c["a"], z) + _combine(c["b"], z * z) + _combine(c["e"], z * z * z)
               + c["alpha"] * exp + c["beta"] * backend.apply("sin", phase) + c["gamma"] * bump)
        return out + _combine(c["g"], z * np.roll(z, -1, axis=0)) if len(z) > 1 else out

    def _partials(self, backend, z: Array) -> Array:
        c = {t: v[:, :, None] for t, v in self.coefficients.items()}
        exp, phase, bump = self._parts(backend, z)
        root = (_combine(self.coefficients["q"], z) + self.coefficients["s"])[:, None, :]
        zz = z[None]
        out = (c["a"] + 2 * c["b"] * zz + 3 * c["e"] * zz * zz
               + c["alpha"] * c["k"] * exp[:, None, :]
               + c["beta"] * c["w"] * backend.apply("cos", phase)[:, None, :]
               - 2 * c["gamma"] * c["q"] * root * bump[:, None, :] ** 2)
        if len(z) == 1:
            return out
        return (out + c["g"] * np.roll(z, -1, axis=0)[None]
                + np.roll(c["g"], 1, axis=1) * np.roll(z, 1, axis=0)[None])


def _combine(coefficients: Array, z: Array) -> Array:
    """(R, D) coefficients with (D, N) inputs -> (R, N): sum_j coefficient_j z_j."""
    return (coefficients[:, :, None] * z[None]).sum(axis=1)


def coordinates(signature: Signature, args: list[Array]) -> Array:
    """(D, N): for an entry-by-entry function, argument j at each of the N entries of the
    broadcast shape; otherwise every argument entry flattened, N = 1."""
    if signature.elementwise:
        return np.stack([a.reshape(-1) for a in np.broadcast_arrays(*args)])
    return np.concatenate([a.reshape(-1) for a in args]).reshape(-1, 1)


def elementwise_jacobian(backend, slopes: Array, args: list[Array], position: int) -> Array:
    """An entry-by-entry function's derivative by one argument: diagonal where that argument
    has the result's shape, a column where it is a scalar broadcast over the entries."""
    if args[position].size == 1:
        return slopes.reshape(-1, 1)
    out = np.empty((slopes.size, slopes.size), dtype=slopes.dtype)
    out.fill(backend.number(Fraction(0)))
    for i in range(slopes.size):
        out[i, i] = slopes[i]
    return out


class UndefinedFunctions:
    """sympy's undefined functions in place of the abstract ones, each derivative another
    undefined function (so that sympy's chain rule gives one canonical form)."""

    def __init__(self, functions: dict[str, Signature], sizes: dict[str, int]):
        self.functions = functions
        self.sizes = sizes
        self._classes: dict[str, type] = {}

    def function(self, name: str):
        import sympy
        if name not in self._classes:
            maker = self.function

            def fdiff(expr, argindex=1):
                return maker(f"{name}'{argindex}")(*expr.args)
            # `abstract` marks them: their values come from the draws, not from sympy
            self._classes[name] = type(name, (sympy.Function,), {"fdiff": fdiff, "abstract": True})
        return self._classes[name]

    def _parts(self, name: str) -> list[str]:
        outputs = dimensions(self.functions[name], self.sizes)[1]
        return [name] if outputs == 1 else [f"{name}[{r + 1}]" for r in range(outputs)]

    def __getitem__(self, name: str) -> UndefinedFunction:
        return UndefinedFunction(self.functions[name], tuple(self.function(p) for p in self._parts(name)))

    def evaluators(self, drawn: dict[str, Coefficients]) -> dict:
        """Each function's parts and their first partial derivatives -> how the draws
        evaluate them (mpmath, at the precision current when called)."""
        out = {}
        for name, coefficients in drawn.items():
            inputs = dimensions(self.functions[name], self.sizes)[0]
            draw_at = _Evaluation(RandomFunction(self.functions[name], coefficients))
            for r, part in enumerate(self._parts(name)):
                out[self.function(part)] = partial(draw_at.value, r)
                for k in range(inputs):
                    out[self.function(f"{part}'{k + 1}")] = partial(draw_at.slope, r, k)
        return out


@dataclass(frozen=True)
class UndefinedFunction:
    """An abstract function as sympy functions of its input entries, one per output entry."""

    signature: Signature
    parts: tuple

    def apply(self, backend, args: list[Array], shape: tuple[int, int]) -> Array:
        z = coordinates(self.signature, args)
        out = [part(*z[:, i]) for part in self.parts for i in range(z.shape[1])]
        return np.array(out, dtype=object).reshape(shape)

    def jacobian(self, backend, args: list[Array], position: int) -> Array:
        z = coordinates(self.signature, args)
        if self.signature.elementwise:
            slopes = np.array([self.parts[0](*z[:, i]).fdiff(position + 1)
                               for i in range(z.shape[1])], dtype=object)
            return elementwise_jacobian(backend, slopes, args, position)
        start = sum(a.size for a in args[:position])
        return np.array([[part(*z[:, 0]).fdiff(start + j + 1) for j in range(args[position].size)]
                         for part in self.parts], dtype=object)


class _Evaluation:
    """A draw evaluated at mpmath arguments: output r, or its partial by input k."""

    def __init__(self, function: RandomFunction):
        self.function = function
        self._converted: dict[int, RandomFunction] = {}

    def _at_precision(self) -> RandomFunction:
        """The coefficients as mpmath numbers at the current precision."""
        import mpmath
        prec = mpmath.mp.prec
        if prec not in self._converted:
            convert = np.vectorize(lambda v: mpmath.mpf(v.numerator) / v.denominator, otypes=[object])
            self._converted[prec] = RandomFunction(
                self.function.signature, {t: convert(v) for t, v in self.function.coefficients.items()})
        return self._converted[prec]

    def value(self, r: int, *z):
        return self._at_precision()._values(_MPMATH, np.array(z, dtype=object).reshape(-1, 1))[r, 0]

    def slope(self, r: int, k: int, *z):
        return self._at_precision()._partials(_MPMATH, np.array(z, dtype=object).reshape(-1, 1))[r, k, 0]


class _Mpmath:
    """The few operations a draw needs, in mpmath at the precision current when called."""

    def apply(self, func: str, a: Array) -> Array:
        import mpmath
        return np.vectorize(getattr(mpmath, func), otypes=[object])(a)


_MPMATH = _Mpmath()
