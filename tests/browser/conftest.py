"""Built sites served on 127.0.0.1, and Debian's chromium driven by Playwright.

Every request the browser makes is recorded; any that is not for 127.0.0.1 is aborted, and
`external_requests` lists it so that a test can fail on it.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route, sync_playwright
from site_builds import FIXTURE_SITE, REPO, build

ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output free of access logs."""


@pytest.fixture(scope="session")
def serve() -> Iterator:
    """Serves a (new, empty) folder on 127.0.0.1 and returns its URL; servers stop at the end."""
    servers: list[ThreadingHTTPServer] = []

    def start(directory: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory, serve) -> str:
    """The plugin's fixture site (a table before its rules, steps, cases, prose math), built and served."""
    source = tmp_path_factory.mktemp("fixture") / "site-src"
    shutil.copytree(FIXTURE_SITE, source)
    (source / "built").mkdir()
    url = serve(source / "built")
    build(source, source / "built", url)
    return url


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory, serve) -> tuple[str, Path]:
    """This repository's site, built (with the repository's verdict cache) and served."""
    out = tmp_path_factory.mktemp("real")
    url = serve(out)
    build(REPO, out, url)
    return url, out


@pytest.fixture(scope="session")
def external_requests() -> list[str]:
    """URLs the browser asked for on any host but 127.0.0.1 (each was aborted)."""
    return []


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory, external_requests: list[str]) -> Iterator[BrowserContext]:
    """Chromium with a fresh profile; requests leaving 127.0.0.1 are recorded and aborted."""

    def only_localhost(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            external_requests.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        context.route("**/*", only_localhost)
        yield context
        context.close()


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    """A new tab, closed after the test."""
    tab = browser.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
