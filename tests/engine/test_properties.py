"""Property tests: random well-typed expressions, differentiated here by forward-mode
rules of our own, verify; the same derivatives perturbed fail.

The grammar: vectors x, a (vector(n)) and p (vector(m)), scalars t, c, matrices
A (matrix(n, n)) and B (matrix(m, n)), numbers; + - * / (dividing only by 2 + tanh(.),
which is never 0), exp (of bounded arguments), sin, tanh, sigmoid, sum, dot, @ and unary
minus. Derivatives are written in the block language with respect to x (vector) or
t (scalar), in numerator layout; denominator layout is their transpose.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import mathcheck

VARS = {
    "x": "vector(n)", "a": "vector(n)", "p": "vector(m)", "t": "scalar", "c": "scalar",
    "A": "matrix(n, n)", "B": "matrix(m, n)",
}
VECTORS = {"n": ["x", "x", "a"], "m": ["p"]}
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Term:
    """An expression, its kind ("scalar", or the size letter of a vector) and its
    derivative in numerator layout (None means zero)."""

    text: str
    kind: str
    d: str | None


@dataclass(frozen=True)
class Rules:
    """Forward-mode rules for one variable of differentiation."""

    wrt: str  # "x" (vector(n)) or "t" (scalar)

    @property
    def by_vector(self) -> bool:
        return self.wrt == "x"

    def zero(self, kind: str) -> str:
        if self.by_vector:
            return "zeros(n).T" if kind == "scalar" else f"zeros({kind}, n)"
        return "0" if kind == "scalar" else f"zeros({kind})"

    def dense(self, term: Term, side: str = "") -> str:
        return on_side(term.d, side) if term.d is not None else self.zero(term.kind)

    def leaf(self, name: str) -> Term:
        kind = VARS[name][7] if VARS[name].startswith("vector") else "scalar"
        if name == self.wrt:
            return Term(name, kind, "eye(n)" if self.by_vector else "1")
        return Term(name, kind, None)

    def column_times(self, column: str, d_scalar: str) -> str:
        """d(s * v) contributes v times ds: an outer product by a vector, a scaling by a scalar."""
        return f"({column}) @ ({d_scalar})" if self.by_vector else f"({column}) * ({d_scalar})"

    @staticmethod
    def plus(*parts: str | None) -> str | None:
        live = [p for p in parts if p is not None]
        return " + ".join(f"({p})" for p in live) if live else None

    def add(self, u: Term, v: Term, sign: str) -> Term:
        kind = u.kind if u.kind != "scalar" else v.kind
        du, dv = u.d, v.d
        if u.kind == "scalar" and kind != "scalar" and du is not None:
            du = self.column_times(f"ones({kind})", du)
        if v.kind == "scalar" and kind != "scalar" and dv is not None:
            dv = self.column_times(f"ones({kind})", dv)
        if sign == "-" and dv is not None:
            dv = f"-({dv})"
        return Term(f"({u.text}) {sign} ({v.text})", kind, self.plus(du, dv))

    def mul(self, u: Term, v: Term) -> Term:
        text = f"({u.text}) * ({v.text})"
        if u.kind == v.kind == "scalar":
            return Term(text, "scalar", self.plus(
                None if v.d is None else f"({u.text}) * ({v.d})",
                None if u.d is None else f"({v.text}) * ({u.d})"))
        if u.kind == v.kind:
            return Term(text, u.kind, self.plus(
                None if v.d is None else f"diag({u.text}) @ ({v.d})",
                None if u.d is None else f"diag({v.text}) @ ({u.d})"))
        s, w = (u, v) if u.kind == "scalar" else (v, u)
        return Term(text, w.kind, self.plus(
            None if w.d is None else f"({s.text}) * ({w.d})",
            None if s.d is None else self.column_times(w.text, s.d)))

    def div(self, u: Term, v: Term) -> Term:
        """u / v, v never 0 by construction."""
        text = f"({u.text}) / ({v.text})"
        kind = u.kind if u.kind != "scalar" else v.kind
        du = None
        if u.d is not None:
            if u.kind != "scalar" and v.kind != "scalar":
                du = f"diag(1 / ({v.text})) @ ({u.d})"
            elif u.kind != "scalar" or v.kind == "scalar":
                du = f"({u.d}) / ({v.text})"
            else:
                du = self.column_times(f"1 / ({v.text})", u.d)
        dv = None
        if v.d is not None:
            ratio = f"({u.text}) / ({v.text}) ** 2"
            if v.kind != "scalar":
                dv = f"-diag({ratio}) @ ({v.d})" if u.kind != "scalar" else f"-diag({ratio} * ones({v.kind})) @ ({v.d})"
            elif u.kind != "scalar":
                dv = f"-({self.column_times(ratio, v.d)})"
            else:
                dv = f"-({ratio}) * ({v.d})"
        return Term(text, kind, self.plus(du, dv))

    def apply(self, fn: str, u: Term) -> Term:
        slope = {
            "exp": f"exp({u.text})",
            "sin": f"cos({u.text})",
            "tanh": f"1 - tanh({u.text}) ** 2",
            "sigmoid": f"sigmoid({u.text}) * (1 - sigmoid({u.text}))",
        }[fn]
        text = f"{fn}({u.text})"
        if u.d is None:
            return Term(text, u.kind, None)
        if u.kind == "scalar":
            return Term(text, "scalar", f"({slope}) * ({u.d})")
        return Term(text, u.kind, f"diag({slope}) @ ({u.d})")

    def total(self, u: Term) -> Term:
        return Term(f"sum({u.text})", "scalar", None if u.d is None else f"ones({u.kind}).T @ ({u.d})")

    def dot(self, u: Term, v: Term) -> Term:
        return Term(f"dot({u.text}, {v.text})", "scalar", self.plus(
            None if v.d is None else f"({u.text}).T @ ({v.d})",
            None if u.d is None else f"({v.text}).T @ ({u.d})"))

    def matvec(self, matrix: str, u: Term) -> Term:
        """A @ u (n to n), B @ u (n to m) or B.T @ u (m to n)."""
        kind = {"A": "n", "B": "m", "B.T": "n"}[matrix]
        return Term(f"{matrix} @ ({u.text})", kind, None if u.d is None else f"{matrix} @ ({u.d})")

    def neg(self, u: Term) -> Term:
        return Term(f"-({u.text})", u.kind, None if u.d is None else f"-({u.d})")

    def kink(self, fn: str, u: Term) -> Term:
        """max(0, u) or abs(u); the slope is written with step, whose side KINK_SIDE marks."""
        side = f"step({KINK_SIDE}({u.text}))"
        text = f"max(0, {u.text})" if fn == "relu" else f"abs({u.text})"
        slope = side if fn == "relu" else f"(2 * {side} - 1)"
        if u.d is None:
            return Term(text, u.kind, None)
        if u.kind == "scalar":
            return Term(text, "scalar", f"{slope} * ({u.d})")
        return Term(text, u.kind, f"diag({slope}) @ ({u.d})")


# the side of each kink in a derivative's text: "" for the true side, "-" for the wrong one
KINK_SIDE = "KINK_SIDE"


def on_side(text: str, side: str = "") -> str:
    return text.replace(KINK_SIDE, side)


MATRIX_FOR = {"n": ["A", "B.T"], "m": ["B"]}
MATRIX_INPUT = {"A": "n", "B": "n", "B.T": "m"}


@st.composite
def terms(draw, rules: Rules, kind: str, depth: int, bounded: bool = False, kinks: bool = True) -> Term:
    """A random term of `kind`; `bounded` keeps values small (the argument of exp); kinks
    are not nested, so no kink's argument can vanish on a whole region."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        if kind != "scalar":
            return rules.leaf(draw(st.sampled_from(VECTORS[kind])))
        choice = draw(st.sampled_from(["t", "t", "c", "2", "3", "0.5"]))
        return rules.leaf(choice) if choice in VARS else Term(choice, "scalar", None)
    sub = depth - 1
    if bounded:
        fn = draw(st.sampled_from(["sin", "tanh", "sigmoid"]))
        return rules.apply(fn, draw(terms(rules, kind, sub, kinks=kinks)))
    ops = ["add", "sub", "mul", "div", "fn", "neg"] + (["kink"] if kinks else [])
    ops += ["sum", "dot"] if kind == "scalar" else ["matvec", "scale"]
    op = draw(st.sampled_from(ops))
    if op in ("add", "sub", "mul"):
        left_kind = kind if kind == "scalar" else draw(st.sampled_from([kind, "scalar"]))
        right_kind = kind if left_kind == "scalar" else draw(st.sampled_from([kind, "scalar"]))
        u, v = draw(terms(rules, left_kind, sub, kinks=kinks)), draw(terms(rules, right_kind, sub, kinks=kinks))
        if op == "mul":
            return rules.mul(u, v)
        return rules.add(u, v, "+" if op == "add" else "-")
    if op == "scale":
        return rules.mul(draw(terms(rules, "scalar", sub, kinks=kinks)), draw(terms(rules, kind, sub, kinks=kinks)))
    if op == "div":
        den_kind = draw(st.sampled_from(["scalar", kind]))
        inner = draw(terms(rules, den_kind, sub, kinks=kinks))
        den = rules.add(Term("2", "scalar", None), rules.apply("tanh", inner), "+")
        return rules.div(draw(terms(rules, kind, sub, kinks=kinks)), den)
    if op == "fn":
        fn = draw(st.sampled_from(["exp", "sin", "tanh", "sigmoid"]))
        return rules.apply(fn, draw(terms(rules, kind, sub, bounded=(fn == "exp"), kinks=kinks)))
    if op == "neg":
        return rules.neg(draw(terms(rules, kind, sub, kinks=kinks)))
    if op == "kink":
        # the anchor (a cube of the variable) keeps the argument's derivative from vanishing
        fn = draw(st.sampled_from(["relu", "abs"]))
        return rules.kink(fn, anchored(rules, draw(terms(rules, kind, sub, kinks=False))))
    if op == "sum":
        return rules.total(draw(terms(rules, draw(st.sampled_from(["n", "m"])), sub, kinks=kinks)))
    if op == "dot":
        size = draw(st.sampled_from(["n", "m"]))
        return rules.dot(draw(terms(rules, size, sub, kinks=kinks)), draw(terms(rules, size, sub, kinks=kinks)))
    matrix = draw(st.sampled_from(MATRIX_FOR[kind]))
    return rules.matvec(matrix, draw(terms(rules, MATRIX_INPUT[matrix], sub, kinks=kinks)))


