"""What the mathcheck plugin costs a build of this site.

Builds a copy of the site (docs/, mkdocs.yml, search-synonyms.yml) with the plugin and without it (the same
mkdocs.yml less the `mathcheck` plugin, so blocks stay code blocks and KaTeX is not copied):
cold (empty verdict cache) and warm (every verdict cached) wall times of `mkdocs build`, their
ratios to the build without the plugin, and the time a `mkdocs serve` rebuild takes after one
block is edited (in one process, as serve does, so the plugin instance is kept).

Usage: python benchmarks/bench_site.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from site_config import without_mathcheck

REPO = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"mathcheck: (\d+) blocks, (\d+) cached, (\d+) checked")


def copy_site(destination: Path, with_plugin: bool) -> Path:
    """The site's pages and configuration in `destination`, with or without the plugin."""
    shutil.copytree(REPO / "docs", destination / "docs")
    shutil.copy(REPO / "search-synonyms.yml", destination)   # the plugin's search_synonyms
    config = (REPO / "mkdocs.yml").read_text()
    if not with_plugin:
        config = without_mathcheck(config)
    (destination / "mkdocs.yml").write_text(config)
    return destination


def timed_build(site: Path, cache: Path) -> tuple[float, str]:
    """Wall time of one `python -m mkdocs build` (interpreter start included) and its log."""
    env = {**os.environ, "MATHCHECK_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed in {site}:\n{result.stdout}")
    return seconds, result.stdout


def serve_rebuild(site: Path, cache: Path) -> tuple[float, str]:
    """Seconds for a serve-style rebuild after one block's title is edited, in this process,
    and the plugin's log line for it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ["MATHCHECK_CACHE_DIR"] = str(cache)

    def rebuild() -> tuple[float, str]:
        config = load_config(str(site / "mkdocs.yml"))  # plugins with on_startup are kept, as in serve
        start = time.perf_counter()
        build(config)
        return time.perf_counter() - start, config.plugins["mathcheck"].scan.summary()

    load_config(str(site / "mkdocs.yml")).plugins.on_startup(command="serve", dirty=False)
    rebuild()  # the build serve starts with (warm)
    page = site / "docs" / "elementwise.md"
    text = page.read_text()
    title = re.search(r"^title: (.+)$", text, re.MULTILINE)
    assert title, "no block title to edit in elementwise.md"
    page.write_text(text.replace(title[0], f"title: {title[1].strip(chr(34))} (edited)", 1))
    return rebuild()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds per measurement (median)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp)
        on = copy_site(root / "on", with_plugin=True)
        off = copy_site(root / "off", with_plugin=False)
        caches = root / "caches"

        cold_times, logs = [], []
        for run in range(args.repeat):
            seconds, log = timed_build(on, caches / f"cold-{run}")
            cold_times.append(seconds)
            logs.append(log)
        off_times, warm_times, warm_checked = [], [], []
        for _ in range(args.repeat):  # interleaved, so that a change of load hits both alike
            off_times.append(timed_build(off, caches / "unused")[0])
            seconds, log = timed_build(on, caches / "cold-0")
            warm_times.append(seconds)
            warm_checked.append(int(SUMMARY.search(log).group(3)))
        blocks, _, checked = SUMMARY.search(logs[0]).groups()
        serve_seconds, serve_summary = serve_rebuild(on, caches / "cold-0")
        serve_checked = SUMMARY.search(f"mathcheck: {serve_summary}").group(3)

    off_s, cold_s, warm_s = (statistics.median(times) for times in (off_times, cold_times, warm_times))
    rows = [
        ("plugin off", off_s, "1.00"),
        (f"plugin on, cold ({checked} of {blocks} blocks checked)", cold_s, f"{cold_s / off_s:.2f}"),
        (f"plugin on, warm ({max(warm_checked)} checked)", warm_s, f"{warm_s / off_s:.2f}"),
        (f"serve rebuild after editing one block ({serve_checked} checked)", serve_seconds, "-"),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(f"mkdocs build of this site, median of {args.repeat}, wall time on {os.cpu_count()} CPU(s)")
    print(f"{'build':<{width}}  {'seconds':>8}  {'ratio':>6}")
    for name, seconds, ratio in rows:
        print(f"{name:<{width}}  {seconds:8.2f}  {ratio:>6}")


if __name__ == "__main__":
    main()
