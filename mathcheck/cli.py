"""The `mathcheck` command: check the derivation blocks of markdown files and folders."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .blocks import find_blocks
from .cache import default_cache_dir
from .runner import DEFAULT_TIME_LIMIT, check_blocks
from .verdicts import STATUSES, Verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="mathcheck", description="Check the derivatives claimed in derivation blocks.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check markdown files or folders (recursively)")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("-j", "--jobs", type=_positive_int, default=1,
                       help="blocks checked in parallel (default 1)")
    check.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT,
                       help=f"seconds per block (default {DEFAULT_TIME_LIMIT:g})")
    check.add_argument("--no-cache", action="store_true", help="check every block again")
    check.add_argument("--cache-dir", type=Path, default=None,
                       help="where verdicts are cached (default $MATHCHECK_CACHE_DIR, "
                            "else .cache/plugin/mathcheck)")
    args = parser.parse_args(argv)

    files = _markdown_files(args.paths)
    if files is None:
        return 2
    started = time.perf_counter()
    blocks = [b for f in files for b in find_blocks(_read(f), str(f))]
    cache_dir = None if args.no_cache else (args.cache_dir or default_cache_dir())
    verdicts = check_blocks(blocks, args.jobs, args.time_limit, cache_dir)
    try:
        _report(verdicts, args.format, time.perf_counter() - started)
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error of ours
        sys.stderr.close()
    return 0 if all(v.status == "verified" for v in verdicts) else 1


def _data(text: str) -> str:
    """Escape an annotation's message as GitHub's workflow commands require."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape an annotation property (a file name): also ':' and ','."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _markdown_files(paths: list[Path]) -> list[Path] | None:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.md") if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            print(f"mathcheck: error: no such file or folder: {path}", file=sys.stderr)
            return None
    return files


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _report(verdicts: list[Verdict], form: str, seconds: float) -> None:
    if form == "json":
        print(json.dumps([v.as_dict() for v in verdicts], indent=2))
        return
    bad = [v for v in verdicts if v.status != "verified"]
    if form == "github":
        for v in bad:
            print(f"::error file={_property(v.file)},line={v.line}::{_data(v.message)}")
    else:
        for v in verdicts:
            print(v.message)
    counts = {s: sum(v.status == s for v in verdicts) for s in STATUSES}
    cached = sum(v.cached for v in verdicts)
    print(f"{len(verdicts)} blocks: {counts['verified']} verified, {counts['failed']} failed, "
          f"{counts['error']} error ({cached} cached) in {seconds:.2f} s")

