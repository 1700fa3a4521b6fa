"""Typed expressions -> short readable text for pictures: runs of plain, italic (scalars),
bold (vectors and matrices) and raised (exponents, transposes) text, in the site's notation
(bold vectors, juxtaposed products, ⊙ for the element-wise product, superscript T)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..language import expressions as E

GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
         "theta": "θ", "lambda_": "λ", "lam": "λ", "mu": "μ", "sigma": "σ", "tau": "τ",
         "phi": "φ", "psi": "ψ", "omega": "ω", "rho": "ρ", "xi": "ξ", "nu": "ν", "kappa": "κ",
         "ell": "ℓ", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
         "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω"}
FUNCTION_NAMES = {"sigmoid": "σ", "sqrt": "√"}
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_ACCENTS = {"_hat": "\u0302", "_bar": "\u0304", "_tilde": "\u0303"}   # x_hat -> x̂
_OPERATORS = {"+": " + ", "-": " − ", "/": "/"}
# How tightly each node binds: a child that binds less than its place needs is bracketed.
_SUM, _PRODUCT, _NEGATION, _POWER, _ATOM = range(1, 6)


@dataclass(frozen=True)
class Run:
    """A piece of label text and its style: "" plain, "italic", "bold" or "raised"."""

    text: str
    style: str = ""


def name_runs(name: str, scalar: bool) -> list[Run]:
    """A name as the site prints it: italic for a scalar, bold for a vector or matrix, Greek
    letters spelled out turned into Greek, trailing digits as a subscript (`u1` -> u₁), a
    `_hat`, `_bar` or `_tilde` as its accent (`x_hat` -> x̂)."""
    stem = name.rstrip("0123456789")
    digits = name[len(stem):] if stem else ""
    stem = stem if digits else name
    accent = next((mark for suffix, mark in _ACCENTS.items() if stem.endswith(suffix) and len(stem) > len(suffix)), "")
    if accent:
        stem = stem[:stem.rindex("_")]
    shown = GREEK.get(stem, stem).removesuffix("_") + accent + digits.translate(_SUBSCRIPTS)
    return [Run(shown, "italic" if scalar else "bold")]


def expression_runs(node: E.Expr) -> list[Run]:
    """The expression as label text, bracketed only where the reading needs it."""
    return _runs(node)[0]


def text_of(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def _runs(node: E.Expr) -> tuple[list[Run], int]:
    if isinstance(node, E.Number):
        return [Run(_fraction(node.value))], _ATOM if node.value.denominator == 1 else _PRODUCT
    if isinstance(node, E.Name):
        return name_runs(node.name, node.shape.is_scalar), _ATOM
    if isinstance(node, E.SizeNumber):
        return [Run(node.letter, "italic")], _ATOM
    if isinstance(node, E.Negate):
        return [Run("−"), *_child(node.arg, _POWER)], _NEGATION
    if isinstance(node, E.Transpose):
        return [*_child(node.arg, _ATOM), Run("T", "raised")], _POWER
    if isinstance(node, E.Binary):
        return _binary(node)
    if isinstance(node, (E.Call, E.Apply)):
        if isinstance(node, E.Apply):   # an abstract function: its name as the site prints it
            head = [Run(name_runs(node.func, True)[0].text, "italic")]
        else:
            head = [Run(FUNCTION_NAMES.get(node.func, node.func))]
        args: list[Run] = []
        for k, arg in enumerate(node.args):
            args += ([Run(", ")] if k else []) + _runs(arg)[0]
        args += [Run(str(size), "italic") for size in (node.sizes if isinstance(node, E.Call) else ())]
        return [*head, Run("("), *args, Run(")")], _ATOM
    return [Run("…")], _ATOM   # literal matrices, entries: too long for a picture's label


def _binary(node: E.Binary) -> tuple[list[Run], int]:
    if node.op == "**":
        exponent = _runs(node.right)[0]
        return [*_child(node.left, _ATOM), *(Run(r.text, "raised") for r in exponent)], _POWER
    if node.op in ("+", "-"):
        return [*_child(node.left, _SUM), Run(_OPERATORS[node.op]), *_child(node.right, _PRODUCT)], _SUM
    if node.op == "/":
        return [*_child(node.left, _PRODUCT), Run("/"), *_child(node.right, _POWER)], _PRODUCT
    both_scalar = node.left.shape.is_scalar or node.right.shape.is_scalar
    joint = " " if node.op == "@" or both_scalar else " ⊙ "
    return [*_child(node.left, _PRODUCT), Run(joint), *_child(node.right, _NEGATION)], _PRODUCT


def _child(node: E.Expr, needed: int) -> list[Run]:
    runs, binds = _runs(node)
    return [Run("("), *runs, Run(")")] if binds < needed else runs


def _fraction(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
