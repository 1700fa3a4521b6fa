"""The block-format page shows the source of each of its live blocks, folded under it, and
the source shown is the block's own (a copy that drifted would teach the wrong format)."""
from __future__ import annotations

import re

from site_pages import page

LIVE = re.compile(r"^```derivation\n(.*?)^```\n+(\?\?\?\+? example \"Its source\"\n\n    ```yaml\n(.*?)    ```\n)?",
                  re.M | re.S)


def test_every_live_block_has_its_own_source_under_it():
    found = list(LIVE.finditer(page("block-format.md")))
    assert len(found) >= 8
    for match in found:
        block_id = match.group(1).split("\n", 1)[0]
        assert match.group(2), f"{block_id}: no source under it"
        shown = "".join(line[4:] if line.startswith("    ") else line
                        for line in match.group(3).splitlines(keepends=True))
        assert shown == match.group(1), f"{block_id}: the source shown is not the block's"
