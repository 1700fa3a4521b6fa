"""Verdict cache: one JSON file per block, keyed by the block's text and the engine; an
entry holds the outcome, with a verified block's typeset statement.

It holds only what the block's text decides: the runner stores the outcome of a check that
ran to its end, never a time-out or a crashed check, and never an outcome that depends on
other blocks (a duplicate id). Each entry is written as soon as it is known, atomically, so
an interrupted build keeps its finished work. Entries are read as untrusted: anything of
another shape is a miss, checked again and rewritten. Whoever can write the folder can
plant a verdict, and what the page shows for the block; a build that must not trust it
checks with an empty or no cache. Only regular files, at most MAX_ENTRY bytes, in real
subfolders are opened (never through a symlink; a FIFO or a device is not waited on).

Pruning: after a scan, `prune` removes the entries no block of the scan used that have
not been used for GRACE (an entry's mtime is when it was written or, to within a day, last
read): after a whole-site scan (a builder's) any such entry, after a partial one (`mathcheck
check FILE`) only those an engine of another version wrote, which this one can never read.
The grace keeps the entries of a site or an engine that shares the folder and was used lately.
Symlinks, and anything but a regular file in a real subfolder, are never followed or removed.

Location: the `cache_dir` given (the default, `default_cache_dir()`, is
`$MATHCHECK_CACHE_DIR`, else `.cache/plugin/mathcheck` in the working directory).
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..checking.verdicts import Outcome, outcome_from_json, outcome_to_json
from ..pages.blocks import Block

__version__ = "0.1.0"

DEFAULT_CACHE_DIR = Path(".cache", "plugin", "mathcheck")
GITIGNORE = "# Verdicts cached by mathcheck; safe to delete.\n*\n"
MAX_ENTRY = 1 << 20  # bytes: an entry holds one outcome, a few kilobytes
GRACE = 7 * 24 * 3600.0  # seconds an unused entry is kept
TOUCH_AFTER = 24 * 3600.0  # a read entry older than this is touched, so its mtime says it is used
_NO_FOLLOW = os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


@lru_cache(maxsize=1)
def engine_version() -> str:
    """The release plus a digest of the engine's own source (its subpackages too: a failed
    verdict holds what `deriving` suggests), so any change of it re-checks."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parents[1].rglob("*.py")):
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def default_cache_dir() -> Path:
    return Path(os.environ.get("MATHCHECK_CACHE_DIR") or DEFAULT_CACHE_DIR)


def key(block: Block) -> str:
    """Time-outs are never stored, so the time limit is not part of the key."""
    text = f"{engine_version()}\0{block.source}"
    return hashlib.sha256(text.encode()).hexdigest()


