"""The other layout's statement of a block: its claim and steps transposed with the
transposes at the leaves (layouts/flips.yaml, one parametrized test), checked like the
block, and a block verified only when both statements are."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from mathcheck.checking import layouts
from mathcheck.pages.blocks import find_blocks
from mathcheck.checking.decide import check_block
from mathcheck.language.claims import read_claim
from mathcheck.checking.verdicts import outcome_from_json, outcome_to_json

FLIPS = yaml.safe_load((Path(__file__).parent / "layouts" / "flips.yaml").read_text())


def block_of(entry: dict, page_of):
    spec = {k: v for k, v in entry.items() if k not in ("why", "flipped", "flipped_steps")}
    return find_blocks(page_of(spec), "flips.md")[0]


@pytest.mark.parametrize("entry", FLIPS, ids=[e["id"] for e in FLIPS])
def test_the_other_layout_reads_as_a_reader_would_write_it(entry, page_of):
    block = block_of(entry, page_of)
    twin = layouts.other_layout_block(block, read_claim(block))
    assert twin.spec["layout"] == "denominator"
    expected = entry["flipped"]
    if isinstance(expected, list):
        assert [case["then"] for case in twin.spec["claim"]] == expected
        assert [case["if"] for case in twin.spec["claim"]] == [c["if"] for c in entry["claim"]]
    else:
        assert twin.spec["claim"] == expected
    assert twin.spec.get("steps") == entry.get("flipped_steps", entry.get("steps"))
    back = layouts.other_layout_block(twin, read_claim(twin))   # and back again
    assert back.spec["layout"] == "numerator"
    assert read_claim(back).expected == read_claim(block).expected


@pytest.mark.parametrize("entry", FLIPS[::4], ids=[e["id"] for e in FLIPS[::4]])
def test_a_block_with_a_layout_is_verified_in_both(entry, page_of):
    outcome = check_block(block_of(entry, page_of))
    assert outcome.status == "verified", outcome.detail
    assert "checked in both layouts" in outcome.detail
    assert outcome.other is not None and outcome.other.layout == "denominator"
    assert outcome.statement.layout == "numerator"
    assert outcome.other.claim_latex != outcome.statement.claim_latex
    assert len(outcome.other.steps) == len(outcome.statement.steps)


def test_a_scalar_by_a_scalar_has_no_other_layout(page_of):
    block = find_blocks(page_of({"id": "s", "vars": {"x": "scalar"}, "f": "sin(x)", "wrt": "x",
                                 "claim": "cos(x)"}), "s.md")[0]
    assert not layouts.has_layout(read_claim(block))
    outcome = check_block(block)
    assert outcome.status == "verified" and outcome.other is None
    assert "both layouts" not in outcome.detail


def test_a_second_derivative_has_no_other_layout(page_of):
    block = find_blocks(page_of({"id": "h", "vars": {"x": "vector(n)"}, "f": "dot(x, x)",
                                 "wrt": "x", "order": 2, "claim": "2 * eye(n)"}), "h.md")[0]
    assert not layouts.has_layout(read_claim(block))


def test_a_wrong_statement_in_the_other_layout_is_never_verified(page_of, monkeypatch):
    """Were the transposing wrong (a step off by a factor, or a statement that does not
    even read), the block is not verified and the message says which statement broke."""
    entry = next(e for e in FLIPS if e["id"] == "flip-steps-absorb")
    block = block_of(entry, page_of)
    flip = layouts.other_layout_block
    said = "its statement in denominator layout (the claim and each step transposed) "

    def off_by_two(block, claim):
        twin = flip(block, claim)
        return replace(twin, spec={**twin.spec, "steps": [*twin.spec["steps"][:-1], "d(L, z) = 2 * y"]})

    def untransposed(block, claim):
        return replace(block, spec={**block.spec, "layout": "denominator"})

    for wrong, status, detail in ((off_by_two, "failed", "is failed: step `d(L, z) = 2 * y` is wrong"),
                                  (untransposed, "error", "cannot be read")):
        monkeypatch.setattr("mathcheck.checking.decide.other_layout_block", wrong)
        outcome = check_block(block)
        assert outcome.status == status
        assert outcome.other is None and outcome.statement is None
        assert outcome.detail.startswith(said + detail), outcome.detail


def test_the_other_statement_is_kept_in_the_cache_entry(page_of):
    block = block_of(FLIPS[0], page_of)
    outcome = check_block(block)
    again = outcome_from_json(outcome_to_json(outcome, block.line), block.line)
    assert again.other == outcome.other and again.statement == outcome.statement
    data = outcome_to_json(replace(outcome, status="failed", statement=None), block.line)
    with pytest.raises(ValueError):      # only a verified block shows another statement
        outcome_from_json(data, block.line)
