"""Markdown -> derivation blocks: find each ```derivation fence and read its YAML.

Reading never raises for bad block content: a block that cannot be used carries a
`problem` (and the line it concerns) and is reported as an error when checked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .suggest import did_you_mean, edit_distance

INFO = "derivation"
KEYS = ("id", "title", "vars", "f", "wrt", "claim", "layout", "assume", "tags", "let", "steps")
REQUIRED = ("id", "vars", "f", "wrt", "claim")
MAX_BLOCK = 256_000  # characters of YAML in one block
TAB = 4  # Python-Markdown's tab length: it expands tabs to it before fences are read
TABLE_INFO = "derivation-table"  # a table's info string (`tables` reads tables)
OURS = (INFO, TABLE_INFO)

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

# An opening line as superfences reads it: the mark, an info string, then an attribute
# list, options or what it cannot read (a line it cannot read opens no fence).
_OPENING = re.compile(r"""
    (?P<fence>`{3,}|~{3,})
    (?:[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[ \t]|$))?
    (?:[ \t]*\{(?P<attrs>.*)\}
      | (?P<options>(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quote>["']).*?(?P=quote))?(?=[ \t]|$))+)
      | (?P<unreadable>(?:[ \t]*\S+(?=[ \t]|$))+)
    )?[ \t]*$""", re.VERBOSE)
_CLASS = re.compile(r"(?:^|\s)\.([^\s=}]+)")
_WORD = re.compile(r"[^\s{}]+")
_CONTAINER = re.compile(r"(?P<indent> *)(?:(?P<item>[-*+]|\d+\.) |(?:!!!|\?\?\?\+?)(?: |$)"
                        r"|(?P<tab>===[!+]?)(?: |$)|(?P<note>\[\^[^\]]+\]:))")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")


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

    @property
    def id(self) -> str | None:
        value = (self.spec or {}).get("id")
        return value if isinstance(value, str) else None

    @property
    def title(self) -> str | None:
        value = (self.spec or {}).get("title")
        return str(value) if value is not None else None

    @property
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


def find_fences(text: str, info: str) -> list[tuple[int, int, str]]:
    """(first line, last line, body) of each fence whose info string is `info` (for
    `derivation`, with a `Stray` for each fence that looks like a block but is not read as one)."""
    return fences_by_info(text, (info,))[info]


class Stray(tuple):
    """A fence that looks like a derivation block or table but that Markdown does not read as
    one (a misspelt info string, an indent that makes it code, a fence left open): (first
    line, last line, body) like any fence, and why it is reported."""

    problem: str
    problem_line: int

    def __new__(cls, first: int, last: int, body: str, problem: str, problem_line: int) -> Stray:
        stray = super().__new__(cls, (first, last, body))
        stray.problem, stray.problem_line = problem, problem_line
        return stray


def fences_by_info(text: str, infos: tuple[str, ...]) -> dict[str, list[tuple[int, int, str]]]:
    """For each info string of `infos`, (first line, last line, body) of each fence that has
    it, found in one pass over the text and read as pymdownx.superfences reads fences (tabs
    expanded, a fence closed by its own mark at its own indent): the insides of other fences,
    indented code blocks and inline code are skipped; fences may stand in list items,
    admonitions, content tabs, footnotes and block quotes. When `derivation` is among
    `infos`, its list also holds a `Stray` for each fence that looks like one of ours but
    that Markdown shows as code or text."""
    found: dict[str, list[tuple[int, int, str]]] = {info: [] for info in infos}
    strays = found.get(INFO)
    outline = _Outline()
    fence: _Open | None = None  # the fence being read
    for i, raw in enumerate(text.splitlines()):
        line = raw.expandtabs(TAB)
        if fence is None:
            opened = _opening(line, i, outline)
            if isinstance(opened, Stray) and strays is not None:
                strays.append(opened)
            fence = opened if isinstance(opened, _Open) else None
            continue
        step = fence.read(line, raw)
        if step == _BODY:
            continue
        if step == _CLOSED and fence.problem is None:
            if fence.lang in found and not fence.code:
                found[fence.lang].append((fence.start + 1, i + 1, "\n".join(fence.body)))
        elif fence.reported and strays is not None:
            strays.append(Stray(fence.start + 1, i + 1, "\n".join(fence.body), fence.problem or (
                f"line {i + 1} is less indented than the fence's opening line, so Markdown reads no "
                "fence here and the block is not checked: indent every line of the block at least "
                "as far as its opening line, and close it at that indent"),
                fence.start + 1 if fence.problem else i + 1))
        outline.after_fence(fence, step == _DROPPED)
        fence = None
    if fence is not None and fence.reported and strays is not None:  # left open to the end
        strays.append(Stray(fence.start + 1, fence.start + 1 + len(fence.body), "\n".join(fence.body),
                            fence.problem or (
            "this fence is never closed, so Markdown reads no fence here and the block is not "
            f"checked: end it with a line `{fence.mark}` at the indent of its opening line"), fence.start + 1))
    return found


_BODY, _CLOSED, _DROPPED = "body", "closed", "dropped"


@dataclass
class _Open:
    """A fence being read, line by line, as superfences reads it."""

    start: int            # index of the opening line
    indent: int           # columns before the fence mark (spaces and `>`)
    quotes: int           # how many `>` among them
    mark: str             # the fence mark as written: only the same mark closes the fence
    lang: str             # the info string as superfences reads it
    code: bool            # whether it stands in an indented code block
    problem: str | None   # why the fence is reported although Markdown reads it (as code)
    body: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the lines read, as they stand
    blanks: int = 0       # blank lines just read (in a block quote, they may end it)

    def read(self, line: str, raw: str) -> str:
        """Take the next line (`raw`, and `line` with its tabs expanded): _BODY; _CLOSED for
        the closing line; _DROPPED for a line that cannot belong to the fence, where
        superfences gives the fence up (it is then text). The body keeps its tabs (YAML
        refuses them as indentation)."""
        self.lines.append(line)
        ws = 0
        while ws < self.indent and ws < len(line) and line[ws] in " >":
            ws += 1
        content, quotes = line[ws:], line[:ws].count(">")
        closes = content.rstrip(" \t") == self.mark
        if self.quotes:
            if quotes > self.quotes:
                return _DROPPED
            if not content:
                self.blanks += 1
                self.body.append("")
                return _BODY
            if ws < self.indent or self.blanks and quotes < self.quotes:
                return _DROPPED
            if closes:
                return _CLOSED
        else:
            if quotes:
                return _DROPPED
            if not line.strip():
                self.body.append(_dedent(raw, self.indent))
                return _BODY
            if ws != self.indent:
                return _DROPPED
            if closes and not content.startswith(" "):
                return _CLOSED
        self.blanks = 0
        self.body.append(_dedent(raw, ws))
        return _BODY

    @property
    def reported(self) -> bool:
        """Whether the fence is reported when superfences drops it or it is left open."""
        return self.problem is not None or self.lang in OURS and not self.code


def _dedent(raw: str, columns: int) -> str:
    """`raw` without its first `columns` columns (a tab that reaches past them leaves spaces)."""
    column = 0
    for k, char in enumerate(raw):
        if column >= columns:
            return raw[k:]
        column = column + TAB - column % TAB if char == "\t" else column + 1
        if column > columns:
            return " " * (column - columns) + raw[k + 1:]
    return ""


def _opening(line: str, i: int, outline: _Outline) -> _Open | Stray | None:
    """The fence that `line` (line index `i`) opens; a Stray for an opening line that
    superfences cannot read although it names one of ours; None for any other line."""
    indent = len(line) - len(line.lstrip(" >"))
    match = _OPENING.match(line, indent)
    code = outline.place(line, fence=match is not None and match["unreadable"] is None)
    if match is None:
        return None
    if match["unreadable"] is not None:
        word = _WORD.search(match["unreadable"])
        written = match["lang"] or (word.group().lstrip(".") if word else "")
        target = written if written in OURS else _near(written)
        if code is None and target:
            rest = line[match.end("fence"):].strip()
            return Stray(i + 1, i + 1, "", (
                f"Markdown cannot read `{rest}` as the info string of this fence, so it shows the "
                f"block as text and does not check it: write `{target}` alone, or put a space before "
                "what follows it"), i + 1)
        return None
    lang = written = match["lang"] or ""
    if match["attrs"] is not None and not lang:  # the ```{.derivation} form
        classes = _CLASS.findall(match["attrs"])
        lang = written = classes[0] if classes else ""
        bare = _WORD.search(match["attrs"])
        if not lang and bare and _near(bare.group()):
            written = f"{{{bare.group()}}}"
    problem = None
    if lang in OURS and code is not None and code[0]:
        kind, column = code
        problem = (f"this fence is indented {indent} spaces, so Markdown shows it as code inside the "
                   f"{kind} above it and does not check it: indent it as that {kind}'s text "
                   f"({column} spaces; a tab counts as {TAB})")
    elif lang not in OURS and code is None and _near(written.strip("{}")):
        near = _near(written.strip("{}"))
        hint = did_you_mean(written, (f"{{.{near}}}",)) if written.startswith("{") else \
            did_you_mean(_normal(written), OURS)
        problem = f"this fence reads `{written}`, which is not checked: Markdown shows it as code{hint}"
    return _Open(i, indent, line[:indent].count(">"), match["fence"], lang, code is not None, problem)


def _normal(name: str) -> str:
    return name.lower().replace("_", "-")


def _near(name: str) -> str | None:
    """Our info string that `name` is a near miss of (another case, `_` for `-`, up to two
    letters off), if any. `deriv` and `derive` are too far off to be meant for ours."""
    normal = _normal(name)
    return next((info for info in OURS if abs(len(normal) - len(info)) <= 2
                 and edit_distance(normal, info) <= 2), None)


class _Outline:
    """Where each line outside fences stands as Python-Markdown reads a page's blocks: in the
    text of which container (list item, admonition...), and whether its indent makes it code.
    Python-Markdown nests containers by TAB columns; a line indented TAB more than the text
    it stands in is code, unless it goes on with the paragraph just above it."""

    def __init__(self) -> None:
        # Earlier lines whose indents rise from bottom to top, each as (indent, column of the
        # text under it, kind of container it opens or ""): a line hides every earlier one at
        # least as indented, so each line is pushed and popped once.
        self.stack: list[tuple[int, int, str]] = []
        # What the line before is: "text" (a paragraph's, which a line may go on with), "item"
        # (a list item's first), "code" (up to the next blank line), or "" (none of these).
        self.text = ""

    def place(self, line: str, fence: bool = False) -> tuple[str, int] | None:
        """Record the next line (a fence's opening line if `fence`); None if it is not code,
        else the kind of container opened just above it ("" for none) and the column of that
        container's text."""
        stripped = line.lstrip(" ")
        if not stripped:
            self.text = ""
            return None
        if self.text == "code":  # superfences puts back as code every fence up to a blank line
            return ("", 0) if fence else None
        indent, opens = len(line) - len(stripped), _container(line)
        boxed = opens in ("admonition", "content tab")
        starts = boxed and indent == (self.stack[-1][1] if self.stack else 0)  # at its text's start
        if self.text and not (stripped.startswith(("#", ">")) or starts or opens == "footnote"
                              or opens == "list item" and self.text == "item"):
            self.text = "text" if fence else self.text  # it goes on with the paragraph above
            return None
        while self.stack and (self.stack[-1][0] >= indent or self.stack[-1][1] > indent):
            self.stack.pop()  # lines as indented, and containers whose text this line is outside
        column, kind = self.stack[-1][1:] if self.stack else (0, "")
        if indent >= column + TAB and not stripped.startswith(">"):
            self.stack.append((indent, column, ""))
            self.text = "code"
            return kind, column
        if opens in ("list item", "footnote") or boxed and indent == column:
            self.stack.append((indent, column + TAB, opens))
        else:
            self.stack.append((indent, column, ""))
        self.text = "item" if opens == "list item" else "" if stripped.startswith("#") or boxed else "text"
        return None

    def after_fence(self, fence: _Open, dropped: bool) -> None:
        """A fence has closed (it stands as one line, of text or of code), or superfences has
        dropped it (its lines are then text, read as any other)."""
        if dropped:
            for line in fence.lines:
                self.place(line)
        elif not fence.code:
            self.text = "text"


def _container(line: str) -> str | None:
    """What kind of container `line` opens (a list item, an admonition...), if any."""
    match = _CONTAINER.match(line)
    if match is None:
        return None
    if match["item"] or match["note"]:
        return "list item" if match["item"] else "footnote"
    return "content tab" if match["tab"] else "admonition"


def _with_problem(block: Block, problem: str, line: int | None) -> Block:
    return Block(block.file, block.line, block.end_line, block.source, block.spec,
                 problem, line or block.line, block.key_lines, block.shown)


def _read(file: str, start: int, end: int, body: str) -> Block:
    bare = Block(file, start, end, body, None)
    if len(body) > MAX_BLOCK:
        return _with_problem(bare, f"block is {len(body)} characters long; the limit is {MAX_BLOCK}", start)
    try:
        node, spec = _load(body)
        key_lines = _key_lines(node, start)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = start + 1 + mark.line if mark is not None else start
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        column = f" (column {mark.column + 1})" if mark is not None else ""
        return _with_problem(bare, f"malformed YAML: {reason}{column}", line)
    except RecursionError:
        return _with_problem(bare, "malformed YAML: nested too deeply", start)
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
            return node, _plain_value(node, set())
        except (_Unusual, TypeError):  # PyYAML's constructor decides (or explains the error)
            return node, loader.construct_document(node)
    finally:
        loader.dispose()


_TEXT, _NULL, _BOOL, _LIST, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "seq", "map"))


