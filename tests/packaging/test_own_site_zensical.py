"""This repository's site under Zensical: the extension alone checks every block and builds
every table, as the plugin does under MkDocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from installed_package import REPO

from mathcheck import find_blocks


def test_the_site_builds_checked_under_zensical(tmp_path: Path) -> None:
    site = tmp_path / "site-src"
    site.mkdir()
    shutil.copytree(REPO / "docs", site / "docs")
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
    env = {**os.environ, "MATHCHECK_CACHE_DIR": str(REPO / ".mathcheck-cache")}  # the checkout's verdicts
    zensical = Path(sys.executable).parent / "zensical"
    result = subprocess.run([str(zensical), "build"], cwd=site, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, check=False, timeout=1800)
    assert result.returncode == 0, result.stdout
    reference = (site / "site" / "reference" / "index.html").read_text()
    assert reference.count('<div class="mathcheck-table">') >= 10
    assert "derivation-table" not in reference  # no table left as its YAML
    typeset = sum(page.read_text().count('<div class="mathcheck-block" id=')
                  for page in (site / "site").rglob("index.html"))
    found = sum(len(find_blocks(page.read_text(), str(page))) for page in (site / "docs").rglob("*.md"))
    assert typeset == found > 90
