"""Typed expressions -> LaTeX in the article's notation: one small method per node.

Vectors and matrices are bold, scalars italic; `*` on vectors is the Hadamard product
(\\odot), `/` on vectors is \\oslash, `kron` is the Kronecker product (\\otimes), `@` is
juxtaposition, `.T` is ^T. Everything a reader sees in a block is printed from the very
trees that were checked. How a derivative is written (d or \\partial, and how the layout shows) is decided in one place,
`derivative_letter` and `derivative_symbol`, for the headline and the steps alike.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction

from ..pages.blocks import Block
from . import expressions as E
from .claims import Claim, read_claim
from .shapes import SCALAR as SCALAR_SHAPE, Shape, Signature
from .statement import Statement

# Names printed as the letter they spell (`ell` is the script l, ℓ).
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "nu",
         "rho", "sigma", "tau", "phi", "psi", "omega", "xi", "zeta", "kappa", "chi", "ell",
         "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}
FUNCTION_NAMES = {"sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "log": r"\log",
                  "tanh": r"\tanh", "sigmoid": r"\sigma", "step": r"\operatorname{step}",
                  "sum": r"\operatorname{sum}", "diag": r"\operatorname{diag}",
                  "trace": r"\operatorname{tr}", "det": r"\det",
                  "softmax": r"\operatorname{softmax}", "logsumexp": r"\operatorname{logsumexp}",
                  "sinh": r"\sinh", "cosh": r"\cosh", "arctan": r"\arctan",
                  "erf": r"\operatorname{erf}", "sign": r"\operatorname{sign}"}
# binding strength of the printed forms: sums < products < signs < powers < atoms
SUM, PRODUCT, SIGN, POWER, ATOM = range(5)


def typeset(block: Block) -> Statement:
    """The statement of a block, printed from its parsed expressions (raises BlockError)."""
    return statement(read_claim(block), block.title)


def statement(claim: Claim, title: str | None = None) -> Statement:
    printer = LatexPrinter({**claim.vars, **{n: v.shape for n, v in claim.lets}}, claim)
    wrt = ", ".join(printer.name(w, claim.vars[w]) for w in claim.wrt)
    if len(claim.wrt) > 1:
        wrt = rf"({wrt})"
    if claim.wrt_vec:
        wrt = rf"\operatorname{{vec}}({wrt})"
    # Magnus and Neudecker's d vec F / d vec(X)^T: the row of the denominator made visible
    by = wrt + "^T" if claim.wrt_vec and claim.order == 1 and claim.layout == "numerator" else wrt
    f = printer.print(claim.f)
    f_wrapped = (rf"\left( {f} \right)" if printer.strength(claim.f) < ATOM
                 and not _is_vec(claim.f) else f)
    # f's derivative is written as the steps write the total derivative of a name for f
    of_f = printer.variables(claim.f)
    stands_for_f = any(w in claim.wrt and printer.variables(printer.lets[of]) == of_f
                       for of, w in printer.both if of in printer.lets)
    letter = ("d" if stands_for_f else
              derivative_letter(len(claim.wrt) == 1 and claim.wrt_shape.is_scalar,
                                of_f - set(claim.wrt)))
    layout = claim.layout
    if claim.wrt_vec and claim.order == 1 and layout == "denominator" and not claim.f.shape.is_scalar:
        # its transpose: d (vec F)^T / d vec(X), the column of the denominator made visible
        f_wrapped, layout = printer.print(E.Transpose(claim.f.shape.T, claim.f)), "numerator"
    if claim.order == 2:
        operator = second_derivative_symbol(letter, "", by, claim.wrt_shape.is_scalar)
    else:
        operator = derivative_symbol(letter, "", by, layout, claim.f.shape.is_scalar,
                                     claim.wrt_shape.is_scalar)
    if claim.is_piecewise:
        rows = [rf"{printer.print(c.value)} & \text{{if }} {printer.print(c.condition)}"
                if c.condition is not None else rf"{printer.print(c.value)} & \text{{otherwise}}"
                for c in claim.cases]
        claim_latex = r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"
    else:
        claim_latex = printer.print(claim.cases[0].value)
    if claim.order == 2:
        lhs = second_derivative_symbol(letter, f_wrapped, by, claim.wrt_shape.is_scalar,
                                       applied=True)
    else:
        lhs = derivative_symbol(letter, f_wrapped, by, layout, claim.f.shape.is_scalar,
                                claim.wrt_shape.is_scalar, applied=True)
    checks = [(f"{lhs} = {printer.print(c.value)}",
               printer.print(c.condition) if c.condition is not None else "") for c in claim.cases]
    printed = {n: f"{printer.name(n, v.shape)} &= {printer.print(v)}" for n, v in claim.lets}
    shown, by_f, by_claim = shown_lets(claim), shown_lets(claim, ("f",)), shown_lets(claim, ("claim",))
    return Statement(
        title=title or claim.id,
        latex=f"{lhs} = {claim_latex}",
        derivative_latex=operator, f_latex=f, wrt_latex=wrt, claim_latex=claim_latex,
        shape_note=_shape(claim.expected),
        layout=claim.layout, cases=claim.is_piecewise,
        lets=[text for n, text in printed.items() if n in shown],
        f_lets=[text for n, text in printed.items() if n in by_f],
        claim_lets=[text for n, text in printed.items() if n in by_claim],
        steps=[f"{printer.print(s.lhs)} &= {printer.print(s.rhs)}" for s in claim.steps],
        assumptions=[_assumption(printer, a, claim) for a in claim.assumptions],
        kinds=[_kind(printer, n, shape, n in claim.constants) for n, shape in claim.vars.items()]
        + [_function_kind(printer, n, signature) for n, signature in claim.functions.items()],
        checks=checks,
        symbols={n: printer.name(n, shape) for n, shape in claim.vars.items()},
    )


def by_let_name(node: E.Derivative, shapes: dict[str, Shape], functions: dict[str, Signature]) -> bool:
    """Whether the derivative of an abstract function prints with its `let` name: a
    function of numbers applied entry by entry to a vector or matrix (`y: f(u)`) has no
    derivative by that array of its own (df/du is of a number), so the term is the
    Jacobian of the array it gives, dy/du, with y defined beside it."""
    return (node.function is not None and functions[node.function].elementwise
            and not shapes[node.of].is_scalar)


def shown_lets(claim: Claim, parts: tuple[str, ...] = ("f", "claim", "steps")) -> set[str]:
    """The `let` names the printed statement reads in `parts`: f; the claim (its cases and
    their conditions, and the assumptions); the steps. With a name, those its definition
    reads. A name nothing shown uses would be a "where" the reader cannot place, so it stays
    in the checks, not the page (a table row, which shows no steps, defines fewer)."""
    lets = dict(claim.lets)
    shapes = {**claim.vars, **{name: value.shape for name, value in claim.lets}}
    roots = (([claim.f] if "f" in parts else [])
             + ([c.value for c in claim.cases] + [c.condition for c in claim.cases if c.condition is not None]
                + [a.condition for a in claim.assumptions if a.condition is not None] if "claim" in parts else [])
             + ([side for step in claim.steps for side in (step.lhs, step.rhs)] if "steps" in parts else []))
    shown: set[str] = set()
    while roots:
        for node in E.walk(roots.pop()):
            # an abstract function's own derivative prints the function, not the name of its
            # application (`d(u, x)` with `u: f(x)` is df(x)/dx)
            names = ((node.name,) if isinstance(node, E.Name) else
                     (node.wrt,) if isinstance(node, E.Derivative) and node.function
                     and not by_let_name(node, shapes, claim.functions) else
                     (node.of, node.wrt) if isinstance(node, E.Derivative) else ())
            for name in names:
                if name in lets and name not in shown:
                    shown.add(name)
                    roots.append(lets[name])
    return shown


def derivative_letter(by_one_scalar: bool, others: set[str]) -> str:
    """`d` for the derivative of a function of one scalar variable (nothing else in it
    varies), `\\partial` otherwise: other variables are held fixed, or the variable is a
    vector or matrix whose entries are each a variable."""
    return "d" if by_one_scalar and not others else r"\partial"


def derivative_symbol(letter: str, of: str, wrt: str, layout: str, of_scalar: bool,
                      wrt_scalar: bool, applied: bool = False) -> str:
    """The derivative of `of` by `wrt`, its layout visible in the symbol. Numerator layout:
    the Jacobian `\\partial f / \\partial x` (by several scalars `\\partial f / \\partial
    (x, y)`, a row: `\\nabla` is kept for the column). Denominator layout: the gradient
    `\\nabla_x f`, shaped like x, of a scalar; the transposed Jacobian of anything else
    (scalar by scalar is the same in both). `applied` writes the operator before the
    expression `of`; `of` empty gives the operator alone."""
    def frac() -> str:
        if applied or not of:
            return rf"\frac{{{letter}}}{{{letter} {wrt}}}" + (f" {of}" if of else "")
        return rf"\frac{{{letter} {of}}}{{{letter} {wrt}}}"
    if layout == "denominator" and not (of_scalar and wrt_scalar):
        if of_scalar:
            return rf"\nabla_{{{wrt}}} {of}".rstrip()
        return rf"\left( {frac()} \right)^T"
    return frac()


def second_derivative_symbol(letter: str, of: str, wrt: str, wrt_scalar: bool,
                             applied: bool = False) -> str:
    """The second derivative, the same in both layouts: `d^2 f / d x^2` by a scalar, the
    Hessian `\\partial^2 f / \\partial x \\partial x^T` by a column."""
    below = rf"{letter} {wrt}^2" if wrt_scalar else rf"{letter} {wrt} \, {letter} {wrt}^T"
    if applied or not of:
        return rf"\frac{{{letter}^2}}{{{below}}}" + (f" {of}" if of else "")
    return rf"\frac{{{letter}^2 {of}}}{{{below}}}"


GE = r"\ge"


def _assumption(printer: LatexPrinter, a, claim: Claim) -> str:
    if a.relation:   # larger first: `m <= n` is printed n \ge m
        big, op, small = a.relation
        return f"{big} {'>' if op == '>' else GE} {small}"
    if a.prop:
        word = {"spd": "symmetric positive definite"}.get(a.prop, a.prop)
        return rf"{printer.name(a.name, claim.vars[a.name])} \text{{ {word}}}"
    return printer.print(a.condition)


class LatexPrinter:
    """Prints typed expressions; `shapes` tells which names are bold; the block's claim
    (when given) what its `d(y, x)` and `pd(y, x)` depend on, and which abstract functions
    are vector-valued (bold)."""

    def __init__(self, shapes: dict[str, Shape], claim: Claim | None = None):
        self.shapes = shapes
        self.claim = claim
        self.functions: dict[str, Signature] = dict(claim.functions) if claim else {}
        self.lets = dict(claim.lets) if claim else {}
        terms = [n for step in (claim.steps if claim else ()) for side in (step.lhs, step.rhs)
                 for n in E.walk(side) if isinstance(n, E.Derivative)]
        # a pair written both ways, `d(y, x)` and `pd(y, x)`: the total one is always d
        self.both = ({(n.of, n.wrt) for n in terms if n.total}
                     & {(n.of, n.wrt) for n in terms if not n.total})
        self.inline_fractions = False   # inside an exponent
        self.followed = False           # another factor follows what is printed, unbracketed
        roots = ([claim.f, *(v for _, v in claim.lets), *(c.value for c in claim.cases),
                  *(side for step in claim.steps for side in (step.lhs, step.rhs))] if claim else [])
        # columns of ones of two lengths in one block: each is printed with its length
        self.ones_sized = len({n.sizes for root in roots for n in E.walk(root)
                               if isinstance(n, E.Call) and n.func == "ones"}) > 1

    def variables(self, node: E.Expr, through_lets: bool = True) -> set[str]:
        """The names `node` depends on, constants left out: its variables (every `let`
        followed, when `through_lets`) or, if not, its variables and `let` names."""
        constants = self.claim.constants if self.claim else frozenset()
        found: set[str] = set()
        for n in E.walk(node):
            if isinstance(n, E.Name) and n.name not in constants:
                if through_lets and n.name in self.lets:
                    found |= self.variables(self.lets[n.name])
                else:
                    found.add(n.name)
        return found

    def print(self, node: E.Expr) -> str:
        printer = getattr(self, "_print_" + type(node).__name__)
        if isinstance(node, (E.Binary, E.Negate, E.Derivative)):
            return printer(node)
        return self.closed(printer, node)   # a call's or a matrix's insides: nothing follows them

    @contextmanager
    def setting(self, name: str, value: bool) -> Iterator[None]:
        """The printer's state `name` set to `value` for what is printed inside."""
        outer = getattr(self, name)
        setattr(self, name, value)
        try:
            yield
        finally:
            setattr(self, name, outer)

    def closed(self, printer, node: E.Expr) -> str:
        """`printer(node)` where no factor follows what it prints."""
        with self.setting("followed", False):
            return printer(node)

    def strength(self, node: E.Expr) -> int:
        if isinstance(node, E.Binary):
            if node.op in "+-":
                return SUM
            if node.op == "**":
                return POWER
            return PRODUCT
        if isinstance(node, E.Negate):
            return SIGN
        if isinstance(node, E.Number):   # a fraction is set as one: (1/2)^2
            return ATOM if node.value >= 0 and r"\frac" not in _number(node.value) else PRODUCT
        if isinstance(node, (E.Compare, E.AllOf)):
            return SUM
        if isinstance(node, E.Call) and node.func == "dot":
            return PRODUCT
        if isinstance(node, E.Call) and node.func == "kron":
            return SUM   # (A \otimes B) C: parenthesised as an operand of any product
        if _is_vec(node) and isinstance(node.args[0], E.Name):
            return POWER  # vec X: its transpose is (vec X)^T
        if isinstance(node, E.Derivative):
            return POWER  # a fraction, a gradient or a transposed Jacobian: (df/dx)^T
        if isinstance(node, E.Transpose) or isinstance(node, E.Call) and (
                node.func == "inv" or node.func == "exp" and node.args[0].shape.is_scalar):
            return POWER  # already carries a superscript
        return ATOM

    def superscript(self, node: E.Expr) -> str:
        """`node` as an exponent, its fractions written a/b (a fraction there would be set
        too small to read)."""
        with self.setting("inline_fractions", True):
            return self.print(node)

    def wrap(self, node: E.Expr, at_least: int) -> str:
        if self.strength(node) < at_least:
            return rf"\left( {self.closed(self.print, node)} \right)"
        return self.print(node)

    def factor(self, node: E.Expr, at_least: int, kind: str | None) -> str:
        """An operand of a product: bracketed as `wrap` does, and also where it is a product
        of the other kind, entry-wise (⊙, ⊘) inside a matrix product or the reverse, which
        no reader could group (A ⊙ B C is either)."""
        other = _product_kind(node)
        if kind and other and other != kind:
            return rf"\left( {self.closed(self.print, node)} \right)"
        return self.wrap(node, at_least)

    def name(self, name: str, shape: Shape | None = None) -> str:
        shape = shape or self.shapes.get(name)
        base, sub = name, ""
        match = re.fullmatch(r"([A-Za-z]+?)_?(\d+)", name)
        if match:
            base, sub = match.groups()
        elif "_" in name:
            base, sub = name.split("_", 1)
        hat = sub == "hat"
        if hat:
            sub = ""
        text = "\\" + base if base in GREEK else base if len(base) == 1 else rf"\mathit{{{base}}}"
        if shape is not None and not shape.is_scalar:
            text = rf"\boldsymbol{{{text}}}" if base in GREEK else rf"\mathbf{{{text}}}"
        if hat:
            text = rf"\hat{{{text}}}"
        return f"{text}_{{{sub}}}" if sub else text

    def _print_Number(self, node: E.Number) -> str:
        return _number(node.value)

    def _print_Name(self, node: E.Name) -> str:
        return self.name(node.name, node.shape)

    def _print_SizeNumber(self, node: E.SizeNumber) -> str:
        return node.letter

    def _print_Negate(self, node: E.Negate) -> str:
        return "-" + self.wrap(node.arg, PRODUCT)

    def _print_Transpose(self, node: E.Transpose) -> str:
        if isinstance(node.arg, E.Call) and node.arg.func == "inv":   # the Cookbook's A^{-T}
            return self.wrap(node.arg.args[0], ATOM) + "^{-T}"
        return self.wrap(node.arg, ATOM) + "^T"

    def _print_Binary(self, node: E.Binary) -> str:
        op, left, right = node.op, node.left, node.right
        if op in "+-" or op == "**" or op == "/" and right.shape.is_scalar:
            return self.closed(self._print_term, node)   # no factor runs into a sum's last term
        # a product: a factor follows the left operand (and the right one where one follows this)
        kind = _product_kind(node)
        with self.setting("followed", True):
            l = self.factor(left, PRODUCT, kind)
        r = self.factor(right, SIGN, kind)
        if op == "/":
            return rf"{l} \oslash {r}"
        if kind == "entrywise":
            return rf"{l} \odot {r}"
        if isinstance(right, E.Number) or isinstance(left, E.Number) and _starts_with_digit(r):
            return rf"{l} \cdot {r}"
        return f"{l} {r}"

    def _print_term(self, node: E.Binary) -> str:
        """A sum, a difference, a power or a fraction."""
        op, left, right = node.op, node.left, node.right
        if op in "+-":
            right_text = self.wrap(right, PRODUCT if op == "-" else SUM)
            if op == "+" and right_text.startswith("-"):
                right_text = rf"\left( {right_text} \right)"
            return f"{self.print(left)} {op} {right_text}"
        if op == "**":
            return f"{self.wrap(left, ATOM)}^{{{self.superscript(right)}}}"
        if self.inline_fractions:
            return f"{self.wrap(left, PRODUCT)}/{self.wrap(right, POWER)}"
        return rf"\frac{{{self.print(left)}}}{{{self.print(right)}}}"

    def _print_Call(self, node: E.Call) -> str:
        f, args = node.func, [self.print(a) for a in node.args]
        if f == "ones":
            if not self.ones_sized:
                return r"\mathbf{1}"
            return r"\mathbf{1}_{" + r" \times ".join(_dim(d) for d in node.sizes) + "}"
        if f == "zeros":
            return r"\mathbf{0}"
        if f == "eye":
            return "I"
        if f == "exp" and node.args[0].shape.is_scalar:
            return rf"e^{{{self.superscript(node.args[0])}}}"
        if f == "exp":   # entry by entry: e^X would read as the matrix exponential
            return rf"\exp\left( {args[0]} \right)"
        if f == "sqrt":
            return rf"\sqrt{{{args[0]}}}"
        if f == "abs":
            return rf"\left| {args[0]} \right|"
        if f == "norm":
            return rf"\left\lVert {args[0]} \right\rVert"
        if f == "inv":   # the inverse of a transpose is the transpose of the inverse
            inverted = node.args[0]
            if isinstance(inverted, E.Transpose):
                return self.wrap(inverted.arg, ATOM) + "^{-T}"
            return self.wrap(inverted, ATOM) + "^{-1}"
        if f == "dot":
            return rf"{self.wrap(node.args[0], ATOM)} \cdot {self.wrap(node.args[1], ATOM)}"
        if f == "outer":
            return rf"{self.wrap(node.args[0], ATOM)} {self.wrap(node.args[1], ATOM)}^T"
        if f == "max":
            return rf"\max\left( {args[0]}, {args[1]} \right)"
        if f == "concat":
            return r"\begin{bmatrix} " + r" \\ ".join(args) + r" \end{bmatrix}"
        if f == "pi":
            return r"\pi"
        if f == "kron":   # an identity there gets its size: I_p \otimes A is not I_n \otimes A
            a, b = (rf"I_{{{_dim(arg.sizes[0])}}}" if isinstance(arg, E.Call) and arg.func == "eye"
                    else self.wrap(arg, SIGN) for arg in node.args)
            return rf"{a} \otimes {b}"
        if f == "vec" and isinstance(node.args[0], E.Name):
            return rf"\operatorname{{vec}} {args[0]}"
        if f == "vec":
            return rf"\operatorname{{vec}}\left( {args[0]} \right)"
        return rf"{FUNCTION_NAMES[f]}\left( {', '.join(args)} \right)"

    def _print_Matrix(self, node: E.Matrix) -> str:
        entries = [[self.print(e) for e in row] for row in node.rows]
        if any(r"\frac" in e for row in entries for e in row):   # fractions at full size, apart
            rows = [" & ".join(r"\displaystyle " + e for e in row) for row in entries]
            return r"\begin{bmatrix} " + r" \\[0.6em] ".join(rows) + r" \end{bmatrix}"
        return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(row) for row in entries) + r" \end{bmatrix}"

    def _print_Index(self, node: E.Index) -> str:
        """Entries count from 1 in print, as in the article, though from 0 in the language."""
        shape = node.arg.shape
        sub = (str(node.row + 1) if shape.cols == 1 else str(node.col + 1) if shape.rows == 1
               else f"{node.row + 1}{node.col + 1}")
        if isinstance(node.arg, E.Name):
            return f"{self.name(node.arg.name, SCALAR_SHAPE)}_{{{sub}}}"
        return rf"\left( {self.print(node.arg)} \right)_{{{sub}}}"

    def _print_Apply(self, node: E.Apply) -> str:
        args = ", ".join(self.print(a) for a in node.args)
        return rf"{self.name(node.func, self.functions[node.func].result)}\left( {args} \right)"

    def _print_Derivative(self, node: E.Derivative) -> str:
        """`d(y, x)` follows every `let` of y, `pd(y, x)` y's own definition (as does the
        derivative of an abstract function, `y: f(u)`); either is written d where what it
        follows depends on x alone (x a scalar)."""
        of, wrt = self.shapes.get(node.of), self.shapes.get(node.wrt)
        definition = self.lets.get(node.of)
        through = node.total and node.function is None
        others = (self.variables(definition, through) - {node.wrt}
                  if definition is not None else set())
        letter = ("d" if node.total and (node.of, node.wrt) in self.both else
                  derivative_letter(wrt is not None and wrt.is_scalar, others))
        layout = self.claim.layout if self.claim else "numerator"
        name = (self.name(node.of) if node.function is None or by_let_name(node, self.shapes, self.functions)
                else self._function_name(node, letter))
        text = derivative_symbol(letter, name, self.name(node.wrt), layout,
                                 of is None or of.is_scalar, wrt is None or wrt.is_scalar)
        if self.followed and text.startswith(r"\nabla"):
            return rf"\left( {text} \right)"   # \nabla_y l x^T would read as the gradient of l x^T
        return text

    def _function_name(self, node: E.Derivative, letter: str) -> str:
        """An abstract function in its own derivative: f(u) in df(u)/du, else f alone (bold
        where its value is a vector or matrix)."""
        name = self.name(node.function, self.functions[node.function].result)
        return rf"{name}\left( {self.name(node.wrt)} \right)" if letter == "d" else name

    def _print_Compare(self, node: E.Compare) -> str:
        """Every comparison holds entry by entry; `!=` of arrays says so in words, because
        x ≠ 0 reads as "not the zero vector"."""
        left, right = self.print(node.left), self.print(node.right)
        if node.op == "!=" and not node.shape.is_scalar:
            if node.right.shape.is_scalar:
                return rf"\text{{no entry of }} {left} \text{{ is }} {right}"
            return rf"{left} \neq {right} \text{{ in every entry}}"
        op = {">": ">", "<": "<", ">=": r"\geq", "<=": r"\leq", "!=": r"\neq"}[node.op]
        return f"{left} {op} {right}"

    def _print_AllOf(self, node: E.AllOf) -> str:
        return r" \text{ and } ".join(self.print(p) for p in node.parts)


