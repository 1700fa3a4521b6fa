"""Deriving benchmark: how many blocks `derive` derives and verifies, how long it takes,
and how long what it derives is next to what an author wrote.

    python benchmarks/bench_derive.py [--json FILE]

Three sets, each block derived in this one process (sympy's caches warm after the first):
- corpus: tests/engine/derivations/*.yaml (the Matrix Cookbook, PyTorch's backward
  formulas, every rule, and the honest limits, each with its expected status);
- site: every derivation block of docs/ (its claim and steps ignored);
- checked claims: every `expect: verified` entry of tests/engine/corpus/*.yaml, claims
  written for the checker, not for the deriver.
For each: derived (verified by the checker before it counts), underived, error, and any
derivation the checker refused (a bug in the rules, reported as underived); the time to
propose (the rules and the simplifier, before the check) and in all (with the check);
and, where the block has one plain claim, the length of the derivative over the length of
that claim (characters, spaces left out).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "engine"))

from conftest import markdown_page  # noqa: E402

from mathcheck import Block, find_blocks  # noqa: E402
from mathcheck.deriving import derive_block  # noqa: E402


def corpus_blocks(pattern: str, keep) -> list[tuple[Block, dict]]:
    out = []
    for path in sorted((ROOT / "tests" / "engine").glob(pattern)):
        for entry in yaml.safe_load(path.read_text()):
            if keep(entry):
                spec = {k: v for k, v in entry.items() if k not in ("expect", "why", "reason")}
                out.append((find_blocks(markdown_page(spec), path.name)[0], entry))
    return out


def site_blocks() -> list[tuple[Block, dict]]:
    return [(b, {"expect": "derived", **(b.spec or {})})
            for path in sorted((ROOT / "docs").rglob("*.md"))
            for b in find_blocks(path.read_text(), str(path.relative_to(ROOT)))]


def measure(name: str, items: list[tuple[Block, dict]]) -> dict:
    counts = {"derived": 0, "underived": 0, "error": 0}
    refused, unexpected, propose, total, ratios = [], [], [], [], []
    for block, entry in items:
        started = time.perf_counter()
        d = derive_block(block)
        total.append(time.perf_counter() - started)
        propose.append(d.seconds)
        counts[d.status] += 1
        if "failed its own check" in d.detail:
            refused.append(block.id)
        if d.status != entry.get("expect", "derived"):
            unexpected.append(f"{block.id}: {d.status}: {d.detail[:160]}")
        claim = entry.get("claim")
        if d.status == "derived" and isinstance(claim, (str, int, float)):
            ratios.append(len(d.expression.replace(" ", "")) / len(str(claim).replace(" ", "")))
    n = len(items)
    derivable = sum(entry.get("expect", "derived") == "derived" for _, entry in items)
    return {
        "set": name, "blocks": n, **counts,
        "derived_percent": round(100 * counts["derived"] / n, 1) if n else 0.0,
        "expected_derivable": derivable,
        "refused_by_the_check": refused, "unexpected": unexpected,
        "propose_seconds": {"mean": round(statistics.mean(propose), 4),
                            "median": round(statistics.median(propose), 4),
                            "max": round(max(propose), 3)},
        "total_seconds": {"mean": round(statistics.mean(total), 3),
                          "median": round(statistics.median(total), 3),
                          "max": round(max(total), 2)},
        "length_ratio": {"claims": len(ratios),
                         "mean": round(statistics.mean(ratios), 3) if ratios else None,
                         "median": round(statistics.median(ratios), 3) if ratios else None,
                         "shorter_or_equal": sum(r <= 1 for r in ratios),
                         "longer_than_1.5x": sum(r > 1.5 for r in ratios)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args()
    results = [
        measure("corpus", corpus_blocks("derivations/*.yaml", lambda e: True)),
        measure("site", site_blocks()),
        measure("checked claims", [(b, {**e, "expect": "derived"}) for b, e in corpus_blocks(
            "corpus/*.yaml", lambda e: e.get("expect") == "verified")]),
    ]
    for r in results:
        print(f"{r['set']}: {r['derived']}/{r['blocks']} derived ({r['derived_percent']}%; "
              f"{r['expected_derivable']} expected to be), "
              f"{r['underived']} underived, {r['error']} error; refused by the check (bugs): "
              f"{len(r['refused_by_the_check'])}; not as expected: {len(r['unexpected'])}")
        print(f"  propose: mean {r['propose_seconds']['mean']} s, median "
              f"{r['propose_seconds']['median']} s, max {r['propose_seconds']['max']} s; with the "
              f"check: mean {r['total_seconds']['mean']} s, max {r['total_seconds']['max']} s")
        lr = r["length_ratio"]
        print(f"  length / hand-written claim over {lr['claims']} claims: mean {lr['mean']}, "
              f"median {lr['median']}; {lr['shorter_or_equal']} no longer, "
              f"{lr['longer_than_1.5x']} more than 1.5x")
        for line in r["unexpected"] + [f"refused: {i}" for i in r["refused_by_the_check"]]:
            print(f"    {line}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
