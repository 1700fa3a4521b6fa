"""Every page's derivation blocks and tables, found and checked once per build.

Scanning the whole site before any page is rendered lets a table on one page list blocks
from pages that come after it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mathcheck import Block, Verdict, check_blocks, fences_by_info, read_blocks
from mathcheck.pages.fences import INFO
from mathcheck.pages.tables import INFO_STRING, Table, parse_table, select_blocks


@dataclass(frozen=True)
class SourcePage:
    """A page's markdown as read from disk, front matter included."""

    src_uri: str  # the page's path in docs_dir, as MkDocs names it
    path: str  # the path shown in messages, relative to mkdocs.yml
    text: str


@dataclass(frozen=True)
class CheckedBlock:
    """A block, the page it is on, its verdict (with its typeset statement when verified),
    and its fence's body as written (the block is checked with the site's default layout)."""

    src_uri: str
    block: Block
    verdict: Verdict
    body: str


@dataclass(frozen=True)
class PageScan:
    """What one page holds."""

    source: SourcePage
    blocks: list[CheckedBlock]
    tables: list[Table]


@dataclass(frozen=True)
class SiteScan:
    """Every page, in the order they were scanned, and how long checking took."""

    pages: dict[str, PageScan]  # by src_uri
    seconds: float

    def blocks(self, page_order: list[str] | None = None) -> list[CheckedBlock]:
        """All blocks, pages in `page_order` first (the navigation's order), then the rest."""
        order = [uri for uri in page_order or [] if uri in self.pages]
        order += [uri for uri in self.pages if uri not in order]
        return [checked for uri in order for checked in self.pages[uri].blocks]

    def summary(self) -> str:
        """The build's one log line: blocks, cached, checked, failed, errors, seconds."""
        verdicts = [checked.verdict for checked in self.blocks()]
        cached = sum(verdict.cached for verdict in verdicts)
        failed = sum(verdict.status == "failed" for verdict in verdicts)
        errors = sum(verdict.status == "error" for verdict in verdicts)
        return (
            f"{len(verdicts)} blocks, {cached} cached, {len(verdicts) - cached} checked, "
            f"{failed} failed, {errors} errors in {self.seconds:.2f} s"
        )

    def problems(self) -> list[str]:
        """One message per failed or error block (the engine's, naming file:line and id) and
        per broken table."""
        blocks = self.blocks()
        messages = [checked.verdict.message for checked in blocks if checked.verdict.status != "verified"]
        for page in self.pages.values():
            for table in page.tables:
                if table.problem:
                    messages.append(table.problem)
                else:
                    messages.extend(select_blocks(table, [checked.block for checked in blocks])[1])
        return messages


def scan_site(
    pages: list[SourcePage],
    *,
    jobs: int,
    time_limit: float,
    cache_dir: Path,
    layout: str,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
    timed_out: set[str] | None = None,
) -> SiteScan:
    """Find every block and table, check all blocks in one call (cached, in parallel);
    `progress`, `warn` and `timed_out` are passed to `check_blocks`."""
    start = time.perf_counter()
    found = []
    for page in pages:
        fences = fences_by_info(page.text, (INFO, INFO_STRING))  # one pass for blocks and tables
        page_blocks = [(with_layout(block, layout), block.source) for block in read_blocks(fences[INFO], page.path)]
        tables = [parse_table(body, page.path, first, last) for first, last, body in fences[INFO_STRING]]
        found.append((page, page_blocks, tables))
    blocks = [block for _, page_blocks, _ in found for block, _ in page_blocks]
    verdicts = iter(
        check_blocks(
            blocks,
            jobs=jobs,
            time_limit=time_limit,
            cache_dir=cache_dir,
            progress=progress,
            warn=warn,
            timed_out=timed_out,
            whole_site=True,
        )
    )
    scans = {}
    for page, page_blocks, tables in found:
        checked = []
        for block, body in page_blocks:
            checked.append(CheckedBlock(page.src_uri, block, next(verdicts), body))
        scans[page.src_uri] = PageScan(page, checked, tables)
    return SiteScan(scans, time.perf_counter() - start)


def with_layout(block: Block, layout: str) -> Block:
    """The block with the site's default layout when it names none (the default is numerator)."""
    if layout == "numerator" or block.spec is None or "layout" in block.spec:
        return block
    return dataclasses.replace(
        block, source=f"{block.source.rstrip()}\nlayout: {layout}\n", spec={**block.spec, "layout": layout}
    )
