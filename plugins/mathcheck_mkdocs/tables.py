"""`derivation-table` fences: where they are, which blocks they select, their HTML.

A table holds YAML:

    title: Element-wise binary operations   # optional caption
    tags: [elementwise]    # every block, site-wide, with any of these tags, in site order
    ids: [sum-x, sum-xz]   # and/or these blocks, in this order
    columns: [title, function, wrt, derivative]   # optional; this is the default

`statement` is the whole checked formula (derivative = claim); `conditions` is where it
holds: its assumptions, and a note when its claim goes by cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import yaml

from mathcheck import Block, Statement, Verdict, find_fences

from .render import STATUS_LABELS, math_inline

INFO_STRING = "derivation-table"
COLUMNS = {
    "title": "Name",
    "statement": "Rule",
    "conditions": "Holds when",
    "function": "Function",
    "wrt": "With respect to",
    "derivative": "Derivative",
    "shape": "Shape",
    "layout": "Layout",
    "status": "Check",
}
DEFAULT_COLUMNS = ("title", "function", "wrt", "derivative")
KEYS = {"title", "tags", "ids", "columns"}

@dataclass(frozen=True)
class Table:
    """One `derivation-table` fence; `problem` is set when its YAML is unusable."""

    file: str
    line: int  # 1-based line of the opening fence
    end_line: int  # 1-based line of the closing fence
    title: str | None
    tags: tuple[str, ...]
    ids: tuple[str, ...]
    columns: tuple[str, ...]
    problem: str | None = None


@dataclass(frozen=True)
class Row:
    """A selected block with what a row shows of it."""

    block: Block
    verdict: Verdict
    statement: Statement | None  # None unless verified
    href: str  # link to the block's anchor, relative to the table's page


def find_tables(text: str, file: str) -> list[Table]:
    """Every `derivation-table` fence of a page, found where the engine finds blocks."""
    return [parse_table(body, file, first, last) for first, last, body in find_fences(text, INFO_STRING)]


def parse_table(source: str, file: str, line: int, end_line: int) -> Table:
    """The table a fence's YAML describes, or a Table whose `problem` says what is wrong."""

    def broken(problem: str) -> Table:
        return Table(file, line, end_line, None, (), (), (), f"{file}:{line}: derivation-table: {problem}")

    try:
        spec = yaml.safe_load(source)
    except yaml.YAMLError as error:
        return broken(f"invalid YAML: {error}")
    if not isinstance(spec, dict):
        return broken("expected a mapping with `tags` and/or `ids`")
    if unknown := sorted(set(spec) - KEYS):
        return broken(f"unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(sorted(KEYS))}")
    lists = {key: spec.get(key, []) for key in ("tags", "ids", "columns")}
    for key, value in lists.items():
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return broken(f"`{key}` must be a list of names")
    if not lists["tags"] and not lists["ids"]:
        return broken("select rows with `tags` and/or `ids`")
    if unknown := [name for name in lists["columns"] if name not in COLUMNS]:
        return broken(f"unknown column(s) {', '.join(unknown)}; available: {', '.join(COLUMNS)}")
    title = spec.get("title")
    return Table(
        file,
        line,
        end_line,
        None if title is None else str(title),
        tuple(lists["tags"]),
        tuple(lists["ids"]),
        tuple(lists["columns"]) or DEFAULT_COLUMNS,
    )


def select_blocks(table: Table, blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """The table's blocks (its `ids` in order, then its tags' blocks in site order, no repeats)
    and a message for each id or tag that names no block."""
    by_id = {block.id: block for block in blocks if block.id}
    problems = [
        f"{table.file}:{table.line}: derivation-table: no block has id '{name}'"
        for name in table.ids
        if name not in by_id
    ]
    chosen = [by_id[name] for name in table.ids if name in by_id]
    for tag in table.tags:
        tagged = [block for block in blocks if tag in block.tags]
        if not tagged:
            problems.append(f"{table.file}:{table.line}: derivation-table: no block has tag '{tag}'")
        chosen.extend(block for block in tagged if block not in chosen)
    return chosen, problems


def table_html(table: Table, rows: list[Row]) -> str:
    """The table; the first cell of each row links to its block."""
    head = "".join(f"<th>{COLUMNS[name]}</th>" for name in table.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{link(row, cell(name, row)) if position == 0 else cell(name, row)}</td>"
            for position, name in enumerate(table.columns)
        )
        + "</tr>"
        for row in rows
    )
    caption = f"<caption>{escape(table.title)}</caption>" if table.title else ""
    # The class is on a wrapper: Material styles only tables without a class of their own.
    return (
        f'<div class="mathcheck-table"><table>{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def link(row: Row, content: str) -> str:
    """`content` as a link to the row's block."""
    return f'<a href="{escape(row.href)}">{content}</a>'


def cell(column: str, row: Row) -> str:
    """The HTML of one cell; math only from a verified block's typeset statement."""
    statement, block = row.statement, row.block
    if column == "title":
        return escape(block.title or (statement.title if statement else "") or block.id or "")
    if column == "status":
        return f'<span class="mathcheck-status-{row.verdict.status}">{STATUS_LABELS[row.verdict.status]}</span>'
    if statement is None:
        return ""
    if column == "layout":
        return escape(statement.layout)
    if column == "conditions":
        return conditions(statement)
    latex = {
        "statement": statement.latex,
        "function": statement.f_latex,
        "wrt": statement.wrt_latex,
        "derivative": statement.claim_latex,
        "shape": statement.shape_note,
    }[column]
    return math_inline(latex)


def conditions(statement: Statement) -> str:
    """Where a row's formula holds: its assumptions, and each case on its own side."""
    parts = [math_inline(assumption) for assumption in statement.assumptions]
    if statement.cases:
        parts.append("each case on its own side")
    return ", ".join(parts)
