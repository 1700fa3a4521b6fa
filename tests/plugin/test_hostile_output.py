"""What a page writes never reaches a terminal or a red box raw: control characters are written
out in the build log, the extension's error and `serve`'s red boxes; a refused block's red box
shows its source, capped, never its parsed tree."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from plugin_sites import run_mkdocs

import mathcheck
from mathcheck_mkdocs.extension import MathcheckError
from mathcheck_mkdocs.render import SHOWN_SOURCE, bad_block_html, problem_html

RAW = ("\x1b", "\r", "\x9b", "\u202e")
# `"\e..."` in YAML is ESC; the unknown key is quoted in the block's error
HOSTILE = ('# Page\n\n```derivation\nid: b\n"\\e[2K\\r\\e[32mverified\\e[0m\\x9b\\u202e": 1\n'
           "vars: {x: scalar}\nf: x\nwrt: x\nclaim: 1\n```\n")
SHOWN = "\\x1b[2K\\x0d\\x1b[32mverified\\x1b[0m\\x9b\\u202e"


def test_the_red_box_writes_control_characters_out_and_caps_the_source() -> None:
    text = HOSTILE.replace("claim: 1\n", "claim: 1\nsteps:\n" + "".join(f"  - x = x  # {k}\n" for k in range(800)))
    [block] = mathcheck.find_blocks(text, "c.md")
    [verdict] = mathcheck.check_blocks([block])
    html = bad_block_html(block, verdict)
    assert not any(c in html for c in RAW) and SHOWN in html
    assert len(block.source) > 2 * SHOWN_SOURCE and len(html) < SHOWN_SOURCE + 2000
    assert "more characters)" in html
    assert SHOWN in problem_html(verdict.message) and "\x1b" not in problem_html(verdict.message)


def test_a_refused_blocks_red_box_shows_its_source_not_its_tree() -> None:
    bomb = ["  - &a0 [t, t, t, t, t, t, t, t, t]"] + [
        f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    [block] = mathcheck.find_blocks("```derivation\nid: t\ntitle:\n" + "\n".join(bomb) + "\n```\n", "t.md")
    [verdict] = mathcheck.check_blocks([block])
    html = bad_block_html(block, verdict)
    assert "Error: derivation block</p>" in html and "*a8, *a8" in html and len(html) < 4000


def test_the_extensions_error_writes_control_characters_out(tmp_path: Path) -> None:
    with pytest.raises(MathcheckError) as raised:
        markdown.markdown(HOSTILE, extensions=["pymdownx.superfences", "mathcheck"],
                          extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    assert SHOWN in str(raised.value) and not any(c in str(raised.value) for c in RAW)


def test_the_build_log_writes_control_characters_out(site_factory, shared_cache: Path) -> None:
    site = site_factory()
    (site / "docs" / "hostile.md").write_text(HOSTILE)
    build = run_mkdocs(site, cache_dir=shared_cache)
    assert build.returncode == 1
    assert SHOWN in build.output and not any(c in build.output for c in RAW), build.output
