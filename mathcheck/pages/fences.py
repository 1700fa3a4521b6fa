"""Markdown -> fences: where each ```derivation and ```derivation-table fence of a page
stands, found in one pass and read as pymdownx.superfences reads fences, and each fence
that looks like one of ours but that Markdown shows as code or text (a `Stray`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .suggest import did_you_mean, edit_distance

INFO = "derivation"
TABLE_INFO = "derivation-table"  # a table's info string (`tables` reads tables)
OURS = (INFO, TABLE_INFO)
TAB = 4  # Python-Markdown's tab length: it expands tabs to it before fences are read

# An opening line as superfences reads it: the mark, an info string, then an attribute
# list, options or what it cannot read (a line it cannot read opens no fence).
_OPENING = re.compile(r"""
    (?P<fence>`{3,}|~{3,})
    (?:[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[ \t]|$))?
    (?:[ \t]*\{(?P<attrs>.*)\}
      | (?P<options>(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quote>["']).*?(?P=quote))?(?=[ \t]|$))+)
      | (?P<unreadable>(?:[ \t]*\S+(?=[ \t]|$))+)
    )?[ \t]*$""", re.VERBOSE)
_MARK = re.compile(r"[\s\u200b\u2060\ufeff]*(`{3,}|~{3,})")  # a fence mark, maybe after odd spaces
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Letters of other scripts drawn like the ones of our info strings, and dashes drawn like `-`
# (NFKC already turns wide letters and Unicode spaces into ASCII ones).
_LOOKALIKES = str.maketrans({
    **dict.fromkeys("\u0430\u03b1", "a"), **dict.fromkeys("\u0435\u0454\u03b5", "e"),
    **dict.fromkeys("\u043e\u03bf\u0585", "o"), **dict.fromkeys("\u0456\u03b9", "i"),
    **dict.fromkeys("\u0501\u0257", "d"), **dict.fromkeys("\u0433", "r"),
    **dict.fromkeys("\u0475\u03bd", "v"), **dict.fromkeys("\u0442\u03c4", "t"),
    **dict.fromkeys("\u043f\u0578", "n"), **dict.fromkeys("\u0432\u044c", "b"),
    **dict.fromkeys("\u04cf\u0399", "l"), **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", None),
})
_CLASS = re.compile(r"(?:^|\s)\.([^\s=}]+)")
_WORD = re.compile(r"[^\s{}]+")
_CONTAINER = re.compile(r"(?P<indent> *)(?:(?P<item>[-*+]|\d+\.) |(?:!!!|\?\?\?\+?)(?: |$)"
                        r"|(?P<tab>===[!+]?)(?: |$)|(?P<note>\[\^[^\]]+\]:))")


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
    for i, raw in enumerate(split_lines(text)):
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


def split_lines(text: str) -> list[str]:
    """The lines of a page as Markdown splits them: at `\n`, `\r\n` and `\r` only (Python's
    str.splitlines also splits at `\f`, `\x85`, `\u2028`... where Markdown goes on)."""
    lines = _LINE_BREAK.split(text)
    if lines[-1] == "":  # the break that ends the last line opens none
        lines.pop()
    return lines


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
        mark = _MARK.match(line, indent)
        odd = sorted({c for c in line[indent:] if _odd(c)}) if mark and code is None else []
        word = _WORD.search(_plain(line[mark.end():])) if odd else None
        target = word and _near(word.group().lstrip("."))
        if target:
            return Stray(i + 1, i + 1, "", (
                f"this fence's opening line holds {_named(odd)}, so Markdown does not read it as "
                f"`{target}`: it shows the block as text and does not check it; write ```{target} "
                "in plain ASCII letters and spaces"), i + 1)
        return None
    if match["unreadable"] is not None:
        word = _WORD.search(match["unreadable"])
        written = match["lang"] or (word.group().lstrip(".") if word else "")
        target = written if written in OURS else _near(written)
        if code is None and target:
            rest = line[match.end("fence"):].strip()
            odd = sorted({c for c in rest if _odd(c)})
            holds = f" (it holds {_named(odd)})" if odd else ""
            return Stray(i + 1, i + 1, "", (
                f"Markdown cannot read `{rest}`{holds} as the info string of this fence, so it shows the "
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
        odd = sorted({c for c in written if _odd(c)})
        holds = f" (it holds {_named(odd)})" if odd else ""
        problem = f"this fence reads `{written}`{holds}, which is not checked: Markdown shows it as code{hint}"
    return _Open(i, indent, line[:indent].count(">"), match["fence"], lang, code is not None, problem)


def _normal(name: str) -> str:
    return _plain(name).lower().replace("_", "-")


def _odd(char: str) -> bool:
    """A character that keeps a line from opening a fence, unseen: not printable ASCII."""
    return not (char.isascii() and char.isprintable() or char == "\t")


def _named(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, 'a control character')})" for c in chars)


def _plain(text: str) -> str:
    """`text` as it looks: Unicode spaces and wide letters made ASCII (NFKC), accents dropped,
    lookalike letters and dashes replaced, invisible characters removed."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).translate(_LOOKALIKES))
    return "".join(c for c in text if not unicodedata.combining(c))


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
