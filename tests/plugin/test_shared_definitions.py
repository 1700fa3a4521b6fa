"""Blocks over the same definitions print them once: a later block links to the first."""

from __future__ import annotations

import re
from pathlib import Path

import markdown

BLOCK = """```derivation
id: {id}
vars:
  x: vector(n)
  w: vector(n)
let:
  z: w.T @ x
  a: sigmoid(z)
f: {f}
wrt: w
claim: {claim}
```
"""
PAGE = "# Page\n\n" + "\n".join([
    BLOCK.format(id="first", f="a", claim="a * (1 - a) * x.T"),
    BLOCK.format(id="second", f="2 * a", claim="2 * a * (1 - a) * x.T"),
    BLOCK.format(id="third", f="a", claim="a * (1 - a) * x.T").replace("  a: sigmoid(z)", "  a: tanh(z)")
    .replace("claim: a * (1 - a) * x.T", "claim: (1 - a**2) * x.T"),
])


def test_a_block_over_the_same_definitions_links_to_the_first_that_printed_them(tmp_path: Path) -> None:
    html = markdown.markdown(PAGE, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    first, second, third = (html[html.index(f'id="{i}"'):] for i in ("first", "second", "third"))
    second, first = second[:second.index('id="third"')], first[:first.index('id="second"')]
    assert r"a = \sigma\left( z \right)" in first and "mathcheck-where-same" not in first
    number = re.search(r'id="first">.*?class="mathcheck-number">\((.+?)\)', html).group(1)
    assert f'<p class="mathcheck-where-same">as in <a href="#first">({number})</a></p>' in second
    assert r"\sigma\left( z \right)" not in second.split("mathcheck-verdict")[0]
    assert r"a = \tanh\left( z \right)" in third and "mathcheck-where-same" not in third   # not the same
