"""Rules for every function: the random stand-ins, what the evidence says, the messages.

The verdicts of the general rules and their traps are in corpus/general_rules.yaml.
"""
from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from fresh_process import checks_in_fresh_processes

import mathcheck
from mathcheck.checking.numeric import FloatBackend, PreciseBackend
from mathcheck.checking.random_functions import RandomFunction, draws
from mathcheck.language.shapes import SCALAR, Shape, Signature

FILE = "docs/rules.md"
REPO = Path(__file__).resolve().parents[2]
SCALAR_FUNCTION = Signature((SCALAR,), SCALAR)
NUMBER = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"

CHAIN = {"id": "rule-chain", "vars": {"x": "scalar", "f": "function", "g": "function"},
         "let": {"u": "g(x)", "y": "f(u)"}, "f": "f(g(x))", "wrt": "x", "claim": "d(y, u) * d(u, x)"}
WRONG_ARGUMENT = {"id": "rule-wrong-argument", "vars": {"x": "scalar", "f": "function", "g": "function"},
                  "let": {"u": "g(x)", "y": "f(u)", "v": "f(x)"}, "f": "f(g(x))", "wrt": "x",
                  "claim": "d(v, x) * d(u, x)"}
KINKED = {"id": "rule-abs-times-f", "vars": {"x": "scalar", "f": "function"}, "let": {"y": "f(x)"},
          "f": "abs(x) * f(x)", "wrt": "x", "claim": "d(y, x) * abs(x) + y * (2 * step(x) - 1)"}


def verdicts_for(page_of, *specs):
    return mathcheck.check_blocks(mathcheck.find_blocks(page_of(*specs), FILE), jobs=1, time_limit=20,
                                  cache_dir=None)


def scalar_draw(x: float, name: str = "f", block: str = "b", sizes=None) -> RandomFunction:
    point = {"x": np.array([[Fraction(x)]], dtype=object)}
    return draws(block, {name: SCALAR_FUNCTION}, sizes or {}, point, float)[name]


def value(fn: RandomFunction, t: float) -> float:
    return float(fn.apply(FloatBackend(), [np.array([[t]])], (1, 1))[0, 0])


@pytest.mark.parametrize("x", [Fraction(1, 2), Fraction(-7, 5), Fraction(9, 4)])
def test_a_drawn_function_has_no_symmetry_and_is_not_zero_at_zero(x):
    fn = scalar_draw(x)
    at = [value(fn, t) for t in (-1.3, -0.4, 0.0, 0.4, 1.3)]
    assert abs(at[2]) > 1e-3                                   # f(0) != 0
    assert abs(at[1] - at[3]) > 1e-3 and abs(at[0] - at[4]) > 1e-3   # not even
    assert abs(at[1] + at[3]) > 1e-3 and abs(at[0] + at[4]) > 1e-3   # not odd
    assert abs((at[3] - at[2]) - (at[2] - at[1])) > 1e-4             # not linear
    assert abs(at[3] - 0.4) > 1e-3                                     # not the identity


def test_every_derivative_order_is_nonzero_and_no_low_degree_polynomial_fits():
    """The fifth and sixth differences (zero for polynomials of degree 4) stay nonzero."""
    fn = scalar_draw(Fraction(3, 4))
    h = 0.25
    samples = [value(fn, -0.7 + h * i) for i in range(9)]
    for order in (4, 5, 6, 7):
        difference = np.diff(samples, n=order)
        assert np.all(np.abs(difference) > 1e-9), (order, difference)


def test_draws_differ_by_function_point_size_and_block():
    base = value(scalar_draw(Fraction(1, 2)), 0.3)
    assert value(scalar_draw(Fraction(1, 2)), 0.3) == base
    for other in (scalar_draw(Fraction(1, 2), name="g"), scalar_draw(Fraction(3, 5)),
                  scalar_draw(Fraction(1, 2), sizes={"n": 3}), scalar_draw(Fraction(1, 2), block="c")):
        assert value(other, 0.3) != base


def test_vector_map_components_are_coupled_and_nonlinear():
    signature = Signature((Shape("n", 1),), Shape("m", 1))
    point = {"x": np.array([[Fraction(1, 3)]], dtype=object)}
    fn = draws("b", {"g": signature}, {"n": 3, "m": 2}, point, float)["g"]
    z = np.array([[0.4], [-0.9], [1.3]])
    jacobian = fn.jacobian(FloatBackend(), [z], 0)
    assert jacobian.shape == (2, 3) and np.all(np.abs(jacobian) > 1e-6)   # every output uses every input
    moved = fn.jacobian(FloatBackend(), [z + np.array([[0.5], [0.0], [0.0]])], 0)
    assert np.all(np.abs(moved - jacobian) > 1e-9)     # and no entry of the Jacobian is constant


