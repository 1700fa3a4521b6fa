"""Finding derivation blocks in markdown: every fenced block whose info string is
`derivation`, wherever markdown allows a fence, and nothing else."""
from __future__ import annotations

import pytest

import mathcheck

BODY = "id: {id}\nvars: {{x: scalar}}\nf: x**2\nwrt: x\nclaim: 2*x\n"


def indent(text: str, prefix: str) -> str:
    return "".join(prefix + line + "\n" for line in text.splitlines())


def fence(block_id: str, mark: str = "```") -> str:
    return f"{mark}derivation\n" + BODY.format(id=block_id) + f"{mark}\n"


FOUND = {
    "backticks": ("# T\n\n" + fence("b"), 3),
    "tildes": ("# T\n\n" + fence("b", "~~~"), 3),
    "four backticks": ("# T\n\n" + fence("b", "````"), 3),
    "space before the info string": ("# T\n\n``` derivation\n" + BODY.format(id="b") + "```\n", 3),
    "windows line endings": (("# T\n\n" + fence("b")).replace("\n", "\r\n"), 3),
    "in a list item": ("# T\n\n- a point\n\n" + indent(fence("b"), "  "), 5),
    "in an admonition": ("# T\n\n!!! note\n\n" + indent(fence("b"), "    "), 5),
    "in a collapsible block": ('# T\n\n??? example "Worked"\n' + indent(fence("b"), "    "), 4),
    "in a content tab": ('# T\n\n=== "Numerator layout"\n\n' + indent(fence("b"), "    "), 5),
    "in a block quote": ("# T\n\n" + indent(fence("b"), "> "), 3),
}


@pytest.mark.parametrize("name", list(FOUND))
def test_block_is_found_wherever_a_fence_may_stand(name):
    text, line = FOUND[name]
    blocks = mathcheck.find_blocks(text, "p.md")
    assert [(b.id, b.line) for b in blocks] == [("b", line)], [(b.id, b.line, b.problem) for b in blocks]
    assert blocks[0].problem is None, blocks[0].problem
    assert blocks[0].spec["claim"] == "2*x"


NOT_FOUND = {
    "an example inside a longer fence": "# T\n\n````markdown\n" + fence("b") + "````\n",
    "another language": "# T\n\n```yaml\n" + BODY.format(id="b") + "```\n",
    "a derivation table": "# T\n\n```derivation-table\ntags: [rules]\n```\n",
    "inline code": "# T\n\nWrite ```derivation``` fences.\n",
    "an indented code block": "# T\n\nText.\n\n" + indent(fence("b"), "    "),
}


@pytest.mark.parametrize("name", list(NOT_FOUND))
def test_text_that_is_not_a_derivation_fence_is_ignored(name):
    assert mathcheck.find_blocks(NOT_FOUND[name], "p.md") == []


def test_blocks_come_in_page_order_with_their_lines():
    text = "# T\n\n" + fence("first") + "\nProse.\n\n" + fence("second")
    blocks = mathcheck.find_blocks(text, "p.md")
    assert [(b.id, b.line, b.end_line) for b in blocks] == [("first", 3, 9), ("second", 13, 19)]
    assert all(b.file == "p.md" for b in blocks)


def test_an_unquoted_decimal_keeps_every_digit_the_author_wrote():
    """YAML would read `0.1234567890123456789012345` as a float64; the block means the decimal."""
    text = ("# T\n\n```derivation\nid: digits\nvars: {x: scalar}\nf: x * 0.1234567890123456789012345\n"
            "wrt: x\nclaim: 0.1234567890123456789012345\n```\n")
    [verdict] = mathcheck.check_blocks(mathcheck.find_blocks(text, "p.md"), jobs=1, time_limit=20, cache_dir=None)
    assert verdict.status == "verified", verdict.message
