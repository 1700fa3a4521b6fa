"""Jacobians by vec(X): a differential read as a matrix times vec(dX).

Forward mode with a tangent `dX` in place of X gives the differential dF, linear in dX;
each of its terms is vectorised with `vec(A @ dX @ B) = kron(B.T, A) @ vec(dX)`,
`vec(a * dX) = diag(vec(a)) @ vec(dX)` and `vec(s * M) = vec(M) @ s` (s a scalar), the
factors collected with the mixed product `kron(A, B) @ kron(C, D) = kron(A @ C, B @ D)`.
A term with `dX.T` in it needs the commutation matrix, which the language cannot write
for a matrix of letter sizes: such f are underived, with that reason.
"""
from __future__ import annotations

from ..language import expressions as E
from ..language.shapes import Shape
from .algebra import Maybe, call, eye, kron, matmul, mul, neg, ones, vec
from .algebra import add, sub, transpose
from .rules import Forward, Graph, Underivable, map_children

TANGENT = "d X"   # a name no block can write: every occurrence is read off before printing


def jacobian(graph: Graph, f: E.Expr) -> Maybe:
    """d vec(f) / d vec(X)^T (numerator layout) for any f that depends on X = graph.wrt."""
    dx = E.Name(graph.shapes[graph.wrt], TANGENT)
    return _eyes(_linear(Forward(graph, dx).of(f), dx))


def _eyes(node: Maybe) -> Maybe:
    """kron(eye(n), eye(m)) left over as eye(m*n)."""
    if node is None:
        return None
    if _is_identity(node):
        return eye(node.shape.rows)
    return map_children(node, _eyes)


def _eye(node: E.Expr) -> bool:
    return isinstance(node, E.Call) and node.func == "eye"


def _compose(k: E.Expr, j: Maybe) -> Maybe:
    """k @ j, two krons of conforming factors multiplied factor by factor."""
    if j is None:
        return None
    if _is_identity(j):
        return k
    if isinstance(j, E.Call) and j.func == "kron" and not (isinstance(k, E.Call)
                                                          and k.func == "kron"):
        b, a = j.args
        if isinstance(k, E.Transpose) and isinstance(k.arg, E.Call) and k.arg.func == "vec":
            # vec(C).T @ kron(B, A) = vec(A.T @ C @ B).T
            return transpose(call("vec", matmul(matmul(transpose(a), k.arg.args[0]), b)))
        if b.shape.rows == 1:       # k as kron(1, k)
            return kron(b, matmul(k, a))
        if a.shape.rows == 1:       # k as kron(k, 1)
            return kron(matmul(k, b), a)
    if isinstance(k, E.Call) and k.func == "kron" and isinstance(j, E.Call) and j.func == "kron" \
            and k.args[0].shape.cols == j.args[0].shape.rows \
            and k.args[1].shape.cols == j.args[1].shape.rows:
        return kron(matmul(k.args[0], j.args[0]), matmul(k.args[1], j.args[1]))
    return matmul(k, j)


def _is_identity(node: E.Expr) -> bool:
    return isinstance(node, E.Call) and node.func == "kron" and all(map(_eye, node.args))


def _identity(shape: Shape) -> E.Expr:
    """d vec(X) / d vec(X)^T, as a kron so that products with it compose."""
    if shape.cols == 1 or shape.rows == 1:
        return eye(shape.rows if shape.cols == 1 else shape.cols)
    return call("kron", eye(shape.cols), eye(shape.rows))


def _depends(node: E.Expr, dx: E.Name) -> bool:
    return node == dx or any(_depends(c, dx) for c in E.children(node))


def _linear(d: Maybe, dx: E.Name) -> Maybe:
    """J with vec(d) = J @ vec(dx), for d linear in dx."""
    if d is None:
        return None
    if d == dx:
        return _identity(dx.shape)
    if isinstance(d, E.Negate):
        return neg(_linear(d.arg, dx))
    if isinstance(d, E.Transpose):
        if d.shape.cols == 1 or d.shape.rows == 1:
            return _linear(d.arg, dx)
        inner = _transposed(d.arg)
        if inner is not None:
            return _linear(inner, dx)
        raise Underivable("the differential has a transposed dX in a matrix term "
                          "(its Jacobian by vec(X) needs the commutation matrix, which the "
                          "language writes only as a literal of fixed sizes)")
    if isinstance(d, E.Binary):
        return _binary(d, dx)
    if isinstance(d, E.Call):
        return _call(d, dx)
    raise Underivable(f"no rule reads the differential of `{type(d).__name__}` as a "
                      "Jacobian by vec(X)")


def _sum(a: Maybe, b: Maybe) -> Maybe:
    """a + b, krons with a factor in common added as one: kron(I, A) + kron(I, A.T) is
    kron(I, A + A.T)."""
    if isinstance(a, E.Call) and a.func == "kron" and isinstance(b, E.Call) and b.func == "kron":
        if a.args[0] == b.args[0]:
            return kron(a.args[0], add(a.args[1], b.args[1]))
        if a.args[1] == b.args[1]:
            return kron(add(a.args[0], b.args[0]), a.args[1])
    if isinstance(b, E.Negate):
        return sub(a, b.arg)
    return add(a, b)


