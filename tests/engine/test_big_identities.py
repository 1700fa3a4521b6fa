"""Large identities with inverses and determinants verify within 5 s of CPU each (by
dual numbers: exactly where rational, to 150 digits where smooth), and their near misses fail.

The data is big/identities.yaml: correct Matrix Cookbook identities, each with wrong
variants (transposed, off by 1.001, true only for symmetric matrices or only at m = n).
The time limit is the worker's CPU limit: over it is an error.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import mathcheck

CPU_LIMIT = 5.0
ENTRIES = yaml.safe_load((Path(__file__).parent / "big" / "identities.yaml").read_text())


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_big_identity_gets_its_verdict_in_time(entry: dict, page_of) -> None:
    block = {k: v for k, v in entry.items() if k not in ("expect", "why")}
    blocks = mathcheck.find_blocks(page_of(block, heading=entry["id"]), "big.md")
    [verdict] = mathcheck.check_blocks(blocks, jobs=1, time_limit=CPU_LIMIT, cache_dir=None)
    assert verdict.status == entry["expect"], f"{entry['why']}: {verdict.message}"
    if entry["expect"] == "verified":
        assert any("Schwartz-Zippel" in m or "dual numbers, 150 digits" in m
                   for m in verdict.evidence.methods), verdict.evidence.methods
