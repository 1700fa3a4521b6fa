"""What the built site serves so that math renders offline: mathcheck's style sheet and
script and the KaTeX that comes with mathcheck, copied into `_static/mathcheck/`, and a math
renderer that leaves the page's own `$...$` math to the same KaTeX (Sphinx's default, MathJax,
would be fetched from another host)."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.math import get_node_equation_number
from sphinx.writers.html5 import HTML5Translator

from mathcheck_mkdocs.site_assets import KATEX, scripts, served, style_sheets

STATIC = "mathcheck"  # the folder in _static


def static_path(path: str) -> str:
    """Where a file the MkDocs side serves at `path` (`assets/katex/...`,
    `assets/mathcheck/mathcheck.css`) stands under `_static`."""
    return f"{STATIC}/" + path.removeprefix("assets/").removeprefix("mathcheck/")


def link_assets(app: Sphinx) -> None:
    """Every page links KaTeX's style sheet and scripts and mathcheck's."""
    if app.builder.format != "html":
        return
    for path in style_sheets(katex=True):
        app.add_css_file(static_path(path))
    for path in scripts(katex=True):
        app.add_js_file(static_path(path), defer="defer")


def copy_assets(app: Sphinx, exception: Exception | None) -> None:
    """The files copied into the built site's `_static` (a file already there unchanged is left)."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for path, source in served(KATEX):
        target = static / static_path(path)
        if not (target.is_file() and filecmp.cmp(source, target, shallow=False)):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    """Inline math, as mathcheck's blocks write it, for its script to typeset."""
    self.body.append(self.starttag(node, "span", "", CLASS="arithmatex"))
    self.body.append(rf"\({self.encode(node.astext())}\)</span>")
    raise nodes.SkipNode


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    """Display math (with its number, when it has one): paragraphs apart are equations aligned."""
    self.body.append(self.starttag(node, "div", CLASS="arithmatex"))
    if node["number"]:
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})</span>')
    parts = [self.encode(part) for part in node.astext().split("\n\n") if part.strip()]
    latex = parts[0] if len(parts) == 1 else r"\begin{aligned}" + r" \\ ".join(parts) + r"\end{aligned}"
    self.body.append(rf"\[{latex}\]</div>")
    raise nodes.SkipNode


def add_math_renderer(app: Sphinx) -> None:
    """`html_math_renderer = "mathcheck"`, chosen by Sphinx unless conf.py names another."""
    app.add_html_math_renderer("mathcheck", (visit_math, None), (visit_displaymath, None))
