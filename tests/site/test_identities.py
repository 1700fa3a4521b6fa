"""The chapter of reference identities: every group is on the page, verified, in the
numerator layout and checked in the denominator one too, collected on the Reference page; the forms
that hold only for symmetric matrices (or with the factors swapped) fail where the page
says they do."""
from __future__ import annotations

import re

import pytest
import yaml
from site_pages import ROOT, page, site_blocks
from test_prose import nav_pages

from mathcheck import check_text
from mathcheck.language.claims import read_claim
from mathcheck.checking.layouts import has_layout

PAGE = "identities.md"
PAGES = [PAGE, "identities-matrix.md"]  # one chapter in two pages
GROUPS = {
    "identity-form": ["id-linear-form", "id-bilinear-form", "id-quadratic-form", "id-quadratic-form-hessian",
                      "id-gram-bilinear", "id-affine-bilinear"],
    "identity-norm": ["id-norm", "id-norm-squared", "id-residual", "id-residual-hessian", "id-frobenius-squared",
                      "id-frobenius-residual"],
    "identity-least-squares": ["id-least-squares", "id-normal-equations", "id-least-squares-hessian"],
    "identity-trace": ["id-trace-ax", "id-trace-axb", "id-trace-xtax", "id-trace-inverse", "id-trace-a-inverse-b"],
    "identity-det": ["id-det", "id-det-scalar", "id-log-det", "id-log-det-scalar"],
    "identity-inverse": ["id-inverse-scalar", "id-inverse-bilinear"],
    "identity-hessian": ["id-quadratic-form-hessian", "id-residual-hessian", "id-logsumexp-hessian"],
    "identity-vec": ["id-vec-axb", "id-vec-inverse", "id-vec-trace"],
}
# (block, layout) -> a claim readers meet in other references that is wrong for a general
# matrix (or with the Kronecker factors swapped); the page's block, in that layout, must
# make it fail.
WRONG_FORMS = {
    ("id-quadratic-form", "denominator"): "2 * A @ x",
    ("id-trace-xtax", "denominator"): "2 * A @ X",
    ("id-log-det", "denominator"): "inv(X)",
    ("id-frobenius-residual", "denominator"): "A.T @ (A @ X - B)",
    ("id-det", "denominator"): "det(X) * inv(X)",
    ("id-trace-inverse", "denominator"): "-inv(X) @ A @ inv(X)",
    ("id-vec-axb", "numerator"): "kron(A, B.T)",
    ("id-vec-axb", "denominator"): "kron(B.T, A)",
    ("id-vec-inverse", "numerator"): "-kron(inv(X), inv(X).T)",
    ("id-inverse-scalar", "numerator"): "-Y @ Y @ (B + 2 * t * C)",
    ("id-quadratic-form-hessian", "numerator"): "2 * A",
    ("id-gram-bilinear", "numerator"): "2 * b @ c.T @ X.T",
}
COOKBOOK_NUMBERS = ["(46)", "(49)", "(59)", "(61)", "(69)", "(70)", "(81)", "(100)", "(101)"]


def specs() -> dict[str, dict]:
    return {b.id: b.spec for b in site_blocks(PAGES)}


def test_pages_are_in_the_nav_right_before_the_reference_tables():
    nav = nav_pages()
    assert nav.index(PAGES[1]) == nav.index(PAGES[0]) + 1, nav
    assert nav[nav.index(PAGES[1]) + 1:][:3] == ["reference.md", "reference-layers.md", "reference-identities.md"], nav


@pytest.mark.parametrize("tag", sorted(GROUPS))
def test_group_is_stated_verified_and_tabled(tag, verdicts):
    blocks = specs()
    tagged = [i for i, spec in blocks.items() if tag in spec.get("tags", [])]
    assert set(GROUPS[tag]) <= set(tagged), f"{tag}: missing {set(GROUPS[tag]) - set(tagged)}"
    for block_id in tagged:
        row = verdicts[block_id]
        assert row["file"] in {f"docs/{p}" for p in PAGES} and row["status"] == "verified", \
            (block_id, row["message"])
    tables = re.findall(r"^```derivation-table\n(.*?)^```$", page("reference-identities.md"), re.M | re.S)
    assert any(tag in yaml.safe_load(t).get("tags", []) for t in tables), f"no reference table for {tag}"


def test_every_identity_is_written_in_numerator_layout_and_checked_in_both(verdicts):
    """The page states each identity in the numerator layout (but the special case stated
    under an assumption); the reader's layout switch shows its denominator form, checked."""
    for block in site_blocks(PAGES):
        if block.spec.get("assume") == ["A symmetric"]:
            continue
        assert block.spec.get("layout", "numerator") == "numerator", block.id
        if has_layout(read_claim(block)):
            assert "checked in both layouts" in verdicts[block.id]["message"], block.id


def test_every_page_block_is_in_a_group():
    for block_id, spec in specs().items():
        assert set(spec.get("tags", [])) & set(GROUPS), f"{block_id} is in no group"


@pytest.mark.parametrize("block_id, layout", sorted(WRONG_FORMS))
def test_the_special_case_form_fails_for_a_general_matrix(block_id, layout, tmp_path):
    spec = specs()[block_id]
    wrong = {**spec, "id": f"{block_id}-wrong", "layout": layout,
             "claim": WRONG_FORMS[block_id, layout]}
    text = "```derivation\n" + yaml.safe_dump(wrong, sort_keys=False) + "```\n"
    [verdict] = check_text(text, "wrong.md", cache_dir=tmp_path)
    assert verdict.status == "failed", verdict.message


def test_cookbook_equation_numbers_are_given_and_symmetric_only_forms_named():
    text = "".join(page(p) for p in PAGES)
    for number in COOKBOOK_NUMBERS:
        assert f"Cookbook {number}" in text or f"Cookbook {number}," in text, number
    assert "2012 edition" in text
    assert text.count("symmetric") >= 3


def test_size_relation_and_conditions_are_where_the_truth_needs_them():
    blocks = specs()
    # the gradient and Hessian of least squares hold at any size; the solution needs a tall X
    assert "assume" not in blocks["id-least-squares"] and "assume" not in blocks["id-least-squares-hessian"]
    # the solution needs X of full column rank: N examples, n features, det(X^T X) > 0
    assert blocks["id-normal-equations"]["assume"] == ["N >= n", "det(X.T @ X) > 0"]
    assert blocks["id-norm"]["assume"] == ["norm(x) > 0"]
    assert blocks["id-det-scalar"]["assume"] == ["abs(det(A + t * B)) > 0"]
    assert blocks["id-log-det"]["assume"] == ["det(X) > 0"]
    # a formula with the inverse of a variable says it needs one
    assert blocks["id-det"]["assume"] == blocks["id-trace-inverse"]["assume"] == ["X invertible"]
    assert str(blocks["id-quadratic-form-hessian"]["order"]) == "2"


def test_identities_pages_link_from_the_entry_pages():
    for entry in ["index.md"]:
        for name in PAGES:
            assert f"]({name})" in page(entry), (entry, name)
            assert (ROOT / "docs" / name).is_file()
