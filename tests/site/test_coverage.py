"""The site covers every item of the coverage list, and every formula on it is verified.

Each COVERAGE item maps to the block ids that teach it; a block must exist in docs/
with that id and check as 'verified'. Tables are generated (derivation-table blocks),
and the Reference page is made of nothing else besides headings.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

PAGES = [
    "index.md", "why.md", "scalar-rules.md", "partial-derivatives.md", "jacobian.md", "linear-map.md",
    "elementwise.md", "scalar-expansion.md", "sum-reduction.md", "chain-rules.md",
    "chain-rules-vector.md", "chain-rules-cases.md",
    "neuron-gradient.md", "loss-gradient.md", "reference.md", "reference-layers.md",
    "reference-identities.md", "notation.md",
    "contributing.md", "block-format.md",
]

# COVERAGE.md item -> the ids of the blocks that state it on the site.
COVERAGE = {
    "1 neuron activation max(0, w.T @ x + b)": ["neuron-activation-input-gradient"],
    "1 mean squared error over N inputs": ["loss-bias-gradient-preview"],
    "1 scalar one-neuron derivation": ["single-input-neuron-loss-w"],
    "2 constant rule": ["scalar-constant-rule", "scalar-constant-example"],
    "2 multiplication by constant": ["scalar-constant-multiple-rule", "scalar-constant-multiple-example"],
    "2 power rule": ["scalar-power-rule", "scalar-power-example"],
    "2 sum rule": ["scalar-sum-rule", "scalar-sum-example"],
    "2 difference rule": ["scalar-difference-rule", "scalar-difference-example"],
    "2 product rule": ["scalar-product-rule", "scalar-product-example"],
    "2 chain rule": ["scalar-chain-rule", "scalar-chain-example"],
    "2 derivative as an operator 9(x + x**2)": ["scalar-derivative-is-linear"],
    "3 d(xy)/dx, d(xy)/dy": ["partial-product-x", "partial-product-y"],
    "3 f = 3x**2 y partials and gradient": ["partial-3x2y-x", "partial-3x2y-y", "gradient-3x2y"],
    "3 gradient as a row (and denominator form)": ["gradient-squared-norm", "gradient-squared-norm-denominator",
                                                   "gradient-3x2y-denominator"],
    "4 g = 2x + y**8 partials and gradient": ["partial-g-x", "partial-g-y", "gradient-g"],
    "4 stacked gradients: J of (f, g) and its denominator transpose": ["jacobian-f-g",
                                                                      "jacobian-f-g-denominator"],
    "4 general m x n Jacobian (and denominator form)": ["jacobian-linear-map"],
    "4 identity Jacobian": ["jacobian-identity"],
    "4 Jacobian shapes": ["shape-scalar-by-scalar", "shape-scalar-by-vector",
                          "shape-vector-by-scalar", "shape-vector-by-vector"],
    "4 derivatives by a matrix (readers' request)": [
        "matrix-bilinear-gradient",
        "matrix-trace-product",
        "matrix-log-det"],
    "5 general element-wise, diagonal condition": ["elementwise-general-w", "elementwise-general-x",
                                                  "elementwise-not-diagonal"],
    "5 w + x": ["ew-add-w", "ew-add-x"],
    "5 w - x": ["ew-sub-w", "ew-sub-x"],
    "5 w * x": ["ew-mul-w", "ew-mul-x"],
    "5 w / x": ["ew-div-w", "ew-div-x"],
    "6 x + z": ["expand-add-x", "expand-add-z"],
    "6 x * z": ["expand-mul-x", "expand-mul-z"],
    "7 sum(f(x)) sums the Jacobian's rows": ["sum-of-linear-map"],
    "7 sum(x)": ["sum-x"],
    "7 sum(x * z)": ["sum-xz-x", "sum-xz-z"],
    "8 single-variable chain rule sin(x**2)": ["chain-sin-x2"],
    "8 deep nesting log(sin(x**3)**2)": ["chain-log-sin-x3"],
    "8 total derivative x + x**2": ["chain-total-x-plus-x2"],
    "8 total-derivative chain rule in general": ["chain-total-general", "chain-total-general-folded",
                                                 "chain-total-example", "chain-total-example-folded"],
    "8 sin(x + x**2)": ["chain-total-sin-x-plus-x2"],
    "8 x * x**2": ["chain-total-x-times-x2"],
    "8 vector chain rule discovered": ["chain-vector-scalar-input", "chain-vector-discovered-1",
                                       "chain-vector-discovered-2", "chain-vector-discovered"],
    "8 vector chain rule in general": ["chain-vector-general", "chain-vector-general-denominator",
                                       "chain-vector-example", "chain-vector-example-denominator"],
    "8 forward and backward differentiation": ["chain-vector-both-orders"],
    "8 both element-wise": ["chain-vector-elementwise-general", "chain-vector-elementwise"],
    "9 dot product by the chain rule": ["dot-product-w", "dot-product-x", "dot-product-w-direct",
                                        "dot-product-w-denominator"],
    "9 dot product entry by entry (5-D5, 5-D6)": ["dot-product-entries"],
    "9 dot(w, x) + b": ["affine-w", "affine-b"],
    "9 d max(0, z)/dz and its broadcast (E5)": ["relu-scalar", "relu-vector"],
    "9 activation by w (cases)": ["activation-w", "activation-w-chain", "activation-w-chain-inactive",
                                  "activation-w-mask"],
    "9 activation by b (cases)": ["activation-b"],
    "10 loss by w, per input and in matrix form": [
        "loss-residual-w", "loss-single-input-w", "loss-single-input-w-inactive", "loss-two-inputs-w",
        "loss-w-masked", "loss-w-masked-denominator", "loss-w-active", "loss-w-active-denominator",
        "loss-w-inactive"],
    "10 loss by b": ["loss-residual-b", "loss-single-input-b", "loss-two-inputs-b", "loss-b-masked",
                     "loss-b-active"],
    "10 bias folded into the weights (E6)": [
        "folded-bias-dot-product", "activation-folded-bias-stacked", "activation-folded-bias",
    ],
}

# Pages that must carry generated tables, and the tables' selectors they must use.
TABLE_PAGES = {
    "scalar-rules.md": {"scalar-rule"},
    "elementwise.md": {"elementwise-op"},
    "chain-rules-cases.md": {"chain-summary"},
}

PICTURES = ["neuron.svg", "jacobian-shapes.svg", "graph-sin-x2.svg",
            "graph-x-plus-x2.svg", "graph-log-sin-x3.svg", "chain-rule-shapes.svg", "chain-rule-cases.svg"]

FENCE = re.compile(r"^(`{3,}|~{3,})([^\n`]*)\n(.*?)^\1[ \t]*$", re.M | re.S)


def fences(text: str) -> list[tuple[str, str]]:
    """(info string, body) of every top-level fenced block."""
    return [(m.group(2).strip(), m.group(3)) for m in FENCE.finditer(text)]


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_every_page_exists():
    missing = [p for p in PAGES if not (DOCS / p).is_file()]
    assert not missing, f"pages missing from docs/: {missing}"


def test_block_ids_are_unique_and_kebab_case():
    seen: dict[str, str] = {}
    for path in sorted(DOCS.rglob("*.md")):
        for info, body in fences(path.read_text(encoding="utf-8")):
            if info != "derivation":
                continue
            block_id = yaml.safe_load(body)["id"]
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", block_id), block_id
            assert block_id not in seen, f"{block_id} in {seen.get(block_id)} and {path.name}"
            seen[block_id] = path.name


@pytest.mark.parametrize("item", sorted(COVERAGE))
def test_coverage_item_is_on_the_site_and_verified(item, verdicts):
    for block_id in COVERAGE[item]:
        assert block_id in verdicts, f"{item}: no block with id {block_id!r} in docs/"
        row = verdicts[block_id]
        assert row["status"] == "verified", f"{item}: {block_id} is {row['status']}: {row['message']}"


def test_every_block_on_the_site_is_verified(verdicts):
    bad = {i: f"{r['status']}: {r['message']}" for i, r in verdicts.items() if r["status"] != "verified"}
    assert not bad, "\n".join(f"{i}: {m}" for i, m in bad.items())


@pytest.mark.parametrize("name", ["reference.md", "reference-layers.md", "reference-identities.md"])
def test_reference_is_only_generated_tables(name):
    blocks = fences(page(name))
    assert blocks, f"{name} has no tables"
    infos = {info for info, _ in blocks}
    assert infos == {"derivation-table"}, f"{name} has other blocks: {infos}"
    assert len(blocks) >= 7
    rest = FENCE.sub("", page(name))
    for line in rest.splitlines():
        assert not line.lstrip().startswith("|"), f"hand-typed table row in {name}: {line}"


@pytest.mark.parametrize("name", sorted(TABLE_PAGES))
def test_tables_are_generated(name):
    tables = [yaml.safe_load(body) for info, body in fences(page(name)) if info == "derivation-table"]
    tags = {t for table in tables for t in table.get("tags", [])}
    assert TABLE_PAGES[name] <= tags, f"{name}: no derivation-table selecting {TABLE_PAGES[name] - tags}"


def test_tables_select_existing_blocks():
    ids, tags = set(), set()
    tables = []
    for path in sorted(DOCS.rglob("*.md")):
        for info, body in fences(path.read_text(encoding="utf-8")):
            if info not in ("derivation", "derivation-table"):
                continue
            spec = yaml.safe_load(body)
            if info == "derivation":
                ids.add(spec["id"])
                tags.update(spec.get("tags", []))
            elif info == "derivation-table":
                tables.append((path.name, spec))
    for name, spec in tables:
        assert set(spec.get("ids", [])) <= ids, f"{name}: unknown ids {set(spec.get('ids', [])) - ids}"
        assert set(spec.get("tags", [])) <= tags, f"{name}: tags with no block {set(spec.get('tags', [])) - tags}"


def test_no_display_math_outside_blocks():
    for name in PAGES:
        rest = FENCE.sub("", page(name))
        assert "$$" not in rest, f"{name}: display math outside a derivation block"


@pytest.mark.parametrize("svg", PICTURES)
def test_pictures_exist_use_current_color_and_are_included(svg):
    text = (DOCS / "img" / svg).read_text(encoding="utf-8")
    assert "currentColor" in text
    assert "<title" in text
    included = [p for p in PAGES if re.search(r"!\[[^\]]+\]\(img/" + re.escape(svg) + r"\)", page(p))]
    assert included, f"{svg} is not included (with alt text) on any page"


# The article's slips a reader could be misled by: each has a note on the page that
# states the verified formula (page, a phrase of the note, the block it sits beside).
SLIP_NOTES = {
    "E1 missing d's in the log(sin(x**3)**2) chain": ("chain-rules.md", "drops", "chain-log-sin-x3"),
    "E2/E3 one symbol for partial and total": ("chain-rules.md", "same symbol", "chain-total-x-plus-x2"),
    "E4 du1 over partial x": ("chain-rules.md", "mixing", "chain-total-x-times-x2"),
    "E5 broadcast max is a diagonal matrix": ("neuron-gradient.md", "n \\times n", "relu-vector"),
    "E6 augmented input is a column": ("loss-gradient.md", "column", "activation-folded-bias"),
    "E7 generic element-wise row 2": ("elementwise.md", "f_2(\\mathbf{w})", "elementwise-general-w"),
    "E8-E10 sum over inputs, own case each": ("loss-gradient.md", "each input's", "loss-w-masked"),
    "E13 error is output minus target": ("loss-gradient.md", "output minus target", "loss-w-active"),
    "E15 why off-diagonal entries vanish": ("elementwise.md", "does not depend", "elementwise-general-w"),
    "E16 diagonal entries of element-wise chains": ("chain-rules-vector.md", "independent", "chain-vector-elementwise"),
}


def admonitions(text: str) -> list[str]:
    """The text of every `!!! note` admonition (its indented body)."""
    notes, current = [], None
    for line in text.splitlines():
        if line.startswith("!!! note"):
            current = [line]
            notes.append(current)
        elif current is not None and (line.startswith("    ") or not line.strip()):
            current.append(line)
        else:
            current = None
    return ["\n".join(n) for n in notes]


@pytest.mark.parametrize("slip", sorted(SLIP_NOTES))
def test_article_slip_has_a_note_beside_the_verified_formula(slip, verdicts):
    name, phrase, block_id = SLIP_NOTES[slip]
    assert any(phrase in note for note in admonitions(page(name))), f"{slip}: no note in {name}"
    assert f"id: {block_id}\n" in page(name), f"{slip}: {block_id} is not on {name}"
    assert verdicts[block_id]["status"] == "verified"


def test_pages_say_nothing_about_how_the_site_is_made():
    banned = re.compile(r"\b(AI|LLM|agent|agents|session|sessions|chatbot)\b")
    for name in PAGES:
        prose = FENCE.sub("", page(name))
        assert not banned.search(prose), f"{name}: {banned.search(prose).group(0)}"
