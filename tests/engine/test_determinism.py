"""Same input, same verdict and message: seeds come from the block's id."""
from __future__ import annotations

from fresh_process import checks_in_fresh_processes

import mathcheck

SPECS = [
    {"id": "det-true", "vars": {"x": "vector(n)", "A": "matrix(n, n)"}, "f": "x.T @ A @ x", "wrt": "x",
     "claim": "x.T @ (A + A.T)"},
    {"id": "det-symmetric-only", "vars": {"x": "vector(n)", "A": "matrix(n, n)"}, "f": "x.T @ A @ x",
     "wrt": "x", "claim": "2 * x.T @ A"},
    {"id": "det-factor", "vars": {"x": "scalar"}, "f": "x**3", "wrt": "x", "claim": "3.003*x**2"},
    {"id": "det-cases", "vars": {"z": "scalar"}, "f": "max(0, z)", "wrt": "z",
     "claim": [{"if": "z <= 0", "then": "1"}, {"if": "z > 0", "then": "0"}]},
    {"id": "det-steps", "vars": {"x": "scalar"}, "let": {"u1": "x**2", "u2": "x + u1"}, "f": "x + x**2",
     "wrt": "x", "steps": ["pd(u2, x) = 1 + 2*x"], "claim": "1 + 2*x"},
    {"id": "det-det", "vars": {"X": "matrix(n, n)"}, "f": "det(X)", "wrt": "X", "claim": "det(X) * inv(X).T"},
    {"id": "det-error", "vars": {"w": "vector(n)", "x": "vector(n)"}, "f": "w @ x", "wrt": "w", "claim": "x.T"},
]


def summary(verdicts) -> list[tuple]:
    out = []
    for v in verdicts:
        ev = v.evidence
        out.append((v.id, v.file, v.line, v.status, v.message,
                    None if ev is None else (ev.sizes, ev.points, ev.methods)))
    return out


def test_same_input_twice_gives_the_same_verdicts_and_messages(page_of):
    text = page_of(*SPECS)
    first = mathcheck.check_blocks(mathcheck.find_blocks(text, "docs/d.md"), jobs=1, time_limit=20, cache_dir=None)
    second = mathcheck.check_blocks(mathcheck.find_blocks(text, "docs/d.md"), jobs=1, time_limit=20, cache_dir=None)
    assert [v.status for v in first] == ["verified", "failed", "failed", "failed", "failed", "failed", "error"]
    assert summary(first) == summary(second)


def test_parallel_and_serial_agree(page_of):
    blocks = mathcheck.find_blocks(page_of(*SPECS), "docs/d.md")
    serial = mathcheck.check_blocks(blocks, jobs=1, time_limit=20, cache_dir=None)
    parallel = mathcheck.check_blocks(blocks, jobs=2, time_limit=20, cache_dir=None)
    assert summary(serial) == summary(parallel)


def test_block_order_does_not_change_a_verdict(page_of):
    forward = mathcheck.check_blocks(mathcheck.find_blocks(page_of(*SPECS), "docs/d.md"),
                                     jobs=1, time_limit=20, cache_dir=None)
    backward = mathcheck.check_blocks(mathcheck.find_blocks(page_of(*reversed(SPECS)), "docs/d.md"),
                                      jobs=1, time_limit=20, cache_dir=None)
    # lines differ between the two pages, so compare what each verdict found, not where
    def found(v) -> tuple:
        return v.id, v.status, None if v.evidence is None else (v.evidence.sizes, v.evidence.points)

    assert sorted(map(found, forward), key=str) == sorted(map(found, backward), key=str)


def test_fresh_processes_with_different_hash_seeds_agree(tmp_path, page_of):
    (tmp_path / "d.md").write_text(page_of(*SPECS))
    outputs = checks_in_fresh_processes(tmp_path, "d.md")
    assert outputs[0] == outputs[1]


def test_parallel_run_keeps_order_when_one_block_runs_out_of_time(page_of):
    # sin keeps it symbolic: a rational claim with a determinant is compared exactly, fast
    slow = {"id": "det-slow", "vars": {"X": "matrix(n, n)"}, "f": "sin(det(X @ X @ X @ X @ X))",
            "wrt": "X", "claim": "5 * cos(det(X @ X @ X @ X @ X)) * det(X)**5 * inv(X)"}
    blocks = mathcheck.find_blocks(page_of(slow, SPECS[0], SPECS[2], slow | {"id": "det-slow-2"}), "docs/d.md")
    verdicts = mathcheck.check_blocks(blocks, jobs=2, time_limit=3, cache_dir=None)
    assert [v.id for v in verdicts] == ["det-slow", "det-true", "det-factor", "det-slow-2"]
    assert [v.status for v in verdicts] == ["error", "verified", "failed", "error"]
