"""The notation page's rule holds on every block of the site: a block's headline and its
steps write the derivative of f by the block's variable with one symbol."""

from __future__ import annotations

import re
from pathlib import Path

from mathcheck.language import expressions as E
from mathcheck import find_blocks, typeset
from mathcheck.language.claims import read_claim
from mathcheck.language.latex import LatexPrinter

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


def printed_two_ways(text: str, name: str) -> list[str]:
    """Abstract functions' own derivatives that a block writes both as `d` and as `pd` of one
    name by one variable: the same derivative, which would print with two symbols."""
    found = []
    for block in find_blocks(text, name):
        claim = read_claim(block)
        printer = LatexPrinter({**claim.vars, **{n: v.shape for n, v in claim.lets}}, claim)
        sides = [side for step in claim.steps for side in (step.lhs, step.rhs)] + [c.value for c in claim.cases]
        terms = {n for side in sides for n in E.walk(side) if isinstance(n, E.Derivative) and n.function}
        for term in terms:
            other = [t for t in terms if (t.of, t.wrt) == (term.of, term.wrt) and t.total != term.total]
            if term.total and other and printer.print(term) != printer.print(other[0]):
                found.append(f"{name}:{block.line} {block.id}: {printer.print(term)} and {printer.print(other[0])}")
    return found


def test_no_block_prints_one_derivative_two_ways() -> None:
    twice = [found for page in sorted(DOCS.glob("*.md"))
             for found in printed_two_ways(page.read_text(encoding="utf-8"), page.name)]
    assert not twice, "\n".join(twice)


def test_a_derivative_written_both_ways_is_found() -> None:
    text = ("```derivation\nid: both-ways\nvars:\n  x: vector(n)\n  W: matrix(m, n)\n"
            "  l: function(vector(m) -> scalar)\nlet:\n  y: W @ x\n  L: l(y)\nf: L\nwrt: W\n"
            "steps:\n  - d(L, y) = pd(L, y)\nclaim: x @ pd(L, y)\n```\n")
    [found] = printed_two_ways(text, "draft.md")
    assert "both-ways" in found and r"\partial l" in found
