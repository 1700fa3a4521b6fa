"""The MkDocs side: when to scan, where to put the HTML, when to fail the build."""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from mathcheck import default_cache_dir

from .config import MathcheckConfig
from .render import block_html, equation_number, problem_html
from .scan import CheckedBlock, SiteScan, SourcePage, scan_site
from .tables import Row, Table, select_blocks, table_html

log = get_plugin_logger("mathcheck")

ASSETS = Path(__file__).parent / "assets"
CHECKOUT = Path(__file__).resolve().parents[2]
KATEX_FILES = ("katex.min.css", "katex.min.js", "contrib/auto-render.min.js")
PLACEHOLDER = "MATHCHECKPLACEHOLDER{}X"
CONTAINER = re.compile(r"[ \t>]*")


class MathcheckPlugin(BasePlugin[MathcheckConfig]):
    """Checks every derivation block of the site and typesets it in place."""

    def __init__(self) -> None:
        self.command = "build"
        self.scan: SiteScan | None = None
        self.page_order: list[str] = []
        self.placeholders: dict[str, str] = {}  # placeholder -> HTML, for the page being built
        self.timed_out: set[str] = set()  # blocks that ran out of time, not re-run by serve

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.katex_dir:
            config.extra_css[:0] = ["assets/katex/katex.min.css"]
            config.extra_javascript.extend(["assets/katex/katex.min.js", "assets/katex/contrib/auto-render.min.js"])
        config.extra_css.append("assets/mathcheck/mathcheck.css")
        config.extra_javascript.append("assets/mathcheck/mathcheck.js")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = Path(config.config_file_path).parent
        for file in self.asset_files(config, root):
            files.append(file)
        pages = [
            SourcePage(file.src_uri, os.path.relpath(file.abs_src_path or file.src_uri, root), file.content_string)
            for file in files.documentation_pages()
        ]
        self.scan = scan_site(
            pages,
            jobs=self.config.jobs,
            time_limit=float(self.config.time_limit),
            cache_dir=root / (self.config.cache_dir or default_cache_dir()),
            layout=self.config.layout,
            progress=lambda done, total: log.info(f"checked {done} of {total} blocks"),
            warn=log.info,  # said, without failing a --strict build: the checks still run
            timed_out=self.timed_out,
        )
        log.info(self.scan.summary())
        if not self.fails_on_problems:
            for problem in self.scan.problems():
                log.warning(problem)
        return files

    @property
    def fails_on_problems(self) -> bool:
        """`mkdocs build` always fails on a bad block; `mkdocs serve` only if configured so."""
        return self.command != "serve" or self.config.serve_on_failure == "fail"

    def asset_files(self, config: MkDocsConfig, root: Path) -> list[File]:
        """The plugin's script and style sheet, and KaTeX's files, to be copied into the site."""
        assets = [
            File.generated(config, f"assets/mathcheck/{name}", abs_src_path=str(ASSETS / name))
            for name in ("mathcheck.css", "mathcheck.js")
        ]
        if not self.config.katex_dir:
            return assets
        # beside mkdocs.yml first; then in the checkout this plugin runs from (`make site` puts it there)
        places = [root / self.config.katex_dir, CHECKOUT / self.config.katex_dir]
        katex = next((place for place in places if (place / "katex.min.js").is_file()), None)
        if katex is None:
            raise PluginError(
                f"mathcheck: KaTeX not found in {places[0]}; run `npm ci` (package.json pins katex) "
                "or set the plugin's katex_dir"
            )
        names = list(KATEX_FILES) + [f"fonts/{font.name}" for font in sorted((katex / "fonts").iterdir())]
        return assets + [
            File.generated(config, f"assets/katex/{name}", abs_src_path=str(katex / name)) for name in names
        ]

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.page_order = [page.file.src_uri for page in nav.pages]
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.scan is not None
        scanned = self.scan.pages.get(page.file.src_uri)
        if scanned is None or not (scanned.blocks or scanned.tables):
            return markdown
        if not scanned.source.text.endswith(markdown):
            raise PluginError(
                f"mathcheck: {scanned.source.path} changed after its blocks were checked: it was edited "
                "during the build (build again), or a plugin listed before mathcheck rewrote it "
                "(list mathcheck first under `plugins:`)"
            )
        # MkDocs strips the front matter: line numbers in `markdown` are this much smaller.
        offset = scanned.source.text[: len(scanned.source.text) - len(markdown)].count("\n")
        chapter = self.page_order.index(page.file.src_uri) + 1 if page.file.src_uri in self.page_order else None
        spans = [
            (c.block.line, c.block.end_line, block_html(c.block, c.verdict, c.statement, equation_number(chapter, k)))
            for k, c in enumerate(scanned.blocks, start=1)
        ]
        spans += [(table.line, table.end_line, self.table_html(table, page, files)) for table in scanned.tables]
        lines = markdown.split("\n")
        for line, end_line, html in sorted(spans, reverse=True):
            start = line - 1 - offset
            # Keep the fence's container (indentation, block quote markers) around the placeholder.
            container = CONTAINER.match(lines[start]).group()
            placeholder = PLACEHOLDER.format(len(self.placeholders))
            self.placeholders[placeholder] = html
            lines[start : end_line - offset] = [container.rstrip(), container + placeholder, container.rstrip()]
        return "\n".join(lines)

    def table_html(self, table: Table, page: Page, files: Files) -> str:
        """The table's HTML, or a red box saying why it cannot be built."""
        assert self.scan is not None
        if table.problem:
            return problem_html(table.problem)
        checked = self.scan.blocks(self.page_order)
        blocks, problems = select_blocks(table, [c.block for c in checked])
        if problems:
            return problem_html("\n".join(problems))
        by_block = {id(c.block): c for c in checked}
        return table_html(table, [self.row(by_block[id(block)], page, files) for block in blocks])

    def row(self, checked: CheckedBlock, page: Page, files: Files) -> Row:
        """A table row for `checked`, linking from `page` to the block's anchor."""
        target = files.get_file_from_path(checked.src_uri)
        anchor = f"#{checked.block.id}"
        href = get_relative_url(target.url + anchor, page.file.url) if target else anchor
        return Row(checked.block, checked.verdict, checked.statement, href)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        for placeholder, block in self.placeholders.items():
            html = html.replace(f"<p>{placeholder}</p>", block).replace(placeholder, block)
        self.placeholders.clear()
        return html

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.scan is not None
        problems = self.scan.problems()
        if problems and self.fails_on_problems:
            raise PluginError(
                f"mathcheck: {len(problems)} derivation block(s) or table(s) are wrong:\n"
                + "\n".join(f"  {problem}" for problem in problems)
            )
