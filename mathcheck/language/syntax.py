"""Our own parser for the expression language: a whitelisting visitor over Python's `ast`.

Page text only ever reaches `ast.parse(mode="eval")`, which builds a tree and runs nothing;
every node type not listed here is refused with a located message. The visitor checks
shapes as it builds, so what it returns is a typed `Expr`.
"""
from __future__ import annotations

import ast
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction

from ..pages.suggest import did_you_mean
from . import expressions as E
from .shapes import (SCALAR, Dim, LayoutError, Shape, Signature, add_dims, derivative_shape,
                     multiply_dims)

MAX_LENGTH = 4000          # characters in one expression
MAX_DEPTH = 60             # nesting of brackets and operators
MAX_EXPONENT = 64          # magnitude of a constant exponent
MAX_NUMBER_DIGITS = 400    # digits, and decimal exponent, of a number literal

ELEMENTWISE = ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sigmoid", "abs", "step",
               "sinh", "cosh", "arctan", "erf", "sign")
FUNCTIONS = ELEMENTWISE + (
    "max", "sum", "dot", "diag", "ones", "zeros", "eye", "trace", "det", "inv", "norm",
    "softmax", "logsumexp", "outer", "concat", "vec", "kron",
)
DERIVATIVES = ("d", "pd")
CONSTANTS = ("pi",)        # written as names; a variable of that name hides it
COMPARISONS = {ast.Gt: ">", ast.Lt: "<", ast.GtE: ">=", ast.LtE: "<=", ast.NotEq: "!="}
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
             ast.MatMult: "@"}


class ExpressionError(ValueError):
    """Page text that is not a well-formed, well-typed expression."""


@dataclass
class Scope:
    """What an expression may refer to."""

    names: dict[str, Shape]
    letters: frozenset[str]
    layout: str = "numerator"
    derivatives: bool = False      # allow d(...) and pd(...) (steps only)
    conditions: bool = False       # allow comparisons and `and` (assumptions, cases)
    lets: dict[str, E.Expr] = field(default_factory=dict)
    functions: dict[str, Signature] = field(default_factory=dict)   # abstract functions
    function_derivatives: bool = False   # allow d/pd of an abstract function (claims)
    applies: dict[str, bool] = field(default_factory=dict)  # `uses_functions` of each let, once


