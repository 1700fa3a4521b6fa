"""The element-wise parts of a derived expression tidied as scalar algebra by sympy.

Inside a tree of `+ - * / **` and element-wise functions every array has one shape (only
scalars broadcast), so entry by entry it is a scalar expression: each other subtree
(`A @ x`, `sum(v)`) stands in as a symbol, sympy cancels and factors, and the shortest of
the forms it finds is kept (the checker judges whatever is kept)."""
from __future__ import annotations

from collections.abc import Callable

import sympy

from ..language import expressions as E
from .algebra import add, call, column, div, matmul, mul, neg, number, ones, power, sub, transpose
from .rules import SLOPES, map_children
from .shapes_of import length as _length

MAX_OPERATIONS = 40   # larger element-wise parts are left as they are
BIG = 10 ** 4         # numbers beyond this, or exponents beyond MAX_EXPONENT, are left to
MAX_EXPONENT = 12     # sympy's automatic simplification
_OPAQUE = {"sigmoid", "step", "sign", "abs", "max", "arctan"}   # kept as undefined functions: no identities
_SUM = sympy.Function("sum_")
_KNOWN = {name: getattr(sympy, name) for name in ("sin", "cos", "tan", "exp", "log", "tanh",
                                                    "sinh", "cosh", "erf")}


def tidy(node: E.Expr, resimplify: Callable[[E.Expr], E.Expr]) -> E.Expr:
    if _elementwise(node):
        return _best(node, resimplify)
    return map_children(node, lambda c: tidy(c, resimplify))


def _elementwise(node: E.Expr) -> bool:
    return (isinstance(node, E.Binary) and node.op != "@" or isinstance(node, E.Negate)
            or isinstance(node, E.Call) and (node.func in SLOPES or node.func in ("max", "sum"))
            or _inner(node))


def _inner(node: E.Expr) -> bool:
    """`u.T @ v` of two columns: `sum(u * v)` to sympy."""
    return (isinstance(node, E.Binary) and node.op == "@" and node.shape.is_scalar
            and node.right.shape.cols == 1 and not node.right.shape.is_scalar)


def _operations(node: E.Expr) -> int:
    if not _elementwise(node):
        return 0
    return 1 + sum(_operations(c) for c in E.children(node))


def _best(node: E.Expr, resimplify) -> E.Expr:
    leaves: dict[E.Expr, sympy.Symbol] = {}
    if _operations(node) > MAX_OPERATIONS:
        return node
    try:
        expr = _to_sympy(node, leaves, resimplify)
    except (TypeError, ValueError):
        return node
    back = {s: n for n, s in leaves.items()}
    best, best_size = node, size(node)
    heavy = (sympy.factor, sympy.cancel, sympy.together, sympy.expand, sympy.powsimp) \
        if _tame(expr) else ()
    for candidate in [expr] + [transform(expr) for transform in heavy]:
        try:
            built = _from_sympy(candidate, back)
        except (TypeError, ValueError, KeyError):
            continue
        if built.shape.is_scalar and not node.shape.is_scalar:
            built = mul(built, ones(node.shape))
        built = resimplify(built)
        if built.shape == node.shape and size(built) < best_size:
            best, best_size = built, size(built)
    return best


def _tame(expr: sympy.Expr) -> bool:
    """Small numbers and powers only: polynomial factoring with a coefficient of 10**6 or
    an exponent of 40 can take minutes, for no shorter result."""
    return all(abs(r.p) <= BIG and r.q <= BIG for r in expr.atoms(sympy.Rational)) \
        and all(not (p.exp.is_Rational and abs(p.exp) > MAX_EXPONENT) for p in expr.atoms(sympy.Pow))


def size(node: E.Expr) -> int:
    """How much there is to read: names, numbers, functions and operators (not brackets);
    a tie keeps the form met first (the one written, then sympy's factored one)."""
    return 1 + sum(size(c) for c in E.children(node))


def _to_sympy(node: E.Expr, leaves: dict, resimplify, shape=None) -> sympy.Expr:
    """`shape`: the shape of the element-wise part, in which `ones` of that shape is 1."""
    shape = shape or node.shape
    if isinstance(node, E.Call) and node.func == "ones" and node.shape == shape:
        return sympy.Integer(1)
    if _inner(node):
        u, v = column(transpose(node.left)), node.right
        return _sum_of(_to_sympy(u, leaves, resimplify, v.shape)
                       * _to_sympy(v, leaves, resimplify, v.shape), v.shape, leaves, resimplify)
    if isinstance(node, E.Call) and node.func == "sum":
        arg = node.args[0]
        return _sum_of(_to_sympy(arg, leaves, resimplify, arg.shape), arg.shape, leaves, resimplify)
    if isinstance(node, E.Number):
        return sympy.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, E.Negate):
        return -_to_sympy(node.arg, leaves, resimplify, shape)
    if isinstance(node, E.Binary) and node.op != "@":
        a, b = (_to_sympy(c, leaves, resimplify, shape) for c in (node.left, node.right))
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[node.op] if node.op != "**" else a ** b
    if isinstance(node, E.Call) and node.func in _KNOWN:
        return _KNOWN[node.func](_to_sympy(node.args[0], leaves, resimplify, shape))
    if isinstance(node, E.Call) and node.func == "sqrt":
        return sympy.sqrt(_to_sympy(node.args[0], leaves, resimplify, shape))
    if isinstance(node, E.Call) and node.func in _OPAQUE:
        return sympy.Function(node.func + "_")(*(_to_sympy(a, leaves, resimplify, shape)
                                                 for a in node.args))
    leaf = tidy(node, resimplify)
    if leaf not in leaves:
        leaves[leaf] = sympy.Symbol(f"leaf{len(leaves)}")
    return leaves[leaf]


