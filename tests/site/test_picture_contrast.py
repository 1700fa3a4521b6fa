"""Every picture on the site stays legible in both palettes: lines at least 3:1 and text at
least 4.5:1 (WCAG's thresholds) against the ground the picture is shown on."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PICTURES = sorted((DOCS / "img").glob("*.svg"))
SVG = "{http://www.w3.org/2000/svg}"
LIGHT_PAGE = "#ffffff"  # Material's default palette


def dark_ground() -> str:
    """The ground palette.css gives a picture in the slate palette."""
    css = (DOCS / "stylesheets" / "palette.css").read_text()
    rule = re.search(r'\[data-md-color-scheme="slate"\] \.md-typeset img\[src\$="\.svg"\] \{([^}]*)\}', css)
    assert rule, "palette.css gives pictures no ground in the dark palette"
    return re.search(r"background:\s*(#[0-9a-fA-F]{6})", rule.group(1)).group(1)


def luminance(colour: str) -> float:
    channels = [int(colour[k:k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def painted(path: Path) -> list[tuple[str, str, str]]:
    """(what, colour, element) for every stroke and every text fill the picture paints."""
    root = ET.parse(path).getroot()
    style = "".join(node.text or "" for node in root.iter(f"{SVG}style"))
    # An <img> sees the reader's system setting, not the site's palette: a colour switched by
    # a media query would be chosen against the wrong ground.
    assert "@media" not in style, f"{path.name} changes its colours by media query"
    current = re.search(r"svg\s*\{\s*color:\s*(#[0-9a-fA-F]{6})", style)
    found: list[tuple[str, str, str]] = []

    def visit(node: ET.Element, fill: str, stroke: str, colour: str) -> None:
        colour = node.get("color", colour)
        fill, stroke = node.get("fill", fill), node.get("stroke", stroke)
        resolve = {"currentColor": colour}
        tag = node.tag.removeprefix(SVG)
        if tag in ("text", "tspan") and fill != "none":
            found.append(("text", resolve.get(fill, fill), tag))
        elif tag in ("line", "path", "rect", "circle", "ellipse", "polyline", "polygon"):
            if stroke != "none":
                found.append(("line", resolve.get(stroke, stroke), tag))
            if fill != "none":
                found.append(("line", resolve.get(fill, fill), tag))  # a filled mark: an arrowhead, a dot
        for child in node:
            visit(child, fill, stroke, colour)

    visit(root, "#000000", "none", current.group(1) if current else "#000000")
    return found


@pytest.mark.parametrize("path", PICTURES, ids=[p.name for p in PICTURES])
@pytest.mark.parametrize("palette", ["light", "dark"])
def test_lines_and_text_keep_their_contrast(path: Path, palette: str) -> None:
    ground = LIGHT_PAGE if palette == "light" else dark_ground()
    marks = painted(path)
    assert any(what == "text" for what, _, _ in marks) and any(what == "line" for what, _, _ in marks)
    for what, colour, tag in marks:
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", colour), f"{path.name}: <{tag}> painted {colour!r}"
        needed = 4.5 if what == "text" else 3.0
        ratio = contrast(colour, ground)
        assert ratio >= needed, f"{path.name}: {what} {colour} on {ground} is {ratio:.2f}:1 in the {palette} palette"


def test_a_colour_switched_by_the_system_setting_is_refused(tmp_path: Path) -> None:
    picture = tmp_path / "switching.svg"
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg"><style>svg { color: #1f2328; } '
                       '@media (prefers-color-scheme: dark) { svg { color: #e3e6eb; } }</style>'
                       '<text fill="currentColor">x</text><line stroke="currentColor"/></svg>')
    with pytest.raises(AssertionError, match="media query"):
        painted(picture)


def test_a_pale_line_on_the_light_page_is_measured_as_too_faint() -> None:
    assert contrast("#e3e6eb", dark_ground()) < 3.0  # the colour the dark switch chose, on its real ground
    assert contrast("#1f2328", LIGHT_PAGE) > 4.5
