"""The additions to the language (matrix-valued f by a scalar, vec and kron, `order: 2`, more
element-wise functions): misuse is a located error saying what to write instead, evidence
says what was checked, and the numeric Hessian check stands on its own."""
from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest

import mathcheck
from mathcheck.checking.numeric import SecondOrderBackend, mixed_second_difference

FILE = "docs/growth.md"


def verdict_for(page_of, spec: dict):
    blocks = mathcheck.find_blocks(page_of({"id": "growth", **spec}), FILE)
    [verdict] = mathcheck.check_blocks(blocks, jobs=1, time_limit=20, cache_dir=None)
    return verdict


@pytest.mark.parametrize("spec, line, advice", [
    ({"vars": {"X": "matrix(m, n)", "A": "matrix(n, n)"}, "f": "X @ A", "wrt": "X", "claim": "A"},
     "f:", "write `f: vec(F)` and `wrt: vec(X)`"),
    ({"vars": {"X": "matrix(m, n)", "A": "matrix(n, n)"}, "f": "X @ A", "wrt": "vec(X)", "claim": "A"},
     "f:", "write `f: vec(F)`"),
    ({"vars": {"X": "matrix(m, n)", "v": "vector(m)"}, "f": "X.T @ v", "wrt": "X", "claim": "v"},
     "f:", "write `wrt: vec(X)`"),
    ({"vars": {"x": "vector(n)"}, "f": "sum(x)", "wrt": "vec(x)", "claim": "ones(n).T"},
     "wrt:", "write `wrt: x`"),
    ({"vars": {"X": "matrix(m, n)"}, "f": "sum(X)", "wrt": "vec(Y)", "claim": "1"},
     "wrt:", "`Y` is not one of the matrices"),
    ({"vars": {"x": "scalar"}, "f": "x**4", "wrt": "x", "order": 3, "claim": "24 * x"},
     "order:", "write `order: 1`"),
    ({"vars": {"x": "vector(n)"}, "f": "exp(x)", "wrt": "x", "order": 2, "claim": "diag(exp(x))"},
     "f:", "`order: 2` needs a scalar f"),
    ({"vars": {"X": "matrix(m, n)"}, "f": "sum(X**2)", "wrt": "X", "order": 2, "claim": "2"},
     "f:", "`wrt: vec(X)`"),
    ({"vars": {"x": "scalar", "g": "function"}, "f": "g(x)", "wrt": "x", "order": 2, "claim": "0"},
     "order:", "state the rule for their first derivatives (`order: 1`)"),
    ({"vars": {"x": "scalar"}, "f": "pi() * x", "wrt": "x", "claim": "pi"},
     "f:", "write it without brackets"),
])
def test_misuse_is_a_located_error_that_says_what_to_write(page_of, spec, line, advice):
    verdict = verdict_for(page_of, spec)
    assert verdict.status == "error", verdict.message
    text = page_of({"id": "growth", **spec}).splitlines()
    where = re.search(r"\(line (\d+)\)$", verdict.message)
    assert where and text[int(where[1]) - 1].startswith(line), verdict.message
    assert advice in verdict.message, verdict.message


def test_a_kron_shape_error_names_both_operands(page_of):
    verdict = verdict_for(page_of, {"vars": {"x": "vector(n+1)", "y": "vector(m)"},
                                    "f": "sum(kron(x, y))", "wrt": "y", "claim": "ones(m).T"})
    assert verdict.status == "error"
    assert "`x` (vector(n+1), n+1 x 1)" in verdict.message
    assert "`y` (vector(m), m x 1)" in verdict.message


def test_a_hessian_says_how_it_was_checked(page_of):
    verdict = verdict_for(page_of, {"vars": {"x": "vector(n)", "A": "matrix(n, n)"},
                                    "f": "x.T @ A @ x", "wrt": "x", "order": 2, "claim": "A + A.T"})
    assert verdict.status == "verified", verdict.message
    methods = verdict.evidence.methods
    assert any(m.startswith("symbolic: sympy second derivative") for m in methods), methods
    assert "numeric: second central differences (of central differences), 120 digits" in methods
    assert max(v for s in verdict.evidence.sizes for v in s.values()) >= 3


def test_a_wrong_hessian_names_the_second_derivative(page_of):
    verdict = verdict_for(page_of, {"vars": {"x": "vector(n)", "A": "matrix(n, n)"},
                                    "f": "x.T @ A @ x", "wrt": "x", "order": 2, "claim": "2 * A"})
    assert verdict.status == "failed"
    assert "the second derivative by central differences" in verdict.message
    assert "confirmed at 120 digits" in verdict.message


def test_the_hessian_between_two_directions_sees_a_missing_symmetric_half():
    """Where a Hessian is too large to difference entry by entry, u^T H v (two different
    directions) still tells A + A^T from 2 A, which v^T H v alone would not."""
    backend = SecondOrderBackend()
    rng = np.random.default_rng(7)
    n = 12
    a = np.vectorize(backend.number, otypes=[object])(
        np.array([[Fraction(int(k), 7) for k in row] for row in rng.integers(-9, 9, (n, n))]))
    x = np.array([[backend.number(Fraction(j + 1, 5))] for j in range(n)], dtype=object)
    u = np.array([[backend.number(Fraction((-1) ** j * (j % 4 + 1), 3))] for j in range(n)], dtype=object)
    v = np.array([[backend.number(Fraction(j % 3 + 1, 2))] for j in range(n)], dtype=object)
    true = mixed_second_difference(backend, lambda z: z.T @ a @ z, x, u, v)[0, 0]
    assert abs(true - (u.T @ (a + a.T) @ v)[0, 0]) < 1e-50
    assert abs(true - (u.T @ (2 * a) @ v)[0, 0]) > 1e-3


def test_a_large_hessian_is_checked_between_two_directions(page_of):
    """At sizes past the entry-by-entry limit the numeric check goes between two directions."""
    verdict = verdict_for(page_of, {"vars": {"X": "matrix(m, n)", "A": "matrix(m, m)"},
                                    "f": "trace(X.T @ A @ X)", "wrt": "vec(X)", "order": 2,
                                    "claim": "kron(eye(n), A + A.T)"})
    assert verdict.status == "verified", verdict.message
    assert verdict.evidence.max_rel_error < 1e-40
