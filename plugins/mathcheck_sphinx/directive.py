"""The `derivation` and `derivation-table` directives (MyST reads the fences as them): a
placeholder in the page while it is read, the typeset block or table when it is written."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .site import Fence, checked_site, fences_met


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
        fences_met(self.env).setdefault(self.env.docname, []).append(Fence(self.name, body, self.lineno))
        checked = checked_site(self.env).block(self.env.docname, body) if self.name == "derivation" else None
        if checked is not None and checked.block.id:
            node["anchor"], node["title"] = checked.block.id, checked.block.title or checked.block.id
            self.env.get_domain("std").note_hyperlink_target(node["anchor"], self.env.docname,
                                                             node["anchor"], node["title"])
        return [node]


def note_anchors(app: Sphinx, doctree: nodes.document) -> None:
    """The page's block anchors told to MyST as it keeps heading anchors, so a link
    `[text](page.md#block-id)` resolves with every MyST (the newer ones also read labels)."""
    slugs = app.env.metadata[app.env.docname].setdefault("myst_slugs", {})
    for node in doctree.findall(derivation_fence):
        if "anchor" in node:
            slugs.setdefault(node["anchor"], (0, node["anchor"], node["title"]))


def place(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each placeholder replaced by its block's or table's HTML (other builders: the YAML as code)."""
    site = checked_site(app.env)
    for node in list(doctree.findall(derivation_fence)):
        html = site.take(docname, node["info"], node["body"])
        if app.builder.format == "html" and html is not None:
            node.replace_self(nodes.raw("", html, format="html"))
        else:
            node.replace_self(nodes.literal_block(node["body"], node["body"]))
