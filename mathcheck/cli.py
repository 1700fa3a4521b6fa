"""The `mathcheck` command: check the derivation blocks and tables of markdown files and
folders (`mathcheck check`), derive each block's derivative (`mathcheck derive`), or print
the block format's reference (`mathcheck explain [TOPIC]`).

Exit status of `check`: 0 when every block is verified and every table can be built, 1 when
any block failed or errored or any table is broken; of `derive`: 0 when every block is
derived, 1 otherwise; 2 when the command itself was misused (an unknown option, a path that
does not exist).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .checking.verdicts import STATUSES, Verdict, printable
from .deriving import Derivation
from .pages.blocks import Block, find_blocks
from .pages.tables import Table, find_tables, unknown_names
from .reference import explain, sections
from .running.cache import __version__, default_cache_dir
from .running.runner import DEFAULT_TIME_LIMIT, check_blocks, derive_blocks


@dataclass(frozen=True)
class Item:
    """One thing the command reports: a block's verdict, or a broken table."""

    kind: str  # "block" or "table"
    verdict: Verdict

    def as_dict(self) -> dict:
        """The contract's fields (`id, file, line, status, message`), then the line of the key
        the message concerns, the kind of fence, for a failed block the verified derivative
        found (null when there is none), and `warning` where a verified block has one."""
        suggestion = self.verdict.suggestion
        warning = {"warning": self.verdict.warning} if self.verdict.warning else {}
        return {**self.verdict.as_dict(), "key_line": self.verdict.key_line or self.verdict.line,
                "kind": self.kind, "suggestion": suggestion and suggestion.expression, **warning}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="mathcheck", description="Check the derivatives claimed in derivation blocks.",
        epilog="exit status: 0 all verified, 1 a block or table is wrong, 2 usage error")
    parser.add_argument("--version", action="version", version=f"mathcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check markdown files or folders (recursively)")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("-q", "--quiet", action="store_true",
                       help="print only the problems (no verified blocks, no summary)")
    check.add_argument("-j", "--jobs", type=_jobs, default=0,
                       help="blocks checked in parallel (default 0: one per CPU core)")
    check.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT,
                       help=f"seconds per block (default {DEFAULT_TIME_LIMIT:g})")
    check.add_argument("--no-cache", action="store_true", help="check every block again")
    check.add_argument("--cache-dir", type=Path, default=None,
                       help="where verdicts are cached (default $MATHCHECK_CACHE_DIR, "
                            "else .cache/plugin/mathcheck)")
    derive = commands.add_parser(
        "derive", help="derive each block's derivative of f by wrt, verified before it is shown")
    derive.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    derive.add_argument("--format", choices=("text", "json"), default="text")
    derive.add_argument("-j", "--jobs", type=_jobs, default=0,
                        help="blocks derived in parallel (default 0: one per CPU core)")
    derive.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT,
                        help=f"seconds per block (default {DEFAULT_TIME_LIMIT:g})")
    explainer = commands.add_parser(
        "explain", help="print the reference of the block format and the expression language")
    explainer.add_argument("topic", nargs="?", metavar="TOPIC",
                           help=f"one of: {', '.join(sections())} (default: all)")
    args = parser.parse_args(argv)
    if args.command == "derive":
        return _derive(args)
    if args.command == "explain":
        return _explain(args.topic)

    files = _markdown_files(args.paths)
    if files is None:
        return 2
    started = time.perf_counter()
    texts = {f: _read(f) for f in files}
    blocks = [b for f, text in texts.items() for b in find_blocks(text, str(f))]
    tables = [t for f, text in texts.items() for t in find_tables(text, str(f))]
    cache_dir = None if args.no_cache else (args.cache_dir or default_cache_dir())
    verdicts = check_blocks(blocks, args.jobs, args.time_limit, cache_dir,
                            warn=lambda message: print(printable(message), file=sys.stderr))
    items = [Item("block", v) for v in verdicts] + [_table_item(t, blocks) for t in tables]
    items = [item for item in items if item is not None]
    try:
        _report(items, len(tables), args, time.perf_counter() - started)
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error of ours
        sys.stderr.close()
    return 0 if all(item.verdict.status == "verified" for item in items) else 1


def _explain(topic: str | None) -> int:
    text = explain(topic)
    if text is None:
        print(f"mathcheck explain: no topic `{topic}`; write one of: {', '.join(sections())}",
              file=sys.stderr)
        return 2
    try:
        print(text)
    except BrokenPipeError:
        sys.stderr.close()
    return 0


