"""The printer's notation on small blocks: d or ∂, one symbol per derivative, the layout in
the symbol, constants, and each variable's kind beside the derivative's shape."""

from __future__ import annotations

import re

import pytest

from mathcheck import BlockError, find_blocks, typeset
from mathcheck.language.latex import Statement

D = r"\frac{d"
PARTIAL = r"\frac{\partial"


def statement(body: str) -> Statement:
    text = f"```derivation\nid: t\n{body.strip()}\n```\n"
    (block,) = find_blocks(text, "t.md")
    return typeset(block)


def derivative_terms(latex: str) -> list[str]:
    """Every `\\frac{d y}{d x}`-like term, with its letters."""
    return re.findall(r"\\frac\{(?:d|\\partial)[^{}]*\}\{(?:d|\\partial)[^{}]*\}", latex)


def test_a_function_of_one_scalar_is_written_with_d() -> None:
    s = statement("vars: {x: scalar}\nf: sin(x)\nwrt: x\nclaim: cos(x)")
    assert s.latex.startswith(r"\frac{d}{d x}")


def test_a_partial_is_written_with_the_curly_d() -> None:
    s = statement("vars: {x: scalar, y: scalar}\nf: x * y\nwrt: x\nclaim: y")
    assert s.latex.startswith(r"\frac{\partial}{\partial x}")


def test_a_declared_constant_leaves_a_function_of_one_variable() -> None:
    s = statement("vars: {c: constant, x: scalar}\nf: c * x\nwrt: x\nclaim: c")
    assert s.latex.startswith(r"\frac{d}{d x}")
    assert r"c \in \mathbb{R} \text{ constant}" in s.kinds


@pytest.mark.parametrize("body, problem", [
    ("vars: {c: constant, x: scalar}\nf: c * x\nwrt: c\nclaim: x", "`wrt: c` is declared `constant`"),
    ("vars: {c: constant, x: scalar}\nlet: {y: c * x}\nf: c * x\nwrt: x\nsteps: ['d(y, c) = x']\n"
     "claim: c", "differentiates by `c`, which is declared `constant`"),
])
def test_nothing_is_differentiated_by_a_constant(body: str, problem: str) -> None:
    with pytest.raises(BlockError, match=re.escape(problem)):
        statement(body)


def test_a_single_variable_chain_is_written_with_d_throughout() -> None:
    s = statement("""
vars: {x: scalar}
let: {u: x**2, y: sin(u)}
f: sin(x**2)
wrt: x
steps: ["d(y, x) = pd(y, u) * d(u, x)"]
claim: 2*x*cos(x**2)
""")
    terms = derivative_terms(s.steps[0]) + derivative_terms(s.latex)
    assert terms and all(t.startswith(D) for t in terms), terms


def test_headline_and_steps_write_one_derivative_with_one_symbol() -> None:
    """The headline's derivative of f by w and the step's d(y, w) are the same derivative."""
    s = statement("""
vars: {w: vector(n), x: vector(n)}
let: {u: w * x, y: sum(u)}
f: sum(w * x)
wrt: w
steps: ["d(y, w) = pd(y, u) @ d(u, w)"]
claim: x.T
""")
    assert s.latex.startswith(r"\frac{\partial}{\partial \mathbf{w}}")
    assert s.steps[0].startswith(r"\frac{\partial y}{\partial \mathbf{w}} &=")
    assert all(t.startswith(PARTIAL) for t in derivative_terms(s.steps[0]))


def test_total_and_partial_of_one_pair_stay_apart() -> None:
    """With a parameter a, the total and the partial of y by x would both be ∂y/∂x: the
    total one is written d, in the steps and the headline."""
    s = statement("""
vars: {a: scalar, x: scalar}
let: {u: a * x, y: x * u}
f: a * x**2
wrt: x
steps: ["d(y, x) = pd(y, x) + pd(y, u) * d(u, x)"]
claim: 2 * a * x
""")
    lhs, rhs = s.steps[0].split("&=")
    assert lhs.strip() == r"\frac{d y}{d x}"
    assert rhs.strip().startswith(r"\frac{\partial y}{\partial x} +")
    assert s.latex.startswith(r"\frac{d}{d x}")


