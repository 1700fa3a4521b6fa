"""The notation page's rule holds on every block of the site: a block's headline and its
steps write the derivative of f by the block's variable with one symbol."""

from __future__ import annotations

import re
from pathlib import Path

from mathcheck import expressions as E
from mathcheck import find_blocks, typeset
from mathcheck.claims import read_claim
from mathcheck.latex import LatexPrinter

DOCS = Path(__file__).resolve().parents[2] / "docs"
SYMBOL = re.compile(r"(\\left\( )?\\frac\{(d|\\partial)|\\nabla(_)?")


def symbol(latex: str) -> tuple:
    """How a derivative is written: d or the curly d, transposed or not, or a nabla."""
    match = SYMBOL.match(latex)
    assert match, latex
    return match.groups()


def test_headline_and_steps_agree_on_every_block() -> None:
    disagree, compared = [], 0
    for page in sorted(DOCS.glob("*.md")):
        for block in find_blocks(page.read_text(encoding="utf-8"), page.name):
            claim = read_claim(block)
            headline = typeset(block).latex
            printer = LatexPrinter({**claim.vars, **{n: v.shape for n, v in claim.lets}}, claim)
            for step in claim.steps:
                for node in (n for side in (step.lhs, step.rhs) for n in E.walk(side)):
                    # the total derivative, by the block's variable, of a name standing for f
                    if isinstance(node, E.Derivative) and node.total and node.wrt in claim.wrt \
                            and dict(claim.lets).get(node.of) is not None \
                            and printer.variables(dict(claim.lets)[node.of]) == printer.variables(claim.f):
                        compared += 1
                        if symbol(printer.print(node)) != symbol(headline):
                            disagree.append(f"{page.name}:{block.line} {block.id}: {headline[:40]} but "
                                            f"{printer.print(node)}")
    assert compared > 20
    assert not disagree, "\n".join(disagree)
