"""Typed expressions -> values: one evaluator over numpy arrays for every backend.

Values are always 2-D numpy arrays (a scalar is 1 x 1). A backend decides what the
entries are (float64, mpmath numbers, sympy expressions) and supplies the few
operations numpy cannot do for all of them, and how to differentiate a function.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Protocol

import numpy as np

from ..language import expressions as E

Array = np.ndarray


class Backend(Protocol):
    def number(self, value: Fraction) -> Any: ...
    def pi(self) -> Any: ...
    def apply(self, func: str, a: Array) -> Array: ...           # element-wise functions
    def kink(self, func: str, a: Array, b: Array | None) -> Array: ...  # abs, step, max
    def det(self, a: Array) -> Array: ...
    def inv(self, a: Array) -> Array: ...
    def jacobian(self, g: Callable[[Array], Array], at: Array) -> Array: ...


@dataclass
class Context:
    """What evaluation needs besides the values of names."""

    backend: Backend
    sizes: dict[str, int]
    layout: str = "numerator"
    lets: dict[str, E.Expr] = field(default_factory=dict)   # in definition order
    functions: dict[str, Any] = field(default_factory=dict)  # abstract function -> its stand-in


def evaluate(node: E.Expr, values: dict[str, Array], ctx: Context) -> Array:
    """The value of a typed expression, given values of its names."""
    be = ctx.backend
    if isinstance(node, E.Number):
        return _full((1, 1), be.number(node.value))
    if isinstance(node, E.Name):
        return values[node.name]
    if isinstance(node, E.SizeNumber):
        return _full((1, 1), be.number(Fraction(ctx.sizes[node.letter])))
    if isinstance(node, E.Negate):
        return -evaluate(node.arg, values, ctx)
    if isinstance(node, E.Transpose):
        return evaluate(node.arg, values, ctx).T
    if isinstance(node, E.Binary):
        a, b = evaluate(node.left, values, ctx), evaluate(node.right, values, ctx)
        if node.op == "@":
            return a @ b
        return _binary(node.op, a, b)
    if isinstance(node, E.Call):
        return _call(node, [evaluate(a, values, ctx) for a in node.args], ctx)
    if isinstance(node, E.Apply):
        args = [evaluate(a, values, ctx) for a in node.args]
        return ctx.functions[node.func].apply(be, args, node.shape.concrete(ctx.sizes))
    if isinstance(node, E.Derivative):
        return derivative(node, values, ctx)
    if isinstance(node, E.Matrix):
        out = np.array([[evaluate(e, values, ctx)[0, 0] for e in row] for row in node.rows],
                       dtype=object)
        return out.astype(float) if isinstance(out[0, 0], float) else out
    if isinstance(node, E.Index):
        return _full((1, 1), evaluate(node.arg, values, ctx)[node.row, node.col])
    raise TypeError(f"cannot evaluate {type(node).__name__}")


def _binary(op: str, a: Array, b: Array) -> Array:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    return a ** b


def _full(shape: tuple[int, int], value: Any) -> Array:
    out = np.empty(shape, dtype=object if not isinstance(value, float) else float)
    out.fill(value)
    return out


def _call(node: E.Call, args: list[Array], ctx: Context) -> Array:
    be, func = ctx.backend, node.func
    if func == "pi":
        return _scalar(be.pi())
    if func in ("ones", "zeros", "eye"):
        rows, cols = node.shape.concrete(ctx.sizes)
        one, zero = be.number(Fraction(1)), be.number(Fraction(0))
        if func == "eye":
            out = _full((rows, cols), zero)
            for i in range(rows):
                out[i, i] = one
            return out
        return _full((rows, cols), one if func == "ones" else zero)
    if func in ("abs", "step", "sign"):
        return be.kink(func, args[0], None)
    if func == "max":
        return be.kink("max", *np.broadcast_arrays(*args))
    if func == "concat":
        return np.concatenate(args, axis=0)
    if func == "sigmoid":
        one = be.number(Fraction(1))
        return one / (one + be.apply("exp", -args[0]))
    if func in ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sinh", "cosh", "arctan",
                "erf"):
        return be.apply(func, args[0])
    if func == "vec":
        return vec(args[0])
    if func == "kron":
        return _kron(args[0], args[1])
    a = args[0]
    if func == "sum":
        return _scalar(a.sum())
    if func == "dot":
        return _scalar((a * args[1]).sum())
    if func == "norm":
        return be.apply("sqrt", _scalar((a * a).sum()))
    if func == "outer":
        return a @ args[1].T
    if func == "diag":
        out = _full((a.shape[0], a.shape[0]), be.number(Fraction(0)))
        for i in range(a.shape[0]):
            out[i, i] = a[i, 0]
        return out
    if func == "trace":
        return _scalar(np.trace(a))
    if func == "det":
        return be.det(a)
    if func == "inv":
        return be.inv(a)
    if func == "softmax":
        e = be.apply("exp", a)
        return e / e.sum()
    if func == "logsumexp":
        return be.apply("log", _scalar(be.apply("exp", a).sum()))
    raise TypeError(f"cannot evaluate function {func}")


def vec(a: Array) -> Array:
    """The columns of `a` stacked into one column (Fortran order, as Magnus and Neudecker)."""
    return a.reshape(-1, 1, order="F")


def unvec(v: Array, shape: tuple[int, int]) -> Array:
    """The inverse of `vec`: a column back into a matrix of `shape`, column after column."""
    return v.reshape(shape, order="F")


def _kron(a: Array, b: Array) -> Array:
    """Block (i, j) is a[i, j] * b: numpy's kron, entry by entry for any backend's numbers."""
    rows = [np.concatenate([a[i, j] * b for j in range(a.shape[1])], axis=1)
            for i in range(a.shape[0])]
    return np.concatenate(rows, axis=0)


def _scalar(value: Any) -> Array:
    return _full((1, 1), value)


def settle_lets(values: dict[str, Array], ctx: Context, fixed: str | None = None) -> dict[str, Array]:
    """Values of every let name computed from the variables, in order.

    With `fixed`, that let keeps the value given and only the lets after it are recomputed.
    """
    out = dict(values)
    names = list(ctx.lets)
    start = names.index(fixed) + 1 if fixed in ctx.lets else 0
    for name in names[start:]:
        out[name] = evaluate(ctx.lets[name], out, ctx)
    return out


def derivative(node: E.Derivative, values: dict[str, Array], ctx: Context) -> Array:
    """`d(y, x)`: y with every let recomputed from x; `pd(y, x)`: y's own definition,
    the other names held at their values; an abstract function's own derivative: its
    stand-in's Jacobian at the arguments."""
    of, wrt = node.of, node.wrt
    if node.function is not None:   # an abstract function's own derivative, from its stand-in
        args = [evaluate(a, values, ctx) for a in ctx.lets[of].args]
        raw = ctx.functions[node.function].jacobian(ctx.backend, args, node.position)
        return arrange(raw, values[of].shape, values[wrt].shape, ctx.layout)
    if node.total:
        def g(v: Array) -> Array:
            return settle_lets({**values, wrt: v}, ctx, fixed=wrt)[of] if of != wrt else v
    else:
        def g(v: Array) -> Array:
            return evaluate(ctx.lets[of], {**values, wrt: v}, ctx)
    raw = ctx.backend.jacobian(g, values[wrt])
    return arrange(raw, values[of].shape, values[wrt].shape, ctx.layout)


