"""How a build with the plugin scales with the number of blocks.

For each size (default 100, 300 and 1000 blocks) a site is made from copies of this site's
own blocks (each copy with an id of its own, so that every block is checked afresh), 20 to
a page, each under a heading with a line of prose, in this site's mkdocs.yml (theme and
extensions) without its nav. It is built without the plugin (`off`), with an empty cache
(`cold`) and with every verdict cached (`warm`), the three interleaved, each
`python -m mkdocs build` a fresh process; the medians are reported, in wall time and in
CPU time (the build's and its workers'; on a shared machine the steadier of the two).
Then `mathcheck check -j 1` and `-j 2` of the largest site's blocks, with no cache,
interleaved.

Usage: python benchmarks/bench_scale.py [--sizes 100 300 1000] [--repeat 3] [--warm 7]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mathcheck import find_blocks  # noqa: E402
from site_config import without_mathcheck  # noqa: E402

PER_PAGE = 20
ID_LINE = re.compile(r"^id:[ \t]*(\S+)[ \t]*$", re.MULTILINE)
CHECKED = re.compile(r"mathcheck: (\d+) blocks, (\d+) cached, (\d+) checked")


def site_blocks() -> list[tuple[str, str]]:
    """(title, YAML) of every block of the site, in page order."""
    found = []
    for page in sorted((REPO / "docs").rglob("*.md")):
        for block in find_blocks(page.read_text(), str(page)):
            found.append((block.title or block.id or "Block", block.source))
    return found


def make_site(root: Path, size: int, with_plugin: bool) -> Path:
    """A site of `size` blocks copied from this site's, with or without the plugin."""
    originals = site_blocks()
    docs = root / "docs"
    docs.mkdir(parents=True)
    shutil.copytree(REPO / "docs" / "stylesheets", docs / "stylesheets")
    (docs / "index.md").write_text(f"# {size} blocks\n\nCopies of the site's blocks.\n")
    pages: list[list[str]] = []
    for n in range(size):
        title, source = originals[n % len(originals)]
        copy = ID_LINE.sub(lambda m: f"id: {m[1]}-copy-{n // len(originals)}", source, count=1)
        if n % PER_PAGE == 0:
            pages.append([f"# Copies, page {len(pages) + 1}\n"])
        pages[-1].append(f"## {title}\n\nThe rule, checked again.\n\n```derivation\n{copy.rstrip()}\n```\n")
    for k, parts in enumerate(pages, start=1):
        (docs / f"copies-{k:03d}.md").write_text("\n".join(parts))
    config = (REPO / "mkdocs.yml").read_text()
    config = re.sub(r"^nav:\n(?:  .*\n)+", "", config, flags=re.MULTILINE)
    if not with_plugin:
        config = without_mathcheck(config)
    (root / "mkdocs.yml").write_text(config)
    return root


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, cache: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of one command (its waited-for workers included) and its output."""
    env = {**os.environ, "MATHCHECK_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # byte-compiled once, as an installed package is
    cpu, start = children_cpu(), time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, check=False)
    wall = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed in {cwd}:\n{result.stdout}")
    return wall, children_cpu() - cpu, result.stdout


def build(site: Path, cache: Path) -> tuple[float, float, str]:
    wall, cpu, log = timed([sys.executable, "-m", "mkdocs", "build"], site, cache)
    if "Aborted" in log or "Error" in log:
        sys.exit(f"build failed in {site}:\n{log}")
    return wall, cpu, log


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="cold runs, and -j runs (median)")
    parser.add_argument("--warm", type=int, default=7, help="warm and plugin-off runs (median)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPU(s); load average at start {os.getloadavg()[0]:.1f}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        root = Path(tmp)
        for size in args.sizes:
            on = make_site(root / f"on-{size}", size, with_plugin=True)
            off = make_site(root / f"off-{size}", size, with_plugin=False)
            warm_cache = root / f"warm-{size}"
            runs: dict[str, list[tuple[float, float]]] = {"off": [], "cold": [], "warm": []}
            build(off, root / "unused")  # byte-compiles the builder, as an installed one is
            for run in range(max(args.repeat, args.warm)):  # interleaved: a change of load hits all alike
                runs["off"].append(build(off, root / "unused")[:2])
                if run < args.repeat:
                    wall, cpu, log = build(on, root / f"cold-{size}-{run}")
                    assert CHECKED.search(log).group(3) == str(size), log
                    runs["cold"].append((wall, cpu))
                    if run == 0:
                        shutil.copytree(root / f"cold-{size}-0", warm_cache)
                if run < args.warm:
                    wall, cpu, log = build(on, warm_cache)
                    assert CHECKED.search(log).group(3) == "0", log
                    runs["warm"].append((wall, cpu))
            off_wall = median([w for w, _ in runs["off"]])
            cold_wall, cold_cpu = (median([r[k] for r in runs["cold"]]) for k in (0, 1))
            warm_wall, warm_cpu = (median([r[k] for r in runs["warm"]]) for k in (0, 1))
            off_cpu = median([c for _, c in runs["off"]])
            rows.append((size, off_wall, off_cpu, warm_wall / off_wall, warm_cpu / off_cpu,
                         cold_wall, 1000 * (cold_cpu - off_cpu) / size))
            print(f"{size}: off {off_wall:.2f} s ({off_cpu:.2f} CPU-s), warm {warm_wall:.2f} s "
                  f"({warm_cpu:.2f}), cold {cold_wall:.1f} s ({cold_cpu:.1f}); "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)

        largest = root / f"on-{max(args.sizes)}"
        jobs: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
        for _ in range(args.repeat):
            for j in (1, 2):
                command = [sys.executable, "-m", "mathcheck", "check", "docs", "--no-cache", "-j", str(j)]
                jobs[j].append(timed(command, largest, root / "unused")[:2])
        one, two = (median([w for w, _ in jobs[j]]) for j in (1, 2))

    print()
    print(f"medians of {args.repeat} cold and {args.warm} warm and plugin-off runs; cold CPU per block "
          "is the cold build's CPU time less the plugin-off build's, over the blocks")
    print("| blocks | plugin off | warm (all cached) | cold build | cold CPU per block |")
    print("|---|---|---|---|---|")
    for size, off_wall, off_cpu, warm_ratio, warm_cpu_ratio, cold_wall, per_block in rows:
        print(f"| {size} | {off_wall:.2f} s | x{warm_ratio:.2f} (CPU x{warm_cpu_ratio:.2f}) | "
              f"{cold_wall:.1f} s | {per_block:.0f} ms |")
    print(f"\nmathcheck check of {max(args.sizes)} blocks, no cache: -j 1 {one:.1f} s, -j 2 {two:.1f} s "
          f"wall (x{one / two:.2f}); CPU {median([c for _, c in jobs[1]]):.1f} and "
          f"{median([c for _, c in jobs[2]]):.1f} s; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
