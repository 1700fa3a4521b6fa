"""Derived expressions made short and readable, by rewrites that keep their value: numbers
folded, signs and scalar factors moved to the front, transposes pushed towards the leaves
(`(A @ B).T` is `B.T @ A.T`), like terms collected and common factors taken out of sums
(`A @ x + A.T @ x` is `(A + A.T) @ x`), `diag` products written element-wise, and each
element-wise part (Hadamard products, quotients, powers, element-wise functions) tidied by
sympy as scalar algebra, keeping whichever form prints shortest."""
from __future__ import annotations

from fractions import Fraction

from ..language import expressions as E
from .algebra import (add, call, div, eye, is_number, kron, matmul, mul, neg, number, sub,
                      transpose, vec)
from .elementwise import tidy
from .printing import to_text
from .rules import map_children
from .shapes_of import length

PASSES = 6


def simplify(node: E.Expr) -> E.Expr:
    for _ in range(PASSES):
        new = _simplify(_collect(tidy(_simplify(node), _simplify)))
        new = _simplify(_collect(new))
        if new == node:
            break
        node = new
    return node


def _simplify(node: E.Expr) -> E.Expr:
    node = map_children(node, _simplify)
    for _ in range(20):
        new = _rewrite(node)
        if new is None:
            return node
        node = map_children(new, _simplify) if new is not node else new
    return node


def _is_scalar(node: E.Expr) -> bool:
    return node.shape.is_scalar


def _call(node: E.Expr, func: str) -> bool:
    return isinstance(node, E.Call) and node.func == func


def _rewrite(node: E.Expr) -> E.Expr | None:
    """One local rewrite of `node` (its children already simplified), or None."""
    if isinstance(node, E.Negate):
        return _flip(node.arg)
    if isinstance(node, E.Transpose):
        return _transpose(node.arg)
    if isinstance(node, E.Binary):
        return _binary(node)
    if isinstance(node, E.Call):
        return _function(node)
    if isinstance(node, E.Index) and isinstance(node.arg, E.Matrix):
        return node.arg.rows[node.row][node.col]
    return None


def _flip(node: E.Expr) -> E.Expr | None:
    """-node without a minus sign, where a number or a difference can absorb it:
    -(2 * x) is -2 * x, -(a - b) is b - a, -((a - b) @ X) is (b - a) @ X; else None."""
    if isinstance(node, E.Number):
        return number(-node.value)
    if isinstance(node, E.Negate):
        return node.arg
    if isinstance(node, E.Binary) and node.op == "-" and node.left.shape == node.right.shape:
        return E.Binary(node.shape, "-", node.right, node.left)
    if isinstance(node, E.Binary) and node.op in "*/@":
        left = _flip(node.left)
        if left is not None:
            if is_number(left, 1) and node.op in "*@" and node.right.shape == node.shape:
                return node.right
            return E.Binary(node.shape, node.op, left, node.right)
        right = _flip(node.right) if node.op in "*@" else None
        if right is not None:
            return E.Binary(node.shape, node.op, node.left, right)
    return None


def symmetric(node: E.Expr) -> bool:
    """Equal to its transpose by its form alone: `X.T @ X`, `A + A.T`, `diag(v)`, ..."""
    if isinstance(node, E.Call):
        return node.func in ("diag", "eye") or node.func == "outer" and node.args[0] == node.args[1] \
            or node.func == "inv" and symmetric(node.args[0])
    if isinstance(node, E.Binary) and node.op == "@":
        return node.left == transpose(node.right)
    if isinstance(node, E.Binary) and node.op in "+-":
        return (symmetric(node.left) and symmetric(node.right)
                or node.op == "+" and node.left == transpose(node.right))
    if isinstance(node, E.Binary) and node.op in "*/":
        return all(symmetric(c) or c.shape.is_scalar for c in (node.left, node.right))
    return isinstance(node, E.Negate) and symmetric(node.arg)


def _transpose(a: E.Expr) -> E.Expr | None:
    if a.shape.is_scalar or symmetric(a):
        return a
    if isinstance(a, E.Transpose):
        return a.arg
    if isinstance(a, E.Negate):
        return neg(transpose(a.arg))
    if isinstance(a, E.Binary):
        if a.op == "@":
            return matmul(transpose(a.right), transpose(a.left))
        if a.op in "*/" and a.right.shape.is_scalar:
            return E.Binary(a.shape.T, a.op, transpose(a.left), a.right)
        if a.op == "*" and a.left.shape.is_scalar:
            return mul(a.left, transpose(a.right))
        if a.op in "+-":
            pushed = E.Binary(a.shape.T, a.op, _simplify(transpose(a.left)), _simplify(transpose(a.right)))
            kept = E.Transpose(a.shape.T, a)
            return pushed if len(to_text(pushed)) <= len(to_text(kept)) else None
    if isinstance(a, E.Matrix):
        return E.Matrix(a.shape.T, tuple(zip(*a.rows)))
    if isinstance(a, E.Call):
        if a.func in ("diag", "eye"):
            return a
        if a.func == "outer":
            return call("outer", a.args[1], a.args[0])
        if a.func == "zeros" and len(a.sizes) == 2:
            return E.Call(a.shape.T, "zeros", (), (a.sizes[1], a.sizes[0]))
        if a.func == "kron":     # kron(A, B).T is kron(A.T, B.T), where that is no longer
            pushed = kron(*(_simplify(transpose(x)) for x in a.args))
            return pushed if len(to_text(pushed)) <= len(to_text(E.Transpose(a.shape.T, a))) else None
    return None


