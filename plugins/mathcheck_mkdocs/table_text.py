"""A derivation table as the search index reads it: its caption, then one line per row, the
row's cells in order and told apart (`Power rule — d/dx (xⁿ) = n x^(n - 1) — holds when x > 0`),
where the table's own cells would run together."""

from __future__ import annotations

from html import escape

from mathcheck.pages.tables import Table

from .tables import FORMULAS, Row, cell, defined, row_lets

CELL = " — "
SAID = {"conditions": "holds when {}", "shape": "shape {}", "layout": "{} layout", "wrt": "by {}"}


def table_text(table: Table, rows: list[Row]) -> str:
    """HTML whose text the search index keeps: a paragraph for the caption, an item per row."""
    where = next((name for name in reversed(table.columns) if name in FORMULAS), None)
    lines = []
    for row in rows:
        cells = []
        for name in table.columns:
            content = cell(name, row, table.as_written)
            if content and name in SAID:
                content = SAID[name].format(content)
            if name == where:
                content = f"{content} {defined(row_lets(row, table.columns))}".strip()
            if content:
                cells.append(content)
        lines.append(f"<li>{CELL.join(cells)}</li>")
    caption = f"<p>{escape(table.title)}</p>" if table.title else ""
    return f"{caption}<ul>{''.join(lines)}</ul>"
