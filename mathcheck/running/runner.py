"""Check many blocks: cache first, then the rest in a pool of `jobs` long-lived worker
processes (`worker`), one block at a time each, every block with its own limit of CPU time.

A worker is a fresh interpreter, not a fork of the caller: it starts with a small heap
(not MkDocs' large one), imports sympy once and stays warm for all the blocks it is
given; nothing is forked, so a threaded caller risks no fork deadlock, and the caller's
main module is never re-imported. A worker that runs out of time or dies is replaced;
idle workers are kept for the next call (a `mkdocs serve` rebuild, a test) until this
process ends. This process never imports sympy.
"""
from __future__ import annotations

import atexit
import os
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

from ..checking.verdicts import Outcome, Verdict, outcome_from_json
from ..deriving import Derivation, derivation_from_json, readable
from ..pages.blocks import Block
from .cache import VerdictCache, key
from .worker import OVER_TIME

DEFAULT_TIME_LIMIT = 20.0
PROGRESS_EVERY = 5.0  # seconds between two progress reports


def wall_limit(time_limit: float) -> float:
    """The wall-clock backstop for a block allowed `time_limit` s of CPU: generous, so that
    a loaded machine never ends a check that is within its CPU time."""
    return 10 * time_limit + 30


def check_blocks(blocks: list[Block], jobs: int = 1, time_limit: float = DEFAULT_TIME_LIMIT,
                 cache_dir: Path | str | None = None, *,
                 progress: Callable[[int, int], None] | None = None,
                 warn: Callable[[str], None] | None = None,
                 timed_out: set[str] | None = None, whole_site: bool = False) -> list[Verdict]:
    """Verdicts for blocks, in their order, checked in `jobs` workers (0: one per CPU
    core). Duplicate ids across the list are errors.

    Afterwards the cache drops what these blocks did not use and has not been used lately
    (`VerdictCache.prune`): every such entry if `whole_site` (the blocks are a whole site's),
    else only those of another engine version.

    `progress(done, total)` hears of the checks at most every PROGRESS_EVERY seconds;
    `warn` is told once if the cache cannot be written. `timed_out` remembers, across
    calls in one process (as `mkdocs serve` rebuilds), the blocks that ran out of time:
    they are not run again until their text or the time limit changes."""
    cache = VerdictCache(Path(cache_dir), warn) if cache_dir is not None else None
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
        hit = cache.get(block) if cache and not block.problem else None
        if hit is not None:
            outcomes[i], cached[i] = hit, True
            continue
        unreadable = _reading_error(block)
        if unreadable:
            outcomes[i] = unreadable
            continue
        if timed_out is not None and _timeout_key(block, time_limit) in timed_out:
            outcomes[i] = _timeout(time_limit, remembered=True)
            continue
        pending.append(i)
    report = _Progress(len(pending), progress)
    for i, outcome, lasting in _check_in_workers(blocks, pending, jobs, time_limit):
        outcomes[i] = outcome
        if lasting and cache:
            cache.put(blocks[i], outcome)  # now, so that an interrupted build keeps it
        if outcome.detail.startswith(_TIMEOUT) and timed_out is not None:
            timed_out.add(_timeout_key(blocks[i], time_limit))
        report.one_more()
    if cache:
        cache.prune({key(block) for block in blocks}, whole_site)
    verdicts = []
    for i, (block, outcome) in enumerate(zip(blocks, outcomes)):
        assert outcome is not None
        verdicts.append(outcome.at(block.id, block.file, block.line, cached[i]))
    return verdicts


def derive_blocks(blocks: list[Block], jobs: int = 1,
                  time_limit: float = DEFAULT_TIME_LIMIT) -> list[Derivation]:
    """What `derive` says of each block, in order: each derived and checked in a worker,
    within its time limit (nothing is cached: a derivation costs what a check costs)."""
    results: list[Derivation | None] = [None] * len(blocks)
    pending = []
    for i, block in enumerate(blocks):
        unreadable = _reading_error(readable(block))
        if unreadable:
            results[i] = Derivation("error", None, None, unreadable.detail, unreadable.line)
        else:
            pending.append(i)
    for i, answer, _ in _check_in_workers([readable(b) for b in blocks], pending, jobs,
                                          time_limit, "derive"):
        results[i] = (answer if isinstance(answer, Derivation) else
                      Derivation("underived", None, None, answer.detail.replace("the check", "deriving", 1)))
    return [r for r in results if r is not None]


def _reading_error(block: Block) -> Outcome | None:
    """The error of a block whose claim cannot be read, found here rather than in a worker.
    The parser is imported only now: a build with every verdict cached never loads it."""
    from ..language.claims import BlockError, read_claim
    try:
        read_claim(block)
    except BlockError as exc:
        return Outcome("error", str(exc), line=exc.line)
    return None


_TIMEOUT = "the check did not finish within"


def _timeout(time_limit: float, wall: bool = False, remembered: bool = False) -> Outcome:
    spent = (f"{wall_limit(time_limit):g} s of wall-clock time (its limit is {time_limit:g} s "
             "of CPU time)") if wall else f"the time limit of {time_limit:g} s of CPU time"
    again = ("; it is not checked again until it or the time limit changes" if remembered
             else "")
    return Outcome("error", f"{_TIMEOUT} {spent}; simplify the block or raise the time "
                            f"limit{again}")


