"""Every lower bound the package declares is a release that works: a fresh environment with
the lowest allowed version of each dependency (the builders' too) builds a small site with a
block, and fails on a wrong one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

from installed_package import REPO, Installed, install

FIXTURES = Path(__file__).parent / "fixtures"
REQUIREMENT = re.compile(r"(?P<name>[A-Za-z0-9_.-]+)>=(?P<floor>[0-9.]+),<[0-9.]+")


def floors() -> dict[str, str]:
    """Each dependency, the builders' included, and its declared lower bound."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    found = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["mkdocs"]]:
        match = REQUIREMENT.fullmatch(requirement)
        assert match, f"{requirement}: every dependency has a lower and an upper bound"
        found[match["name"].lower()] = match["floor"]
    return found


def test_the_lowest_allowed_versions_build_a_site_and_fail_a_wrong_block(tmp_path: Path) -> None:
    pins = floors()
    assert {"mkdocs", "mkdocs-material", "pymdown-extensions", "markdown"} <= set(pins)
    constraints = tmp_path / "floors.txt"
    constraints.write_text("".join(f"{name}=={floor}\n" for name, floor in pins.items()))
    installed: Installed = install(tmp_path, "--constraint", str(constraints), builders=(), extras="mkdocs")
    listed = json.loads(subprocess.run([installed.bin("python"), "-m", "pip", "list", "--format=json"],
                                       capture_output=True, text=True, check=True).stdout)
    versions = {package["name"].lower(): package["version"] for package in listed}
    for name, floor in pins.items():
        assert versions[name.lower()] in (floor, f"{floor}.0"), (name, versions.get(name.lower()), floor)

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    env = {"MATHCHECK_CACHE_DIR": str(tmp_path / "cache")}
    good = installed.run("mkdocs", "build", "--strict", cwd=site, env=env)
    assert good.returncode == 0, good.stdout
    assert '<div class="mathcheck-block" id="square">' in (site / "site" / "rules" / "index.html").read_text()
    shutil.copy(FIXTURES / "wrong.md", site / "docs" / "wrong.md")
    wrong = installed.run("mkdocs", "build", cwd=site, env=env)
    assert wrong.returncode == 1 and "block `cube-wrong` failed" in wrong.stdout, wrong.stdout
