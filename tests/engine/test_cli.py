"""`mathcheck check PATH...`: exit codes, output formats, parallel runs, the cache,
and recursion into folders of markdown."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "import sys; from mathcheck.cli import main; sys.exit(main())"]

GOOD_1 = {"id": "cli-power", "vars": {"x": "scalar"}, "f": "x**3", "wrt": "x", "claim": "3*x**2"}
GOOD_2 = {"id": "cli-dot", "vars": {"w": "vector(n)", "x": "vector(n)"}, "f": "dot(w, x)", "wrt": "w",
          "claim": "x.T"}
GOOD_3 = {"id": "cli-hadamard", "vars": {"w": "vector(n)", "x": "vector(n)"}, "f": "w * x", "wrt": "w",
          "claim": "diag(x)"}
WRONG = {"id": "cli-wrong", "vars": {"x": "scalar"}, "f": "x**2", "wrt": "x", "claim": "2"}
BROKEN = {"id": "cli-broken", "vars": {"x": "scalar"}, "f": "x**2", "wrt": "y", "claim": "2*x"}


def run(*args: str, cwd: Path, cache: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "MATHCHECK_CACHE_DIR"}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    if cache is not None:
        full_env["MATHCHECK_CACHE_DIR"] = str(cache)
    full_env.update(env or {})
    return subprocess.run([*CLI, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300,
                          check=False)


def json_out(proc: subprocess.CompletedProcess) -> list[dict]:
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:  # pragma: no cover - shown on failure only
        raise AssertionError(f"not JSON: {proc.stdout!r}\nstderr: {proc.stderr}") from exc


@pytest.fixture
def site(tmp_path, page_of) -> Path:
    """A folder of markdown: two files at two depths, all blocks true, plus a non-markdown file."""
    docs = tmp_path / "docs"
    (docs / "deep" / "deeper").mkdir(parents=True)
    (docs / "rules.md").write_text(page_of(GOOD_1, GOOD_2))
    (docs / "deep" / "deeper" / "more.md").write_text(page_of(GOOD_3))
    # a wrong block outside markdown: never read
    (docs / "notes.txt").write_text(page_of(WRONG))
    return tmp_path


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def test_all_verified_exits_0_and_recurses_into_folders(site):
    proc = run("check", "docs", "--format", "json", cwd=site, cache=site / "cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    items = by_id(json_out(proc))
    assert set(items) == {"cli-power", "cli-dot", "cli-hadamard"}
    assert all(item["status"] == "verified" for item in items.values())
    assert items["cli-hadamard"]["file"].replace(os.sep, "/").endswith("docs/deep/deeper/more.md")
    assert items["cli-power"]["line"] == 3
    assert items["cli-dot"]["line"] == 12


def test_json_items_have_the_contract_keys_and_the_added_ones(site):
    proc = run("check", "docs", "--format", "json", cwd=site, cache=site / "cache")
    items = json_out(proc)
    assert isinstance(items, list) and len(items) == 3
    for item in items:
        assert list(item)[:5] == ["id", "file", "line", "status", "message"]
        assert set(item) == {"id", "file", "line", "status", "message", "key_line", "kind",
                             "suggestion"}
        assert item["suggestion"] is None   # verified: nothing to suggest
        assert isinstance(item["line"], int)
        assert item["key_line"] == item["line"] and item["kind"] == "block"  # verified: the fence
        assert item["status"] in ("verified", "failed", "error")
        assert item["message"].startswith(f"{item['file']}:{item['line']}"), item


def test_a_failed_block_exits_1(site, page_of):
    (site / "docs" / "wrong.md").write_text(page_of(WRONG))
    proc = run("check", "docs", "--format", "json", cwd=site, cache=site / "cache")
    assert proc.returncode == 1
    items = by_id(json_out(proc))
    assert items["cli-wrong"]["status"] == "failed"
    assert items["cli-power"]["status"] == "verified"


def test_an_error_block_exits_1(site, page_of):
    (site / "docs" / "broken.md").write_text(page_of(BROKEN))
    proc = run("check", "docs", "--format", "json", cwd=site, cache=site / "cache")
    assert proc.returncode == 1
    assert by_id(json_out(proc))["cli-broken"]["status"] == "error"


def test_text_output_names_the_bad_block(site, page_of):
    (site / "docs" / "wrong.md").write_text(page_of(WRONG))
    proc = run("check", "docs", cwd=site, cache=site / "cache")
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert "cli-wrong" in out or re.search(r"wrong\.md:3\b", out), out


def test_jobs_0_means_one_per_core_as_in_the_plugin(site):
    proc = run("check", "docs", "-j", "0", cwd=site, cache=site / "cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified" in proc.stdout


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["check"],
        ["frobnicate", "docs"],
        ["check", "docs", "--format", "xml"],
        ["check", "docs", "--no-such-option"],
        ["check", "docs", "-j", "many"],
        ["check", "docs", "-j", "-1"],
        ["check", "no-such-folder"],
    ],
    ids=["no command", "no path", "unknown command", "unknown format", "unknown option", "bad -j", "negative -j",
         "missing path"],
)
def test_usage_errors_exit_2(site, args):
    proc = run(*args, cwd=site, cache=site / "cache")
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)


def test_a_folder_without_markdown_has_nothing_to_check(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("```derivation\nid: x\n```\n")
    proc = run("check", "empty", "--format", "json", cwd=tmp_path, cache=tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    assert json_out(proc) == []


def test_github_format_annotates_each_bad_block(site, page_of):
    (site / "docs" / "wrong.md").write_text(page_of(WRONG))
    (site / "docs" / "broken.md").write_text(page_of(BROKEN))
    proc = run("check", "docs", "--format", "github", cwd=site, cache=site / "cache")
    assert proc.returncode == 1
    annotations = [re.fullmatch(r"::error file=([^,]+),line=(\d+),title=mathcheck%3A block cli-\w+ \w+::(.*)", line)
                   for line in proc.stdout.splitlines() if line.startswith("::error")]
    assert all(annotations), proc.stdout
    # each annotation points into its block: the fence (line 3) or the offending key
    found = {Path(m.group(1)).name: int(m.group(2)) for m in annotations}
    assert set(found) == {"wrong.md", "broken.md"}, proc.stdout
    assert len(annotations) == 2, proc.stdout
    block_end = 3 + len(page_of(WRONG).splitlines()[3:-1])
    assert all(3 <= line <= block_end for line in found.values()), proc.stdout
    assert all(m.group(1).replace(os.sep, "/").endswith(f"docs/{Path(m.group(1)).name}") for m in annotations)
    for m in annotations:
        assert m.group(3).strip(), "an annotation needs a message"


def test_github_format_is_quiet_about_errors_when_all_verified(site):
    proc = run("check", "docs", "--format", "github", cwd=site, cache=site / "cache")
    assert proc.returncode == 0
    assert not [line for line in proc.stdout.splitlines() if line.startswith("::error")], proc.stdout


def test_several_paths_files_and_folders(site, page_of):
    other = site / "other"
    other.mkdir()
    (other / "one.md").write_text(page_of(WRONG))
    proc = run("check", "docs/rules.md", "other", "--format", "json", cwd=site, cache=site / "cache")
    assert proc.returncode == 1
    assert set(by_id(json_out(proc))) == {"cli-power", "cli-dot", "cli-wrong"}


def test_parallel_run_gives_the_same_verdicts(site, page_of):
    (site / "docs" / "wrong.md").write_text(page_of(WRONG))
    (site / "docs" / "broken.md").write_text(page_of(BROKEN))
    serial = run("check", "docs", "--format", "json", "--no-cache", "-j", "1", cwd=site)
    parallel = run("check", "docs", "--format", "json", "--no-cache", "-j", "2", cwd=site)
    assert serial.returncode == parallel.returncode == 1
    def where(item: dict) -> tuple:
        return item["file"], item["line"]

    assert sorted(json_out(serial), key=where) == sorted(json_out(parallel), key=where)


def cache_files(cache: Path) -> set[Path]:
    return {p for p in cache.rglob("*") if p.is_file()} if cache.exists() else set()


def test_second_run_is_served_from_the_cache(site):
    cache = site / "cache"
    first = run("check", "docs", "--format", "json", cwd=site, cache=cache)
    stored = cache_files(cache)
    assert stored, "the first run should fill the cache"
    mtimes = {p: p.stat().st_mtime_ns for p in stored}
    second = run("check", "docs", "--format", "json", cwd=site, cache=cache)
    assert second.returncode == first.returncode == 0
    assert json_out(second) == json_out(first)
    assert cache_files(cache) == stored, "a warm run adds no new entries"
    assert {p: p.stat().st_mtime_ns for p in stored} == mtimes, "a warm run rewrites nothing"


def test_changed_block_is_rechecked_not_served_stale(site, page_of):
    cache = site / "cache"
    assert run("check", "docs", "--format", "json", cwd=site, cache=cache).returncode == 0
    broken_claim = dict(GOOD_1, claim="3*x**2 + 1e-4*x")
    (site / "docs" / "rules.md").write_text(page_of(broken_claim, GOOD_2))
    proc = run("check", "docs", "--format", "json", cwd=site, cache=cache)
    assert proc.returncode == 1
    assert by_id(json_out(proc))["cli-power"]["status"] == "failed"


def test_no_cache_neither_reads_nor_writes(site, page_of):
    cache = site / "cache"
    proc = run("check", "docs", "--format", "json", "--no-cache", cwd=site, cache=cache)
    assert proc.returncode == 0
    assert cache_files(cache) == set()


def test_default_cache_lives_in_the_working_directory(site):
    proc = run("check", "docs", "--format", "json", cwd=site)
    assert proc.returncode == 0
    cache = site / ".cache" / "plugin" / "mathcheck"
    assert cache_files(cache), "default cache is .cache/plugin/mathcheck in the cwd"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*", "the cache ignores itself"
    assert not (site / ".mathcheck-cache").exists()


def test_api_cache_hit_is_marked_and_imports_no_sympy(tmp_path, page_of):
    """A warm check answers from the cache without importing sympy (a fresh process)."""
    page = tmp_path / "page.md"
    page.write_text(page_of(GOOD_1, GOOD_2, WRONG))
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import mathcheck\n"
        f"blocks = mathcheck.find_blocks(Path({str(page)!r}).read_text(), 'page.md')\n"
        f"verdicts = mathcheck.check_blocks(blocks, jobs=1, time_limit=20, cache_dir=Path({str(tmp_path / 'c')!r}))\n"
        "print(json.dumps({'cached': [v.cached for v in verdicts], 'status': [v.status for v in verdicts],\n"
        "                  'messages': [v.message for v in verdicts], 'sympy': 'sympy' in sys.modules}))\n"
    )
    env = {k: v for k, v in os.environ.items()}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))

    def once() -> dict:
        proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.strip().splitlines()[-1])

    cold, warm = once(), once()
    assert cold["cached"] == [False, False, False]
    assert warm["cached"] == [True, True, True]
    assert warm["status"] == cold["status"] == ["verified", "verified", "failed"]
    assert warm["messages"] == cold["messages"]
    assert warm["sympy"] is False


def test_api_without_cache_dir_never_marks_cached(page_of):
    import mathcheck

    blocks = mathcheck.find_blocks(page_of(GOOD_1), "page.md")
    for _ in range(2):
        [verdict] = mathcheck.check_blocks(blocks, jobs=1, time_limit=20, cache_dir=None)
        assert verdict.cached is False
        assert verdict.status == "verified"


def test_cached_verdict_follows_its_block_to_a_new_line_and_file(tmp_path, page_of):
    import mathcheck

    cache = tmp_path / "c"
    first = mathcheck.check_blocks(mathcheck.find_blocks(page_of(GOOD_1, WRONG), "a.md"),
                                   jobs=1, time_limit=20, cache_dir=cache)
    moved_text = "Some prose.\n\nMore prose.\n\n" + page_of(GOOD_1, WRONG)
    moved = mathcheck.check_blocks(mathcheck.find_blocks(moved_text, "b.md"), jobs=1, time_limit=20, cache_dir=cache)
    assert [v.cached for v in moved] == [True, True]
    assert [v.status for v in moved] == [v.status for v in first] == ["verified", "failed"]
    assert [v.line for v in moved] == [v.line + 4 for v in first]
    for v in moved:
        assert v.file == "b.md"
        assert v.message.startswith(f"b.md:{v.line}:"), v.message
        assert "a.md" not in v.message


def test_a_timeout_is_not_served_from_the_cache(tmp_path, page_of):
    """Raising the time limit must give the block a real chance, not the cached timeout."""
    import mathcheck

    heavy = {"id": "cli-heavy", "vars": {"X": "matrix(n, n)", "a": "vector(n)", "b": "vector(n)"},
             "f": "a.T @ inv(X) @ b + log(abs(det(X))) + trace(inv(X) @ inv(X))", "wrt": "X",
             "claim": "-inv(X) @ b @ a.T @ inv(X) + inv(X) - 2 * inv(X) @ inv(X) @ inv(X)"}
    blocks = mathcheck.find_blocks(page_of(heavy), "h.md")
    cache = tmp_path / "c"
    [rushed] = mathcheck.check_blocks(blocks, jobs=1, time_limit=0.05, cache_dir=cache)
    assert rushed.status == "error", rushed.message
    [patient] = mathcheck.check_blocks(blocks, jobs=1, time_limit=60, cache_dir=cache)
    assert patient.status == "verified", patient.message


def test_a_corrupt_cache_is_ignored_not_trusted(site, page_of):
    (site / "docs" / "wrong.md").write_text(page_of(WRONG))
    cache = site / "cache"
    first = run("check", "docs", "--format", "json", cwd=site, cache=cache)
    stored = cache_files(cache)
    assert stored
    for path in stored:
        path.write_bytes(b"\x00not a verdict{]")
    second = run("check", "docs", "--format", "json", cwd=site, cache=cache)
    assert second.returncode == first.returncode == 1, second.stderr
    assert json_out(second) == json_out(first)


def unescape_property(value: str) -> str:
    for code, char in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        value = value.replace(code, char)
    return value


def test_github_annotation_escapes_an_awkward_file_name(tmp_path, page_of):
    """Workflow commands split properties on ',' and end them at '::': a file name with
    either must arrive escaped (%2C, %3A), or the annotation points nowhere."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "odd, name: 100%.md").write_text(page_of(WRONG))
    proc = run("check", "docs", "--format", "github", cwd=tmp_path, cache=tmp_path / "cache")
    assert proc.returncode == 1
    [line] = [ln for ln in proc.stdout.splitlines() if ln.startswith("::error")]
    match = re.match(r"::error (?P<props>.*?)::(?P<message>.*)", line)
    assert match, line
    items = match.group("props").split(",")
    assert all("=" in item for item in items), f"an unescaped ',' splits the properties: {line}"
    props = dict(item.split("=", 1) for item in items)
    assert set(props) >= {"file", "line"}, props
    assert unescape_property(props["file"]).replace(os.sep, "/").endswith("docs/odd, name: 100%.md"), line
    assert props["line"].isdigit(), line


def test_a_misspelt_fence_is_an_error_that_exits_1(site, page_of):
    (site / "docs" / "misspelt.md").write_text(page_of(GOOD_1).replace("```derivation", "```Derivation"))
    proc = run("check", "docs", "--format", "json", cwd=site, cache=site / "cache")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    [item] = [item for item in json_out(proc) if item["file"].endswith("misspelt.md")]
    assert (item["id"], item["line"], item["status"]) == (None, 3, "error")
    assert item["message"].endswith("misspelt.md:3: block error: this fence reads `Derivation`, which is not "
                                    "checked: Markdown shows it as code (did you mean `derivation`?)")
    text = run("check", "docs/misspelt.md", cwd=site, cache=site / "cache")
    assert text.returncode == 1 and "this fence reads `Derivation`" in text.stdout + text.stderr