def parse(text: str, scope: Scope) -> E.Expr:
    """Parse and type-check one expression, or raise ExpressionError."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression as text, got {type(text).__name__}")
    require_ascii(text)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    if not text.strip():
        raise ExpressionError("empty expression")
    _check_bracket_depth(text)
    if "#" in text:
        raise ExpressionError(f"`#` in `{_short(text)}`: Python would read the rest as a comment, "
                              "which is not checked; the expression language has no comments")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse `{_short(text)}`: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(f"cannot parse `{_short(text)}`: too deeply nested") from None
    return _Builder(text.strip(), scope).visit(tree.body, 0)


def require_ascii(text: str) -> None:
    """Refuse any character outside ASCII in expression text (names and kinds included).

    Python's parser folds lookalike letters to ASCII ones (`ｘ` and `𝑥` both read as `x`),
    so such a letter would be checked as something other than what the page shows."""
    for ch in text:
        if ord(ch) > 127:
            name = unicodedata.name(ch, "unnamed character")
            folded = unicodedata.normalize("NFKC", ch)
            reads = f"; Python would read it as `{folded}`" if folded != ch and folded.isascii() else ""
            raise ExpressionError(f"`{ch}` (U+{ord(ch):04X} {name}) is not an ASCII character{reads}: "
                                  "write expressions, names and kinds in ASCII")


def _check_bracket_depth(text: str) -> None:
    depth = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError(
                    f"expression is nested more than {MAX_DEPTH} brackets deep")
        elif ch in ")]}":
            depth -= 1


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Builder:
    """Builds typed nodes from a whitelisted set of `ast` nodes."""

    def __init__(self, text: str, scope: Scope):
        self.text = text
        self.scope = scope

    def source(self, node: ast.AST) -> str:
        return _short(ast.get_source_segment(self.text, node) or type(node).__name__)

    def visit(self, node: ast.AST, depth: int) -> E.Expr:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression is nested more than {MAX_DEPTH} levels deep")
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise ExpressionError(
                f"`{self.source(node)}` is not allowed: {_describe(node)} is not part of "
                "the expression language")
        return method(node, depth + 1)

    def visit_Constant(self, node: ast.Constant, depth: int) -> E.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(f"`{self.source(node)}` is not a number")
        if isinstance(value, float):
            return E.Number(SCALAR, _decimal(ast.get_source_segment(self.text, node) or repr(value)))
        if value.bit_length() > MAX_NUMBER_DIGITS * 4:
            raise ExpressionError(f"number `{self.source(node)}` has too many digits")
        return E.Number(SCALAR, Fraction(value))

    def visit_Name(self, node: ast.Name, depth: int) -> E.Expr:
        name = node.id
        if name in self.scope.functions:
            raise ExpressionError(
                f"`{name}` is an abstract function ({self.scope.functions[name]}), not a value: "
                f"apply it to arguments, as in `{name}({_example_args(self.scope.functions[name])})`")
        if self.scope.conditions and name in self.scope.lets \
                and uses_functions(self.scope.lets[name], self.scope.lets, self.scope.applies):
            raise ExpressionError(
                f"`{name}` depends on an abstract function; assumptions and case conditions "
                "may not mention abstract functions (the check draws them at random)")
        if name in self.scope.names:
            return E.Name(self.scope.names[name], name)
        if name in self.scope.letters:
            return E.SizeNumber(SCALAR, name)
        if name in CONSTANTS:
            return E.Call(SCALAR, name, ())
        if name in FUNCTIONS or name in DERIVATIVES:
            raise ExpressionError(f"`{name}` is a function; call it with arguments")
        raise ExpressionError(f"undefined name `{name}`: declare it under `vars` or `let`")

    def visit_UnaryOp(self, node: ast.UnaryOp, depth: int) -> E.Expr:
        arg = self.visit(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return E.Negate(arg.shape, arg)
        if isinstance(node.op, ast.UAdd):
            return arg
        raise ExpressionError(f"`{self.source(node)}`: operator not allowed")

    def visit_BinOp(self, node: ast.BinOp, depth: int) -> E.Expr:
        op = OPERATORS.get(type(node.op))
        if op is None:
            raise ExpressionError(f"`{self.source(node)}`: operator not allowed")
        left, right = self.visit(node.left, depth), self.visit(node.right, depth)
        if op == "@":
            if left.shape.cols != right.shape.rows:
                raise ExpressionError(
                    f"shape error in `{self.source(node)}`: `@` needs the columns of "
                    f"`{self.source(node.left)}` ({_shape(left.shape)}) to match "
                    f"the rows of `{self.source(node.right)}` ({_shape(right.shape)})")
            return E.Binary(Shape(left.shape.rows, right.shape.cols), op, left, right)
        if op == "**":
            self._check_exponent(node.right)
        shape = self._broadcast(node, node.left, left, node.right, right, f"`{op}`")
        return E.Binary(shape, op, left, right)

    def visit_List(self, node: ast.List, depth: int) -> E.Expr:
        if not node.elts:
            raise ExpressionError("`[]`: a matrix needs at least one entry")
        nested = [isinstance(e, ast.List) for e in node.elts]
        if any(nested) and not all(nested):
            raise ExpressionError(f"`{self.source(node)}`: write a row `[a, b]` or rows `[[a, b], [c, d]]`")
        rows = [e.elts for e in node.elts] if all(nested) else [node.elts]
        if len({len(r) for r in rows}) != 1 or not rows[0]:
            raise ExpressionError(f"`{self.source(node)}`: every row needs the same number of entries")
        built = tuple(tuple(self.visit(e, depth) for e in row) for row in rows)
        for row, src in zip(built, rows):
            for entry, e in zip(row, src):
                if not entry.shape.is_scalar:
                    raise ExpressionError(
                        f"`{self.source(e)}` is {entry.shape}; the entries of `[...]` are scalars")
        return E.Matrix(Shape(len(built), len(built[0])), built)

    def visit_Subscript(self, node: ast.Subscript, depth: int) -> E.Expr:
        arg = self.visit(node.value, depth)
        rows, cols = arg.shape.rows, arg.shape.cols
        if not (isinstance(rows, int) and isinstance(cols, int)):
            raise ExpressionError(
                f"`{self.source(node)}`: only arrays of literal size (such as `[a, b]`) can be "
                "indexed; a vector of size n has no fixed entries to name")
        index = node.slice
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        if not all(isinstance(p, ast.Constant) and type(p.value) is int for p in parts):
            raise ExpressionError(f"`{self.source(node)}`: an index is a whole number from 0")
        numbers = [p.value for p in parts]
        if len(numbers) == 1 and (rows == 1 or cols == 1):
            i, j = (0, numbers[0]) if rows == 1 else (numbers[0], 0)
        elif len(numbers) == 2:
            i, j = numbers
        else:
            raise ExpressionError(f"`{self.source(node)}`: index a matrix with `[i, j]`")
        if not (0 <= i < rows and 0 <= j < cols):
            raise ExpressionError(f"`{self.source(node)}`: index out of range for {rows} x {cols}")
        return E.Index(SCALAR, arg, i, j)

    def visit_Attribute(self, node: ast.Attribute, depth: int) -> E.Expr:
        if node.attr != "T":
            raise ExpressionError(
                f"`{self.source(node)}`: only the transpose `.T` may follow a dot")
        arg = self.visit(node.value, depth)
        return E.Transpose(arg.shape.T, arg)

    def visit_Compare(self, node: ast.Compare, depth: int) -> E.Expr:
        if not self.scope.conditions:
            raise ExpressionError(
                f"`{self.source(node)}`: a comparison may only appear in `assume` or a case's `if`")
        if len(node.ops) != 1:
            raise ExpressionError(f"`{self.source(node)}`: join comparisons with `and`")
        op = COMPARISONS.get(type(node.ops[0]))
        if op is None:
            raise ExpressionError(f"`{self.source(node)}`: use one of > < >= <= !=")
        left, right = self.visit(node.left, depth), self.visit(node.comparators[0], depth)
        shape = self._broadcast(node, node.left, left, node.comparators[0], right, f"`{op}`")
        return E.Compare(shape, op, left, right)

    def visit_BoolOp(self, node: ast.BoolOp, depth: int) -> E.Expr:
        if not self.scope.conditions or not isinstance(node.op, ast.And):
            raise ExpressionError(f"`{self.source(node)}`: only `and` may join conditions")
        parts = tuple(self.visit(v, depth) for v in node.values)
        for part, value in zip(parts, node.values):
            if not isinstance(part, (E.Compare, E.AllOf)):
                raise ExpressionError(f"`{self.source(value)}` is not a comparison")
        return E.AllOf(SCALAR, parts)

    def visit_Call(self, node: ast.Call, depth: int) -> E.Expr:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(
                f"`{self.source(node)}`: only the listed functions may be called")
        func = node.func.id
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(f"`{self.source(node)}`: call `{func}` with plain arguments")
        if func in DERIVATIVES:
            return self._derivative(node, func)
        if func in self.scope.functions:
            return self._apply(node, func, tuple(self.visit(a, depth) for a in node.args))
        if func in CONSTANTS:
            raise ExpressionError(f"`{self.source(node)}`: `{func}` is a number; write it "
                                  f"without brackets, as `{func}`")
        if func not in FUNCTIONS:
            hint = did_you_mean(func, (*FUNCTIONS, *self.scope.functions))
            raise ExpressionError(
                f"unknown function `{func}`{hint}; the functions are: {', '.join(FUNCTIONS)}")
        if func in ("ones", "zeros", "eye"):
            return self._constructor(node, func)
        if func == "concat":
            return self._concat(node, tuple(self.visit(a, depth) for a in node.args))
        args = tuple(self.visit(a, depth) for a in node.args)
        return E.Call(self._call_shape(node, func, args), func, args)

    def _call_shape(self, node: ast.Call, func: str, args: tuple[E.Expr, ...]) -> Shape:
        arity = 2 if func in ("max", "dot", "outer", "kron") else 1
        if len(args) != arity:
            raise ExpressionError(
                f"`{self.source(node)}`: `{func}` takes {arity} argument{'s' * (arity > 1)}")
        shapes = [a.shape for a in args]
        what = lambda i: f"`{self.source(node.args[i])}` ({shapes[i]})"  # noqa: E731
        if func in ELEMENTWISE:
            return shapes[0]
        if func == "max":
            return self._broadcast(node, node.args[0], args[0], node.args[1], args[1], "`max`")
        if func in ("sum", "norm"):
            return SCALAR
        if func in ("vec", "kron"):
            return self._vec_kron_shape(node, func, shapes)
        if func in ("diag", "softmax", "logsumexp") and not shapes[0].is_column:
            raise ExpressionError(f"`{func}` needs a column vector, but {what(0)} is not one")
        if func == "diag":
            return Shape(shapes[0].rows, shapes[0].rows)
        if func == "softmax":
            return shapes[0]
        if func == "logsumexp":
            return SCALAR
        if func in ("trace", "det", "inv"):
            if shapes[0].is_scalar or not shapes[0].is_square:
                raise ExpressionError(f"`{func}` needs a square matrix, but {what(0)} is not one")
            return shapes[0] if func == "inv" else SCALAR
        if not (shapes[0].is_column and shapes[1].is_column):
            raise ExpressionError(
                f"shape error: `{func}` needs two column vectors, got {what(0)} and {what(1)}")
        if func == "dot":
            if shapes[0] != shapes[1]:
                raise ExpressionError(
                    f"shape error: `dot` needs vectors of one length, got {what(0)} and {what(1)}")
            return SCALAR
        return Shape(shapes[0].rows, shapes[1].rows)  # outer

    def _vec_kron_shape(self, node: ast.Call, func: str, shapes: list[Shape]) -> Shape:
        """`vec(A)`: A's m x n entries as one column of m n, column after column;
        `kron(A, B)`: every entry of A times the whole of B, (m p) x (n q)."""
        if func == "vec":
            dims = [(shapes[0].rows, shapes[0].cols)]
        else:
            dims = [(shapes[0].rows, shapes[1].rows), (shapes[0].cols, shapes[1].cols)]
        product = [multiply_dims(a, b) for a, b in dims]
        if None in product:
            described = " and ".join(f"`{self.source(a)}` ({_shape(s)})"
                                     for a, s in zip(node.args, shapes))
            raise ExpressionError(
                f"`{self.source(node)}`: `{func}` multiplies sizes, and a size written as a letter "
                f"plus a number cannot be multiplied ({described}); declare that size with a "
                "letter of its own")
        return Shape(product[0], 1) if func == "vec" else Shape(product[0], product[1])

    def _apply(self, node: ast.Call, func: str, args: tuple[E.Expr, ...]) -> E.Expr:
        """An abstract function applied: arguments of its kinds, or (a function of scalars)
        arrays of one shape, entry by entry, a scalar broadcasting as in `max`."""
        signature = self.scope.functions[func]
        if self.scope.conditions:
            raise ExpressionError(
                f"`{self.source(node)}`: assumptions and case conditions may not mention the "
                f"abstract function `{func}` (the check draws it at random)")
        wanted = len(signature.args)
        if len(args) != wanted:
            raise ExpressionError(
                f"shape error in `{self.source(node)}`: `{func}` is {signature} and takes "
                f"{wanted} argument{'s' * (wanted > 1)}, but is given {len(args)}")
        if signature.elementwise:
            shape = SCALAR
            for arg, src in zip(args, node.args):
                if arg.shape.is_scalar or arg.shape == shape:
                    continue
                if not shape.is_scalar:
                    raise ExpressionError(
                        f"shape error in `{self.source(node)}`: `{func}` ({signature}) works "
                        f"entry by entry on equal shapes (or scalars), but its arguments are "
                        + " and ".join(f"`{self.source(s)}` ({_shape(a.shape)})"
                                       for a, s in zip(args, node.args)))
                shape = arg.shape
            return E.Apply(shape, func, args)
        for i, (arg, src, want) in enumerate(zip(args, node.args, signature.args)):
            if arg.shape != want:
                raise ExpressionError(
                    f"shape error in `{self.source(node)}`: `{func}` is {signature}, so argument "
                    f"{i + 1} must be {_shape(want)}, but `{self.source(src)}` is {_shape(arg.shape)}")
        return E.Apply(signature.result, func, args)

    def _concat(self, node: ast.Call, args: tuple[E.Expr, ...]) -> E.Expr:
        """Columns and scalars stacked into one column: `concat(x, 1)` is [x; 1]."""
        if len(args) < 2:
            raise ExpressionError(f"`{self.source(node)}`: `concat` stacks two or more pieces")
        rows: Dim | None = 0
        for arg, src in zip(args, node.args):
            if not (arg.shape.is_scalar or arg.shape.is_column):
                raise ExpressionError(f"`concat` stacks columns and scalars, but `{self.source(src)}` "
                                      f"is {_shape(arg.shape)}")
            rows = add_dims(rows, arg.shape.rows)
            if rows is None:
                raise ExpressionError(f"`{self.source(node)}`: at most one piece may have a "
                                      "size letter (the result must be n + a number long)")
        return E.Call(Shape(rows, 1), "concat", args)

    def _constructor(self, node: ast.Call, func: str) -> E.Expr:
        sizes = tuple(self._size_argument(a) for a in node.args)
        allowed = (1,) if func == "eye" else (1, 2)
        if len(sizes) not in allowed:
            raise ExpressionError(f"`{self.source(node)}`: wrong number of sizes for `{func}`")
        if func == "eye":
            shape = Shape(sizes[0], sizes[0])
        elif len(sizes) == 1:
            shape = Shape(sizes[0], 1)
        else:
            shape = Shape(sizes[0], sizes[1])
        return E.Call(shape, func, (), sizes)

    def _size_argument(self, node: ast.AST) -> str | int:
        if isinstance(node, ast.Name) and node.id in self.scope.letters:
            return node.id
        if isinstance(node, ast.Constant) and type(node.value) is int and 1 <= node.value <= 64:
            return node.value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) \
                and isinstance(node.right, ast.Constant) and type(node.right.value) is int \
                and 1 <= node.right.value <= 64:
            letter = self._size_argument(node.left)
            if isinstance(letter, str) and "+" not in letter and "*" not in letter:
                return f"{letter}+{node.right.value}"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            product = multiply_dims(self._size_argument(node.left), self._size_argument(node.right))
            if product is not None:
                return product
        raise ExpressionError(
            f"`{self.source(node)}` is not a size: use a size letter from `vars` "
            "(such as n), a letter plus a number (n + 1), a product of letters (m * n, the "
            "length of vec of an m x n matrix) or a small whole number")

    def _derivative(self, node: ast.Call, func: str) -> E.Expr:
        if not (self.scope.derivatives or self.scope.function_derivatives and self.scope.functions):
            raise ExpressionError(f"`{func}(...)` may only appear in `steps`")
        if len(node.args) != 2 or not all(isinstance(a, ast.Name) for a in node.args):
            raise ExpressionError(
                f"`{self.source(node)}`: write `{func}(y, x)` with two names")
        of, wrt = (a.id for a in node.args)
        for name in (of, wrt):
            if name not in self.scope.names:
                raise ExpressionError(f"`{self.source(node)}`: `{name}` is not a variable or let name")
        application = self._application(node, func, of, wrt)
        if application is None and not self.scope.derivatives:
            raise ExpressionError(
                f"`{self.source(node)}`: a claim may use `d`/`pd` only for an abstract function's "
                f"own derivative: `{of}` must be a `let` defined as one application of a "
                f"function from `vars` (such as `{of}: f({wrt})`) with `{wrt}` among its "
                "arguments; any other derivative would make the claim true by construction")
        if func == "pd" and of not in self.scope.lets:
            raise ExpressionError(
                f"`{self.source(node)}`: `pd` differentiates a `let` name's own definition, "
                f"and `{of}` is not a let name")
        try:
            shape = derivative_shape(self.scope.names[of], self.scope.names[wrt], self.scope.layout)
        except LayoutError as exc:
            raise ExpressionError(f"`{self.source(node)}`: {exc}") from None
        if application is None:
            return E.Derivative(shape, func == "d", of, wrt)
        return E.Derivative(shape, func == "d", of, wrt, *application)

    def _application(self, node: ast.Call, func: str, of: str, wrt: str) -> tuple[str, int] | None:
        """(function, argument position) where `of` is a let defined as one application of
        an abstract function with the name `wrt` among its arguments, else None."""
        value = self.scope.lets.get(of)
        if not isinstance(value, E.Apply):
            return None
        positions = [i for i, a in enumerate(value.args) if isinstance(a, E.Name) and a.name == wrt]
        if not positions:
            return None
        if func == "d" and len(value.args) > 1 and self.scope.derivatives:
            return None   # in a step, the total derivative (through every argument)
        if len(positions) > 1:
            raise ExpressionError(
                f"`{self.source(node)}` is ambiguous: `{of}` is `{value.func}` applied to `{wrt}` "
                f"{len(positions)} times; give each argument its own name (a `let`)")
        inside = [a for i, a in enumerate(value.args) if i != positions[0]
                  and any(isinstance(n, E.Name) and n.name == wrt for n in E.walk(a))]
        if inside:
            raise ExpressionError(
                f"`{self.source(node)}` is ambiguous: `{wrt}` is an argument of `{value.func}` and "
                f"also appears inside another one; give that argument its own name (a `let`)")
        if func == "d" and len(value.args) > 1:
            raise ExpressionError(
                f"`{self.source(node)}`: `{value.func}` takes {len(value.args)} arguments, "
                f"so its own derivative by one of them is the partial `pd({of}, {wrt})`")
        return value.func, positions[0]

    def _broadcast(self, node, lnode, left: E.Expr, rnode, right: E.Expr, op: str) -> Shape:
        if left.shape == right.shape or right.shape.is_scalar:
            return left.shape
        if left.shape.is_scalar:
            return right.shape
        raise ExpressionError(
            f"shape error in `{self.source(node)}`: {op} works element-wise on equal shapes "
            f"(or a scalar), but `{self.source(lnode)}` is {_shape(left.shape)} and "
            f"`{self.source(rnode)}` is {_shape(right.shape)}")

    def _check_exponent(self, node: ast.AST) -> None:
        value = _constant(node)
        if value is not None and abs(value) > MAX_EXPONENT:
            raise ExpressionError(
                f"exponent `{self.source(node)}` is too large; the limit is {MAX_EXPONENT}")


def uses_functions(node: E.Expr, lets: dict[str, E.Expr], known: dict[str, bool] | None = None) -> bool:
    """Does an expression apply an abstract function, itself or through its let names? Each
    let is looked into once (`known` keeps the answers), so a chain of lets that each name
    the one before twice costs its length, not two to its length."""
    known = {} if known is None else known
    for part in E.walk(node):
        if isinstance(part, E.Apply):
            return True
        if isinstance(part, E.Name) and part.name in lets:
            if part.name not in known:  # a let names only earlier lets: no cycle
                known[part.name] = uses_functions(lets[part.name], lets, known)
            if known[part.name]:
                return True
    return False


def _example_args(signature: Signature) -> str:
    return ", ".join("x" if a.is_scalar else "v" if a.is_column else "A" for a in signature.args)


def _constant(node: ast.AST) -> Fraction | None:
    """The value of a numbers-only exponent, computed with bounds so it cannot blow up."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return Fraction(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _constant(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        a, b = _constant(node.left), _constant(node.right)
        if a is None or b is None:
            return None
        op = OPERATORS[type(node.op)]
        if op == "**":
            if abs(b) > MAX_EXPONENT or abs(a) > 2 ** 64:
                return Fraction(2 ** 64)  # sure to exceed the limit, never computed
            if b.denominator != 1:
                return None
            if a == 0 and b < 0:
                return None
            return a ** int(b)
        if op == "/":
            return None if b == 0 else a / b
        return {"+": a + b, "-": a - b, "*": a * b, "@": None}.get(op)
    return None


def _decimal(text: str) -> Fraction:
    """A decimal literal exactly as written (`1e-400` is not zero), with a bounded exponent."""
    text = text.replace("_", "")
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_NUMBER_DIGITS or len(mantissa) > MAX_NUMBER_DIGITS:
        raise ExpressionError(f"number `{text}` is too large or too small to check")
    return Fraction(text)


def _shape(shape: Shape) -> str:
    """`vector(n), n x 1`; or just `2 x 2` where the kind adds nothing."""
    dims = f"{shape.rows} x {shape.cols}"
    return dims if str(shape) == dims else f"{shape}, {dims}"


def _describe(node: ast.AST) -> str:
    kinds = {
        "Lambda": "a lambda", "ListComp": "a comprehension", "Slice": "a slice", "GeneratorExp": "a comprehension",
        "SetComp": "a comprehension", "DictComp": "a comprehension", "JoinedStr": "an f-string",
        "NamedExpr": "an assignment (:=)", "Tuple": "a tuple", "Dict": "a dict", "Set": "a set", "IfExp": "a conditional",
        "Await": "await", "Yield": "yield", "Starred": "unpacking",
    }
    return kinds.get(type(node).__name__, f"`{type(node).__name__}`")
