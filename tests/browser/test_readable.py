"""Every page of the built site read on a phone (390 px), a desktop (1280 px) and paper:
no formula or table is cut, sideways scrolling is shown, text is readable in both palettes."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

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
  const shown = e => e.checkVisibility();
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
    if (box.closest('.mathcheck-table, .md-typeset__scrollwrap') && box.querySelector('table[class]'))
      problems.push('a class on a table (Material styles only tables without one)');
    const inside = [box, ...box.querySelectorAll('*')].filter(e => shown(e) && !e.parentElement.closest('.katex'));
    for (const e of inside) {
      const ox = getComputedStyle(e).overflowX;
      if (ox === 'visible' || e.scrollWidth <= e.clientWidth + 1) continue;
      overflows = true;
      const what = `${e.className || e.tagName} ${e.scrollWidth}px in ${e.clientWidth}px`;
      if (paper) problems.push('cut on paper: ' + what);
      else if (ox !== 'auto' && ox !== 'scroll') problems.push('clipped: ' + what);
      else if (!e.hasAttribute('data-mathcheck-scrolls')) problems.push('scrolls with no cue: ' + what);
      else if (!getComputedStyle(e).backgroundImage.includes('radial-gradient')
               || [...e.querySelectorAll('table')].some(t => !/rgba\\(.*, 0\\)|transparent/.test(getComputedStyle(t).backgroundColor)))
        problems.push('its scroll shadows are hidden: ' + what);
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


def measure(page: Page, url: str, paths: list[str], paper: bool = False,
            shown: list | None = None) -> tuple[int, Counter, list[str]]:
    """(boxes, boxes whose content overflows by kind, problems) over the pages at `paths`;
    `shown` collects what each block with a layout shows (`SHOWN_LAYOUTS`)."""
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
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the evidence too
        page.wait_for_timeout(100)
        found = page.evaluate(MEASURE, paper)
        if shown is not None:
            shown += page.evaluate(SHOWN_LAYOUTS)
        if found["page"]:
            problems.append(f"{path}: the page scrolls sideways")
        boxes += len(found["results"])
        overflowing.update(r["kind"] for r in found["results"] if r["overflows"])
        problems += [f"{path}#{r['name']}: {p}" for r in found["results"] for p in r["problems"]]
        if paper:
            page.emulate_media(media="screen")
    return boxes, overflowing, problems


# Each block with a layout, as (the layout of the shape it shows, how many claims it shows),
# and each table row's layout cell that the switch can change, as (the text it shows, 1).
SHOWN_LAYOUTS = """() => [...document.querySelectorAll('.mathcheck-block')]
  .filter(block => block.querySelector('.mathcheck-alt'))
  .map(block => [[...block.querySelectorAll('.mathcheck-heading .mathcheck-shape')].filter(e => e.checkVisibility())
                   .map(e => e.title.split(', ')[1].split(' ')[0]).join(),
                 [...block.querySelectorAll(':scope > .arithmatex, :scope > .mathcheck-alt > .arithmatex')]
                   .filter(e => e.checkVisibility()).length])
  .concat([...document.querySelectorAll('.mathcheck-table td[data-label="Layout"]')]
    .filter(cell => cell.querySelector('.mathcheck-alt')).map(cell => [cell.innerText.trim(), 1]))"""


@pytest.mark.parametrize("layout", ["numerator", "denominator"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_formula_or_table_is_cut(page: Page, real_site: tuple[str, Path], width: int, layout: str) -> None:
    """In either layout of the switch, on every page: nothing cut, every block in that layout."""
    url, built = real_site
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.evaluate(f"localStorage.setItem('mathcheck.layout', '{layout}')")
    shown: list = []
    boxes, overflowing, problems = measure(page, url, site_pages(built), shown=shown)
    print(f"{width} px, {layout}: of {boxes} boxes, these scroll sideways: {dict(overflowing)}; "
          f"{len(shown)} blocks with a layout")
    assert boxes > 100 and len(shown) > 150
    assert all(item == [layout, 1] for item in shown), [item for item in shown if item != [layout, 1]]
    assert not problems, "\n".join(problems)


def test_nothing_is_cut_on_paper(page: Page, real_site: tuple[str, Path]) -> None:
    url, built = real_site
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
    boxes, overflowing, problems = measure(page, url, site_pages(built), paper=True)
    print(f"print: of {boxes} boxes, these overflow: {dict(overflowing)}")
    assert boxes > 100
    assert not problems, "\n".join(problems)


# Each open table of rules: its width against its column's, and in each cell, pairs of
# formula pieces on different lines that overlap, and separators left visible.
TABLE_LINES = """() => [...document.querySelectorAll('article .mathcheck-table table')]
  .filter(t => t.checkVisibility()).map(t => {
    const column = t.closest('.md-typeset__scrollwrap').parentElement.getBoundingClientRect().width;
    const overlaps = [];
    for (const formula of t.querySelectorAll('td .katex-html')) {
      // the pieces, in lines: a piece left of the one before it starts a new line
      const lines = [];
      let right = Infinity;
      for (const piece of formula.querySelectorAll(':scope > .katex-base')) {
        const box = piece.getBoundingClientRect();
        if (box.left < right - 1) lines.push([]);
        lines[lines.length - 1].push(box);
        right = box.right;
      }
      for (let i = 1; i < lines.length; i++) {
        const above = Math.max(...lines[i - 1].map(b => b.bottom)), below = Math.min(...lines[i].map(b => b.top));
        if (below < above - 1) overlaps.push(formula.closest('td').innerText.replace(/\\s+/g, ' ').slice(0, 60));
      }
    }
    const commas = [...t.querySelectorAll('.mathcheck-sep')].filter(e => e.checkVisibility()).length;
    return {width: t.getBoundingClientRect().width, column, overlaps, commas};
  })"""


def test_tables_of_rules_fill_the_column_and_no_formula_overlaps_itself(page: Page, real_site: tuple[str, Path]) -> None:
    """At 1280 px, on the reference pages: every table as wide as its column (or wider, and
    scrolling), a formula broken across lines with its lines apart, one definition a line."""
    url, _ = real_site
    page.set_viewport_size({"width": 1280, "height": 900})
    tables, problems = 0, []
    for path in ("reference", "reference-layers", "reference-identities"):
        page.goto(url + path + "/")
        assert_math_typeset(page)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        for table in page.evaluate(TABLE_LINES):
            tables += 1
            if table["width"] < table["column"] - 2:
                problems.append(f"{path}: a table {table['width']:.0f} px wide in a {table['column']:.0f} px column")
            problems += [f"{path}: lines overlap in '{text}'" for text in table["overlaps"]]
            if table["commas"]:
                problems.append(f"{path}: {table['commas']} commas between definitions shown one a line")
        for layout in ("written", "numerator", "denominator"):   # no table wider than its column
            page.evaluate(f"localStorage.setItem('mathcheck.layout', '{layout}')")
            page.reload()
            assert_math_typeset(page)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            problems += [f"{path}, {layout}: a table {wide} px wide in a {column} px column"
                         for wide, column in page.evaluate(WIDER_THAN_COLUMN)]
        page.evaluate("localStorage.removeItem('mathcheck.layout')")
    assert tables >= 25
    assert not problems, "\n".join(problems)


WIDER_THAN_COLUMN = """() => [...document.querySelectorAll('.mathcheck-table .md-typeset__scrollwrap')]
  .filter(t => t.getClientRects().length && t.scrollWidth > t.clientWidth + 1)
  .map(t => [t.scrollWidth, t.clientWidth])"""


def test_a_phone_card_labels_only_what_it_shows(page: Page, real_site: tuple[str, Path]) -> None:
    """At 390 px a table row is a card of labelled cells: a rule that holds everywhere shows
    no "Holds when" over nothing."""
    url, _ = real_site
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(url + "reference-layers/")
    assert_math_typeset(page)
    shown = page.evaluate("""() => [...document.querySelectorAll('.mathcheck-table td[data-label]')]
      .filter(td => td.checkVisibility()).map(td => [td.dataset.label, td.textContent.trim() !== ''])""")
    assert any(label == "Holds when" for label, _ in shown)
    assert all(filled for _, filled in shown), [label for label, filled in shown if not filled]


# WCAG's contrast of each visible run of text against what lies behind it: the first
# ancestor with a background colour (translucent ones composed over the page).
CONTRAST = """() => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, below) => top.slice(0, 3).map((v, i) => v * top[3] + below[i] * (1 - top[3])).concat([1]);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = e => {
    const layers = [];
    for (let a = e; a; a = a.parentElement) {
      const c = parse(getComputedStyle(a).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const found = [];
  const walker = document.createTreeWalker(document.querySelector('.md-main'), NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const e = node.parentElement;
    if (!node.textContent.trim() || seen.has(e) || !e.getClientRects().length) continue;
    if (e.closest('.katex-mathml, .md-sidebar, .md-nav, [hidden], svg')) continue;
    const style = getComputedStyle(e);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    seen.add(e);
    const bg = background(e);
    const fg = over(parse(style.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    found.push({text: node.textContent.trim().slice(0, 30), cls: e.className, ratio: (hi + 0.05) / (lo + 0.05)});
  }
  return found;
}"""
CONTRAST_PAGES = (".", "scalar-rules", "jacobian", "chain-rules", "loss-gradient", "reference", "reference-layers", "notation")


@pytest.mark.parametrize("palette", PALETTES)
def test_every_text_and_badge_meets_wcag_aa(page: Page, real_site: tuple[str, Path], palette: str) -> None:
    url, _ = real_site
    page.set_viewport_size({"width": 1280, "height": 900})
    lowest: dict[str, float] = {}
    failures: list[str] = []
    for path in CONTRAST_PAGES:
        page.goto(url + ("" if path == "." else path + "/"))
        assert_math_typeset(page)
        # no transitions: colours are read at once, not halfway from the other palette
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{palette}')")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        for text in page.evaluate(CONTRAST):
            kind = "badge" if "mathcheck-badge" in text["cls"] or "mathcheck-open" in text["cls"] else "text"
            lowest[kind] = min(lowest.get(kind, 21.0), text["ratio"])
            if text["ratio"] < 4.5:
                failures.append(f"{path}: {text['ratio']:.2f}:1 for '{text['text']}' ({text['cls']})")
    print(f"{palette}: lowest contrast " + ", ".join(f"{k} {v:.2f}:1" for k, v in sorted(lowest.items())))
    assert "badge" in lowest and "text" in lowest
    assert not failures, "\n".join(sorted(set(failures)))


# Each diagram's smallest text as drawn: its font size in the drawing's units times the
# scale at which the page shows the drawing.
SMALLEST_TEXT = """async () => {
  const found = [];
  for (const img of document.querySelectorAll('article img[src$=".svg"]')) {
    await img.decode();
    const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(), 'image/svg+xml').documentElement;
    const width = Number(svg.getAttribute('viewBox').split(/[ ,]+/)[2]);
    const size = e => { for (let a = e; a && a.getAttribute; a = a.parentNode) {
      if (a.getAttribute('font-size')) return Number(a.getAttribute('font-size')); } return 16; };
    const sizes = [...svg.querySelectorAll('text, tspan')].filter(t => t.textContent.trim()).map(size);
    const column = document.querySelector('article').getBoundingClientRect().width;
    found.push({src: img.getAttribute('src'), px: Math.min(...sizes) * img.getBoundingClientRect().width / width,
                fits: img.getBoundingClientRect().width <= column + 1});
  }
  return found;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_diagrams_are_readable(page: Page, real_site: tuple[str, Path], width: int) -> None:
    url, built = real_site
    page.set_viewport_size({"width": width, "height": 900})
    diagrams = []
    for path in site_pages(built):
        page.goto(url + ("" if path == "." else path + "/"))
        diagrams += [(path, d) for d in page.evaluate(SMALLEST_TEXT)]
    assert len(diagrams) >= 7
    print(f"{width} px: smallest diagram text {min(d['px'] for _, d in diagrams):.1f} px")
    small = [f"{path}: {d['src']} text at {d['px']:.1f} px" for path, d in diagrams if d["px"] < 10 or not d["fits"]]
    assert not small, "\n".join(small)
    page.goto(url + "elementwise/")
    assert page.locator('article img[src$="diagonal-jacobian.svg"]').count() == 1


def test_the_shapes_picture_names_every_cell_in_bold_where_it_should(real_site: tuple[str, Path]) -> None:
    """Four cells, each with its derivative's symbol; vectors (f, x in the vector cells) bold."""
    svg = (real_site[1] / "img" / "jacobian-shapes.svg").read_text()
    symbols = re.findall(r"<text[^>]*>∂(.*?)</text>", svg)
    assert len(symbols) == 4
    bold = [s.count('font-weight="bold"') for s in symbols]
    assert bold == [0, 1, 1, 2], symbols


def test_search_results_read_math_as_text(page: Page, real_site: tuple[str, Path]) -> None:
    url, built = real_site
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    outside_code = re.sub(r"<code>.*?</code>", "", text, flags=re.S)   # code, on one line or many
    leftover = re.findall(r"\\[A-Za-z]+|\\[()\[\]]", outside_code)
    assert not leftover, f"TeX in the search index: {sorted(set(leftover))[:10]}"
    assert "∂/∂w max(0, wᵀ x + b)" in text
    page.goto(url)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("Jacobian")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    shown = page.locator(".md-search-result").inner_text()
    assert not re.search(r"\\[A-Za-z]+|\\[()\[\]]", shown), shown[:500]


A4 = {"width": 794, "height": 1123}  # px at 96 per inch; Playwright prints without margins


def test_print_breaks_long_blocks_between_formulas(page: Page, real_site: tuple[str, Path], artifacts: Path) -> None:
    """Blocks may break across pages (only each formula and the heading with what follows stay
    together), so a long block never pushes a half-empty page ahead of it: the pages printed
    stay close to the article's printed height in pages (kept whole, blocks made 1.9 times as
    many on the chain-rules page)."""
    url, _ = real_site
    for path in ("chain-rules", "loss-gradient", "jacobian"):
        page.set_viewport_size(A4)
        page.goto(url + path + "/")
        assert_math_typeset(page)
        page.emulate_media(media="print")
        styles = page.evaluate("""() => [...document.querySelectorAll('.mathcheck-block')].map(b =>
            getComputedStyle(b).breakInside)""")
        assert styles and set(styles) == {"auto"}, set(styles)
        assert page.evaluate("getComputedStyle(document.querySelector('.katex-display')).breakInside") == "avoid"
        height = page.evaluate("document.querySelector('article').getBoundingClientRect().height")
        pdf = page.pdf(format="A4")
        (artifacts / f"site-{path}.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        print(f"{path}: {pages} pages printed for {height / A4['height']:.1f} pages of article")
        assert pages <= height / A4["height"] * 1.5 + 1, (path, pages, height / A4["height"])
        page.emulate_media(media="screen")


def test_every_evidence_panel_links_to_what_verified_means(page: Page, real_site: tuple[str, Path]) -> None:
    url, built = real_site
    page.goto(url + "jacobian/")
    links = page.locator(".mathcheck-about a")
    assert links.count() == page.locator(".mathcheck-block:not(.mathcheck-bad)").count() > 10
    page.locator("#matrix-bilinear-gradient summary").click()
    page.locator("#matrix-bilinear-gradient .mathcheck-about a").click()
    page.wait_for_url(re.compile(r"/#what-verified-means$"))
    expect(page.locator("#what-verified-means")).to_be_in_viewport()
