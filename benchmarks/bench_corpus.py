"""Engine benchmark on corpora of claims: CPU time per block, by corpus file.

    python benchmarks/bench_corpus.py [NAME ...]   (default: every tests/engine/corpus/*.yaml)

Every entry of each named corpus (`matrix_by_scalar`, `vec_kron`, ...) is checked in one
process, one after another, after one block has warmed sympy up; printed per file: the
number of blocks, the median, p95 and slowest CPU time per block, and the total.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "engine" / "corpus"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "engine"))

from conftest import markdown_page  # noqa: E402
from mathcheck import find_blocks  # noqa: E402
from mathcheck.checking.decide import check_block  # noqa: E402


def blocks_of(path: Path) -> list:
    entries = yaml.safe_load(path.read_text())
    return [find_blocks(markdown_page({k: v for k, v in e.items() if k not in ("expect", "why")},
                                      heading=e["id"]), f"{e['id']}.md")[0] for e in entries]


def main() -> None:
    names = sys.argv[1:] or sorted(p.stem for p in CORPUS.glob("*.yaml"))
    check_block(find_blocks(markdown_page({"id": "warm", "vars": {"x": "scalar"}, "f": "sin(x)",
                                           "wrt": "x", "claim": "cos(x)"}), "warm.md")[0])
    for name in names:
        times = []
        for block in blocks_of(CORPUS / f"{name}.yaml"):
            start = time.process_time()
            check_block(block)
            times.append((time.process_time() - start, block.id))
        seconds = sorted(t for t, _ in times)
        print(f"{name}: {len(times)} blocks, CPU per block median {1000 * statistics.median(seconds):.0f} ms, "
              f"p95 {1000 * seconds[int(0.95 * (len(seconds) - 1))]:.0f} ms, total {sum(seconds):.2f} s; "
              "slowest: " + ", ".join(f"{i} {1000 * t:.0f} ms" for t, i in sorted(times)[-2:]))


if __name__ == "__main__":
    main()
