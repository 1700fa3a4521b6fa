"""A small MyST site (fixtures/site), copied to a temporary folder and built with the real
`sphinx-build`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "site"
SUMMARY = re.compile(
    r"mathcheck: (?P<blocks>\d+) blocks, (?P<cached>\d+) cached, (?P<checked>\d+) checked, "
    r"(?P<failed>\d+) failed, (?P<errors>\d+) errors in (?P<seconds>[\d.]+) s"
)


@dataclass(frozen=True)
class Build:
    """What one `sphinx-build` run did."""

    returncode: int
    output: str  # stdout and stderr together
    out: Path  # the built HTML

    def counts(self) -> dict[str, float]:
        """The numbers of the extension's one log line for this build."""
        found = SUMMARY.findall(self.output)
        assert len(found) == 1, f"expected one mathcheck log line in:\n{self.output}"
        return {name: float(value) for name, value in zip(SUMMARY.groupindex, found[0])}

    def page(self, name: str) -> str:
        return (self.out / name).read_text(encoding="utf-8")


def copy_site(destination: Path) -> Path:
    """A copy of the fixture site in `destination`."""
    site = destination / "site"
    shutil.copytree(FIXTURE, site)
    return site


def sphinx_build(site: Path, *args: str, cache_dir: Path | None = None, out: str = "_build") -> Build:
    """`python -m sphinx -b html site site/OUT/html -d site/OUT/doctrees ARGS`, run in the
    site's parent folder, uncoloured; `cache_dir` is given as $MATHCHECK_CACHE_DIR."""
    env = {key: value for key, value in os.environ.items() if key != "MATHCHECK_CACHE_DIR"}
    env["NO_COLOR"] = "1"  # Sphinx colours its log when $CI is set, which would hide the line starts
    if cache_dir is not None:
        env["MATHCHECK_CACHE_DIR"] = str(cache_dir)
    html, doctrees = site / out / "html", site / out / "doctrees"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(doctrees), *args, site.name, str(html)],
        cwd=site.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        check=False, timeout=600,
    )
    return Build(result.returncode, result.stdout, html)