def test_the_denominator_layout_shows_in_the_symbol() -> None:
    numerator = statement("vars: {u: vector(m), W: 'matrix(m, n)', x: vector(n)}\n"
                          "f: u.T @ W @ x\nwrt: W\nclaim: x @ u.T")
    denominator = statement("vars: {u: vector(m), W: 'matrix(m, n)', x: vector(n)}\n"
                            "f: u.T @ W @ x\nwrt: W\nlayout: denominator\nclaim: u @ x.T")
    assert numerator.latex.startswith(r"\frac{\partial}{\partial \mathbf{W}}")
    assert denominator.latex.startswith(r"\nabla_{\mathbf{W}}")
    jacobian = statement("vars: {A: 'matrix(m, n)', x: vector(n)}\nf: A @ x\nwrt: x\n"
                         "layout: denominator\nclaim: A.T")
    assert jacobian.latex.startswith(r"\left( \frac{\partial}{\partial \mathbf{x}}")
    assert r"\right)^T = \mathbf{A}^T" in jacobian.latex


def test_a_row_of_partials_is_written_with_partials_and_nabla_is_kept_for_the_column() -> None:
    s = statement("vars: {x: scalar, y: scalar}\nf: 3*x**2*y\nwrt: [x, y]\nclaim: '[6*x*y, 3*x**2]'")
    assert s.latex.startswith(r"\frac{\partial}{\partial (x, y)} \left( 3 x^{2} y \right) ="), s.latex
    s = statement("vars: {x: scalar, y: scalar}\nf: 3*x**2*y\nwrt: [x, y]\nlayout: denominator\n"
                  "claim: '[6*x*y, 3*x**2]'")
    assert s.latex.startswith(r"\nabla_{(x, y)} \left( 3 x^{2} y \right) ="), s.latex


def test_a_gradient_by_some_of_the_variables_names_them() -> None:
    s = statement("vars: {x: scalar, y: scalar, a: scalar}\nf: a*x*y\nwrt: [x, y]\nclaim: '[a*y, a*x]'")
    assert s.latex.startswith(r"\frac{\partial}{\partial (x, y)} \left( a x y \right) ="), s.latex  # a held fixed


def test_steps_in_the_denominator_layout_use_its_symbols() -> None:
    s = statement("""
vars: {w: vector(n), x: vector(n)}
let: {u: w * x, y: sum(u)}
f: sum(w * x)
wrt: w
layout: denominator
steps: ["d(y, w) = d(u, w).T @ pd(y, u)"]
claim: x
""")
    assert s.steps[0] == (r"\nabla_{\mathbf{w}} y &= \left( \left( \frac{\partial \mathbf{u}}"
                          r"{\partial \mathbf{w}} \right)^T \right)^T \nabla_{\mathbf{u}} y")


def test_each_variable_is_shown_with_its_kind() -> None:
    s = statement("vars: {u: vector(m), W: 'matrix(m, n)', x: vector(n), b: scalar}\n"
                  "f: u.T @ W @ x + b\nwrt: W\nclaim: x @ u.T")
    assert s.kinds == [r"\mathbf{u} \in \mathbb{R}^{m}", r"\mathbf{W} \in \mathbb{R}^{m \times n}",
                       r"\mathbf{x} \in \mathbb{R}^{n}", r"b \in \mathbb{R}"]
    assert s.shape_note == r"n \times m"


def test_abstract_functions_are_shown_with_their_kinds_and_one_notation() -> None:
    s = statement("""
vars:
  x: scalar
  w: vector(n)
  f: function
  g: function(vector(n) -> scalar)
let: {u: f(x), y: g(w)}
f: f(x) * g(w)
wrt: x
steps: ["d(u, x) = pd(u, x)"]
claim: g(w) * d(u, x)
""")
    assert s.kinds[-2:] == [r"f \colon \mathbb{R} \to \mathbb{R}", r"g \colon \mathbb{R}^{n} \to \mathbb{R}"]
    # f takes one scalar: df(x)/dx, whichever of d and pd wrote it; f(x) g(w) is a partial
    assert s.steps == [r"\frac{d f\left( x \right)}{d x} &= \frac{d f\left( x \right)}{d x}"]
    assert s.latex.startswith(r"\frac{\partial}{\partial x}")


