"""The built site in headless Chromium: typeset math, badges, table links, instant navigation,
search, palette, print, and not one request to another host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ALL_MATH_TYPESET = """() => {
  const math = [...document.querySelectorAll('.arithmatex')];
  return math.length > 0 && math.every(element => element.querySelector('.katex'));
}"""

TEXT_OUTSIDE_MATH_AND_CODE = """() => {
  const copy = document.querySelector('article').cloneNode(true);
  copy.querySelectorAll('.katex, pre, code').forEach(element => element.remove());
  return copy.textContent;
}"""

RAW_TEX = re.compile(r"\\(frac|mathbf|begin|end|partial|operatorname|left|right|cdot|top)\b|\\[()\[\]]|\$\$")


def assert_math_typeset(page: Page) -> None:
    """Every math element holds KaTeX output, none is a KaTeX error, and no TeX is left as text."""
    page.wait_for_function(ALL_MATH_TYPESET, timeout=15_000)
    assert page.locator(".katex-error").count() == 0
    leftover = RAW_TEX.findall(page.evaluate(TEXT_OUTSIDE_MATH_AND_CODE))
    assert not leftover, f"raw TeX visible on {page.url}: {leftover}"


def test_blocks_and_prose_math_are_typeset(page: Page, fixture_site: str, artifacts: Path) -> None:
    page.goto(fixture_site + "rules/")
    assert_math_typeset(page)
    assert page.locator(".mathcheck-block .katex-display").count() >= 4
    page.locator("#chain-sin-square").screenshot(path=artifacts / "fixture-block-with-steps.png")
    page.goto(fixture_site)
    assert_math_typeset(page)
    page.screenshot(path=artifacts / "fixture-index.png", full_page=True)


def test_badge_opens_to_the_evidence(page: Page, fixture_site: str, artifacts: Path) -> None:
    page.goto(fixture_site + "rules/")
    verdict = page.locator("#sum-x details.mathcheck-verdict")
    evidence = verdict.locator(".mathcheck-evidence")
    expect(evidence).to_be_hidden()
    verdict.locator("summary").click()
    expect(verdict).to_have_attribute("open", "")
    expect(evidence).to_be_visible()
    expect(evidence).to_contain_text("Sizes tried")
    expect(evidence).to_contain_text("Largest relative difference")
    panel = verdict.locator(".mathcheck-panel")
    expect(panel.locator("ol.mathcheck-checked li")).to_have_count(1)
    expect(panel.locator("ol.mathcheck-checked li")).to_contain_text("the claim")
    expect(panel).to_contain_text("finite differences of f give")
    assert_math_typeset(page)
    page.screenshot(path=artifacts / "fixture-rules-badge-open.png", full_page=True)


def test_table_link_lands_on_its_block(page: Page, fixture_site: str) -> None:
    page.goto(fixture_site)
    page.locator(".mathcheck-table a").first.click()
    page.wait_for_url(re.compile(r"/rules/#sum-x$"))
    expect(page.locator("#sum-x")).to_be_in_viewport()
    assert_math_typeset(page)


@pytest.mark.parametrize("fragment", ["%E0%A4%A", "%", "sum%2Dx"])
def test_a_malformed_or_encoded_hash_stops_nothing(page: Page, fixture_site: str, fragment: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(fixture_site + "rules/#" + fragment)
    assert_math_typeset(page)
    page.evaluate("document.fonts.ready")
    assert errors == []
    if fragment == "sum%2Dx":
        expect(page.locator("#sum-x")).to_be_in_viewport()


def test_math_renders_after_instant_navigation(page: Page, fixture_site: str) -> None:
    page.goto(fixture_site)
    assert_math_typeset(page)
    page.evaluate("window.loadedOnce = true")
    page.locator("article").get_by_role("link", name="the rules").click()
    page.wait_for_url(re.compile(r"/rules/$"))
    expect(page.locator("#sum-x")).to_be_attached()
    assert page.evaluate("window.loadedOnce === true"), "the click reloaded the page: no instant navigation"
    assert_math_typeset(page)


def test_search_finds_a_rule(page: Page, fixture_site: str) -> None:
    page.goto(fixture_site)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("Hadamard")
    expect(page.locator(".md-search-result__item").first).to_contain_text("Hadamard")


def test_palette_toggles_to_dark_and_math_stays(page: Page, fixture_site: str, artifacts: Path) -> None:
    page.goto(fixture_site + "rules/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert_math_typeset(page)
    page.screenshot(path=artifacts / "fixture-rules-dark.png", full_page=True)


def test_every_page_of_the_site_is_typeset(page: Page, real_site: tuple[str, Path], artifacts: Path) -> None:
    url, built = real_site
    pages = sorted(path.parent.relative_to(built).as_posix() for path in built.glob("**/index.html"))
    assert len(pages) >= 10
    for path in pages:
        page.goto(url + ("" if path == "." else path + "/"))
        if page.locator(".arithmatex").count():
            assert_math_typeset(page)
    page.goto(url + "elementwise/")
    page.screenshot(path=artifacts / "site-elementwise.png", full_page=True)


def test_printed_page_is_the_article_alone(page: Page, real_site: tuple[str, Path], artifacts: Path) -> None:
    url, _ = real_site
    page.goto(url + "jacobian/")
    assert_math_typeset(page)
    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()
    page.screenshot(path=artifacts / "site-jacobian-print.png", full_page=True)
    assert len(page.pdf()) > 10_000


def test_no_request_leaves_localhost(
    page: Page, fixture_site: str, real_site: tuple[str, Path], external_requests: list[str]
) -> None:
    local: list[str] = []
    page.on("requestfinished", lambda request: local.append(request.url))
    for url in (fixture_site, fixture_site + "rules/", real_site[0], real_site[0] + "reference/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert any(request.endswith(".woff2") for request in local), "KaTeX's fonts were not loaded from the site"
    assert external_requests == []
