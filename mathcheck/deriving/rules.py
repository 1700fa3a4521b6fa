"""The rule table: the differential of each node type, one small method per node (and one
per known function), as sympy's printers dispatch.

Two directions over the block's `let` graph, each let differentiated once and named in
the result, so that what is derived reads like what an author writes:
- `Gradient` (reverse): for a scalar f, the adjoint of every node, shaped like the node,
  from `d f = tr(G^T dX)`; it reaches a vector or matrix variable in matrix form.
- `Forward`: for a scalar variable, the tangent of every node (any shape); for a vector
  variable, the Jacobian of every scalar or vector node (its rows, one per entry).

Adding to the language adds entries here: a new element-wise function is one line of
`SLOPES`; a new node type or a new function (`vec`, `kron`) is a `_<Node>` or
`_call_<name>` method of each direction. `Forward` also runs with a matrix tangent in
place of a matrix variable (the differential that `vectorize` reads by vec(X)), and a
second derivative (`order: 2`) applies `Forward` to the derivative already derived.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ..language import expressions as E
from ..language.claims import Claim
from ..language.shapes import LayoutError, Shape, derivative_shape
from .algebra import (Maybe, add, call, column, div, eye, is_number, kron, matmul, mul, neg, number,
                      ones, power, scale_rows, sub, transpose, vec, zeros)


class Underivable(Exception):
    """f has a part the rules cannot differentiate in matrix form; the message says why."""


Step = Callable[[E.Expr], Maybe]   # step(a), or 1 or 0 where an assumption fixes a's sign

# d/da of each element-wise function, from its argument a, its value y and `step`
SLOPES: dict[str, Callable[[E.Expr, E.Expr, Step], Maybe]] = {
    "sin": lambda a, y, step: call("cos", a),
    "cos": lambda a, y, step: neg(call("sin", a)),
    "tan": lambda a, y, step: div(number(1), power(call("cos", a), number(2))),
    "exp": lambda a, y, step: y,
    "log": lambda a, y, step: div(number(1), a),
    "sqrt": lambda a, y, step: div(number(1), mul(number(2), y)),
    "tanh": lambda a, y, step: sub(number(1), power(y, number(2))),
    "sigmoid": lambda a, y, step: mul(y, sub(number(1), y)),
    "sinh": lambda a, y, step: call("cosh", a),
    "cosh": lambda a, y, step: call("sinh", a),
    "arctan": lambda a, y, step: div(number(1), add(number(1), power(a, number(2)))),
    "erf": lambda a, y, step: mul(div(number(2), call("sqrt", call("pi"))),
                                  call("exp", neg(power(a, number(2))))),
    "abs": lambda a, y, step: call("sign", a),
    "step": lambda a, y, step: None,   # zero on each side of its kink
    "sign": lambda a, y, step: None,
}


class Graph:
    """The block's names: f and every let, folded so that a subexpression equal to a let's
    value is that let's name (the rules then see `l(y)`, not `l(W @ x + b)`)."""

    def __init__(self, claim: Claim, wrt: str):
        self.claim, self.wrt = claim, wrt
        self.shapes = {**claim.vars, **{n: v.shape for n, v in claim.lets}}
        self.order = [n for n, _ in claim.lets]
        self.values: dict[str, E.Expr] = {}
        self.table: dict[E.Expr, E.Name] = {}
        inlined: dict[str, E.Expr] = {}
        for name, value in claim.lets:
            full = vector_forms(inline(value, inlined))
            inlined[name] = full
            if isinstance(value, E.Apply):   # its arguments as written: `pd` names them
                self.values[name] = _replace(value, args=tuple(
                    a if isinstance(a, E.Name) else fold(vector_forms(inline(a, inlined)), self.table)
                    for a in value.args))
            else:
                self.values[name] = fold(full, self.table)
            if not isinstance(full, (E.Name, E.Number, E.SizeNumber)):
                self.table.setdefault(full, E.Name(value.shape, name))
        self.inlined = inlined
        self.f = fold(vector_forms(inline(claim.f, inlined)), self.table)
        self._depends: dict[str, bool] = {}
        self.signs = self._signs()
        self.symmetric = {a.name for a in claim.assumptions if a.prop in ("symmetric", "spd")}

    def depends(self, node: Maybe) -> bool:
        if node is None:
            return False
        if isinstance(node, E.Name):
            if node.name == self.wrt:
                return True
            if node.name in self.values:
                if node.name not in self._depends:
                    self._depends[node.name] = self.depends(self.values[node.name])
                return self._depends[node.name]
            return False
        return any(self.depends(c) for c in E.children(node))

    def _signs(self) -> dict[E.Expr, int]:
        """Expressions whose sign an assumption fixes everywhere (`w.T @ x + b > 0`)."""
        signs: dict[E.Expr, int] = {}
        for a in self.claim.assumptions:
            parts = a.condition.parts if isinstance(a.condition, E.AllOf) else (a.condition,)
            for part in parts:
                if isinstance(part, E.Compare) and part.op in "<>":
                    sign = 1 if part.op == ">" else -1
                    left, right = (inline(side, self.inlined) for side in (part.left, part.right))
                    if is_number(right, 0):
                        signs[left] = sign
                    else:
                        signs[E.Binary(left.shape, "-", left, right)] = sign
                        signs[E.Binary(left.shape, "-", right, left)] = -sign
        return signs

    def sign_step(self, arg: E.Expr) -> Maybe:
        return self.step(arg, None)

    def settle(self, node: E.Expr) -> E.Expr:
        """What the assumptions fix, written out: `step`, `abs` and `max(0, .)` of an
        expression of known sign, and `A.T` for a matrix assumed symmetric. (They restrict
        where the result is checked, as they restrict a claim, never how it was derived.)"""
        node = map_children(node, self.settle)
        if isinstance(node, E.Transpose) and isinstance(node.arg, E.Name) \
                and node.arg.name in self.symmetric:
            return node.arg
        if isinstance(node, E.Call) and node.func in ("step", "sign", "abs", "max"):
            args = [a for a in node.args if not is_number(a, 0)]
            if len(args) == 1 and args[0].shape == node.shape:
                sign = self._sign(args[0])
                if sign and node.func == "step":
                    return ones(node.shape) if sign > 0 else zeros(node.shape)
                if sign and node.func == "sign":
                    return ones(node.shape) if sign > 0 else neg(ones(node.shape))
                if sign and node.func == "abs":
                    return args[0] if sign > 0 else neg(args[0])
                if sign and node.func == "max" and len(node.args) == 2:
                    return args[0] if sign > 0 else zeros(node.shape)
        return node

    def _sign(self, arg: E.Expr) -> int:
        full = inline(arg, self.inlined)
        if full in self.signs:
            return self.signs[full]
        if isinstance(full, E.Name):
            return self.claim.sign_of(full.name)
        return 0

    def step(self, a: Maybe, b: Maybe) -> Maybe:
        """step(a - b), or 1 or 0 (None) where an assumption fixes the sign."""
        arg = neg(b) if is_number(a, 0) else a if b is None or is_number(b, 0) else sub(a, b)
        if arg is None or a == b:
            raise Underivable("`max` of two equal arguments has a kink everywhere")
        sign = self._sign(arg) or -self.signs.get(inline(neg(arg), self.inlined), 0)
        if sign:
            return ones(arg.shape) if sign > 0 else None
        return call("step", arg)

    def derivative(self, of: str, k: int) -> tuple[E.Expr, bool]:
        """An abstract function's own derivative at `of` (a let defined as one application)
        by its argument k, as a numerator-layout Jacobian, and whether it is symmetric (the
        diagonal Jacobian of an element-wise function of a vector)."""
        value = self.values[of]
        assert isinstance(value, E.Apply)
        arg = value.args[k]
        if not isinstance(arg, E.Name):
            raise Underivable(
                f"`{of}` applies `{value.func}` to an expression that depends on "
                f"`{self.wrt}`; name that argument with a `let` (`u: ...`, then `{of}: "
                f"{value.func}(u)`) so that its derivative can be written `pd({of}, u)`")
        try:
            shape = derivative_shape(self.shapes[of], arg.shape, self.claim.layout)
        except LayoutError:
            raise Underivable(
                f"the derivative of `{of}` by `{arg.name}` (an abstract function of a matrix "
                "with a matrix value) is a four-way array, which the language cannot write") from None
        term = E.Derivative(shape, len(value.args) == 1, of, arg.name, value.func, k)
        square = self.claim.functions[value.func].elementwise and shape.rows == shape.cols
        if self.claim.layout == "numerator" or square:
            return term, square
        return transpose(term), square


