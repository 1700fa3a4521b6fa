"""The Markdown pages of a Sphinx project, read from disk for the one scan of the site.

MyST writes a directive as ```` ```{derivation} ````; the scan reads that opening line as the
```` ```derivation ```` it stands for, so both forms are checked (line numbers unchanged).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sphinx.environment import BuildEnvironment

from mathcheck_mkdocs.scan import SourcePage

_DIRECTIVE_OPENING = re.compile(r"^([ \t>]*(?:`{3,}|~{3,})[ \t]*)\{(derivation(?:-table)?)\}(?=[ \t]|$)",
                                re.MULTILINE)


def markdown_pages(env: BuildEnvironment) -> dict[str, SourcePage]:
    """Every Markdown document of the project (as MyST parses them), by docname."""
    suffixes = {suffix for suffix, kind in env.config.source_suffix.items() if kind == "markdown"}
    pages = {}
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        if path.suffix not in suffixes or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        src_uri = path.relative_to(env.srcdir).as_posix()
        pages[docname] = SourcePage(src_uri, shown_path(path), as_fences(text))
    return pages


def as_fences(text: str) -> str:
    """The page with each ```` ```{derivation} ```` opening written ```` ```derivation ````."""
    return _DIRECTIVE_OPENING.sub(r"\1\2", text)


def shown_path(path: Path) -> str:
    """The path messages name: relative to the working directory, where sphinx-build runs."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()
