"""Blocks -> claims: every expression of a block parsed and typed, with its file line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..pages.blocks import Block
from . import expressions as E
from .shapes import (LayoutError, Shape, SCALAR, Signature, derivative_shape, multiply_dims,
                     second_derivative_shape)
from .syntax import DERIVATIVES, FUNCTIONS, ExpressionError, Scope, parse, require_ascii

_KIND = re.compile(
    r"^\s*(?:(?P<scalar>scalar)|(?P<constant>constant)"
    r"|vector\s*\(\s*(?P<vn>[A-Za-z]\w*)\s*(?:\+\s*(?P<vplus>[1-9]\d?)\s*)?\)"
    r"|matrix\s*\(\s*(?P<mm>[A-Za-z]\w*)\s*,\s*(?P<mn>[A-Za-z]\w*)\s*\))\s*$")
_FUNCTION = re.compile(r"^\s*function\s*(?:\((?P<args>.*)->(?P<result>.*)\))?\s*$")
_PROPERTY = re.compile(r"^\s*(?P<name>[A-Za-z_]\w*)\s+(?P<prop>symmetric|spd|invertible)\s*$")
_NAME = re.compile(r"^[A-Za-z]\w*\Z")
_RELATION = re.compile(
    r"^\s*(?P<left>[A-Za-z_]\w*|\d+)\s*(?P<op>>=|>|<=|<)\s*(?P<right>[A-Za-z_]\w*|\d+)\s*$")
_VEC = re.compile(r"^\s*vec\s*\(\s*(?P<name>[A-Za-z]\w*)\s*\)\s*$")


class BlockError(ValueError):
    """A block whose content cannot be checked; carries the file line it concerns."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Assumption:
    """`A symmetric` / `A spd` / `A invertible` (a matrix property), or a condition."""

    text: str
    prop: str | None = None           # symmetric, spd, invertible
    name: str | None = None
    condition: E.Expr | None = None
    sign: int = 0                     # +1 for `x > 0`, -1 for `x < 0` (sign of every entry)
    relation: tuple[str, str, str] | None = None   # `n >= m`: ("n", ">=", "m"), larger first


@dataclass(frozen=True)
class Case:
    condition: E.Expr | None          # None: the claim holds wherever the assumptions do
    value: E.Expr
    text: str
    line: int


@dataclass(frozen=True)
class Step:
    lhs: E.Expr
    rhs: E.Expr
    text: str
    line: int


@dataclass(frozen=True)
class Claim:
    """What a block asserts, fully parsed and typed."""

    id: str
    file: str
    line: int
    vars: dict[str, Shape]
    letters: tuple[str, ...]
    f: E.Expr
    wrt: tuple[str, ...]              # one variable, or scalars stacked into a column
    layout: str
    expected: Shape                   # the derivative's shape in this layout
    cases: tuple[Case, ...]
    lets: tuple[tuple[str, E.Expr], ...]
    steps: tuple[Step, ...]
    assumptions: tuple[Assumption, ...]
    functions: dict[str, Signature] = field(default_factory=dict)   # abstract functions
    constants: frozenset[str] = frozenset()   # scalars declared `constant`: never differentiated by
    wrt_vec: bool = False             # `wrt: vec(X)`: by X's entries stacked column after column
    order: int = 1                    # 2: the second derivative (a Hessian by a column)

    @property
    def wrt_shape(self) -> Shape:
        return _stacked_shape(self.vars, self.wrt, self.wrt_vec)

    def sign_of(self, name: str) -> int:
        """+1 or -1 where `name > 0` or `name < 0` is assumed (every entry), else 0."""
        return next((a.sign for a in self.assumptions if a.name == name and a.sign), 0)

    @property
    def relations(self) -> tuple[tuple[str, str, str], ...]:
        """The size relations assumed, each (larger, `>` or `>=`, smaller)."""
        return tuple(a.relation for a in self.assumptions if a.relation)

    @property
    def is_piecewise(self) -> bool:
        return any(c.condition is not None for c in self.cases)