def _fold(op: str, a: Fraction, b: Fraction) -> Fraction | None:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b if b else None
    if op == "**" and b.denominator == 1 and abs(b) <= 8 and (a or b > 0):
        return a ** int(b)
    return None


def _binary(node: E.Binary) -> E.Expr | None:
    op, a, b = node.op, node.left, node.right
    if isinstance(a, E.Number) and isinstance(b, E.Number):
        value = _fold(op, a.value, b.value)
        return None if value is None else number(value)
    same = lambda x: x.shape == node.shape  # noqa: E731 - a term that keeps the shape
    if op in "+-" and isinstance(a, E.Matrix) and isinstance(b, E.Matrix):   # entry by entry
        return E.Matrix(node.shape, tuple(tuple(add(x, y) if op == "+" else sub(x, y)
                                                for x, y in zip(ra, rb))
                                          for ra, rb in zip(a.rows, b.rows)))
    if op in "+-" and is_number(b, 0) and same(a):
        return a
    if op == "+" and is_number(a, 0) and same(b):
        return b
    if op == "-" and is_number(a, 0) and same(b):
        return neg(b)
    if op == "*" and is_number(a, 1) and same(b) or op in "*/" and is_number(b, 1) and same(a):
        return b if is_number(a, 1) and op == "*" else a
    if op == "**" and is_number(b, 1):
        return a
    if op in "+-" and isinstance(b, E.Negate):
        return E.Binary(node.shape, "-" if op == "+" else "+", a, b.arg)
    if op == "+" and isinstance(a, E.Negate):
        return E.Binary(node.shape, "-", b, a.arg)
    if op in "*/@" and isinstance(a, E.Negate):
        return neg(E.Binary(node.shape, op, a.arg, b))
    if op in "*@" and isinstance(b, E.Negate):
        return neg(E.Binary(node.shape, op, a, b.arg))
    if op == "*" and isinstance(a, E.Number) and a.value < 0:
        flipped = _flip(b)
        if flipped is not None:
            return mul(number(-a.value), flipped)
    if op == "*" and b.shape.is_scalar and not a.shape.is_scalar:   # scalars lead
        return E.Binary(node.shape, "*", b, a)
    if op == "*" and isinstance(b, E.Binary) and b.op == "*":      # products associate left
        return mul(mul(a, b.left), b.right)
    if op == "*" and isinstance(b, E.Number) and not isinstance(a, E.Number):
        return E.Binary(node.shape, "*", b, a)
    if op == "*" and isinstance(a, E.Number) and isinstance(b, E.Binary) and b.op in "*/" \
            and isinstance(b.left, E.Number):
        return E.Binary(node.shape, b.op, number(a.value * b.left.value), b.right)
    if op == "@":
        return _product(node, a, b)
    return None


def _product(node: E.Binary, a: E.Expr, b: E.Expr) -> E.Expr | None:
    if a.shape.is_scalar or b.shape.is_scalar:
        return mul(a, b)
    if _call(a, "eye"):
        return b
    if _call(b, "eye"):
        return a
    for side, other, left in ((a, b, True), (b, a, False)):   # a scalar factor moves out
        if isinstance(side, E.Binary) and side.op == "/" and side.right.shape.is_scalar:
            inner = matmul(side.left, other) if left else matmul(other, side.left)
            return div(inner, side.right)
        if isinstance(side, E.Binary) and side.op == "*" and (side.left.shape.is_scalar
                                                             or side.right.shape.is_scalar):
            scalar, rest = (side.left, side.right) if side.left.shape.is_scalar else (side.right, side.left)
            return mul(scalar, matmul(rest, other) if left else matmul(other, rest))
    if _call(a, "diag") and _call(b, "diag"):
        return call("diag", mul(a.args[0], b.args[0]))
    if _call(a, "diag") and b.shape.cols == 1:
        return mul(a.args[0], b)
    if _call(b, "diag") and a.shape.rows == 1:
        return transpose(mul(b.args[0], transpose(a)))
    if isinstance(b, E.Binary) and b.op == "@":   # products associate to the left
        return matmul(matmul(a, b.left), b.right)
    if _is_ones_row(a) and b.shape.cols == 1:
        return call("sum", b)
    if _call(b, "ones") and b.shape.cols == 1 and a.shape.rows == 1:
        return call("sum", transpose(a))
    return None


def _is_ones_row(node: E.Expr) -> bool:
    return isinstance(node, E.Transpose) and _call(node.arg, "ones")


