"""Verdict cache: one JSON file per block, keyed by the block's text and the engine.

Only outcomes that the same input always produces are stored (never a time-out).
Location: the `cache_dir` given (the command's default is `$MATHCHECK_CACHE_DIR`,
else `.mathcheck-cache` in the working directory).
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from .blocks import Block
from .verdicts import Outcome, outcome_from_json, outcome_to_json

__version__ = "0.1.0"


@lru_cache(maxsize=1)
def engine_version() -> str:
    """The release plus a digest of the engine's own source, so any change of it re-checks."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def default_cache_dir() -> Path:
    return Path(os.environ.get("MATHCHECK_CACHE_DIR") or ".mathcheck-cache")


def key(block: Block) -> str:
    """Time-outs are never stored, so the time limit is not part of the key."""
    text = f"{engine_version()}\0{block.source}"
    return hashlib.sha256(text.encode()).hexdigest()


class VerdictCache:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _path(self, k: str) -> Path:
        return self.directory / k[:2] / f"{k}.json"

    def get(self, block: Block) -> Outcome | None:
        try:
            data = json.loads(self._path(key(block)).read_text())
            return outcome_from_json(data, block.line)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, block: Block, outcome: Outcome) -> None:
        path = self._path(key(block))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(outcome_to_json(outcome, block.line)))
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time
