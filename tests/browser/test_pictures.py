"""Pictures drawn from blocks, in a real Chromium at 390 and 1280 px in both palettes: each is
shown, none is clipped or makes the page scroll sideways, text is 11 px or more, and its
colours as the browser computes them give text 4.5:1 and lines 3:1 against their ground."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page

from site_builds import FIXTURE_SITE, REPO, build
from test_browser_site import assert_math_typeset

PAGES = {"pictures/": 2, "backprop-activations/": 3, "backprop-losses/": 2}  # page: pictures in its blocks
WIDTHS = (390, 1280)
PALETTES = ("default", "slate")

# Every visible picture: where it stands, how its figure scrolls, the smallest text as shown,
# and each painted mark's contrast against its ground, from the computed styles.
MEASURE = """() => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return m.length === 3 ? [...m, 1] : m; };
  const over = (top, ground) => top[3] >= 1 ? top :
    [0, 1, 2].map(k => top[k] * top[3] + ground[k] * (1 - top[3])).concat([1]);
  const lum = c => { const lin = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]; };
  const ratio = (a, b) => { const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
  const pageGround = e => { const layers = [];
    for (let a = e; a; a = a.parentElement) { const c = parse(getComputedStyle(a).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    return layers.reverse().reduce((g, c) => over(c, g), [255, 255, 255, 1]); };
  const article = document.querySelector('article').getBoundingClientRect();
  return [...document.querySelectorAll('article svg.mathcheck-picture')].filter(s => s.checkVisibility()).map(svg => {
    const box = svg.getBoundingClientRect();
    const figure = svg.closest('.mathcheck-figure');
    const scale = box.width / svg.viewBox.baseVal.width;
    const ground = pageGround(svg.parentElement);
    const marks = [];
    const rects = [...svg.querySelectorAll('rect')].filter(r => getComputedStyle(r).fill !== 'none');
    for (const t of svg.querySelectorAll('text')) {
      const c = t.getBBox(); const cx = c.x + c.width / 2, cy = c.y + c.height / 2;
      const under = rects.filter(r => { const b = r.getBBox();
        return b.x <= cx && cx <= b.x + b.width && b.y <= cy && cy <= b.y + b.height; }).pop();
      const behind = under ? over(parse(getComputedStyle(under).fill), ground) : ground;
      marks.push({what: 'text', cls: t.getAttribute('class'), ratio: ratio(over(parse(getComputedStyle(t).fill), behind), behind),
                  px: parseFloat(getComputedStyle(t).fontSize) * scale});
    }
    for (const e of svg.querySelectorAll('path, polyline, polygon, rect, circle, line')) {
      const style = getComputedStyle(e);
      if (style.stroke !== 'none' && parseFloat(style.strokeWidth) > 0)
        marks.push({what: 'line', cls: e.getAttribute('class'), ratio: ratio(over(parse(style.stroke), ground), ground)});
      if (e.tagName === 'polygon' && style.fill !== 'none')
        marks.push({what: 'line', cls: e.getAttribute('class'), ratio: ratio(over(parse(style.fill), ground), ground)});
    }
    return {cls: svg.getAttribute('class'), width: box.width, height: box.height,
            inside: box.left >= article.left - 1 && box.right <= article.right + 1,
            scrolls: figure.scrollWidth > figure.clientWidth + 1 && getComputedStyle(figure).overflowX === 'auto'
                     && figure.hasAttribute('data-mathcheck-scrolls'),
            figureInside: figure.getBoundingClientRect().right <= article.right + 1, marks};
  });
}"""


@pytest.fixture(scope="module")
def pictures_site(tmp_path_factory: pytest.TempPathFactory, serve) -> str:
    """The fixture site with the pictures page and two of this site's pages that draw pictures."""
    source = tmp_path_factory.mktemp("pictures") / "site-src"
    shutil.copytree(FIXTURE_SITE, source)
    shutil.copy(REPO / "tests" / "plugin" / "fixtures" / "pages" / "pictures.md", source / "docs")
    for name in ("backprop-activations.md", "backprop-losses.md"):
        shutil.copy(REPO / "docs" / name, source / "docs")
    (source / "built").mkdir()
    url = serve(source / "built")
    build(source, source / "built", url)
    return url


def measured(page: Page, url: str, width: int, palette: str) -> list[dict]:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    assert_math_typeset(page)
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{palette}')")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.evaluate("window.dispatchEvent(new Event('resize'))")   # the scroll cues are set on resize
    page.wait_for_timeout(300)
    return page.evaluate(MEASURE)


def problems(pictures: list[dict]) -> list[str]:
    found = []
    for picture in pictures:
        name = picture["cls"]
        if not (picture["width"] > 50 and picture["height"] > 50):
            found.append(f"{name} is not shown ({picture['width']} x {picture['height']})")
        if not picture["figureInside"] or not (picture["inside"] or picture["scrolls"]):
            found.append(f"{name} is cut off ({picture['width']:.0f} px wide)")
        for mark in picture["marks"]:
            needed = 4.5 if mark["what"] == "text" else 3.0
            if mark["ratio"] < needed:
                found.append(f"{name}: {mark['what']} {mark['cls']} at {mark['ratio']:.2f}:1")
            if mark["what"] == "text" and mark["px"] < 11:
                found.append(f"{name}: text {mark['cls']} at {mark['px']:.1f} px")
    return found


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("width", WIDTHS)
def test_pictures_are_shown_whole_legible_and_in_contrast(page: Page, pictures_site: str, artifacts: Path,
                                                          width: int, palette: str) -> None:
    for path, in_blocks in PAGES.items():
        pictures = measured(page, pictures_site + path, width, palette)
        assert sum("mathcheck-shapes" not in p["cls"] for p in pictures) == in_blocks, path
        assert any("mathcheck-shapes" in p["cls"] for p in pictures), path   # in the opened evidence
        assert all(p["marks"] for p in pictures)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert problems(pictures) == [], path
        figures = page.locator("article .mathcheck-pictures")
        for k in range(min(3, figures.count())):
            figures.nth(k).screenshot(path=artifacts / f"pictures-{path.strip('/')}-{k}-{width}-{palette}.png")


@pytest.mark.parametrize("palette", PALETTES)
def test_a_colour_too_close_to_the_ground_is_measured_as_such(page: Page, pictures_site: str, palette: str) -> None:
    measured(page, pictures_site + "pictures/", 1280, palette)
    faint = "#f2f2f2" if palette == "default" else "#2a2c36"
    page.add_style_tag(content=f".mathcheck-picture .mathcheck-curve, .mathcheck-picture .mathcheck-label "
                               f"{{ stroke: {faint} !important; fill: {faint} !important; }}")
    found = problems(page.evaluate(MEASURE))
    assert any("line mathcheck-curve" in p for p in found) and any("text mathcheck-label" in p for p in found)


def test_a_graph_is_drawn_left_to_right_wide_and_top_to_bottom_narrow(page: Page, pictures_site: str) -> None:
    shown = {width: [p["cls"] for p in measured(page, pictures_site + "backprop-losses/", width, "default")
                     if "mathcheck-graph" in p["cls"]] for width in WIDTHS}
    assert len(shown[390]) == len(shown[1280]) == 1
    assert "mathcheck-graph-right" in shown[1280][0] and "mathcheck-graph-down" in shown[390][0]