def _shape(shape: Shape) -> str:
    return "1 \\times 1" if shape.is_scalar else f"{_dim(shape.rows)} \\times {_dim(shape.cols)}"


def _kind(printer: LatexPrinter, name: str, shape: Shape, constant: bool) -> str:
    """`x \\in \\mathbb{R}`, `\\mathbf{x} \\in \\mathbb{R}^{n}`, `\\mathbf{W} \\in \\mathbb{R}^{m \\times n}`."""
    return rf"{printer.name(name, shape)} \in {_space(shape)}" + (r" \text{ constant}" if constant else "")


def _space(shape: Shape) -> str:
    if shape.is_scalar:
        return r"\mathbb{R}"
    return rf"\mathbb{{R}}^{{{_dim(shape.rows)}}}" if shape.cols == 1 else rf"\mathbb{{R}}^{{{_shape(shape)}}}"


def _function_kind(printer: LatexPrinter, name: str, signature: Signature) -> str:
    """`f \\colon \\mathbb{R} \\to \\mathbb{R}`, `\\mathbf{g} \\colon \\mathbb{R}^{n} \\to \\mathbb{R}^{k}`."""
    inputs = r" \times ".join(_space(a) for a in signature.args)
    return rf"{printer.name(name, signature.result)} \colon {inputs} \to {_space(signature.result)}"