@pytest.mark.parametrize("backend", [FloatBackend(), PreciseBackend()], ids=["float64", "50 digits"])
def test_the_stand_ins_own_derivative_matches_its_differences(backend):
    signature = Signature((Shape("n", 1), SCALAR), Shape("m", 1))
    point = {"x": np.array([[Fraction(2, 3)]], dtype=object)}
    fn = draws("b", {"h": signature}, {"n": 3, "m": 2}, point, backend.number)["h"]
    z = np.array([[backend.number(Fraction(v))] for v in (Fraction(2, 5), Fraction(-6, 5), Fraction(1))],
                 dtype=object)
    s = np.array([[backend.number(Fraction(-1, 2))]], dtype=object)
    for position, at in enumerate((z, s)):
        def g(v, position=position):
            args = [z, s]
            args[position] = v
            return fn.apply(backend, args, (2, 1))
        exact = fn.jacobian(backend, [z, s], position)
        numeric = backend.jacobian(g, at)
        scale = max(abs(e) for e in np.asarray(exact).reshape(-1))
        assert max(abs(e) for e in (exact - numeric).reshape(-1)) < 1e-6 * scale


def test_a_true_rule_is_proved_for_every_function_and_says_how_many_were_tried(page_of):
    [verdict] = verdicts_for(page_of, CHAIN)
    assert verdict.status == "verified", verdict.message
    assert "proved for every function" in verdict.message
    assert "proved for every f, g" in " ".join(verdict.evidence.methods)
    tried = int(re.search(r"(\d+) random functions tried", verdict.message).group(1))
    assert tried == 2 * verdict.evidence.points


def test_a_rule_with_a_kink_is_not_proved_but_names_the_random_functions_tried(page_of):
    [verdict] = verdicts_for(page_of, KINKED)
    assert verdict.status == "verified", verdict.message
    assert "proved" not in verdict.message
    assert re.search(r"\b\d+ random functions tried \(f:", verdict.message)


def test_a_failure_names_the_random_functions_values_at_the_point(page_of):
    [verdict] = verdicts_for(page_of, WRONG_ARGUMENT)
    assert verdict.status == "failed"
    x0 = float(re.search(rf"\bx = ({NUMBER})", verdict.message).group(1))
    drawn = verdict.message.split("random functions drawn for this point give ")[1]
    g_at = re.search(rf"\bg\({NUMBER}\) = ({NUMBER})", drawn)
    assert g_at and f"g({x0:.8g})" in drawn, verdict.message
    assert f"f({g_at.group(1)})" in drawn and f"f'({x0:.8g})" in drawn, verdict.message


def test_a_difference_below_50_digits_is_caught_symbolically_at_the_random_functions(page_of):
    """Numeric evidence cannot see 1e-30; sympy's derivative with undefined functions,
    evaluated at the random functions' draws to 150 digits, does."""
    tiny = {"id": "rule-tiny-factor", "vars": {
        "x": "vector(n)", "g": "function(vector(n) -> vector(n))", "f": "function"},
        "let": {"u": "g(x)", "y": "f(u)"}, "f": "sum(f(g(x)))", "wrt": "x",
        "claim": "(1 + 1e-30) * ones(n).T @ d(y, u) @ d(u, x)"}
    [verdict] = verdicts_for(page_of, tiny)
    assert verdict.status == "failed", verdict.message
    assert "sympy's derivative" in verdict.message and "computed to 150 digits" in verdict.message
    assert "random functions drawn for this point give" in verdict.message


def test_the_same_block_gives_the_same_draws_and_verdict(page_of):
    first = verdicts_for(page_of, CHAIN, WRONG_ARGUMENT, KINKED)
    second = verdicts_for(page_of, CHAIN, WRONG_ARGUMENT, KINKED)
    assert [v.status for v in first] == ["verified", "failed", "verified"]
    assert [(v.message, v.evidence) for v in first] == [(v.message, v.evidence) for v in second]


def test_fresh_processes_with_different_hash_seeds_give_the_same_draws(tmp_path, page_of):
    (tmp_path / "rules.md").write_text(page_of(CHAIN, WRONG_ARGUMENT, KINKED))
    outputs = checks_in_fresh_processes(tmp_path, "rules.md")
    assert [v["status"] for v in outputs[0]] == ["verified", "failed", "verified"]
    assert outputs[0] == outputs[1]


def test_a_different_id_draws_different_functions(page_of):
    [one] = verdicts_for(page_of, WRONG_ARGUMENT)
    [other] = verdicts_for(page_of, {**WRONG_ARGUMENT, "id": "rule-wrong-argument-2"})
    assert other.status == "failed"
    assert one.message.split("give ")[1] != other.message.split("give ")[1]


