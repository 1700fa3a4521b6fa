"""A block in the other layout: the same rule with its derivative transposed.

Denominator layout is the transpose of numerator layout, so a block's claim, each case's
`then` and each step `LHS = RHS` hold in the other layout once both sides are transposed.
The transposes are pushed to the leaves, as a reader would write them ((A B)^T = B^T A^T,
an element-wise function or product transposes its arguments, kron both factors,
outer(u, v)^T = outer(v, u), diag, eye and scalars are their own transposes), and a
`d(y, x)` or `pd(y, x)` term absorbs the transpose: in the other layout it *is* the
transpose. The result is printed back to block text and read again like any block, so the
other layout's statement is checked, and shown, from trees parsed as the page's are.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import reduce

from ..deriving.algebra import call, matmul, mul, neg, transpose
from ..deriving.printing import to_text
from ..deriving.simplify import symmetric
from ..language import expressions as E
from ..language.claims import Claim
from ..language.shapes import Signature
from ..language.syntax import ELEMENTWISE
from ..pages.blocks import Block

LAYOUTS = ("numerator", "denominator")


def other_layout(layout: str) -> str:
    return LAYOUTS[1 - LAYOUTS.index(layout)]


def has_layout(claim: Claim) -> bool:
    """Whether the layouts differ for this block: a first derivative that is not 1 x 1 (a
    scalar by a scalar, and a second derivative, read the same in both)."""
    return claim.order == 1 and not claim.expected.is_scalar


def other_layout_block(block: Block, claim: Claim) -> Block:
    """The block as the other layout writes it: its claim (each case's `then`) and steps
    transposed, everything else as written, at the same lines. A step with no derivative
    in it (an identity between values) has no layout and stays as written."""
    flip = _Flip(claim.functions, frozenset(a.name for a in claim.assumptions
                                            if a.prop in ("symmetric", "spd")))
    spec = dict(block.spec or {})
    spec["layout"] = other_layout(claim.layout)
    values = [to_text(flip(case.value, True)) for case in claim.cases]
    if claim.is_piecewise:
        spec["claim"] = [{**written, "then": value} for written, value in zip(spec["claim"], values)]
    else:
        spec["claim"] = values[0]
    if claim.steps:
        spec["steps"] = [f"{to_text(flip(s.lhs, True))} = {to_text(flip(s.rhs, True))}"
                         if _has_derivative(s.lhs) or _has_derivative(s.rhs) else written
                         for s, written in zip(claim.steps, spec["steps"])]
    return replace(block, spec=spec)


def _has_derivative(node: E.Expr) -> bool:
    return any(isinstance(n, E.Derivative) for n in E.walk(node))


@dataclass(frozen=True)
class _Flip:
    """node -> the same quantity written for the other layout: its value transposed where
    `t`, else its value unchanged (only its d/pd terms rewritten)."""

    functions: dict[str, Signature]
    symmetric: frozenset[str]      # names assumed symmetric (or spd): their own transposes
    done: dict = field(default_factory=dict, compare=False)   # (node, t) -> its flip

    def __call__(self, node: E.Expr, t: bool) -> E.Expr:
        key = (node, t)
        if key not in self.done:
            self.done[key] = self._flip(node, t)
        return self.done[key]

    def _flip(self, node: E.Expr, t: bool) -> E.Expr:
        derivatives = _has_derivative(node)
        if node.shape.is_scalar:
            if not derivatives:
                return node      # a scalar with no d/pd reads the same in both layouts
            # a scalar is its own transpose: whichever form needs fewer transposes
            return _fewer_transposes(self._dispatch(node, True), self._dispatch(node, False))
        if t and not derivatives and symmetric(node):     # A + A.T, X.T @ X, diag(v), ...
            return node
        return self._dispatch(node, t)

    def _dispatch(self, node: E.Expr, t: bool) -> E.Expr:
        return getattr(self, "_" + type(node).__name__, self._whole)(node, t)

    def _entrywise(self, node: E.Expr, t: bool, build) -> E.Expr:
        """An entry-by-entry node, `build(t)` from its arguments flipped with `t`: transposed,
        either each argument is, or (where that reads with fewer transposes) the whole."""
        if not t:
            return build(False)
        return _fewer_transposes(build(True), transpose(build(False)))

    def _whole(self, node: E.Expr, t: bool) -> E.Expr:
        """Any other node: its children rewritten in place, the whole transposed if need be."""
        if isinstance(node, E.Call):
            node = E.Call(node.shape, node.func, tuple(self(a, False) for a in node.args), node.sizes)
        elif isinstance(node, E.Apply):
            node = E.Apply(node.shape, node.func, tuple(self(a, False) for a in node.args))
        return transpose(node) if t else node

    def _Derivative(self, node: E.Derivative, t: bool) -> E.Expr:
        # the term read in the other layout is the transpose of this one
        other = replace(node, shape=node.shape.T)
        return other if t else transpose(other)

    def _Name(self, node: E.Name, t: bool) -> E.Expr:
        return transpose(node) if t and node.name not in self.symmetric else node

    def _Number(self, node: E.Expr, t: bool) -> E.Expr:
        return node

    _SizeNumber = _Number

    def _Transpose(self, node: E.Transpose, t: bool) -> E.Expr:
        return self(node.arg, not t)

    def _Negate(self, node: E.Negate, t: bool) -> E.Expr:
        return neg(self(node.arg, t))

    def _Binary(self, node: E.Binary, t: bool) -> E.Expr:
        if node.op == "@":
            return self._product(node, t)
        build = lambda t: E.Binary(node.shape.T if t else node.shape, node.op,  # noqa: E731
                                   self(node.left, t), self(node.right, t))
        if node.left.shape.is_scalar or node.right.shape.is_scalar:
            return build(t)          # (s * A)^T = s * A^T
        return self._entrywise(node, t, build)

    def _product(self, node: E.Binary, t: bool) -> E.Expr:
        """A chain `A @ B @ C` (as written, grouped from the left); transposed, the chain
        C^T B^T A^T, grouped from the left again, its signs and scalar factors in front."""
        factors = _chain(node)[::-1]          # last factor first
        if not t:
            return reduce(matmul, [self(f, False) for f in reversed(factors)])
        sign, scalars, chain = 1, [], []
        for factor in (self(f, True) for f in factors):
            if isinstance(factor, E.Negate):
                sign, factor = -sign, factor.arg
            if isinstance(factor, E.Binary) and factor.op == "*" and factor.left.shape.is_scalar \
                    and not factor.shape.is_scalar:
                scalars.append(factor.left)
                factor = factor.right
            chain += _chain(factor)           # (A @ x).T @ B is B.T @ A @ x
        product = reduce(matmul, chain)
        for scalar in reversed(scalars):
            product = mul(scalar, product)
        return product if sign > 0 else neg(product)

    def _Call(self, node: E.Call, t: bool) -> E.Expr:
        func, args = node.func, node.args
        if func in ELEMENTWISE or func in ("max", "inv"):   # inv(A)^T = inv(A^T)
            return self._entrywise(node, t, lambda t: E.Call(
                node.shape.T if t else node.shape, func, tuple(self(a, t) for a in args)))
        if func in ("diag", "eye"):                         # their own transposes
            return self._whole(node, False)
        if func in ("ones", "zeros") and len(node.sizes) == 2 and t:
            return E.Call(node.shape.T, func, (), node.sizes[::-1])
        if func == "kron":
            return call("kron", *(self(a, t) for a in args))
        if func == "outer":
            u, v = (self(a, False) for a in args)
            return call("outer", v, u) if t else call("outer", u, v)
        return self._whole(node, t)

    def _Apply(self, node: E.Apply, t: bool) -> E.Expr:
        if self.functions[node.func].elementwise:          # acts entry by entry
            return self._entrywise(node, t, lambda t: E.Apply(
                node.shape.T if t else node.shape, node.func, tuple(self(a, t) for a in node.args)))
        return self._whole(node, t)

    def _Matrix(self, node: E.Matrix, t: bool) -> E.Expr:
        rows = tuple(tuple(self(e, False) for e in row) for row in node.rows)
        return E.Matrix(node.shape.T, tuple(zip(*rows))) if t else E.Matrix(node.shape, rows)

    def _Index(self, node: E.Index, t: bool) -> E.Expr:
        return E.Index(node.shape, self(node.arg, False), node.row, node.col)


def _chain(node: E.Expr) -> list[E.Expr]:
    """The factors of a product grouped from the left (`A @ B @ C`), in order."""
    factors = []
    while isinstance(node, E.Binary) and node.op == "@":
        factors.append(node.right)
        node = node.left
    return [node, *factors[::-1]]


def _fewer_transposes(first: E.Expr, second: E.Expr) -> E.Expr:
    """Whichever of two equal expressions prints with fewer `.T`, then with fewer of them
    inside a function's brackets (sign(w)^T reads better than sign(w^T)), then shorter (the
    first on a tie)."""
    def cost(node: E.Expr) -> tuple[int, int, int]:
        text = to_text(node)
        return text.count(".T"), text.count(".T)"), len(text)
    return second if cost(second) < cost(first) else first