class _Unusual(Exception):
    """A node `_plain_value` leaves to PyYAML's constructor."""


def _plain_value(node: yaml.Node, seen: set[int]) -> Any:
    """The value of a tree of text, null, booleans, lists and maps, each node met once, as
    `_Loader` would construct it, only faster; `_Unusual` for anything else (an explicit tag,
    an alias)."""
    if id(node) in seen:
        raise _Unusual
    seen.add(id(node))
    tag = node.tag
    if tag == _TEXT:
        return node.value
    if tag == _MAP:
        return {_plain_value(key, seen): _plain_value(value, seen) for key, value in node.value}
    if tag == _LIST:
        return [_plain_value(item, seen) for item in node.value]
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
    """Two equal keys (YAML keeps the last silently: a block must not say f twice), or an
    alias (`*name`), which could make a small block stand for an enormous one."""
    visited: set[int] = set()

    def walk(node, where: str):
        if id(node) in visited:
            return (start + 1 + node.start_mark.line,
                    "YAML anchors and aliases (`&name`, `*name`) are not allowed in a block")
        visited.add(id(node))
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
    if not isinstance(spec["id"], str) or not _ID.match(spec["id"]):
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
    return None


def _is_text(value: Any) -> bool:
    """Expressions may be read by YAML as numbers (`claim: 0`); booleans and others are not text."""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)