def read_claim(block: Block) -> Claim:
    """Parse every expression of a block, or raise BlockError naming the line."""
    if block.problem:
        raise BlockError(block.problem, block.problem_line or block.line)
    spec = block.spec or {}
    line = block.line_of
    for key in ("vars", "let"):
        for name, kind in (spec.get(key) or {}).items():
            _ascii(str(name), line(f"{key}.{name}"))
            if key == "vars":
                _ascii(str(kind), line(f"vars.{name}"))
    wrt_names = spec["wrt"] if isinstance(spec["wrt"], list) else [spec["wrt"]]
    for name in wrt_names:
        _ascii(str(name), line("wrt"))
    shapes, functions = _vars(spec["vars"], line("vars"))
    constants = frozenset(str(n) for n, kind in spec["vars"].items()
                          if (m := _KIND.match(str(kind))) and m["constant"])
    letters = tuple(sorted({l for s in [*shapes.values(), *functions.values()] for l in s.letters()}))
    clash = set(letters) & (set(shapes) | set(functions))
    if clash:
        raise BlockError(f"`{sorted(clash)[0]}` is both a variable and a size", line("vars"))
    layout = spec.get("layout") or "numerator"

    def expr(text, scope: Scope, where: str) -> E.Expr:
        try:
            return parse(str(text), scope)
        except ExpressionError as exc:
            raise BlockError(f"in `{where.split('[')[0].split('.')[0]}`: {exc}", line(where)) from None

    lets: list[tuple[str, E.Expr]] = []
    let_scope = Scope(dict(shapes), frozenset(letters), layout, functions=functions)
    for name, text in (spec.get("let") or {}).items():
        name = str(name)
        if not _NAME.match(name) or name in shapes or name in functions or name in letters \
                or name in FUNCTIONS or name in DERIVATIVES:
            raise BlockError(f"`let` name `{name}` clashes with a variable, size or function "
                             "(or is not a name)", line(f"let.{name}"))
        value = expr(text, let_scope, f"let.{name}")
        lets.append((name, value))
        let_scope.names[name] = value.shape
        let_scope.lets[name] = value

    f = expr(spec["f"], let_scope, "f")
    wrt, wrt_vec = _wrt_vec(spec["wrt"], shapes, line("wrt"))
    wrt = wrt or _wrt(spec["wrt"], shapes, functions, line("wrt"))
    if held := sorted(set(wrt) & constants):
        raise BlockError(f"`wrt: {held[0]}` is declared `constant`; a constant is never "
                         "differentiated by (declare it `scalar`)", line("wrt"))
    order = _order(spec, functions, line("order"))
    wrt_shape = _stacked_shape(shapes, wrt, wrt_vec)
    by = f"vec({wrt[0]})" if wrt_vec else ", ".join(wrt)
    try:
        expected = (second_derivative_shape(f.shape, wrt_shape) if order == 2 else
                    derivative_shape(f.shape, wrt_shape, layout))
    except LayoutError as exc:
        raise BlockError(f"d{'^2' * (order == 2)} f / d {by}: {exc}"
                         + _vec_hint(f.shape, wrt_shape, order), line("f")) from None

    scope = Scope(dict(let_scope.names), frozenset(letters), layout, functions=functions,
                  function_derivatives=True, lets=dict(let_scope.lets))
    cond_scope = Scope(dict(let_scope.names), frozenset(letters), layout, conditions=True,
                       functions=functions, lets=dict(let_scope.lets))
    claim = spec["claim"]
    if isinstance(claim, list):
        cases = tuple(
            Case(_condition(expr(c["if"], cond_scope, f"claim[{i}]"), line(f"claim[{i}]")),
                 expr(c["then"], scope, f"claim[{i}]"), f"if {c['if']}: {c['then']}",
                 line(f"claim[{i}]"))
            for i, c in enumerate(claim))
    else:
        cases = (Case(None, expr(claim, scope, "claim"), str(claim), line("claim")),)

    step_scope = Scope(dict(let_scope.names), frozenset(letters), layout, functions=functions,
                       derivatives=True, lets=dict(let_scope.lets))
    steps = tuple(_step(str(text), step_scope, line(f"steps[{i}]"))
                  for i, text in enumerate(spec.get("steps") or []))
    for i, step in enumerate(steps):
        if held := sorted({n.wrt for side in (step.lhs, step.rhs) for n in E.walk(side)
                           if isinstance(n, E.Derivative)} & constants):
            raise BlockError(f"step `{step.text}` differentiates by `{held[0]}`, which is "
                             "declared `constant`", line(f"steps[{i}]"))

    assume = spec.get("assume") or []
    assumptions = tuple(_assumption(str(a), shapes, cond_scope, line(f"assume[{i}]"))
                        for i, a in enumerate(assume))
    _relations_possible(assumptions, [line(f"assume[{i}]") for i in range(len(assume))])
    return Claim(block.id or "", block.file, block.line, shapes, letters, f, wrt, layout,
                 expected, cases, tuple(lets), steps, assumptions, functions, constants,
                 wrt_vec, order)


