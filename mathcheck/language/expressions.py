"""The typed expression tree that page text is parsed into.

Every node carries its shape. Nodes are frozen dataclasses; evaluation and printing
dispatch on the node type, so this module holds data only.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .shapes import Shape


@dataclass(frozen=True)
class Expr:
    shape: Shape


@dataclass(frozen=True)
class Number(Expr):
    value: Fraction


@dataclass(frozen=True)
class Name(Expr):
    """A declared variable or a `let` name."""

    name: str


@dataclass(frozen=True)
class SizeNumber(Expr):
    """A size letter used as a number, as in `1/N`."""

    letter: str


@dataclass(frozen=True)
class Negate(Expr):
    arg: Expr


@dataclass(frozen=True)
class Binary(Expr):
    """`+ - * / **` element-wise (a scalar broadcasts) or `@` matrix product."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Transpose(Expr):
    arg: Expr


@dataclass(frozen=True)
class Call(Expr):
    """A call of a known function; `sizes` holds size arguments of ones/zeros/eye."""

    func: str
    args: tuple[Expr, ...]
    sizes: tuple[str | int, ...] = ()


@dataclass(frozen=True)
class Apply(Expr):
    """An application of an abstract function declared in `vars` (`f(x)`, `h(x, u)`)."""

    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Matrix(Expr):
    """A literal `[a, b]` (a row) or `[[a, b], [c, d]]` of scalar entries."""

    rows: tuple[tuple[Expr, ...], ...]


@dataclass(frozen=True)
class Index(Expr):
    """An entry `v[i]` or `A[i, j]` (from 0, as in numpy) of a literal-sized array."""

    arg: Expr
    row: int
    col: int


@dataclass(frozen=True)
class Derivative(Expr):
    """`d(y, x)` (total: every let substituted) or `pd(y, x)` (y's own definition).

    Where y is defined as one application of an abstract function and x is its argument
    number `position`, `function` names that function: the term is its own derivative there.
    """

    total: bool
    of: str
    wrt: str
    function: str | None = None
    position: int = 0


@dataclass(frozen=True)
class Compare(Expr):
    """An element-wise condition `left OP right`, used by assumptions and cases."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class AllOf(Expr):
    """Conditions joined by `and`."""

    parts: tuple[Expr, ...]


def walk(node: Expr):
    """Yield the node and all its descendants."""
    yield node
    for child in children(node):
        yield from walk(child)


def children(node: Expr) -> tuple[Expr, ...]:
    if isinstance(node, (Negate, Transpose, Index)):
        return (node.arg,)
    if isinstance(node, Matrix):
        return tuple(e for row in node.rows for e in row)
    if isinstance(node, (Binary, Compare)):
        return (node.left, node.right)
    if isinstance(node, (Call, Apply)):
        return node.args
    if isinstance(node, AllOf):
        return node.parts
    return ()
