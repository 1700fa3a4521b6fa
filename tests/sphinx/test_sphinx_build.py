"""The Sphinx extension in real `sphinx-build -b html` runs of a small MyST site: blocks
typeset with verdicts and evidence, a table across pages, equation numbers, labels, KaTeX
served with the site, and a wrong formula failing the build at its file and line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sphinx_sites import Build, sphinx_build

BLOCKS = {  # block id -> (page, equation number)
    "chain-sin-square": ("index.html", "1.1"),
    "sum-x": ("guide/rules.html", "2.1"),
    "hadamard-w": ("guide/rules.html", "2.2"),
    "relu": ("guide/rules.html", "2.3"),
}


@pytest.mark.parametrize("block_id", BLOCKS)
def test_every_block_is_typeset_verified_with_its_evidence_and_number(good_build: Build, block_id: str) -> None:
    assert good_build.returncode == 0, good_build.output
    page, number = BLOCKS[block_id]
    html = good_build.page(page)
    start = html.index(f'<div class="mathcheck-block" id="{block_id}">')
    block = html[start:html.index('</details>', start)]
    assert f'<span class="mathcheck-number">({number})</span>' in block
    assert '<summary class="mathcheck-badge">Verified' in block
    assert "Largest relative difference" in block and '<div class="arithmatex">\\[' in block
    about = "#what-verified-means" if page == "index.html" else "../index.html#what-verified-means"
    assert f'<p class="mathcheck-about"><a href="{about}">' in block


def test_the_build_checks_every_block_once_and_warns_of_nothing(good_build: Build) -> None:
    assert "WARNING" not in good_build.output, good_build.output  # links to blocks across pages included
    counts = good_build.counts()
    assert (counts["blocks"], counts["checked"], counts["failed"], counts["errors"]) == (4, 4, 0, 0)


def test_a_table_lists_blocks_of_a_page_read_after_it(good_build: Build) -> None:
    table = good_build.page("index.html").split('<div class="mathcheck-table">')[1].split("</table>")[0]
    assert "<caption>Vector rules</caption>" in table
    assert re.findall(r'<td data-label="Name"><a href="([^"]+)">', table) == [
        "guide/rules.html#sum-x", "guide/rules.html#hadamard-w"]


def test_links_to_blocks_resolve_to_their_anchors(good_build: Build) -> None:
    html = good_build.page("index.html")
    assert re.search(r'href="guide/rules.html#hadamard-w"><span class="std std-ref">Jacobian of the '
                     r"element-wise product", html)  # {ref}`hadamard-w`, titled by the block
    assert 'href="guide/rules.html#sum-x"><span class="std std-ref">the sum rule' in html
    assert 'href="#chain-sin-square"><span class="std std-ref">the chain rule' in html


def test_math_is_served_with_the_site_and_asks_no_other_host(good_build: Build) -> None:
    for path in ("katex/katex.min.js", "katex/katex.min.css", "katex/contrib/auto-render.min.js",
                 "mathcheck.js", "mathcheck.css"):
        assert (good_build.out / "_static" / "mathcheck" / path).is_file(), path
    assert list((good_build.out / "_static" / "mathcheck" / "katex" / "fonts").glob("*.woff2"))
    for page in ("index.html", "guide/rules.html"):
        html = good_build.page(page)
        # what a page loads (scripts, style sheets, fonts), not where its links lead
        assert not re.search(r'(?:src="|<link[^>]*href=")(?:https?:)?//', html), page  # MathJax's CDN...
        assert '_static/mathcheck/katex/katex.min.js"' in html
    prose = good_build.page("index.html")
    assert '<span class="arithmatex">\\(\\frac{\\partial y}{\\partial x}\\)</span>' in prose


WRONG = [  # (page, text, wrong text, the line the error names)
    ("guide/rules.md", "claim: diag(x)", "claim: diag(w)", 25),
    ("index.md", "claim: 2 * x * cos(x**2)", "claim: 2 * x * sin(x**2)", 24),
]


@pytest.mark.parametrize("flags", [(), ("-W",)])  # -W stopped at the first error before Sphinx 8.1
def test_a_wrong_formula_fails_the_build_naming_every_bad_block(site: Path, tmp_path: Path, flags) -> None:
    for page, right, wrong, _ in WRONG:
        path = site / page
        path.write_text(path.read_text().replace(right, wrong, 1))
    build = sphinx_build(site, *flags, cache_dir=tmp_path / "cache")
    assert build.returncode != 0, build.output
    for page, _, _, line in WRONG:
        assert re.search(rf"^site/{re.escape(page)}:{line}: ERROR: block `[\w-]+` failed: the claim", build.output,
                         re.MULTILINE), build.output
    assert "mathcheck: 2 derivation block(s) or table(s) are wrong" in build.output
    assert "Traceback" not in build.output and "full traceback" not in build.output
    # the page still shows the bad block, in red, where it stands
    assert 'class="mathcheck-block mathcheck-bad" id="hadamard-w"' in build.page("guide/rules.html")


def test_a_fence_the_scan_cannot_see_fails_the_build(site: Path, tmp_path: Path) -> None:
    rules = site / "guide" / "rules.md"
    lines = rules.read_text().count("\n")
    rules.write_text(rules.read_text() + "\n````{note}\n```derivation\nid: hidden\nvars:\n  x: scalar\n"
                     "f: x**2\nwrt: x\nclaim: 2 * x\n```\n````\n")
    build = sphinx_build(site, cache_dir=tmp_path / "cache")
    assert build.returncode != 0, build.output
    assert f"site/guide/rules.md:{lines + 3}: ERROR: this `derivation` fence is not checked" in build.output


def test_mathcheck_warnings_fail_the_build_under_w(site: Path, tmp_path: Path) -> None:
    conf = site / "conf.py"
    conf.write_text(conf.read_text().replace('"index.md#', '"nowhere.md#'))
    warned = sphinx_build(site, cache_dir=tmp_path / "cache")
    assert warned.returncode == 0, warned.output
    assert "WARNING: mathcheck: mathcheck_verified_page is 'nowhere.md#what-verified-means'" in warned.output
    assert sphinx_build(site, "-W", cache_dir=tmp_path / "cache", out="_strict").returncode != 0


@pytest.mark.parametrize(("setting", "says"), [
    ('mathcheck_layout = "sideways"', "mathcheck_layout = 'sideways'; write 'numerator' or 'denominator'"),
    ("mathcheck_jobs = -1", "mathcheck_jobs = -1; write a whole number of processes"),
])
def test_a_wrong_option_says_what_to_write(site: Path, tmp_path: Path, setting: str, says: str) -> None:
    (site / "conf.py").write_text((site / "conf.py").read_text() + setting + "\n")
    build = sphinx_build(site, cache_dir=tmp_path / "cache")
    assert build.returncode != 0 and says in build.output, build.output


def test_a_warm_cache_checks_nothing_and_an_edit_rewrites_the_table_page(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert sphinx_build(site, cache_dir=cache).counts()["checked"] == 4
    again = sphinx_build(site, cache_dir=cache)  # nothing changed
    assert (again.counts()["cached"], again.counts()["checked"]) == (4, 0), again.output
    fresh = sphinx_build(site, cache_dir=cache, out="_fresh")  # a new output folder, the same cache
    assert (fresh.counts()["cached"], fresh.counts()["checked"]) == (4, 0), fresh.output
    rules = site / "guide" / "rules.md"
    rules.write_text(rules.read_text().replace("title: Sum of a vector", "title: Sum of the entries"))
    edited = sphinx_build(site, cache_dir=cache)
    assert (edited.counts()["cached"], edited.counts()["checked"]) == (3, 1), edited.output
    assert ">Sum of the entries</a>" in edited.page("index.html")  # its table, on a page not edited


def test_a_build_drops_the_entry_of_an_edited_block_once_unused_for_the_grace(site: Path, tmp_path: Path) -> None:
    from mathcheck.running.cache import GRACE
    cache = tmp_path / "cache"
    assert sphinx_build(site, cache_dir=cache).returncode == 0
    before = set(cache.glob("??/*.json"))
    old = time.time() - GRACE - 60
    for entry in before:
        os.utime(entry, (old, old))
    rules = site / "guide" / "rules.md"
    rules.write_text(rules.read_text().replace("title: Sum of a vector", "title: Sum of the entries"))
    assert sphinx_build(site, cache_dir=cache).returncode == 0
    after = set(cache.glob("??/*.json"))
    assert len(before) == len(after) == 4 and len(before - after) == 1, (before, after)


def test_the_default_cache_is_in_the_doctree_folder(site: Path) -> None:
    build = sphinx_build(site)
    assert build.returncode == 0, build.output
    assert list((site / "_build" / "doctrees" / "mathcheck").rglob("*.json"))


def test_fences_myst_shows_as_code_fail_the_build(site: Path, tmp_path: Path) -> None:
    (site / "conf.py").write_text((site / "conf.py").read_text() + "myst_commonmark_only = True\n")
    build = sphinx_build(site, cache_dir=tmp_path / "cache")
    assert build.returncode != 0, build.output
    assert "site/guide/rules.md:9: ERROR: this `derivation` fence is shown as code, not typeset" in build.output
    assert "site/index.md:11: ERROR: this `derivation-table` fence is shown as code" in build.output


WITHOUT_MYST = """
import sys
sys.modules["myst_parser"] = None  # as if MyST-Parser were not installed
from sphinx.cmd.build import main
sys.exit(main(["-b", "html", "site", "site/_build/html"]))
"""


def test_without_myst_the_build_says_what_to_install(site: Path) -> None:
    result = subprocess.run([sys.executable, "-c", WITHOUT_MYST], cwd=site.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, check=False, timeout=600)
    assert result.returncode != 0
    assert 'MyST-Parser, which is not installed: pip install "mathcheck[sphinx]"' in result.stdout, result.stdout


def test_parallel_reading_keeps_what_each_reader_met(site: Path, tmp_path: Path) -> None:
    # Sphinx reads in parallel from six pages on; a fence that only a forked reader meets
    # must still fail the build, and the blocks must still be placed
    pages = [f"page{k}" for k in range(6)]
    for name in pages:
        (site / f"{name}.md").write_text(f"# {name}\n\nText.\n")
    (site / "page3.md").write_text("# page3\n\n````{note}\n```derivation\nid: hidden\nvars:\n  x: scalar\n"
                                   "f: x**2\nwrt: x\nclaim: 2 * x\n```\n````\n")
    index = site / "index.md"
    index.write_text(index.read_text().replace("guide/rules\n", "guide/rules\n" + "\n".join(pages) + "\n"))
    build = sphinx_build(site, "-j", "2", "-E", cache_dir=tmp_path / "cache")
    assert build.returncode != 0, build.output
    assert "site/page3.md:4: ERROR: this `derivation` fence is not checked" in build.output
    assert '<div class="mathcheck-block" id="relu">' in build.page("guide/rules.html")


def test_a_project_overrides_the_table_template_in_its_templates_path(site: Path, tmp_path: Path) -> None:
    (site / "conf.py").write_text((site / "conf.py").read_text() + 'templates_path = ["_templates"]\n')
    (site / "_templates" / "mathcheck").mkdir(parents=True)
    (site / "_templates" / "mathcheck" / "table.html").write_text(
        '<ul class="my-rules">\n  {% for row in rows %}<li>{{ row[0].html }}</li>{% endfor %}\n</ul>\n')
    build = sphinx_build(site, cache_dir=tmp_path / "cache")
    assert build.returncode == 0, build.output
    index = build.page("index.html")
    assert '<ul class="my-rules"><li><a href="' in index and '<div class="mathcheck-table">' not in index
