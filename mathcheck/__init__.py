"""mathcheck: decide whether the derivatives claimed in markdown derivation blocks are true.

The stages, one subpackage each: `pages` (markdown -> fences -> blocks and tables) ->
`language` (blocks -> typed claims, and back to LaTeX) -> `checking` (claims -> evidence ->
verdicts) -> `running` (many blocks: worker processes, time limits, the cache). `deriving`
finds a block's derivative and `drawing` its pictures; `cli` is the `mathcheck` command.
Importing this package does not import sympy, nor the expression parser and printer
(`BlockError` and `typeset` load them when first asked for), so that a build whose
verdicts are all cached loads neither.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from .checking.verdicts import Evidence, Verdict
from .language.statement import Statement
from .pages.blocks import Block, find_blocks, read_blocks
from .pages.fences import fences_by_info, find_fences
from .running.cache import __version__, default_cache_dir, engine_version
from .running.runner import DEFAULT_TIME_LIMIT, check_blocks

_LAZY = {"BlockError": "language.claims", "typeset": "language.latex"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_text(text: str, file: str, jobs: int = 1, time_limit: float = DEFAULT_TIME_LIMIT,
               cache_dir: Path | str | None = None) -> list[Verdict]:
    """Verdicts for every derivation block of a markdown text."""
    return check_blocks(find_blocks(text, file), jobs, time_limit, cache_dir)


__all__ = ["Block", "BlockError", "DEFAULT_TIME_LIMIT", "Evidence", "Statement", "Verdict",
           "__version__", "check_blocks", "check_text", "default_cache_dir", "engine_version",
           "fences_by_info", "find_blocks", "find_fences", "read_blocks", "typeset"]
