"""Real `mkdocs build` runs of the fixture sites."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from plugin_sites import make_site, run_mkdocs

from mathcheck_mkdocs.site_assets import KATEX

FIXTURE_BLOCK_IDS = ("sum-x", "hadamard-w", "relu", "chain-sin-square")


def test_good_site_builds_and_typesets_every_block(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    build = run_mkdocs(site, "--strict", cache_dir=shared_cache)
    assert build.returncode == 0, build.output
    assert build.counts()["blocks"] == len(FIXTURE_BLOCK_IDS)
    html = (site / "site" / "rules" / "index.html").read_text()
    for block_id in FIXTURE_BLOCK_IDS:
        assert f'<div class="mathcheck-block" id="{block_id}">' in html
    assert "wrt:" not in html  # no block was left as its YAML source
    assert "MATHCHECKPLACEHOLDER" not in html


def test_blocks_are_numbered_by_page_and_show_their_shape(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    build = run_mkdocs(site, cache_dir=shared_cache)
    assert build.returncode == 0, build.output
    html = (site / "site" / "rules" / "index.html").read_text()
    tags = re.findall(r'<span class="mathcheck-number">\(([0-9.]+)\)</span>', html)
    assert len(tags) == len(FIXTURE_BLOCK_IDS)
    assert len({tag.split(".")[0] for tag in tags}) == 1  # one page, one chapter number
    assert [tag.split(".")[1] for tag in tags] == [str(k) for k in range(1, len(tags) + 1)]
    sum_x = html[html.index('id="sum-x"') :]
    assert re.search(r'class="mathcheck-shape"[^>]*><span class="arithmatex">\\\(1 \\times n\\\)', sum_x)


def test_block_indented_in_an_admonition_stays_inside_it(site_factory, shared_cache: Path) -> None:
    site = site_factory("in-admonition.md")
    build = run_mkdocs(site, cache_dir=shared_cache)
    assert build.returncode == 0, build.output
    html = (site / "site" / "in-admonition" / "index.html").read_text()
    note = html[html.index('<div class="admonition note">') : html.index("After the note.")]
    assert '<div class="mathcheck-block" id="scale-by-three">' in note
    assert "MATHCHECKPLACEHOLDER" not in html


def test_table_in_a_block_quote_stays_inside_it(site_factory, shared_cache: Path) -> None:
    site = site_factory("in-quote.md")
    build = run_mkdocs(site, cache_dir=shared_cache)
    assert build.returncode == 0, build.output
    html = (site / "site" / "in-quote" / "index.html").read_text()
    quote = html[html.index("<blockquote>") : html.index("</blockquote>")]
    assert 'href="../rules/#sum-x"' in quote
    assert "After the quote." not in quote


def test_katex_is_served_by_the_site(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    assert run_mkdocs(site, cache_dir=shared_cache).returncode == 0
    katex = site / "site" / "assets" / "katex"
    assert (katex / "katex.min.js").is_file()
    assert (katex / "contrib" / "auto-render.min.js").is_file()
    assert any(katex.glob("fonts/KaTeX_Main-Regular.woff2"))
    page = (site / "site" / "index.html").read_text()
    assert 'href="assets/katex/katex.min.css"' in page
    assert 'src="assets/mathcheck/mathcheck.js"' in page


def test_second_build_checks_nothing(site_factory) -> None:
    site = site_factory()
    first = run_mkdocs(site)
    second = run_mkdocs(site)
    assert first.returncode == 0 and second.returncode == 0, first.output + second.output
    assert first.counts()["checked"] == len(FIXTURE_BLOCK_IDS)
    assert second.counts() == {
        "blocks": len(FIXTURE_BLOCK_IDS),
        "cached": len(FIXTURE_BLOCK_IDS),
        "checked": 0,
        "failed": 0,
        "errors": 0,
    }


@pytest.mark.parametrize("strict", [(), ("--strict",)], ids=["default", "strict"])
def test_wrong_formulas_fail_the_build_and_are_all_listed(site_factory, shared_cache: Path, strict) -> None:
    site = site_factory("wrong-claim.md", "wrong-too.md")
    build = run_mkdocs(site, *strict, cache_dir=shared_cache)
    assert build.returncode != 0
    assert build.counts()["failed"] == 2
    assert re.search(r"docs/wrong-claim\.md:3: .*sum-x-doubled.* failed", build.output), build.output
    assert re.search(r"docs/wrong-too\.md:5: .*scale-wrong.* failed", build.output), build.output


def test_table_before_its_rules_links_to_them_in_order(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    assert run_mkdocs(site, cache_dir=shared_cache).returncode == 0
    html = (site / "site" / "index.html").read_text()
    table = html[html.index('<div class="mathcheck-table">') : html.index("</table>")]
    assert re.findall(r'href="([^"]+)"', table) == ["rules/#sum-x", "rules/#hadamard-w"]
    assert "<caption>Vector rules</caption>" in table
    # function, wrt, derivative, shape; and the derivative and shape in the other layout
    assert table.count('class="arithmatex"') == 2 * (4 + 2)
    assert table.count('class="mathcheck-alt" data-layout="denominator"') == 2 * 2


def test_table_naming_an_unknown_id_fails_the_build(site_factory, shared_cache: Path) -> None:
    site = site_factory("unknown-table.md")
    build = run_mkdocs(site, cache_dir=shared_cache)
    assert build.returncode != 0
    assert "docs/unknown-table.md:3: derivation-table: no block has id 'no-such-block'" in build.output


def test_site_default_layout_applies_to_blocks_that_name_none(site_factory, shared_cache: Path) -> None:
    # Under denominator layout the gradient of sum(x) is a column, so the row `ones(n).T` is wrong;
    # the other fixture blocks are scalars or symmetric and hold in both layouts.
    site = site_factory(plugin_options="      layout: denominator\n")
    build = run_mkdocs(site, cache_dir=shared_cache)
    assert build.returncode != 0
    assert build.counts()["failed"] + build.counts()["errors"] == 1
    assert re.search(r"docs/rules\.md:9: .*sum-x", build.output), build.output
    html = (site / "site" / "rules" / "index.html").read_text()  # the others typeset, in that layout
    assert all(f'<div class="mathcheck-block" id="{i}">' in html for i in FIXTURE_BLOCK_IDS if i != "sum-x")
    assert "shape of the derivative, denominator layout" in html


def test_fully_cached_build_imports_neither_sympy_nor_the_expression_parser(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    assert run_mkdocs(site, cache_dir=shared_cache).returncode == 0
    build = run_mkdocs(site, cache_dir=shared_cache, python_flags=("-X", "importtime"))
    assert build.returncode == 0, build.output
    assert build.counts()["checked"] == 0
    imported = {line.rsplit("|", 1)[1].strip() for line in build.output.splitlines() if line.startswith("import time:")}
    assert "mathcheck" in imported  # the engine did load: the check below is not vacuous
    assert not {name for name in imported if name.split(".")[0] == "sympy"}
    # the statements come from the cache: nothing is parsed or printed again
    assert not imported & {"mathcheck.language.claims", "mathcheck.language.syntax", "mathcheck.language.latex", "numpy"}


def test_cache_dir_option_places_the_verdicts(site_factory) -> None:
    site = site_factory(plugin_options="      cache_dir: verdicts\n")
    assert run_mkdocs(site).returncode == 0
    assert any((site / "verdicts").iterdir())
    assert not (site / ".cache").exists()


def test_time_limit_option_turns_slow_checks_into_errors(site_factory) -> None:
    site = site_factory(plugin_options="      time_limit: 0.001\n")
    build = run_mkdocs(site)
    assert build.returncode != 0
    assert build.counts()["errors"] == len(FIXTURE_BLOCK_IDS)
    assert "time limit" in build.output


def test_site_elsewhere_is_served_the_katex_shipped_with_the_plugin(tmp_path: Path, shared_cache: Path) -> None:
    """A site anywhere on disk, with no KaTeX of its own, gets the one inside the package."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Elsewhere\ntheme: {name: material}\n"
        "markdown_extensions:\n  - pymdownx.arithmatex: {generic: true}\nplugins:\n  - mathcheck\n"
    )
    (tmp_path / "docs" / "index.md").write_text(
        "# Elsewhere\n\n```derivation\nid: x2\nvars:\n  x: scalar\nf: x**2\nwrt: x\nclaim: 2*x\n```\n"
    )
    build = run_mkdocs(tmp_path, "--strict", cache_dir=shared_cache)
    assert build.returncode == 0, build.output
    assert not (tmp_path / "node_modules").exists()
    katex = tmp_path / "site" / "assets" / "katex"
    assert (katex / "katex.min.js").is_file() and (katex / "fonts" / "KaTeX_Main-Regular.woff2").is_file()
    assert '<div class="mathcheck-block" id="x2">' in (tmp_path / "site" / "index.html").read_text()


