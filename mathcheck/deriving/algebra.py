"""Typed nodes built for a derivation: each constructor computes the shape, and `None`
stands for a zero of any shape, so that the rules never write `0 * ...` terms."""
from __future__ import annotations

from fractions import Fraction

from ..language import expressions as E
from ..language.shapes import SCALAR, Dim, Shape, multiply_dims

Maybe = E.Expr | None   # None: zero


def number(value) -> E.Number:
    return E.Number(SCALAR, Fraction(value))


def is_number(node: Maybe, value=None) -> bool:
    return isinstance(node, E.Number) and (value is None or node.value == value)


def _broadcast(a: E.Expr, b: E.Expr) -> Shape:
    return b.shape if a.shape.is_scalar else a.shape


def neg(a: Maybe) -> Maybe:
    if a is None:
        return None
    if isinstance(a, E.Number):
        return number(-a.value)
    if isinstance(a, E.Negate):
        return a.arg
    return E.Negate(a.shape, a)


def add(a: Maybe, b: Maybe) -> Maybe:
    if a is None:
        return b
    if b is None:
        return a
    return E.Binary(_broadcast(a, b), "+", a, b)


def sub(a: Maybe, b: Maybe) -> Maybe:
    if b is None:
        return a
    if a is None:
        return neg(b)
    return E.Binary(_broadcast(a, b), "-", a, b)


def mul(a: Maybe, b: Maybe) -> Maybe:
    """Element-wise product, a scalar broadcasting."""
    if a is None or b is None:
        return None
    if is_number(a, 1) and (b.shape == a.shape or not b.shape.is_scalar):
        return b
    if is_number(b, 1) and (a.shape == b.shape or not a.shape.is_scalar):
        return a
    return E.Binary(_broadcast(a, b), "*", a, b)


def div(a: Maybe, b: E.Expr) -> Maybe:
    if a is None:
        return None
    if is_number(b, 1) and not a.shape.is_scalar:
        return a
    return E.Binary(_broadcast(a, b), "/", a, b)


def power(a: E.Expr, b: E.Expr) -> E.Expr:
    if is_number(b, 1):
        return a
    return E.Binary(_broadcast(a, b), "**", a, b)


def matmul(a: Maybe, b: Maybe) -> Maybe:
    if a is None or b is None:
        return None
    if a.shape.is_scalar and b.shape.rows == 1:
        return mul(a, b)
    if b.shape.is_scalar and a.shape.cols == 1:
        return mul(a, b)
    if _is_eye(a):
        return b
    if _is_eye(b):
        return a
    return E.Binary(Shape(a.shape.rows, b.shape.cols), "@", a, b)


def transpose(a: Maybe) -> Maybe:
    if a is None:
        return None
    if a.shape.is_scalar:
        return a
    if isinstance(a, E.Transpose):
        return a.arg
    if isinstance(a, E.Matrix):
        return E.Matrix(a.shape.T, tuple(zip(*a.rows)))
    return E.Transpose(a.shape.T, a)


def call(func: str, *args: E.Expr) -> E.Expr:
    """A known function applied, its shape as the parser gives it."""
    if func == "pi":
        return E.Call(SCALAR, func, ())
    a = args[0].shape
    if func in ("sum", "norm", "dot", "trace", "det", "logsumexp"):
        shape = SCALAR
    elif func == "diag":
        shape = Shape(a.rows, a.rows)
    elif func == "outer":
        shape = Shape(a.rows, args[1].shape.rows)
    elif func == "vec":
        shape = Shape(_product(a.rows, a.cols), 1)
    elif func == "kron":
        b = args[1].shape
        shape = Shape(_product(a.rows, b.rows), _product(a.cols, b.cols))
    elif func == "max":
        shape = _broadcast(args[0], args[1])
    else:   # element-wise, softmax, inv
        shape = a
    return E.Call(shape, func, args)


def _product(a: Dim, b: Dim) -> Dim:
    product = multiply_dims(a, b)
    assert product is not None, "the parser multiplied these sizes"
    return product


