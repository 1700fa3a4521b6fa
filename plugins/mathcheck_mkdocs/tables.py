"""HTML of a `derivation-table` fence (the engine's `mathcheck.pages.tables` reads and selects it).

`statement` is the whole checked formula (derivative = claim); `conditions` is where it
holds: its assumptions, and a note when its claim goes by cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from mathcheck import Block, Statement, Verdict
from mathcheck.pages.tables import Table

from .render import STATUS_LABELS, by_layout, math_inline, title_html
from .templating import render

HEADINGS = {
    "title": "Name",
    "statement": "Rule",
    "conditions": "Holds when",
    "function": "Function",
    "wrt": "With respect to",
    "derivative": "Derivative",
    "shape": "Shape",
    "layout": "Layout",
    "status": "Check",
    "variables": "Variables",
}


@dataclass(frozen=True)
class Row:
    """A selected block with what a row shows of it."""

    block: Block
    verdict: Verdict  # its statement, which a row shows, is there when verified
    href: str  # link to the block's anchor, relative to the table's page


FORMULAS = ("function", "statement", "derivative", "conditions")  # columns that may name a `let`
DISPLAY = r"\displaystyle "   # a formula in a cell at display size: its fractions stay legible


def table_html(table: Table, rows: list[Row]) -> str:
    """The table; the first cell of each row links to its block, and the last formula cell
    (the conditions only where the row has no other) defines the names the row's formulas
    use, so that a row reads on its own and its conditions stay short (a row that begins
    with the very definitions of the row above points to them and defines only the rest)."""
    where = next((name for name in reversed(table.columns) if name in FORMULAS[:-1]),
                 "conditions" if "conditions" in table.columns else None)

    def html(position: int, name: str, row: Row, above: Row | None) -> str:
        content = cell(name, row, table.as_written)
        if name == where:
            lets = row_lets(row, table.columns)
            before = row_lets(above, table.columns) if above is not None else []
            shared = bool(before) and lets[:len(before)] == before
            content += defined(lets[len(before):] if shared else lets, shared)
        return link(row, content) if position == 0 else content

    return render(
        "table.html",
        caption=escape(table.title) if table.title else "",
        headings=[HEADINGS[name] for name in table.columns],
        rows=[[{"label": HEADINGS[name], "html": html(position, name, row, rows[k - 1] if k else None)}
               for position, name in enumerate(table.columns)] for k, row in enumerate(rows)],
    )


def row_lets(row: Row, columns: tuple[str, ...]) -> list[str]:
    """The definitions of the names the row's formulas in `columns` use (not those only its
    steps, or a part the row does not show, use)."""
    statement = row.verdict.statement
    if statement is None:
        return []
    used: set[str] = set()
    if {"statement", "function"} & set(columns):
        used.update(statement.f_lets)
    if {"statement", "derivative", "conditions"} & set(columns):
        used.update(statement.claim_lets)
    return [let for let in statement.lets if let in used]


def defined(lets: list[str], above: bool = False) -> str:
    """`where u = ..., v = ...`: definitions of the names a row's formulas use; `above`, after
    those of the row above (`where: as in the row above, and ...`)."""
    if not lets:
        return '<span class="mathcheck-where">where: as in the row above</span>' if above else ""
    shown = (math_inline(DISPLAY + let.replace("&=", "=", 1)) for let in lets)
    names = '<span class="mathcheck-sep">, </span>'.join(f'<span class="mathcheck-def">{math}</span>' for math in shown)
    return f'<span class="mathcheck-where">where{": as in the row above, and" if above else ""} {names}</span>'


def link(row: Row, content: str) -> str:
    """`content` as a link to the row's block."""
    return f'<a href="{escape(row.href)}">{content}</a>'


def cell(column: str, row: Row, as_written: bool = False) -> str:
    """The HTML of one cell; math only from a verified block's typeset statement, in the
    reader's layout (or, `as_written`, in the block's own)."""
    statement, block = row.verdict.statement, row.block
    if column == "title":
        return title_html(block.title or (statement.title if statement else "") or block.id or "",
                          None if as_written else row.verdict)
    if column == "status":
        return f'<span class="mathcheck-status-{row.verdict.status}">{STATUS_LABELS[row.verdict.status]}</span>'
    if statement is None:
        return ""
    if column == "layout" and row.verdict.other is None:   # 1 x 1, or a second derivative
        return "<span>either</span>"
    if column in LAYOUT_COLUMNS and not as_written:   # the reader's layout switch picks one statement
        return by_layout(row.verdict, lambda s, defer: formula(column, s), tag="span")
    return formula(column, statement)


LAYOUT_COLUMNS = ("statement", "derivative", "shape", "layout")


def formula(column: str, statement: Statement) -> str:
    """A cell of a verified block's row, printed from one of its statements."""
    if column == "layout":   # an element, which the layout switch can hide (a bare text cannot be)
        return f"<span>{escape(statement.layout)}</span>"
    if column == "conditions":
        return conditions(statement)
    if column == "variables":   # each kind whole on a line, its comma with it
        kinds = statement.kinds
        return " ".join(f'<span class="mathcheck-kind">{math_inline(kind)}{"," if k < len(kinds) - 1 else ""}</span>'
                        for k, kind in enumerate(kinds))
    latex = {
        "statement": statement.latex,
        "function": statement.f_latex,
        "wrt": statement.wrt_latex,
        "derivative": statement.claim_latex,
        "shape": statement.shape_note,
    }[column]
    return math_inline(latex if column == "shape" else DISPLAY + latex)


def conditions(statement: Statement) -> str:
    """Where a row's formula holds: its assumptions, and each case on its own side."""
    parts = [math_inline(assumption) for assumption in statement.assumptions]
    if statement.cases:
        parts.append("each case on its own side")
    return ", ".join(parts)
