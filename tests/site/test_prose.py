"""The prose of the site's pages: it names formulas by links to their blocks, and it is
written in words and math, never in the block language.

A link to a block targets the block's anchor and reads either as words,
`[the rule by the input](page.md#id)`, or as the block's equation number in brackets,
`[(11.8)](#id)`. An equation number is `chapter.k`: the page's place in the navigation of
mkdocs.yml and the block's place on its page (the plugin numbers them so); a link that
reads as one must name the block it links to.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mathcheck import find_blocks

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# Pages whose prose must not contain code: the contributor guide teaches the block
# language, and the notation page may show it beside the math.
CODE_PAGES_EXEMPT = {"contributing.md", "block-format.md", "notation.md"}
CODE_IN_PROSE = "backprop"  # the cookbook shows each rule as the code that implements it

FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})([^\n`]*)\n(.*?)^[ \t>]*\1[ \t]*$", re.M | re.S)
REFERENCE = re.compile(r"\[\((\d+)\.(\d+)\)\]\(([\w./-]*?)#([a-z0-9-]+)\)")
LINK_TO_ANCHOR = re.compile(r"\[([^\]]*)\]\(([\w./-]*?)#([a-z0-9-]+)\)")


def nav_pages() -> list[str]:
    """The pages of mkdocs.yml's nav, in order (nested sections flattened)."""
    text = re.sub(r"!ENV\s*\[[^\]]*\]", "ENV", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages: list[str] = []

    def walk(entries):
        for entry in entries:
            value = list(entry.values())[0] if isinstance(entry, dict) else entry
            if isinstance(value, list):
                walk(value)
            elif isinstance(value, str) and value.endswith(".md"):
                pages.append(value)

    walk(yaml.safe_load(text)["nav"])
    return pages


def block_ids(name: str) -> list[str]:
    """The ids of a page's derivation blocks, in page order, found as the engine finds them."""
    return [block.id for block in find_blocks((DOCS / name).read_text(encoding="utf-8"), name)]


def equation_numbers() -> dict[str, tuple[str, str]]:
    """block id -> (page, number) for every block of a page in the nav."""
    numbers = {}
    for chapter, name in enumerate(nav_pages(), start=1):
        for k, block_id in enumerate(block_ids(name), start=1):
            numbers[block_id] = (name, f"{chapter}.{k}")
    return numbers


def prose(name: str) -> str:
    """A page without its fenced blocks (their lines kept empty, so line numbers hold)."""
    text = (DOCS / name).read_text(encoding="utf-8")
    return FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


@pytest.mark.parametrize("name", nav_pages())
def test_equation_references_name_the_block_they_link_to(name):
    numbers = equation_numbers()
    for line_no, line in enumerate(prose(name).splitlines(), start=1):
        for match in REFERENCE.finditer(line):
            chapter, k, page, block_id = match.groups()
            assert block_id in numbers, f"{name}:{line_no}: no block {block_id!r}"
            target_page, number = numbers[block_id]
            assert (page or name) == target_page, f"{name}:{line_no}: {block_id} is on {target_page}"
            assert number == f"{chapter}.{k}", f"{name}:{line_no}: {block_id} is ({number}), not ({chapter}.{k})"


@pytest.mark.parametrize("name", nav_pages())
def test_links_to_a_block_read_as_its_equation_number_or_in_words(name):
    """`[(5.4)](#id)` or `[the rule by the input](#id)`: never a bare or stray number, which
    would not follow the block when blocks are inserted before it."""
    numbers = equation_numbers()
    for line_no, line in enumerate(prose(name).splitlines(), start=1):
        for match in LINK_TO_ANCHOR.finditer(line):
            text, _, anchor = match.groups()
            if anchor in numbers:
                assert re.fullmatch(r"\(\d+\.\d+\)", text) or (
                    re.search(r"[A-Za-z]{3}", text) and not re.search(r"\d+\.\d+", text)), (
                    f"{name}:{line_no}: link to block {anchor} reads {text!r}: write its equation "
                    f"number in brackets or name it in words")


@pytest.mark.parametrize("name", [n for n in nav_pages() if n not in CODE_PAGES_EXEMPT])
def test_prose_has_no_code_and_names_no_block_id(name):
    ids = set(equation_numbers())
    for line_no, line in enumerate(prose(name).splitlines(), start=1):
        if not name.startswith(CODE_IN_PROSE):
            assert "`" not in line, f"{name}:{line_no}: code in the prose: {line.strip()}"
        outside_links = LINK_TO_ANCHOR.sub("", line)
        named = [i for i in ids if re.search(rf"(?<![\w#-]){re.escape(i)}(?![\w-])", outside_links)]
        assert not named, f"{name}:{line_no}: names block id(s) {named} instead of equation numbers"