def _function(node: E.Call) -> E.Expr | None:
    if node.func in ("kron", "vec"):    # scalar factors out, literals and identities done
        built = kron(*node.args) if node.func == "kron" else vec(node.args[0])
        return built if built != node else None
    if node.func in ("det", "trace") and isinstance(node.args[0], E.Transpose):
        return call(node.func, node.args[0].arg)        # det(X.T) is det(X)
    if node.func == "inv" and isinstance(node.args[0], E.Transpose):
        return transpose(call("inv", node.args[0].arg))  # inv(X.T) is inv(X).T
    if node.func == "diag":
        v = node.args[0]
        if _call(v, "ones"):
            return eye(v.shape.rows)
        if isinstance(v, E.Binary) and v.op == "*" and v.left.shape.is_scalar and _call(v.right, "ones"):
            return mul(v.left, eye(v.shape.rows))
    if node.func == "sum":
        v = node.args[0]
        if isinstance(v, E.Binary) and v.op == "*" and v.shape.cols == 1 \
                and not v.left.shape.is_scalar and not v.right.shape.is_scalar:
            return matmul(transpose(v.left), v.right)
        if isinstance(v, E.Binary) and v.op == "*" and _call(v.right, "ones") and v.left.shape.is_scalar:
            return mul(length(v.right.shape), v.left)
        if _call(v, "ones"):
            return length(v.shape)
        if isinstance(v, E.Binary) and v.op == "*" and v.left.shape.is_scalar:
            return mul(v.left, call("sum", v.right))
    return None


# like terms and common factors

def _terms(node: E.Expr, sign: Fraction, out: list[tuple[Fraction, E.Expr]]) -> None:
    if isinstance(node, E.Binary) and node.op in "+-" and node.left.shape == node.right.shape:
        _terms(node.left, sign, out)
        _terms(node.right, sign if node.op == "+" else -sign, out)
    elif isinstance(node, E.Negate):
        _terms(node.arg, -sign, out)
    elif isinstance(node, E.Number):
        out.append((sign * node.value, number(1)))
    else:
        coef, rest = _coefficient(node)
        out.append((sign * coef, rest))


def _coefficient(node: E.Expr) -> tuple[Fraction, E.Expr]:
    """The number leading a chain of products, and the rest: `-2 * x * y` is (-2, x * y)."""
    if isinstance(node, E.Binary) and node.op in "*/@":
        if isinstance(node.left, E.Number) and node.op == "*" and node.right.shape == node.shape:
            return node.left.value, node.right
        coef, rest = _coefficient(node.left)
        if coef != 1:
            return coef, E.Binary(node.shape, node.op, rest, node.right)
    return Fraction(1), node


def _collect(node: E.Expr) -> E.Expr:
    node = map_children(node, _collect)
    if not (isinstance(node, E.Binary) and node.op in "+-"):
        return node
    if node.left.shape != node.right.shape:
        return node
    terms: list[tuple[Fraction, E.Expr]] = []
    _terms(node, Fraction(1), terms)
    merged: dict[E.Expr, Fraction] = {}
    for coef, term in terms:
        merged[term] = merged.get(term, Fraction(0)) + coef
    items = [(c, t) for t, c in merged.items() if c != 0]
    items = _factor(items, right=True)
    items = _factor(items, right=False)
    if not items:
        return node   # a sum that cancels: left to the checker's zero
    items.sort(key=lambda ct: ct[0] < 0)   # stable: the order f's terms came in
    out: E.Expr | None = None
    for coef, term in items:
        piece = _scaled(abs(coef), term)
        out = piece if out is None and coef > 0 else neg(piece) if out is None else (
            add(out, piece) if coef > 0 else sub(out, piece))
    assert out is not None
    return out if out.shape == node.shape else node


def _scaled(coef: Fraction, term: E.Expr) -> E.Expr:
    if is_number(term, 1):
        return number(coef)
    return term if coef == 1 else mul(number(coef), term)


def _factor(items: list[tuple[Fraction, E.Expr]], right: bool) -> list[tuple[Fraction, E.Expr]]:
    """Terms `P @ R` sharing their last factor R (first, with right=False) summed as one,
    in the place of the first of them."""
    groups: dict[E.Expr, list[tuple[Fraction, E.Expr]]] = {}
    order: list[tuple[Fraction, E.Expr] | E.Expr] = []   # a term as it is, or a group's key
    for coef, term in items:
        if isinstance(term, E.Binary) and term.op == "@":
            key, other = (term.right, term.left) if right else (term.left, term.right)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append((coef, other))
        else:
            order.append((coef, term))
    out: list[tuple[Fraction, E.Expr]] = []
    for entry in order:
        if isinstance(entry, tuple):
            out.append(entry)
            continue
        key, members = entry, groups[entry]
        if len(members) == 1:
            coef, other = members[0]
            out.append((coef, matmul(other, key) if right else matmul(key, other)))
            continue
        total: E.Expr | None = None
        members.sort(key=lambda ct: (ct[0] < 0, to_text(ct[1])))
        for coef, other in members:
            total = add(total, _scaled(coef, other)) if coef > 0 or total is None \
                else sub(total, _scaled(-coef, other))
        total = _collect(total)
        out.append((Fraction(1), matmul(total, key) if right else matmul(key, total)))
    return out
