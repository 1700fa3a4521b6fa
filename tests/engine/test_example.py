"""The worked example a verified block's evidence carries, and its way through the cache."""

from __future__ import annotations

import json

import numpy as np

from mathcheck import find_blocks, typeset
from mathcheck.checking.decide import check_block
from mathcheck.checking.verdicts import outcome_from_json, outcome_to_json

BLOCK = """```derivation
id: example-relu
vars:
  w: vector(n)
  x: vector(n)
  b: scalar
f: max(0, w.T @ x + b)
wrt: w
claim:
  - {if: w.T @ x + b > 0, then: x.T}
  - {if: w.T @ x + b < 0, then: zeros(n).T}
```
"""


def checked():
    (block,) = find_blocks(BLOCK, "example.md")
    return check_block(block)


def test_the_example_shows_the_point_and_both_values_side_by_side() -> None:
    example = checked().evidence.example
    n = example.sizes["n"]
    assert n >= 2 and set(example.point) == {"w", "x", "b"}
    assert np.shape(example.point["w"]) == (n, 1) and np.shape(example.claimed) == (1, n)
    # the first case: the claim is x.T there, and finite differences agree with it
    w, x, b = (np.array(example.point[k]) for k in ("w", "x", "b"))
    assert example.case == 0 and (w.T @ x + b).item() > 0
    assert np.allclose(example.claimed, x.T, rtol=1e-9)
    assert np.allclose(example.numeric, example.claimed, rtol=1e-6)


def test_the_example_survives_the_cache_and_old_entries_still_read() -> None:
    outcome = checked()
    data = json.loads(json.dumps(outcome_to_json(outcome, 1)))
    assert outcome_from_json(data, 1).evidence == outcome.evidence
    del data["evidence"]["example"]          # an entry cached before examples existed
    assert outcome_from_json(data, 1).evidence.example is None


def test_a_verified_outcome_carries_the_statement_as_typeset_and_it_survives_the_cache() -> None:
    (block,) = find_blocks(BLOCK, "example.md")
    outcome = check_block(block)
    assert outcome.statement == typeset(block)
    assert r"\begin{cases}" in outcome.statement.claim_latex
    data = json.loads(json.dumps(outcome_to_json(outcome, 1)))
    assert outcome_from_json(data, 1).statement == outcome.statement


def test_a_failed_outcome_carries_no_statement() -> None:
    (block,) = find_blocks(BLOCK.replace("then: x.T", "then: 2*x.T"), "example.md")
    outcome = check_block(block)
    assert outcome.status == "failed" and outcome.statement is None
