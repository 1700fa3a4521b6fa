"""Faults of the runner and the cache never leave a later check wrong or broken: a killed
worker, a malformed cache entry, an interrupted run, an unwritable cache, a time-out."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import mathcheck
from mathcheck.running import runner
from mathcheck.running.cache import key
from mathcheck.running.worker import OVER_TIME

REPO = Path(__file__).resolve().parents[2]


def power_page(count: int) -> str:
    """`count` distinct, quickly checked, correct blocks."""
    return "".join(
        f"```derivation\nid: power-{k}\nvars:\n  x: scalar\nf: x**{k + 2}\nwrt: x\n"
        f"claim: {k + 2}*x**{k + 1}\n```\n\n" for k in range(count))


SLOW = ("```derivation\nid: slow\nvars:\n  X: matrix(n, n)\nf: sin(det(X @ X @ X @ X @ X))\nwrt: X\n"
        "claim: 5 * cos(det(X @ X @ X @ X @ X)) * det(X)**5 * inv(X)\n```\n")  # sin: no exact shortcut


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.json")) if cache.exists() else []


def worker_pids(parent: int) -> list[int]:
    """The running workers whose runner is process `parent` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == parent and b"mathcheck.running.worker" in cmdline and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


class Killer(threading.Thread):
    """Kills this process's workers with SIGKILL, as the out-of-memory killer would:
    the first one only, or every one until stopped."""

    def __init__(self, every: bool):
        super().__init__(daemon=True)
        self.every, self.killed, self.done = every, [], threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid in worker_pids(os.getpid()):
                if pid not in self.killed:
                    os.kill(pid, signal.SIGKILL)
                    self.killed.append(pid)
                    if not self.every:
                        return
            time.sleep(0.01)


@pytest.fixture(autouse=True)
def fresh_workers():
    """Each test starts its own workers (none kept from an earlier test)."""
    runner.stop_workers()
    yield
    runner.stop_workers()


def test_a_killed_worker_is_replaced_and_its_block_checked_again(tmp_path):
    blocks = mathcheck.find_blocks(power_page(3), "p.md")
    killer = Killer(every=False)
    killer.start()
    verdicts = mathcheck.check_blocks(blocks, jobs=1, cache_dir=tmp_path)
    killer.join(timeout=5)
    assert len(killer.killed) == 1, "the test did not kill a worker"
    assert [v.status for v in verdicts] == ["verified"] * 3, [v.message for v in verdicts]
    assert len(entries(tmp_path)) == 3


def test_a_check_killed_every_time_is_an_error_that_is_never_cached(tmp_path):
    blocks = mathcheck.find_blocks(power_page(1), "p.md")
    killer = Killer(every=True)
    killer.start()
    try:
        [verdict] = mathcheck.check_blocks(blocks, jobs=1, cache_dir=tmp_path)
    finally:
        killer.done.set()
        killer.join(timeout=5)
    assert len(killer.killed) >= 2
    assert verdict.status == "error"
    assert "stopped unexpectedly" in verdict.message and "-9" in verdict.message, verdict.message
    assert entries(tmp_path) == []
    [again] = mathcheck.check_blocks(blocks, jobs=1, cache_dir=tmp_path)
    assert (again.status, again.cached) == ("verified", False), again.message
    assert len(entries(tmp_path)) == 1


GOOD_EVIDENCE = {"sizes": [{"n": 3}], "points": 4, "max_rel_error": 0.0, "methods": ["numeric"],
                 "detail": "fine"}
GOOD_STATEMENT = {
    "title": "t", "latex": "\\frac{d}{d x} x^{2} = 2 x", "derivative_latex": "\\frac{d}{d x}",
    "f_latex": "x^{2}", "wrt_latex": "x", "claim_latex": "2 x", "shape_note": "1 \\times 1",
    "layout": "numerator", "cases": False, "lets": [], "f_lets": [], "claim_lets": [], "steps": [], "assumptions": [],
    "kinds": ["x \\in \\mathbb{R}"], "checks": [["\\frac{d}{d x} x^{2} = 2 x", ""]], "symbols": {"x": "x"},
}
VERIFIED = {"status": "verified", "detail": "x", "evidence": GOOD_EVIDENCE, "line": None,
            "statement": GOOD_STATEMENT}  # well-formed: each entry below spoils one thing