def _sum_of(inner: sympy.Expr, shape, leaves: dict, resimplify) -> sympy.Expr:
    """sum as the linear map it is: term by term, a number taken out, and a term with no
    array in it counted once per entry (`sum(x - mu)` with a scalar mu is `sum(x) - n*mu`)."""
    arrays = {symbol for node, symbol in leaves.items() if not node.shape.is_scalar}
    total = sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(inner) if _tame(inner) else inner):
        coeff, rest = term.as_coeff_Mul()
        outside = rest.xreplace({s: sympy.Integer(1) for s in rest.atoms(_SUM)})  # sums are scalars
        if outside.free_symbols & arrays:
            total += coeff * _SUM(rest)
        else:
            total += term * _to_sympy(_length(shape), leaves, resimplify)
    return total


def _from_sympy(expr: sympy.Expr, back: dict) -> E.Expr:
    if expr.is_Symbol:
        return back[expr]
    if expr.is_Rational:
        return number(expr.p) if expr.q == 1 else div(number(expr.p), number(expr.q)) \
            if expr.p > 0 else neg(div(number(-expr.p), number(expr.q)))
    if expr.is_Add:
        out: E.Expr | None = None
        terms = sorted(expr.args, key=lambda t: (bool(t.as_coeff_Mul()[0] < 0), _first(t)))
        for term in terms:
            coeff, _ = term.as_coeff_Mul()
            if bool(coeff < 0) and out is not None:
                out = sub(out, _from_sympy(-term, back))
            else:
                out = add(out, _from_sympy(term, back))
        assert out is not None
        return out
    if expr.is_Mul:
        coeff, factors = expr.as_coeff_mul()
        if bool(coeff < 0):
            return neg(_from_sympy(-expr, back))
        top: list[E.Expr] = [] if coeff.p == 1 else [number(coeff.p)]
        bottom: list[E.Expr] = [] if coeff.q == 1 else [number(coeff.q)]
        for factor in factors:
            base, exponent = factor.as_base_exp()
            if exponent.is_Rational and bool(exponent < 0):
                bottom.append(_from_sympy(base ** -exponent, back))
            else:
                top.append(_from_sympy(factor, back))
        numerator = _product(top) if top else number(1)
        return div(numerator, _product(bottom)) if bottom else numerator
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent == sympy.Rational(1, 2):
            return call("sqrt", _from_sympy(base, back))
        if exponent.is_Rational and bool(exponent < 0):
            return div(number(1), _from_sympy(base ** -exponent, back))
        return power(_from_sympy(base, back), _from_sympy(exponent, back))
    if isinstance(expr, sympy.exp):
        return call("exp", _from_sympy(expr.args[0], back))
    name = type(expr).__name__
    if name == "sum_":
        return _sum(_from_sympy(expr.args[0], back))
    if name in _KNOWN:
        return call(name, _from_sympy(expr.args[0], back))
    if name.endswith("_") and name[:-1] in _OPAQUE:
        return call(name[:-1], *(_from_sympy(a, back) for a in expr.args))
    raise ValueError(f"no form for {name}")


def _sum(arg: E.Expr) -> E.Expr:
    """sum(u * v) of two columns as `u.T @ v`; sum of a scalar's broadcast as it was."""
    if arg.shape.is_scalar:
        raise ValueError("a sum whose argument lost its shape")
    if isinstance(arg, E.Binary) and arg.op == "*" and arg.shape.cols == 1 \
            and not arg.left.shape.is_scalar and not arg.right.shape.is_scalar:
        return matmul(transpose(arg.left), arg.right)
    return call("sum", arg)


def _first(term: sympy.Expr) -> float:
    """Where a term's first part stood in the expression written (terms keep that order:
    `W @ x + b`, not sympy's `b + W @ x`); numbers last."""
    found = [int(s.name[4:]) for s in term.free_symbols if s.name.startswith("leaf")]
    return min(found, default=float("inf"))


def _product(factors: list[E.Expr]) -> E.Expr:
    out = factors[0]
    for factor in factors[1:]:
        out = mul(out, factor)
    return out
