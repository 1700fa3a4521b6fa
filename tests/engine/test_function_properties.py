"""Property tests for rules stated for every function: random compositions of abstract
functions, differentiated here by the chain rule, verify and are proved for every
function; the same derivatives with one function's slope taken from another function,
or scaled by 1.001, fail.

The grammar, in one scalar x: numbers 1 to 4, x, + and * (no minus, so that no
derivative cancels to zero), one-argument functions f, g and a two-argument function h. Every application gets `let` names for its arguments and its
value, so that its own derivative can be written: `u0: ...`, `y0: f(u0)`, `d(y0, u0)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import mathcheck

ONE_ARGUMENT = ("f", "g")
VARS = {"x": "scalar", "f": "function", "g": "function", "h": "function(scalar, scalar -> scalar)"}
SETTINGS = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@dataclass(frozen=True)
class Term:
    text: str
    d: str          # its derivative by x, in the block language
    varies: bool    # depends on x


@dataclass
class Lets:
    """The `let` names made so far, in order; `swap` is a slope from another function."""

    items: dict[str, str] = field(default_factory=dict)
    first_slope: str | None = None      # of the first function applied to something varying
    other_slope: str | None = None

    def name(self, prefix: str, text: str) -> str:
        name = f"{prefix}{len(self.items)}"
        self.items[name] = text
        return name


def build(draw, lets: Lets, depth: int, top: bool = False) -> Term:
    """A random term; at the top, always an application of a function."""
    choices = (4, 5) if top else (0, 0, 1, 2, 3, 4, 4, 5) if depth > 0 else (0, 0, 1)
    choice = draw(st.sampled_from(choices))
    if choice == 0:
        return Term("x", "1", True)
    if choice == 1:
        return Term(str(draw(st.integers(1, 4))), "0", False)
    if choice in (2, 3):
        a, b = build(draw, lets, depth - 1), build(draw, lets, depth - 1)
        varies = a.varies or b.varies
        if draw(st.booleans()):
            return Term(f"({a.text}) * ({b.text})", f"({a.d}) * ({b.text}) + ({a.text}) * ({b.d})", varies)
        return Term(f"({a.text}) + ({b.text})", f"({a.d}) + ({b.d})", varies)
    if choice == 4:
        func = draw(st.sampled_from(ONE_ARGUMENT))
        arg = build(draw, lets, depth - 1)
        u = lets.name("u", arg.text)
        y = lets.name("y", f"{func}({u})")
        slope = f"d({y}, {u})"
        if lets.first_slope is None and arg.varies:
            other = "g" if func == "f" else "f"
            lets.first_slope = slope
            lets.other_slope = f"d({lets.name('w', f'{other}({u})')}, {u})"
        return Term(y, f"{slope} * ({arg.d})", arg.varies)
    a, b = build(draw, lets, depth - 1), build(draw, lets, depth - 1)
    u, v = lets.name("u", a.text), lets.name("v", b.text)
    y = lets.name("y", f"h({u}, {v})")
    return Term(y, f"pd({y}, {u}) * ({a.d}) + pd({y}, {v}) * ({b.d})", a.varies or b.varies)


@st.composite
def rules(draw):
    lets = Lets()
    term = build(draw, lets, 3, top=True)
    return term, lets


def verdict_of(spec: dict):
    page = mathcheck.find_blocks(f"# p\n\n```derivation\n{_yaml(spec)}```\n", "p.md")
    [verdict] = mathcheck.check_blocks(page, jobs=1, time_limit=60, cache_dir=None)
    return verdict


def _yaml(spec: dict) -> str:
    import yaml
    return yaml.safe_dump(spec, sort_keys=False)


@SETTINGS
@given(rules())
def test_a_composition_of_functions_differentiated_by_the_chain_rule_verifies(rule):
    term, lets = rule
    if not lets.items:
        return   # no function was applied
    spec = {"id": "composition", "vars": VARS, "let": lets.items, "f": term.text, "wrt": "x",
            "claim": term.d}
    note(str(spec))
    verdict = verdict_of(spec)
    assert verdict.status == "verified", verdict.message
    assert "proved for every function" in verdict.message


@SETTINGS
@given(rules())
def test_the_slope_of_another_function_or_a_factor_1_001_fails(rule):
    term, lets = rule
    if lets.first_slope is None or not term.varies:
        return   # no one-argument function of x to swap, or a constant
    base = {"id": "composition-wrong", "vars": VARS, "let": lets.items, "f": term.text, "wrt": "x"}
    swapped = term.d.replace(lets.first_slope, lets.other_slope, 1)
    for claim in (swapped, f"1.001 * ({term.d})"):
        note(claim)
        verdict = verdict_of({**base, "claim": claim})
        assert verdict.status == "failed", verdict.message


VECTOR_VARS = {"x": "vector(n)", "A": "matrix(n, n)", "f": "function",
               "G": "function(vector(n) -> vector(n))", "l": "function(vector(n) -> scalar)"}


@dataclass(frozen=True)
class VectorTerm:
    text: str
    jacobian: str     # by x, numerator layout (n x n)
    identity: bool    # the Jacobian is a multiple of the identity (commutes with every factor)
    diagonal: bool    # the Jacobian is diagonal (commutes with an entry-by-entry function's)


@dataclass
class VectorLets(Lets):
    first_product: str | None = None    # `d(y, u) @ (J)` of the first factors that do not commute
    swapped: str | None = None


def build_vector(draw, lets: VectorLets, depth: int) -> VectorTerm:
    choice = draw(st.sampled_from((0, 1, 2, 3, 4, 5) if depth > 0 else (0,)))
    if choice == 0:
        return VectorTerm("x", "eye(n)", True, True)
    if choice in (1, 2):
        a, b = build_vector(draw, lets, depth - 1), build_vector(draw, lets, depth - 1)
        if choice == 1:
            return VectorTerm(f"({a.text}) + ({b.text})", f"({a.jacobian}) + ({b.jacobian})",
                              a.identity and b.identity, a.diagonal and b.diagonal)
        return VectorTerm(f"({a.text}) * ({b.text})",
                          f"diag({b.text}) @ ({a.jacobian}) + diag({a.text}) @ ({b.jacobian})",
                          False, a.diagonal and b.diagonal)
    a = build_vector(draw, lets, depth - 1)
    if choice == 3:
        return VectorTerm(f"A @ ({a.text})", f"A @ ({a.jacobian})", False, False)
    func = "G" if choice == 4 else "f"
    u = lets.name("u", a.text)
    y = lets.name("y", f"{func}({u})")
    product = f"d({y}, {u}) @ ({a.jacobian})"
    commutes = a.identity if func == "G" else a.diagonal
    if not commutes and lets.first_product is None:
        lets.first_product, lets.swapped = product, f"({a.jacobian}) @ d({y}, {u})"
    return VectorTerm(y, product, False, func == "f" and a.diagonal)


@st.composite
def vector_rules(draw):
    lets = VectorLets()
    inner = build_vector(draw, lets, 3)
    u = lets.name("u", inner.text)
    y = lets.name("y", f"l({u})")
    return y, f"d({y}, {u}) @ ({inner.jacobian})", lets


VECTOR_SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                           suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@VECTOR_SETTINGS
@given(vector_rules())
def test_a_loss_of_composed_vector_maps_by_the_vector_chain_rule_verifies(rule):
    f, claim, lets = rule
    spec = {"id": "vector-composition", "vars": VECTOR_VARS, "let": lets.items, "f": f, "wrt": "x",
            "claim": claim}
    note(str(spec))
    verdict = verdict_of(spec)
    assert verdict.status == "verified", verdict.message
    assert "proved for every function" in verdict.message


@VECTOR_SETTINGS
@given(vector_rules())
def test_jacobians_multiplied_in_the_wrong_order_fail(rule):
    f, claim, lets = rule
    if lets.first_product is None:
        return   # no map applied to something whose Jacobian could fail to commute
    wrong = claim.replace(lets.first_product, lets.swapped, 1)
    note(wrong)
    verdict = verdict_of({"id": "vector-composition-wrong", "vars": VECTOR_VARS, "let": lets.items,
                          "f": f, "wrt": "x", "claim": wrong})
    assert verdict.status == "failed", verdict.message
