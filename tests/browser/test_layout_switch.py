"""The layout switch in Chromium, on a phone (390 px) and a desktop (1280 px), in both
palettes: one control in Material's header sets every block and table row with a layout to
the reader's layout, the choice outlives instant navigation and a reload, paper shows each
block as written with a note, and no formula is cut in either layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from test_browser_site import assert_math_typeset
from test_readable import MEASURE, PALETTES, WIDTHS

# For each block with a layout: the layout of the shape shown beside its title, and how
# many of its statements (the claim in display math) are shown: exactly one, always.
SHOWN = """() => [...document.querySelectorAll('.mathcheck-block')]
  .filter(block => block.querySelector('.mathcheck-alt'))
  .map(block => {
    const shapes = [...block.querySelectorAll('.mathcheck-heading .mathcheck-shape')]
      .filter(e => e.checkVisibility());
    const claims = [...block.querySelectorAll(':scope > .arithmatex, :scope > .mathcheck-alt > .arithmatex')]
      .filter(e => e.checkVisibility());
    return {id: block.id, shapes: shapes.map(e => e.title.split(', ')[1].split(' ')[0]), claims: claims.length};
  })"""

# The layout of each table row's shape cell as shown: the cell holds the written shape and,
# after it, the other layout's in a `.mathcheck-alt` wrapper.
ROW_SHAPES = """() => [...document.querySelectorAll('.mathcheck-table tbody tr')].map(row => {
  const cell = row.querySelector('td[data-label="Shape"]');
  const alt = cell.querySelector('.mathcheck-alt');
  return alt ? (alt.checkVisibility() ? alt.dataset.layout : 'written') : 'none';
})"""


# The accessible names of the shapes pictures shown (each names its layout).
SHAPES_SHOWN = """() => [...document.querySelectorAll('.mathcheck-block svg.mathcheck-shapes')]
  .filter(svg => svg.checkVisibility()).map(svg => svg.getAttribute('aria-label'))"""


def blocks_in(page: Page, layout: str) -> tuple[int, int]:
    """(blocks with a layout, those showing exactly one statement, in `layout`)."""
    shown = page.evaluate(SHOWN)
    return len(shown), sum(b["shapes"] == [layout] and b["claims"] == 1 for b in shown)


def choose(page: Page, layout: str) -> None:
    button = page.locator(".md-header__inner .mathcheck-switch").get_by_role("button", name=layout)
    button.focus()
    page.keyboard.press("Enter")    # a real button: the keyboard works it
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("data-mathcheck-layout", layout)


def set_palette(page: Page, scheme: str) -> None:
    for _ in range(2):
        if page.locator("body").get_attribute("data-md-color-scheme") == scheme:
            return
        page.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)


@pytest.mark.parametrize("scheme", PALETTES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_switch_sets_every_block_and_is_remembered(page: Page, fixture_site: str, artifacts: Path,
                                                       width: int, scheme: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(fixture_site + "rules/")
    page.evaluate("localStorage.removeItem('mathcheck.layout')")
    page.reload()
    assert_math_typeset(page)
    set_palette(page, scheme)
    group = page.locator(".md-header__inner .mathcheck-switch[role=group]")
    expect(group).to_be_visible()
    expect(group.get_by_role("button")).to_have_count(3)
    expect(group.get_by_role("button", name="as written")).to_have_attribute("aria-pressed", "true")
    expect(group.get_by_role("button", name="numerator")).to_have_attribute("aria-pressed", "false")
    box, header = group.bounding_box(), page.locator(".md-header").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= header["height"]
    total, written = blocks_in(page, "numerator")
    assert total == 2 and written == total          # the fixture's two blocks are written in numerator
    assert page.locator(".mathcheck-layout-note:visible").count() == 0   # the script runs: no note

    for layout in ("denominator", "numerator"):
        choose(page, layout)
        page.evaluate("document.fonts.ready")
        assert blocks_in(page, layout) == (total, total)
        # a block shown in a layout other than its page's says that the text speaks of the other
        switched = page.locator(".mathcheck-layout-switched:visible")
        expect(switched).to_have_count(total if layout == "denominator" else 0)
        found = page.evaluate(MEASURE, False)
        problems = [p for r in found["results"] for p in r["problems"]]
        assert not problems and not found["page"], problems
        page.screenshot(path=artifacts / f"layout-{layout}-{width}-{scheme}.png")
        page.evaluate("document.querySelectorAll('.mathcheck-verdict').forEach(d => d.open = true)")
        pictured = page.evaluate(SHAPES_SHOWN)   # the shapes in the evidence follow the switch too
        assert len(pictured) == total and all(label.endswith(f" in {layout} layout") for label in pictured), pictured
        page.evaluate("document.querySelectorAll('.mathcheck-verdict').forEach(d => d.open = false)")

    choose(page, "denominator")   # back to "as written": each block in its own layout again
    written_button = group.get_by_role("button", name="as written")
    written_button.click()
    expect(written_button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).not_to_have_attribute("data-mathcheck-layout", re.compile(".*"))
    assert blocks_in(page, "numerator") == (total, total)
    assert page.evaluate("localStorage.getItem('mathcheck.layout')") == "written"

    assert not errors, errors   # the script ran to its end at each switch
    choose(page, "denominator")
    page.locator(".md-header").screenshot(path=artifacts / f"layout-header-{width}-{scheme}.png")
    page.emulate_media(media="print")   # on paper: as written, and said so
    assert blocks_in(page, "numerator") == (total, total)
    expect(page.locator(".mathcheck-layout-note").first).to_be_visible()
    expect(page.locator(".mathcheck-layout-note").first).to_have_text("Shown as written: numerator layout.")
    expect(group).to_be_hidden()
    page.emulate_media(media="screen")

    page.evaluate("window.loadedOnce = true")   # instant navigation to the table's page
    page.evaluate("[...document.querySelectorAll('a.md-nav__link')]"
                  ".find(a => a.textContent.includes('Rules at a glance')).click()")
    page.wait_for_url(re.compile(r":\d+/$"))
    assert_math_typeset(page)
    assert page.evaluate("window.loadedOnce === true"), "the click reloaded the page"
    expect(page.locator(".md-header__inner .mathcheck-switch")).to_have_count(1)
    expect(page.locator(".md-header__inner .mathcheck-switch").get_by_role("button", name="denominator")) \
        .to_have_attribute("aria-pressed", "true")
    shapes = page.evaluate(ROW_SHAPES)
    assert shapes.count("denominator") == 2 and "written" not in shapes, shapes
    page.reload()
    assert_math_typeset(page)
    assert page.evaluate(ROW_SHAPES).count("denominator") == 2
    page.goto(fixture_site + "rules/#sum-x")
    expect(page.locator("#sum-x")).to_be_in_viewport()
    assert blocks_in(page, "denominator") == (total, total)
    page.evaluate("localStorage.removeItem('mathcheck.layout')")   # the other tests read as written
