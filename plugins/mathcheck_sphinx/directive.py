"""The `derivation` and `derivation-table` directives (MyST reads the fences as them): a
placeholder in the page while it is read, the typeset block or table when it is written."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from mathcheck_mkdocs.scan import CheckedBlock

from .site import checked_site, unchecked
from .sources import shown_path


class derivation_fence(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes so)
    """Where a fence stands in a page's doctree: its info string and body, until it is written."""


class DerivationFence(SphinxDirective):
    """A ```` ```derivation ```` or ```` ```derivation-table ```` fence; its body is the YAML."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"name": directives.unchanged, "class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        body = "\n".join(self.content)
        node = derivation_fence(info=self.name, body=body)
        self.set_source_info(node)
        found = checked_site(self.env.app).find(self.env.docname, self.name, body)
        if not found:
            where = f"{shown_path(Path(self.env.doc2path(self.env.docname)))}:{self.lineno}"
            unchecked(self.env).setdefault(self.env.docname, []).append(
                f"{where}: this `{self.name}` fence is not checked: mathcheck reads fences written "
                f"```{self.name} (or ```{{{self.name}}}) at the top level of a page, in a list or a block "
                "quote, or inside a :::{note} colon fence; write it so, not inside a ```{...} directive")
        elif isinstance(found, CheckedBlock) and found.block.id and found.block.shown:
            title = found.block.title or found.block.id
            self.env.get_domain("std").note_hyperlink_target(found.block.id, self.env.docname, found.block.id, title)
        return [node]


def place(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each placeholder replaced by its block's or table's HTML (other builders: the YAML as code)."""
    site = checked_site(app)
    for node in list(doctree.findall(derivation_fence)):
        html = site.take(docname, node["info"], node["body"])
        if app.builder.format == "html" and html is not None:
            node.replace_self(nodes.raw("", html, format="html"))
        else:
            node.replace_self(nodes.literal_block(node["body"], node["body"]))
