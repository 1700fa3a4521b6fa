"""The site an extension scans for itself when no plugin feeds it (Zensical, plain Python-Markdown).

Under Zensical the page being rendered and the configuration are found in Zensical's
rendering context; every page of the docs folder is scanned, so tables list blocks of
other pages and blocks are numbered by the navigation. A scan is kept while no page
changes, so a build scans once however many pages it renders.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from markdown import Markdown

from mathcheck import default_cache_dir

from .fragments import SitePages
from .scan import SourcePage, scan_site
from .templating import use_overrides

LONE_PAGE = "page.md"
_scans: dict[tuple, SitePages] = {}
_lock = threading.Lock()


def standalone_site(md: Markdown, text: str, options: dict[str, Any]) -> tuple[SitePages, str]:
    """The scanned site and the src_uri of the page being rendered."""
    config = zensical_config(md)
    if config is None:
        return scanned(Path.cwd(), [SourcePage(LONE_PAGE, "<markdown>", text)], [LONE_PAGE], True, options), LONE_PAGE
    theme = config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    use_overrides([Path(config.get("root_dir") or ".") / custom_dir] if custom_dir else [])
    context = md.preprocessors["rendering_context"]
    root = Path(config.get("root_dir") or ".").resolve()
    docs = (root / config["docs_dir"]).resolve()
    pages = [
        SourcePage(path.relative_to(docs).as_posix(), os.path.relpath(path, root),
                   path.read_text(encoding="utf-8-sig", errors="replace"))
        for path in sorted(docs.rglob("*.md"))
    ]
    page = Path(context.page.path)
    src_uri = (page.resolve().relative_to(docs) if page.is_absolute() else page).as_posix()
    order = nav_order(config.get("nav") or []) or default_order([page.src_uri for page in pages])
    site = scanned(root, pages, order, bool(config.get("use_directory_urls", True)), options)
    return site, src_uri


def zensical_config(md: Markdown) -> dict[str, Any] | None:
    """Zensical's configuration, from its rendering context; None when not run by Zensical."""
    context = md.preprocessors["rendering_context"] if "rendering_context" in md.preprocessors else None
    config = getattr(context, "config", None)
    return config if isinstance(config, dict) and "docs_dir" in config else None


def scanned(root: Path, pages: list[SourcePage], order: list[str], directory_urls: bool,
            options: dict[str, Any]) -> SitePages:
    """The site of these pages, scanned now or kept from the last scan of the same pages."""
    cache_dir = root / (options["cache_dir"] or default_cache_dir())
    jobs, time_limit, layout = int(options["jobs"]), float(options["time_limit"]), options["layout"]
    verified_page = options["verified_page"]
    key = (str(root), tuple(order), directory_urls, str(cache_dir), jobs, time_limit, layout, verified_page,
           tuple((page.src_uri, page.text) for page in pages))
    with _lock:
        if key not in _scans:
            scan = scan_site(pages, jobs=jobs, time_limit=time_limit, cache_dir=cache_dir, layout=layout)
            _scans.clear()
            _scans[key] = SitePages(scan, order, directory_urls, verified_page)
        return _scans[key]


def nav_order(nav: list) -> list[str]:
    """The pages of a navigation (Zensical's form: items with `url` and `children`), in order."""
    order: list[str] = []
    for item in nav:
        if isinstance(item, list):
            order += nav_order(item)
        elif isinstance(item, dict):
            url = item.get("url")
            if isinstance(url, str) and url.endswith(".md"):
                order.append(url)
            order += nav_order(item.get("children") or [])
    return order


def default_order(src_uris: list[str]) -> list[str]:
    """The pages in the order of a navigation left unwritten: by folder, each folder's index first."""
    def key(src_uri: str) -> tuple:
        *folders, name = src_uri.split("/")
        return tuple(folders), Path(name).stem not in ("index", "README"), name
    return sorted(src_uris, key=key)
