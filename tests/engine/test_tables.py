"""Finding and reading `derivation-table` fences."""

from __future__ import annotations

import pytest

from mathcheck.pages.blocks import find_blocks
from mathcheck.pages.tables import DEFAULT_COLUMNS, find_tables, parse_table


def fenced(body: str, fence: str = "```") -> str:
    return f"{fence}derivation-table\n{body}\n{fence}"


def test_finds_tables_with_their_lines_but_not_inside_other_code_blocks() -> None:
    page = "\n".join(
        [
            "# Page",
            "",
            fenced("tags: [a]"),
            "",
            "````markdown",
            fenced("tags: [shown-as-an-example]"),
            "````",
            "",
            "!!! note",
            "    " + fenced("ids: [x]").replace("\n", "\n    "),
        ]
    )
    tables = find_tables(page, "docs/page.md")
    assert [(t.line, t.end_line, t.tags, t.ids) for t in tables] == [(3, 5, ("a",), ()), (14, 16, (), ("x",))]


def test_finds_a_table_in_a_block_quote() -> None:
    (table,) = find_tables("> quoted:\n>\n> ```derivation-table\n> ids: [x, y]\n> ```\n", "p.md")
    assert (table.line, table.end_line, table.ids, table.problem) == (3, 5, ("x", "y"), None)


def test_an_unclosed_table_is_no_table_but_an_error_block() -> None:
    """Markdown (superfences) shows a fence left open as text: no table is built from it,
    and the page's blocks report it."""
    text = "intro\n```derivation-table\nids: [x]"
    assert find_tables(text, "p.md") == []
    (block,) = find_blocks(text, "p.md")
    assert (block.line, block.shown) == (2, False)
    assert "never closed" in block.problem and "```" in block.problem


def test_columns_default_and_order_are_kept() -> None:
    assert parse_table("tags: [a]", "p.md", 1, 3).columns == DEFAULT_COLUMNS
    assert parse_table("ids: [b, a]\ncolumns: [shape, title]", "p.md", 1, 4).columns == ("shape", "title")


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("tags: [a", "invalid YAML"),
        ("- a", "expected a mapping"),
        ("title: nothing selected", "select rows with `tags` and/or `ids`"),
        ("tags: a", "`tags` must be a list of names"),
        ("ids: [1, 2]", "`ids` must be a list of names"),
        ("tags: [a]\ncolumns: [title, colour]", "unknown column(s) colour"),
        ("tags: [a]\nsort: title", "unknown key(s) sort"),
        ("tags: [a]\nlayout: numerator", "`layout` may only be `written`"),
    ],
)
def test_a_broken_table_is_a_problem_naming_its_file_and_line(source: str, problem: str) -> None:
    table = parse_table(source, "docs/p.md", 7, 9)
    assert table.problem is not None
    assert table.problem.startswith("docs/p.md:7: derivation-table: ")
    assert problem in table.problem


def test_a_table_may_keep_its_rows_as_written() -> None:
    assert parse_table("tags: [a]\nlayout: written", "p.md", 1, 4).as_written
    assert not parse_table("tags: [a]", "p.md", 1, 3).as_written
