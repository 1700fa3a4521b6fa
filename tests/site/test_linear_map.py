"""The derivative as a linear map: the page stands in the navigation right after the
Jacobian, states the linear approximation, forward mode (JVPs) and reverse mode (VJPs) as
verified blocks, and the pages that lead to it link to it."""
from __future__ import annotations

import re

import pytest
from site_pages import page, site_blocks
from test_prose import nav_pages

PAGE = "linear-map.md"
# what the page must state -> the blocks that state it there
STATED = {
    "the Jacobian entry by entry": ["lm-jacobian-entries"],
    "the linear approximation: the slope along v is J v": ["lm-linear-approximation",
                                                           "lm-linear-approximation-example"],
    "a differential read off": ["lm-differential-quadratic"],
    "two layouts, one map": ["lm-layouts-numerator", "lm-layouts-denominator"],
    "forward mode, a JVP": ["lm-forward-mode", "lm-forward-mode-example"],
    "reverse mode, a VJP": ["lm-vjp", "lm-reverse-mode", "lm-reverse-mode-example"],
}
# the words a reader searches for
WORDS = ["VJP", "JVP", "vector-Jacobian product", "Jacobian-vector product", "reverse mode",
         "forward mode", "linear approximation", "differential", "incoming gradient"]
LINKED_FROM = ["jacobian.md", "chain-rules.md", "backprop.md"]


def test_page_follows_the_jacobian_in_the_navigation():
    pages = nav_pages()
    assert pages.index(PAGE) == pages.index("jacobian.md") + 1, pages


@pytest.mark.parametrize("what", sorted(STATED))
def test_page_states_it_with_verified_blocks(what, verdicts):
    for block_id in STATED[what]:
        row = verdicts.get(block_id)
        assert row and row["file"] == f"docs/{PAGE}", f"{what}: no block {block_id!r} on {PAGE}"
        assert row["status"] == "verified", f"{what}: {block_id} is {row['status']}: {row['message']}"


def test_the_vjp_block_differentiates_a_weighted_sum_of_outputs():
    """c^T y for an arbitrary map y = f(x), by x, claimed as c^T times the Jacobian."""
    [block] = [b for b in site_blocks([PAGE]) if b.id == "lm-vjp"]
    assert block.spec["f"].replace(" ", "") == "c.T@y"
    assert block.spec["claim"].replace(" ", "") == "c.T@d(y,x)"
    assert block.spec["vars"]["f"].replace(" ", "") == "function(vector(n)->vector(m))"


@pytest.mark.parametrize("word", WORDS)
def test_page_uses_the_words_readers_search_for(word):
    assert word in page(PAGE)


@pytest.mark.parametrize("name", LINKED_FROM)
def test_page_is_linked_from(name):
    assert re.search(r"\]\(linear-map\.md(#[a-z0-9-]+)?\)", page(name)), f"{name} does not link to {PAGE}"
