"""Sizes as expressions: how many entries a shape has, written in its size letters."""
from __future__ import annotations

from ..language import expressions as E
from ..language.shapes import Shape
from .algebra import add, is_number, mul, number


def length(shape: Shape) -> E.Expr:
    """`n` for vector(n), `m * n` for matrix(m, n), `n + 1` for vector(n+1)."""
    rows, cols = shape.rows, shape.cols
    dims = [d for d in (rows, cols) if d != 1]
    out: E.Expr = number(1)
    for d in dims:
        size = number(d) if isinstance(d, int) else (
            E.SizeNumber(Shape(1, 1), d) if "+" not in d else
            add(E.SizeNumber(Shape(1, 1), d.split("+")[0]), number(int(d.split("+")[1]))))
        out = size if is_number(out, 1) else mul(out, size)
    return out
