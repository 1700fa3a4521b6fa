"""Every page of the built site read on a phone (390 px), a desktop (1280 px) and paper:
no formula or table is cut, sideways scrolling is shown, text is readable in both palettes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Page

from test_browser_site import assert_math_typeset

WIDTHS = (390, 1280)
PRINT_WIDTH = 718  # A4 at 96 px per inch, less Chromium's default margins
PALETTES = ("default", "slate")

# Each box (a block, a table, a display formula outside blocks): does its content overflow
# the box, and if so is that a problem (clipped, or scrolling without the cue)? On paper
# nothing scrolls, so there any overflow is a problem.
MEASURE = """(paper) => {
  const article = document.querySelector('article');
  const column = article.parentElement.getBoundingClientRect();  // with the article's padding
  const shown = e => e.getClientRects().length > 0;
  const wrappers = '.mathcheck-block, .mathcheck-table, .md-typeset__scrollwrap';
  const boxes = [...article.querySelectorAll(wrappers + ', table, div.arithmatex')]
    .filter(b => shown(b) && (b.matches(wrappers) ? !b.parentElement.closest(wrappers) : !b.closest(wrappers)));
  const results = boxes.map(box => {
    const name = box.id || (box.closest('[id]') || {}).id || box.tagName.toLowerCase();
    const problems = [];
    let overflows = false;
    const outside = e => { const r = e.getBoundingClientRect();
      return r.right > column.right + 1 || r.left < column.left - 1; };
    if (outside(box)) { overflows = true; problems.push('box wider than the column'); }
    const inside = [box, ...box.querySelectorAll('*')].filter(e => shown(e) && !e.parentElement.closest('.katex'));
    for (const e of inside) {
      const ox = getComputedStyle(e).overflowX;
      if (ox === 'visible' || e.scrollWidth <= e.clientWidth + 1) continue;
      overflows = true;
      const what = `${e.className || e.tagName} ${e.scrollWidth}px in ${e.clientWidth}px`;
      if (paper) problems.push('cut on paper: ' + what);
      else if (ox !== 'auto' && ox !== 'scroll') problems.push('clipped: ' + what);
      else if (!e.classList.contains('mathcheck-scrolls')) problems.push('scrolls with no cue: ' + what);
    }
    for (const e of box.querySelectorAll('.katex-html, table')) {
      if (!shown(e) || !outside(e)) continue;
      let s = e.parentElement, scroller = null;
      while (s && s !== box.parentElement) {
        if (getComputedStyle(s).overflowX !== 'visible') { scroller = s; break; }
        s = s.parentElement;
      }
      if (!scroller) { overflows = true; problems.push('sticks out of the column'); }
    }
    const kind = box.matches('.mathcheck-block') ? 'block' : box.matches('div.arithmatex') ? 'formula' : 'table';
    return {name, kind, overflows, problems};
  });
  const page = document.scrollingElement.scrollWidth > window.innerWidth + 1;
  return {results, page};
}"""


def site_pages(built: Path) -> list[str]:
    return sorted(path.parent.relative_to(built).as_posix() for path in built.glob("**/index.html"))


def measure(page: Page, url: str, paths: list[str], paper: bool = False) -> tuple[int, Counter, list[str]]:
    """(boxes, boxes whose content overflows by kind, problems) over the pages at `paths`."""
    boxes = 0
    overflowing: Counter = Counter()
    problems: list[str] = []
    for path in paths:
        page.goto(url + ("" if path == "." else path + "/"))
        if page.locator(".arithmatex").count():
            assert_math_typeset(page)
        page.evaluate("document.fonts.ready")
        if paper:
            page.emulate_media(media="print")
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.wait_for_timeout(50)
        found = page.evaluate(MEASURE, paper)
        if found["page"]:
            problems.append(f"{path}: the page scrolls sideways")
        boxes += len(found["results"])
        overflowing.update(r["kind"] for r in found["results"] if r["overflows"])
        problems += [f"{path}#{r['name']}: {p}" for r in found["results"] for p in r["problems"]]
        if paper:
            page.emulate_media(media="screen")
    return boxes, overflowing, problems


@pytest.mark.parametrize("width", WIDTHS)
def test_no_formula_or_table_is_cut(page: Page, real_site: tuple[str, Path], width: int) -> None:
    url, built = real_site
    page.set_viewport_size({"width": width, "height": 900})
    boxes, overflowing, problems = measure(page, url, site_pages(built))
    print(f"{width} px: of {boxes} boxes, these scroll sideways: {dict(overflowing)}")
    assert boxes > 100
    assert not problems, "\n".join(problems)


def test_nothing_is_cut_on_paper(page: Page, real_site: tuple[str, Path]) -> None:
    url, built = real_site
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
    boxes, overflowing, problems = measure(page, url, site_pages(built), paper=True)
    print(f"print: of {boxes} boxes, these overflow: {dict(overflowing)}")
    assert boxes > 100
    assert not problems, "\n".join(problems)
