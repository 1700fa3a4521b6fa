"""The whole project's blocks, scanned and checked once per build before any page is read,
placed in the toctree's order once every page is read, and reported when the build ends."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.util import logging

from mathcheck import default_cache_dir
from mathcheck_mkdocs.fragments import Fragment, SitePages, same_body
from mathcheck_mkdocs.scan import CheckedBlock, SiteScan, scan_site
from mathcheck_mkdocs.tables import Row
from mathcheck_mkdocs.templating import use_overrides

from .sources import markdown_pages

logger = logging.getLogger(__name__)
_LOCATED = re.compile(r"(?P<file>[^\n]+?):(?P<line>\d+): (?P<rest>.*)", re.DOTALL)


@dataclass(frozen=True)
class LinkedPages(SitePages):
    """A scanned site whose links between pages are the Sphinx builder's."""

    link: Callable[[str, str], str] = lambda here, there: ""  # (from src_uri, to src_uri) -> relative URI

    def verified_href(self, src_uri: str) -> str:
        path, _, anchor = self.verified_page.partition("#")
        if not path or path not in self.scan.pages:
            return ""
        return self.link(src_uri, path) + (f"#{anchor}" if anchor else "")

    def row(self, checked: CheckedBlock, src_uri: str) -> Row:
        here = "" if checked.src_uri == src_uri else self.link(src_uri, checked.src_uri)
        return Row(checked.block, checked.verdict, f"{here}#{checked.block.id}")


@dataclass(frozen=True)
class Fence:
    """A fence as the page's reader met it: its info string, body and line."""

    info: str
    body: str
    line: int


@dataclass
class CheckedSite:
    """One build's scan, and its pages once the toctree gives their order."""

    scan: SiteScan
    src_uris: dict[str, str]  # by docname
    pages: LinkedPages | None = None
    placed: dict[str, list[Fragment]] = field(default_factory=dict)  # by docname, fragments not yet placed
    unchecked: list[str] = field(default_factory=list)  # fences the scan and the reader did not both see
    docnames: dict[str, str] = field(init=False)  # by src_uri

    def __post_init__(self) -> None:
        self.docnames = {uri: docname for docname, uri in self.src_uris.items()}

    def block(self, docname: str, body: str) -> CheckedBlock | None:
        """The page's scanned block whose fence holds `body`, if any."""
        page = self.scan.pages.get(self.src_uris.get(docname, ""))
        return next((c for c in page.blocks if c.block.shown and same_body(c.body, body)), None) if page else None

    def take(self, docname: str, info: str, body: str) -> str | None:
        """The HTML of the page's next `info` fence holding `body` (None if there is none)."""
        assert self.pages is not None
        if docname not in self.placed:
            self.placed[docname] = self.pages.fragments(self.src_uris.get(docname, ""))
        pending = self.placed[docname]
        for k, fragment in enumerate(pending):
            if fragment.info == info and same_body(fragment.body, body):
                return pending.pop(k).html
        return None

    def mismatches(self, met: dict[str, list[Fence]]) -> list[str]:
        """Why each fence the scan found but the reader did not meet as a directive (it shows
        it as code), and each fence the reader met but the scan did not find, is unchecked."""
        problems = []
        for docname, uri in self.src_uris.items():
            page = self.scan.pages[uri]
            scanned = [Fence("derivation", c.body, c.block.line) for c in page.blocks if c.block.shown]
            scanned += [Fence("derivation-table", t.source, t.line) for t in page.tables]
            path = page.source.path
            for fence in met.get(docname, []):
                found = next((s for s in scanned if s.info == fence.info and same_body(s.body, fence.body)), None)
                if found is None:
                    problems.append(
                        f"{path}:{fence.line}: this `{fence.info}` fence is not checked: mathcheck reads fences "
                        f"written ```{fence.info} (or ```{{{fence.info}}}) at the top level of a page, in a list "
                        "or a block quote, or inside a :::{note} colon fence; write it so, not inside a "
                        "```{...} directive")
                else:
                    scanned.remove(found)
            problems += [
                f"{path}:{fence.line}: this `{fence.info}` fence is shown as code, not typeset: MyST does not "
                f"read it as mathcheck's directive (is it inside a code block, or is myst_commonmark_only or "
                "myst_gfm_only set in conf.py? remove that setting)"
                for fence in scanned]
        return problems

    def fingerprints(self) -> dict[str, str]:
        """A digest of each page's blocks and tables as HTML, by docname."""
        assert self.pages is not None
        return {
            self.docnames[uri]: hashlib.sha256(
                "\0".join(f.html for f in self.pages.fragments(uri)).encode()).hexdigest()
            for uri, page in self.scan.pages.items() if page.blocks or page.tables
        }


_sites: WeakKeyDictionary[BuildEnvironment, CheckedSite] = WeakKeyDictionary()


