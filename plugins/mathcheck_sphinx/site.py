"""The whole project's blocks, scanned and checked once per build before any page is read,
placed in the toctree's order once every page is read, and reported when the build ends."""

from __future__ import annotations

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


@dataclass
class CheckedSite:
    """One build's scan, and its pages once the toctree gives their order."""

    scan: SiteScan
    docnames: dict[str, str]  # by src_uri
    pages: LinkedPages | None = None
    placed: dict[str, list[Fragment]] = field(default_factory=dict)  # by docname, fragments not yet placed

    def find(self, docname: str, info: str, body: str) -> CheckedBlock | bool:
        """The scanned block of the page's `info` fence holding `body`, True for such a table,
        False for a fence the scan did not find."""
        page = self.scan.pages.get(self.src_uri(docname))
        if page is None:
            return False
        if info == "derivation":
            return next((c for c in page.blocks if c.block.shown and same_body(c.body, body)), False)
        return any(same_body(table.source, body) for table in page.tables)

    def src_uri(self, docname: str) -> str:
        return next((uri for uri, name in self.docnames.items() if name == docname), "")

    def take(self, docname: str, info: str, body: str) -> str | None:
        """The HTML of the page's next `info` fence holding `body` (None if there is none)."""
        assert self.pages is not None
        if docname not in self.placed:
            self.placed[docname] = self.pages.fragments(self.src_uri(docname))
        pending = self.placed[docname]
        for k, fragment in enumerate(pending):
            if fragment.info == info and same_body(fragment.body, body):
                return pending.pop(k).html
        return None

    def fingerprints(self) -> dict[str, str]:
        """A digest of each page's blocks and tables as HTML, by docname."""
        assert self.pages is not None
        return {
            self.docnames[uri]: hashlib.sha256(
                "\0".join(f.html for f in self.pages.fragments(uri)).encode()).hexdigest()
            for uri, page in self.scan.pages.items() if page.blocks or page.tables
        }


_sites: WeakKeyDictionary[Sphinx, CheckedSite] = WeakKeyDictionary()


def checked_site(app: Sphinx) -> CheckedSite:
    return _sites[app]


def scan(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Check every block of the project (cached, in parallel) before any page is read, so a
    table may list blocks of pages read after it; each bad block is said now, with its place."""
    pages = markdown_pages(env)
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
    _sites[app] = CheckedSite(site_scan, {page.src_uri: docname for docname, page in pages.items()})
    for problem in site_scan.problems():
        say_error(problem)


def cache_folder(app: Sphinx) -> Path:
    """`mathcheck_cache_dir` (relative to conf.py's folder), else $MATHCHECK_CACHE_DIR, else
    `mathcheck/` in the build's doctree folder (`_build/doctrees`: cleaned with the build)."""
    if app.config.mathcheck_cache_dir:
        return Path(app.confdir) / app.config.mathcheck_cache_dir
    if os.environ.get("MATHCHECK_CACHE_DIR"):
        return default_cache_dir()
    return Path(app.doctreedir) / "mathcheck"


def say_error(message: str) -> None:
    """An error at the file and line the message begins with, as Sphinx names places."""
    located = _LOCATED.match(message)
    if located is None:
        logger.error(message)
    else:
        logger.error(located["rest"], location=f"{located['file']}:{located['line']}")


def place_in_order(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once every page is read: the pages in the toctree's order (which numbers the blocks);
    the pages whose blocks or tables now read otherwise than when last written, to be written."""
    site = checked_site(app)
    order = [uri for docname in toctree_order(env, app.config.root_doc)
             for uri, name in site.docnames.items() if name == docname]

    def link(here: str, there: str) -> str:
        try:
            return app.builder.get_relative_uri(site.docnames[here], site.docnames[there])
        except NoUri:
            return ""

    site.pages = LinkedPages(site.scan, order, verified_page=verified_page(app, site), link=link)
    for messages in unchecked(env).values():
        for message in messages:
            say_error(message)
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
    site = _sites.get(app)
    if exception is not None or site is None:
        return
    problems = site.scan.problems() + [message for messages in unchecked(app.env).values() for message in messages]
    if problems:
        logger.error(f"mathcheck: {len(problems)} derivation block(s) or table(s) are wrong (listed above)")
        app.statuscode = 1


def unchecked(env: BuildEnvironment) -> dict[str, list[str]]:
    """Why each fence the scan did not find stands unchecked, by docname (kept with the environment)."""
    if not hasattr(env, "mathcheck_unchecked"):
        env.mathcheck_unchecked = {}
    return env.mathcheck_unchecked


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    unchecked(env).pop(docname, None)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: list[str], other: BuildEnvironment) -> None:
    unchecked(env).update({docname: unchecked(other)[docname] for docname in docnames
                           if docname in unchecked(other)})
