"""List twin blocks: pairs of blocks on one page that state the same rule (the same vars,
let, f, wrt, assume and order) once in each layout. Since a reader can switch the site's
layout, the one whose id is the other's with `-numerator` or `-denominator` added is
redundant.

    python scripts/twin_blocks.py docs/*.md
"""
from __future__ import annotations

import sys
from pathlib import Path

from mathcheck.pages.blocks import Block, find_blocks

SUFFIXES = ("-numerator", "-denominator")


def rule(block: Block) -> tuple[str, ...]:
    """What a block states, but for its layout and claim."""
    spec = block.spec or {}
    return tuple(str(spec.get(key)) for key in ("vars", "let", "f", "wrt", "assume", "order"))


def layout(block: Block) -> str:
    return (block.spec or {}).get("layout") or "numerator"


def twins(path: Path) -> list[tuple[Block, Block]]:
    """(kept, twin) pairs of one page: the twin's id is the kept one's with a layout suffix."""
    blocks = [b for b in find_blocks(path.read_text(), str(path)) if b.spec and b.id]
    by_id = {b.id: b for b in blocks}
    pairs = []
    for twin in blocks:
        for suffix in SUFFIXES:
            kept = by_id.get(twin.id[: -len(suffix)]) if twin.id.endswith(suffix) else None
            if kept and rule(kept) == rule(twin) and layout(kept) != layout(twin):
                pairs.append((kept, twin))
    return pairs


def main(paths: list[str]) -> int:
    for path in paths:
        for kept, twin in twins(Path(path)):
            print(f"{path}:{twin.line}: `{twin.id}` ({layout(twin)}) restates `{kept.id}` "
                  f"({layout(kept)}, line {kept.line})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