def test_the_hadamard_product_is_odot_and_kron_is_otimes() -> None:
    s = statement("vars:\n  w: vector(n)\n  x: vector(n)\nf: w * x\nwrt: w\nclaim: diag(x)")
    assert r"\mathbf{w} \odot \mathbf{x}" in s.f_latex and r"\otimes" not in s.latex
    s = statement("vars:\n  A: matrix(m, n)\n  X: matrix(n, p)\n  B: matrix(p, q)\n"
                  "f: vec(A @ X @ B)\nwrt: vec(X)\nclaim: kron(B.T, A)")
    assert s.claim_latex == r"\mathbf{B}^T \otimes \mathbf{A}"
    assert r"\odot" not in s.latex


@pytest.mark.parametrize("claim, printed", [
    # an entry-wise product inside a matrix product, and the reverse: bracketed either way
    ("(A * B) @ v", r"\left( \mathbf{A} \odot \mathbf{B} \right) \mathbf{v}"),
    ("A * (B @ C) @ v", r"\left( \mathbf{A} \odot \left( \mathbf{B} \mathbf{C} \right) \right) \mathbf{v}"),
    ("A * (B @ C)", r"\mathbf{A} \odot \left( \mathbf{B} \mathbf{C} \right)"),
    ("(A / B) @ v", r"\left( \mathbf{A} \oslash \mathbf{B} \right) \mathbf{v}"),
    ("A @ (B * C) @ v", r"\mathbf{A} \left( \mathbf{B} \odot \mathbf{C} \right) \mathbf{v}"),
    ("A * B * C @ v", r"\left( \mathbf{A} \odot \mathbf{B} \odot \mathbf{C} \right) \mathbf{v}"),
    ("2 * (A * B)", r"2 \left( \mathbf{A} \odot \mathbf{B} \right)"),
    ("(1 / A) @ v", r"\left( 1 \oslash \mathbf{A} \right) \mathbf{v}"),
])
def test_entrywise_and_matrix_products_are_never_left_to_be_grouped_by_the_reader(claim: str, printed: str) -> None:
    s = statement("vars:\n  A: matrix(n, n)\n  B: matrix(n, n)\n  C: matrix(n, n)\n  v: vector(n)\n"
                  f"  t: scalar\nf: t * sum({claim})\nwrt: t\nclaim: sum({claim})")
    assert printed in s.claim_latex, s.claim_latex


def test_a_matrix_of_fractions_sets_them_at_full_size_with_room_between_rows() -> None:
    s = statement("vars: {x: scalar, y: scalar}\nf: log(x) + log(y)\nwrt: [x, y]\nclaim: '[1/x, 1/y]'")
    assert s.claim_latex == r"\begin{bmatrix} \displaystyle \frac{1}{x} & \displaystyle \frac{1}{y} \end{bmatrix}"
    s = statement("vars: {x: scalar, y: scalar}\nf: x * y\nwrt: [x, y]\nclaim: '[y, x]'")
    assert s.claim_latex == r"\begin{bmatrix} y & x \end{bmatrix}"


def test_capital_greek_and_ell_are_printed_as_letters() -> None:
    s = statement("vars:\n  z: vector(n)\n  Phi: vector(n)\n  ell: scalar\n  Omega: scalar\n"
                  "f: ell * Omega * sum(Phi * z)\nwrt: z\nclaim: ell * Omega * Phi.T")
    assert s.claim_latex == r"\ell \Omega \boldsymbol{\Phi}^T", s.claim_latex


def test_exp_of_an_array_is_written_exp_not_as_a_power() -> None:
    s = statement("vars:\n  z: vector(n)\nf: sum(exp(z))\nwrt: z\nclaim: exp(z).T")
    assert s.claim_latex == r"\exp\left( \mathbf{z} \right)^T", s.claim_latex
    s = statement("vars: {x: scalar}\nf: exp(2 * x)\nwrt: x\nclaim: 2 * exp(2 * x)")
    assert s.claim_latex == r"2 e^{2 x}", s.claim_latex


