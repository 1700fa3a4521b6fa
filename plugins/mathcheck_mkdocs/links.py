"""Page URLs as MkDocs-family builders make them, and links between pages."""

from __future__ import annotations

import posixpath


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The site-relative URL of the page built from `src_uri` (`a/b.md` -> `a/b/`, `a/index.md` -> `a/`;
    `a/b.html` and `a/index.html` without directory URLs)."""
    stem = posixpath.splitext(src_uri)[0]
    folder, name = posixpath.split(stem)
    index = name in ("index", "README")
    if not directory_urls:
        return posixpath.join(folder, "index.html") if index else f"{stem}.html"
    if index:
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def relative_url(target: str, page: str) -> str:
    """A link from the page at site-relative URL `page` to the site-relative URL `target`."""
    folder = page if not page or page.endswith("/") else posixpath.dirname(page) + "/"
    link = posixpath.relpath("/" + target, "/" + folder)
    if not target or target.endswith("/"):
        return "./" if link == "." else link + "/"
    return link
