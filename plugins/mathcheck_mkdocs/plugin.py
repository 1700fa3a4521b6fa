"""The MkDocs side (also ProperDocs): one scan of the whole site before any page is rendered,
the Markdown extension fed each page's verdicts, the build failed with every bad block."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from mathcheck import default_cache_dir
from mathcheck.checking.verdicts import printable

from .config import MathcheckConfig
from .extension import MathcheckExtension, problems_report
from .fragments import SitePages
from .held_back import HeldBack
from .plaintext import readable_search_index
from .scan import SiteScan, SourcePage, scan_site
from .search_terms import Synonyms, SynonymsError, findable_search_index, read_synonyms
from .templating import use_overrides
from .site_assets import KATEX, OWN_STYLE, scripts, served, style_sheets

log = get_plugin_logger("mathcheck")
PLAIN_TEXT = "plain-text.json"  # in the cache: the search index's formulas as text, from the last build

REPLACED = ("mathcheck", "mathcheck_mkdocs.extension", "fenced_code", "markdown.extensions.fenced_code")


class MathcheckPlugin(BasePlugin[MathcheckConfig]):
    """Checks every derivation block of the site; the `mathcheck` Markdown extension typesets them."""

    def __init__(self) -> None:
        self.command = "build"
        self.scan: SiteScan | None = None
        self.page_order: list[str] = []
        self.extension = MathcheckExtension()
        self.timed_out: set[str] = set()  # blocks that ran out of time, not re-run by serve
        self.cache_dir: Path | None = None
        self.held_back: dict[str, HeldBack] = {}  # by page: all are rendered before any is written
        self.synonyms: Synonyms = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The site may list the extension too (for Zensical, which reads the same file): this
        # plugin's own instance takes its place, fed from the one scan of the site. The fences
        # are superfences', which stands in for fenced_code (MkDocs adds that one by default).
        config.markdown_extensions[:] = [
            ext for ext in config.markdown_extensions if not (isinstance(ext, str) and ext in REPLACED)
        ]
        if "pymdownx.superfences" not in config.markdown_extensions:
            config.markdown_extensions.append("pymdownx.superfences")
        config.markdown_extensions.append(self.extension)
        try:
            self.synonyms = read_synonyms(self.config.search_synonyms, Path(config.config_file_path).parent)
        except SynonymsError as error:
            raise PluginError(f"mathcheck: {error}") from None
        custom_dir = getattr(config.theme, "custom_dir", None)
        use_overrides([Path(custom_dir)] if custom_dir else [])
        # KaTeX's style sheet before the site's own, ours after them; none twice (a site that
        # copied the files into its docs for Zensical lists them already).
        katex = self.katex_dir is not None
        css = [path for path in style_sheets(katex) if path not in config.extra_css]
        config.extra_css[:0] = [path for path in css if path != OWN_STYLE]
        config.extra_css.extend(path for path in css if path == OWN_STYLE)
        config.extra_javascript.extend(path for path in scripts(katex) if path not in config.extra_javascript)
        return config

    @property
    def katex_dir(self) -> Path | None:
        """The KaTeX served with the site: the one shipped with the plugin, the site's own, or none."""
        if self.config.katex_dir is None:
            return KATEX
        return Path(self.config.katex_dir) if self.config.katex_dir else None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = Path(config.config_file_path).parent
        for file in self.asset_files(config, root, files):
            files.append(file)
        pages = [
            SourcePage(file.src_uri, os.path.relpath(file.abs_src_path or file.src_uri, root), file.content_string)
            for file in files.documentation_pages()
        ]
        self.cache_dir = root / (self.config.cache_dir or default_cache_dir())
        self.scan = scan_site(
            pages,
            jobs=self.config.jobs,
            time_limit=float(self.config.time_limit),
            cache_dir=self.cache_dir,
            layout=self.config.layout,
            progress=lambda done, total: log.info(f"checked {done} of {total} blocks"),
            warn=log.info,  # said, without failing a --strict build: the checks still run
            timed_out=self.timed_out,
        )
        log.info(self.scan.summary())
        if not self.fails_on_problems:
            # Shown in red where they stand. Under `strict`, a warning would abort the rebuild
            # and leave `serve` stuck on the last good build, so they are said at info level.
            say = log.info if config.strict else log.warning
            for problem in self.scan.problems():
                say(printable(problem))
        return files

    @property
    def fails_on_problems(self) -> bool:
        """`mkdocs build` always fails on a bad block; `mkdocs serve` only if configured so."""
        return self.command != "serve" or self.config.serve_on_failure == "fail"

    def asset_files(self, config: MkDocsConfig, root: Path, files: Files) -> list[File]:
        """The plugin's script and style sheet, and KaTeX's files, to be copied into the site
        (but for those the site's docs hold already)."""
        katex = None if self.katex_dir is None else root / self.katex_dir
        if katex is not None and not (katex / "katex.min.js").is_file():
            raise PluginError(f"mathcheck: no katex.min.js in {katex}; point katex_dir at KaTeX's dist folder, "
                              "or remove the option to use the KaTeX that comes with mathcheck")
        return [
            File.generated(config, path, abs_src_path=str(source))
            for path, source in served(katex)
            if files.get_file_from_path(path) is None
        ]

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.page_order = [page.file.src_uri for page in nav.pages]
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.scan is not None
        site = SitePages(self.scan, self.page_order, bool(config.use_directory_urls), self.config.verified_page)
        held_back = self.held_back[page.file.src_uri] = HeldBack()
        self.extension.feed(site, page.file.src_uri, held_back.hold)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A block's HTML reaches the page through Markdown's stash, after MkDocs has gathered
        # the page's anchors: its id is added here, so links to blocks pass anchor validation.
        # With mkdocs-autorefs, `[text][block-id]` links to a block from any page.
        assert self.scan is not None
        scan = self.scan.pages.get(page.file.src_uri)
        if scan is None:
            return html
        ids = [checked.block.id for checked in scan.blocks if checked.block.id]
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(ids)
        autorefs = config.plugins.get("autorefs")
        if autorefs is not None:
            for checked in scan.blocks:
                if checked.block.id:
                    autorefs.register_anchor(page, checked.block.id, title=checked.block.title or None)
        return html

    @event_priority(100)  # before any other plugin reads the finished page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        held_back = self.held_back.pop(page.file.src_uri, None)
        if held_back is None:
            return output
        output, lost = held_back.fill(output)
        if lost:
            log.warning(f"{lost} part(s) of the derivation blocks of {page.file.src_uri} (their evidence, "
                        "shapes, kinds, equations one per line) were lost: a plugin removed HTML comments "
                        "from the page's content before it was written")
        return output

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.cache_dir is not None
        index = Path(config.site_dir) / "search" / "search_index.json"
        readable_search_index(index, self.cache_dir / PLAIN_TEXT)
        findable_search_index(index, self.synonyms, self.config.search_spellings)
        assert self.scan is not None
        problems = self.scan.problems()
        if problems and self.fails_on_problems:
            raise PluginError(problems_report(problems))
