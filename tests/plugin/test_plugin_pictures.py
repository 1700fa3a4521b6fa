"""The pictures drawn from blocks stand in the built pages as inline SVG, and a warm build
takes them from the verdict cache: it draws nothing."""

from __future__ import annotations

import re
from pathlib import Path

from plugin_sites import run_mkdocs

DRAWING = {"mathcheck.drawing.pictures", "mathcheck.drawing.layering", "mathcheck.drawing.plot_sampling",
           "mathcheck.drawing.graph_picture", "mathcheck.drawing.shape_picture"}


def block_of(html: str, block_id: str) -> str:
    start = html.index(f'<div class="mathcheck-block" id="{block_id}">')
    end = html.find('<div class="mathcheck-block"', start + 1)
    return html[start:end if end > 0 else len(html)]


def test_graph_plot_and_shapes_are_inline_svg_in_their_blocks(site_factory, tmp_path: Path) -> None:
    site = site_factory("pictures.md")
    build = run_mkdocs(site, cache_dir=tmp_path / "cache")
    assert build.returncode == 0, build.output
    html = (site / "site" / "pictures" / "index.html").read_text()
    chain, relu = block_of(html, "pictured-chain"), block_of(html, "pictured-relu")
    assert re.search(r'<svg [^>]*class="mathcheck-picture mathcheck-graph', chain)
    assert "z = W x" in re.sub(r"<[^>]+>", "", chain) and "<img" not in chain
    body, evidence = chain.split('<details class="mathcheck-verdict"', 1)
    assert "mathcheck-graph" in body and "mathcheck-shapes" in evidence and "mathcheck-shapes" not in body
    # the shapes in both layouts, the other held for the reader's layout switch
    written, other = evidence.split('<div class="mathcheck-alt" data-layout="denominator">')
    assert "the derivative is 1 × n in numerator layout" in written
    assert "the derivative is n × 1 in denominator layout" in other and "mathcheck-shapes" in other
    assert relu.count('class="mathcheck-picture mathcheck-plot"') == 1
    assert relu.count('class="mathcheck-open-end"') == 2     # the jump at 0, left open
    assert 'class="mathcheck-pictures" data-search-exclude' in chain
    # no request to another host: nothing in a picture names one
    assert not re.search(r"(?:href|src)=\"https?:", "".join(re.findall(r"<svg.*?</svg>", html, re.S)))


def test_a_warm_build_draws_nothing_and_shows_the_same_pictures(site_factory, tmp_path: Path) -> None:
    site = site_factory("pictures.md")
    cache = tmp_path / "cache"
    assert run_mkdocs(site, cache_dir=cache).returncode == 0
    cold = (site / "site" / "pictures" / "index.html").read_text()
    build = run_mkdocs(site, cache_dir=cache, python_flags=("-X", "importtime"))
    assert build.returncode == 0, build.output
    assert build.counts()["checked"] == 0
    imported = {line.rsplit("|", 1)[1].strip() for line in build.output.splitlines() if line.startswith("import time:")}
    assert "mathcheck.drawing.elements" in imported   # the pictures were read: the check below is not vacuous
    assert not imported & DRAWING
    assert not {name for name in imported if name.split(".")[0] == "sympy"}
    warm = (site / "site" / "pictures" / "index.html").read_text()
    pictures = re.compile(r"<svg.*?</svg>", re.S)
    assert pictures.findall(warm) == pictures.findall(cold) and len(pictures.findall(warm)) >= 3


def test_a_picture_the_block_cannot_have_fails_the_build_at_its_line(site_factory, tmp_path: Path) -> None:
    site = site_factory("pictures.md")
    page = site / "docs" / "pictures.md"
    page.write_text(page.read_text().replace("plot: [-2, 2]", "picture: graph"))
    build = run_mkdocs(site, cache_dir=tmp_path / "cache")
    assert build.returncode != 0
    assert re.search(r"docs/pictures\.md:\d+: block `pictured-relu` error: `picture: graph` draws the "
                     r"block's `let` chain, and this block has no `let`.* \(line 34\)", build.output), build.output
