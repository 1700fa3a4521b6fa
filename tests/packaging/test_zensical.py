"""Zensical runs the extension alone: on this repository's site it checks every block and
builds every table, as the plugin does under MkDocs; without a written navigation, blocks
are numbered in the order MkDocs would give the pages; `zensical serve` keeps serving a
wrong block, in red."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from installed_package import REPO
from live_server import fetch_when_ready, serving

from mathcheck import find_blocks


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
    result = zensical_build(site, {**os.environ, "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stdout
    rules = (site / "site" / "rules" / "index.html").read_text()
    assert re.findall(r'mathcheck-number">\(([0-9.]+)\)', rules) == ["2.1", "2.2", "2.3", "2.4"]


def test_the_site_builds_checked_under_zensical(tmp_path: Path) -> None:
    site = tmp_path / "site-src"
    site.mkdir()
    shutil.copytree(REPO / "docs", site / "docs")
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
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
    serve = [str(Path(sys.executable).parent / "zensical"), "serve"]
    env = {**os.environ, "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")}
    with serving(serve, site, env, tmp_path / "serve.log") as (server, address):
        page = fetch_when_ready(f"{address}/wrong/", server, timeout=300)
        assert '<div class="mathcheck-block mathcheck-bad" id="cube-wrong" role="alert">' in page
        assert server.poll() is None
    output = (tmp_path / "serve.log").read_text()
    assert output.count("derivation block(s) or table(s) are wrong") == 1, output  # once, not per page
    assert "docs/wrong.md:5: block `cube-wrong` failed" in output

