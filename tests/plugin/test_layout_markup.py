"""A block whose derivative has a layout carries its statement in both layouts (the other one
held back from search), tables too; the author's shows first, with a note for readers
without the script; a block with no layout, or a scalar by a scalar, carries one."""

from __future__ import annotations

import re
from pathlib import Path

import markdown

PAGE = """# Layouts

```derivation
id: chain
title: Chain
vars:
  W: matrix(m, n)
  x: vector(n)
  y: vector(m)
let:
  z: W @ x
  L: dot(z, y)
f: L
wrt: x
claim: y.T @ W
steps:
  - d(L, x) = d(L, z) @ d(z, x)
  - d(z, x) = W
tags: [switch]
```

```derivation
id: sine
vars:
  x: scalar
f: sin(x)
wrt: x
claim: cos(x)
tags: [switch]
```

```derivation-table
tags: [switch]
columns: [title, statement, derivative, shape, layout]
```
"""


def alternatives(html: str) -> list[tuple[str, str]]:
    """(tag, layout) of each other layout's part, in order."""
    return re.findall(r'<(div|span) class="mathcheck-alt" data-layout="(\w+)"', html)


def test_a_block_and_its_table_row_carry_both_layouts(tmp_path: Path) -> None:
    html = markdown.markdown(PAGE, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    chain = html[html.index('id="chain"'):html.index('id="sine"')]
    sine = html[html.index('id="sine"'):html.index('class="mathcheck-table"')]
    table = html[html.index('class="mathcheck-table"'):]
    # shape, statement, steps and the evidence's shapes picture, each as written (numerator),
    # then in the other layout
    assert alternatives(chain) == [("span", "denominator")] + [("div", "denominator")] * 3
    statements = re.findall(r'(<div class="mathcheck-alt" data-layout="\w+" data-search-exclude>)?'
                            r'<div class="arithmatex">(\\\[[^<]*? L = [^<]*)</div>', chain)
    statements = statements[:2]   # the claim, then the steps follow
    assert [bool(other) for other, _ in statements] == [False, True]
    assert statements[0][1].endswith(r"= \mathbf{y}^T \mathbf{W}\]")
    assert statements[1][1].endswith(r"= \mathbf{W}^T \mathbf{y}\]")
    assert r"n \times 1" in chain and r"1 \times n" in chain
    assert chain.count('data-search-exclude>') >= 3
    assert "Shown as written: numerator layout." in chain
    assert ('<p class="mathcheck-alt mathcheck-layout-switched" data-layout="denominator" data-search-exclude>'
            "Shown in the denominator layout, as picked in the header. The page writes this formula, "
            "and its text speaks of it, in the numerator layout.</p>") in chain
    assert "Other layout" in chain and "denominator too" in chain and " and 2 steps)" in chain
    assert alternatives(sine) == [] and "Shown as written" not in sine
    rows = table.split("<tr>")[2:]
    assert alternatives(rows[0]) == [("span", "denominator")] * 4
    assert r"\mathbf{W}^T \mathbf{y}" in rows[0] and ">denominator</span>" in rows[0]
    assert alternatives(rows[1]) == []


def test_the_evidence_counts_one_step_in_the_singular(tmp_path: Path) -> None:
    page = PAGE.replace("  - d(z, x) = W\n", "")
    html = markdown.markdown(page, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    assert " and 1 step)" in html and " and 1 steps" not in html


def test_a_title_that_names_its_layout_follows_the_switch(tmp_path: Path) -> None:
    page = PAGE.replace("title: Chain", "title: 'Chain of $W x$ (numerator layout)'").replace(
        "id: sine\n", "id: sine\ntitle: Sine (numerator layout)\n")
    html = markdown.markdown(page, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    switched = ('(<span>numerator layout</span><span class="mathcheck-alt" data-layout="denominator" '
                'data-search-exclude><span>denominator layout</span></span>)')
    chain = html[html.index('id="chain"'):html.index('id="sine"')]
    sine = html[html.index('id="sine"'):html.index('class="mathcheck-table"')]
    table = html[html.index('class="mathcheck-table"'):]
    assert "Chain of " + r'<span class="arithmatex">\(W x\)</span> ' + switched in chain
    assert "Sine (numerator layout)" in sine   # a scalar by a scalar reads the same in both
    assert table.count(switched) == 1


def test_a_table_kept_as_written_ignores_the_switch(tmp_path: Path) -> None:
    """`layout: written`: a table about one layout (its rules as a chapter writes them)."""
    page = PAGE.replace("title: Chain", "title: Chain (numerator layout)").replace(
        "columns: [title, statement, derivative, shape, layout]",
        "columns: [title, statement, derivative, shape, layout]\nlayout: written")
    html = markdown.markdown(page, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    table = html[html.index('class="mathcheck-table"'):]
    assert alternatives(table) == [] and "Chain (numerator layout)" in table
    assert r"\mathbf{y}^T \mathbf{W}" in table and r"\mathbf{W}^T \mathbf{y}" not in table