def _timeout_key(block: Block, time_limit: float) -> str:
    return f"{key(block)}:{time_limit!r}"


class _Progress:
    """Calls `report(done, total)` when PROGRESS_EVERY seconds have passed since the start
    or the last report."""

    def __init__(self, total: int, report: Callable[[int, int], None] | None):
        self.total, self.report, self.done = total, report, 0
        self.last = time.monotonic()

    def one_more(self) -> None:
        self.done += 1
        now = time.monotonic()
        if self.report and self.done < self.total and now - self.last >= PROGRESS_EVERY:
            self.last = now
            self.report(self.done, self.total)


class _Worker:
    """One worker process (see `worker`) and the runner's ends of its pipes."""

    def __init__(self) -> None:
        boot = (f"import sys; sys.path[:] = {sys.path!r}; "
                "from mathcheck.running.worker import main; main()")
        env = {**os.environ, **{name: os.environ.get(name, "1") for name in _ONE_THREAD}}
        self.process = subprocess.Popen([sys.executable, "-I", "-c", boot], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.jobs = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.index: int | None = None  # the block being checked
        self.started = 0.0

    def give(self, index: int, block: Block, time_limit: float, task: str) -> None:
        self.index, self.started = index, time.monotonic()
        try:
            self.jobs.send((block, time_limit, task))
        except OSError:
            pass  # it died: its answer pipe says so at once

    def answer(self) -> tuple[dict, bool] | None:
        """The worker's answer, or None if it ended without one."""
        try:
            return self.answers.recv()
        except (EOFError, OSError):
            return None

    def end(self) -> int:
        """Stop the worker (killed if it is still busy); its exit code."""
        try:
            self.jobs.send(None)
        except OSError:
            pass
        self.jobs.close()
        if self.index is not None and self.process.poll() is None:
            self.process.kill()
        self.answers.close()
        return self.process.wait()


_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")  # tiny matrices
_warm: list[_Worker] = []  # idle workers kept from one call to the next (as serve rebuilds)


def _take_worker() -> _Worker:
    while _warm:
        worker = _warm.pop()
        if worker.process.poll() is None:
            return worker
        worker.end()
    return _Worker()


def stop_workers() -> None:
    """End the idle workers kept between calls (they end anyway when this process does)."""
    while _warm:
        _warm.pop().end()


atexit.register(stop_workers)
os.register_at_fork(after_in_child=_warm.clear)  # a forked child must not stop ours


def _read_answer(answer: object, block_line: int, time_limit: float,
                 task: str) -> tuple[Outcome | Derivation, bool]:
    """A worker's answer as (outcome, lasting), or (derivation, lasting) for the task
    "derive"; one that does not read is never kept."""
    try:
        data, lasting = answer
        if data is None:
            return _timeout(time_limit), False
        if task == "derive":
            return derivation_from_json(data), lasting is True
        return outcome_from_json(data, block_line), lasting is True
    except (TypeError, ValueError):
        return Outcome("error", "internal error: the check's answer could not be read"), False


def _check_in_workers(blocks: list[Block], pending: list[int], jobs: int, time_limit: float,
                      task: str = "check") -> Iterator[tuple[int, Outcome | Derivation, bool]]:
    """(index, outcome, lasting) of each pending block as soon as it is known; `lasting`
    is True when the outcome is the block's own (its check ran to the end), so it may be
    kept. A block whose worker dies is tried once more in a fresh worker. For the task
    "derive", a derivation stands for the outcome (an outcome still tells of a time-out)."""
    jobs = jobs or os.cpu_count() or 1   # 0: one worker per CPU core
    queue = deque(pending)
    retried: set[int] = set()
    idle: list[_Worker] = []
    busy: dict[Connection, _Worker] = {}  # by the pipe it answers on
    try:
        while queue or busy:
            while queue and len(busy) < jobs:
                worker = idle.pop() if idle else _take_worker()
                i = queue.popleft()
                worker.give(i, blocks[i], time_limit, task)
                busy[worker.answers] = worker
            soonest = min(w.started for w in busy.values()) + wall_limit(time_limit)
            for conn in wait(list(busy), timeout=max(0.0, soonest - time.monotonic())):
                worker = busy.pop(conn)
                i, result = worker.index, worker.answer()
                assert i is not None
                if result is not None:
                    worker.index = None
                    idle.append(worker)
                    yield (i, *_read_answer(result, blocks[i].line, time_limit, task))
                    continue
                code = worker.end()
                if code == OVER_TIME:
                    yield i, _timeout(time_limit), False
                elif i not in retried:
                    retried.add(i)
                    queue.appendleft(i)
                else:
                    yield i, Outcome("error", f"the check stopped unexpectedly twice (exit code "
                                              f"{code}); the machine may be short of memory"), False
            now = time.monotonic()
            for conn, worker in list(busy.items()):
                if now - worker.started >= wall_limit(time_limit):
                    del busy[conn]
                    worker.end()
                    yield worker.index, _timeout(time_limit, wall=True), False
    finally:
        for worker in busy.values():
            worker.end()
        _warm.extend(idle)
