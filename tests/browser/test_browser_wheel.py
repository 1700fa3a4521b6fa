"""A site outside the checkout, built by the installed wheel (no npm, no node_modules), in
Chromium: its math typeset by the KaTeX inside the package, every request to 127.0.0.1; and
a site that switched our KaTeX off loads without a script error."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Page
from test_browser_site import assert_math_typeset

PACKAGED_SITE = Path(__file__).resolve().parents[1] / "packaging" / "fixtures" / "site"


def built_elsewhere(installed, tmp_path: Path, serve, config_edit=lambda text: text) -> str:
    """The packaged fixture site, copied outside the checkout, built by the wheel's mkdocs, served."""
    source = tmp_path / "elsewhere"
    shutil.copytree(PACKAGED_SITE, source)
    config = source / "mkdocs.yml"
    config.write_text(config_edit(config.read_text()))
    out = source / "built"
    out.mkdir()
    url = serve(out)
    result = installed.run("mkdocs", "build", "--site-dir", str(out), cwd=source, env={"SITE_URL": url})
    assert result.returncode == 0, result.stdout
    assert not (source / "node_modules").exists()
    return url


def test_wheel_site_renders_math_offline(page: Page, installed, tmp_path: Path, serve, external_requests) -> None:
    url = built_elsewhere(installed, tmp_path, serve)
    errors: list[str] = []
    loaded: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto(url + "rules/")
    assert_math_typeset(page)
    assert page.locator(".mathcheck-block .katex-display").count() >= 4
    page.wait_for_load_state("networkidle")
    assert any(request.endswith(".woff2") for request in loaded)
    assert all(request.startswith(url) for request in loaded), loaded
    assert external_requests == [] and errors == []


def test_site_with_katex_switched_off_has_no_script_error(page: Page, installed, tmp_path: Path, serve) -> None:
    url = built_elsewhere(installed, tmp_path, serve,
                          lambda text: text.replace("plugins:\n  - mathcheck\n",
                                                    'plugins:\n  - mathcheck:\n      katex_dir: ""\n'))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "rules/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".mathcheck-block").count() == 4
    assert page.locator(".katex").count() == 0  # nothing typesets: the site would bring its own renderer
    assert errors == []


def with_copied_assets(installed, source: Path) -> None:
    """What a Zensical site does: the assets copied into its docs, listed in mkdocs.yml."""
    copied = installed.run("python", "-m", "mathcheck_mkdocs.site_assets", "docs", cwd=source)
    assert copied.returncode == 0, copied.stdout
    config = source / "mkdocs.yml"
    config.write_text(config.read_text() + copied.stdout)


def test_zensical_site_with_copied_assets_renders_math(
    page: Page, installed, tmp_path: Path, serve, external_requests
) -> None:
    source = tmp_path / "zensical"
    shutil.copytree(PACKAGED_SITE, source)
    with_copied_assets(installed, source)
    result = installed.run("zensical", "build", cwd=source)
    assert result.returncode == 0, result.stdout
    url = serve(source / "site")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "rules/")
    assert_math_typeset(page)
    assert page.locator(".mathcheck-block .katex-display").count() >= 4
    assert external_requests == [] and errors == []


def test_copied_assets_are_served_once_by_the_plugin(installed, tmp_path: Path) -> None:
    source = tmp_path / "both"
    shutil.copytree(PACKAGED_SITE, source)
    with_copied_assets(installed, source)
    result = installed.run("mkdocs", "build", "--strict", cwd=source)
    assert result.returncode == 0, result.stdout
    page = (source / "site" / "rules" / "index.html").read_text()
    for asset in ("katex.min.css", "katex.min.js", "auto-render.min.js", "mathcheck.css", "mathcheck.js"):
        assert page.count(asset) == 1, asset
