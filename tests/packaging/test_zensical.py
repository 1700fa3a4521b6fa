"""Zensical runs the extension alone: on this repository's site it checks every block and
builds every table, as the plugin does under MkDocs; without a written navigation, blocks
are numbered in the order MkDocs would give the pages; `zensical serve` keeps serving a
wrong block, in red; a site that does not serve KaTeX and our assets does not build green."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from installed_package import REPO
from live_server import fetch_when_ready, serving

from mathcheck import find_blocks


def with_assets(site: Path, katex: bool = True) -> None:
    """What a Zensical site does once: the assets copied into its docs, listed in its config
    (only ours when the site brings its own math renderer)."""
    copied = subprocess.run([sys.executable, "-m", "mathcheck_mkdocs.site_assets", "docs"], cwd=site,
                            stdout=subprocess.PIPE, text=True, check=True)
    listed = {"extra_css": [], "extra_javascript": []}
    for line in copied.stdout.splitlines():
        if line.endswith(":"):
            key = line[:-1]
        elif katex or "katex" not in line:
            listed[key].append(line + "\n")
    config = site / "mkdocs.yml"
    text = config.read_text()
    for key, lines in listed.items():
        text = text.replace(f"{key}:\n", f"{key}:\n{''.join(lines)}", 1) if f"\n{key}:\n" in text \
            else text + f"{key}:\n{''.join(lines)}"
    config.write_text(text)


def zensical_build(site: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    zensical = Path(sys.executable).parent / "zensical"
    return subprocess.run([str(zensical), "build"], cwd=site, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False, timeout=1800)


def test_blocks_are_numbered_by_page_without_a_written_navigation(tmp_path: Path) -> None:
    site = tmp_path / "no-nav"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", site)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("nav:\n  - index.md\n  - rules.md\n", ""))
    assert "nav:" not in config.read_text()
    with_assets(site)
    result = zensical_build(site, {**os.environ, "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stdout
    rules = (site / "site" / "rules" / "index.html").read_text()
    assert re.findall(r'mathcheck-number">\(([0-9.]+)\)', rules) == ["2.1", "2.2", "2.3", "2.4"]


def test_a_build_drops_the_entry_of_an_edited_block_once_unused_for_the_grace(tmp_path: Path) -> None:
    from mathcheck.running.cache import GRACE
    site = tmp_path / "pruned"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", site)
    with_assets(site)
    cache = tmp_path / "cache"
    env = {**os.environ, "MATHCHECK_CACHE_DIR": str(cache)}
    assert zensical_build(site, env).returncode == 0
    before = set(cache.glob("??/*.json"))
    old = time.time() - GRACE - 60
    for entry in before:
        os.utime(entry, (old, old))
    rules = site / "docs" / "rules.md"
    rules.write_text(rules.read_text().replace("title: Sum of a vector", "title: Sum of the entries"))
    assert zensical_build(site, env).returncode == 0
    after = set(cache.glob("??/*.json"))
    assert len(before) == len(after) == 4 and len(before - after) == 1, (before, after)


def test_the_site_builds_checked_under_zensical(tmp_path: Path) -> None:
    site = tmp_path / "site-src"
    site.mkdir()
    shutil.copytree(REPO / "docs", site / "docs")
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
    with_assets(site)
    env = {**os.environ, "MATHCHECK_CACHE_DIR": str(REPO / ".cache" / "plugin" / "mathcheck")}  # the checkout's verdicts
    result = zensical_build(site, env)
    assert result.returncode == 0, result.stdout
    reference = (site / "site" / "reference" / "index.html").read_text()
    assert reference.count('<div class="mathcheck-table">') >= 10
    assert "derivation-table" not in reference  # no table left as its YAML
    typeset = sum(page.read_text().count('<div class="mathcheck-block" id=')
                  for page in (site / "site").rglob("index.html"))
    found = sum(len(find_blocks(page.read_text(), str(page))) for page in (site / "docs").rglob("*.md"))
    assert typeset == found > 90


def test_zensical_serve_shows_a_wrong_block_in_red_and_keeps_serving(tmp_path: Path) -> None:
    site = tmp_path / "preview"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", site)
    shutil.copy(Path(__file__).parent / "fixtures" / "wrong.md", site / "docs" / "wrong.md")
    with_assets(site)
    serve = [str(Path(sys.executable).parent / "zensical"), "serve"]
    env = {**os.environ, "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")}
    with serving(serve, site, env, tmp_path / "serve.log") as (server, address):
        page = fetch_when_ready(f"{address}/wrong/", server, timeout=300)
        assert '<div class="mathcheck-block mathcheck-bad" id="cube-wrong" role="alert">' in page
        assert server.poll() is None
    output = (tmp_path / "serve.log").read_text()
    assert output.count("derivation block(s) or table(s) are wrong") == 1, output  # once, not per page
    assert "docs/wrong.md:5: block `cube-wrong` failed" in output



def test_a_site_that_does_not_serve_the_assets_fails_saying_what_to_run_and_add(tmp_path: Path) -> None:
    site = tmp_path / "no-assets"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", site)
    env = {**os.environ, "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")}
    result = zensical_build(site, env)
    assert result.returncode != 0, result.stdout
    assert "mkdocs.yml: Zensical does not serve what typesets derivation blocks" in result.stdout, result.stdout
    assert "python -m mathcheck_mkdocs.site_assets docs\n" in result.stdout
    assert "extra_css:\n  - assets/katex/katex.min.css\n  - assets/mathcheck/mathcheck.css\n" in result.stdout
    assert "  - assets/katex/contrib/auto-render.min.js\n  - assets/mathcheck/mathcheck.js\n" in result.stdout
    assert "Traceback" not in result.stdout, result.stdout
    with_assets(site)
    shutil.rmtree(site / "docs" / "assets" / "katex")  # listed, but the copy was not made
    result = zensical_build(site, env)
    assert result.returncode != 0 and "assets/katex/katex.min.css, " in result.stdout, result.stdout
    assert "assets/mathcheck/mathcheck.css" not in result.stdout.split("not listed")[0]  # ours is there


def test_a_site_with_its_own_math_renderer_needs_only_our_assets(tmp_path: Path) -> None:
    site = tmp_path / "own-renderer"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", site)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - mathcheck\nplugins:", "  - mathcheck:\n      katex: false\nplugins:"))
    assert "katex: false" in config.read_text()
    with_assets(site, katex=False)
    assert "katex.min.css" not in config.read_text()
    result = zensical_build(site, {**os.environ, "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stdout
    assert '<div class="mathcheck-block" id="sum-x">' in (site / "site" / "rules" / "index.html").read_text()


def test_zensical_serve_says_once_what_to_add_and_keeps_serving(tmp_path: Path) -> None:
    site = tmp_path / "preview-no-assets"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", site)
    serve = [str(Path(sys.executable).parent / "zensical"), "serve"]
    env = {**os.environ, "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")}
    with serving(serve, site, env, tmp_path / "serve.log") as (server, address):
        page = fetch_when_ready(f"{address}/rules/", server, timeout=300)
        assert '<div class="mathcheck-block" id="sum-x">' in page
        assert server.poll() is None
    output = (tmp_path / "serve.log").read_text()
    assert output.count("Zensical does not serve what typesets derivation blocks") == 1, output
    assert "python -m mathcheck_mkdocs.site_assets docs" in output


def test_a_site_overrides_the_block_template_in_its_custom_dir(tmp_path: Path) -> None:
    site = tmp_path / "overridden"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", site)
    with_assets(site)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1))
    (site / "overrides" / "mathcheck").mkdir(parents=True)
    (site / "overrides" / "mathcheck" / "block.html").write_text(
        '<section class="my-rule" id="{{ anchor }}">{{ title }}\n  {{ statement }}{{ verdict }}</section>\n')
    result = zensical_build(site, {**os.environ, "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stdout
    rules = (site / "site" / "rules" / "index.html").read_text()
    assert '<section class="my-rule" id="sum-x">Sum of a vector<div class="arithmatex">' in rules
