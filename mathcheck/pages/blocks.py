"""Markdown -> derivation blocks: each ```derivation fence (found by `fences`), its YAML read.

Reading never raises for bad block content: a block that cannot be used carries a
`problem` (and the line it concerns) and is reported as an error when checked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from .fences import INFO, Stray, find_fences
from .suggest import did_you_mean
from .yaml_limits import YamlLimitError, check_limits

KEYS = ("id", "title", "vars", "f", "wrt", "claim", "layout", "assume", "tags", "let", "steps",
        "order", "picture", "plot")
REQUIRED = ("id", "vars", "f", "wrt", "claim")
MAX_BLOCK = 256_000  # characters of YAML in one block
PICTURES = ("graph", "shapes")  # what `picture:` may ask for
_DECIMAL = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
PLOT_LIMIT = 1e6  # the largest end of a plotted interval


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present
    """Safe YAML that reads every plain scalar as text, except null and true/false: an
    expression such as `claim: 0.1234567890123456789012345` keeps every digit written,
    and `id: off` stays `off`."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*")  # the whole id: fullmatch


@dataclass(frozen=True, eq=False)
class Block:
    """One derivation block as found in a markdown file."""

    file: str
    line: int                     # 1-based line of the opening fence
    end_line: int                 # 1-based line of the closing fence
    source: str                   # the YAML between the fences
    spec: dict[str, Any] | None   # the YAML read, None when unreadable
    problem: str | None = None    # why the block cannot be checked
    problem_line: int | None = None
    key_lines: dict[str, int] = field(default_factory=dict)  # key -> 1-based file line
    shown: bool = True            # False for a Stray: Markdown shows it as code or text

    @cached_property  # read for every table and every duplicate check
    def id(self) -> str | None:
        value = (self.spec or {}).get("id")
        return value if isinstance(value, str) else None

    @cached_property
    def title(self) -> str | None:
        value = (self.spec or {}).get("title")
        return str(value) if _is_text(value) else None  # never a tree printed

    @cached_property
    def tags(self) -> tuple[str, ...]:
        value = (self.spec or {}).get("tags") or ()
        return tuple(t for t in value if isinstance(t, str)) if isinstance(value, list) else ()

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def find_blocks(text: str, file: str) -> list[Block]:
    """Every derivation block of a markdown text, in order, with ids checked for duplicates."""
    return read_blocks(find_fences(text, INFO), file)


def read_blocks(fences: list[tuple[int, int, str]], file: str) -> list[Block]:
    """The blocks of a page's derivation fences (as `find_fences` gives them), in order,
    with ids checked for duplicates; a Stray is a block whose problem is that it is no block."""
    blocks = [Block(file, *fence, None, fence.problem, fence.problem_line, shown=False)
              if isinstance(fence, Stray) else _read(file, *fence) for fence in fences]
    seen: dict[str, Block] = {}
    for i, block in enumerate(blocks):
        if block.problem or block.id is None:
            continue
        if block.id in seen:
            first = seen[block.id]
            blocks[i] = _with_problem(
                block, f"duplicate id `{block.id}` (first used at {first.file}:{first.line})",
                block.line_of("id"))
        else:
            seen[block.id] = block
    return blocks


def _with_problem(block: Block, problem: str, line: int | None) -> Block:
    return Block(block.file, block.line, block.end_line, block.source, block.spec,
                 problem, line or block.line, block.key_lines, block.shown)