def test_a_kronecker_product_is_bracketed_inside_a_matrix_product() -> None:
    s = statement("vars:\n  A: matrix(m, n)\n  X: matrix(n, p)\n  B: matrix(p, q)\n"
                  "f: vec(A @ X @ B)\nwrt: vec(X)\nclaim: kron(B.T, A) @ kron(eye(p), eye(n))")
    assert s.claim_latex == (r"\left( \mathbf{B}^T \otimes \mathbf{A} \right) "
                             r"\left( I_{p} \otimes I_{n} \right)")


def test_vec_is_an_operator_and_its_jacobian_is_magnus_and_neudecker() -> None:
    body = ("vars:\n  A: matrix(m, n)\n  X: matrix(n, p)\n  B: matrix(p, q)\n"
            "f: vec(A @ X @ B)\nwrt: vec(X)\n")
    s = statement(body + "claim: kron(B.T, A)")
    assert s.derivative_latex == r"\frac{\partial}{\partial \operatorname{vec}(\mathbf{X})^T}"
    assert s.latex.startswith(r"\frac{\partial}{\partial \operatorname{vec}(\mathbf{X})^T} "
                              r"\operatorname{vec}\left( \mathbf{A} \mathbf{X} \mathbf{B} \right) =")
    assert s.wrt_latex == r"\operatorname{vec}(\mathbf{X})"
    assert s.shape_note == r"mq \times np"
    s = statement(body + "layout: denominator\nclaim: kron(B, A.T)")
    # its transpose, d (vec F)^T / d vec(X): the column made visible is the variable's
    assert s.latex.startswith(r"\frac{\partial}{\partial \operatorname{vec}(\mathbf{X})} "
                              r"\operatorname{vec}\left( \mathbf{A} \mathbf{X} \mathbf{B} \right)^T =")
    assert s.shape_note == r"np \times mq"


def test_vec_of_a_name_reads_without_brackets_but_its_transpose_has_them() -> None:
    s = statement("vars:\n  A: matrix(m, n)\n  X: matrix(n, m)\nf: trace(A @ X)\nwrt: vec(X)\n"
                  "claim: vec(A.T).T")
    assert s.claim_latex == r"\operatorname{vec}\left( \mathbf{A}^T \right)^T"
    s = statement("vars:\n  X: matrix(m, n)\n  t: scalar\nf: t * vec(X).T\nwrt: t\nclaim: vec(X).T")
    assert s.claim_latex == r"\left( \operatorname{vec} \mathbf{X} \right)^T"


@pytest.mark.parametrize("layout", ["numerator", "denominator"])
def test_a_second_derivative_is_written_the_same_in_both_layouts(layout: str) -> None:
    s = statement(f"vars: {{x: scalar}}\nf: sin(x)\nwrt: x\norder: 2\nlayout: {layout}\nclaim: -sin(x)")
    assert s.latex.startswith(r"\frac{d^2}{d x^2} \sin\left( x \right) =")
    s = statement("vars:\n  x: vector(n)\n  A: matrix(n, n)\nf: x.T @ A @ x\nwrt: x\norder: 2\n"
                  f"layout: {layout}\nclaim: A + A.T")
    assert s.derivative_latex == r"\frac{\partial^2}{\partial \mathbf{x} \, \partial \mathbf{x}^T}"
    assert s.shape_note == r"n \times n"


@pytest.mark.parametrize("text, latex", [
    ("sinh(x)", r"\sinh\left( x \right)"), ("cosh(x)", r"\cosh\left( x \right)"),
    ("arctan(x)", r"\arctan\left( x \right)"), ("erf(x)", r"\operatorname{erf}\left( x \right)"),
    ("sign(x)", r"\operatorname{sign}\left( x \right)"), ("pi * x", r"\pi x"),
])
def test_the_new_functions_are_typeset(text: str, latex: str) -> None:
    s = statement(f"vars: {{x: scalar}}\nf: {text}\nwrt: x\nassume: [x > 0]\nclaim: 0")
    assert s.f_latex == latex


