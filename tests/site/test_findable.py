"""Every chapter can be found from the entry pages and the page map, and the further
reading names the references readers look for."""
from __future__ import annotations

import re

import pytest
import yaml
from markdown.extensions.toc import slugify
from site_pages import page
from test_prose import nav_pages

ENTRY_PAGES = ["index.md"]  # index.md's "The chapters" is the page map
FURTHER_READING = {
    "matrixcalculus.org": "matrixcalculus.org",
    "Dive into Deep Learning": "d2l.ai",
    "CS231n's notes on backpropagation": "cs231n.github.io/optimization-2",
    "Magnus and Neudecker": "Magnus and Neudecker",
    "The Matrix Cookbook": "The Matrix Cookbook",
}


@pytest.mark.parametrize(("entry", "chapter"),
                         [(entry, chapter) for entry in ENTRY_PAGES for chapter in nav_pages() if chapter not in (entry, "index.md")])
def test_entry_page_links_to_every_chapter(entry, chapter):
    assert re.search(rf"\]\({re.escape(chapter)}(#[a-z0-9-]+)?\)", page(entry)), f"{entry} never links to {chapter}"


@pytest.mark.parametrize("reference", sorted(FURTHER_READING))
def test_further_reading_names_it_with_a_sentence(reference):
    section = page("notation.md").split("## Further reading", 1)[1]
    items = [item for item in re.split(r"\n- ", section) if FURTHER_READING[reference] in item]
    assert items, f"no entry for {reference}"
    words = re.sub(r"\[[^\]]*\]\([^)]*\)", "", items[0]).split()
    assert len(words) >= 12, f"{reference}: {items[0]!r} says too little about what it is good for"


def pages_without_contents() -> list[str]:
    """The pages whose front matter hides Material's table of contents (wide tables)."""
    found = []
    for name in nav_pages():
        front = re.match(r"---\n(.*?)\n---\n", page(name), re.S)
        if front and "toc" in (yaml.safe_load(front.group(1)) or {}).get("hide", []):
            found.append(name)
    return found


def test_the_reference_tables_have_the_width_of_a_page_without_contents():
    assert set(pages_without_contents()) >= {"reference.md", "reference-layers.md", "reference-identities.md"}


@pytest.mark.parametrize("name", pages_without_contents())
def test_a_page_without_contents_links_every_section_from_its_top(name):
    """Its opening lists its sections, each linked to the anchor the heading gets."""
    text = page(name)
    opening = text[:text.index("\n## ")]
    headings = re.findall(r"^## (.+)$", text, re.M)
    linked = re.findall(r"\[([^\]]+)\]\(#([^)]+)\)", opening)
    assert linked == [(h, slugify(h, "-")) for h in headings]