class VerdictCache:
    """The folder of entries; `warn` is told once if entries cannot be written, and once if
    one is skipped for not being a regular file of the folder."""

    def __init__(self, directory: Path, warn: Callable[[str], None] | None = None):
        self.directory = Path(directory)
        self.folder = str(self.directory)
        self.warn = warn
        self.unwritable = False
        self.skipped = False

    def _path(self, k: str) -> Path:
        return self.directory / k[:2] / f"{k}.json"

    def get(self, block: Block) -> Outcome | None:
        """The stored outcome, or None if there is none or it is not a well-formed outcome."""
        k = key(block)
        try:  # a build reads every entry: plain strings and os.open cost a third of pathlib's
            folder = os.open(os.path.join(self.folder, k[:2]), os.O_RDONLY | os.O_DIRECTORY | _NO_FOLLOW)
        except OSError as exc:
            self._skipped(exc, k[:2])
            return None
        try:
            fd = os.open(f"{k}.json", os.O_RDONLY | _NO_FOLLOW, dir_fd=folder)
        except OSError as exc:
            self._skipped(exc, os.path.join(k[:2], f"{k}.json"))
            return None
        finally:
            os.close(folder)
        with open(fd, "rb") as entry:
            found = os.fstat(fd)
            if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_ENTRY:
                self._skipped(None, os.path.join(k[:2], f"{k}.json"))
                return None
            try:
                data = json.loads(entry.read(MAX_ENTRY + 1))
                if isinstance(data, dict):
                    data.pop("engine", None)  # the key has the version already
                outcome = outcome_from_json(data, block.line)
            except (OSError, ValueError, RecursionError):
                return None
            if found.st_mtime < time.time() - TOUCH_AFTER:
                with contextlib.suppress(OSError):  # a read-only cache is still read
                    os.utime(fd)
            return outcome

    def _skipped(self, error: OSError | None, name: str) -> None:
        """Say, once, that an entry was passed over because of what stands at its path (a
        symlink: ELOOP under O_NOFOLLOW, ENOTDIR for a folder; a FIFO, a device or a folder
        for an entry: `error` is None). Any other error, a missing entry first, is a miss."""
        if error is not None and error.errno != errno.ELOOP \
                and not os.path.islink(os.path.join(self.folder, name)):
            return
        if not self.skipped and self.warn:
            self.warn(f"mathcheck: skipped {os.path.join(self.folder, name)} in the verdict cache: "
                      f"only regular files of at most {MAX_ENTRY} bytes in real subfolders are read "
                      "(not a symlink, FIFO or device); the block is checked again")
        self.skipped = True

    def put(self, block: Block, outcome: Outcome) -> None:
        """Store an outcome atomically (a reader sees the old entry or the new, never half)."""
        if self.unwritable:
            return
        path = self._path(key(block))
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            gitignore = self.directory / ".gitignore"
            if not os.path.lexists(gitignore):
                self.directory.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(FileExistsError):  # another build's, just now
                    _write_new(gitignore, GITIGNORE)
            path.parent.mkdir(exist_ok=True)
            if path.parent.is_symlink():  # never written through
                self._skipped(None, path.parent.name)
                return
            try:
                _write_new(tmp, json.dumps({**outcome_to_json(outcome, block.line), "engine": engine_version()}))
                os.replace(tmp, path)
            except BaseException:   # an interrupt too (Ctrl-C while writing): no file left half-made
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)
                raise
        except OSError as exc:
            self.unwritable = True
            if self.warn:
                self.warn(f"mathcheck: cannot write the verdict cache in {self.directory} "
                          f"({exc.strerror or exc}); every build checks every block again")

    def prune(self, used: set[str], whole_site: bool) -> int:
        """Remove the entries (and leftover temporary files) whose key is not in `used` and
        that were not used for GRACE: any such one after a whole-site scan, else only those of
        another engine version. Returns how many were removed."""
        removed = 0
        old = time.time() - GRACE
        try:
            top = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | _NO_FOLLOW)
        except OSError:
            return 0
        try:
            for sub in os.scandir(top):
                if len(sub.name) != 2 or not sub.is_dir(follow_symlinks=False):
                    continue
                try:
                    folder = os.open(sub.name, os.O_RDONLY | os.O_DIRECTORY | _NO_FOLLOW, dir_fd=top)
                except OSError:
                    continue
                try:
                    removed += self._prune_folder(folder, used, whole_site, old)
                finally:
                    os.close(folder)
                with contextlib.suppress(OSError):  # only if now empty
                    os.rmdir(sub.name, dir_fd=top)
        finally:
            os.close(top)
        return removed

    def _prune_folder(self, folder: int, used: set[str], whole_site: bool, old: float) -> int:
        removed = 0
        for entry in os.scandir(folder):
            k = entry.name.split(".", 1)[0]
            if k in used or not entry.name.endswith((".json", ".tmp")) \
                    or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime >= old:
                    continue
                if whole_site or entry.name.endswith(".tmp") or _engine_of(folder, entry.name) != engine_version():
                    os.unlink(entry.name, dir_fd=folder)
                    removed += 1
        return removed


def _engine_of(folder: int, name: str) -> str | None:
    """The engine version an entry was written by (None for an entry that does not say)."""
    fd = os.open(name, os.O_RDONLY | _NO_FOLLOW, dir_fd=folder)
    with open(fd, "rb") as entry:
        if os.fstat(fd).st_size > MAX_ENTRY:
            return None
        try:
            data = json.loads(entry.read(MAX_ENTRY + 1))
        except (ValueError, RecursionError):
            return None
    engine = data.get("engine") if isinstance(data, dict) else None
    return engine if isinstance(engine, str) else None


def _write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet (never through a symlink left at its path)."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o644), "w") as file:
        file.write(text)
