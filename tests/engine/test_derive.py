"""`mathcheck derive PATH...` and the verified derivative a failed block's message carries:
output formats (the contract), exit codes, blocks without a claim, honest limits, and the
gate that shows nothing the checker has not verified."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mathcheck.language import expressions as E
from mathcheck.pages.blocks import find_blocks
from mathcheck.deriving import derivation_from_json, derivation_to_json, derive_block
from mathcheck.deriving import verify
from mathcheck.deriving.printing import to_text
from mathcheck.language.syntax import Scope, parse
from mathcheck.checking.verdicts import Outcome, Suggestion, outcome_from_json, outcome_to_json
from mathcheck.language.shapes import Shape

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "import sys; from mathcheck.cli import main; sys.exit(main())"]

QUADRATIC = {"id": "quadratic", "vars": {"x": "vector(n)", "A": "matrix(n, n)"},
             "f": "x.T @ A @ x", "wrt": "x"}
WRONG = {**QUADRATIC, "id": "quadratic-wrong", "claim": "2 * x.T @ A"}
RIGHT = {**QUADRATIC, "id": "quadratic-right", "claim": "x.T @ (A + A.T)"}
NO_CLAIM = {"id": "log-det", "vars": {"X": "matrix(n, n)"}, "f": "log(det(X))", "wrt": "X",
            "layout": "denominator", "assume": ["X spd"]}
UNDERIVABLE = {"id": "unnamed", "vars": {"W": "matrix(m, n)", "x": "vector(n)",
                                         "l": "function(vector(m) -> scalar)"},
               "f": "l(W @ x)", "wrt": "W", "claim": "x"}
BROKEN = {"id": "broken", "vars": {"x": "scalar"}, "f": "x**2", "wrt": "y"}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MATHCHECK_CACHE_DIR"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return subprocess.run([*CLI, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture
def pages(tmp_path, page_of) -> Path:
    (tmp_path / "derivable.md").write_text(page_of(RIGHT, NO_CLAIM))
    (tmp_path / "mixed.md").write_text(page_of(WRONG, UNDERIVABLE, BROKEN))
    return tmp_path


def test_derive_text_gives_one_contract_line_per_block(pages):
    proc = run("derive", "derivable.md", cwd=pages)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [
        "derivable.md:3: block `quadratic-right` derivative: x.T @ (A + A.T)",
        "derivable.md:13: block `log-det` derivative: inv(X).T",
    ]
    assert "2 blocks: 2 derived, 0 underived, 0 error" in proc.stderr


def test_derive_exits_1_when_a_block_is_underived_or_broken(pages):
    proc = run("derive", "mixed.md", cwd=pages)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == "mixed.md:3: block `quadratic-wrong` derivative: x.T @ (A + A.T)"
    assert re.fullmatch(r"mixed\.md:13: block `unnamed` underived: `l\(\.\.\.\)` is applied to an "
                        r"expression that depends on `W` but is not a `let` of its own; .*", lines[1])
    assert lines[2].startswith("mixed.md:24: block `broken` error: `wrt: y` is not one of the variables")


def test_derive_json_is_a_list_of_the_contract_keys(pages):
    proc = run("derive", ".", "--format", "json", "-j", "2", cwd=pages)
    assert proc.returncode == 1
    entries = json.loads(proc.stdout)
    assert [e["id"] for e in entries] == ["quadratic-right", "log-det", "quadratic-wrong", "unnamed", "broken"]
    for entry in entries:
        assert list(entry) == ["id", "file", "line", "status", "derivative", "latex", "message"]
        assert entry["message"].startswith(f"{entry['file']}:{entry['line']}: block `{entry['id']}` ")
        assert (entry["derivative"] is None) == (entry["latex"] is None) == (entry["status"] != "derived")
    derived = entries[1]
    assert derived["status"] == "derived" and derived["derivative"] == "inv(X).T"
    assert derived["latex"].endswith("^{-T}")
    assert [e["status"] for e in entries] == ["derived", "derived", "derived", "underived", "error"]


def test_derive_misuse_exits_2(pages):
    assert run("derive", "missing.md", cwd=pages).returncode == 2
    assert run("derive", "derivable.md", "--format", "github", cwd=pages).returncode == 2
    assert run("derive", cwd=pages).returncode == 2


def test_check_appends_the_verified_derivative_to_a_failed_block(pages):
    proc = run("check", "--no-cache", "mixed.md", cwd=pages)
    assert proc.returncode == 1
    failed = next(line for line in proc.stdout.splitlines() if "`quadratic-wrong` failed" in line)
    assert failed.startswith("mixed.md:3: block `quadratic-wrong` failed: the claim `2 * x.T @ A` is wrong")
    assert failed.endswith("; a verified derivative: x.T @ (A + A.T)")


def test_check_json_carries_the_suggestion_or_null(pages):
    proc = run("check", "--no-cache", "--format", "json", "mixed.md", "derivable.md", cwd=pages)
    items = {item["id"]: item for item in json.loads(proc.stdout)}
    assert items["quadratic-wrong"]["status"] == "failed"
    assert items["quadratic-wrong"]["suggestion"] == "x.T @ (A + A.T)"
    assert items["quadratic-right"]["suggestion"] is None      # verified
    assert items["unnamed"]["status"] == "failed"              # the claim `x` is wrong...
    assert items["unnamed"]["suggestion"] is None              # ...and nothing can be derived
    assert "a verified derivative" not in items["unnamed"]["message"]
    assert items["broken"]["suggestion"] is None


def test_a_derivation_that_fails_its_own_check_is_underived(monkeypatch, page_of):
    """The gate: whatever the rules propose is shown only once the checker verifies it."""
    block = find_blocks(page_of(RIGHT), "page.md")[0]
    x = parse("x", Scope({"x": Shape("n", 1)}, frozenset({"n"})))
    monkeypatch.setattr(verify, "propose", lambda claim: E.Transpose(Shape(1, "n"), x))
    derivation = derive_block(block)
    assert derivation.status == "underived" and derivation.expression is None
    assert "the derivation `x.T` failed its own check" in derivation.detail
    assert "bug in the rules" in derivation.detail


def test_the_printed_derivative_parses_back_to_what_was_checked(page_of):
    block = find_blocks(page_of(RIGHT), "page.md")[0]
    derivation = derive_block(block)
    scope = Scope({"x": Shape("n", 1), "A": Shape("n", "n")}, frozenset({"n"}))
    assert to_text(parse(derivation.expression, scope)) == derivation.expression


def test_derivations_and_suggestions_cross_the_pipe_as_json():
    derivation = derive_block(find_blocks("```derivation\nid: s\nvars: {x: scalar}\nf: x**3\n"
                                          "wrt: x\n```\n", "p.md")[0])
    assert derivation.expression == "3 * x**2"
    assert derivation_from_json(json.loads(json.dumps(derivation_to_json(derivation)))) == derivation
    with pytest.raises(ValueError):
        derivation_from_json({**derivation_to_json(derivation), "status": "verified"})
    outcome = Outcome("failed", "wrong", suggestion=Suggestion("3 * x**2", "3 x^{2}"))
    data = json.loads(json.dumps(outcome_to_json(outcome, 1)))
    assert outcome_from_json(data, 1) == outcome
    with pytest.raises(ValueError):   # only a failed block carries one
        outcome_from_json({**data, "status": "error"}, 1)
    with pytest.raises(ValueError):
        outcome_from_json({**data, "suggestion": "3 * x**2"}, 1)
    assert outcome.at("s", "p.md", 1).message == "p.md:1: block `s` failed: wrong; a verified derivative: 3 * x**2"


READABLE = [
    # (vars, f, wrt, layout, assume, the form a reader expects)
    ({"x": "vector(n)", "A": "matrix(n, n)"}, "x.T @ A @ x", "x", "numerator", [], "x.T @ (A + A.T)"),
    ({"x": "vector(n)", "A": "matrix(n, n)"}, "x.T @ A @ x", "x", "denominator", ["A symmetric"],
     "2 * A @ x"),
    ({"X": "matrix(n, n)"}, "log(det(X))", "X", "denominator", ["X spd"], "inv(X).T"),
    ({"z": "vector(n)", "y": "vector(n)"}, "logsumexp(z) - y.T @ z", "z", "denominator", [],
     "softmax(z) - y"),
    ({"z": "vector(n)", "y": "vector(n)"}, "-sum(y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z)))",
     "z", "denominator", [], "sigmoid(z) - y"),
    ({"w": "vector(n)", "x": "vector(n)"}, "w * x", "w", "numerator", [], "diag(x)"),
    ({"x": "vector(n)", "A": "matrix(m, n)", "b": "vector(m)"}, "tanh(A @ x + b)", "x", "numerator", [],
     "diag(1 - tanh(A @ x + b)**2) @ A"),
    ({"x": "vector(n)", "A": "matrix(m, n)", "b": "vector(m)"}, "(A @ x - b).T @ (A @ x - b)", "x",
     "denominator", [], "2 * A.T @ (A @ x - b)"),
    ({"w": "vector(n)", "x": "vector(n)", "b": "scalar"}, "max(0, w.T @ x + b)", "w", "numerator",
     ["w.T @ x + b > 0"], "x.T"),
    ({"x": "scalar"}, "x / (1 + x**2)", "x", "numerator", [], "(1 - x**2) / (x**2 + 1)**2"),
]


@pytest.mark.parametrize("vars_, f, wrt, layout, assume, expected", READABLE,
                         ids=[case[-1] for case in READABLE])
def test_derivatives_read_as_a_reader_writes_them(vars_, f, wrt, layout, assume, expected, page_of):
    """Transposes at the leaves, like terms collected, the identities a reader expects."""
    spec = {"id": "readable", "vars": vars_, "f": f, "wrt": wrt, "layout": layout, "assume": assume}
    derivation = derive_block(find_blocks(page_of(spec), "page.md")[0])
    assert derivation.status == "derived", derivation.detail
    assert derivation.expression == expected


def test_sum_is_linear_so_a_centred_vector_sums_to_zero(page_of):
    """sum(x - mu) with mu = sum(x) / n cancels: the variance's gradient has no mean term."""
    spec = {"id": "variance", "vars": {"x": "vector(n)"}, "let": {"mu": "sum(x) / n"},
            "f": "sum((x - mu)**2) / n", "wrt": "x", "layout": "denominator"}
    assert derive_block(find_blocks(page_of(spec), "page.md")[0]).expression == "2 * (x - mu) / n"


