"""`mkdocs serve` keeps serving when a formula is wrong, and shows it in red where it stands."""

from __future__ import annotations

import re
import time
import subprocess
import sys
from pathlib import Path

from live_server import fetch_when_ready, free_port, serving
from plugin_sites import mkdocs_env

SERVE = [sys.executable, "-m", "mkdocs", "serve", "--no-livereload"]




def test_serve_shows_a_wrong_block_in_red_and_keeps_serving(site_factory, shared_cache: Path) -> None:
    site = site_factory("wrong-claim.md")
    with serving(SERVE, site, mkdocs_env(shared_cache)) as (server, address):
        page = fetch_when_ready(f"{address}/wrong-claim/", server, timeout=180)
        assert '<div class="mathcheck-block mathcheck-bad" id="sum-x-doubled" role="alert">' in page
        assert "docs/wrong-claim.md:3" in page
        # the derivative the engine found and verified, to paste as the claim and typeset
        assert "a verified derivative: ones(n).T" in page
        assert ('<div class="mathcheck-suggestion"><p>A verified derivative (paste it as the '
                "<code>claim</code>: <code>ones(n).T</code>):</p>"
                '<div class="arithmatex">\\[\\mathbf{1}^T\\]</div></div>') in page
        good = fetch_when_ready(f"{address}/rules/", server, timeout=10)
        assert '<div class="mathcheck-block" id="sum-x">' in good
        assert server.poll() is None


def test_serve_configured_to_fail_stops_on_a_wrong_block(site_factory, shared_cache: Path) -> None:
    site = site_factory("wrong-claim.md", plugin_options="      serve_on_failure: fail\n")
    result = subprocess.run(
        [*SERVE, "-a", f"127.0.0.1:{free_port()}"],
        cwd=site,
        env=mkdocs_env(shared_cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0
    assert re.search(r"docs/wrong-claim\.md:3: .*sum-x-doubled", result.stdout), result.stdout


def test_serve_reports_a_fence_that_looks_like_a_block_and_keeps_serving(site_factory, shared_cache: Path,
                                                                        tmp_path: Path) -> None:
    site = site_factory("stray-fences.md")
    log = tmp_path / "serve.log"
    with serving(SERVE, site, mkdocs_env(shared_cache), log) as (server, address):
        page = fetch_when_ready(f"{address}/stray-fences/", server, timeout=180)
        assert '<div class="mathcheck-block" id="square">' in page
        assert server.poll() is None
    said = log.read_text()
    assert re.search(r"WARNING .*docs/stray-fences\.md:5: block error: this fence reads `Derivation`", said), said


def test_serve_under_strict_shows_a_bad_edit_in_red_and_keeps_serving(site_factory, shared_cache: Path,
                                                                      tmp_path: Path) -> None:
    site = site_factory()
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "strict: true\n")
    log = tmp_path / "serve.log"
    with serving([sys.executable, "-m", "mkdocs", "serve"], site, mkdocs_env(shared_cache), log) as (server, address):
        fetch_when_ready(f"{address}/rules/", server, timeout=180)
        rules = site / "docs" / "rules.md"
        rules.write_text(rules.read_text().replace("claim: ones(n).T", "claim: 2 * ones(n).T", 1))
        deadline = time.monotonic() + 120
        page = ""
        while 'class="mathcheck-block mathcheck-bad" id="sum-x"' not in page:
            assert time.monotonic() < deadline, f"no red box after the edit:\n{log.read_text()}"
            time.sleep(1)
            page = fetch_when_ready(f"{address}/rules/", server, timeout=30)
        assert "docs/rules.md" in page
        assert server.poll() is None
    assert "Aborted" not in log.read_text()


def test_serve_writes_a_pages_control_characters_out_in_its_red_box_and_its_log(site_factory, shared_cache: Path,
                                                                               tmp_path: Path) -> None:
    site = site_factory()
    (site / "docs" / "hostile.md").write_text(
        '# Hostile\n\n```derivation\nid: b\n"\\e[2K\\e[32mverified": 1\nvars: {x: scalar}\nf: x\nwrt: x\nclaim: 1\n```\n')
    log = tmp_path / "serve.log"
    with serving(SERVE, site, mkdocs_env(shared_cache), log) as (server, address):
        page = fetch_when_ready(f"{address}/hostile/", server, timeout=180)
        assert "mathcheck-bad" in page and "\\x1b[2K\\x1b[32mverified" in page and "\x1b" not in page
        assert server.poll() is None
    said = log.read_text()
    assert "WARNING" in said and "\\x1b[2K\\x1b[32mverified" in said and "\x1b" not in said, said