def symmetric_terms(node: E.Expr, graph: Graph) -> E.Expr:
    """`d(y, x).T` as `d(y, x)` where y is an element-wise abstract function of a vector x
    (its Jacobian is diagonal)."""
    if isinstance(node, E.Transpose) and isinstance(node.arg, E.Derivative) \
            and node.arg.function is not None and node.shape.rows == node.shape.cols \
            and graph.claim.functions[node.arg.function].elementwise:
        return node.arg
    return map_children(node, lambda c: symmetric_terms(c, graph))


def inline(node: E.Expr, lets: dict[str, E.Expr]) -> E.Expr:
    """Every let name replaced by its (inlined) value."""
    if isinstance(node, E.Name) and node.name in lets:
        return lets[node.name]
    return map_children(node, lambda c: inline(c, lets))


def vector_forms(node: E.Expr) -> E.Expr:
    """Matrices of a vector rewritten away where a product makes them vectors again, so
    that no derivative is a three-way array or a slice: `outer(u, v) @ w` is
    `(v.T @ w) * u`, `diag(v) @ w` is `v * w`, and `concat(a, b).T @ concat(c, d)` is
    `a.T @ c + b.T @ d` (pieces of equal shapes)."""
    node = map_children(node, vector_forms)
    if isinstance(node, E.Binary) and node.op == "@" and isinstance(node.left, E.Call) \
            and node.right.shape.cols == 1:
        if node.left.func == "outer":
            u, v = node.left.args
            return mul(matmul(transpose(v), node.right), u)
        if node.left.func == "diag":
            return mul(node.left.args[0], node.right)
    if isinstance(node, E.Binary) and node.op == "@" and isinstance(node.left, E.Transpose):
        pair = (node.left.arg, node.right)
    elif isinstance(node, E.Call) and node.func == "dot":
        pair = node.args
    else:
        return node
    a, b = pair
    if not (isinstance(a, E.Call) and a.func == "concat" and isinstance(b, E.Call)
            and b.func == "concat" and len(a.args) == len(b.args)
            and all(p.shape == q.shape for p, q in zip(a.args, b.args))):
        return node
    total: Maybe = None
    for p, q in zip(a.args, b.args):
        total = add(total, matmul(transpose(p), q))
    return total


