"""The backpropagation cookbook: every backward rule it promises is on its pages, verified,
in both layouts, collected on the Reference page, and its pictures and quoted checker
messages are true."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from site_pages import DOCS, ROOT, page, site_blocks

from mathcheck import check_text

PAGES = ["backprop.md", "backprop-activations.md", "backprop-losses.md", "backprop-network.md",
         "backprop-layers.md", "backprop-attention.md"]
COOKBOOK_FILES = {f"docs/{name}" for name in PAGES}

# rule -> the blocks that state it. A rule is written in one layout and checked in both
# (where a page writes both forms, both are listed); SAME_IN_BOTH_LAYOUTS names the blocks whose derivative is its own
# transpose (a symmetric Jacobian, a scalar by a scalar), stated once.
RULES = {
    "1 the backward step, any layer and any loss": ["bp-backward-chain", "bp-backward-chain-denominator"],
    "1 linear layer, by W": ["bp-linear-w"],
    "1 linear layer, by b": ["bp-linear-b"],
    "1 linear layer, by x": ["bp-linear-x"],
    "1 linear layer on a batch, by W": ["bp-linear-batch-w"],
    "1 linear layer on a batch, by b": ["bp-linear-batch-b"],
    "1 linear layer on a batch, by X": ["bp-linear-batch-x"],
    "2 sigmoid slope": ["bp-sigmoid-scalar"],
    "2 sigmoid Jacobian": ["bp-sigmoid-jacobian"],
    "2 sigmoid backward": ["bp-sigmoid-backward"],
    "2 tanh slope": ["bp-tanh-scalar"],
    "2 tanh Jacobian": ["bp-tanh-jacobian"],
    "2 tanh backward": ["bp-tanh-backward"],
    "2 ReLU, cases": ["bp-relu-scalar"],
    "2 ReLU Jacobian, every entry on one side": ["bp-relu-jacobian-on", "bp-relu-jacobian-off"],
    "2 ReLU Jacobian": ["bp-relu-jacobian"],
    "2 ReLU backward": ["bp-relu-backward"],
    "3 softmax Jacobian diag(s) - s s^T": ["bp-softmax-jacobian"],
    "3 softmax backward": ["bp-softmax-backward"],
    "3 log-sum-exp gradient": ["bp-logsumexp-gradient"],
    "3 cross-entropy with softmax, any target": ["bp-cross-entropy-any-target"],
    "3 cross-entropy with softmax, s - y": ["bp-cross-entropy"],
    "3 sigmoid with binary cross-entropy, one logit": ["bp-binary-cross-entropy"],
    "3 sigmoid with binary cross-entropy, a positive target (plotted)": ["bp-binary-cross-entropy-positive"],
    "3 sigmoid with binary cross-entropy, mean over logits": ["bp-binary-cross-entropy-mean"],
    "3 sigmoid with binary cross-entropy over a batch": ["bp-binary-cross-entropy-batch"],
    "4 mean squared error": ["bp-mse"],
    "4 mean squared error over a batch": ["bp-mse-batch"],
    "4 Frobenius weight decay": ["bp-weight-decay", "bp-weight-decay-trace"],
    "4 L1 penalty, cases": ["bp-l1-cases"],
    "4 L1 penalty, any mix of signs": ["bp-l1"],
    "4 mean squared error averaged over every entry": ["bp-mse-batch-mean-all"],
    "4 binary cross-entropy averaged over every entry": ["bp-binary-cross-entropy-batch-mean-all"],
    "7 GELU slope": ["bp-gelu-scalar"],
    "7 GELU backward": ["bp-gelu-backward"],
    "7 GELU's tanh approximation, slope": ["bp-gelu-tanh-scalar"],
    "7 leaky ReLU, cases": ["bp-leaky-relu-scalar"],
    "7 leaky ReLU with slope 0.1, plotted": ["bp-leaky-relu-plotted"],
    "7 leaky ReLU backward": ["bp-leaky-relu-backward"],
    "7 softplus slope": ["bp-softplus-scalar"],
    "7 softplus backward": ["bp-softplus-backward"],
    "7 log-softmax Jacobian": ["bp-log-softmax-jacobian"],
    "7 log-softmax backward": ["bp-log-softmax-backward"],
    "7 softmax cross-entropy averaged over a batch": ["bp-cross-entropy-batch"],
    "7 layer norm, by gamma": ["bp-layer-norm-gamma"],
    "7 layer norm, by beta": ["bp-layer-norm-beta"],
    "7 layer norm, by the input": ["bp-layer-norm-x"],
    "7 layer norm on a batch, by gamma (summed over the batch)": ["bp-layer-norm-batch-gamma"],
    "7 layer norm on a batch, by beta (summed over the batch)": ["bp-layer-norm-batch-beta"],
    "7 layer norm on a batch, by the batch": ["bp-layer-norm-batch-x"],
    "7 batch norm, by gamma": ["bp-batch-norm-gamma"],
    "7 batch norm, by beta": ["bp-batch-norm-beta"],
    "7 batch norm, by the batch": ["bp-batch-norm-x"],
    "7 attention, by V": ["bp-attention-v"],
    "7 attention, by Q": ["bp-attention-q"],
    "7 attention, by K": ["bp-attention-k"],
    "7 embedding lookup, by the table": ["bp-embedding"],
    "7 dropout with a fixed mask, Jacobian": ["bp-dropout-jacobian"],
    "7 dropout with a fixed mask, backward": ["bp-dropout-backward"],
    "5 standardisation Jacobian": ["bp-standardise-jacobian"],
    "5 standardisation backward": ["bp-standardise-backward"],
    "5 a scalar loss through standardisation": ["bp-standardise-loss"],
    "6 two-layer network, by W2": ["bp-net-w2"],
    "6 two-layer network, by W1, with steps": ["bp-net-w1", "bp-net-w1-denominator"],
    "6 two-layer network, by b2": ["bp-net-b2"],
    "6 two-layer network, by b1": ["bp-net-b1"],
    "6 two-layer network, by W1, every unit on": ["bp-net-w1-on"],
    "6 two-layer network, by W1, every unit off": ["bp-net-w1-off"],
}
# Blocks that illustrate a pitfall rather than state a rule, shown in the contributors' guide
# next to the quoted messages: not in the Reference's tables.
PITFALLS = {"bp-linear-x-symmetric-only"}
PITFALL_PAGE = "contributing.md"
SAME_IN_BOTH_LAYOUTS = {
    "bp-sigmoid-scalar", "bp-sigmoid-jacobian", "bp-tanh-scalar", "bp-tanh-jacobian",
    "bp-relu-scalar", "bp-relu-jacobian", "bp-relu-jacobian-on", "bp-relu-jacobian-off",
    "bp-softmax-jacobian", "bp-standardise-jacobian", "bp-binary-cross-entropy", "bp-binary-cross-entropy-positive", "bp-l1-cases",
    "bp-gelu-scalar", "bp-gelu-tanh-scalar", "bp-leaky-relu-scalar", "bp-leaky-relu-plotted", "bp-softplus-scalar", "bp-dropout-jacobian",
}
# Rules the pages state for any loss: their blocks declare the loss an abstract function,
# and (where the page says so) sympy proves them for every function.
FOR_ANY_LOSS = [i for rule, ids in RULES.items() if rule.startswith(("1 ", "6 ")) for i in ids] \
    + ["bp-standardise-loss"]
PROVED_FOR_EVERY_LOSS = [i for i in FOR_ANY_LOSS if not i.startswith("bp-net-")]
REFERENCE_PAGE = "reference-layers.md"   # the reference tables of the cookbook
# A rule written in the numerator layout beside its twin in the denominator layout: the
# tables list the twin only, whose row the layout switch shows in either layout.
LAYOUT_TWINS = {"bp-backward-chain": "bp-backward-chain-denominator", "bp-net-w1": "bp-net-w1-denominator"}
PICTURE = "b-backward-shapes.svg"  # its gradients labelled with ∇, shaped like their variables
NARROW_CONTENT = 358   # px of article width on a 390 px wide phone screen
SMALLEST_TEXT = 12     # px, as rendered there


def cookbook_blocks():
    return site_blocks(PAGES)


def specs() -> dict[str, dict]:
    return {b.id: b.spec for b in cookbook_blocks()}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_is_stated_and_verified(rule, verdicts):
    for block_id in RULES[rule]:
        row = verdicts.get(block_id)
        assert row and row["file"] in COOKBOOK_FILES, f"{rule}: no block {block_id!r} on the cookbook's pages"
        assert row["status"] == "verified", f"{rule}: {block_id} is {row['status']}: {row['message']}"


@pytest.mark.parametrize("rule", sorted(r for r, ids in RULES.items() if not set(ids) <= SAME_IN_BOTH_LAYOUTS))
def test_rule_is_given_in_both_layouts(rule, verdicts):
    """Written in both, or written in one and checked in the other too (the reader's layout
    switch shows it)."""
    blocks = specs()
    layouts = {blocks[i].get("layout", "numerator") for i in RULES[rule] if i in blocks}
    if any("checked in both layouts" in verdicts[i]["message"] for i in RULES[rule]):
        layouts |= {"numerator", "denominator"}
    assert layouts == {"numerator", "denominator"}, f"{rule}: only {layouts}"


@pytest.mark.parametrize("block_id", sorted(SAME_IN_BOTH_LAYOUTS))
def test_rule_stated_once_holds_in_the_other_layout(block_id, tmp_path):
    """The prose says these derivatives are their own transposes: the same claim, checked
    in the denominator layout, must verify too."""
    spec = specs()[block_id]
    assert spec.get("layout", "numerator") == "numerator"
    flipped = {**spec, "id": f"{block_id}-flipped", "layout": "denominator"}
    text = "```derivation\n" + yaml.safe_dump(flipped, sort_keys=False) + "```\n"
    [verdict] = check_text(text, "flipped.md", cache_dir=tmp_path)
    assert verdict.status == "verified", verdict.message


def test_every_cookbook_block_is_in_a_rule_and_a_reference_table():
    listed = {i for ids in RULES.values() for i in ids}
    section = page(REFERENCE_PAGE)
    tables = [yaml.safe_load(m.group(1)) for m in
              re.finditer(r"^```derivation-table\n(.*?)^```$", section, re.M | re.S)]
    selected_tags = {t for table in tables for t in table.get("tags", [])}
    selected_ids = {i for table in tables for i in table.get("ids", [])}
    pitfalls = {b.id: b.spec for b in site_blocks([PITFALL_PAGE]) if b.id in PITFALLS}
    assert set(pitfalls) == PITFALLS
    for block_id, spec in pitfalls.items():
        assert spec.get("assume"), f"{block_id} is a pitfall but assumes nothing"
        assert not selected_tags & set(spec.get("tags", [])) and block_id not in selected_ids
    in_table = {block_id for block_id, spec in specs().items()
                if block_id in selected_ids or selected_tags & set(spec.get("tags", []))}
    for block_id, spec in specs().items():
        assert block_id in listed, f"{block_id} is in no rule of RULES"
        if block_id in LAYOUT_TWINS:   # the table's row of its twin shows it, by the layout switch
            assert block_id not in in_table and LAYOUT_TWINS[block_id] in in_table, block_id
            continue
        assert block_id in in_table, f"{block_id} is in no table of {REFERENCE_PAGE}"


def test_pages_are_in_the_nav_between_the_loss_page_and_the_reference():
    nav = re.findall(r"^\s*- (?:[^:\n]+: )?([a-z-]+\.md)$", (ROOT / "mkdocs.yml").read_text(), re.M)
    at = [nav.index(name) for name in PAGES]
    assert nav.index("loss-gradient.md") < min(at) and max(at) < nav.index("reference.md"), nav


@pytest.mark.parametrize("name", PAGES)
def test_page_prose_has_no_display_math_and_no_word_about_its_making(name):
    prose = re.sub(r"^```.*?^```$", "", page(name), flags=re.M | re.S)
    assert "$$" not in prose
    banned = re.search(r"\b(AI|LLM|agents?|sessions?|chatbot)\b", prose)
    assert not banned, banned


def test_picture_is_included_and_its_text_readable_on_a_phone():
    svg = ET.parse(DOCS / "img" / PICTURE).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert svg.find("s:title", ns) is not None and svg.find("s:desc", ns) is not None
    assert "currentColor" in (DOCS / "img" / PICTURE).read_text(encoding="utf-8")
    assert re.search(r"!\[[^\]]{20,}\]\(img/" + re.escape(PICTURE) + r"\)", page("backprop.md"))
    width = float(svg.get("viewBox").split()[2])
    scale = min(1.0, NARROW_CONTENT / width)
    sizes = [float(e.get("font-size")) for e in svg.iter() if e.get("font-size")]
    assert sizes and min(sizes) * scale >= SMALLEST_TEXT, (min(sizes), scale)


def test_quoted_checker_messages_are_what_the_checker_says(tmp_path):
    """Each wrong block shown next to the pitfall is followed by its real verdict."""
    text = page(PITFALL_PAGE)
    pairs = re.findall(r"^```yaml\n(id: [a-z0-9-]+-wrong\n.*?)^```\n.*?^```text\n(.*?)^```$",
                       text, re.M | re.S)
    assert len(pairs) == 2
    for source, quoted in pairs:
        [verdict] = check_text("```derivation\n" + source + "```\n", "docs/draft.md", cache_dir=tmp_path)
        assert verdict.status == "failed"
        assert " ".join(quoted.split()) == " ".join(verdict.message.split())


def test_short_cross_entropy_gradient_needs_a_target_summing_to_one(tmp_path):
    """The losses page says s - y is wrong for a target that does not sum to one."""
    spec = specs()["bp-cross-entropy-any-target"]
    short = {**spec, "id": "cross-entropy-short-any-target", "claim": "s - y"}
    text = "```derivation\n" + yaml.safe_dump(short, sort_keys=False) + "```\n"
    [verdict] = check_text(text, "short.md", cache_dir=tmp_path)
    assert verdict.status == "failed", verdict.message
    assert "do not sum to one" in page("backprop-losses.md")


@pytest.mark.parametrize("block_id", FOR_ANY_LOSS)
def test_rule_for_any_loss_is_checked_with_an_abstract_loss(block_id, verdicts):
    kinds = specs()[block_id]["vars"]
    assert any(str(kind).startswith("function(") and kind.endswith("-> scalar)") for kind in kinds.values())
    assert "random functions tried" in verdicts[block_id]["message"]
    if block_id in PROVED_FOR_EVERY_LOSS:
        assert "proved for every function" in verdicts[block_id]["message"]


@pytest.mark.parametrize("block_id", sorted(PITFALLS))
def test_pitfall_holds_only_under_its_assumption(block_id, verdicts, tmp_path):
    assert verdicts[block_id]["status"] == "verified", verdicts[block_id]["message"]
    [spec] = [b.spec for b in site_blocks([PITFALL_PAGE]) if b.id == block_id]
    spec = {k: v for k, v in spec.items() if k != "assume"}
    text = "```derivation\n" + yaml.safe_dump({**spec, "id": f"{block_id}-unassumed"}, sort_keys=False) + "```\n"
    [verdict] = check_text(text, "unassumed.md", cache_dir=tmp_path)
    assert verdict.status == "failed", verdict.message


def test_titles_mark_the_numerator_form_of_a_rule_given_both_ways():
    """Where a page writes a rule as two blocks, "(numerator layout)" marks the numerator
    one; the unmarked neighbour is the denominator layout. No other title names a layout."""
    blocks = specs()
    for rule, ids in RULES.items():
        layouts = {blocks[i].get("layout", "numerator") for i in ids}
        for i in ids:
            marked = blocks[i]["title"].endswith("(numerator layout)")
            if blocks[i].get("layout") == "denominator" or layouts == {"numerator"}:
                assert not marked, f"{rule}: {i} is marked numerator layout"
            else:
                assert marked, f"{rule}: {i} is not marked (numerator layout)"