def checked_site(env: BuildEnvironment) -> CheckedSite:
    """This build's scan (the environment's: a directive sees it, and so does a forked reader)."""
    return _sites[env]


def scan(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Check every block of the project (cached, in parallel) before any page is read, so a
    table may list blocks of pages read after it; each bad block is said now, with its place."""
    pages = markdown_pages(env)
    use_overrides([Path(app.confdir) / folder for folder in app.config.templates_path])
    cache_dir = cache_folder(app)
    site_scan = scan_site(
        list(pages.values()),
        jobs=app.config.mathcheck_jobs,
        time_limit=float(app.config.mathcheck_time_limit),
        cache_dir=cache_dir,
        layout=app.config.mathcheck_layout,
        progress=lambda done, total: logger.info(f"mathcheck: checked {done} of {total} blocks"),
        warn=lambda message: logger.warning(message, type="mathcheck"),
    )
    logger.info(f"mathcheck: {site_scan.summary()}")
    _sites[env] = CheckedSite(site_scan, {docname: page.src_uri for docname, page in pages.items()})
    say_errors(site_scan.problems())


def cache_folder(app: Sphinx) -> Path:
    """`mathcheck_cache_dir` (relative to conf.py's folder), else $MATHCHECK_CACHE_DIR, else
    `mathcheck/` in the build's doctree folder (`_build/doctrees`: cleaned with the build)."""
    if app.config.mathcheck_cache_dir:
        return Path(app.confdir) / app.config.mathcheck_cache_dir
    if os.environ.get("MATHCHECK_CACHE_DIR"):
        return default_cache_dir()
    return Path(app.doctreedir) / "mathcheck"


def say_errors(messages: list[str]) -> None:
    """Each message as an error at the file and line it begins with, as Sphinx names places.
    Every one is said even under `-W`, which before Sphinx 8.1 stops at the first (the build
    fails at its end all the same)."""
    all_said = getattr(logging, "skip_warningiserror", contextlib.nullcontext)
    with all_said():
        for message in messages:
            located = _LOCATED.match(message)
            if located is None:
                logger.error(message)
            else:
                logger.error(located["rest"], location=f"{located['file']}:{located['line']}")


def place_in_order(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once every page is read: each fence the scan and the reader did not both see, said as an
    error; the pages in the toctree's order (which numbers the blocks); the pages whose blocks
    or tables now read otherwise than when last written, to be written again."""
    site = checked_site(env)
    site.unchecked = site.mismatches(fences_met(env))
    say_errors(site.unchecked)
    order = [site.src_uris[docname] for docname in toctree_order(env, app.config.root_doc)
             if docname in site.src_uris]

    def link(here: str, there: str) -> str:
        try:
            return app.builder.get_relative_uri(site.docnames[here], site.docnames[there])
        except NoUri:
            return ""

    site.pages = LinkedPages(site.scan, order, verified_page=verified_page(app, site), link=link)
    written = getattr(env, "mathcheck_fingerprints", {})
    env.mathcheck_fingerprints = site.fingerprints()
    return [docname for docname, digest in env.mathcheck_fingerprints.items() if written.get(docname) != digest]


def verified_page(app: Sphinx, site: CheckedSite) -> str:
    """The `mathcheck_verified_page` option, if it names a Markdown page of the project (a warning if not)."""
    page = app.config.mathcheck_verified_page
    if page and page.partition("#")[0] not in site.docnames:
        logger.warning(f"mathcheck: mathcheck_verified_page is {page!r}, which is no Markdown page of the "
                       "project; name one as its path in the source folder, such as 'index.md#verified'",
                       type="mathcheck")
        return ""
    return page


def toctree_order(env: BuildEnvironment, root: str) -> list[str]:
    """The documents in reading order: the root, then depth first through the toctrees."""
    order: list[str] = []
    stack = [root]
    while stack:
        docname = stack.pop()
        if docname in order or docname not in env.found_docs:
            continue
        order.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    return order


def report(app: Sphinx, exception: Exception | None) -> None:
    """A build with a wrong, erroring or unchecked block ends with a non-zero exit status."""
    site = _sites.get(app.env)
    if exception is not None or site is None:
        return
    problems = site.scan.problems() + site.unchecked
    if problems:
        say_errors([f"mathcheck: {len(problems)} derivation block(s) or table(s) are wrong (listed above)"])
        app.statuscode = 1


def fences_met(env: BuildEnvironment) -> dict[str, list[Fence]]:
    """The fences each page's reader met as directives, by docname (kept with the environment,
    for pages not read again)."""
    if not hasattr(env, "mathcheck_fences"):
        env.mathcheck_fences = {}
    return env.mathcheck_fences


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    fences_met(env).pop(docname, None)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: list[str], other: BuildEnvironment) -> None:
    fences_met(env).update({docname: fences_met(other)[docname] for docname in docnames
                            if docname in fences_met(other)})
