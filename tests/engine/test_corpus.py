"""Every claim in corpus/*.yaml gets exactly its expected verdict.

Each corpus entry is one derivation block (the keys of DESIGN.md) plus `expect`
(verified, failed or error) and a one-line `why`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import mathcheck

CORPUS_DIR = Path(__file__).parent / "corpus"
STATUSES = ("verified", "failed", "error")
FIRST_FENCE_LINE = 3


@dataclass(frozen=True)
class CorpusClaim:
    id: str
    block: dict
    expect: str
    why: str
    source: str


def load_corpus() -> list[CorpusClaim]:
    claims: list[CorpusClaim] = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text()):
            block = {k: v for k, v in entry.items() if k not in ("expect", "why")}
            if entry.get("expect") not in STATUSES or not entry.get("why"):
                raise ValueError(f"{path.name}: {entry.get('id')}: needs expect in {STATUSES} and a why")
            check_flow_mappings(path.name, block)
            check_numbers_survive(path.name, entry.get("id"), block)
            claims.append(CorpusClaim(entry["id"], block, entry["expect"], entry["why"], path.name))
    ids = [c.id for c in claims]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate corpus ids: {duplicates}")
    return claims


def check_flow_mappings(source: str, block: dict) -> None:
    """Catch a YAML slip in the corpus itself: in `{a: max(0, z)}` the comma splits the mapping."""
    for key in ("vars", "let"):
        for name, value in (block.get(key) or {}).items():
            text = str(value)
            if value is None or not re.fullmatch(r"[A-Za-z_]\w*", str(name)) or text.count("(") != text.count(")"):
                raise ValueError(f"{source}: {block.get('id')}: `{key}` entry {name!r}: {value!r} looks split")


def check_numbers_survive(source: str, block_id: str, value) -> None:
    """Entries are re-dumped as YAML: a float with more digits than float64 holds must be quoted."""
    if isinstance(value, dict):
        for item in value.values():
            check_numbers_survive(source, block_id, item)
    elif isinstance(value, list):
        for item in value:
            check_numbers_survive(source, block_id, item)
    elif isinstance(value, float) and len(re.sub(r"[^0-9]", "", repr(value)).lstrip("0")) > 15:
        raise ValueError(f"{source}: {block_id}: quote {value!r}, it does not survive float64")


CORPUS = load_corpus()


@pytest.mark.parametrize("claim", CORPUS, ids=[c.id for c in CORPUS])
def test_claim_gets_expected_verdict(claim: CorpusClaim, page_of) -> None:
    file = f"corpus/{claim.id}.md"
    blocks = mathcheck.find_blocks(page_of(claim.block, heading=claim.id), file)
    assert len(blocks) == 1
    assert blocks[0].line == FIRST_FENCE_LINE

    [verdict] = mathcheck.check_blocks(blocks, jobs=1, time_limit=20, cache_dir=None)

    assert verdict.status == claim.expect, (
        f"{claim.source}: {claim.id}: expected {claim.expect} ({claim.why}), "
        f"got {verdict.status}: {verdict.message}"
    )
    assert verdict.file == file
    assert verdict.line == FIRST_FENCE_LINE
    assert verdict.message.startswith(f"{file}:{FIRST_FENCE_LINE}"), verdict.message
    if claim.expect == "verified":
        assert_sizes_follow_design(claim.block, verdict.evidence)


def size_letters(block: dict) -> set[str]:
    kinds = " ".join(str(kind) for kind in (block.get("vars") or {}).values())
    return set(re.findall(r"\b([A-Za-z])\b", kinds.replace("vector", "").replace("matrix", "")))


def assert_sizes_follow_design(block: dict, evidence) -> None:
    """Both kinds of evidence at several points; several sizes, one of them at least 3,
    different letters getting different sizes."""
    assert evidence is not None
    assert any(m.startswith("symbolic") for m in evidence.methods), evidence.methods
    assert any(m.startswith("numeric") for m in evidence.methods), evidence.methods
    assert evidence.points >= 2, evidence.points
    letters = size_letters(block)
    if not letters:
        return
    tried = [s for s in evidence.sizes if s]
    assert len(tried) >= 2, evidence.sizes
    assert all(letters <= set(s) for s in tried), (letters, evidence.sizes)
    assert max(v for s in tried for v in s.values()) >= 3, evidence.sizes
    assert all(v >= 1 for s in tried for v in s.values()), evidence.sizes
    assert not all(set(s.values()) == {1} for s in tried), evidence.sizes
    if len(letters) > 1:
        assert any(len({s[letter] for letter in letters}) == len(letters) for s in tried), evidence.sizes