def test_a_matrix_by_a_scalar_has_its_shape_and_a_row_stays_a_row() -> None:
    s = statement("vars:\n  A: matrix(m, n)\n  t: scalar\nf: t * A\nwrt: t\nclaim: A")
    assert s.shape_note == r"m \times n"
    s = statement("vars:\n  x: vector(n)\n  t: scalar\nf: t * x.T\nwrt: t\nclaim: x.T")
    assert s.shape_note == r"1 \times n"
    s = statement("vars:\n  x: vector(n)\n  t: scalar\nf: t * x.T\nwrt: t\nlayout: denominator\nclaim: x")
    assert s.shape_note == r"n \times 1"


def test_a_vector_valued_function_is_bold_in_its_own_derivative() -> None:
    s = statement("""vars:
  x: scalar
  g: function(scalar -> vector(k))
  f: function(vector(k) -> vector(m))
let:
  u: g(x)
  y: f(u)
f: f(g(x))
wrt: x
claim: d(y, u) @ d(u, x)""")
    assert s.latex.endswith(r"\frac{d \mathbf{g}\left( x \right)}{d x}")


@pytest.mark.parametrize("layout, claim, printed", [
    ("denominator", "d(L, y) @ x.T", r"= \left( \nabla_{\mathbf{y}} l \right) \mathbf{x}^T"),
    ("denominator", "d(L, y) * 1", r"= \left( \nabla_{\mathbf{y}} l \right) \cdot 1"),
    ("denominator", "eye(m) @ d(L, y) @ x.T", r"= I \left( \nabla_{\mathbf{y}} l \right) \mathbf{x}^T"),
    ("denominator", "diag(d(L, y)) @ ones(m) @ x.T",
     r"= \operatorname{diag}\left( \nabla_{\mathbf{y}} l \right) \mathbf{1} \mathbf{x}^T"),
])
def test_a_gradient_before_another_factor_is_bracketed(layout: str, claim: str, printed: str) -> None:
    """`∇_y l xᵀ` would read as the gradient of l xᵀ; after a factor it is unambiguous."""
    body = """vars:
  x: vector(n)
  W: matrix(m, n)
  b: vector(m)
  l: function(vector(m) -> scalar)
let:
  y: W @ x + b
  L: l(y)
f: l(W @ x + b)
wrt: {wrt}
claim: {claim}
layout: {layout}"""
    s = statement(body.format(wrt="W" if "x.T" in claim else "b", claim=claim, layout=layout))
    assert s.latex.endswith(printed)
    s = statement(body.format(wrt="x", claim="W.T @ d(L, y)", layout=layout))
    assert s.latex.endswith(r"= \mathbf{W}^T \nabla_{\mathbf{y}} l")


def test_a_fraction_in_an_exponent_is_written_on_one_line() -> None:
    s = statement("vars: {z: scalar}\nf: exp(-z**2/2)\nwrt: z\nclaim: -z*exp(-z**2/2)")
    assert s.latex.endswith(r"= -z e^{-z^{2}/2}") and r"\frac{d}{d z}" in s.latex
    s = statement("vars: {x: scalar}\nf: x**(3/2)\nwrt: x\nclaim: 3 * x**(1/2) / 2")
    assert s.latex.endswith(r"= \frac{3 x^{1/2}}{2}")


def test_a_decimal_constant_needs_no_brackets() -> None:
    s = statement("vars: {z: scalar}\nf: z + 0.044715*z**3\nwrt: z\nclaim: 1 + 3*0.044715*z**2")
    assert s.latex.endswith(r"= 1 + 3 \cdot 0.044715 z^{2}")
    s = statement("vars: {z: scalar}\nf: z**2/3\nwrt: z\nclaim: (2/3)**1 * z")
    assert r"\left( \frac{2}{3} \right)^{1}" in s.latex


def test_an_identity_in_a_kronecker_product_has_its_size() -> None:
    s = statement("vars: {A: 'matrix(m, n)', X: 'matrix(n, p)'}\nf: vec(A @ X)\nwrt: vec(X)\nclaim: kron(eye(p), A)")
    assert s.latex.endswith(r"= I_{p} \otimes \mathbf{A}")