def _read(file: str, start: int, end: int, body: str) -> Block:
    bare = Block(file, start, end, body, None)
    if len(body) > MAX_BLOCK:
        return _with_problem(bare, f"block is {len(body)} characters long; the limit is {MAX_BLOCK}", start)
    try:
        check_limits(body)
        node, spec = _load(body)
        key_lines = _key_lines(node, start)
    except YamlLimitError as exc:
        return _with_problem(bare, f"{exc} (column {exc.column + 1})", start + 1 + exc.line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = start + 1 + mark.line if mark is not None else start
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        column = f" (column {mark.column + 1})" if mark is not None else ""
        return _with_problem(bare, f"malformed YAML: {reason}{column}", line)
    if not isinstance(spec, dict):
        return _with_problem(bare, "a derivation block holds a YAML mapping of keys "
                                   f"({', '.join(REQUIRED)}, ...)", start)
    block = Block(file, start, end, body, spec, None, None, key_lines)
    problem = _structure_problem(node, start) or _validate(spec)
    if problem:
        where, message = problem
        line = where if isinstance(where, int) else key_lines.get(where, start)
        return _with_problem(block, message, line)
    return block


def _load(body: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree (for lines and structure) and its value, by one loader."""
    loader = _Loader(body)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        try:
            return node, _plain_value(node)
        except (_Unusual, TypeError):  # PyYAML's constructor decides (or explains the error)
            return node, loader.construct_document(node)
    finally:
        loader.dispose()


_TEXT, _NULL, _BOOL, _LIST, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "seq", "map"))


class _Unusual(Exception):
    """A node `_plain_value` leaves to PyYAML's constructor."""


def _plain_value(node: yaml.Node) -> Any:
    """The value of a tree of text, null, booleans, lists and maps (no aliases: `check_limits`
    refused them) as `_Loader` would construct it, only faster; `_Unusual` for anything else
    (an explicit tag)."""
    tag = node.tag
    if tag == _TEXT:
        return node.value
    if tag == _MAP:
        return {_plain_value(key): _plain_value(value) for key, value in node.value}
    if tag == _LIST:
        return [_plain_value(item) for item in node.value]
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return node.value in ("true", "True", "TRUE")
    raise _Unusual


def _key_lines(node: yaml.Node | None, start: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[str(key.value)] = start + 1 + key.start_mark.line
                if isinstance(value, yaml.SequenceNode):
                    for i, item in enumerate(value.value):
                        lines[f"{key.value}[{i}]"] = start + 1 + item.start_mark.line
                if isinstance(value, yaml.MappingNode):
                    for k, _ in value.value:
                        lines[f"{key.value}.{k.value}"] = start + 1 + k.start_mark.line
    return lines


def _structure_problem(node: yaml.Node | None, start: int) -> tuple[int, str] | None:
    """Two equal keys (YAML keeps the last silently: a block must not say f twice)."""

    def walk(node, where: str):
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in seen:
                    return start + 1 + key.start_mark.line, f"duplicate key `{name}`{where}"
                seen.add(name)
                found = walk(value, f" in `{name}`")
                if found:
                    return found
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                found = walk(item, where)
                if found:
                    return found
        return None
    return walk(node, "")


def _validate(spec: dict) -> tuple[str, str] | None:
    """The first structural problem of a block's YAML as (key, message), or None."""
    for key in spec:
        if key not in KEYS:
            return str(key), f"unknown key `{key}`{did_you_mean(str(key), KEYS)}; the keys are: {', '.join(KEYS)}"
    for key in REQUIRED:
        if spec.get(key) is None:
            return key, f"missing required key `{key}`"
    if not isinstance(spec["id"], str) or not _ID.fullmatch(spec["id"]):
        return "id", "`id` must be a name of letters, digits, `-` and `_`, starting with a letter"
    if not isinstance(spec["vars"], dict) or not spec["vars"]:
        return "vars", "`vars` must map each name to its kind (scalar, vector(n), matrix(m, n))"
    if not _is_text(spec["f"]):
        return "f", "`f` must be an expression"
    wrt = spec["wrt"]
    if not (_is_text(wrt) or isinstance(wrt, list) and wrt and all(_is_text(w) for w in wrt)):
        return "wrt", "`wrt` must name a variable (or list scalar variables)"
    claim = spec["claim"]
    if isinstance(claim, list):
        for case in claim:
            if not (isinstance(case, dict) and set(case) == {"if", "then"}
                    and _is_text(case["if"]) and _is_text(case["then"])):
                return "claim", ("each case of `claim` must be a mapping `{if: CONDITION, then: "
                                 "EXPRESSION}` (to claim a matrix, quote it: `claim: \"[a, b]\"`)")
        if not claim:
            return "claim", "`claim` has no cases"
    elif not _is_text(claim):
        return "claim", "`claim` must be an expression or a list of cases"
    if spec.get("layout") not in (None, "numerator", "denominator"):
        return "layout", f"unknown layout `{spec['layout']}`; use numerator or denominator"
    for key in ("assume", "tags", "steps"):
        value = spec.get(key)
        if value is not None and not (isinstance(value, list) and all(_is_text(v) for v in value)):
            return key, f"`{key}` must be a list of text items"
    if spec.get("let") is not None and not (
            isinstance(spec["let"], dict) and all(_is_text(v) for v in spec["let"].values())):
        return "let", "`let` must map each name to an expression"
    if spec.get("title") is not None and not _is_text(spec["title"]):
        return "title", "`title` must be text"
    for name in _as_list(spec.get("picture")):
        if name not in PICTURES:
            return "picture", (f"unknown picture `{name}`{did_you_mean(str(name), PICTURES)}; write "
                               "`picture: graph` (the `let` chain), `picture: shapes` (the shapes of "
                               "f, the variable and the derivative) or `picture: [graph, shapes]`")
    if spec.get("plot") is not None and plot_interval(spec) is None:
        return "plot", ("`plot` must be an interval of two numbers, the lower first, each at most "
                        f"{PLOT_LIMIT:g} in size: write e.g. `plot: [-4, 4]`")
    return None


def pictures_asked(spec: dict) -> tuple[str, ...]:
    """The pictures a valid block's `picture` key asks for (none when absent)."""
    return tuple(_as_list(spec.get("picture")))


def plot_interval(spec: dict) -> tuple[float, float] | None:
    """A block's `plot: [LOW, HIGH]` as numbers; None when absent or not such an interval."""
    value = spec.get("plot")
    if not (isinstance(value, list) and len(value) == 2
            and all(_is_text(v) and _DECIMAL.fullmatch(str(v).strip()) for v in value)):
        return None
    low, high = (float(str(v).strip()) for v in value)
    return (low, high) if low < high and max(abs(low), abs(high)) <= PLOT_LIMIT else None


def _as_list(value: Any) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _is_text(value: Any) -> bool:
    """Expressions may be read by YAML as numbers (`claim: 0`); booleans and others are not text."""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)
