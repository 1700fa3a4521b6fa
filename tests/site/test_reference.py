"""The Reference page: headings and generated tables only, general rules before instances,
and the columns that state each rule and where it holds."""
from __future__ import annotations

import re

import yaml
from site_pages import page, site_blocks
from site_pages import is_general as uses_functions

from mathcheck import Verdict, find_blocks, typeset
from plugins.mathcheck_mkdocs.tables import Row, cell

# The article's topics, in the order of its reference section, and ours around them.
TOPICS = ["Scalar derivative rules", "Gradients and Jacobians", "Element-wise operations on vectors",
          "Scalar expansion", "Vector reductions", "Chain rules", "Derivatives by a matrix",
          "A neuron and its loss", "Denominator layout"]
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})([^\n`]*)\n(.*?)^[ \t]*\1[ \t]*$", re.M | re.S)


def reference() -> str:
    return page("reference.md")


def tables() -> list[dict]:
    """The YAML of every table on the Reference page, in page order, with its heading."""
    found, heading = [], None
    text = reference()
    position = 0
    for match in FENCE.finditer(text):
        for line in text[position:match.start()].splitlines():
            if line.startswith("#"):
                heading = line.lstrip("#").strip()
        position = match.end()
        spec = yaml.safe_load("\n".join(l[4:] if l.startswith("    ") else l for l in match.group(3).splitlines()))
        found.append({**spec, "heading": heading, "folded": match.group(0).startswith(" ")})
    return found


def test_reference_is_made_of_headings_and_tables_only():
    """Below its introduction (the prose before the first topic heading)."""
    rest = FENCE.sub("", reference())
    rest = rest[rest.index("\n## "):]
    for line in rest.splitlines():
        stripped = line.strip()
        assert (not stripped or stripped.startswith("#") or re.fullmatch(r'\?\?\?\+? [a-z]+ "[^"]+"', stripped)), (
            f"reference.md: not a heading, a table or a fold: {line!r}")
    assert {m.group(2).strip() for m in FENCE.finditer(reference())} == {"derivation-table"}


def test_each_topic_states_its_general_rules_first_with_the_rule_and_its_conditions():
    """Under every topic heading the first table is the general rules, shown (not folded),
    with the columns that state each rule and where it holds."""
    found = tables()
    by_heading: dict[str, list[dict]] = {}
    for table in found:
        by_heading.setdefault(table["heading"], []).append(table)
    general = [t for t in found if t.get("title", "").lower().startswith("general")]
    assert len(general) >= 6, "fewer than six topics with general rules"
    for table in general:
        first = by_heading[table["heading"]][0]
        assert first is table, f"{table['heading']}: the general rules are not the first table"
        assert not table["folded"], f"{table['heading']}: the general rules are folded away"
        assert {"statement", "conditions"} <= set(table["columns"]), table["title"]


def test_the_topics_come_in_order():
    headings = [line[3:].strip() for line in reference().splitlines() if line.startswith("## ")]
    assert headings[: len(TOPICS)] == TOPICS


def test_instances_fold_away():
    instances = [t for t in tables() if t["heading"] in TOPICS
                 and not t.get("title", "").lower().startswith(("general", "which"))]
    assert instances and all(t["folded"] for t in instances), [t["title"] for t in instances if not t["folded"]]


def test_the_eight_cases_of_the_chain_rule_are_a_generated_table():
    (cases,) = [t for t in tables() if t.get("title", "").lower().startswith("which chain rule")]
    assert len(cases["ids"]) == len(set(cases["ids"])) == 8


def verified_row(text: str) -> Row:
    (block,) = find_blocks(text, "docs/example.md")
    verdict = Verdict(block.id, "docs/example.md", 1, "verified", "docs/example.md:1: verified",
                      statement=typeset(block))
    return Row(block, verdict, "#" + block.id)


def test_the_rule_column_is_the_whole_formula_and_conditions_show_assumptions_and_cases():
    row = verified_row(
        "```derivation\nid: r\nvars:\n  w: vector(n)\n  x: vector(n)\n  b: scalar\nf: max(0, w.T @ x + b)\n"
        "wrt: w\nassume: [x > 0]\nclaim:\n  - if: w.T @ x + b > 0\n    then: x.T\n"
        "  - if: w.T @ x + b < 0\n    then: zeros(n).T\n```\n")
    statement = cell("statement", row)
    assert "\\max" in statement and "\\begin{cases}" in statement and "=" in statement
    conditions = cell("conditions", row)
    assert "\\mathbf{x} &gt; 0" in conditions and "each case on its own side" in conditions


def test_a_rule_without_conditions_has_an_empty_conditions_cell():
    row = verified_row("```derivation\nid: s\nvars:\n  x: scalar\nf: x**2\nwrt: x\nclaim: 2*x\n```\n")
    assert cell("conditions", row) == ""


# General rules whose generality lies in a symbol rather than a function: any constant c,
# any exponent n.
GENERAL_WITHOUT_FUNCTIONS = {"scalar-constant-rule", "scalar-power-rule"}


def is_general(block) -> bool:
    return block.id in GENERAL_WITHOUT_FUNCTIONS or uses_functions(block.spec or {})


def test_general_tables_hold_general_rules_and_instance_tables_instances():
    blocks = site_blocks()
    for table in tables():
        if table["heading"] not in TOPICS or table["title"].lower().startswith("which"):
            continue
        chosen = [b for b in blocks if b.id in table.get("ids", []) or set(b.tags) & set(table.get("tags", []))]
        assert chosen, f"{table['title']}: selects no block"
        general = table["title"].lower().startswith("general")
        wrong = [b.id for b in chosen if is_general(b) != general]
        assert not wrong, f"{table['title']}: {'instances' if general else 'general rules'} {wrong}"
