"""Every general rule of the source article stands on the site as a verified general block,
stated with abstract functions, with a concrete instance of it on the same page.

Formula ids number the source article's formulas by section, kind (D display, I inline,
L a typeset block) and position.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from site_pages import is_general, page
from site_pages import site_blocks as blocks_of_the_site

EIGHT_CASES = ["chain-single-general", "chain-case-vector-scalar-scalar", "chain-case-scalar-scalar-vector",
               "chain-case-vector-scalar-vector", "chain-total-vector-general",
               "chain-vector-scalar-input-general", "chain-case-scalar-vector-vector", "chain-vector-general"]

# formula id(s) -> the blocks stating the rule in general
GENERAL = {
    "2-I4 constant multiple": ["scalar-constant-multiple-rule"],
    "2-I10 sum": ["scalar-sum-rule"],
    "2-I13 difference": ["scalar-difference-rule"],
    "2-I16 product": ["scalar-product-rule"],
    "2-I19/20 chain": ["scalar-chain-rule"],
    "quotient": ["scalar-quotient-rule"],
    "3-D1 / 8.1-D1 gradient": ["gradient-general"],
    "4.1-D2, 4.1-D5 / 8.1-D2 Jacobian": ["jacobian-general-entries", "lm-jacobian-entries"],
    "4.2-D1..D3 / 8.2-D1, D2 element-wise, full Jacobians": ["elementwise-full-w", "elementwise-full-x"],
    "4.2-D4..D6 / 8.2-D3 element-wise, diagonal condition": ["elementwise-general-w", "elementwise-general-x"],
    "4.3-D1 scalar expansion": ["expand-general-x", "expand-general-z"],
    "4.4-D1 / 8.4-D1 sum reduction": ["sum-general"],
    "4.5.1-D1 / 8.5-I1 single-variable chain rule": ["chain-single-general"],
    "4.5.2-D4 total derivative, one intermediate": ["chain-total-one-general"],
    "4.5.2-D6, D11 total derivative, two and three intermediates": ["chain-total-general",
                                                                     "chain-total-general-three"],
    "4.5.2-D12 total derivative, x as an intermediate": ["chain-total-general-folded"],
    "8.5-I2 total derivative as a product": ["chain-total-vector-general"],
    "4.5.3-D8 vector chain rule, scalar input": ["chain-vector-scalar-input-general"],
    "4.5.3-D10, D11 / 8.5-I3 vector chain rule": ["chain-vector-general", "chain-vector-general-denominator"],
    "4.5.3-D12..D14 both stages element-wise": ["chain-vector-elementwise-general"],
    "4.5.3-L1 the cases of the chain rule (eight, the article's six and two more)": EIGHT_CASES,
    "5-D14 activation chain": ["activation-chain-general"],
    "5-I4 / 8.4-I4 dot product of two functions": ["dot-product-general"],
}

# general block -> a concrete instance on the same page
INSTANCE = {
    "scalar-constant-multiple-rule": "scalar-constant-multiple-example",
    "scalar-sum-rule": "scalar-sum-example",
    "scalar-difference-rule": "scalar-difference-example",
    "scalar-product-rule": "scalar-product-example",
    "scalar-chain-rule": "scalar-chain-example",
    "scalar-quotient-rule": "scalar-quotient-example",
    "gradient-general": "gradient-3x2y",
    "jacobian-general-entries": "jacobian-f-g",
    "elementwise-full-w": "elementwise-not-diagonal",
    "elementwise-full-x": "elementwise-not-diagonal",
    "elementwise-general-w": "elementwise-example-w",
    "elementwise-general-x": "elementwise-example-x",
    "expand-general-x": "expand-add-x",
    "expand-general-z": "expand-add-z",
    "sum-general": "sum-of-linear-map",
    "chain-single-general": "chain-sin-x2",
    "chain-total-one-general": "chain-total-x-plus-x2",
    "chain-total-general": "chain-total-example",
    "chain-total-general-three": "chain-total-sin-x-plus-x2",
    "chain-total-general-folded": "chain-total-example-folded",
    "chain-total-vector-general": "chain-total-example-folded",
    "chain-vector-scalar-input-general": "chain-vector-discovered",
    "chain-vector-general": "chain-vector-example",
    "chain-vector-general-denominator": "chain-vector-example-denominator",
    "chain-vector-elementwise-general": "chain-vector-elementwise",
    "chain-case-scalar-vector-vector": "chain-case-scalar-vector-vector-example",
    "chain-case-vector-scalar-scalar": "chain-case-vector-scalar-scalar-example",
    "chain-case-scalar-scalar-vector": "chain-case-neuron-example",
    "chain-case-vector-scalar-vector": "chain-case-vector-scalar-vector-example",
    "activation-chain-general": "activation-w-chain",
    "lm-jacobian-entries": "lm-linear-approximation-example",
    "lm-linear-approximation": "lm-linear-approximation-example",
    "lm-layouts-numerator": "lm-layouts-example",
    "lm-layouts-denominator": "lm-layouts-example",
    "lm-forward-mode": "lm-forward-mode-example",
    "lm-vjp": "lm-reverse-mode-example",
    "lm-reverse-mode": "lm-reverse-mode-example",
    "dot-product-general": "dot-product-w",
}

# The article's rule at the kink is about max itself: checked on both sides, concretely.
BOTH_SIDES_OF_THE_KINK = ["activation-w-chain", "activation-w-chain-inactive"]


def site_blocks() -> dict[str, tuple[str, dict]]:
    """id -> (page, YAML) for every derivation block under docs/."""
    return {block.id: (Path(block.file).name, block.spec) for block in blocks_of_the_site()}


@pytest.mark.parametrize("formula", sorted(GENERAL))
def test_general_rule_is_stated_with_abstract_functions_and_verified(formula, verdicts):
    blocks = site_blocks()
    for block_id in GENERAL[formula]:
        assert block_id in blocks, f"{formula}: no block {block_id!r} in docs/"
        assert is_general(blocks[block_id][1]), f"{formula}: {block_id} declares no abstract function"
        row = verdicts[block_id]
        assert row["status"] == "verified", f"{formula}: {block_id} is {row['status']}: {row['message']}"


@pytest.mark.parametrize("general", sorted(INSTANCE))
def test_general_rule_keeps_a_concrete_instance_on_its_page(general, verdicts):
    blocks = site_blocks()
    instance = INSTANCE[general]
    assert instance in blocks, f"{general}: no instance {instance!r}"
    assert blocks[instance][0] == blocks[general][0], f"{instance} is not on {blocks[general][0]}"
    assert not is_general(blocks[instance][1]), f"{instance} is not concrete"
    assert verdicts[instance]["status"] == "verified"


CONTRIBUTORS_PAGES = {"contributing.md", "block-format.md"}


def test_every_general_block_is_mapped_to_an_instance():
    """Outside the contributors' pages, whose worked rules teach the block format, and the
    backpropagation pages, whose rules for any loss are the formulas a layer implements."""
    general = {block_id for block_id, (page, spec) in site_blocks().items()
               if is_general(spec) and page not in CONTRIBUTORS_PAGES and not page.startswith("backprop")}
    assert general <= set(INSTANCE), f"general blocks with no instance listed: {sorted(general - set(INSTANCE))}"


def test_the_activation_chain_is_derived_on_both_sides_of_the_kink(verdicts):
    blocks = site_blocks()
    sides = {tuple(blocks[i][1]["assume"]) for i in BOTH_SIDES_OF_THE_KINK}
    assert sides == {("w.T @ x + b > 0",), ("w.T @ x + b < 0",)}
    assert all(verdicts[i]["status"] == "verified" for i in BOTH_SIDES_OF_THE_KINK)
    assert all("steps" in blocks[i][1] for i in BOTH_SIDES_OF_THE_KINK)


def test_the_eight_cases_of_the_chain_rule_cover_every_kind_of_f_u_and_x():
    """Scalar or vector output f, intermediate u and input x: eight cells, each once, in the
    order of the picture and the table (u and x by row, f scalar before f vector)."""
    blocks = site_blocks()

    def kinds(spec: dict) -> tuple[str, str, str]:
        x = "vector" if spec["vars"]["x"].startswith("vector") else "scalar"
        inner, outer = (spec["vars"][name].replace(" ", "") for name in ("g", "f"))
        u = "vector" if inner.endswith("->vector(k))") else "scalar"
        f = "vector" if outer.endswith("->vector(m))") else "scalar"
        return f, u, x

    cells = [kinds(blocks[block_id][1]) for block_id in EIGHT_CASES]
    expected = [(f, u, x) for u in ("scalar", "vector") for x in ("scalar", "vector")
                for f in ("scalar", "vector")]
    assert cells == expected


def test_the_case_table_and_picture_show_all_eight_cases():
    tables = re.findall(r"^```derivation-table\n(title: Which chain rule.*?)^```$", page("chain-rules-cases.md"),
                        re.M | re.S)
    assert [yaml.safe_load(table)["ids"] for table in tables] == [EIGHT_CASES]
    assert re.search(r"!\[[^\]]{40,}\]\(img/chain-rule-cases\.svg\)", page("chain-rules-cases.md"))
    section = page("chain-rules-cases.md").split("## The eight cases")[1]
    assert "2 \\times 2 \\times 2 = 8$ cases" in section


# The article's derivations of the loss and the dot product, each a block (concrete rules).
DERIVATIONS = {
    "6.1-D1 du/dw by cases": ["activation-w"],
    "6.1-D2 dv/dw by cases": ["loss-residual-w"],
    "6.2-D2 du/db by cases": ["activation-b"],
    "6.2-D3 dv/db by cases": ["loss-residual-b"],
    "6.1-L1 dC/dw, a sum over inputs with a case each": ["loss-single-input-w", "loss-two-inputs-w",
                                                         "loss-w-masked"],
    "6.2-L1 dC/db, a sum over inputs with a case each": ["loss-single-input-b", "loss-two-inputs-b",
                                                         "loss-b-masked"],
    "the inactive case": ["loss-single-input-w-inactive", "loss-w-inactive", "activation-w-chain-inactive"],
    "5-D5, 5-D6 the dot product entry by entry": ["dot-product-entries"],
}

# Results a reader is told to implement, each with its denominator-layout form: a block
# of its own, or the block itself checked in both layouts.
DENOMINATOR_TWINS = {
    "loss-w-masked": "loss-w-masked-denominator",
    "activation-w-mask": "activation-w-mask-denominator",
    "affine-w": "affine-w-denominator",
    **{f"ew-{op}-{v}": f"ew-{op}-{v}-denominator" for op in ("add", "sub", "mul", "div") for v in "wx"},
}


@pytest.mark.parametrize("formula", sorted(DERIVATIONS))
def test_the_articles_derivation_is_a_verified_block(formula, verdicts):
    blocks = site_blocks()
    for block_id in DERIVATIONS[formula]:
        assert block_id in blocks, f"{formula}: no block {block_id!r}"
        assert verdicts[block_id]["status"] == "verified", f"{formula}: {verdicts[block_id]['message']}"


def test_the_mixed_batch_formulas_are_derived_with_steps():
    blocks = site_blocks()
    for block_id in ("loss-w-masked", "loss-b-masked"):
        spec = blocks[block_id][1]
        assert len(spec.get("steps", [])) >= 3, block_id
        # any mix of active and inactive inputs: off the kinks, on neither side
        assert spec.get("assume") == ["z != 0"], block_id


@pytest.mark.parametrize("result", sorted(DENOMINATOR_TWINS))
def test_a_result_to_implement_has_its_denominator_form_beside_it(result, verdicts):
    """Written beside it, or shown by the reader's layout switch, checked like the block."""
    blocks = site_blocks()
    twin = DENOMINATOR_TWINS[result]
    if twin not in blocks:
        assert verdicts[result]["status"] == "verified", verdicts[result]["message"]
        assert "checked in both layouts: its statement in denominator layout" in verdicts[result]["message"]
        return
    (page, spec), (twin_page, twin_spec) = blocks[result], blocks[twin]
    assert twin_page == page, f"{twin} is not on {page}"
    assert twin_spec.get("layout") == "denominator" and twin_spec["f"] == spec["f"], twin
    assert twin_spec["wrt"] == spec["wrt"] and verdicts[twin]["status"] == "verified", twin