@pytest.mark.parametrize("spec, where, words", [
    ({"vars": {"x": "scalar", "f": "function"}, "f": "f + x", "wrt": "x", "claim": "1"},
     "f", "is an abstract function (function), not a value"),
    ({"vars": {"x": "scalar", "l": "function(vector(n) -> scalar)"}, "f": "l(x)", "wrt": "x", "claim": "0"},
     "f", "`l` is function(vector(n) -> scalar), so argument 1 must be vector(n)"),
    ({"vars": {"x": "scalar", "f": "function"}, "let": {"u": "x**2", "y": "f(u)"}, "f": "y", "wrt": "x",
      "claim": "d(y, u) * d(u, x)"}, "claim", "would make the claim true by construction"),
    ({"vars": {"x": "scalar", "g": "function(scalar, -> scalar)"}, "f": "g(x)", "wrt": "x", "claim": "0"},
     "vars", "malformed function kind `function(scalar, -> scalar)` for `g`"),
    ({"vars": {"x": "scalar", "g": "function(vector(n))"}, "f": "g(x)", "wrt": "x", "claim": "0"},
     "vars", "malformed function kind `function(vector(n))`"),
    ({"vars": {"x": "scalar", "g": "function(vector(n) scalar)"}, "f": "g(x)", "wrt": "x", "claim": "0"},
     "vars", "malformed function kind `function(vector(n) scalar)`"),
])
def test_bad_input_is_an_error_naming_its_line(page_of, spec, where, words):
    spec = {"id": "rule-bad", **spec}
    [verdict] = verdicts_for(page_of, spec)
    assert verdict.status == "error"
    assert words in verdict.message, verdict.message
    keys = list(spec)
    line = 3 + 1 + keys.index(where) + sum(len(spec[k]) for k in keys[:keys.index(where)]
                                          if isinstance(spec[k], dict))
    assert verdict.message.endswith(f"(line {line})"), (line, verdict.message)


def test_a_typeset_rule_prints_the_functions_as_the_article_does(page_of):
    vector_chain = {"id": "rule-vector-chain", "vars": {
        "x": "vector(n)", "g": "function(vector(n) -> vector(k))", "f": "function(vector(k) -> scalar)"},
        "let": {"u": "g(x)", "y": "f(u)"}, "f": "f(g(x))", "wrt": "x", "claim": "d(y, u) @ d(u, x)"}
    [block] = mathcheck.find_blocks(page_of(vector_chain), FILE)
    statement = mathcheck.typeset(block)
    assert r"f\left( \mathbf{g}\left( \mathbf{x} \right) \right)" in statement.f_latex
    assert r"\frac{\partial f}{\partial \mathbf{u}}" in statement.claim_latex
    assert r"\frac{\partial \mathbf{g}}{\partial \mathbf{x}}" in statement.claim_latex
    [block] = mathcheck.find_blocks(page_of(CHAIN), FILE)
    statement = mathcheck.typeset(block)
    assert statement.claim_latex == (r"\frac{d f\left( u \right)}{d u} "
                                     r"\frac{d g\left( x \right)}{d x}")


def test_the_page_of_general_rules_verifies_and_each_rule_is_proved_for_every_function():
    page = Path(__file__).parent / "pages" / "general_rules.md"
    verdicts = mathcheck.check_blocks(mathcheck.find_blocks(page.read_text(), str(page)), jobs=2,
                                      time_limit=60, cache_dir=None)
    assert len(verdicts) >= 13
    for verdict in verdicts:
        assert verdict.status == "verified", verdict.message
        assert "random functions tried" in verdict.message and "proved for every function" in verdict.message


def test_a_kind_split_by_a_one_line_mapping_says_to_quote_it(page_of):
    text = "id: rule-split\nvars: {x: scalar, h: function(scalar, scalar -> scalar)}\nf: h(x, x)\nwrt: x\nclaim: 0\n"
    [verdict] = verdicts_for(page_of, text)
    assert verdict.status == "error"
    assert "malformed function kind `function(scalar` for `h`" in verdict.message
    assert "quote the kind" in verdict.message and verdict.message.endswith("(line 5)")


def test_the_messages_the_contributing_guide_quotes_are_the_checkers():
    """Every message quoted in the guide's section on abstract functions is what the
    checker says about the drafts it describes (tests/engine/pages/contributing_drafts.md)."""
    guide = (REPO / "docs" / "block-format.md").read_text()
    section = guide.split("## Rules for every function")[1].split("\n## ")[0]
    drafts = (Path(__file__).parent / "pages" / "contributing_drafts.md").read_text()
    said = [" ".join(v.message.split()) for v in mathcheck.check_blocks(
        mathcheck.find_blocks(drafts, "docs/draft.md"), jobs=1, time_limit=20, cache_dir=None)]
    quoted = re.findall(r"```text\n(.*?)```", section, re.S)
    quoted += re.findall(r"(?<!`)``(?!`)(.+?)(?<!`)``(?!`)", section, re.S)
    quoted = [" ".join(q.split()) for q in quoted]
    assert len(quoted) >= 8
    for quote in quoted:
        assert any(quote in message for message in said), quote
