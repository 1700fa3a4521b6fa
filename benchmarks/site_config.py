"""This site's mkdocs.yml for a benchmark run, with mathcheck or without it."""
from __future__ import annotations

import re

# `- mathcheck` under plugins and under markdown_extensions (where Zensical finds it), with
# any comment and any options indented below it
MATHCHECK = re.compile(r"^  - mathcheck\b.*\n(?:      .*\n)*", re.MULTILINE)


def without_mathcheck(config: str) -> str:
    """The configuration with neither the plugin nor the extension: blocks stay code blocks
    and KaTeX is not copied."""
    stripped = MATHCHECK.sub("", config)
    assert not re.search(r"^\s*- mathcheck", stripped, re.MULTILINE), "mathcheck is still listed"
    return stripped
