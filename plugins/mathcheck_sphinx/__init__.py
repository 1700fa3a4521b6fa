"""The `mathcheck_sphinx` Sphinx extension: the same ```` ```derivation ```` and
```` ```derivation-table ```` fences in MyST Markdown pages, checked, typeset with their
verdicts and evidence, and a failed build when one is wrong. In conf.py:

    extensions = ["mathcheck_sphinx"]   # loads myst_parser too

Optional settings (defaults shown):

    mathcheck_cache_dir = ""        # verdicts between builds, relative to conf.py's folder;
                                    # "": $MATHCHECK_CACHE_DIR, else mathcheck/ in the doctree
                                    # folder (_build/doctrees)
    mathcheck_jobs = 0              # processes checking blocks in parallel; 0: one per core
    mathcheck_time_limit = 20.0     # seconds one block may take before it is an error
    mathcheck_layout = "numerator"  # the layout of a block that names none
    mathcheck_verified_page = ""    # e.g. "index.md#verified": the evidence links there

Install with `pip install ".[sphinx]"` (Sphinx and MyST-Parser). Before any page is read,
every Markdown page of the source folder is scanned and its blocks checked at once (cached,
in parallel), so a table may list blocks from any page. MyST reads the fences as this
extension's directives (it adds them to `myst_fence_as_directive` itself); the directive
form ```` ```{derivation} ```` works too. A fence may stand at the top level, in a list or
block quote, or in a `:::{note}` colon fence, not inside a ```` ```{note} ```` directive
(the build says so); notebooks are not read. Blocks are numbered by the toctree's order,
and their ids are labels: `{ref}`chain-rule`` and `[the rule](rules.md#chain-rule)` link
to them.
`sphinx-build` says each wrong, erroring or unchecked block as an error at its file and
line and exits non-zero; mathcheck's warnings are Sphinx warnings, which `-W` makes fatal.
KaTeX comes with the package and is copied into `_static/mathcheck/`, and it typesets the
pages' own `$...$` math too (`html_math_renderer = "mathcheck"`), so no page asks another
host for anything.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from mathcheck import __version__
from mathcheck.pages.fences import OURS

from .assets import add_math_renderer, copy_assets, link_assets
from .config import add_options, check_options, fences_as_directives
from .directive import DerivationFence, derivation_fence, note_anchors, place
from .site import merge_info, place_in_order, purge_doc, report, scan


def setup(app: Sphinx) -> dict[str, Any]:
    try:
        app.setup_extension("myst_parser")
    except ExtensionError as error:
        raise ExtensionError('mathcheck: the extension reads pages with MyST-Parser, which is not installed: '
                             'pip install "mathcheck[sphinx]" (or myst-parser)') from error
    add_options(app)
    app.add_node(derivation_fence)
    for info in OURS:
        app.add_directive(info, DerivationFence)
    add_math_renderer(app)
    app.connect("config-inited", check_options)
    app.connect("config-inited", fences_as_directives)
    app.connect("builder-inited", link_assets)
    app.connect("env-before-read-docs", scan)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("doctree-read", note_anchors)
    app.connect("env-updated", place_in_order)
    app.connect("doctree-resolved", place)
    app.connect("build-finished", copy_assets)
    app.connect("build-finished", report)
    return {"version": __version__, "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
