"""The verdict of every derivation block under docs/, checked once for all site tests."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


@pytest.fixture(scope="session")
def verdicts() -> dict[str, dict]:
    """id -> {status, message, file, warning} for every derivation block under docs/."""
    try:
        from mathcheck import check_blocks, find_blocks
    except ImportError:
        proc = subprocess.run(
            [sys.executable, "-m", "mathcheck", "check", "--format", "json", str(DOCS)],
            cwd=ROOT, capture_output=True, text=True, timeout=1800,
        )
        rows = json.loads(proc.stdout)
        return {row["id"]: row for row in rows}
    blocks = []
    for path in sorted(DOCS.rglob("*.md")):
        blocks.extend(find_blocks(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))))
    cache = Path(os.environ.get("MATHCHECK_CACHE_DIR", ROOT / ".cache" / "plugin" / "mathcheck"))
    results = check_blocks(blocks, jobs=max(2, os.cpu_count() or 2), time_limit=60.0,
                           cache_dir=cache)
    return {v.id: {**v.as_dict(), "warning": v.warning} for v in results}
