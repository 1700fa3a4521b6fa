"""Size relations, domains and the layout warning: what a check says about where a rule
lives and what it could not tell."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import mathcheck
from mathcheck.checking.sampling import honour, size_assignments, spare_assignments, sweep_assignments

SPD_LOG_DET = ("```derivation\nid: log-det-spd\nvars:\n  X: matrix(n, n)\nf: log(det(X))\nwrt: X\n"
               "assume: [X spd]\nclaim: inv(X)\n```\n")
LEAST_SQUARES = ("```derivation\nid: ls\nvars:\n  X: matrix(m, n)\nf: trace(inv(X.T @ X))\nwrt: X\n"
                 "layout: denominator\nassume: [{assume}]\n"
                 "claim: -2 * X @ inv(X.T @ X) @ inv(X.T @ X)\n```\n")
CLI = [sys.executable, "-c", "import sys; from mathcheck.cli import main; sys.exit(main())"]


@pytest.mark.parametrize("relations", [
    (("n", ">=", "m"),), (("m", ">", "n"),), (("m", ">", "n"), ("k", ">", "m")),
    (("n", ">=", "k"), ("n", ">=", "m")), (("k", ">", "m"), ("k", ">=", "n"), ("m", ">", "n")),
])
def test_every_size_tried_honours_the_relations(relations):
    letters = tuple(sorted({x for a, _, b in relations for x in (a, b)}))
    main = [s for s, _ in size_assignments(letters, relations)]
    every = main + [s for s, _ in spare_assignments(letters, relations) + sweep_assignments(letters, relations)]
    for sizes in every:
        assert all(sizes[a] > sizes[b] if op == ">" else sizes[a] >= sizes[b] for a, op, b in relations), sizes
        assert min(sizes.values()) >= 2
    for sizes in main:   # different letters different sizes, one of them 3 or more
        assert len(set(sizes.values())) == len(letters) and max(sizes.values()) >= 3
    assert len({tuple(sorted(s.items())) for s in main}) == 3


def test_a_non_strict_relation_is_tried_at_equal_sizes_too():
    swept = [s for s, _ in sweep_assignments(("m", "n"), (("n", ">=", "m"),))]
    assert any(s["n"] == s["m"] for s in swept)


def test_sizes_without_relations_are_unchanged():
    assert honour({"m": 3, "n": 2}, ()) == {"m": 3, "n": 2}
    assert [s for s, _ in size_assignments(("m", "n"))] == [{"m": 3, "n": 2}, {"m": 2, "n": 4},
                                                             {"m": 5, "n": 6}]


@pytest.mark.parametrize("assume", ["m >= n", "m > n", "n <= m", "n < m"])
def test_a_tall_matrix_rule_says_where_it_lives(assume):
    [verdict] = mathcheck.check_text(LEAST_SQUARES.format(assume=assume), "ls.md")
    assert verdict.status == "verified", verdict.message
    assert all(s["m"] > s["n"] for s in verdict.evidence.sizes)


@pytest.mark.parametrize("assume,says", [
    ("m > n, n > m", "no sizes can honour them all"),
    ("n > n", "relates the size `n` to itself"),
    ("m >= n, n >= m", "use one size letter for both"),
    ("n > X", "compares the size `n` with the variable `X`"),
    ("n > 2", "compares the size `n` with a number"),
    ("n > q", "`q` is not a size letter of this block"),
])
def test_a_bad_size_relation_is_a_located_error_that_says_what_to_write(assume, says):
    [verdict] = mathcheck.check_text(LEAST_SQUARES.format(assume=assume), "ls.md")
    assert verdict.status == "error", verdict.message
    assert says in verdict.message
    assert verdict.message.startswith("ls.md:1: block `ls` error:") and "(line 8)" in verdict.message
    if "cycle" not in verdict.message:
        assert "as in `n >= m`" in verdict.message


def test_a_size_relation_is_typeset():
    [verdict] = mathcheck.check_text(LEAST_SQUARES.format(assume="n <= m"), "ls.md")
    assert verdict.statement.assumptions == [r"m \ge n"]


def test_a_block_undefined_everywhere_is_an_error_that_says_so():
    text = ("```derivation\nid: nowhere\nvars:\n  X: matrix(m, n)\nf: trace(inv(X @ X.T))\nwrt: X\n"
            "layout: denominator\nassume: [m > n]\nclaim: -2 * inv(X @ X.T) @ inv(X @ X.T) @ X\n```\n")
    [verdict] = mathcheck.check_text(text, "nowhere.md")
    assert verdict.status == "error", verdict.message
    assert "undefined (or numerically singular" in verdict.message
    assert "at every size tried (m=3, n=2;" in verdict.message


def test_sizes_outside_the_domain_are_skipped_and_named():
    """Without a relation the wide sizes (XᵀX singular) are skipped and tall ones tried."""
    [verdict] = mathcheck.check_text(LEAST_SQUARES.replace("assume: [{assume}]\n", ""), "ls.md")
    assert verdict.status == "verified", verdict.message
    assert "skipped m=2, n=4;" in verdict.message and "undefined or numerically singular" in verdict.message
    assert all(s["m"] > s["n"] for s in verdict.evidence.sizes)
    assert len(verdict.evidence.sizes) == 3 and max(v for s in verdict.evidence.sizes for v in s.values()) >= 3


def test_an_assumption_that_hides_the_layout_is_warned_about():
    [verdict] = mathcheck.check_text(SPD_LOG_DET, "spd.md")
    assert verdict.status == "verified", verdict.message
    assert verdict.warning == ("spd.md:1: block `log-det-spd` warning: the layout is not checked under "
                               "`X spd`: there the claim equals its transpose at every point tried, so "
                               "the other layout's claim would pass too; assume less if the rule holds "
                               "more widely")


@pytest.mark.parametrize("text", [
    SPD_LOG_DET.replace("assume: [X spd]", "assume: [det(X) > 0]"),
    # symmetric whatever X is: the property assumed hides nothing
    "```derivation\nid: t\nvars:\n  X: matrix(n, n)\nf: trace(X)\nwrt: X\nassume: [X symmetric]\n"
    "claim: eye(n)\n```\n",
    # not square: a transposed claim has the wrong shape
    "```derivation\nid: v\nvars:\n  X: matrix(n, n)\n  x: vector(n)\nf: x.T @ X @ x\nwrt: x\n"
    "assume: [X spd]\nclaim: 2 * x.T @ X\n```\n",
])
def test_no_warning_where_the_layout_is_checked(text):
    [verdict] = mathcheck.check_text(text, "ok.md")
    assert verdict.status == "verified", verdict.message
    assert verdict.warning is None


def test_the_command_prints_the_warning_on_its_own_line(tmp_path: Path):
    (tmp_path / "spd.md").write_text(SPD_LOG_DET)
    text = subprocess.run([*CLI, "check", "spd.md", "--no-cache"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    lines = text.stdout.splitlines()
    assert lines[0].startswith("spd.md:1: block `log-det-spd` verified: ")
    assert lines[1].startswith("spd.md:1: block `log-det-spd` warning: the layout is not checked")
    quiet = subprocess.run([*CLI, "check", "spd.md", "--no-cache", "-q"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert quiet.stdout.splitlines() == [lines[1]]
    listed = subprocess.run([*CLI, "check", "spd.md", "--no-cache", "--format", "json"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    [item] = json.loads(listed.stdout)
    assert item["status"] == "verified" and item["warning"] == lines[1]
    github = subprocess.run([*CLI, "check", "spd.md", "--no-cache", "--format", "github"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert github.stdout.startswith("::warning file=spd.md,line=1,")


def test_a_size_relation_in_a_block_of_one_size_letter_names_no_relation_it_would_refuse():
    page = ("```derivation\nid: one\nvars:\n  x: vector(n)\nf: sum(x)\nwrt: x\n"
            "assume: [n >= x]\nclaim: ones(n).T\n```\n")
    [verdict] = mathcheck.check_text(page, "one.md")
    assert verdict.status == "error"
    assert "this block has one (n)" in verdict.message and "`n >= n`" not in verdict.message
