"""Block and table HTML comes from Jinja2 templates a site can override: a file of the same
name under `mathcheck/` in the theme's custom_dir (MkDocs, Zensical) or in a templates_path
folder (Sphinx). The shipped templates give the HTML the other tests pin down."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from plugin_sites import run_mkdocs

from mathcheck_mkdocs import templating

GOOD = "# Page\n\n```derivation\nid: sq\nvars:\n  x: scalar\nf: x**2\nwrt: x\nclaim: 2*x\n```\n"
OVERRIDE = ('<section class="my-rule" id="{{ anchor }}">{{ title }}\n  {{ statement }}{{ verdict }}</section>\n')


@pytest.fixture(autouse=True)
def no_overrides():
    templating.use_overrides([])
    yield
    templating.use_overrides([])


def test_a_template_layout_is_not_part_of_the_output(tmp_path: Path) -> None:
    (tmp_path / "mathcheck").mkdir()
    (tmp_path / "mathcheck" / "table.html").write_text("<p>\n    {{ caption }}\n  </p>\n")
    templating.use_overrides([tmp_path])
    assert templating.render("table.html", caption="<b>x</b>", headings=[], rows=[]) == "<p><b>x</b></p>"


def test_the_extension_uses_an_overriding_template(tmp_path: Path) -> None:
    shipped = markdown.markdown(GOOD, extensions=["pymdownx.superfences", "mathcheck"],
                                extension_configs={"mathcheck": {"cache_dir": str(tmp_path / "cache")}})
    assert '<div class="mathcheck-block" id="sq"><p class="mathcheck-heading">' in shipped
    (tmp_path / "overrides" / "mathcheck").mkdir(parents=True)
    (tmp_path / "overrides" / "mathcheck" / "block.html").write_text(OVERRIDE)
    templating.use_overrides([tmp_path / "overrides"])
    html = markdown.markdown(GOOD, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path / "cache")}})
    assert '<section class="my-rule" id="sq">sq<div class="arithmatex">' in html
    assert '<summary class="mathcheck-badge">Verified' in html and "mathcheck-heading" not in html


def test_a_site_overrides_the_block_template_in_its_custom_dir(site_factory) -> None:
    site = site_factory()
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1))
    (site / "overrides" / "mathcheck").mkdir(parents=True)
    (site / "overrides" / "mathcheck" / "block.html").write_text(OVERRIDE)
    build = run_mkdocs(site)
    assert build.returncode == 0, build.output
    rules = (site / "site" / "rules" / "index.html").read_text()
    assert '<section class="my-rule" id="sum-x">Sum of a vector<div class="arithmatex">' in rules
    assert '<div class="mathcheck-block" id="sum-x">' not in rules
    assert not (site / "site" / "mathcheck" / "block.html").exists()  # a template, not a page of the site