def test_katex_can_be_switched_off_or_taken_from_the_site(tmp_path: Path, shared_cache: Path) -> None:
    off = make_site(tmp_path / "off", plugin_options='      katex_dir: ""\n')
    assert run_mkdocs(off, "--strict", cache_dir=shared_cache).returncode == 0
    assert not (off / "site" / "assets" / "katex").exists()
    page = (off / "site" / "index.html").read_text()
    assert "katex" not in page and 'src="assets/mathcheck/mathcheck.js"' in page
    own = tmp_path / "own"
    shutil.copytree(KATEX, own / "dist")
    (own / "dist" / "katex.min.js").write_text("/* the site's own KaTeX */")
    mine = make_site(tmp_path / "mine", plugin_options=f"      katex_dir: {own / 'dist'}\n")
    assert run_mkdocs(mine, "--strict", cache_dir=shared_cache).returncode == 0
    assert (mine / "site" / "assets" / "katex" / "katex.min.js").read_text() == "/* the site's own KaTeX */"
    missing = make_site(tmp_path / "missing", plugin_options="      katex_dir: nowhere/dist\n")
    build = run_mkdocs(missing, cache_dir=shared_cache)
    assert build.returncode != 0 and "no katex.min.js in" in build.output


def test_evidence_is_in_the_page_but_never_read_by_the_search_index(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    assert run_mkdocs(site, "--strict", cache_dir=shared_cache).returncode == 0
    html = (site / "site" / "rules" / "index.html").read_text()
    assert html.count('<details class="mathcheck-verdict"') == len(FIXTURE_BLOCK_IDS)
    assert html.count('class="mathcheck-lines"') == 2  # the chain rule's lets and steps, one per line
    assert "<!--mathcheck:" not in html
    index = (site / "site" / "search" / "search_index.json").read_text()
    assert "Sizes tried" not in index and "Random points" not in index
    blocks = "".join(doc["text"] for doc in json.loads(index)["docs"] if doc["location"].startswith("rules/"))
    assert "Sum of a vector" in blocks and not {"∈", "ℝ", "×"} & set(blocks)  # kinds and shapes: the page's
    assert "Sum of a vector" in index  # the blocks themselves are indexed


HOOK_STRIPPING_COMMENTS = """
import re

def on_page_content(html, **kwargs):
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)
"""


def test_a_plugin_that_strips_comments_is_reported_not_silent(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    (site / "strip.py").write_text(HOOK_STRIPPING_COMMENTS)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - strip.py\n")
    build = run_mkdocs(site, "--strict", cache_dir=shared_cache)
    assert build.returncode != 0
    # each block's evidence, shape, kinds; two blocks' lines; the other layout's shape and
    # statement of the two blocks whose derivative has a layout (sum-x, hadamard-w)
    parts = 3 * len(FIXTURE_BLOCK_IDS) + 2 + 2 * 2
    assert f"{parts} part(s) of the derivation blocks of rules.md (their evidence" in build.output, build.output


def test_fences_that_look_like_blocks_but_are_not_fail_the_build(site_factory, shared_cache: Path) -> None:
    site = site_factory("stray-fences.md")
    build = run_mkdocs(site, cache_dir=shared_cache)
    assert build.returncode != 0
    page = "docs/stray-fences.md"
    assert (f"{page}:5: block error: this fence reads `Derivation`, which is not checked: Markdown shows "
            "it as code (did you mean `derivation`?)") in build.output
    assert (f"{page}:17: block error: this fence reads `derivation_table`, which is not checked: Markdown "
            "shows it as code (did you mean `derivation-table`?)") in build.output
    assert (f"{page}:23: block error: this fence is indented 8 spaces, so Markdown shows it as code inside "
            "the admonition above it and does not check it: indent it as that admonition's text (4 spaces; "
            "a tab counts as 4)") in build.output
    assert "shown-only" not in build.output  # the source of a block, in a longer fence
    assert build.counts()["errors"] == 3
    html = (site / "site" / "stray-fences" / "index.html").read_text()
    assert html.count('<div class="mathcheck-block" id="square">') == 1  # the block itself, verified
    assert "mathcheck-block mathcheck-bad" not in html  # the strays stay as Markdown shows them: code
    assert html.index("<code>id: square\n") < html.index("The block itself") < html.index('id="square"')
    assert "<pre><code>```derivation\nid: cube\n" in html


HOOK_ADDING_A_BLOCK = '''
def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri != "rules.md":
        return markdown
    return markdown + "\\n```derivation\\nid: added\\nvars:\\n  x: scalar\\nf: x**2\\nwrt: x\\nclaim: 3*x\\n```\\n"
'''


def test_a_fence_added_after_the_check_fails_the_build(site_factory, shared_cache: Path) -> None:
    """A plugin listed after mathcheck adds a (wrong) block to a page the check has read: the
    block must not stand in the page unchecked."""
    site = site_factory()
    (site / "add.py").write_text(HOOK_ADDING_A_BLOCK)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - add.py\n")
    build = run_mkdocs(site, cache_dir=shared_cache)
    assert build.returncode != 0
    assert "a `derivation` fence of rules.md was not among the blocks checked" in build.output, build.output
    assert not (site / "site" / "rules" / "index.html").exists()