FAILED = {**VERIFIED, "status": "failed", "evidence": None, "statement": None}
MALFORMED = {
    "null": "null",
    "a list": '["verified", "planted"]',
    "a number": "7",
    "not JSON": "{status: verified",
    "cut short": '{"status": "verified", "detail": "x", "evi',
    "not UTF-8": b"\xff\xfe\x00{",
    "deeply nested": "[" * 100_000,
    "an unknown status": {**FAILED, "status": "bogus"},
    "a missing key": {k: v for k, v in VERIFIED.items() if k != "line"},
    "an extra key": {**VERIFIED, "x": 1},
    "a detail that is not text": {**VERIFIED, "detail": 3},
    "a line that is not a number": {**FAILED, "line": "2"},
    "a negative line": {**FAILED, "line": -4},
    "a boolean line": {**FAILED, "line": True},
    "evidence that is a list": {**VERIFIED, "evidence": [1]},
    "evidence missing a key": {**VERIFIED, "evidence": {k: v for k, v in GOOD_EVIDENCE.items() if k != "points"}},
    "evidence sizes of the wrong type": {**VERIFIED, "evidence": {**GOOD_EVIDENCE, "sizes": {"n": 3}}},
    "evidence size that is text": {**VERIFIED, "evidence": {**GOOD_EVIDENCE, "sizes": [{"n": "3"}]}},
    "evidence points that are text": {**VERIFIED, "evidence": {**GOOD_EVIDENCE, "points": "4"}},
    "evidence error that is text": {**VERIFIED, "evidence": {**GOOD_EVIDENCE, "max_rel_error": "0"}},
    "evidence methods that are not text": {**VERIFIED, "evidence": {**GOOD_EVIDENCE, "methods": [1]}},
    "a verified entry without a statement": {**VERIFIED, "statement": None},
    "a failed entry with a statement": {**FAILED, "statement": GOOD_STATEMENT},
    "a statement that is a list": {**VERIFIED, "statement": ["x"]},
    "a statement missing a key": {**VERIFIED, "statement": {k: v for k, v in GOOD_STATEMENT.items() if k != "latex"}},
    "a statement piece that is not text": {**VERIFIED, "statement": {**GOOD_STATEMENT, "latex": 1}},
    "statement lets that are not text": {**VERIFIED, "statement": {**GOOD_STATEMENT, "lets": [1]}},
    "statement checks of the wrong shape": {**VERIFIED, "statement": {**GOOD_STATEMENT, "checks": [["a"]]}},
    "statement cases that are not a boolean": {**VERIFIED, "statement": {**GOOD_STATEMENT, "cases": 0}},
    "statement symbols that are not text": {**VERIFIED, "statement": {**GOOD_STATEMENT, "symbols": {"x": 2}}},
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_entry_is_a_miss_checked_again_and_rewritten(tmp_path, name):
    blocks = mathcheck.find_blocks(power_page(1), "p.md")
    entry = tmp_path / key(blocks[0])[:2] / f"{key(blocks[0])}.json"
    entry.parent.mkdir(parents=True)
    planted = MALFORMED[name]
    if isinstance(planted, dict):
        planted = json.dumps(planted)
    entry.write_bytes(planted if isinstance(planted, bytes) else planted.encode())
    [verdict] = mathcheck.check_blocks(blocks, jobs=1, cache_dir=tmp_path)
    assert (verdict.status, verdict.cached) == ("verified", False), verdict.message
    stored = json.loads(entry.read_text())
    assert stored["status"] == "verified" and stored["evidence"]["points"] > 0
    [warm] = mathcheck.check_blocks(blocks, jobs=1, cache_dir=tmp_path)
    assert (warm.status, warm.cached, warm.message) == ("verified", True, verdict.message)


def test_a_well_formed_entry_is_trusted_as_the_readme_says(tmp_path):
    """Whoever can write the cache can plant a verdict, and what the page shows for the block:
    the reason CI checks without one."""
    blocks = mathcheck.find_blocks(power_page(1).replace("claim: 2*x**1", "claim: 3*x"), "p.md")
    entry = tmp_path / key(blocks[0])[:2] / f"{key(blocks[0])}.json"
    entry.parent.mkdir(parents=True)
    entry.write_text(json.dumps({**VERIFIED, "statement": {**GOOD_STATEMENT, "latex": "\\text{planted}"}}))
    [planted] = mathcheck.check_blocks(blocks, jobs=1, cache_dir=tmp_path)
    assert (planted.status, planted.cached) == ("verified", True)
    assert planted.statement.latex == "\\text{planted}"  # and what the page shows with it
    [fresh] = mathcheck.check_blocks(blocks, jobs=1, cache_dir=None)
    assert fresh.status == "failed", fresh.message


RUN = """
import signal
import sys
from pathlib import Path
import mathcheck
signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C as at a terminal, even where
# this suite runs with it ignored (a shell's background job), which its children inherit
blocks = mathcheck.find_blocks(Path(sys.argv[1]).read_text(), "p.md")
mathcheck.check_blocks(blocks, jobs=1, cache_dir=Path(sys.argv[2]))
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_run_keeps_every_verdict_it_finished(tmp_path, how):
    page = tmp_path / "p.md"
    page.write_text(power_page(40))
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.Popen([sys.executable, "-c", RUN, str(page), str(cache)], env=env)
    deadline = time.monotonic() + 300
    while len(entries(cache)) < 5 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    run.send_signal(how)
    run.wait(timeout=60)
    kept = entries(cache)
    assert 5 <= len(kept) < 40, f"{len(kept)} entries: interrupt a run that is under way"
    assert not list(cache.rglob("*.tmp")) or how == signal.SIGKILL
    blocks = mathcheck.find_blocks(page.read_text(), "p.md")
    verdicts = mathcheck.check_blocks(blocks, jobs=2, cache_dir=cache)
    assert all(v.status == "verified" for v in verdicts), [v.message for v in verdicts]
    assert sum(v.cached for v in verdicts) >= len(kept)
    assert len(entries(cache)) == 40


def test_an_unwritable_cache_is_said_once_and_checking_goes_on(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    warnings: list[str] = []
    blocks = mathcheck.find_blocks(power_page(3), "p.md")
    verdicts = mathcheck.check_blocks(blocks, jobs=1, cache_dir=tmp_path / "file" / "cache",
                                      warn=warnings.append)
    assert [v.status for v in verdicts] == ["verified"] * 3
    assert len(warnings) == 1, warnings
    assert str(tmp_path / "file" / "cache") in warnings[0] and "cannot write" in warnings[0]


def test_a_duplicate_id_is_not_cached_with_the_block(tmp_path):
    """The error depends on another block: once that one is gone, this one is verified."""
    [first] = mathcheck.find_blocks(power_page(1), "a.md")
    [second] = mathcheck.find_blocks(power_page(1).replace("x**2", "x**2 + x").replace(
        "2*x**1", "2*x**1 + 1"), "b.md")
    verdicts = mathcheck.check_blocks([first, second], jobs=1, cache_dir=tmp_path)
    assert [v.status for v in verdicts] == ["verified", "error"]
    [alone] = mathcheck.check_blocks([second], jobs=1, cache_dir=tmp_path)
    assert alone.status == "verified", alone.message


def test_a_timed_out_block_is_remembered_and_not_run_again(tmp_path, monkeypatch):
    blocks = mathcheck.find_blocks(SLOW, "p.md")
    timed_out: set[str] = set()
    [first] = mathcheck.check_blocks(blocks, jobs=1, time_limit=0.5, cache_dir=tmp_path,
                                     timed_out=timed_out)
    assert first.status == "error" and "0.5 s of CPU time" in first.message, first.message
    assert len(timed_out) == 1 and entries(tmp_path) == []
    started = []
    monkeypatch.setattr(runner, "_take_worker", lambda: started.append(1) or pytest.fail("ran again"))
    [again] = mathcheck.check_blocks(blocks, jobs=1, time_limit=0.5, cache_dir=tmp_path,
                                     timed_out=timed_out)
    assert again.status == "error" and "not checked again" in again.message, again.message
    assert started == []


def test_a_time_out_is_not_remembered_under_another_time_limit(tmp_path):
    blocks = mathcheck.find_blocks(SLOW, "p.md")
    timed_out: set[str] = set()
    mathcheck.check_blocks(blocks, jobs=1, time_limit=0.3, cache_dir=None, timed_out=timed_out)
    [other] = mathcheck.check_blocks(blocks, jobs=1, time_limit=0.4, cache_dir=None, timed_out=timed_out)
    assert "0.4 s of CPU time" in other.message and "not checked again" not in other.message
    assert len(timed_out) == 2


WATCHED = """
import sys, time
from mathcheck.running.worker import CpuWatchdog
watchdog = CpuWatchdog()
watchdog.arm(0.3)
if sys.argv[1] == "sleep":
    time.sleep(1.5)       # waiting (as for a busy machine) spends no CPU time
else:
    while True:           # spinning does
        pass
print("finished")
"""


@pytest.mark.parametrize("what, code", [("sleep", 0), ("spin", OVER_TIME)])
def test_the_time_limit_counts_cpu_time_not_waiting(what, code):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", WATCHED, what], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == code, result.stderr
    assert ("finished" in result.stdout) == (code == 0)


def test_progress_is_reported_only_when_its_interval_has_passed(monkeypatch):
    blocks = mathcheck.find_blocks(power_page(4), "p.md")
    heard: list[tuple[int, int]] = []
    monkeypatch.setattr(runner, "PROGRESS_EVERY", 1e9)
    mathcheck.check_blocks(blocks, jobs=1, cache_dir=None, progress=lambda *a: heard.append(a))
    assert heard == []
    monkeypatch.setattr(runner, "PROGRESS_EVERY", 0.0)
    mathcheck.check_blocks(blocks, jobs=1, cache_dir=None, progress=lambda *a: heard.append(a))
    assert heard == [(1, 4), (2, 4), (3, 4)]  # the summary line says the last


def test_workers_are_started_without_forking_this_process(monkeypatch):
    """A fork of a threaded process (as `mkdocs serve` is) may deadlock; Python 3.12 warns."""
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("os.fork was called"))
    verdicts = mathcheck.check_blocks(mathcheck.find_blocks(power_page(2), "p.md"), jobs=2, cache_dir=None)
    assert [v.status for v in verdicts] == ["verified", "verified"]
