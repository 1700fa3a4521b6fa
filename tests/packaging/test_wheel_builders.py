"""The wheel, installed into a fresh environment, on a site outside the checkout with no npm
or node_modules: real `mkdocs build`, `properdocs build` and `zensical build` runs, good and
with a planted wrong formula; and a real `sphinx-build` of a MyST site."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from installed_package import Installed, wheel_names

FIXTURES = Path(__file__).parent / "fixtures"
SPHINX_SITE = Path(__file__).parents[1] / "sphinx" / "fixtures" / "site"
BLOCK_IDS = ("square", "sum-x", "hadamard-w", "dot-w")  # top level, admonition, tab, list ({.derivation})
BUILDS = {
    "mkdocs": ("mkdocs", "build"),
    "properdocs": ("properdocs", "build", "-f", "mkdocs.yml"),
    "zensical": ("zensical", "build"),
}


def site_copy(tmp_path: Path, *extra: str) -> Path:
    site = tmp_path / "elsewhere"
    shutil.copytree(FIXTURES / "site", site)
    for name in extra:
        shutil.copy(FIXTURES / name, site / "docs" / name)
    return site


def test_wheel_installs_only_its_own_names_and_ships_katex(installed: Installed) -> None:
    assert wheel_names(installed.wheel) == {"mathcheck", "mathcheck_mkdocs", "mathcheck_sphinx",
                                            "mathcheck-0.1.0.dist-info"}
    with zipfile.ZipFile(installed.wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read("mathcheck-0.1.0.dist-info/METADATA").decode()
    katex = "mathcheck_mkdocs/assets/katex/"
    for name in ("katex.min.css", "katex.min.js", "contrib/auto-render.min.js", "LICENSE",
                 "fonts/KaTeX_Main-Regular.woff2", "fonts/KaTeX_Math-Italic.woff2"):
        assert katex + name in names
    assert {"mathcheck/reference.txt", "mathcheck/deriving/__init__.py", "mathcheck/drawing/pictures.py"} <= names
    assert {f"mathcheck_mkdocs/templates/mathcheck/{name}.html"
            for name in ("block", "bad-block", "table", "pictures")} <= names
    assert {"mathcheck-0.1.0.dist-info/licenses/LICENSE",
            "mathcheck-0.1.0.dist-info/licenses/plugins/mathcheck_mkdocs/assets/katex/LICENSE"} <= names
    assert "License-Expression: MIT" in metadata
    assert "Provides-Extra: mkdocs" in metadata
    assert "Classifier: Framework :: MkDocs" in metadata
    assert "Provides-Extra: sphinx" in metadata and "Classifier: Framework :: Sphinx :: Extension" in metadata
    assert not re.search(r"^Project-URL: ", metadata, re.MULTILINE)  # none until the project has a real address
    builders = [line for line in metadata.splitlines() if re.match(r"Requires-Dist: (mkdocs|mkdocs-material|pymdown-extensions)[<>=]", line)]
    assert len(builders) == 3 and all('extra == "mkdocs"' in line for line in builders), builders
    assert "SetuptoolsDeprecationWarning" not in installed.build_output, installed.build_output


def test_katex_css_names_only_the_fonts_shipped(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        css = archive.read("mathcheck_mkdocs/assets/katex/katex.min.css").decode()
        fonts = {Path(name).name for name in archive.namelist() if "/katex/fonts/" in name}
    named = set(re.findall(r"url\(fonts/([^)]+)\)", css))
    assert named and named <= fonts


def test_the_command_runs_without_any_builder(installed: Installed, tmp_path: Path) -> None:
    probe = installed.run(installed.bin("python"), "-c",
                          "import sys, mathcheck.cli; print(sorted(m for m in sys.modules if m.split('.')[0] "
                          "in ('mkdocs', 'material', 'markdown', 'pymdownx')))", cwd=tmp_path)
    assert probe.stdout.strip() == "[]", probe.stdout
    version = installed.run(installed.bin("mathcheck"), "--version", cwd=tmp_path)
    assert version.stdout.strip() == "mathcheck 0.1.0"
    reference = installed.run(installed.bin("mathcheck"), "explain", "functions", cwd=tmp_path)
    assert "kron(A, B)" in reference.stdout and "erf" in reference.stdout, reference.stdout
    (tmp_path / "page.md").write_text("```derivation\nid: cube\nvars:\n  x: scalar\nf: x**3\nwrt: x\n```\n")
    derived = installed.run(installed.bin("mathcheck"), "derive", "page.md", cwd=tmp_path)
    assert "page.md:1: block `cube` derivative: 3 * x**2\n" in derived.stdout, derived.stdout


@pytest.mark.parametrize("builder", BUILDS)
def test_good_site_builds_checked_under_each_builder(installed: Installed, tmp_path: Path, builder: str) -> None:
    site = site_copy(tmp_path)
    copied = installed.run("python", "-m", "mathcheck_mkdocs.site_assets", "docs", cwd=site)
    assert copied.returncode == 0, copied.stdout
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text() + copied.stdout)  # Zensical needs them
    result = installed.run(*BUILDS[builder], cwd=site)
    assert result.returncode == 0, result.stdout
    assert not (site / "node_modules").exists()
    rules = (site / "site" / "rules" / "index.html").read_text()
    for block_id in BLOCK_IDS:
        assert f'<div class="mathcheck-block" id="{block_id}">' in rules, block_id
    assert "claim:" not in rules  # no block left as its YAML
    index = (site / "site" / "index.html").read_text()
    assert index.count('href="rules/#') == len(BLOCK_IDS)  # the table lists the next page's blocks
    assert re.findall(r'mathcheck-number">\(([0-9.]+)\)', rules) == ["2.1", "2.2", "2.3", "2.4"]


@pytest.mark.parametrize("builder", BUILDS)
def test_wrong_formula_fails_each_builder_with_its_file_and_line(
    installed: Installed, tmp_path: Path, builder: str
) -> None:
    site = site_copy(tmp_path, "wrong.md")
    for _ in ("cold", "again, with the verdict and the builder's own cache warm"):
        result = installed.run(*BUILDS[builder], cwd=site)
        assert result.returncode != 0, result.stdout
        assert "docs/wrong.md:5: block `cube-wrong` failed" in result.stdout, result.stdout
        assert "Traceback" not in result.stdout, result.stdout  # the list of bad blocks, and nothing else


def test_the_sphinx_extension_builds_a_myst_site_from_the_wheel(installed: Installed, tmp_path: Path) -> None:
    site = tmp_path / "myst"
    shutil.copytree(SPHINX_SITE, site)
    result = installed.run(installed.bin("sphinx-build"), "-W", "-b", "html", "myst", "built", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    rules = (tmp_path / "built" / "guide" / "rules.html").read_text()
    for block_id in ("sum-x", "hadamard-w", "relu"):
        assert f'<div class="mathcheck-block" id="{block_id}">' in rules, block_id
    assert (tmp_path / "built" / "_static" / "mathcheck" / "katex" / "katex.min.js").is_file()
    assert list((tmp_path / "built" / "_static" / "mathcheck" / "katex" / "fonts").glob("*.woff2"))
