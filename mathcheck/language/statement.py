"""A block's statement as a reader sees it: LaTeX pieces printed by `latex`, and their JSON
form, in which a verified block's statement is cached beside its verdict (read as untrusted,
like every cached value: anything of another shape is rejected)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Statement:
    """A block ready to typeset: every piece is LaTeX without surrounding delimiters."""

    title: str
    latex: str                  # the whole claim: derivative of f = claim
    derivative_latex: str       # the operator, e.g. \frac{\partial}{\partial \mathbf{w}}
    f_latex: str
    wrt_latex: str
    claim_latex: str            # a cases environment when the claim is piecewise
    shape_note: str             # the derivative's shape, e.g. 1 \times n
    layout: str
    cases: bool
    lets: list[str] = field(default_factory=list)       # 'u_1 &= x^{2}'
    f_lets: list[str] = field(default_factory=list)     # of those, the ones f reads
    claim_lets: list[str] = field(default_factory=list)  # and the claim, its conditions or assumptions
    steps: list[str] = field(default_factory=list)      # 'lhs &= rhs'
    assumptions: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)      # the variables: x \\in \\mathbb{R}^{n}
    checks: list[tuple[str, str]] = field(default_factory=list)  # each case: (equation, condition)
    symbols: dict[str, str] = field(default_factory=dict)        # each variable as printed


_TEXTS = {"title", "latex", "derivative_latex", "f_latex", "wrt_latex", "claim_latex", "shape_note", "layout"}
_LISTS = {"lets", "f_lets", "claim_lets", "steps", "assumptions", "kinds"}
_KEYS = {f.name for f in fields(Statement)}


def statement_to_json(statement: Statement) -> dict[str, Any]:
    """Plain JSON values (lists for tuples), the same whether it is stored or sent on a pipe."""
    return {**asdict(statement), "checks": [list(check) for check in statement.checks]}


def statement_from_json(data: Any) -> Statement:
    """The statement `statement_to_json` wrote; ValueError for anything of another shape."""
    if type(data) is not dict or data.keys() != _KEYS:
        raise ValueError("not a statement")
    checks, symbols = data["checks"], data["symbols"]
    lists = [data[k] for k in _LISTS]
    if not ({type(data[k]) for k in _TEXTS} == {str} and type(data["cases"]) is bool
            and {type(v) for v in lists} == {list} and {type(item) for items in lists for item in items} <= {str}
            and type(checks) is list and all(type(c) is list and len(c) == 2 for c in checks)
            and {type(v) for c in checks for v in c} <= {str}
            and type(symbols) is dict and {type(v) for v in symbols.values()} <= {str}):
        raise ValueError("not a statement")
    return Statement(**{**data, "checks": [(equation, condition) for equation, condition in checks]})
