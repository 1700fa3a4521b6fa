"""What CI reads from `mathcheck check`: annotations pointing at the wrong key, JSON with each
item's key line and a summary, `--quiet`, tables checked as a build checks them, `--version`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "mathcheck"]
WRONG_PAGE = """# Wrong

```derivation
id: doubled
title: Off by two
vars:
  x: vector(n)
f: sum(x)
wrt: x
claim: 2 * ones(n).T
```
"""
GOOD_PAGE = """# Good

```derivation
id: sum-x
vars:
  x: vector(n)
f: sum(x)
wrt: x
claim: ones(n).T
tags: [sums]
```
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
                          env={"PATH": "/usr/bin:/bin", "MATHCHECK_CACHE_DIR": str(cwd / "cache")})


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.md").write_text(GOOD_PAGE)
    return tmp_path


def test_annotation_names_the_wrong_key_s_line_with_a_title(docs: Path) -> None:
    (docs / "docs" / "wrong.md").write_text(WRONG_PAGE)
    proc = run("check", "docs", "--format", "github", "--quiet", cwd=docs)
    assert proc.returncode == 1
    (line,) = proc.stdout.splitlines()
    head, message = line.split("::", 2)[1:]
    # the claim stands on line 10 of the file; the fence opens on line 3
    assert head == "error file=docs/wrong.md,line=10,title=mathcheck%3A block doubled failed"
    assert message.startswith("docs/wrong.md:3: block `doubled` failed: the claim `2 * ones(n).T` is wrong")


def test_json_gives_the_key_line_and_a_summary_on_stderr(docs: Path) -> None:
    (docs / "docs" / "wrong.md").write_text(WRONG_PAGE)
    proc = run("check", "docs", "--format", "json", cwd=docs)
    assert proc.returncode == 1
    items = {item["id"]: item for item in json.loads(proc.stdout)}
    assert (items["doubled"]["line"], items["doubled"]["key_line"], items["doubled"]["status"]) == (3, 10, "failed")
    assert (items["sum-x"]["line"], items["sum-x"]["key_line"]) == (3, 3)
    summary = json.loads(proc.stderr)["summary"]
    assert {k: summary[k] for k in ("blocks", "verified", "failed", "error", "tables", "broken_tables")} == {
        "blocks": 2, "verified": 1, "failed": 1, "error": 0, "tables": 0, "broken_tables": 0}


def test_quiet_prints_only_problems(docs: Path) -> None:
    assert run("check", "docs", "--quiet", cwd=docs).stdout == ""
    (docs / "docs" / "wrong.md").write_text(WRONG_PAGE)
    proc = run("check", "docs", "--quiet", cwd=docs)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith("docs/wrong.md:3: block `doubled` failed")
    assert "sum-x" not in proc.stdout and "blocks:" not in proc.stdout


@pytest.mark.parametrize(
    ("table", "problem", "key_line"),
    [
        ("tags: [sum]", "no block has tag 'sum' (did you mean `sums`?)", 4),
        ("title: T\nids: [sum-y]", "no block has id 'sum-y' (did you mean `sum-x`?)", 5),
        ("tags: [sums]\ncolums: [title]", "unknown key(s) colums (did you mean `columns`?)", 5),
        ("tags: [sums, ]]", "invalid YAML", 4),
    ],
)
def test_a_broken_table_fails_the_check(docs: Path, table: str, problem: str, key_line: int) -> None:
    (docs / "docs" / "reference.md").write_text(f"# Reference\n\n```derivation-table\n{table}\n```\n")
    proc = run("check", "docs", "--format", "json", cwd=docs)
    assert proc.returncode == 1, proc.stdout
    (item,) = [item for item in json.loads(proc.stdout) if item["kind"] == "table"]
    assert (item["file"], item["line"], item["status"], item["id"]) == ("docs/reference.md", 3, "error", None)
    assert item["message"].startswith("docs/reference.md:3: derivation-table: ")
    assert problem in item["message"]
    assert item["key_line"] == key_line


def test_a_table_of_known_blocks_passes(docs: Path) -> None:
    (docs / "docs" / "reference.md").write_text("# Reference\n\n```derivation-table\ntags: [sums]\n```\n")
    proc = run("check", "docs", cwd=docs)
    assert proc.returncode == 0, proc.stdout
    assert "0 of 1 tables broken" in proc.stdout


def test_version_and_usage_errors(docs: Path) -> None:
    version = run("--version", cwd=docs)
    assert version.returncode == 0 and version.stdout.strip() == "mathcheck 0.1.0"
    assert run("check", "missing-folder", cwd=docs).returncode == 2
    assert run("check", "docs", "--format", "xml", cwd=docs).returncode == 2
