"""The site's pages and their derivation blocks, as the site tests read them."""
from __future__ import annotations

from pathlib import Path

from mathcheck import Block, find_blocks

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def site_blocks(names: list[str] | None = None) -> list[Block]:
    """The blocks of the pages `names` (every page under docs/ by default), in order; each
    block's file is `docs/NAME`."""
    names = names if names is not None else sorted(path.name for path in DOCS.glob("*.md"))
    return [block for name in names for block in find_blocks(page(name), f"docs/{name}")]


def is_general(spec: dict) -> bool:
    """Whether a block states its rule for abstract functions."""
    return any(str(kind).replace(" ", "").startswith("function") for kind in spec.get("vars", {}).values())
