"""`derivation-table` fences: where they are, what they select, and whether they can be built.

A table holds YAML:

    title: Element-wise binary operations   # optional caption
    tags: [elementwise]    # every block, site-wide, with any of these tags, in site order
    ids: [sum-x, sum-xz]   # and/or these blocks, in this order
    columns: [title, function, wrt, derivative]   # optional; this is the default
    layout: written        # optional: rows stay as written, whatever the reader's layout switch

A table that names a tag or id no block has is an error, for the command as for a build.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .blocks import Block
from .fences import TABLE_INFO, find_fences
from .suggest import did_you_mean
from .yaml_limits import YamlLimitError, check_limits

INFO_STRING = TABLE_INFO
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
COLUMNS = ("title", "statement", "conditions", "function", "wrt", "derivative", "shape", "layout",
           "status", "variables")
DEFAULT_COLUMNS = ("title", "function", "wrt", "derivative")
KEYS = ("title", "tags", "ids", "columns", "layout")
HINTED = 10  # unknown names that get a "did you mean" hint (each costs a pass over the names)


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
    problem_line: int | None = None  # the line of the key that is wrong, when known
    as_written: bool = False  # `layout: written`: each row in its block's own layout, always
    source: str = ""  # the YAML between the fences
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)  # key -> 1-based file line

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def find_tables(text: str, file: str) -> list[Table]:
    """Every `derivation-table` fence of a page, found where the engine finds blocks."""
    return [parse_table(body, file, first, last) for first, last, body in find_fences(text, INFO_STRING)]


def parse_table(source: str, file: str, line: int, end_line: int) -> Table:
    """The table a fence's YAML describes, or a Table whose `problem` says what is wrong."""

    def broken(problem: str, where: int | None = None) -> Table:
        return Table(file, line, end_line, None, (), (), (), f"{file}:{line}: derivation-table: {problem}",
                     where or line, source)

    try:
        check_limits(source)
    except YamlLimitError as error:
        return broken(f"{error} (line {line + 1 + error.line}, column {error.column + 1})",
                      line + 1 + error.line)
    except yaml.YAMLError:
        pass  # reported, located, by the loader below
    loader = _SAFE_LOADER(source)
    try:
        node = loader.get_single_node()  # read once, for the lines of the keys and the values
        spec = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {line + 1 + mark.line}, column {mark.column + 1})" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return broken(f"invalid YAML: {reason}{where}", line + 1 + mark.line if mark is not None else None)
    finally:
        loader.dispose()
    if not isinstance(spec, dict):
        return broken("expected a mapping with `tags` and/or `ids`")
    key_lines = {str(key.value): line + 1 + key.start_mark.line for key, _ in node.value}
    if unknown := sorted(str(key) for key in spec if key not in KEYS):
        hint = did_you_mean(unknown[0], KEYS)
        return broken(f"unknown key(s) {', '.join(unknown)}{hint}; allowed: {', '.join(KEYS)}",
                      key_lines.get(unknown[0]))
    lists = {key: spec.get(key, []) for key in ("tags", "ids", "columns")}
    for key, value in lists.items():
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return broken(f"`{key}` must be a list of names", key_lines.get(key))
    if not lists["tags"] and not lists["ids"]:
        return broken("select rows with `tags` and/or `ids`")
    if unknown := [name for name in lists["columns"] if name not in COLUMNS]:
        hint = did_you_mean(unknown[0], COLUMNS)
        return broken(f"unknown column(s) {', '.join(unknown)}{hint}; available: {', '.join(COLUMNS)}",
                      key_lines.get("columns"))
    title = spec.get("title")
    if title is not None and not isinstance(title, (str, int, float)):
        return broken("`title` must be text", key_lines.get("title"))
    if spec.get("layout", "written") != "written":
        return broken("`layout` may only be `written`: each row then stays in the layout its block "
                      "is written in, whatever the reader's layout switch says", key_lines.get("layout"))
    return Table(file, line, end_line, None if title is None else str(title), tuple(lists["tags"]),
                 tuple(lists["ids"]), tuple(lists["columns"]) or DEFAULT_COLUMNS, source=source,
                 key_lines=key_lines, as_written="layout" in spec)


def select_blocks(table: Table, blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """The table's blocks (its `ids` in order, then its tags' blocks in site order, no repeats)
    and a message for each id or tag that names no block."""
    by_id = {block.id: block for block in blocks if block.id}
    chosen = list({id(block): block for block in (by_id[name] for name in table.ids if name in by_id)}.values())
    taken = {id(block) for block in chosen}
    tagged: dict[str, list[Block]] = {tag: [] for tag in table.tags}
    for block in blocks:
        for tag in dict.fromkeys(block.tags):
            if tag in tagged:
                tagged[tag].append(block)
    for tag in tagged:  # each tag once, in the table's order
        for block in tagged[tag]:
            if id(block) not in taken:
                chosen.append(block)
                taken.add(id(block))
    return chosen, [message for _, message in unknown_names(table, blocks)]


def unknown_names(table: Table, blocks: list[Block]) -> list[tuple[str, str]]:
    """(key, message) for each id or tag of the table that names no block."""
    known = {"ids": list(dict.fromkeys(block.id for block in blocks if block.id)),
             "tags": sorted({tag for block in blocks for tag in block.tags})}
    where = f"{table.file}:{table.line}: derivation-table"
    present = {key: set(names) for key, names in known.items()}
    unknown = [(key, name) for key, names in (("ids", table.ids), ("tags", table.tags))
               for name in dict.fromkeys(names) if name not in present[key]]
    return [(key, f"{where}: no block has {key[:-1]} '{name}'"
                  f"{did_you_mean(name, known[key]) if k < HINTED else ''}")
            for k, (key, name) in enumerate(unknown)]
