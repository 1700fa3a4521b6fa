"""A claim's derivative proposed: the direction chosen by the shapes of f and wrt, the
result laid out as the block's layout says, simplified, and let names put back."""
from __future__ import annotations

from ..language import expressions as E
from ..language.claims import Claim
from ..language.shapes import SCALAR, Shape, derivative_shape
from .algebra import Maybe, column, transpose, zeros
from .printing import to_text
from .rules import (Forward, Gradient, Graph, Underivable, canonical, fold, inline,
                    symmetric_terms)
from .simplify import simplify
from .vectorize import jacobian, vec


def propose(claim: Claim) -> E.Expr:
    """The derivative of f by wrt in the claim's layout, or raise Underivable."""
    if len(claim.wrt) > 1:
        return _stacked(claim) if claim.order == 1 else _stacked_hessian(claim)
    graph = Graph(claim, claim.wrt[0])
    f, x = claim.f.shape, claim.wrt_shape
    if claim.order == 2:
        return _finish(_second(graph), claim.expected, graph)
    numerator = derivative_shape(f, x, "numerator")
    if claim.wrt_vec and not graph.shapes[claim.wrt[0]].is_vector:
        numerator_form = transpose(vec(Gradient(graph).run())) if f.is_scalar \
            else jacobian(graph, graph.f)
    elif x.is_scalar:
        raw = Forward(graph).of(graph.f)
        numerator_form = raw if raw is None or raw.shape == numerator else transpose(raw)
    elif f.is_scalar:
        numerator_form = transpose(Gradient(graph).run())
    else:
        numerator_form = Forward(graph).of(graph.f)
    result = numerator_form if claim.layout == "numerator" else transpose(numerator_form)
    return _finish(result, claim.expected, graph)


FOLDED = 6   # a let whose value prints longer than this many characters is named in results


def _finish(result: Maybe, shape: Shape, graph: Graph) -> E.Expr:
    """The shorter of two forms: simplified with every let written out (so that like terms
    meet and cancel: `3*x**2`, not `u1 + 2*x**2`), then every let longer than a few
    characters named again (`s`, not `softmax(z)`), whatever order the sums came out in;
    or simplified as the rules left it, each let by its name (a long chain of lets, as a
    normalisation layer's, reads shorter so)."""
    if result is None:
        return zeros(shape)
    table = {canonical(value): name for value, name in graph.table.items()
             if len(to_text(value).replace(" ", "")) > FOLDED}
    written_out = _settled(simplify(graph.settle(inline(result, graph.inlined))), graph)
    written_out = simplify(fold(written_out, table, canonical))
    named = _settled(simplify(graph.settle(result)), graph)
    return min((written_out, named), key=lambda form: len(to_text(form)))


def _settled(result: E.Expr, graph: Graph) -> E.Expr:
    """Once more after simplifying: the simplifier makes transposes of its own."""
    return symmetric_terms(graph.settle(result), graph)


def _second(graph: Graph) -> Maybe:
    """The second derivative: by a scalar, the first derivative's derivative; by a vector,
    the Jacobian of the gradient column; by vec(X), the Jacobian of vec(gradient)."""
    x = graph.shapes[graph.wrt]
    if x.is_scalar:
        return Forward(graph).of(Forward(graph).of(graph.f))
    gradient = Gradient(graph).run()
    if x.is_vector:
        return Forward(graph).of(column(gradient)) if gradient is not None else None
    return jacobian(graph, gradient) if gradient is not None else None


def _stacked_hessian(claim: Claim) -> E.Expr:
    """Scalars listed in `wrt`: the second derivative by each pair, entry by entry."""
    graphs = [Graph(claim, name) for name in claim.wrt]
    rows = []
    for first in graphs:
        slope = Forward(first).of(first.f)
        rows.append([_finish(None if slope is None else Forward(second).of(slope), SCALAR, second)
                     for second in graphs])
    return E.Matrix(Shape(len(rows), len(rows)), tuple(tuple(row) for row in rows))


def _stacked(claim: Claim) -> E.Expr:
    """Scalars stacked into a column: one tangent per scalar, entry by entry in a literal."""
    rows = claim.f.shape.rows
    if not isinstance(rows, int) or claim.f.shape.cols != 1:
        raise Underivable("f must be a scalar or a literal column `[[...], [...]]` when `wrt` "
                          "lists several scalars")
    columns = []
    for name in claim.wrt:
        graph = Graph(claim, name)
        tangent = Forward(graph).of(graph.f)
        columns.append([_finish(_entry(tangent, i), SCALAR, graph) for i in range(rows)])
    table = tuple(tuple(columns[j][i] for j in range(len(columns))) for i in range(rows))
    if claim.layout == "denominator":
        table = tuple(zip(*table))
    return E.Matrix(Shape(len(table), len(table[0])), table)


def _entry(tangent: Maybe, i: int) -> Maybe:
    if tangent is None:
        return None
    if tangent.shape == SCALAR:
        return tangent
    if isinstance(tangent, E.Matrix):
        return tangent.rows[i][0]
    return E.Index(SCALAR, tangent, i, 0)