def ones(shape: Shape) -> E.Expr:
    if shape.is_scalar:
        return number(1)
    if shape.rows == 1:
        return transpose(ones(shape.T))
    sizes: tuple[Dim, ...] = (shape.rows,) if shape.cols == 1 else (shape.rows, shape.cols)
    return E.Call(shape, "ones", (), sizes)


def zeros(shape: Shape) -> E.Expr:
    if shape.is_scalar:
        return number(0)
    if shape.rows == 1:
        return transpose(zeros(shape.T))
    sizes: tuple[Dim, ...] = (shape.rows,) if shape.cols == 1 else (shape.rows, shape.cols)
    return E.Call(shape, "zeros", (), sizes)


def eye(dim: Dim) -> E.Expr:
    return number(1) if dim == 1 else E.Call(Shape(dim, dim), "eye", (), (dim,))


def _is_eye(node: E.Expr) -> bool:
    return isinstance(node, E.Call) and node.func == "eye"


def vec(node: Maybe) -> Maybe:
    """vec(node), written out where that is shorter: a column is itself, a row its
    transpose, a literal its entries column after column, a scalar factor stays in front."""
    if node is None or node.shape.cols == 1:
        return node
    if node.shape.rows == 1:
        return transpose(node)
    if isinstance(node, E.Call) and node.func in ("ones", "zeros"):
        return E.Call(Shape(_product(*node.sizes), 1), node.func, (),
                      (_product(*node.sizes),))
    if isinstance(node, E.Matrix):
        return E.Matrix(Shape(len(node.rows) * len(node.rows[0]), 1),
                        tuple((row[j],) for j in range(len(node.rows[0])) for row in node.rows))
    if isinstance(node, E.Binary) and node.op in "*/" and node.right.shape.is_scalar:
        return E.Binary(Shape(_product(node.shape.rows, node.shape.cols), 1), node.op,
                        vec(node.left), node.right)
    if isinstance(node, E.Binary) and node.op == "*" and node.left.shape.is_scalar:
        return mul(node.left, vec(node.right))
    if isinstance(node, E.Negate):
        return neg(vec(node.arg))
    if isinstance(node, E.Binary) and node.op == "@" and node.left.shape.cols == 1:
        return kron(transpose(node.right), node.left)     # vec(u w^T) = kron(w, u)
    return call("vec", node)


def kron(a: Maybe, b: Maybe) -> Maybe:
    """kron(a, b), a scalar factor of either taken out; of two literals, the literal; of
    two identities, the identity."""
    if a is None or b is None:
        return None
    if a.shape.is_scalar or b.shape.is_scalar:
        return mul(a, b)
    for side, other, first in ((a, b, True), (b, a, False)):
        if isinstance(side, E.Binary) and side.op in "*/" and (
                side.left.shape.is_scalar or side.right.shape.is_scalar):
            factor, rest = (side.left, side.right) if side.left.shape.is_scalar and \
                side.op == "*" else (side.right, side.left)
            product = kron(rest, other) if first else kron(other, rest)
            return mul(factor, product) if side.op == "*" else div(product, factor)
        if isinstance(side, E.Negate):
            return neg(kron(side.arg, other) if first else kron(other, side.arg))
    if isinstance(a, E.Matrix) and isinstance(b, E.Matrix):
        rows = tuple(tuple(mul(x, y) for x in row_a for y in row_b)
                     for row_a in a.rows for row_b in b.rows)
        return E.Matrix(Shape(len(rows), len(rows[0])), rows)
    if _is_eye(a) and _is_eye(b):
        return eye(_product(a.shape.rows, b.shape.rows))
    return call("kron", a, b)


def column(node: E.Expr) -> E.Expr:
    """A vector as a column (a row transposed)."""
    return transpose(node) if node.shape.rows == 1 and not node.shape.is_scalar else node


def scale_rows(v: Maybe, m: Maybe) -> Maybe:
    """diag(v) @ m for a column v (v * m where m is a column of v's shape, or v a scalar)."""
    if v is None or m is None:
        return None
    if v.shape.is_scalar or m.shape == v.shape:
        return mul(v, m)
    return matmul(call("diag", column(v)), m)
