"""The HTML that stands for each derivation and table fence of one page of a scanned site."""

from __future__ import annotations

from dataclasses import dataclass

from mathcheck.pages.fences import INFO
from mathcheck.pages.tables import INFO_STRING, Table, select_blocks

from .links import page_url, relative_url
from .render import Defer, block_html, equation_number, problem_html, shown
from .scan import CheckedBlock, SiteScan
from .table_text import table_text
from .tables import Row, table_html


@dataclass(frozen=True)
class Fragment:
    """One fence's replacement: its info string, its body (to recognise the fence) and its HTML."""

    info: str
    body: str
    html: str


def same_body(first: str, second: str) -> bool:
    """Whether two fence bodies are one, whatever indentation their container gave them."""
    return _normal(first) == _normal(second)


def _normal(body: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in body.expandtabs(4).strip().splitlines())


@dataclass(frozen=True)
class SitePages:
    """A scanned site and what placing its pages needs: their order and URL scheme."""

    scan: SiteScan
    page_order: list[str]  # src_uris in navigation order
    directory_urls: bool = True
    verified_page: str = ""  # `index.md#what-verified-means`: where the evidence links to

    def verified_href(self, src_uri: str) -> str:
        """The link from the page `src_uri` to `verified_page` (and its anchor), if that page exists."""
        path, _, anchor = self.verified_page.partition("#")
        if not path or path not in self.scan.pages:
            return ""
        target = page_url(path, self.directory_urls)
        return relative_url(target, page_url(src_uri, self.directory_urls)) + (f"#{anchor}" if anchor else "")

    def fragments(self, src_uri: str, defer: Defer = shown) -> list[Fragment]:
        """The page's fragments in the order its fences stand (see `block_html` for `defer`)."""
        scanned = self.scan.pages.get(src_uri)
        if scanned is None:
            return []
        chapter = self.page_order.index(src_uri) + 1 if src_uri in self.page_order else None
        about = self.verified_href(src_uri)
        on_page = [c for c in scanned.blocks if c.block.shown]  # a stray fence stays as Markdown shows it
        printed: dict[tuple[str, ...], tuple[str, str]] = {}   # definitions -> the block that printed them
        pieces = []
        for k, c in enumerate(on_page, start=1):
            number = equation_number(chapter, k)
            lets = tuple(c.verdict.statement.lets) if c.verdict.statement else ()
            same_as = printed.get(lets) if lets else None
            if lets and same_as is None and c.block.id:
                printed[lets] = (number, c.block.id)
            pieces.append((c.block.line, Fragment(INFO, c.body, block_html(
                c.block, c.verdict, number, about, defer, same_as))))
        pieces += [(t.line, Fragment(INFO_STRING, t.source, self.table_html(t, src_uri, defer)))
                   for t in scanned.tables]
        return [fragment for _, fragment in sorted(pieces, key=lambda piece: piece[0])]

    def table_html(self, table: Table, src_uri: str, defer: Defer = shown) -> str:
        """The table's HTML (through `defer`, which has the search index read its rows as
        lines of text), or a red box saying why it cannot be built."""
        if table.problem:
            return problem_html(table.problem)
        checked = self.scan.blocks(self.page_order)
        blocks, problems = select_blocks(table, [c.block for c in checked])
        if problems:
            return problem_html("\n".join(problems))
        by_block = {id(c.block): c for c in checked}
        rows = [self.row(by_block[id(block)], src_uri) for block in blocks]
        return defer(table_html(table, rows), read_as=table_text(table, rows))

    def row(self, checked: CheckedBlock, src_uri: str) -> Row:
        """A table row for `checked`, linking from the page `src_uri` to the block's anchor."""
        target = page_url(checked.src_uri, self.directory_urls)
        here = page_url(src_uri, self.directory_urls)
        href = f"#{checked.block.id}" if target == here else f"{relative_url(target, here)}#{checked.block.id}"
        return Row(checked.block, checked.verdict, href)