def _derive(args: argparse.Namespace) -> int:
    """One line per block (`FILE:LINE: block `ID` derivative: EXPR`, or `underived: WHY`,
    or `error: WHY`) and a summary on stderr; or, with --format json, the list of
    `{id, file, line, status, derivative, latex, message}`."""
    files = _markdown_files(args.paths)
    if files is None:
        return 2
    started = time.perf_counter()
    blocks = [b for f in files for b in find_blocks(_read(f), str(f))]
    derivations = derive_blocks(blocks, args.jobs, args.time_limit)
    entries = [_derivation_entry(b, d) for b, d in zip(blocks, derivations)]
    try:
        if args.format == "json":
            print(json.dumps(entries, indent=2))
        else:
            for entry in entries:
                print(entry["message"])
        counts = {s: sum(e["status"] == s for e in entries) for s in ("derived", "underived", "error")}
        print(f"{len(entries)} blocks: {counts['derived']} derived, {counts['underived']} underived, "
              f"{counts['error']} error in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    except BrokenPipeError:
        sys.stderr.close()
    return 0 if all(e["status"] == "derived" for e in entries) else 1


def _derivation_entry(block: Block, derivation: Derivation) -> dict:
    name = f"block `{block.id}`" if block.id else "block"
    where = f"{block.file}:{block.line}: {name}"
    if derivation.status == "derived":
        message = f"{where} derivative: {derivation.expression}"
    else:
        see = (f" (line {derivation.line})" if derivation.line and derivation.line != block.line
               else "")
        message = f"{where} {derivation.status}: {derivation.detail}{see}"
    return {"id": block.id, "file": block.file, "line": block.line, "status": derivation.status,
            "derivative": derivation.expression, "latex": derivation.latex, "message": message}


def _table_item(table: Table, blocks: list) -> Item | None:
    """A broken table as an error item, at the line of its first wrong key (None for a table
    that can be built)."""
    if table.problem:
        problems, key_line = [table.problem], table.problem_line or table.line
    else:
        unknown = unknown_names(table, blocks)
        if not unknown:
            return None
        problems, key_line = [message for _, message in unknown], table.line_of(unknown[0][0])
    return Item("table", Verdict(None, table.file, table.line, "error", "\n".join(problems), key_line=key_line))


def _data(text: str) -> str:
    """Escape an annotation's message as GitHub's workflow commands require."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape an annotation property (a file name, a title): also ':' and ','."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _title(item: Item) -> str:
    verdict = item.verdict
    if item.kind == "table":
        return "mathcheck: derivation-table error"
    return f"mathcheck: block {verdict.id} {verdict.status}" if verdict.id else f"mathcheck: block {verdict.status}"


def _jobs(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per CPU core) or more")
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
    return path.read_text(encoding="utf-8-sig", errors="replace")  # as MkDocs reads a page: no byte-order mark


def _summary(items: list[Item], tables: int, seconds: float) -> dict:
    blocks = [item.verdict for item in items if item.kind == "block"]
    counts = {s: sum(v.status == s for v in blocks) for s in STATUSES}
    return {"blocks": len(blocks), **counts, "cached": sum(v.cached for v in blocks), "tables": tables,
            "broken_tables": sum(item.kind == "table" for item in items), "seconds": round(seconds, 2)}


def _report(items: list[Item], tables: int, args: argparse.Namespace, seconds: float) -> None:
    """JSON: the list of items on stdout, the summary (a JSON object) on stderr. Text and
    GitHub annotations: one line per item (problems only with --quiet), a line of its own for
    a verified block's warning (with --quiet too), then the summary."""
    bad = [item for item in items if item.verdict.status != "verified"]
    summary = _summary(items, tables, seconds)
    if args.format == "json":
        print(json.dumps([item.as_dict() for item in items], indent=2))
        if not args.quiet:
            print(json.dumps({"summary": summary}), file=sys.stderr)
        return
    warned = [item.verdict for item in items if item.verdict.warning]
    if args.format == "github":
        for item in bad:
            v = item.verdict
            print(f"::error file={_property(printable(v.file))},line={v.key_line or v.line},"
                  f"title={_property(printable(_title(item)))}::{_data(printable(v.message))}")
        for v in warned:
            print(f"::warning file={_property(printable(v.file))},line={v.line},"
                  f"title={_property(printable(f'mathcheck: block {v.id} warning'))}::{_data(printable(v.warning))}")
    else:
        for item in bad if args.quiet else items:
            print(printable(item.verdict.message))
            if item.verdict.warning:   # its own line: the verdict's line keeps its format
                print(printable(item.verdict.warning))
        if args.quiet:
            for v in warned:
                print(printable(v.warning))
    if not args.quiet:
        tables_note = f", {summary['broken_tables']} of {tables} tables broken" if tables else ""
        print(f"{summary['blocks']} blocks: {summary['verified']} verified, {summary['failed']} failed, "
              f"{summary['error']} error ({summary['cached']} cached){tables_note} in {seconds:.2f} s")
