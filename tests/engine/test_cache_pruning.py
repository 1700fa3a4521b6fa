"""The verdict cache drops stale entries: after a whole-site scan, those no block used and
nobody used for the grace period; after a partial one, only another engine version's. It
never follows or removes a symlink, and reading an entry keeps it young."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import mathcheck
from mathcheck import cli
from mathcheck.running import runner
from mathcheck.running.cache import GRACE, TOUCH_AFTER, key

OLD = time.time() - GRACE - 3600


def page(*powers: int) -> str:
    return "".join(f"```derivation\nid: power-{k}\nvars:\n  x: scalar\nf: x**{k}\nwrt: x\n"
                   f"claim: {k}*x**{k - 1}\n```\n\n" for k in powers)


def entry(cache: Path, block: mathcheck.Block) -> Path:
    k = key(block)
    return cache / k[:2] / f"{k}.json"


def age(path: Path, when: float = OLD) -> None:
    os.utime(path, (when, when))


def of_another_engine(path: Path) -> None:
    data = json.loads(path.read_text())
    assert data["engine"] == mathcheck.running.cache.engine_version()
    path.write_text(json.dumps({**data, "engine": "0.0.1+0123456789ab"}))


@pytest.fixture(autouse=True)
def fresh_workers():
    runner.stop_workers()
    yield
    runner.stop_workers()


@pytest.fixture
def stale(tmp_path: Path):
    """A cache holding the entries of blocks 2 and 3, then a page where block 3 became 4."""
    cache = tmp_path / "cache"
    before = mathcheck.find_blocks(page(2, 3), "p.md")
    mathcheck.check_blocks(before, cache_dir=cache)
    after = mathcheck.find_blocks(page(2, 4), "p.md")
    return cache, before, after


def test_a_whole_site_scan_drops_what_it_did_not_use_once_the_grace_has_passed(stale) -> None:
    cache, (kept, gone), after = stale
    age(entry(cache, kept))
    age(entry(cache, gone))
    verdicts = mathcheck.check_blocks(after, cache_dir=cache, whole_site=True)
    assert [v.cached for v in verdicts] == [True, False]
    assert not entry(cache, gone).exists()
    assert entry(cache, kept).exists() and entry(cache, after[1]).exists()
    assert entry(cache, kept).stat().st_mtime > time.time() - TOUCH_AFTER  # read, so touched


def test_an_entry_unused_for_less_than_the_grace_is_kept(stale) -> None:
    cache, (_, recent), after = stale
    age(entry(cache, recent), time.time() - GRACE + 3600)
    mathcheck.check_blocks(after, cache_dir=cache, whole_site=True)
    assert entry(cache, recent).exists()


def test_a_partial_scan_keeps_other_pages_entries_and_drops_other_engines(stale) -> None:
    cache, (_, other_page), after = stale
    age(entry(cache, other_page))
    mathcheck.check_blocks(after[:1], cache_dir=cache)
    assert entry(cache, other_page).exists()  # this engine's: another page may use it
    of_another_engine(entry(cache, other_page))
    age(entry(cache, other_page))
    mathcheck.check_blocks(after[:1], cache_dir=cache)
    assert not entry(cache, other_page).exists()  # no block of this engine can read it


def test_the_command_prunes_only_other_engines_entries(tmp_path: Path, monkeypatch) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "one.md").write_text(page(2))
    (docs / "two.md").write_text(page(3))
    (docs / "three.md").write_text(page(4))
    cache = tmp_path / "cache"
    assert cli.main(["check", "-q", "--cache-dir", str(cache), str(docs)]) == 0
    two = entry(cache, mathcheck.find_blocks(page(3), "x.md")[0])
    three = entry(cache, mathcheck.find_blocks(page(4), "x.md")[0])
    of_another_engine(three)
    age(two)
    age(three)
    assert cli.main(["check", "-q", "--cache-dir", str(cache), str(docs / "one.md")]) == 0
    assert two.exists() and not three.exists()


def test_pruning_never_follows_or_removes_a_symlink(stale, tmp_path: Path) -> None:
    cache, _, after = stale
    outside = tmp_path / "outside"
    (outside / "ab").mkdir(parents=True)
    target = outside / "ab" / f"ab{'0' * 62}.json"
    target.write_text("{}")
    age(target)
    age(outside / "ab")
    real, linked = [name for name in (f"{i:02x}" for i in range(256)) if not (cache / name).exists()][:2]
    (cache / real).mkdir()
    link = cache / real / f"{real}{'0' * 62}.json"
    link.symlink_to(target)
    os.utime(link, (OLD, OLD), follow_symlinks=False)
    (cache / linked).symlink_to(outside / "ab", target_is_directory=True)
    mathcheck.check_blocks(after, cache_dir=cache, whole_site=True)
    assert link.is_symlink() and (cache / linked).is_symlink()
    assert target.read_text() == "{}"


def test_a_leftover_temporary_file_is_dropped_once_old(stale) -> None:
    cache, (kept, _), after = stale
    leftover = entry(cache, kept).with_name(f"{'f' * 64}.json.999.tmp")
    leftover.write_text("{")
    age(leftover)
    mathcheck.check_blocks(after[:1], cache_dir=cache)
    assert not leftover.exists()