def second_derivative(backend: Backend, g: Callable[[Array], Array], at: Array) -> Array:
    """raw[i, j] = d^2 g / d at_i d at_j of a scalar g: the Jacobian of its gradient (the
    Hessian, the same in both layouts)."""
    return backend.jacobian(lambda v: backend.jacobian(g, v).reshape(-1, 1), at)


def arrange(raw: Array, f_shape: tuple[int, int], x_shape: tuple[int, int], layout: str) -> Array:
    """Lay out raw[i, j] = d f_i / d x_j (entries flattened row by row) as the layout says.

    Mirrors `shapes.derivative_shape`: scalar by matrix(m, n) is n x m and anything by a
    scalar has its own shape in numerator layout; denominator layout transposes each.
    """
    f_scalar, x_scalar = f_shape == (1, 1), x_shape == (1, 1)
    x_matrix = min(x_shape) > 1
    if f_scalar and x_matrix:
        out = raw.reshape(x_shape).T
    elif x_scalar:
        out = raw.reshape(f_shape)   # f's own shape, a row included
    else:
        out = raw
    return out.T if layout == "denominator" else out



def unarrange(out: Array, f_shape: tuple[int, int], x_shape: tuple[int, int], layout: str) -> Array:
    """The inverse of `arrange`: raw[i, j] = d f_i / d x_j from a derivative in its layout."""
    out = out.T if layout == "denominator" else out
    if f_shape == (1, 1) and min(x_shape) > 1:
        return out.T.reshape(1, -1)
    if x_shape == (1, 1):
        return out.reshape(-1, 1)
    return out
