"""The package as a user gets it: a wheel built from this checkout, installed (not editable)
with its `mkdocs` and `sphinx` extras and the other builders into a fresh virtual environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILDERS = ("properdocs==1.6.7", "zensical==0.0.73")


@dataclass(frozen=True)
class Installed:
    """The built wheel and the virtual environment it is installed in."""

    wheel: Path
    build_output: str
    venv: Path

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, *command: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """A command of the environment, run outside the checkout with nothing of it importable."""
        clean = {key: value for key, value in os.environ.items()
                 if key not in ("PYTHONPATH", "MATHCHECK_CACHE_DIR", "VIRTUAL_ENV")}
        clean.update({"NO_MKDOCS_2_WARNING": "1", "PATH": f"{self.venv / 'bin'}:/usr/bin:/bin", **(env or {})})
        return subprocess.run(command, cwd=cwd, env=clean, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, check=False, timeout=900)


def install(root: Path, *pip_options: str, builders: tuple[str, ...] = BUILDERS,
            extras: str = "mkdocs,sphinx") -> Installed:
    """Build the wheel in `root` and install it into a new environment there, with `extras`
    and `builders` (pip given `pip_options` too)."""
    source = root / "source"  # a copy, so that the build leaves nothing in the checkout
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", "tests", "*.egg-info", "__pycache__", ".cache", ".mathcheck-cache", "build"))
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(root / "dist"), str(source)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False, timeout=600)
    assert built.returncode == 0, built.stdout
    (wheel,) = (root / "dist").glob("mathcheck-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile",
                          *pip_options, f"{wheel}[{extras}]", *builders],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False, timeout=900)
    assert pip.returncode == 0, pip.stdout
    return Installed(wheel, built.stdout, venv)


def wheel_names(wheel: Path) -> set[str]:
    """The top-level names a wheel installs."""
    with zipfile.ZipFile(wheel) as archive:
        return {name.split("/")[0] for name in archive.namelist()}
