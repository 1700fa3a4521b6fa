"""HTML held back from a page until the search index has read it.

A block's evidence panel, its equations set one per line, its shape and its variables'
kinds are marked `data-search-exclude`: Material's search skips them, but only after
parsing them, and they are most of a block's HTML. So the page's content carries a short
comment in their place, and the finished page gets them back (`fill`), before any other
plugin sees its HTML. A part may leave the index something to read in its place (a table's
rows as lines of text), which the finished page drops.
"""

from __future__ import annotations

import re
import secrets


class HeldBack:
    """The parts held back from one page, each standing in it as a numbered comment."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(6)  # one page cannot guess another's stand-ins
        self.parts: list[str] = []

    def hold(self, html: str, read_as: str = "") -> str:
        """Keep `html`; the comment that stands for it, after what the search index reads in
        its place (`read_as`, gone from the finished page)."""
        self.parts.append(html)
        stand_in = f"<!--mathcheck:{self.token}:{len(self.parts) - 1}-->"
        if not read_as:
            return stand_in
        return f"<!--mathcheck:{self.token}:read-->{read_as}<!--mathcheck:{self.token}:read-end-->{stand_in}"

    def fill(self, output: str) -> tuple[str, int]:
        """The page with every part in its place, and how many parts found no place."""
        placed: set[int] = set()

        def put(match: re.Match) -> str:
            k = int(match[1])
            placed.add(k)
            return self.parts[k]

        unread = re.sub(rf"<!--mathcheck:{self.token}:read-->.*?<!--mathcheck:{self.token}:read-end-->",
                        "", output, flags=re.S)
        filled = re.sub(rf"<!--mathcheck:{self.token}:(\d+)-->", put, unread)
        return filled, len(self.parts) - len(placed)