def anchored(rules: Rules, term: Term) -> Term:
    """Add a term of our own whose derivative is never zero, so no perturbation can vanish."""
    if not rules.by_vector:
        anchor = Term("t ** 3 / 7", "scalar", "3 * t ** 2 / 7")
    elif term.kind == "scalar":
        anchor = Term("sum(x ** 3) / 7", "scalar", "3 * (x ** 2).T / 7")
    elif term.kind == "n":
        anchor = Term("x ** 3 / 7", "n", "diag(3 * x ** 2 / 7)")
    else:
        anchor = Term("B @ (x ** 3) / 7", "m", "B @ diag(3 * x ** 2 / 7)")
    return rules.add(term, anchor, "+")


@st.composite
def differentiated(draw) -> tuple[Rules, Term, Term]:
    """(rules, the anchored term with its true derivative, the term before anchoring)."""
    rules = Rules(draw(st.sampled_from(["x", "t"])))
    raw = draw(terms(rules, draw(st.sampled_from(["scalar", "n", "m"])), depth=3))
    return rules, anchored(rules, raw), raw


def block(block_id: str, term: Term, wrt: str, claim: str, layout: str = "numerator") -> dict:
    return {"id": block_id, "vars": dict(VARS), "f": term.text, "wrt": wrt, "claim": claim, "layout": layout}


