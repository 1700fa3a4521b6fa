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