def test_an_entrywise_function_of_an_array_is_differentiated_by_its_let_name() -> None:
    """h of numbers, applied to vectors: ∂h/∂a would be a number by a vector; the term is the
    Jacobian of y = h(a, q), defined beside it. Applied to numbers, it keeps its own name."""
    s = statement("""vars:
  w: vector(n)
  x: vector(n)
  f: function
  g: function
  h: function(scalar, scalar -> scalar)
let:
  a: f(w)
  q: g(x)
  y: h(a, q)
f: h(f(w), g(x))
wrt: w
claim: pd(y, a) * d(a, w)""")
    assert s.latex.endswith(r"= \frac{\partial \mathbf{y}}{\partial \mathbf{a}} \odot \frac{\partial \mathbf{a}}{\partial \mathbf{w}}")
    assert [let.split(" &=")[0] for let in s.lets] == [r"\mathbf{a}", r"\mathbf{q}", r"\mathbf{y}"]
    s = statement("vars: {x: scalar, f: function, g: function}\nlet: {u: g(x), y: f(u)}\n"
                  "f: f(g(x))\nwrt: x\nclaim: d(y, u) * d(u, x)")
    assert s.latex.endswith(r"= \frac{d f\left( u \right)}{d u} \frac{d g\left( x \right)}{d x}")


def test_columns_of_ones_of_two_lengths_carry_their_lengths() -> None:
    s = statement("vars: {X: 'matrix(N, n)'}\nlet: {mu: X @ ones(n) / n}\n"
                  "f: ones(N).T @ mu\nwrt: X\nclaim: ones(N) @ ones(n).T / n")
    assert r"\mathbf{1}_{N}^T" in s.latex and r"\mathbf{1}_{n}" in s.lets[0]
    s = statement("vars: {x: vector(n)}\nf: ones(n).T @ x\nwrt: x\nclaim: ones(n).T")
    assert s.latex.endswith(r"= \mathbf{1}^T")


def test_a_size_times_itself_is_a_square() -> None:
    s = statement("vars: {X: 'matrix(n, n)'}\nassume: [X invertible]\nf: vec(inv(X))\nwrt: vec(X)\n"
                  "claim: -kron(inv(X).T, inv(X))")
    assert s.shape_note == r"n^{2} \times n^{2}"
    s = statement("vars: {A: 'matrix(m, n)', X: 'matrix(n, p)'}\nf: vec(A @ X)\nwrt: vec(X)\nclaim: kron(eye(p), A)")
    assert s.shape_note == r"mp \times np"


@pytest.mark.parametrize("condition, vars_, printed", [
    ("z != 0", "{z: 'vector(n)'}", r"\text{no entry of } \mathbf{z} \text{ is } 0"),
    ("z != y", "{z: 'vector(n)', y: 'vector(n)'}", r"\mathbf{z} \neq \mathbf{y} \text{ in every entry}"),
    ("w.T @ z != 1", "{z: 'vector(n)', w: 'vector(n)'}", r"\mathbf{w}^T \mathbf{z} \neq 1"),
])
def test_not_equal_of_an_array_says_every_entry(condition: str, vars_: str, printed: str) -> None:
    s = statement(f"vars: {vars_}\nassume: ['{condition}']\nf: sum(max(0, z))\nwrt: z\nclaim: step(z).T")
    assert s.assumptions == [printed]


@pytest.mark.parametrize("claim", ["inv(X).T", "inv(X.T)"])
def test_the_inverse_transposed_is_written_once_one_way(claim: str) -> None:
    s = statement(f"vars: {{X: 'matrix(n, n)'}}\nassume: [det(X) > 0]\nf: log(det(X))\nwrt: X\nlayout: denominator\nclaim: {claim}")
    assert s.latex.endswith(r"= \mathbf{X}^{-T}")





def test_a_derivative_transposed_is_bracketed() -> None:
    """(dl/dY)^T: a superscript beside a fraction would read as the derivative by Y^T."""
    s = statement("vars:\n  X: matrix(N, n)\n  W: matrix(m, n)\n  l: function(matrix(N, m) -> scalar)\n"
                  "let: {Y: X @ W.T, L: l(Y)}\nf: l(X @ W.T)\nwrt: W\nlayout: numerator\nclaim: X.T @ pd(L, Y).T")
    assert s.claim_latex == r"\mathbf{X}^T \left( \frac{\partial l}{\partial \mathbf{Y}} \right)^T"
