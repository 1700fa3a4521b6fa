"""The Sphinx extension's fixture site, built with sphinx-build and opened in headless
Chromium: blocks and prose math typeset by the KaTeX served with the site, the evidence
opens, a table's link lands on its block, and no request leaves 127.0.0.1."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from test_browser_site import ALL_MATH_TYPESET, RAW_TEX

SPHINX_SITE = Path(__file__).resolve().parents[1] / "sphinx" / "fixtures" / "site"
TEXT_OUTSIDE_MATH_AND_CODE = """() => {
  const copy = document.querySelector('[role="main"]').cloneNode(true);
  copy.querySelectorAll('.katex, pre, code').forEach(element => element.remove());
  return copy.textContent;
}"""


@pytest.fixture(scope="module")
def sphinx_site(tmp_path_factory: pytest.TempPathFactory, serve) -> str:
    """The fixture site, built by sphinx-build and served."""
    root = tmp_path_factory.mktemp("sphinx")
    shutil.copytree(SPHINX_SITE, root / "site")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(root / "doctrees"), "-D",
         f"mathcheck_cache_dir={root / 'cache'}", str(root / "site"), str(root / "html")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False, timeout=600,
    )
    assert result.returncode == 0, result.stdout
    return serve(root / "html")


def assert_math_typeset(page: Page) -> None:
    page.wait_for_function(ALL_MATH_TYPESET, timeout=15_000)
    assert page.locator(".katex-error").count() == 0
    leftover = RAW_TEX.findall(page.evaluate(TEXT_OUTSIDE_MATH_AND_CODE))
    assert not leftover, f"raw TeX visible on {page.url}: {leftover}"


def test_blocks_and_prose_math_are_typeset_offline(page: Page, sphinx_site: str, artifacts: Path,
                                                   external_requests: list[str]) -> None:
    page.goto(sphinx_site + "guide/rules.html")
    assert_math_typeset(page)
    assert page.locator(".mathcheck-block .katex-display").count() >= 3
    verdict = page.locator("#sum-x details.mathcheck-verdict")
    verdict.locator("summary").click()
    expect(verdict.locator(".mathcheck-evidence")).to_contain_text("Largest relative difference")
    assert_math_typeset(page)
    page.screenshot(path=artifacts / "sphinx-rules.png", full_page=True)
    page.goto(sphinx_site + "index.html")
    assert_math_typeset(page)
    assert page.locator(".math .katex, .arithmatex .katex").count() >= 2  # the prose's $...$ and $$...$$
    page.screenshot(path=artifacts / "sphinx-index.png", full_page=True)
    assert not external_requests, external_requests


def test_a_table_link_lands_on_its_block(page: Page, sphinx_site: str) -> None:
    page.goto(sphinx_site + "index.html")
    page.locator(".mathcheck-table a").first.click()
    page.wait_for_url(re.compile(r"/guide/rules\.html#sum-x$"))
    expect(page.locator("#sum-x")).to_be_in_viewport()
