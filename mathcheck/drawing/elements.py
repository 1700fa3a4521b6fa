"""SVG as a small tree of elements: built by the drawing modules, written out as markup with
every value escaped, and kept in the verdict cache as JSON that is read as untrusted (only
the tags, attributes and values a picture of ours uses are accepted, so a planted entry can
put no script, link or request to another host into a page)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

TAGS = frozenset({"svg", "g", "title", "rect", "line", "path", "polyline", "polygon", "circle",
                  "text", "tspan"})
ATTRIBUTES = frozenset({
    "viewBox", "width", "height", "role", "aria-label", "aria-hidden", "class", "focusable",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "d", "points", "dx", "dy",
    "fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap", "stroke-linejoin",
    "font-size", "font-style", "font-weight", "font-family", "text-anchor", "xmlns",
})
# Numbers, names and words: no `url(`, no quote, no angle bracket; an accessible name (words
# for a reader, never a reference) may hold any text.
_VALUE = re.compile(r"[\w .,#%+\-]*")
_FREE_TEXT = frozenset({"aria-label"})
_FIXED = {"xmlns": "http://www.w3.org/2000/svg"}
# the pictures a verdict may hold; "shapes-other" is the shapes in the other layout
KINDS = ("shapes", "shapes-other", "graph-right", "graph-down", "plot")
_TEXT_LIMIT = 2000        # characters of one text or accessible name
_VALUE_LIMIT = 20000      # characters of one attribute (a plot's points)
_NODE_LIMIT = 5000


@dataclass(frozen=True)
class Element:
    """One SVG element: its tag, attributes in the order written, and children (elements,
    or text)."""

    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple[Element | str, ...] = ()

    def markup(self) -> str:
        """The element as SVG markup (attribute values and text escaped)."""
        attrs = "".join(f' {name}="{escape(value)}"' for name, value in self.attrs)
        inner = "".join(child.markup() if isinstance(child, Element) else escape(child, quote=False)
                        for child in self.children)
        return f"<{self.tag}{attrs}>{inner}</{self.tag}>"

    def walk(self):
        """The element and every element under it."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def get(self, name: str) -> str | None:
        return dict(self.attrs).get(name)


def el(tag: str, *children: Element | str | None, **attrs: Any) -> Element:
    """An element; attribute names are written with `_` for `-` (`stroke_width`), numbers
    rounded to two decimals, None attributes and children left out."""
    written = tuple((name.rstrip("_").replace("_", "-"), number(value) if isinstance(value, float) else str(value))
                    for name, value in attrs.items() if value is not None)
    return Element(tag, written, tuple(c for c in children if c is not None))


def number(value: float) -> str:
    """A coordinate as written: at most two decimals, no trailing zeros, never `-0`."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def to_json(element: Element) -> list:
    return [element.tag, dict(element.attrs),
            [to_json(c) if isinstance(c, Element) else c for c in element.children]]


def from_json(data: Any) -> Element:
    """The element `to_json` wrote; ValueError for anything else (an unknown tag or
    attribute, a value with characters a picture never uses, a tree too large)."""
    count = [0]

    def read(node: Any) -> Element:
        count[0] += 1
        if count[0] > _NODE_LIMIT:
            raise ValueError("picture too large")
        if not (type(node) is list and len(node) == 3 and type(node[0]) is str and node[0] in TAGS
                and type(node[1]) is dict and type(node[2]) is list):
            raise ValueError("not a picture element")
        attrs = []
        for name, value in node[1].items():
            if not _allowed(name, value):
                raise ValueError("not a picture attribute")
            attrs.append((name, value))
        children: list[Element | str] = []
        for child in node[2]:
            if type(child) is str:
                if len(child) > _TEXT_LIMIT:
                    raise ValueError("picture text too long")
                children.append(child)
            else:
                children.append(read(child))
        return Element(node[0], tuple(attrs), tuple(children))
    return read(data)


def _allowed(name: Any, value: Any) -> bool:
    if name not in ATTRIBUTES or type(value) is not str or len(value) > _VALUE_LIMIT:
        return False
    if name in _FIXED:
        return value == _FIXED[name]
    if name in _FREE_TEXT:
        return len(value) <= _TEXT_LIMIT
    return _VALUE.fullmatch(value) is not None


def pictures_to_json(pictures: dict[str, Element]) -> dict[str, list]:
    return {kind: to_json(picture) for kind, picture in pictures.items()}


def pictures_from_json(data: object) -> dict[str, Element]:
    """The pictures `pictures_to_json` wrote; ValueError for anything else."""
    if type(data) is not dict or not set(data) <= set(KINDS):
        raise ValueError("not pictures")
    return {kind: from_json(picture) for kind, picture in data.items()}