def _stacked_shape(shapes: dict[str, Shape], wrt: tuple[str, ...], wrt_vec: bool) -> Shape:
    """The shape of what is differentiated by: one variable, scalars stacked into a column,
    or a matrix's entries stacked into one (`vec(X)`)."""
    if wrt_vec:
        shape = shapes[wrt[0]]
        return Shape(multiply_dims(shape.rows, shape.cols), 1)
    return shapes[wrt[0]] if len(wrt) == 1 else Shape(len(wrt), 1)


def _wrt_vec(spec, shapes: dict[str, Shape], line: int) -> tuple[tuple[str, ...], bool]:
    """`wrt: vec(X)`: ((X,), True); anything else: ((), False), for `_wrt` to read."""
    texts = [str(n) for n in spec] if isinstance(spec, list) else [str(spec)]
    matches = [_VEC.match(t) for t in texts]
    if not any(matches):
        return (), False
    if len(texts) > 1:
        raise BlockError("`wrt: vec(X)` stands alone: it cannot be listed with other variables",
                         line)
    name = matches[0]["name"]
    shape = shapes.get(name)
    if shape is None:
        raise BlockError(f"`wrt: vec({name})`: `{name}` is not one of the matrices in `vars`", line)
    if shape.is_scalar or shape.is_column:
        raise BlockError(f"`wrt: vec({name})`: `{name}` is {shape}, not a matrix; write "
                         f"`wrt: {name}`", line)
    if multiply_dims(shape.rows, shape.cols) is None:
        raise BlockError(f"`wrt: vec({name})`: `{name}` is {shape}, and a size written as a "
                         "letter plus a number cannot be multiplied; give it a letter of its own",
                         line)
    return (name,), True


def _order(spec: dict, functions: dict[str, Signature], line: int) -> int:
    order = spec.get("order", 1)
    text = str(order).strip()
    if isinstance(order, bool) or text not in ("1", "2"):
        raise BlockError(f"`order: {order}`: write `order: 1` (the default, the first "
                         "derivative) or `order: 2` (the second derivative of a scalar f)", line)
    if text == "2" and functions:
        raise BlockError("`order: 2` with abstract functions is out of scope: state the rule "
                         "for their first derivatives (`order: 1`), or write f with known "
                         "functions such as `sin`", line)
    return int(text)


def _vec_hint(f: Shape, x: Shape, order: int) -> str:
    """What to write instead of a first derivative the layouts do not define."""
    if order == 2:
        return ""
    f_matrix, x_matrix = not (f.is_scalar or f.is_vector), not (x.is_scalar or x.is_vector)
    if f_matrix:
        return ("; to differentiate the entries of a matrix-valued F, write `f: vec(F)`"
                + (" and `wrt: vec(X)` (the Jacobian d vec(F) / d vec(X)^T)" if x_matrix else ""))
    return ("; to differentiate by the entries of a matrix X, write `wrt: vec(X)` "
            "(the Jacobian d f / d vec(X)^T)" if x_matrix else "")


