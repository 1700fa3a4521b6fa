"""Engine benchmark: time per block on the site's rules, cold and warm.

    python benchmarks/bench_engine.py [FOLDER]     (default: docs)

Prints, for every derivation block of FOLDER: the in-process check time (median, p95,
slowest), the wall time of `check_blocks` cold with one and with two processes, and
the wall time of a warm `mathcheck check` (every verdict cached) as a user runs it.
Then the rules stated for every function (tests/engine/pages/general_rules.md) against
one concrete instance of each of the same sizes (concrete_rules.md), in cold CPU time per block.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "engine" / "pages"
sys.path.insert(0, str(ROOT))

from mathcheck import check_blocks, find_blocks  # noqa: E402


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    blocks = [b for f in sorted(folder.rglob("*.md")) for b in find_blocks(f.read_text(), str(f))]
    print(f"{len(blocks)} blocks in {folder}")

    from mathcheck.checking import check_block  # imports sympy, outside the timings
    times = []
    for block in blocks:
        start = time.perf_counter()
        check_block(block)
        times.append((time.perf_counter() - start, block.id))
    seconds = sorted(t for t, _ in times)
    print(f"in-process, cold: median {1000 * statistics.median(seconds):.0f} ms, "
          f"p95 {1000 * seconds[int(0.95 * (len(seconds) - 1))]:.0f} ms, "
          f"total {sum(seconds):.2f} s")
    print("slowest:", ", ".join(f"{i} {1000 * t:.0f} ms" for t, i in sorted(times)[-5:]))

    for jobs in (1, 2):
        start = time.perf_counter()
        check_blocks(blocks, jobs=jobs, cache_dir=None)
        wall = time.perf_counter() - start
        print(f"check_blocks cold, -j {jobs}: {wall:.2f} s wall, "
              f"{1000 * wall / len(blocks):.0f} ms per block (process per block included)")

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
    """Cold CPU time per block (each in its own worker process, as a build checks it) of the
    general rules and of their concrete instances."""
    import resource

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    medians = {}
    for page in ("general_rules.md", "concrete_rules.md"):
        blocks = find_blocks((PAGES / page).read_text(), page)
        times = []
        for block in blocks:
            start = children_cpu()
            check_blocks([block], jobs=1, cache_dir=None)
            times.append(children_cpu() - start)
        times.sort()
        medians[page] = statistics.median(times)
        print(f"{page}: {len(blocks)} blocks, cold CPU per block median {1000 * medians[page]:.0f} ms, "
              f"p95 {1000 * times[int(0.95 * (len(times) - 1))]:.0f} ms, slowest {1000 * times[-1]:.0f} ms")
    print(f"general / concrete median: {medians['general_rules.md'] / medians['concrete_rules.md']:.2f}")


if __name__ == "__main__":
    main()
    general_against_concrete()
