"""The backpropagation cookbook and the pages written like it (the reference identities, the
derivative as a linear map) on a phone-sized screen: every formula fits its column."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from test_browser_site import assert_math_typeset

COOKBOOK = ["backprop/", "backprop-activations/", "backprop-losses/", "backprop-network/", "backprop-layers/",
            "backprop-attention/", "identities/", "identities-matrix/", "linear-map/"]

# the blocks' formulas and the paragraphs (their inline math and inline code cannot wrap);
# the evidence panel's matrices of sampled values scroll by design
OVERFLOWING_MATH = """() => [...document.querySelectorAll('article .arithmatex, article p')]
  .filter(element => !element.closest('.mathcheck-verdict'))
  .filter(element => element.scrollWidth > element.clientWidth + 1)
  .map(element => (element.closest('[id]') || element).id + ': ' + element.scrollWidth + ' > ' + element.clientWidth)"""

WIDE_IMAGES = """() => [...document.querySelectorAll('article img')]
  .filter(image => !image.complete || image.naturalWidth === 0
          || image.getBoundingClientRect().width > document.querySelector('article').clientWidth)
  .map(image => image.src)"""


@pytest.mark.parametrize("path", COOKBOOK)
def test_no_formula_is_clipped_at_390_px(page: Page, real_site: tuple[str, Path], artifacts: Path,
                                         path: str) -> None:
    url, _ = real_site
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + path)
    assert_math_typeset(page)
    assert page.locator("article .mathcheck-block").count() >= 5
    assert page.evaluate(OVERFLOWING_MATH) == []
    assert page.evaluate(WIDE_IMAGES) == []
    page.screenshot(path=artifacts / f"site-{path.strip('/')}-390.png", full_page=True)
