"""Claims tuned to the sizes the symbolic check uses still fail at a larger size."""
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
