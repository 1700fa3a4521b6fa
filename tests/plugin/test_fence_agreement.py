"""The engine's fence scan agrees with pymdownx.superfences, the reader that hands fences to
the extension: over a grid of containers, indents (spaces and tabs) and info strings, the
fences found are exactly those that superfences hands over and that stay on the page as ours,
and every fence of ours that does not stay is reported."""

from __future__ import annotations

import itertools
import re

import markdown
import pytest
from markdown import Extension
from markdown.preprocessors import Preprocessor

from mathcheck.cli import main
from mathcheck.pages.fences import OURS, Stray, fences_by_info
from mathcheck_mkdocs.extension import MathcheckError
from mathcheck_mkdocs.fragments import same_body

BODY = "id: b\nvars:\n  x: scalar\nf: x**2\nwrt: x\nclaim: 2*x\n"
CONTAINERS = {
    "the page": "", "a paragraph": "Text.\n\n", "a paragraph, no blank line": "Text.\n",
    "a list item": "- a point\n\n", "a list item, no blank line": "- a point\n", "a numbered item": "1. a step\n\n",
    "a nested item": "- a point\n    - a smaller one\n\n", "an admonition": "!!! note\n\n",
    "an admonition, no blank line": "!!! note\n", "a content tab": '=== "Tab"\n\n',
    "an admonition in a list item": "- a point\n\n    !!! note\n\n", "a footnote": "Text[^1].\n\n[^1]: A note.\n\n",
}
INDENTS = ["", "  ", "   ", "    ", "      ", "        ", "\t", "\t\t", "\t  ", "  \t", "\t    "]
INFOS = ["derivation", "{.derivation}", "derivation-table", "Derivation", "derivation_table"]


class Recorder(Preprocessor):
    """Registers our two fences with superfences, as the extension does, with a formatter
    that records what it is handed and leaves a numbered mark on the page."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.handed: list[tuple[str, str]] = []

    def run(self, lines: list[str]) -> list[str]:
        superfences = next(ext for ext in self.md.registeredExtensions if hasattr(ext, "extend_super_fences"))
        for info in OURS:
            superfences.extend_super_fences(info, self.format, lambda *args: True, lambda md: None)
        return lines

    def format(self, src: str, language: str, *args, **kwargs) -> str:
        self.handed.append((language, src))
        return f'<div class="ours">{len(self.handed)}</div>'


class RecordingExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(Recorder(md), "recorder", 28)


def superfences_keeps(text: str) -> list[tuple[str, str]]:
    """(info string, body) of each fence superfences hands over that stays on the page as ours."""
    md = markdown.Markdown(extensions=["admonition", "footnotes", "md_in_html", "pymdownx.superfences",
                                       "pymdownx.details", "pymdownx.tabbed", RecordingExtension()])
    html = md.convert(text)
    recorder = md.preprocessors["recorder"]
    return [recorder.handed[int(k) - 1] for k in sorted(int(k) for k in re.findall(r'class="ours">(\d+)<', html))]


def page(container: str, indent: str, info: str) -> str:
    fence = f"```{info}\n{BODY}```\n"
    return "# T\n\n" + container + "".join(indent + line + "\n" for line in fence.splitlines())


@pytest.mark.parametrize("container", list(CONTAINERS))
def test_the_scan_finds_what_superfences_keeps_as_ours(container):
    for indent, info in itertools.product(INDENTS, INFOS):
        text = page(CONTAINERS[container], indent, info)
        kept = superfences_keeps(text)
        found = fences_by_info(text, OURS)
        fences = [(lang, body) for lang in OURS for fence in found[lang] if not isinstance(fence, Stray)
                  for body in [fence[2]]]
        assert [lang for lang, _ in fences] == [lang for lang, _ in kept], (indent, info, text)
        assert all(same_body(ours, theirs) for (_, ours), (_, theirs) in zip(fences, kept)), (indent, info)
        if not kept:  # not ours on the page: a stray, or an indented code block of the page's own
            strays = [fence for fence in found["derivation"] if isinstance(fence, Stray)]
            assert strays or len(indent.expandtabs(4)) >= 4, (indent, info, text)


# Characters Python's str.splitlines breaks lines at, which Markdown does not.
NOT_BREAKS = ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
PLACES = {
    "before the closing fence": lambda c: f"# T\n\n```derivation\n{BODY}{c}```\n\nText.\n",
    "inside a body line": lambda c: f"# T\n\n```derivation\n{BODY.replace('f: x**2', f'f: x**2{c}')}```\n",
    "after the opening": lambda c: f"# T\n\n```derivation{c}\n{BODY}```\n",
    "before the opening": lambda c: f"# T\n\n{c}```derivation\n{BODY}```\n",
    "between two blocks": lambda c: f"# T\n\n```derivation\n{BODY}```\n{c}```derivation\n{BODY.replace('b', 'c')}```\n",
}


@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("char", NOT_BREAKS + ["\r", "\r\n"])
def test_the_scan_splits_lines_where_markdown_does(char, place):
    text = PLACES[place](char)
    kept = superfences_keeps(text)
    found = fences_by_info(text, OURS)
    fences = [fence for fence in found["derivation"] if not isinstance(fence, Stray)]
    assert len(fences) == len(kept), (place, repr(char))
    assert all(same_body(fence[2], body) for fence, (_, body) in zip(fences, kept))
    if not kept:
        assert any(isinstance(fence, Stray) for fence in found["derivation"]), (place, repr(char))


@pytest.mark.parametrize("opening", ["```\u00a0derivation", "```derivation\u00a0", "``` \u2003derivation",
                                     "```\u3000derivation", "``` d\u0435r\u0456v\u0430t\u0456\u043en",
                                     "```deri\u200bvation"])
def test_a_fence_near_ours_that_superfences_keeps_not_is_reported(opening):
    text = f"# T\n\n{opening}\n{BODY}```\n"
    assert superfences_keeps(text) == []
    [stray] = fences_by_info(text, OURS)["derivation"]
    assert isinstance(stray, Stray) and stray.problem_line == 3


@pytest.mark.parametrize("place", ["before the closing fence", "inside a body line", "between two blocks"])
@pytest.mark.parametrize("char", NOT_BREAKS + ["\r", "\r\n"])
def test_the_command_and_the_extension_agree_on_every_line_break(char, place, tmp_path, capsys):
    page = tmp_path / "page.md"
    page.write_bytes(PLACES[place](char).encode())
    command = main(["check", "--cache-dir", str(tmp_path / "cache"), str(page)])
    out = capsys.readouterr().out
    try:
        markdown.markdown(page.read_text(encoding="utf-8-sig"), extensions=["pymdownx.superfences", "mathcheck"],
                          extension_configs={"mathcheck": {"cache_dir": str(tmp_path / "cache"), "jobs": 1}})
        built = 0
    except MathcheckError:
        built = 1
    assert command == built, out
