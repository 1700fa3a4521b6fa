"""Claims tuned to the sizes the symbolic check uses still fail at a larger or a swept size."""
import pytest

import mathcheck

TUNED = [
    # true at n = 2 and n = 3 only
    ("vars:\n  x: vector(n)\nf: sum(x**2)\nwrt: x\n", "2*x.T + (n-2)*(n-3)*x.T"),
    # the same with the size counted by the expression itself
    ("vars:\n  x: vector(n)\nf: sum(x**2)\nwrt: x\n",
     "2*x.T + (sum(ones(n))-2)*(sum(ones(n))-3)*x.T"),
    # true for the pairs (m, n) = (3, 2) and (2, 4) only
    ("vars:\n  x: vector(n)\n  y: vector(m)\nf: sum(x**2) + sum(y)\nwrt: x\n",
     "2*x.T + (n-2)*(m-2)*x.T"),
]


@pytest.mark.parametrize("spec,claim", TUNED)
def test_claim_true_only_at_small_sizes_fails(spec, claim):
    text = f"```derivation\nid: tuned\n{spec}claim: {claim}\n```\n"
    [verdict] = mathcheck.check_text(text, "tuned.md")
    assert verdict.status == "failed", verdict.message
    assert "n=5" in verdict.message or "n=6" in verdict.message


def test_evidence_names_every_size_tried():
    text = "```derivation\nid: ok\nvars:\n  x: vector(n)\nf: sum(x**2)\nwrt: x\nclaim: 2*x.T\n```\n"
    [verdict] = mathcheck.check_text(text, "ok.md")
    assert verdict.status == "verified"
    assert verdict.evidence.sizes == [{"n": 3}, {"n": 2}, {"n": 5}]


@pytest.mark.parametrize("letters", [("n",), ("m", "n"), ("k", "m", "n"), tuple("klmnpqr")])
def test_the_sweep_covers_every_size_and_every_two_sizes(letters):
    """Every letter takes every size from 2 to 9, every two letters every two different
    sizes from 2 to 5, at the main sizes or the swept ones; letters never share a size."""
    from mathcheck.checking.sampling import PAIRED, SWEEP, size_assignments, sweep_assignments
    swept = sweep_assignments(letters)
    every = [s for s, _ in size_assignments(letters)] + [s for s, _ in swept]
    for sizes in every:
        assert sorted(sizes) == sorted(letters) and len(set(sizes.values())) == len(letters)
        assert min(sizes.values()) >= 2
    for a in letters:
        assert {s[a] for s in every} >= set(SWEEP)
    for i, a in enumerate(letters):
        for b in letters[i + 1:]:
            assert {(s[a], s[b]) for s in every} >= {(x, y) for x in PAIRED for y in PAIRED if x != y}
    assert any(settle for _, settle in swept)


def test_a_claim_right_at_every_main_size_fails_at_a_swept_one():
    text = ("```derivation\nid: swept\nvars:\n  x: vector(n)\nf: sum(x**2)\nwrt: x\n"
            "claim: 2*x.T*(1 + (n-2)*(n-3)*(n-5)*(n-4))\n```\n")
    [verdict] = mathcheck.check_text(text, "swept.md")
    assert verdict.status == "failed", verdict.message
    assert "n=6" in verdict.message