def _wrt(spec, shapes: dict[str, Shape], functions: dict[str, Signature],
         line: int) -> tuple[str, ...]:
    names = tuple(str(n).strip() for n in spec) if isinstance(spec, list) else (str(spec).strip(),)
    for name in names:
        if name in functions:
            raise BlockError(f"`wrt: {name}`: `{name}` is an abstract function; differentiate "
                             "by a variable", line)
        if name not in shapes:
            raise BlockError(f"`wrt: {name}` is not one of the variables in `vars`", line)
    if len(names) > 1 and not all(shapes[n].is_scalar for n in names):
        raise BlockError("`wrt` lists several variables only when all are scalars "
                         "(they are stacked into a column)", line)
    if len(set(names)) != len(names) or not names:
        raise BlockError("`wrt` names each variable once", line)
    return names


def _vars(spec: dict, line: int) -> tuple[dict[str, Shape], dict[str, Signature]]:
    """The variables' shapes and the abstract functions' signatures."""
    shapes: dict[str, Shape] = {}
    functions: dict[str, Signature] = {}
    for name, kind in spec.items():
        name = str(name)
        if not _NAME.match(name) or name in FUNCTIONS or name in DERIVATIVES:
            raise BlockError(f"`{name}` cannot be a variable name", line)
        text = str(kind)
        if re.match(r"\s*function\b", text):
            functions[name] = _signature(name, text, line)
            continue
        shape = _shape_of_kind(text)
        if shape is None:
            hint = (" (inside `{...}` YAML splits `matrix(m, n)` at its comma: put each "
                    "variable on its own line, or quote the kind)"
                    if text.startswith("matrix(") and ")" not in text else "")
            raise BlockError(f"unknown kind `{kind}` for `{name}`; use scalar, constant, vector(n), "
                             f"matrix(m, n) with size letters, or function{hint}", line)
        shapes[name] = shape
    return shapes, functions


def _shape_of_kind(text: str) -> Shape | None:
    match = _KIND.match(text)
    if not match:
        return None
    if match["scalar"] or match["constant"]:
        return SCALAR
    if match["vn"]:
        plus = f"+{match['vplus']}" if match["vplus"] else ""
        return Shape(match["vn"] + plus, 1)
    return Shape(match["mm"], match["mn"])


def _signature(name: str, text: str, line: int) -> Signature:
    """`function` (one scalar to a scalar) or `function(KIND, ... -> KIND)`."""
    match = _FUNCTION.match(text)
    if match and match["args"] is None:
        return Signature((SCALAR,), SCALAR)
    args = tuple(_shape_of_kind(p) for p in _split_kinds(match["args"])) if match else (None,)
    result = _shape_of_kind(match["result"]) if match else None
    if None in args or result is None:
        hint = (" (inside `{...}` YAML splits a kind at its commas: put each variable on its "
                "own line, or quote the kind)" if text.count("(") != text.count(")") else "")
        raise BlockError(
            f"malformed function kind `{text}` for `{name}`: write `function` or "
            "`function(KIND, ... -> KIND)`, each KIND scalar, vector(n) or matrix(m, n), "
            f"as in `function(vector(n) -> scalar)`{hint}", line)
    return Signature(args, result)


def _split_kinds(text: str) -> list[str]:
    """Argument kinds split at the commas outside brackets."""
    pieces, depth, current = [], 0, ""
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += ch
    return pieces + [current]


def _condition(node: E.Expr, line: int) -> E.Expr:
    if not isinstance(node, (E.Compare, E.AllOf)):
        raise BlockError("a condition must be a comparison such as `w.T @ x + b > 0`", line)
    return node


def _step(text: str, scope: Scope, line: int) -> Step:
    sides = re.split(r"(?<![<>=!])=(?!=)", text)
    if len(sides) != 2:
        raise BlockError(f"a step is one equation `LEFT = RIGHT`: `{text}`", line)
    try:
        lhs, rhs = (parse(side, scope) for side in sides)
    except ExpressionError as exc:
        raise BlockError(f"in step `{text}`: {exc}", line) from None
    return Step(lhs, rhs, text, line)


def _ascii(text: str, line: int) -> None:
    try:
        require_ascii(text)
    except ExpressionError as exc:
        raise BlockError(f"`{text}`: {exc}", line) from None