def _transposed(e: E.Expr) -> Maybe:
    """e.T with the transpose moved inside, towards dX; None where it cannot move."""
    if isinstance(e, E.Binary) and e.op == "@":
        return matmul(transpose(e.right), transpose(e.left))
    if isinstance(e, E.Binary) and e.op in "+-*/" and (e.left.shape == e.right.shape
                                                      or e.right.shape.is_scalar):
        return E.Binary(e.shape.T, e.op, transpose(e.left), transpose(e.right))
    if isinstance(e, E.Binary) and e.op == "*" and e.left.shape.is_scalar:
        return mul(e.left, transpose(e.right))
    if isinstance(e, E.Negate):
        return neg(transpose(e.arg))
    if isinstance(e, E.Call) and e.func == "kron":
        return call("kron", transpose(e.args[0]), transpose(e.args[1]))
    return None


def _binary(d: E.Binary, dx: E.Name) -> Maybe:
    a, b, op = d.left, d.right, d.op
    if op in "+-":
        if a.shape != b.shape:
            raise Underivable("a scalar broadcast over an array in the differential by vec(X)")
        ja = _linear(a, dx) if _depends(a, dx) else None
        jb = _linear(b, dx) if _depends(b, dx) else None
        return _sum(ja, jb) if op == "+" else _sum(ja, neg(jb))
    if op == "@":
        if _depends(a, dx) and _depends(b, dx):
            raise Underivable("a product of two differentials (not linear in dX)")
        if (d.shape.cols == 1 or d.shape.rows == 1) and any(
                isinstance(p, E.Transpose) and not p.shape.is_vector and _depends(p, dx)
                for p in (a, b)):      # a vector is its own transpose's vec: dX^T u as u^T dX
            return _linear(matmul(transpose(b), transpose(a)), dx)
        if _depends(b, dx):     # A @ e: vec(A e) = kron(I, A) vec(e)
            return _compose(kron(eye(b.shape.cols), a), _linear(b, dx))
        return _compose(kron(transpose(b), eye(a.shape.rows)), _linear(a, dx))
    if op == "*":     # (forward mode writes a quotient's differential as products)
        if _depends(a, dx) and _depends(b, dx):
            raise Underivable("a product of two differentials (not linear in dX)")
        e, c = (a, b) if _depends(a, dx) else (b, a)
        e = _spread(e)
        j = _linear(e, dx)
        if c.shape.is_scalar:
            return mul(c, j)
        if e.shape.is_scalar:   # vec(c * s) = vec(c) @ ds
            return matmul(vec(c), j)
        return matmul(call("diag", vec(c)), j)
    raise Underivable(f"`{op}` of the differential by vec(X)")


def _spread(e: E.Expr) -> E.Expr:
    """A scalar broadcast over an array (`s * ones(m, n)`) as the scalar."""
    if isinstance(e, E.Binary) and e.op == "*" and not e.shape.is_scalar:
        for s, o in ((e.left, e.right), (e.right, e.left)):
            if s.shape.is_scalar and isinstance(o, E.Call) and o.func == "ones":
                return s
    return e


def _call(d: E.Call, dx: E.Name) -> Maybe:
    args = d.args
    if d.func == "vec":
        return _linear(args[0], dx)
    if d.func == "trace":
        return _compose(transpose(vec(eye(args[0].shape.rows))), _linear(args[0], dx))
    if d.func == "sum":
        return _compose(transpose(ones(Shape(_length(args[0]), 1))), _linear(args[0], dx))
    if d.func in ("kron", "outer", "dot") and all(a.shape.cols == 1 for a in args):
        first = _depends(args[0], dx)
        if first and _depends(args[1], dx):
            raise Underivable("a product of two differentials (not linear in dX)")
        e, c = (args[0], args[1]) if first else (args[1], args[0])
        j = _linear(e, dx)
        if d.func == "dot":
            return _compose(transpose(c), j)
        if d.func == "outer":   # vec(e c^T) = kron(c, I) e; vec(c e^T) = kron(I, c) e
            k = kron(c, eye(e.shape.rows)) if first else kron(eye(e.shape.rows), c)
        else:                   # kron(e, c) = kron(I, c) e; kron(c, e) = kron(c, I) e
            k = kron(eye(e.shape.rows), c) if first else kron(c, eye(e.shape.rows))
        return _compose(k, j)
    raise Underivable(f"`{d.func}` in the differential by vec(X) (its Jacobian by vec(X) "
                      "is not written in matrix form by these rules)")


def _length(node: E.Expr):
    return call("vec", node).shape.rows if node.shape.cols != 1 else node.shape.rows

