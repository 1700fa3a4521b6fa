"""The plugin's verdict cache in real builds: where it lives, what a build says when it
cannot be written, progress of long checks, and time-outs that `mkdocs serve` remembers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from plugin_sites import mkdocs_env, run_mkdocs
from live_server import fetch_when_ready, serving

DEFAULT_CACHE = Path(".cache", "plugin", "mathcheck")


def test_the_default_cache_lives_beside_mkdocs_yml_and_ignores_itself(site_factory) -> None:
    site = site_factory()
    assert run_mkdocs(site).returncode == 0
    cache = site / DEFAULT_CACHE
    assert list(cache.rglob("*.json"))
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert not (site / ".mathcheck-cache").exists()


def test_an_unwritable_cache_is_said_once_and_the_build_goes_on(site_factory) -> None:
    site = site_factory(plugin_options="      cache_dir: blocker/cache\n")
    (site / "blocker").write_text("a file where the cache's folder would be")
    build = run_mkdocs(site, "--strict")  # checking still works: not a reason to fail
    assert build.returncode == 0, build.output
    assert build.output.count("cannot write the verdict cache") == 1, build.output
    assert build.counts()["checked"] == 4


def test_a_build_drops_the_entry_of_a_changed_block_once_unused_for_the_grace(site_factory) -> None:
    from mathcheck.running.cache import GRACE
    site = site_factory()
    assert run_mkdocs(site).returncode == 0
    cache = site / DEFAULT_CACHE
    before = set(cache.glob("??/*.json"))
    old = time.time() - GRACE - 60
    for entry in before:
        os.utime(entry, (old, old))
    rules = site / "docs" / "rules.md"
    rules.write_text(rules.read_text().replace("f: sum(x)\n", "f: sum(2 * x)\n").replace(
        "claim: ones(n).T\n", "claim: 2 * ones(n).T\n"))
    build = run_mkdocs(site)
    assert build.returncode == 0, build.output
    after = set(cache.glob("??/*.json"))
    assert len(after) == len(before) == 4, (before, after)  # the old sum-x entry gone, the new one kept
    assert len(before - after) == 1 and len(after - before) == 1
    assert all(entry.stat().st_mtime > old + 60 for entry in after)  # read, so touched


PROGRESS = """
from mathcheck.running import runner
from mkdocs.__main__ import cli
runner.PROGRESS_EVERY = 0.0
cli(["build"])
"""


def test_a_cold_build_reports_its_progress(site_factory, tmp_path: Path) -> None:
    site = site_factory()
    result = subprocess.run(
        [sys.executable, "-c", PROGRESS], cwd=site, env=mkdocs_env(tmp_path / "cache"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout
    for done in (1, 2, 3):
        assert f"mathcheck: checked {done} of 4 blocks" in result.stdout, result.stdout


def summaries(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if " blocks, " in line and "cached" in line]


def test_serve_does_not_run_a_timed_out_block_again_on_each_rebuild(site_factory, tmp_path: Path) -> None:
    site = site_factory("slow.md", plugin_options="      time_limit: 0.5\n")
    log = tmp_path / "serve.log"
    serve = [sys.executable, "-m", "mkdocs", "serve"]  # with live reload, which rebuilds
    with serving(serve, site, mkdocs_env(tmp_path / "cache"), log) as (server, address):
        first = fetch_when_ready(f"{address}/slow/", server, timeout=300)
        assert "0.5 s of CPU time" in first and "not checked again" not in first
        index = site / "docs" / "index.md"
        index.write_text(index.read_text() + "\nEdited.\n")
        deadline = time.monotonic() + 300
        while len(summaries(log)) < 2 and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
        assert len(summaries(log)) >= 2, log.read_text()
        again = fetch_when_ready(f"{address}/slow/", server, timeout=60)
        assert "0.5 s of CPU time" in again and "not checked again until it or the time limit changes" in again