def fold(node: E.Expr, table: dict, key: Callable[[E.Expr], object] = lambda n: n) -> E.Expr:
    """The largest subexpressions equal to a let's value (by `key`) replaced by its name."""
    found = table.get(key(node))
    if found is not None:
        return found
    return map_children(node, lambda c: fold(c, table, key))


def canonical(node: E.Expr) -> object:
    """A key equal for expressions that differ only in the order of terms and element-wise
    factors (`W @ x + b` and `b + W @ x`)."""
    if isinstance(node, E.Binary) and node.op in "+*":
        parts: list[E.Expr] = []
        _flatten(node, node.op, parts)
        return (node.op, node.shape, tuple(sorted((canonical(p) for p in parts), key=repr)))
    if not E.children(node):
        return node
    return (type(node).__name__, map_children(node, lambda c: c),
            tuple(canonical(c) for c in E.children(node)))


def _flatten(node: E.Expr, op: str, out: list[E.Expr]) -> None:
    if isinstance(node, E.Binary) and node.op == op:
        _flatten(node.left, op, out)
        _flatten(node.right, op, out)
    else:
        out.append(node)


def map_children(node: E.Expr, fn: Callable[[E.Expr], E.Expr]) -> E.Expr:
    if isinstance(node, (E.Negate, E.Transpose, E.Index)):
        return _replace(node, arg=fn(node.arg))
    if isinstance(node, (E.Binary, E.Compare)):
        return _replace(node, left=fn(node.left), right=fn(node.right))
    if isinstance(node, (E.Call, E.Apply)):
        return _replace(node, args=tuple(fn(a) for a in node.args))
    if isinstance(node, E.Matrix):
        return _replace(node, rows=tuple(tuple(fn(e) for e in row) for row in node.rows))
    if isinstance(node, E.AllOf):
        return _replace(node, parts=tuple(fn(p) for p in node.parts))
    return node


def _replace(node: E.Expr, **changes) -> E.Expr:
    if all(getattr(node, k) == v for k, v in changes.items()):
        return node
    return dataclasses.replace(node, **changes)


