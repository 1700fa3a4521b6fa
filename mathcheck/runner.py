"""Check many blocks: cache first, then each uncached block in its own process with a
time limit, `jobs` at a time. sympy is imported only when some block needs checking."""
from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .blocks import Block
from .cache import VerdictCache
from .claims import BlockError, read_claim
from .verdicts import Outcome, Verdict, outcome_from_json, outcome_to_json

DEFAULT_TIME_LIMIT = 20.0
MEMORY_LIMIT = 4 * 1024 ** 3


def check_blocks(blocks: list[Block], jobs: int = 1, time_limit: float = DEFAULT_TIME_LIMIT,
                 cache_dir: Path | str | None = None) -> list[Verdict]:
    """Verdicts for blocks, in their order. Duplicate ids across the list are errors."""
    cache = VerdictCache(Path(cache_dir)) if cache_dir is not None else None
    outcomes: list[Outcome | None] = [None] * len(blocks)
    cached = [False] * len(blocks)
    pending: list[int] = []
    first_seen: dict[str, Block] = {}
    for i, block in enumerate(blocks):
        if block.id and not block.problem:
            first = first_seen.setdefault(block.id, block)
            if first is not block:
                outcomes[i] = Outcome("error", f"duplicate id `{block.id}` (first used at "
                                      f"{first.file}:{first.line})", line=block.line_of("id"))
                continue
        hit = cache.get(block) if cache else None
        if hit is not None:
            outcomes[i], cached[i] = hit, True
            continue
        try:
            read_claim(block)
        except BlockError as exc:
            outcomes[i] = Outcome("error", str(exc), line=exc.line)
            continue
        pending.append(i)
    if pending:
        for i, outcome in _run(blocks, pending, jobs, time_limit).items():
            outcomes[i] = outcome
    verdicts = []
    for i, (block, outcome) in enumerate(zip(blocks, outcomes)):
        assert outcome is not None
        if cache and not cached[i] and not outcome.detail.startswith(_TIMEOUT):
            cache.put(block, outcome)
        verdicts.append(outcome.at(block.id, block.file, block.line, cached[i]))
    return verdicts


_TIMEOUT = "the check did not finish within"


def _run(blocks: list[Block], pending: list[int], jobs: int, time_limit: float) -> dict[int, Outcome]:
    from . import checking  # noqa: F401  (imports sympy once, before the workers fork)

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    queue = list(pending)
    running: dict[Connection, tuple[int, multiprocessing.Process, float]] = {}
    results: dict[int, Outcome] = {}
    while queue or running:
        while queue and len(running) < max(1, jobs):
            i = queue.pop(0)
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(blocks[i], send), daemon=True)
            process.start()
            send.close()
            running[receive] = (i, process, time.monotonic() + time_limit)
        soonest = min(deadline for _, _, deadline in running.values())
        for conn in wait(list(running), timeout=max(0.0, soonest - time.monotonic())):
            i, process, _ = running.pop(conn)
            try:
                results[i] = outcome_from_json(conn.recv(), blocks[i].line)
            except (EOFError, OSError):
                results[i] = Outcome("error", f"the check stopped unexpectedly "
                                              f"(exit code {process.exitcode})")
            conn.close()
            process.join()
        now = time.monotonic()
        for conn, (i, process, deadline) in list(running.items()):
            if now >= deadline:
                process.kill()
                process.join()
                conn.close()
                del running[conn]
                results[i] = Outcome("error", f"{_TIMEOUT} the time limit of {time_limit:g} s; "
                                              "simplify the block or raise the time limit")
    return results


def _work(block: Block, send: Connection) -> None:
    from .checking import check_block
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass
    try:
        outcome = check_block(block)
    except MemoryError:
        outcome = Outcome("error", "the check ran out of memory")
    except RecursionError:
        outcome = Outcome("error", "the block is nested too deeply to check")
    except Exception as exc:  # noqa: BLE001 - any crash is reported as the block's error
        outcome = Outcome("error", f"internal error while checking: {type(exc).__name__}: {exc}")
    send.send(outcome_to_json(outcome, block.line))
    send.close()