GROWN = [
    # (the block's f, wrt and the rest, the form a reader expects)
    ({"vars": {"X": "matrix(m, n)", "A": "matrix(p, m)", "B": "matrix(n, q)"},
      "f": "vec(A @ X @ B)", "wrt": "vec(X)"}, "kron(B.T, A)"),
    ({"vars": {"X": "matrix(m, n)", "A": "matrix(p, m)", "B": "matrix(n, q)"},
      "f": "vec(A @ X @ B)", "wrt": "vec(X)", "layout": "denominator"}, "kron(B, A.T)"),
    ({"vars": {"X": "matrix(n, n)"}, "f": "log(det(X))", "wrt": "vec(X)", "assume": ["X spd"]},
     "vec(inv(X).T).T"),
    ({"vars": {"X": "matrix(n, n)"}, "f": "vec(inv(X))", "wrt": "vec(X)",
      "assume": ["X invertible"]}, "-kron(inv(X).T, inv(X))"),
    ({"vars": {"x": "vector(n)", "A": "matrix(n, n)"}, "f": "x.T @ A @ x", "wrt": "x",
      "order": 2}, "A + A.T"),
    ({"vars": {"X": "matrix(m, n)", "A": "matrix(m, m)"}, "f": "trace(X.T @ A @ X)",
      "wrt": "vec(X)", "order": 2}, "kron(eye(n), A + A.T)"),
    ({"vars": {"x": "scalar"}, "f": "erf(x)", "wrt": "x", "order": 2},
     "-4 / sqrt(pi) * exp(-x**2) * x"),
    ({"vars": {"t": "scalar", "A": "matrix(n, n)", "B": "matrix(n, n)"}, "f": "inv(A + t * B)",
      "wrt": "t"}, "-inv(A + t * B) @ B @ inv(A + t * B)"),
    ({"vars": {"t": "scalar", "A": "matrix(n, n)"}, "f": "kron(t * A, t * A)", "wrt": "t"},
     "2 * t * kron(A, A)"),
    ({"vars": {"x": "vector(n)"}, "f": "sum(abs(x))", "wrt": "x", "layout": "denominator"},
     "sign(x)"),
    ({"vars": {"x": "scalar"}, "f": "arctan(x) + cosh(x)", "wrt": "x"},
     "1 / (1 + x**2) + sinh(x)"),
]


