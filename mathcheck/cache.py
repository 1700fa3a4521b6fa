"""Verdict cache: one JSON file per block, keyed by the block's text and the engine; an
entry holds the outcome, with a verified block's typeset statement.

It holds only what the block's text decides: the runner stores the outcome of a check that
ran to its end, never a time-out or a crashed check, and never an outcome that depends on
other blocks (a duplicate id). Each entry is written as soon as it is known, atomically, so
an interrupted build keeps its finished work. Entries are read as untrusted: anything of
another shape is a miss, checked again and rewritten. Whoever can write the folder can
plant a verdict, and what the page shows for the block; a build that must not trust it
checks with an empty or no cache.

Location: the `cache_dir` given (the default, `default_cache_dir()`, is
`$MATHCHECK_CACHE_DIR`, else `.cache/plugin/mathcheck` in the working directory).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .blocks import Block
from .verdicts import Outcome, outcome_from_json, outcome_to_json

__version__ = "0.1.0"

DEFAULT_CACHE_DIR = Path(".cache", "plugin", "mathcheck")
GITIGNORE = "# Verdicts cached by mathcheck; safe to delete.\n*\n"


@lru_cache(maxsize=1)
def engine_version() -> str:
    """The release plus a digest of the engine's own source (its subpackages too: a failed
    verdict holds what `deriving` suggests), so any change of it re-checks."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def default_cache_dir() -> Path:
    return Path(os.environ.get("MATHCHECK_CACHE_DIR") or DEFAULT_CACHE_DIR)


def key(block: Block) -> str:
    """Time-outs are never stored, so the time limit is not part of the key."""
    text = f"{engine_version()}\0{block.source}"
    return hashlib.sha256(text.encode()).hexdigest()


class VerdictCache:
    """The folder of entries; `warn` is told once if entries cannot be written."""

    def __init__(self, directory: Path, warn: Callable[[str], None] | None = None):
        self.directory = Path(directory)
        self.folder = str(self.directory)
        self.warn = warn
        self.unwritable = False

    def _path(self, k: str) -> Path:
        return self.directory / k[:2] / f"{k}.json"

    def get(self, block: Block) -> Outcome | None:
        """The stored outcome, or None if there is none or it is not a well-formed outcome."""
        k = key(block)
        try:  # a build reads every entry: plain strings and open() cost a third of pathlib's
            with open(os.path.join(self.folder, k[:2], f"{k}.json"), "rb") as entry:
                data = json.loads(entry.read())
            return outcome_from_json(data, block.line)
        except (OSError, ValueError, RecursionError):
            return None

    def put(self, block: Block, outcome: Outcome) -> None:
        """Store an outcome atomically (a reader sees the old entry or the new, never half)."""
        if self.unwritable:
            return
        path = self._path(key(block))
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            if not (self.directory / ".gitignore").exists():
                self.directory.mkdir(parents=True, exist_ok=True)
                (self.directory / ".gitignore").write_text(GITIGNORE)
            path.parent.mkdir(exist_ok=True)
            tmp.write_text(json.dumps(outcome_to_json(outcome, block.line)))
            os.replace(tmp, path)
        except OSError as exc:
            self.unwritable = True
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            if self.warn:
                self.warn(f"mathcheck: cannot write the verdict cache in {self.directory} "
                          f"({exc.strerror or exc}); every build checks every block again")