def check(page_of, specs: list[dict]) -> list:
    blocks = mathcheck.find_blocks(page_of(*specs), "docs/properties.md")
    assert len(blocks) == len(specs)
    return mathcheck.check_blocks(blocks, jobs=1, time_limit=20, cache_dir=None)


def square(rules: Rules, term: Term) -> bool:
    """Is the derivative square (so transposing keeps its shape)?"""
    return (term.kind == "scalar") != rules.by_vector or term.kind == "n"


@SETTINGS
@given(case=differentiated())
def test_true_derivative_verifies(page_of, case):
    rules, term, _ = case
    spec = block("prop-true", term, rules.wrt, rules.dense(term))
    note(f"block: {spec}")
    [verdict] = check(page_of, [spec])
    assert verdict.status == "verified", verdict.message


@SETTINGS
@given(case=differentiated())
def test_transposed_derivative_verifies_in_denominator_layout(page_of, case):
    rules, term, _ = case
    specs = [block("prop-denominator", term, rules.wrt, f"({rules.dense(term)}).T", "denominator")]
    if not square(rules, term):
        specs.append(block("prop-denominator-untransposed", term, rules.wrt, rules.dense(term), "denominator"))
    note(f"blocks: {specs}")
    verdicts = check(page_of, specs)
    assert verdicts[0].status == "verified", verdicts[0].message
    if len(verdicts) > 1:
        assert verdicts[1].status == "failed", verdicts[1].message