@pytest.mark.parametrize("spec, expected", GROWN, ids=[case[-1] for case in GROWN])
def test_the_language_additions_derive_in_matrix_form(spec, expected, page_of):
    """vec and kron, `wrt: vec(X)`, `order: 2`, matrix-valued f by a scalar and the newer
    element-wise functions, each in the form a reader writes."""
    derivation = derive_block(find_blocks(page_of({"id": "grown", **spec}), "page.md")[0])
    assert derivation.status == "derived", derivation.detail
    assert derivation.expression == expected


def test_a_transposed_dx_is_underived_with_the_reason(page_of):
    spec = {"id": "gram", "vars": {"X": "matrix(m, n)"}, "f": "vec(X.T @ X)", "wrt": "vec(X)"}
    derivation = derive_block(find_blocks(page_of(spec), "page.md")[0])
    assert derivation.status == "underived" and derivation.expression is None
    assert "commutation matrix" in derivation.detail and "bug" not in derivation.detail


def test_check_suggests_the_kronecker_form_for_a_wrong_vec_claim(tmp_path, page_of):
    spec = {"id": "axb", "vars": {"X": "matrix(m, n)", "A": "matrix(p, m)", "B": "matrix(n, q)"},
            "f": "vec(A @ X @ B)", "wrt": "vec(X)", "claim": "kron(B, A)"}
    (tmp_path / "page.md").write_text(page_of(spec))
    proc = run("check", "--no-cache", "page.md", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].endswith("; a verified derivative: kron(B.T, A)")