def _dim(dim) -> str:
    """`n`, `(n + 1)`, and a product as juxtaposition: `mn`, `2n`, `n^{2}`."""
    if isinstance(dim, str) and "+" in dim:
        return f"({dim.replace('+', ' + ')})"
    factors = str(dim).split("*")
    if len(factors) > 1 and len(set(factors)) == 1:
        return f"{factors[0]}^{{{len(factors)}}}"
    return "".join(factors)


def _number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        text = f"{float(value):.15g}"
        if "e" not in text:
            return text
    sign = "-" if value < 0 else ""
    return rf"{sign}\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def _is_vec(node: E.Expr) -> bool:
    return isinstance(node, E.Call) and node.func == "vec"


def _product_kind(node: E.Expr) -> str | None:
    """"entrywise" for ⊙ and ⊘ (of two arrays), "matrix" for a product of two arrays, else
    None (a sum, an atom, a product or quotient by a scalar, which groups either way)."""
    if not isinstance(node, E.Binary) or node.op not in "*/@" or node.op == "**":
        return None
    if node.op == "/" and not node.right.shape.is_scalar:
        return "entrywise"   # 1 ⊘ x too
    if node.left.shape.is_scalar or node.right.shape.is_scalar:
        return None
    return "matrix" if node.op == "@" else "entrywise"


def _is_one(node: E.Expr) -> bool:
    return isinstance(node, E.Number) and node.value == 1


def _starts_with_digit(text: str) -> bool:
    return bool(text) and (text[0].isdigit() or text.startswith(r"\frac"))
