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

LONE_PAGE = "page.md"
_scans: dict[tuple, SitePages] = {}
_lock = threading.Lock()


def standalone_site(md: Markdown, text: str, options: dict[str, Any]) -> tuple[SitePages, str]:
    """The scanned site and the src_uri of the page being rendered."""
    context = md.preprocessors["rendering_context"] if "rendering_context" in md.preprocessors else None
    config = getattr(context, "config", None)
    if context is None or not isinstance(config, dict) or "docs_dir" not in config:
        root = Path.cwd()
        pages, order, directory_urls, page = [SourcePage(LONE_PAGE, "<markdown>", text)], [LONE_PAGE], True, LONE_PAGE
    else:
        root = Path(config.get("root_dir") or ".").resolve()
        docs = (root / config["docs_dir"]).resolve()
        pages = [
            SourcePage(path.relative_to(docs).as_posix(), os.path.relpath(path, root),
                       path.read_text(encoding="utf-8", errors="replace"))
            for path in sorted(docs.rglob("*.md"))
        ]
        order = nav_order(config.get("nav") or [])
        directory_urls = bool(config.get("use_directory_urls", True))
        page = Path(context.page.path).as_posix()
        if Path(page).is_absolute():
            page = Path(page).resolve().relative_to(docs).as_posix()
    cache_dir = root / (options["cache_dir"] or default_cache_dir())
    key = (str(root), tuple(order), directory_urls, str(cache_dir), int(options["jobs"]),
           float(options["time_limit"]), options["layout"], tuple((p.src_uri, p.text) for p in pages))
    with _lock:
        if key not in _scans:
            scan = scan_site(pages, jobs=int(options["jobs"]), time_limit=float(options["time_limit"]),
                             cache_dir=cache_dir, layout=options["layout"])
            _scans.clear()
            _scans[key] = SitePages(scan, order, directory_urls)
        return _scans[key], page


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
