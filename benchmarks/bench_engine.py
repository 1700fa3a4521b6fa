"""Engine benchmark: time per block on the site's rules, cold and warm.

    python benchmarks/bench_engine.py [FOLDER]     (default: docs)

Prints, for every derivation block of FOLDER:
- cold: each block checked in a fresh process, as the first block a worker is given (the
  checker imported beforehand, outside the timing): median, p95, slowest, CPU time;
- warm: the same blocks one after another in one process (sympy's caches filled);
- `mathcheck check --no-cache` with one and with two workers, each a fresh command;
- a warm `mathcheck check` (every verdict cached) as a user runs it.
- the rules stated for every function (tests/engine/pages/general_rules.md) against one
  concrete instance of each of the same sizes (concrete_rules.md), cold CPU per block.
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "engine" / "pages"
sys.path.insert(0, str(ROOT))

from mathcheck import find_blocks  # noqa: E402

FRESH = """
import json, sys, time
from pathlib import Path
import mathcheck
from mathcheck.checking.decide import check_block
block = mathcheck.find_blocks(Path(sys.argv[1]).read_text(), sys.argv[1])[int(sys.argv[2])]
wall, cpu = time.perf_counter(), time.process_time()
check_block(block)
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


def describe(name: str, times: list[tuple[float, str]]) -> None:
    seconds = sorted(t for t, _ in times)
    print(f"{name}: median {1000 * statistics.median(seconds):.0f} ms, "
          f"p95 {1000 * seconds[int(0.95 * (len(seconds) - 1))]:.0f} ms, "
          f"total {sum(seconds):.2f} s; slowest: "
          + ", ".join(f"{i} {1000 * t:.0f} ms" for t, i in sorted(times)[-3:]))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def locate(files: list[Path]) -> list[tuple[Path, int, object]]:
    """(file, index in the file, block) of every block of the files."""
    return [(f, k, b) for f in files for k, b in enumerate(find_blocks(f.read_text(), str(f)))]


def fresh_times(located: list[tuple[Path, int, object]]) -> tuple[list, list]:
    """(wall, id) and (CPU, id) of each block checked as the first block of a fresh process."""
    walls, cpus = [], []
    for file, k, block in located:
        result = subprocess.run([sys.executable, "-c", FRESH, str(file), str(k)], cwd=ROOT,
                                capture_output=True, text=True, check=True)
        wall, cpu = json.loads(result.stdout)
        walls.append((wall, block.id))
        cpus.append((cpu, block.id))
    return walls, cpus


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    located = locate(sorted(folder.rglob("*.md")))
    blocks = [b for _, _, b in located]
    print(f"{len(blocks)} blocks in {folder}")

    cold_wall, cold_cpu = fresh_times(located)
    describe("cold, a fresh process per block, wall", cold_wall)
    describe("cold, a fresh process per block, CPU", cold_cpu)

    from mathcheck.checking.decide import check_block  # imports sympy, outside the timings
    warm = []
    for block in blocks:
        start = time.process_time()
        check_block(block)
        warm.append((time.process_time() - start, block.id))
    describe("warm, one process for all, CPU", warm)

    for jobs in (1, 2):
        command = [sys.executable, "-m", "mathcheck", "check", str(folder), "--no-cache", "-j", str(jobs)]
        cpu, start = children_cpu(), time.perf_counter()
        subprocess.run(command, capture_output=True, cwd=ROOT)
        wall, cpu = time.perf_counter() - start, children_cpu() - cpu
        print(f"mathcheck check --no-cache -j {jobs}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
              f"{1000 * cpu / len(blocks):.0f} ms CPU per block (start-up included)")

    with tempfile.TemporaryDirectory() as cache:
        command = [sys.executable, "-m", "mathcheck", "check", str(folder), "--cache-dir", cache]
        subprocess.run(command, capture_output=True, cwd=ROOT)
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, cwd=ROOT)
        print(f"mathcheck check, warm cache: {time.perf_counter() - start:.2f} s wall "
              "(whole command, interpreter start included)")
        probe = ("import sys, mathcheck, pathlib; "
                 f"bs=[b for f in sorted(pathlib.Path({str(folder)!r}).rglob('*.md')) "
                 "for b in mathcheck.find_blocks(f.read_text(), str(f))]; "
                 f"mathcheck.check_blocks(bs, cache_dir={cache!r}); "
                 "print('sympy imported:', 'sympy' in sys.modules)")
        print("warm run:", subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                          text=True, cwd=ROOT).stdout.strip())


def general_against_concrete() -> None:
    """Cold CPU time per block (each the first block of a fresh process) of the general rules
    and of their concrete instances."""
    medians = {}
    for page in ("general_rules.md", "concrete_rules.md"):
        _, cpus = fresh_times(locate([PAGES / page]))
        times = sorted(t for t, _ in cpus)
        medians[page] = statistics.median(times)
        print(f"{page}: {len(times)} blocks, cold CPU per block median {1000 * medians[page]:.0f} ms, "
              f"p95 {1000 * times[int(0.95 * (len(times) - 1))]:.0f} ms, slowest {1000 * times[-1]:.0f} ms")
    print(f"general / concrete median: {medians['general_rules.md'] / medians['concrete_rules.md']:.2f}")


if __name__ == "__main__":
    main()
    general_against_concrete()