def perturbations(rules: Rules, term: Term, raw: Term) -> dict[str, str]:
    d = rules.dense(term)
    out = {
        "factor 1.001": f"1.001 * ({d})",
        "plus 1e-3": f"({d}) + 0.001",
        "missing term": rules.dense(raw),
    }
    if not square(rules, term):
        out["transposed"] = f"({d}).T"
    return out


@SETTINGS
@given(case=differentiated())
def test_perturbed_derivative_fails(page_of, case):
    rules, term, raw = case
    wrong = perturbations(rules, term, raw)
    specs = [block(f"prop-{i}", term, rules.wrt, claim) for i, claim in enumerate(wrong.values())]
    note(f"f: {term.text}\nwrt: {rules.wrt}\nclaims: {wrong}")
    verdicts = check(page_of, specs)
    for (name, claim), verdict in zip(wrong.items(), verdicts, strict=True):
        assert verdict.status == "failed", f"{name}: {claim}: {verdict.message}"


def fixed_term(rules: Rules, shape: str) -> Term:
    """Hand-picked expressions that exercise every rule, as a guard for the generator."""
    x, a, p, t, c = (rules.leaf(n) for n in ("x", "a", "p", "t", "c"))
    if shape == "deep":
        den = rules.add(Term("2", "scalar", None), rules.apply("tanh", rules.dot(x, a)), "+")
        body = rules.add(rules.mul(rules.apply("sin", t), rules.matvec("A", x)),
                         rules.div(rules.apply("sigmoid", x), den), "-")
        scalar = rules.mul(rules.total(rules.apply("exp", rules.apply("tanh", body))), rules.neg(c))
        return anchored(rules, rules.add(scalar, rules.dot(x, a), "+"))
    wide = rules.mul(rules.apply("tanh", rules.matvec("B", rules.mul(t, x))), p)
    return anchored(rules, rules.add(rules.total(wide), rules.dot(rules.matvec("B.T", p), x), "+"))


@pytest.mark.parametrize("shape", ["deep", "wide"])
@pytest.mark.parametrize("wrt", ["x", "t"])
def test_rules_of_this_file_agree_with_the_engine_on_fixed_cases(page_of, wrt, shape):
    rules = Rules(wrt)
    term = fixed_term(rules, shape)
    [verdict] = check(page_of, [block(f"prop-fixed-{shape}", term, wrt, rules.dense(term))])
    assert verdict.status == "verified", verdict.message


# --- scalars by a matrix: traces of products, differentiated by the cyclic rule ---

TRACE_VARS = {"X": "matrix(n, n)", "A": "matrix(n, n)", "B": "matrix(n, n)"}


@st.composite
def trace_products(draw) -> tuple[str, str, list[str]]:
    """(f, its numerator-layout derivative by X, one term per occurrence of X).

    d tr(P1 ... Pk) = sum over occurrences of X: tr(R dX) with R the rest of the product
    taken cyclically after it, so the occurrence contributes R; an occurrence of X.T gives
    tr(R dX.T) = tr(R.T dX), so it contributes R.T.
    """
    factors = draw(st.lists(st.sampled_from(["X", "X.T", "A", "B", "A.T"]), min_size=1, max_size=4))
    if not any(f.startswith("X") for f in factors):
        factors[draw(st.integers(0, len(factors) - 1))] = draw(st.sampled_from(["X", "X.T"]))
    terms_ = []
    for i, factor in enumerate(factors):
        if not factor.startswith("X"):
            continue
        rest = factors[i + 1:] + factors[:i]
        r = " @ ".join(rest) if rest else "eye(n)"
        terms_.append(f"({r})" if factor == "X" else f"({r}).T")
    return f"trace({' @ '.join(factors)})", " + ".join(terms_), terms_


