"""The pre-commit hook, run with `pre-commit try-repo`, and the composite action's steps."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from installed_package import REPO, Installed

FIXTURES = Path(__file__).parent / "fixtures"


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   cwd=cwd, check=True, capture_output=True)


def test_pre_commit_hook_passes_a_good_folder_and_fails_a_wrong_block(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "site", project)
    git("init", "-q", cwd=project)
    git("add", ".", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_NO_COMPILE": "1",
           "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYTHONPATH", None)
    # the hooks' repository: this checkout's files as they are now, committed in a copy
    hooks = tmp_path / "hooks"
    shutil.copytree(REPO, hooks, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", "tests", "*.egg-info", "__pycache__", ".cache", ".mathcheck-cache", "build"))
    git("init", "-q", cwd=hooks)
    git("add", ".", cwd=hooks)
    git("commit", "-q", "-m", "hooks", cwd=hooks)
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "mathcheck", "--all-files"]
    good = subprocess.run(pre_commit, cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "mathcheck" in good.stdout and "Passed" in good.stdout
    shutil.copy(FIXTURES / "wrong.md", project / "docs" / "wrong.md")
    git("add", ".", cwd=project)
    wrong = subprocess.run(pre_commit, cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert "Failed" in wrong.stdout
    assert "docs/wrong.md:5: block `cube-wrong` failed" in wrong.stdout


def test_action_installs_the_package_and_annotates_a_wrong_block(installed: Installed, tmp_path: Path) -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[1]["run"] == 'python -m pip install --quiet "$GITHUB_ACTION_PATH"'
    check = steps[2]
    site = tmp_path / "repo"
    shutil.copytree(FIXTURES / "site", site)
    shutil.copy(FIXTURES / "wrong.md", site / "docs" / "wrong.md")
    env = {"MATHCHECK_PATHS": action["inputs"]["paths"]["default"],
           "MATHCHECK_JOBS": action["inputs"]["jobs"]["default"],
           "MATHCHECK_CACHE_DIR": str(tmp_path / "cache")}
    result = installed.run(check["shell"], "-c", check["run"], cwd=site, env=env)
    assert result.returncode == 1, result.stdout
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations == [
        "::error file=docs/wrong.md,line=12,title=mathcheck%3A block cube-wrong failed::"
        + annotations[0].split("::", 2)[2]
    ]
    assert annotations[0].split("::", 2)[2].startswith("docs/wrong.md:5: block `cube-wrong` failed")