def _assumption(text: str, shapes: dict[str, Shape], scope: Scope, line: int) -> Assumption:
    _ascii(text, line)
    relation = _size_relation(text, shapes, scope.letters, line)
    if relation:
        return Assumption(text, relation=relation)
    match = _PROPERTY.match(text)
    if match:
        name, prop = match["name"], match["prop"]
        shape = shapes.get(name)
        if shape is None:
            raise BlockError(f"assumption `{text}`: `{name}` is not a variable", line)
        if shape.is_scalar or not shape.is_square:
            raise BlockError(f"assumption `{text}`: `{name}` is not a square matrix", line)
        return Assumption(text, prop=prop, name=name)
    try:
        node = _condition(parse(text, scope), line)
    except ExpressionError as exc:
        raise BlockError(f"assumption `{text}`: {exc}", line) from None
    sign = 0
    if isinstance(node, E.Compare) and isinstance(node.left, E.Name) \
            and isinstance(node.right, E.Number) and node.right.value == 0:
        sign = {">": 1, "<": -1}.get(node.op, 0)
    return Assumption(text, name=getattr(node.left, "name", None) if sign else None,
                      condition=node, sign=sign)


def _size_relation(text: str, shapes: dict[str, Shape], letters: frozenset[str],
                   line: int) -> tuple[str, str, str] | None:
    """`n >= m`, `n > m` (or `<=`, `<`) between two size letters, larger first; None for
    text that does not compare a size letter; a BlockError for a malformed relation."""
    match = _RELATION.match(text)
    if not match or not {match["left"], match["right"]} & letters:
        return None
    left, op, right = match["left"], match["op"], match["right"]
    size, other = (left, right) if left in letters else (right, left)
    if other not in letters and shapes.get(other) == SCALAR:
        return None   # a condition on a scalar, such as `x > n`
    ordered = sorted(letters)
    write = ("a size relation compares two size letters of the block "
             f"({', '.join(ordered)}), as in `{ordered[-1]} >= {ordered[0]}`" if len(ordered) > 1 else
             f"a size relation compares two size letters, and this block has one ({ordered[0]})")
    if other == size:
        raise BlockError(f"assumption `{text}` relates the size `{size}` to itself; {write}", line)
    if other.isdigit():
        raise BlockError(f"assumption `{text}` compares the size `{size}` with a number; {write} "
                         "(every size is at least 2, and one at least 3)", line)
    if other in shapes:
        raise BlockError(f"assumption `{text}` compares the size `{size}` with the variable "
                         f"`{other}`; {write}", line)
    if other not in letters:
        raise BlockError(f"assumption `{text}`: `{other}` is not a size letter of this block; "
                         f"{write}", line)
    big, small = (left, right) if op in (">", ">=") else (right, left)
    return big, op.replace("<", ">"), small


def _relations_possible(assumptions: tuple[Assumption, ...], lines: list[int]) -> None:
    """Sizes exist that honour the size relations, and they need not be equal: a cycle
    (`n > m` with `m > n`, or `n >= m` with `m >= n`) is an error at its last relation."""
    larger: dict[str, set[str]] = {}
    for a, line in zip(assumptions, lines):
        if not a.relation:
            continue
        big, op, small = a.relation
        larger.setdefault(small, set()).add(big)
        if big in _reachable(larger, big):
            cycle = {x for x in _reachable(larger, big) if big in _reachable(larger, x)}
            strict = any(r.relation and r.relation[1] == ">"
                         and {r.relation[0], r.relation[2]} <= cycle for r in assumptions)
            raise BlockError(
                f"assumption `{a.text}` closes a cycle of size relations: "
                + (f"no sizes can honour them all; keep only the relations that hold (drop "
                   f"`{a.text}` or the one it contradicts)" if strict else
                   f"they force `{big}` and `{small}` to be equal; use one size letter for both"),
                line)


def _reachable(larger: dict[str, set[str]], start: str) -> set:
    """Every letter assumed larger than `start`, directly or through others."""
    seen: set = set()
    todo = list(larger.get(start, ()))
    while todo:
        letter = todo.pop()
        if letter not in seen:
            seen.add(letter)
            todo += larger.get(letter, ())
    return seen
