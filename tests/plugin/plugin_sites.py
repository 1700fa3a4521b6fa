"""Small fixture sites, copied to a temporary folder and built with the real `mkdocs` command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SUMMARY = re.compile(
    r"mathcheck: (?P<blocks>\d+) blocks, (?P<cached>\d+) cached, (?P<checked>\d+) checked, "
    r"(?P<failed>\d+) failed, (?P<errors>\d+) errors"
)


@dataclass(frozen=True)
class Build:
    """What one `mkdocs` run did."""

    returncode: int
    output: str  # stdout and stderr together

    def counts(self) -> dict[str, int]:
        """The numbers of the plugin's one log line for this build."""
        found = SUMMARY.findall(self.output)
        assert len(found) == 1, f"expected one mathcheck log line in:\n{self.output}"
        return {name: int(value) for name, value in zip(SUMMARY.groupindex, found[0])}


def mkdocs_env(cache_dir: Path | None) -> dict[str, str]:
    """The environment for a build; `cache_dir` overrides the site's own cache folder."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("MATHCHECK_CACHE_DIR", None)
    if cache_dir is not None:
        env["MATHCHECK_CACHE_DIR"] = str(cache_dir)
    return env


def run_mkdocs(site: Path, *args: str, cache_dir: Path | None = None, python_flags: tuple[str, ...] = ()) -> Build:
    """`python -m mkdocs build ARGS` in `site`."""
    result = subprocess.run(
        [sys.executable, *python_flags, "-m", "mkdocs", "build", *args],
        cwd=site,
        env=mkdocs_env(cache_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=600,
    )
    return Build(result.returncode, result.stdout)


def make_site(destination: Path, extra_pages: tuple[str, ...] = (), plugin_options: str = "") -> Path:
    """A copy of fixtures/site plus pages from fixtures/pages."""
    site = destination / "site-src"
    shutil.copytree(FIXTURES / "site", site)
    for name in extra_pages:
        shutil.copy(FIXTURES / "pages" / name, site / "docs" / name)
    if plugin_options:
        config = site / "mkdocs.yml"
        config.write_text(config.read_text().replace("  - mathcheck\n", f"  - mathcheck:\n{plugin_options}"))
    return site