class Gradient:
    """Reverse mode for a scalar f: `adjoint(node)` is d f / d node, shaped like the node."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.adjoints: dict[str, Maybe] = {}

    def run(self) -> Maybe:
        self.push(self.graph.f, number(1))
        for name in reversed(self.graph.order):
            g = self.adjoints.pop(name, None)
            if g is None:
                continue
            value = self.graph.values[name]
            if isinstance(value, E.Apply):
                self._application(name, value, g)
            else:
                self.push(value, g)
        return self.adjoints.get(self.graph.wrt)

    def push(self, node: E.Expr, g: Maybe) -> None:
        if g is None or not self.graph.depends(node):
            return
        if node.shape.is_scalar and not g.shape.is_scalar:
            g = call("sum", g)    # a scalar broadcast over an array
        getattr(self, "_" + type(node).__name__)(node, g)

    def _Name(self, node: E.Name, g: E.Expr) -> None:
        self.adjoints[node.name] = add(self.adjoints.get(node.name), g)

    def _Negate(self, node: E.Negate, g: E.Expr) -> None:
        self.push(node.arg, neg(g))

    def _Transpose(self, node: E.Transpose, g: E.Expr) -> None:
        self.push(node.arg, transpose(g))

    def _Binary(self, node: E.Binary, g: E.Expr) -> None:
        a, b, op = node.left, node.right, node.op
        if op == "+":
            self.push(a, g), self.push(b, g)
        elif op == "-":
            self.push(a, g), self.push(b, neg(g))
        elif op == "*":
            self.push(a, mul(g, b)), self.push(b, mul(g, a))
        elif op == "/":
            self.push(a, div(g, b))
            self.push(b, neg(div(mul(g, a), power(b, number(2)))))
        elif op == "**":
            self.push(a, mul(g, _power_slope(a, b)))
            if self.graph.depends(b):
                self.push(b, mul(g, mul(node, call("log", a))))
        else:
            self.push(a, matmul(g, transpose(b)))
            self.push(b, matmul(transpose(a), g))

    def _Call(self, node: E.Call, g: E.Expr) -> None:
        if node.func in SLOPES:
            self.push(node.args[0], mul(g, SLOPES[node.func](node.args[0], node, self.graph.sign_step)))
            return
        method = getattr(self, "_call_" + node.func, None)
        if method is None:
            raise Underivable(f"no rule differentiates `{node.func}` of `{self.graph.wrt}` in "
                              "reverse mode")
        method(node, g, *node.args)

    def _call_sum(self, node, g, a):
        self.push(a, mul(g, ones(a.shape)))

    def _call_dot(self, node, g, a, b):
        self.push(a, mul(g, b)), self.push(b, mul(g, a))

    def _call_norm(self, node, g, a):
        self.push(a, mul(g, div(a, node)))

    def _call_softmax(self, node, g, a):
        self.push(a, mul(node, sub(g, matmul(transpose(node), g))))

    def _call_logsumexp(self, node, g, a):
        self.push(a, mul(g, call("softmax", a)))

    def _call_max(self, node, g, a, b):
        self.push(a, mul(g, self.graph.step(a, b)))
        self.push(b, mul(g, self.graph.step(b, a)))

    def _call_diag(self, node, g, v):
        self.push(v, _diagonal(g))

    def _call_trace(self, node, g, a):
        self.push(a, mul(g, eye(a.shape.rows)))

    def _call_det(self, node, g, a):
        self.push(a, mul(mul(g, node), transpose(call("inv", a))))

    def _call_inv(self, node, g, a):
        inverse_t = transpose(node)
        self.push(a, neg(matmul(matmul(inverse_t, g), inverse_t)))

    def _call_outer(self, node, g, a, b):
        self.push(a, matmul(g, b)), self.push(b, matmul(transpose(g), a))

    def _call_vec(self, node, g, a):
        """The adjoint of vec(a) is a column; a's is that column reshaped (`unvec`)."""
        if a.shape.cols == 1 or a.shape.rows == 1:
            self.push(a, g if a.shape.cols == 1 else transpose(g))
            return
        reshaped = unvec(g, a.shape)
        if reshaped is None:
            raise Underivable(f"the gradient reaches `vec` of a matrix that depends on "
                              f"`{self.graph.wrt}` as a column that is not built of "
                              "`vec(...)`s; reshaping it back is not in the language")
        self.push(a, reshaped)

    def _call_kron(self, node, g, a, b):
        raise Underivable(f"`kron` of a factor that depends on `{self.graph.wrt}` in a scalar f "
                          "(its gradient regroups the entries of the adjoint, which the "
                          "language cannot write); derive by a scalar or by vec(...) instead")

    def _call_concat(self, node, g, *pieces):
        raise Underivable(f"`concat` of pieces that depend on `{self.graph.wrt}` (its gradient "
                          "is a slice of a column, which the language cannot write)")

    def _Matrix(self, node: E.Matrix, g: E.Expr) -> None:
        for i, row in enumerate(node.rows):
            for j, entry in enumerate(row):
                self.push(entry, E.Index(entry.shape, g, i, j))

    def _Index(self, node: E.Index, g: E.Expr) -> None:
        rows, cols = node.arg.shape.rows, node.arg.shape.cols
        self.push(node.arg, E.Matrix(node.arg.shape, tuple(
            tuple(g if (i, j) == (node.row, node.col) else number(0) for j in range(cols))
            for i in range(rows))))

    def _Apply(self, node: E.Apply, g: E.Expr) -> None:
        raise Underivable(_unnamed(node, self.graph.wrt))

    def _application(self, name: str, value: E.Apply, g: E.Expr) -> None:
        for k, arg in enumerate(value.args):
            if self.graph.depends(arg):
                jacobian, symmetric = self.graph.derivative(name, k)
                if self.graph.shapes[name].is_scalar:     # the gradient is J^T
                    self.push(arg, mul(g, transpose(jacobian)))
                else:
                    self.push(arg, matmul(jacobian if symmetric else transpose(jacobian), g))


def unvec(g: E.Expr, shape: Shape) -> Maybe:
    """The matrix of `shape` whose vec is g, where g is built of vecs: `vec(A)` is A,
    `kron(a, b)` of columns is `b @ a.T`, `kron(A, B) @ vec(C)` is `B @ C @ A.T`, and
    element-wise parts entry by entry; None where g is not so built."""
    if g.shape.is_scalar:
        return g
    if isinstance(g, E.Transpose) and isinstance(g.arg, E.Binary) and g.arg.op == "@":
        return unvec(matmul(transpose(g.arg.right), transpose(g.arg.left)), shape)
    if isinstance(g, E.Call) and g.func == "vec" and g.args[0].shape == shape:
        return g.args[0]
    if isinstance(g, E.Call) and g.func == "ones":
        return ones(shape)
    if isinstance(g, E.Call) and g.func == "kron" and all(a.shape.cols == 1 for a in g.args) \
            and g.args[1].shape.rows == shape.rows:
        return matmul(g.args[1], transpose(g.args[0]))
    if isinstance(g, E.Binary) and g.op == "@" and isinstance(g.left, E.Transpose) \
            and isinstance(g.left.arg, E.Call) and g.left.arg.func == "kron":
        return unvec(matmul(call("kron", *map(transpose, g.left.arg.args)), g.right), shape)
    if isinstance(g, E.Binary) and g.op == "@" and isinstance(g.left, E.Call) \
            and g.left.func == "kron":
        a, b = g.left.args
        inner = unvec(g.right, Shape(b.shape.cols, a.shape.cols))
        return None if inner is None else matmul(matmul(b, inner), transpose(a))
    if isinstance(g, E.Negate):
        inner = unvec(g.arg, shape)
        return None if inner is None else neg(inner)
    if isinstance(g, E.Binary) and g.op != "@":
        left, right = unvec(g.left, shape), unvec(g.right, shape)
        if left is None or right is None:
            return None
        return E.Binary(shape if not (left.shape.is_scalar and right.shape.is_scalar)
                        else g.shape, g.op, left, right)
    if isinstance(g, E.Call) and g.func in SLOPES:
        inner = unvec(g.args[0], shape)
        return None if inner is None else call(g.func, inner)
    return None


def _power_slope(a: E.Expr, b: E.Expr) -> E.Expr:
    if is_number(b):
        return mul(b, power(a, number(b.value - 1)))
    return mul(b, power(a, sub(b, number(1))))


def _diagonal(m: E.Expr) -> E.Expr:
    """The diagonal of a square matrix as a column."""
    if isinstance(m, E.Call) and m.func == "diag":
        return m.args[0]
    if isinstance(m, E.Call) and m.func == "outer":
        return mul(m.args[0], m.args[1])
    if isinstance(m, E.Binary) and m.op == "*" and m.left.shape.is_scalar:
        return mul(m.left, _diagonal(m.right))
    n = m.shape.rows
    return matmul(mul(m, eye(n)), ones(Shape(n, 1)))


