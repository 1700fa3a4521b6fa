"""Typed expressions -> text in the block language, with no more brackets than Python's
precedence needs: what `derive` prints is parsed back by the parser and checked as a claim."""
from __future__ import annotations

from fractions import Fraction

from ..language import expressions as E

SUM, PRODUCT, SIGN, POWER, ATOM = range(5)


def to_text(node: E.Expr) -> str:
    return _print(node)[0]


def _print(node: E.Expr) -> tuple[str, int]:
    return globals()["_print_" + type(node).__name__](node)


def _at(node: E.Expr, least: int) -> str:
    text, level = _print(node)
    return text if level >= least else f"({text})"


def _number(value: Fraction) -> tuple[str, int]:
    """An integer, a fraction `p/q`, or where it is exact and shorter a decimal (`2e-30`)."""
    if value.denominator == 1:
        text = str(value.numerator)
        digits = text.rstrip("0")
        if len(text) - len(digits) > 3:       # 500000000000 as 5e11, read back exactly
            text = f"{digits}e{len(text) - len(digits)}"
        return text, ATOM if value >= 0 else SIGN
    text, level = f"{value.numerator}/{value.denominator}", PRODUCT
    decimal = _decimal(abs(value))
    if decimal is not None and len(decimal) < len(text):
        text, level = ("-" if value < 0 else "") + decimal, ATOM if value > 0 else SIGN
    return text, level


def _decimal(value: Fraction) -> str | None:
    """The exact decimal of a positive number whose denominator is a product of 2s and 5s."""
    q, places = value.denominator, 0
    while q % 10 == 0 or q % 2 == 0 or q % 5 == 0:
        if places > 400:
            return None
        q = q // 10 if q % 10 == 0 else q // 2 if q % 2 == 0 else q // 5
        places += 1
    if q != 1:
        return None
    while (value * 10 ** places).denominator != 1:
        places += 1
    digits = str(value.numerator * 10 ** places // value.denominator)
    digits, zeros = digits.rstrip("0"), len(digits) - len(digits.rstrip("0"))
    scientific = f"{digits}e-{places - zeros}" if places > zeros else digits
    plain = f"0.{digits.zfill(places)}" if len(digits) <= places else None
    return min((t for t in (scientific, plain) if t), key=len)


def _print_Number(node: E.Number) -> tuple[str, int]:
    return _number(node.value)


def _print_Name(node: E.Name) -> tuple[str, int]:
    return node.name, ATOM


def _print_SizeNumber(node: E.SizeNumber) -> tuple[str, int]:
    return node.letter, ATOM


def _print_Negate(node: E.Negate) -> tuple[str, int]:
    """`-A @ B`: Python reads it as `(-A) @ B`, which is the same value."""
    if isinstance(node.arg, E.Binary) and node.arg.op in "*/@":
        return "-" + to_text(node.arg), PRODUCT
    return "-" + _at(node.arg, POWER), SIGN


def _print_Transpose(node: E.Transpose) -> tuple[str, int]:
    return _at(node.arg, ATOM) + ".T", ATOM


def _print_Binary(node: E.Binary) -> tuple[str, int]:
    op = node.op
    if op in "+-":
        return f"{_at(node.left, SUM)} {op} {_at(node.right, PRODUCT)}", SUM
    if op == "**":
        return f"{_at(node.left, ATOM)}**{_at(node.right, SIGN)}", POWER
    left = _at(node.left, SIGN if _mixed(node, node.left) else PRODUCT)
    right = node.right
    if op == "*" and node.left.shape.is_scalar and isinstance(right, E.Binary) and right.op == "@" \
            and not _mixed(right, right.left):
        return f"{left} * {to_text(right)}", PRODUCT   # `2 * A.T @ x`: (2 * A.T) @ x, the same
    return f"{left} {op} {_at(right, SIGN)}", PRODUCT


def _mixed(node: E.Binary, left: E.Expr) -> bool:
    """An element-wise product of arrays inside a matrix product or the reverse, as
    `(A @ x) * v`: bracketed, though Python would read it the same, since the eye cannot."""
    if not (isinstance(left, E.Binary) and left.op in "*/@" and left.op != node.op
            and "@" in (node.op, left.op)):
        return False
    scaled = lambda n: n.op in "*/" and (n.left.shape.is_scalar or n.right.shape.is_scalar)  # noqa: E731
    return not (scaled(left) or scaled(node))


def _size(dim) -> str:
    return str(dim).replace("+", " + ")


def _print_Call(node: E.Call) -> tuple[str, int]:
    if node.func == "pi":
        return "pi", ATOM
    if node.sizes:
        return f"{node.func}({', '.join(_size(s) for s in node.sizes)})", ATOM
    return f"{node.func}({', '.join(to_text(a) for a in node.args)})", ATOM


def _print_Apply(node: E.Apply) -> tuple[str, int]:
    return f"{node.func}({', '.join(to_text(a) for a in node.args)})", ATOM


def _print_Derivative(node: E.Derivative) -> tuple[str, int]:
    return f"{'d' if node.total else 'pd'}({node.of}, {node.wrt})", ATOM


def _print_Matrix(node: E.Matrix) -> tuple[str, int]:
    if len(node.rows) == 1:
        return "[" + ", ".join(to_text(e) for e in node.rows[0]) + "]", ATOM
    return "[" + ", ".join("[" + ", ".join(to_text(e) for e in row) + "]"
                           for row in node.rows) + "]", ATOM


def _print_Index(node: E.Index) -> tuple[str, int]:
    shape = node.arg.shape
    index = (str(node.col) if shape.rows == 1 else str(node.row) if shape.cols == 1
             else f"{node.row}, {node.col}")
    return f"{_at(node.arg, ATOM)}[{index}]", ATOM
