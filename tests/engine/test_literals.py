"""Matrix literals, literal indexing and `wrt` lists: the article's small Jacobians."""
import pytest

import mathcheck

JACOBIAN = """\
id: {id}
vars: {{x: scalar, y: scalar}}
f: "[[3*x**2*y], [2*x + y**8]]"
wrt: [x, y]
layout: {layout}
claim: "{claim}"
"""
CASES = [
    ("numerator", "[[6*y*x, 3*x**2], [2, 8*y**7]]", "verified"),
    ("denominator", "[[6*y*x, 2], [3*x**2, 8*y**7]]", "verified"),
    ("numerator", "[[6*y*x, 2], [3*x**2, 8*y**7]]", "failed"),      # the transpose
    ("numerator", "[[6*y*x, 3*x**2], [2, 8.001*y**7]]", "failed"),
    ("numerator", "[[6*y*x], [3*x**2]]", "failed"),                    # wrong shape
]


def fence(body: str) -> str:
    return "```derivation\n" + body + "```\n"


@pytest.mark.parametrize("layout,claim,expected", CASES)
def test_jacobian_literal(layout, claim, expected):
    text = fence(JACOBIAN.format(id="jac", layout=layout, claim=claim))
    [verdict] = mathcheck.check_text(text, "jac.md")
    assert verdict.status == expected, verdict.message


def test_gradient_of_two_scalars_is_a_row():
    text = fence('id: g\nvars: {x: scalar, y: scalar}\nf: 3*x**2*y\nwrt: [x, y]\n'
                 'claim: "[6*y*x, 3*x**2]"\n')
    [verdict] = mathcheck.check_text(text, "g.md")
    assert verdict.status == "verified", verdict.message


def test_vector_chain_rule_with_indexed_intermediates():
    text = fence('id: v\nvars: {x: scalar}\nlet:\n  g: "[[x**2], [3*x]]"\n'
                 '  y: "[[log(g[0])], [sin(g[1])]]"\nf: "[[log(x**2)], [sin(3*x)]]"\nwrt: x\n'
                 'steps:\n  - "pd(y, g) = [[1/g[0], 0], [0, cos(g[1])]]"\n'
                 '  - "d(y, x) = pd(y, g) @ d(g, x)"\n  - "pd(y, g) = [[1/g[1], 0], [0, cos(g[0])]]"\n'
                 'claim: "[[2/x], [3*cos(3*x)]]"\n')
    [verdict] = mathcheck.check_text(text, "v.md")
    assert verdict.status == "failed" and "pd(y, g) = [[1/g[1]" in verdict.message


@pytest.mark.parametrize("expr,problem", [
    ("[[x, y], [x]]", "same number of entries"),
    ("[x, [y]]", "write a row"),
    ("[v, x]", "entries of `[...]` are scalars"),
    ("v[0]", "literal size"),
    ("[x, y][2]", "out of range"),
    ("[x, y][0:1]", "whole number"),
])
def test_bad_literals_are_located_errors(expr, problem):
    text = fence(f'id: b\nvars: {{x: scalar, y: scalar, v: vector(n)}}\nf: "{expr}"\nwrt: x\n'
                 'claim: "0"\n')
    [verdict] = mathcheck.check_text(text, "b.md")
    assert verdict.status == "error" and problem in verdict.message, verdict.message


def test_wrt_list_needs_scalars():
    text = fence('id: w\nvars: {x: scalar, v: vector(n)}\nf: x\nwrt: [x, v]\nclaim: "[1, 0]"\n')
    [verdict] = mathcheck.check_text(text, "w.md")
    assert verdict.status == "error" and "scalars" in verdict.message


def test_literal_prints_as_bmatrix_with_entries_counted_from_one():
    text = fence('id: p\nvars: {x: scalar}\nlet:\n  g: "[[x**2], [3*x]]"\nf: "g[1]"\nwrt: x\n'
                 'claim: "3"\n')
    [block] = mathcheck.find_blocks(text, "p.md")
    statement = mathcheck.typeset(block)
    assert statement.f_latex == "g_{2}"
    assert statement.lets == [r"\mathbf{g} &= \begin{bmatrix} x^{2} \\ 3 x \end{bmatrix}"]


FOLDED = """\
id: folded
vars:
  w_hat: vector(n+1)
  x: vector(n)
f: max(0, w_hat.T @ concat(x, 1))
wrt: w_hat
assume:
  - w_hat.T @ concat(x, 1) > 0
claim: {claim}
"""


@pytest.mark.parametrize("claim,expected", [
    ("concat(x, 1).T", "verified"),
    ("concat(x, 0).T", "failed"),        # the bias's entry of the gradient is 1
    ("concat(x, 1)", "failed"),          # a column where numerator layout wants a row
    ("x.T", "shape"),                    # 1 x n where 1 x (n+1) is due
])
def test_bias_folded_into_the_weights(claim, expected):
    [verdict] = mathcheck.check_text(fence(FOLDED.format(claim=claim)), "folded.md")
    if expected == "shape":
        assert verdict.status == "failed" and "1 x n+1" in verdict.message, verdict.message
    else:
        assert verdict.status == expected, verdict.message


def test_folding_keeps_the_dot_product():
    text = fence("id: dot\nvars: {w: vector(n), x: vector(n), b: scalar}\n"
                 "f: concat(w, b).T @ concat(x, 1)\nwrt: b\n"
                 "steps:\n  - concat(w, b).T @ concat(x, 1) = w.T @ x + b\nclaim: 1\n")
    [verdict] = mathcheck.check_text(text, "dot.md")
    assert verdict.status == "verified", verdict.message
    [block] = mathcheck.find_blocks(text, "dot.md")
    assert mathcheck.typeset(block).f_latex.startswith(r"\begin{bmatrix} \mathbf{w} \\ b \end{bmatrix}^T")


def test_two_sized_pieces_cannot_be_stacked():
    text = fence("id: two\nvars: {w: vector(n), v: vector(m)}\nf: sum(concat(w, v))\nwrt: w\n"
                 "claim: ones(n).T\n")
    [verdict] = mathcheck.check_text(text, "two.md")
    assert verdict.status == "error" and "at most one piece" in verdict.message