@SETTINGS
@given(case=trace_products())
def test_trace_of_a_product_by_the_cyclic_rule(page_of, case):
    f, derivative, contributions = case
    specs = [
        {"id": "tr-numerator", "vars": TRACE_VARS, "f": f, "wrt": "X", "claim": derivative},
        {"id": "tr-denominator", "vars": TRACE_VARS, "f": f, "wrt": "X", "claim": f"({derivative}).T",
         "layout": "denominator"},
        {"id": "tr-factor", "vars": TRACE_VARS, "f": f, "wrt": "X", "claim": f"1.001 * ({derivative})"},
    ]
    if len(contributions) > 1:
        specs.append({"id": "tr-missing-occurrence", "vars": TRACE_VARS, "f": f, "wrt": "X",
                      "claim": " + ".join(contributions[1:])})
    note(f"f: {f}\nclaim: {derivative}")
    verdicts = check(page_of, specs)
    assert verdicts[0].status == "verified", verdicts[0].message
    assert verdicts[1].status == "verified", verdicts[1].message
    for verdict in verdicts[2:]:
        assert verdict.status == "failed", verdict.message


# --- kinks: the slope on each side, and the cases form ---


@st.composite
def kinked(draw) -> tuple[Rules, Term, str]:
    """(rules, f = max(0, g) or abs(g) plus an anchor, g), with g smooth and its derivative never zero."""
    rules = Rules(draw(st.sampled_from(["x", "t"])))
    argument = anchored(rules, draw(terms(rules, "scalar", depth=2, kinks=False)))
    top = rules.kink(draw(st.sampled_from(["relu", "abs"])), argument)
    return rules, anchored(rules, top), argument.text


@SETTINGS
@given(case=kinked())
def test_each_side_of_a_kink(page_of, case):
    rules, term, argument = case
    step = f"step({KINK_SIDE}({argument}))"
    assert (term.d or "").count(step) == 1
    positive, negative = (on_side(term.d.replace(step, side)) for side in ("1", "0"))
    specs = [
        block("kink-step", term, rules.wrt, rules.dense(term)),
        block("kink-wrong-side", term, rules.wrt, rules.dense(term, "-")),
        block("kink-cases", term, rules.wrt, "")
        | {"claim": [{"if": f"{argument} > 0", "then": positive}, {"if": f"{argument} < 0", "then": negative}]},
        block("kink-cases-swapped", term, rules.wrt, "")
        | {"claim": [{"if": f"{argument} > 0", "then": negative}, {"if": f"{argument} < 0", "then": positive}]},
    ]
    note(f"f: {term.text}\nwrt: {rules.wrt}\nkink at: {argument}")
    verdicts = check(page_of, specs)
    assert [v.status for v in verdicts] == ["verified", "failed", "verified", "failed"], [v.message for v in verdicts]


# --- a difference at the numeric-only larger size alone ---

# zero at the two sizes checked symbolically (n = 2 and n = 4), 8e-9 at the larger n = 6
AT_LARGER_SIZE_ONLY = "1e-9 * (n - 2) * (n - 4)"


@SETTINGS
@given(case=differentiated())
def test_a_tiny_difference_at_the_larger_size_alone_fails(page_of, case):
    rules, term, _ = case
    d = rules.dense(term)
    tiny = Term(f"{AT_LARGER_SIZE_ONLY} * sum(x ** 3)", "scalar", f"3 * {AT_LARGER_SIZE_ONLY} * (x ** 2).T"
                if rules.by_vector else None)
    with_tiny = rules.add(term, tiny, "+") if term.kind == "scalar" else term
    specs = [
        block("tiny-perturbed", term, rules.wrt, f"({d}) * (1 + {AT_LARGER_SIZE_ONLY})"),
        block("tiny-true-term", with_tiny, rules.wrt, rules.dense(with_tiny)),
    ]
    note(f"blocks: {specs}")
    perturbed, true = check(page_of, specs)
    assert perturbed.status == "failed", perturbed.message
    assert "n=6" in perturbed.message, perturbed.message
    assert true.status == "verified", true.message
