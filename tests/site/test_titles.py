"""Block titles read as prose and math, never as the block language's code."""

from __future__ import annotations

import re
from pathlib import Path

from mathcheck import find_blocks

DOCS = Path(__file__).resolve().parents[2] / "docs"
CODE = re.compile(r"\.T\b|\s@\s|\*\*|\w\*\w|\b(?:exp|sqrt|dot|outer|inv)\(")


def titles() -> list[tuple[str, str]]:
    return [(f"{page.name}:{block.line}", block.title or "")
            for page in sorted(DOCS.glob("*.md"))
            for block in find_blocks(page.read_text(encoding="utf-8"), page.name)]


def test_titles_print_math_not_code() -> None:
    found = titles()
    assert len(found) > 100
    code = [f"{where}: {title}" for where, title in found
            if CODE.search(re.sub(r"\$[^$]*\$", "", title))]
    assert not code, "\n".join(code)


def test_title_math_is_paired() -> None:
    unpaired = [f"{where}: {title}" for where, title in titles() if title.count("$") % 2]
    assert not unpaired, "\n".join(unpaired)
