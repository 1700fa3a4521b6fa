"""The `mathcheck` Python-Markdown extension: `derivation` and `derivation-table` fences,
checked, typeset, and a failed build when one is wrong.

The fences are pymdownx.superfences custom fences, so they work wherever a fence does
(admonitions, content tabs, lists, block quotes, and the ```` ```{.derivation} ```` form).
Under MkDocs and ProperDocs the `mathcheck` plugin scans the whole site once and hands this
extension each page's verdicts; it fails the build itself, after listing every bad block.
Listed alone in `markdown_extensions` (Zensical; Python-Markdown used directly), the
extension scans the docs folder itself and raises on a wrong or erroring block, which stops
the build with each bad block's file and line (`zensical serve` instead shows the block in
red, as `mkdocs serve` does, and keeps serving). Under Zensical, which serves only what the
configuration lists, a build also stops when KaTeX and our assets are not listed and copied
(`site_assets.unserved`), unless the option `katex: false` says the site brings its own
renderer.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from mathcheck import DEFAULT_TIME_LIMIT
from mathcheck.pages.fences import INFO
from mathcheck.pages.tables import INFO_STRING
from mathcheck.checking.verdicts import printable

from .fragments import Fragment, SitePages, same_body
from .render import Defer, shown
from .site_assets import unserved
from .standalone import standalone_site, zensical_config

FENCES = (INFO, INFO_STRING)
NAME = "mathcheck"
_reported: set[int] = set()  # scans whose problems a preview has printed
_reported_assets: set[str] = set()  # what a preview has said of assets Zensical does not serve


class MathcheckError(Exception):
    """A derivation block or table is wrong, erroring, or cannot be placed: the build stops."""


class MathcheckExtension(Extension):
    """Typesets derivation blocks and tables from verdicts, its own or the plugin's."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "cache_dir": ["", "Where verdicts are kept, relative to the configuration file "
                              "(default: $MATHCHECK_CACHE_DIR, else .cache/plugin/mathcheck)"],
            "jobs": [0, "Processes that check blocks in parallel; 0 means one per CPU core"],
            "time_limit": [DEFAULT_TIME_LIMIT, "Seconds one block may take before it is an error"],
            "layout": ["numerator", "Layout of a block that does not name its own"],
            "verified_page": ["", "A page (with an optional anchor) that explains what \"verified\" means; "
                                  "each block's evidence links to it"],
            "katex": [True, "Under Zensical, require the KaTeX shipped with the package in extra_css and "
                            "extra_javascript; false for a site with a math renderer of its own"],
        }
        super().__init__(**kwargs)
        self.site: SitePages | None = None  # set by the plugin, which then fails the build itself
        self.src_uri = ""
        self.defer: Defer = shown

    def setConfig(self, key: str, value: Any) -> None:  # noqa: N802 (Python-Markdown's name)
        """Each option checked as it is set: a wrong one stops the build, saying what to write."""
        super().setConfig(key, _option(key, value, list(self.config)))

    def feed(self, site: SitePages, src_uri: str, defer: Defer = shown) -> None:
        """Use the plugin's scan for the page `src_uri` (the next one rendered), and its
        `defer` for the HTML the search index skips."""
        self.site, self.src_uri, self.defer = site, src_uri, defer

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        report_without_traceback()
        # After whitespace is normalised (30), before superfences reads the fences (25).
        placer = FencePlacer(md, self)
        md.preprocessors.register(placer, NAME, 28)
        # After the fences' HTML is put in the page (raw HTML comes back at 30).
        md.postprocessors.register(UncheckedFences(md, placer), NAME, 5)


def _option(key: str, value: Any, known: list[str]) -> Any:
    """`value`, if it is one the option `key` takes; else a MathcheckError naming what it takes."""
    takes = {
        "cache_dir": (lambda v: isinstance(v, str), "a folder, as text"),
        "jobs": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                 "a whole number of processes, 0 for one per CPU core"),
        "time_limit": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0,
                       "a positive number of seconds"),
        "layout": (lambda v: v in ("numerator", "denominator"), "`numerator` or `denominator`"),
        "verified_page": (lambda v: isinstance(v, str), "a page of the site, such as `index.md#verified`"),
        "katex": (lambda v: isinstance(v, bool), "`true` (the KaTeX shipped with the package) or `false` "
                                                 "(the site brings its own math renderer)"),
    }
    if key not in takes:
        raise MathcheckError(f"mathcheck: the extension has no option `{key}`; its options are "
                             + ", ".join(f"`{name}`" for name in known))
    valid, what = takes[key]
    if not valid(value):
        raise MathcheckError(f"mathcheck: the extension's option `{key}` is {value!r}; write {what}")
    return value


