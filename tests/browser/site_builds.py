"""Sites built for the browser tests: this repository's, and the plugin's fixture site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE_SITE = REPO / "tests" / "plugin" / "fixtures" / "site"


def build(config_dir: Path, out: Path, site_url: str) -> None:
    """`mkdocs build` of the site in `config_dir` into `out`, to be browsed at `site_url`
    (Material's instant navigation needs its host and port); fails the test on a failed build."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(out)],
        cwd=config_dir,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout
