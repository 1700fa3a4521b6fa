"""Links to blocks, from their own page and from others, pass MkDocs' anchor validation."""

from __future__ import annotations

from pathlib import Path

from plugin_sites import run_mkdocs

STRICT_ANCHORS = "validation:\n  anchors: warn\n"


def test_links_to_blocks_pass_strict_anchor_validation(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + STRICT_ANCHORS)
    index = site / "docs" / "index.md"
    index.write_text(index.read_text() + "\nSee [the sum](rules.md#sum-x) and [ReLU](rules.md#relu).\n")
    rules = site / "docs" / "rules.md"
    rules.write_text(rules.read_text() + "\nAbove: [the element-wise product](#hadamard-w).\n")
    build = run_mkdocs(site, "--strict", cache_dir=shared_cache)
    assert build.returncode == 0, build.output
    assert "does not contain an anchor" not in build.output
    assert "no such anchor" not in build.output


def test_a_link_to_a_missing_block_still_fails_strict_validation(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + STRICT_ANCHORS)
    index = site / "docs" / "index.md"
    index.write_text(index.read_text() + "\nSee [a rule that is not there](rules.md#no-such-block).\n")
    build = run_mkdocs(site, "--strict", cache_dir=shared_cache)
    assert build.returncode != 0
    assert "does not contain an anchor '#no-such-block'" in build.output


def test_autorefs_links_reach_blocks_on_any_page(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - mathcheck\n", "  - mathcheck\n  - autorefs\n")
                      + STRICT_ANCHORS)
    index = site / "docs" / "index.md"
    index.write_text(index.read_text() + "\nSee [the sum][sum-x] and [relu][].\n")
    rules = site / "docs" / "rules.md"
    rules.write_text(rules.read_text() + "\nAbove: [the element-wise product][hadamard-w].\n")
    build = run_mkdocs(site, "--strict", cache_dir=shared_cache)
    assert build.returncode == 0, build.output
    index_html = (site / "site" / "index.html").read_text()
    assert 'href="rules/#sum-x"' in index_html and 'href="rules/#relu"' in index_html, index_html
    assert 'href="#hadamard-w"' in (site / "site" / "rules" / "index.html").read_text()


def test_an_autorefs_link_to_a_missing_block_fails_strict(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - mathcheck\n", "  - mathcheck\n  - autorefs\n"))
    index = site / "docs" / "index.md"
    index.write_text(index.read_text() + "\nSee [a rule that is not there][no-such-block].\n")
    build = run_mkdocs(site, "--strict", cache_dir=shared_cache)
    assert build.returncode != 0
    assert "Could not find cross-reference target 'no-such-block'" in build.output, build.output