class FencePlacer(Preprocessor):
    """Finds the page's verdicts before superfences runs, and hands them to its fences in order."""

    def __init__(self, md: Markdown, extension: MathcheckExtension) -> None:
        super().__init__(md)
        self.extension = extension
        self.pending: list[Fragment] = []
        self.page = ""
        self.unchecked: list[str] = []  # why each fence handed over unchecked stands in the page

    def run(self, lines: list[str]) -> list[str]:
        register_fences(self.md)
        defer = shown
        if self.extension.site is not None:
            site, self.page, defer = self.extension.site, self.extension.src_uri, self.extension.defer
        else:
            site, self.page = standalone_site(self.md, "\n".join(lines), self.extension.getConfigs())
            if problems := site.scan.problems():
                if not previewing():
                    raise MathcheckError(problems_report(problems))
                if id(site.scan) not in _reported:  # once per scan, not once per page
                    _reported.add(id(site.scan))
                    print(problems_report(problems), file=sys.stderr)  # shown in red, and serving goes on
            config = zensical_config(self.md)
            if config is not None and (advice := unserved(config, self.extension.getConfig("katex"))):
                if not previewing():  # a page of raw TeX is not a green build
                    raise MathcheckError(f"mathcheck: {advice}")
                if advice not in _reported_assets:
                    _reported_assets.add(advice)
                    print(f"mathcheck: {advice}", file=sys.stderr)
        self.pending = site.fragments(self.page, defer)
        self.unchecked = []
        return lines

    def take(self, info: str, body: str) -> str:
        """The HTML of the page's next `info` fence holding `body`; for a fence that was not
        checked, a mark that fails the page if it is still there at the end (superfences
        puts a fence in indented code back as code, mark and all, and swallows errors)."""
        for k, fragment in enumerate(self.pending):
            if fragment.info == info and same_body(fragment.body, body):
                return self.pending.pop(k).html
        self.unchecked.append(
            f"mathcheck: a `{info}` fence of {self.page or 'the page'} was not among the blocks checked "
            "for it: the page was edited during the build (build again), or a plugin listed before "
            f"mathcheck rewrote it (list mathcheck first). The fence begins:\n{body[:200]}")
        return unchecked_mark(len(self.unchecked) - 1)


def unchecked_mark(k: int) -> str:
    return f"<!--mathcheck-unchecked:{k}-->"


class UncheckedFences(Postprocessor):
    """Fails the page if a fence that was not checked stands in it."""

    def __init__(self, md: Markdown, placer: FencePlacer) -> None:
        super().__init__(md)
        self.placer = placer

    def run(self, text: str) -> str:
        for k, message in enumerate(self.placer.unchecked):
            if unchecked_mark(k) in text:
                raise MathcheckError(printable(message))
        return text


def problems_report(problems: list[str]) -> str:
    """What a failed build says: how many blocks or tables are bad, then each one's message."""
    return (f"mathcheck: {len(problems)} derivation block(s) or table(s) are wrong:\n"
            + "\n".join(f"  {printable(problem)}" for problem in problems))


def report_without_traceback() -> None:
    """Under Zensical, a failed build ends with our report alone: Zensical hands the error on as
    a RuntimeError carrying its Python traceback, and the interpreter would print both."""
    if Path(sys.argv[0]).name != "zensical" or getattr(sys.excepthook, "mathcheck", False):
        return
    before = sys.excepthook

    def hook(kind, error, trace) -> None:
        text = str(error)
        marker = f"{MathcheckError.__name__}: "
        if marker not in text:
            return before(kind, error, trace)
        report = text[text.index(marker) + len(marker):].split("\nTraceback (most recent call last)")[0]
        print(report, file=sys.stderr)

    hook.mathcheck = True  # type: ignore[attr-defined]
    sys.excepthook = hook


def previewing() -> bool:
    """Whether this is `zensical serve`, a live preview, rather than a build."""
    return Path(sys.argv[0]).name == "zensical" and sys.argv[1:2] == ["serve"]


def register_fences(md: Markdown) -> None:
    """Add the two fences to superfences (whatever the order the extensions were listed in)."""
    superfences = next((ext for ext in md.registeredExtensions if hasattr(ext, "extend_super_fences")), None)
    if superfences is None:
        raise MathcheckError("mathcheck: the Markdown extension needs pymdownx.superfences; "
                             "add `- pymdownx.superfences` to markdown_extensions")
    known = {entry["name"] for entry in superfences.superfences}
    for info in FENCES:
        if info not in known:
            superfences.extend_super_fences(info, format_fence, validate_fence, lambda md: None)


def validate_fence(language: str, inputs: dict, options: dict, attrs: dict, md: Markdown) -> bool:
    """Every derivation fence is ours, whatever options its opening line carries."""
    md.preprocessors["fenced_code_block"].get_hl_settings()  # as superfences' own validators do
    return True


def format_fence(src: str, language: str, md: Markdown, **_: Any) -> str:
    """The fence's HTML, from the verdicts found for the page."""
    return md.preprocessors[NAME].take(language, src)


def makeExtension(**kwargs: Any) -> MathcheckExtension:  # noqa: N802 (Python-Markdown's name)
    return MathcheckExtension(**kwargs)
