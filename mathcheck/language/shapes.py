"""Shapes with symbolic sizes, and the layout rule for derivative shapes."""
from __future__ import annotations

from dataclasses import dataclass

Dim = int | str  # a number, a size letter such as "n", a letter plus a number: "n+1",
                 # or a product of letters (and a number) as vec and kron make: "m*n", "2*n"


@dataclass(frozen=True)
class Shape:
    """A two-dimensional shape; vectors are (n, 1) columns and scalars are (1, 1)."""

    rows: Dim
    cols: Dim

    @property
    def is_scalar(self) -> bool:
        return self.rows == 1 and self.cols == 1

    @property
    def is_vector(self) -> bool:
        """A column or a row (but not a scalar)."""
        return not self.is_scalar and (self.rows == 1 or self.cols == 1)

    @property
    def is_column(self) -> bool:
        return self.cols == 1 and self.rows != 1

    @property
    def is_square(self) -> bool:
        return self.rows == self.cols

    @property
    def T(self) -> Shape:
        return Shape(self.cols, self.rows)

    def letters(self) -> set[str]:
        return {letter for d in (self.rows, self.cols) if isinstance(d, str)
                for letter in dim_letters(d)}

    def concrete(self, sizes: dict[str, int]) -> tuple[int, int]:
        return (_size(self.rows, sizes), _size(self.cols, sizes))

    def __str__(self) -> str:
        if self.is_scalar:
            return "scalar"
        if self.is_column:
            return f"vector({self.rows})"
        return f"{self.rows} x {self.cols}"


SCALAR = Shape(1, 1)


def _size(dim: Dim, sizes: dict[str, int]) -> int:
    if isinstance(dim, int):
        return dim
    if "*" in dim:
        out = 1
        for factor in dim.split("*"):
            out *= int(factor) if factor.isdigit() else sizes[factor]
        return out
    letter, extra = split_dim(dim)
    return sizes[letter] + extra


def dim_letters(dim: Dim) -> list[str]:
    """The size letters a dimension is made of: "n+1" -> [n], "m*n" -> [m, n]."""
    if isinstance(dim, int):
        return []
    if "*" in dim:
        return [f for f in dim.split("*") if not f.isdigit()]
    return [split_dim(dim)[0]]


def multiply_dims(a: Dim, b: Dim) -> Dim | None:
    """The product of two dimensions in one spelling (a number first, letters sorted), so
    that equal products compare equal; None where a factor is a sum such as n+1."""
    number, letters = 1, []
    for dim in (a, b):
        if isinstance(dim, int):
            number *= dim
        elif "+" in dim:
            return None
        else:
            for factor in dim.split("*"):
                if factor.isdigit():
                    number *= int(factor)
                else:
                    letters.append(factor)
    if not letters:
        return number
    factors = ([str(number)] if number != 1 else []) + sorted(letters)
    return "*".join(factors)


def split_dim(dim: str) -> tuple[str, int]:
    """"n+1" -> ("n", 1); "n" -> ("n", 0)."""
    letter, _, extra = dim.partition("+")
    return letter, int(extra or 0)


def add_dims(a: Dim, b: Dim) -> Dim | None:
    """The length of two stacked pieces, or None when both are sized by letters."""
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    if isinstance(a, str) and isinstance(b, str):
        return None
    letter, extra = split_dim(a if isinstance(a, str) else b)
    extra += b if isinstance(b, int) else a
    return f"{letter}+{extra}" if extra else letter


class LayoutError(ValueError):
    """A derivative that the layouts do not define (a three- or four-way array)."""


def derivative_shape(f: Shape, x: Shape, layout: str) -> Shape:
    """The shape of d f / d x in the given layout: the one place that decides it.

    Numerator layout: p outputs by q inputs is p x q; scalar by matrix(m, n) is n x m;
    anything by a scalar has f's own shape (a row stays a row). Denominator layout is the
    transpose of each.
    """
    if f.is_scalar and x.is_scalar:
        shape = SCALAR
    elif f.is_scalar and x.is_vector:
        shape = Shape(1, _length(x))
    elif f.is_scalar:
        shape = x.T
    elif x.is_scalar:
        shape = f
    elif f.is_vector and x.is_vector:
        shape = Shape(_length(f), _length(x))
    else:
        raise LayoutError(
            f"the derivative of a {_kind(f)} by a {_kind(x)} is a three- or four-way array, "
            "which is out of scope"
        )
    return shape if layout == "numerator" else shape.T


def second_derivative_shape(f: Shape, x: Shape) -> Shape:
    """The shape of d^2 f / d x d x^T, the same in both layouts: 1 x 1 for a scalar x,
    the n x n Hessian for a column x; f must be a scalar."""
    if not f.is_scalar:
        raise LayoutError(f"the second derivative of a {_kind(f)} is a three-way array, which "
                          "is out of scope: `order: 2` needs a scalar f (differentiate one entry, "
                          "or write the first derivative with `order: 1`)")
    if x.is_scalar:
        return SCALAR
    if not x.is_column:
        raise LayoutError(f"the second derivative by a {_kind(x)} is a four-way array, which is "
                          "out of scope: with `order: 2` differentiate by a scalar, a vector, "
                          "or a matrix's entries stacked as `wrt: vec(X)`")
    return Shape(x.rows, x.rows)


def _length(v: Shape) -> Dim:
    return v.rows if v.cols == 1 else v.cols


def _kind(s: Shape) -> str:
    if s.is_scalar:
        return "scalar"
    if s.is_vector:
        return "vector"
    return "matrix"


def kind(shape: Shape) -> str:
    """A shape as a kind is written in `vars`: scalar, vector(n), matrix(m, n)."""
    if shape.is_scalar:
        return "scalar"
    if shape.is_column:
        return f"vector({shape.rows})"
    return f"matrix({shape.rows}, {shape.cols})"


@dataclass(frozen=True)
class Signature:
    """The kind of an abstract function: argument shapes -> result shape.

    A function of scalars to a scalar acts entry by entry on arrays (like `sin` or `max`).
    """

    args: tuple[Shape, ...]
    result: Shape

    @property
    def elementwise(self) -> bool:
        return self.result.is_scalar and all(a.is_scalar for a in self.args)

    def letters(self) -> set[str]:
        return set().union(self.result.letters(), *(a.letters() for a in self.args))

    def __str__(self) -> str:
        if self.elementwise and len(self.args) == 1:
            return "function"
        return f"function({', '.join(kind(a) for a in self.args)} -> {kind(self.result)})"
