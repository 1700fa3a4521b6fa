"""A worker process: checks the blocks the runner sends it, one at a time, each within its
own limit of CPU time, and stays warm (sympy imported, its caches filled) from one to the next.

Started by `runner` as a fresh interpreter with the runner's `sys.path`; it reads pickled
`(block, time limit, task)` on stdin and answers `(outcome as JSON, lasting)` on stdout
(for the task "derive", the derivation as JSON), or `(None, False)` for a block that went
over its time limit. A failed block is derived in what is left of its time limit, and its
outcome carries the verified derivative found.
Anything the checker prints goes to stderr, never into the answers.
"""
from __future__ import annotations

import gc
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any

from ..checking.verdicts import Outcome, Suggestion, outcome_to_json
from ..deriving import Derivation, derivation_to_json
from ..pages.blocks import Block

MEMORY_LIMIT = 4 * 1024 ** 3
OVER_TIME = 86  # the exit code when a block ran out of CPU time


def main() -> None:
    """Serve until stdin closes (the runner is done, or gone) or a None arrives."""
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # stray prints go to stderr
    jobs = Connection(os.dup(0), writable=False)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's to handle
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass
    from ..checking.decide import check_block
    from ..deriving import derive_block
    gc.freeze()  # the checker's modules are never garbage: keep them out of collections
    watchdog = CpuWatchdog()
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        block, time_limit, task = job
        watchdog.arm(time_limit)
        if task == "derive":
            data, lasting = _derive(block, derive_block)
        else:
            outcome, lasting = _check(block, check_block)
            if outcome.status == "verified":
                outcome, lasting = _draw(block, outcome, lasting)
            if outcome.status == "failed":
                outcome = replace(outcome, suggestion=suggest(block, derive_block, watchdog.left()))
            data = outcome_to_json(outcome, block.line)
        if watchdog.disarm() > time_limit:  # it finished before the watchdog could stop it
            answer = None, False
        else:
            answer = data, lasting
        try:
            answers.send(answer)
        except OSError:
            return


def _check(block: Block, check_block) -> tuple[Outcome, bool]:
    """(outcome, lasting): a crash is the block's error, never kept."""
    try:
        return check_block(block), True
    except MemoryError:
        return Outcome("error", "the check ran out of memory"), False
    except RecursionError:
        return Outcome("error", "the block is nested too deeply to check"), False
    except Exception as exc:  # noqa: BLE001 - any crash is reported as the block's error
        return Outcome("error", f"internal error while checking: {type(exc).__name__}: {exc}"), False


def _draw(block: Block, outcome: Outcome, lasting: bool) -> tuple[Outcome, bool]:
    """A verified outcome with its pictures; a picture the block cannot have is its error."""
    from ..drawing.pictures import draw_pictures
    from ..language.claims import BlockError
    try:
        return replace(outcome, pictures=draw_pictures(block)), lasting
    except BlockError as exc:
        return Outcome("error", str(exc), line=exc.line), lasting
    except Exception as exc:  # noqa: BLE001 - a crash while drawing is reported, never hidden
        return Outcome("error", f"internal error while drawing: {type(exc).__name__}: {exc}"), False


def _derive(block: Block, derive_block) -> tuple[dict[str, Any], bool]:
    try:
        return derivation_to_json(derive_block(block)), True
    except MemoryError:
        derivation = Derivation("error", None, None, "deriving ran out of memory")
    except RecursionError:
        derivation = Derivation("error", None, None, "the block is nested too deeply to derive")
    except Exception as exc:  # noqa: BLE001 - any crash is reported as the block's error
        derivation = Derivation("error", None, None,
                                f"internal error while deriving: {type(exc).__name__}: {exc}")
    return derivation_to_json(derivation), False


class _OutOfTime(Exception):
    """The suggestion's share of a block's time limit is spent."""


SPARE = 0.5   # seconds of a block's limit kept back from its suggestion


def suggest(block: Block, derive_block, seconds: float) -> Suggestion | None:
    """The verified derivative of a failed block, if one is found within `seconds` (wall
    time, so never more CPU time); None otherwise. A derivation that fails its own check
    is no suggestion."""
    seconds -= SPARE
    if seconds <= 0:
        return None

    def stop(signum, frame):
        raise _OutOfTime
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        derivation = derive_block(block)
    except (_OutOfTime, MemoryError, RecursionError):
        return None
    except Exception:  # noqa: BLE001 - a crash while suggesting leaves the verdict as it is
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if derivation.status != "derived":
        return None
    return Suggestion(derivation.expression, derivation.latex)


class CpuWatchdog:
    """Ends the process with exit code OVER_TIME once the main thread has spent more than
    the armed limit of CPU time: time spent waiting for a busy machine does not count."""

    def __init__(self) -> None:
        self._clock = main_thread_clock()
        self._changed = threading.Condition()
        self._budget: tuple[float, float] | None = None  # (clock when armed, limit)
        threading.Thread(target=self._watch, daemon=True).start()

    def arm(self, limit: float) -> None:
        with self._changed:
            self._budget = (self._clock(), limit)
            self._changed.notify()

    def left(self) -> float:
        """CPU seconds left of the armed limit."""
        with self._changed:
            assert self._budget is not None
            start, limit = self._budget
            return limit - (self._clock() - start)

    def disarm(self) -> float:
        """Stop watching; the CPU seconds spent since `arm`."""
        with self._changed:
            assert self._budget is not None
            spent = self._clock() - self._budget[0]
            self._budget = None
            self._changed.notify()
            return spent

    def _watch(self) -> None:
        with self._changed:
            while True:
                if self._budget is None:
                    self._changed.wait()
                    continue
                start, limit = self._budget
                left = limit - (self._clock() - start)
                if left <= 0:
                    os._exit(OVER_TIME)
                self._changed.wait(left)  # CPU time grows no faster than wall time


def main_thread_clock() -> Callable[[], float]:
    """CPU seconds of the calling thread alone where the system can say (the process's
    otherwise, which also counts any helper threads)."""
    try:
        clock_id = time.pthread_getcpuclockid(threading.get_ident())
        time.clock_gettime(clock_id)
        return lambda: time.clock_gettime(clock_id)
    except (AttributeError, OSError):
        return time.process_time

