"""Shapes with symbolic sizes, and the layout rule for derivative shapes."""
from __future__ import annotations

from dataclasses import dataclass

Dim = int | str  # a number, a size letter such as "n", or a letter plus a number: "n+1"


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
        return {split_dim(d)[0] for d in (self.rows, self.cols) if isinstance(d, str)}

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
    letter, extra = split_dim(dim)
    return sizes[letter] + extra


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
    matrix(m, n) by scalar is m x n. Denominator layout is the transpose of each.
    """
    if f.is_scalar and x.is_scalar:
        shape = SCALAR
    elif f.is_scalar and x.is_vector:
        shape = Shape(1, _length(x))
    elif f.is_scalar:
        shape = x.T
    elif x.is_scalar:
        shape = Shape(_length(f), 1) if f.is_vector else f
    elif f.is_vector and x.is_vector:
        shape = Shape(_length(f), _length(x))
    else:
        raise LayoutError(
            f"the derivative of a {_kind(f)} by a {_kind(x)} is a three- or four-way array, "
            "which is out of scope"
        )
    return shape if layout == "numerator" else shape.T


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