def _unnamed(node: E.Apply, wrt: str) -> str:
    return (f"`{node.func}(...)` is applied to an expression that depends on `{wrt}` but is "
            f"not a `let` of its own; write `y: {node.func}(u)` with `u` a let name for each "
            f"argument, so that its derivative can be written `pd(y, u)`")


class Forward:
    """Forward mode. For a scalar variable, `of(node)` is d node / d x, shaped like the node;
    for a vector variable (n), it is the Jacobian of the node (a row's, as its column's):
    len x n, or 1 x n for a scalar node."""

    def __init__(self, graph: Graph, tangent: E.Expr | None = None):
        self.graph, self.tangent = graph, tangent
        self.n = graph.shapes[graph.wrt]
        self.scalar = self.n.is_scalar or tangent is not None
        self.memo: dict[str, Maybe] = {}

    def of(self, node: E.Expr) -> Maybe:
        if not self.graph.depends(node):
            return None
        if not self.scalar and not (node.shape.is_scalar or node.shape.is_vector):
            raise Underivable(
                f"a matrix that depends on the vector `{self.graph.wrt}` (its derivative is "
                "a three-way array); write f so that every matrix in it is constant")
        return getattr(self, "_" + type(node).__name__)(node)

    # helpers: the derivative of a broadcast operand, and an element-wise factor applied
    def spread(self, operand: E.Expr, node: E.Expr) -> Maybe:
        d = self.of(operand)
        if d is None or not operand.shape.is_scalar or node.shape.is_scalar:
            return d
        if self.scalar:
            return mul(d, ones(node.shape))
        return matmul(ones(column(node).shape), d)

    def lift(self, factor: Maybe, d: Maybe) -> Maybe:
        if self.scalar:
            return mul(factor, d)
        return scale_rows(factor, d)

    def _Name(self, node: E.Name) -> Maybe:
        if node.name == self.graph.wrt:
            if self.tangent is not None:
                return self.tangent
            return number(1) if self.scalar else eye(self.n.rows)
        if node.name not in self.memo:
            value = self.graph.values[node.name]
            self.memo[node.name] = (self._application(node.name, value)
                                    if isinstance(value, E.Apply) else self.of(value))
        return self.memo[node.name]

    def _Negate(self, node: E.Negate) -> Maybe:
        return neg(self.of(node.arg))

    def _Transpose(self, node: E.Transpose) -> Maybe:
        return transpose(self.of(node.arg)) if self.scalar else self.of(node.arg)

    def _Binary(self, node: E.Binary) -> Maybe:
        a, b, op = node.left, node.right, node.op
        if op in "+-":
            da, db = self.spread(a, node), self.spread(b, node)
            return add(da, db) if op == "+" else sub(da, db)
        if op == "*" and self.scalar:    # a scalar's slope broadcasts by itself
            return add(mul(b, self.of(a)), mul(a, self.of(b)))
        if op == "*":
            return add(self.lift(b, self.spread(a, node)), self.lift(a, self.spread(b, node)))
        if op == "/":
            return sub(self.lift(div(number(1), b), self.spread(a, node)),
                       self.lift(div(a, power(b, number(2))), self.spread(b, node)))
        if op == "**":
            d = self.lift(_power_slope(a, b), self.spread(a, node))
            if self.graph.depends(b):
                d = add(d, self.lift(mul(node, call("log", a)), self.spread(b, node)))
            return d
        return self._matmul(node, a, b)

    def _matmul(self, node: E.Binary, a: E.Expr, b: E.Expr) -> Maybe:
        da, db = self.of(a), self.of(b)
        if self.scalar:
            return add(matmul(da, b), matmul(a, db))
        # a vector variable: every operand that depends on it is a scalar or a vector
        if a.shape.rows == 1 and b.shape.cols == 1 and not b.shape.is_scalar:   # row @ column
            return add(matmul(transpose(b), da), matmul(a, db))
        if a.shape.rows == 1:                  # row (or scalar) @ matrix (or row): a row
            return add(matmul(transpose(b), da), mul(a, db) if a.shape.is_scalar else None)
        if b.shape.is_scalar:                  # column @ scalar
            return add(mul(b, da), matmul(a, db))
        return matmul(a, db)                   # constant matrix @ column

    def _Call(self, node: E.Call) -> Maybe:
        if node.func in SLOPES:
            a = node.args[0]
            return self.lift(SLOPES[node.func](a, node, self.graph.sign_step), self.of(a))
        method = getattr(self, "_call_" + node.func, None)
        if method is None:
            raise Underivable(f"no rule differentiates `{node.func}` of `{self.graph.wrt}`")
        return method(node, *node.args)

    def _call_sum(self, node, a):
        d = self.of(a)
        if self.scalar:
            return call("sum", d) if d is not None else None
        return matmul(transpose(ones(column(a).shape)), d)

    def _call_dot(self, node, a, b):
        if self.scalar:
            return add(_dot(self.of(a), b), _dot(a, self.of(b)))
        return add(matmul(transpose(b), self.of(a)), matmul(transpose(a), self.of(b)))

    def _call_norm(self, node, a):
        unit = div(a, node)
        if self.scalar:
            return call("sum", mul(unit, self.of(a))) if self.of(a) is not None else None
        return matmul(transpose(column(unit)), self.of(a))

    def _call_softmax(self, node, a):
        d = self.of(a)
        if self.scalar:
            return mul(node, sub(d, matmul(transpose(node), d)))
        return matmul(sub(call("diag", node), call("outer", node, node)), d)

    def _call_logsumexp(self, node, a):
        return matmul(transpose(call("softmax", a)), self.of(a))

    def _call_max(self, node, a, b):
        return add(self.lift(self.graph.step(a, b), self.spread(a, node)),
                   self.lift(self.graph.step(b, a), self.spread(b, node)))

    def _call_diag(self, node, v):
        d = self.of(v)
        return None if d is None else call("diag", d)

    def _call_trace(self, node, a):
        d = self.of(a)
        return None if d is None else call("trace", d)

    def _call_det(self, node, a):
        d = self.of(a)
        return None if d is None else mul(node, call("trace", matmul(call("inv", a), d)))

    def _call_inv(self, node, a):
        return neg(matmul(matmul(node, self.of(a)), node))

    def _call_outer(self, node, a, b):
        return add(_outer(self.of(a), b), _outer(a, self.of(b)))

    def _call_vec(self, node, a):
        d = self.of(a)
        if not self.scalar:    # a vector's Jacobian, as its column's
            return d
        return vec(d)

    def _call_kron(self, node, a, b):
        if not self.scalar and not (a.shape.cols == 1 and b.shape.cols == 1):
            raise Underivable("`kron` of rows or matrices that depend on the vector variable "
                              "(its Jacobian is a three-way array)")
        return add(kron(self.of(a), b), kron(a, self.of(b)))

    def _call_concat(self, node, *pieces):
        if not self.scalar:
            raise Underivable("`concat` of pieces that depend on the vector variable (its "
                              "Jacobian stacks matrices, which the language cannot write)")
        return E.Call(node.shape, "concat", tuple(self.of(p) or zeros(p.shape) for p in pieces))

    def _Matrix(self, node: E.Matrix) -> Maybe:
        if not self.scalar:
            raise Underivable("a literal `[...]` that depends on the vector variable")
        return E.Matrix(node.shape, tuple(tuple(self.of(e) or number(0) for e in row)
                                          for row in node.rows))

    def _Index(self, node: E.Index) -> Maybe:
        d = self.of(node.arg)
        if not self.scalar:
            raise Underivable("an entry `[i]` of an array that depends on the vector variable")
        return None if d is None else E.Index(node.shape, d, node.row, node.col)

    def _Apply(self, node: E.Apply) -> Maybe:
        raise Underivable(_unnamed(node, self.graph.wrt))

    def _application(self, name: str, value: E.Apply) -> Maybe:
        total = None
        for k, arg in enumerate(value.args):
            d = self.of(arg)
            if d is None:
                continue
            jacobian, _ = self.graph.derivative(name, k)
            scalar = jacobian.shape.is_scalar or d.shape.is_scalar   # by a scalar: a slope
            total = add(total, mul(jacobian, d) if scalar else matmul(jacobian, d))
        return total


def _dot(a: Maybe, b: Maybe) -> Maybe:
    return None if a is None or b is None else call("dot", a, b)


def _outer(a: Maybe, b: Maybe) -> Maybe:
    return None if a is None or b is None else call("outer", a, b)
